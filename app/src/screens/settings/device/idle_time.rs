use health_book::device::IdleLock;
use leptos::prelude::*;

use crate::context::use_vault;
use crate::i18n::errors::vault_error_msg;
use crate::i18n::{use_i18n, Msg};
use crate::t;

/// After how many idle minutes the device locks (1 to 30).
#[component]
pub fn IdleTime() -> impl IntoView {
    let i18n = use_i18n();
    let vault = use_vault();
    let current = vault.idle_lock().map_or(2, IdleLock::as_minutes);
    let minutes = RwSignal::new(current.to_string());
    let outcome = RwSignal::new(None::<Msg>);
    let save = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        // The number field already limits the range; anything unreadable keeps the current time.
        let chosen = minutes
            .get_untracked()
            .trim()
            .parse::<u8>()
            .unwrap_or(current);
        leptos::task::spawn_local(async move {
            outcome.set(Some(
                match vault.set_idle_lock(IdleLock::minutes(chosen)).await {
                    Ok(()) => Msg::VaultSaved,
                    Err(e) => vault_error_msg(&e, time::OffsetDateTime::now_utc()),
                },
            ));
        });
    };
    view! {
        <form class="idle-time" on:submit=save>
            <label>
                {t!(i18n, VaultIdleMinutes)}
                <input
                    type="number"
                    min=IdleLock::MIN_MINUTES
                    max=IdleLock::MAX_MINUTES
                    data-testid="idle-minutes"
                    prop:value=move || minutes.get()
                    on:input:target=move |ev| minutes.set(ev.target().value())
                />
            </label>
            <button type="submit">{t!(i18n, VaultSave)}</button>
            {move || outcome.get().map(|msg| view! { <p role="status">{i18n.t(msg)}</p> })}
        </form>
    }
}
