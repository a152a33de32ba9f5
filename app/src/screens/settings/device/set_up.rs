use health_book::device::secret::check_confirmation;
use health_book::device::DeviceMode;
use leptos::prelude::*;

use crate::components::SecretField;
use crate::context::use_vault;
use crate::i18n::errors::{secret_problem_msg, vault_error_msg};
use crate::i18n::{use_i18n, Msg};
use crate::t;

/// The first secret: Personal (a PIN or passphrase) or Shared (the first staff member). Says
/// plainly that a forgotten secret cannot be recovered and that a short PIN is weaker. With
/// `only`, the mode is already chosen (the first-run screen's Shared device) and not offered.
#[component]
pub fn SetUpSecret(#[prop(optional)] only: Option<DeviceMode>) -> impl IntoView {
    let i18n = use_i18n();
    let vault = use_vault();
    let mode = RwSignal::new(only.unwrap_or(DeviceMode::Personal));
    let name = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<Msg>);

    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (typed, repeated) = (secret.get_untracked(), again.get_untracked());
        if let Err(p) = check_confirmation(&typed, &repeated) {
            problem.set(Some(secret_problem_msg(p)));
            return;
        }
        busy.set(true);
        problem.set(None);
        let chosen = mode.get_untracked();
        let staff = name.get_untracked();
        leptos::task::spawn_local(async move {
            let staff_name = (chosen == DeviceMode::Shared).then_some(staff.as_str());
            let result = vault.enable(chosen, staff_name, &typed).await;
            busy.set(false);
            if let Err(error) = result {
                problem.set(Some(vault_error_msg(
                    &error,
                    time::OffsetDateTime::now_utc(),
                )));
            }
        });
    };
    let choice = move |value: DeviceMode, label: Msg, hint: Msg| {
        view! {
            <label class="choice">
                <input
                    type="radio"
                    name="device-mode"
                    prop:checked=move || mode.get() == value
                    on:change=move |_| mode.set(value)
                />
                <span>{i18n.t(label)}</span>
                <span class="hint">{i18n.t(hint)}</span>
            </label>
        }
    };
    // Re-created when the mode changes, so the label says what this mode's secret must be.
    let secret_label = move || {
        if mode.get() == DeviceMode::Shared {
            Msg::VaultPassphrase
        } else {
            Msg::VaultPinOrPassphrase
        }
    };
    view! {
        <form class="device-set-up" on:submit=submit data-testid="device-set-up">
            {only.is_none().then(|| view! {
                <fieldset>
                    <legend>{t!(i18n, VaultChooseModeTitle)}</legend>
                    {choice(DeviceMode::Personal, Msg::VaultModePersonal, Msg::VaultModePersonalHint)}
                    {choice(DeviceMode::Shared, Msg::VaultModeShared, Msg::VaultModeSharedHint)}
                </fieldset>
            })}
            <Show when=move || mode.get() == DeviceMode::Shared>
                <label>
                    {t!(i18n, VaultStaffName)}
                    <input
                        type="text"
                        autocomplete="name"
                        data-testid="set-up-staff-name"
                        prop:value=move || name.get()
                        on:input:target=move |ev| name.set(ev.target().value())
                    />
                </label>
            </Show>
            <SecretField
                label=Signal::derive(secret_label)
                value=secret
                autocomplete="new-password"
                testid="set-up-secret"
            />
            <SecretField
                label=Msg::VaultPassphraseAgain
                value=again
                autocomplete="new-password"
                testid="set-up-secret-again"
            />
            <Show when=move || mode.get() == DeviceMode::Personal>
                <p class="hint">{t!(i18n, VaultPinWeakWarning)}</p>
            </Show>
            <p class="warning">{t!(i18n, VaultForgottenWarning)}</p>
            <button type="submit" disabled=move || busy.get() data-testid="set-up-submit">
                {move || if busy.get() { i18n.t(Msg::VaultEncrypting) } else { i18n.t(Msg::VaultSetSecret) }}
            </button>
            {move || problem.get().map(|msg| view! { <p role="alert">{i18n.t(msg)}</p> })}
        </form>
    }
}
