//! The unlock screen: the only thing a locked device shows. Type the secret: on a shared device
//! the passphrase alone says which staff member it is (no name is shown before a key exists:
//! the names are stored sealed). A wrong secret waits longer each time, and after ten on a
//! shared device only a wipe is offered. A passphrase that several staff members share (set up
//! by an older version) names no one either: the screen then lists those it opens, and the
//! person picks their own name.

use health_book::device::{DeviceMode, SlotId, StaffMember, UnlockOffer, VaultMeta};
use leptos::prelude::*;

use crate::browser::device_wipe;
use crate::components::SecretField;
use crate::context::use_vault;
use crate::i18n::errors::{vault_error_msg, wipe_error_msg};
use crate::i18n::{use_i18n, Msg};
use crate::storage::VaultError;
use crate::t;

#[component]
pub fn UnlockScreen(meta: VaultMeta) -> impl IntoView {
    let i18n = use_i18n();
    let vault = use_vault();
    let secret = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<Msg>);
    // The passphrase typed and the staff it opens, while the person picks their name.
    let sharing = RwSignal::new(None::<(String, Vec<StaffMember>)>);
    let wipe_only = RwSignal::new(
        meta.attempts
            .offer(meta.mode, time::OffsetDateTime::now_utc())
            == UnlockOffer::WipeOnly,
    );
    let shared = meta.mode == DeviceMode::Shared;

    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        sharing.set(None);
        let typed = secret.get_untracked();
        leptos::task::spawn_local(async move {
            let result = vault.unlock(&typed).await;
            secret.set(String::new());
            busy.set(false);
            if let Err(VaultError::PassphraseShared { staff }) = &result {
                sharing.set(Some((typed, staff.clone())));
            }
            if let Err(error) = result {
                if matches!(
                    error,
                    VaultError::WipeOnly
                        | VaultError::WrongSecret {
                            offer: UnlockOffer::WipeOnly
                        }
                ) {
                    wipe_only.set(true);
                }
                problem.set(Some(vault_error_msg(
                    &error,
                    time::OffsetDateTime::now_utc(),
                )));
            }
        });
    };
    let pick = move |slot: SlotId| {
        let Some((typed, _)) = sharing.get_untracked() else {
            return;
        };
        sharing.set(None);
        busy.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
            let result = vault.unlock_as(&typed, slot).await;
            busy.set(false);
            if let Err(error) = result {
                problem.set(Some(vault_error_msg(
                    &error,
                    time::OffsetDateTime::now_utc(),
                )));
            }
        });
    };
    // A forgotten secret: the same removal as Settings' "Remove everything" (every database,
    // cache, preference and the worker), then a fresh first-run page.
    let wipe = move |_| {
        leptos::task::spawn_local(async move {
            let wiped = device_wipe::wipe_device().await;
            if let Err(error) = wiped.and_then(|()| device_wipe::reload_to_first_run()) {
                problem.set(Some(wipe_error_msg(&error)));
            }
        });
    };

    view! {
        <main id="main" class="unlock-screen" data-testid="unlock-screen">
            <h1 class="screen-title">{t!(i18n, VaultUnlockTitle)}</h1>
            // Removing the secret was interrupted: this unlock finishes it.
            <Show when=move || vault.finishing_off()>
                <p role="status" data-testid="unlock-finishes-off">{t!(i18n, VaultFinishDecryptNotice)}</p>
            </Show>
            <Show
                when=move || !wipe_only.get()
                fallback=move || {
                    view! {
                        <p role="alert">{t!(i18n, VaultWipeOnly)}</p>
                        <button type="button" class="danger" on:click=wipe data-testid="wipe-device">
                            {t!(i18n, VaultWipe)}
                        </button>
                    }
                }
            >
                <form class="unlock-form" on:submit=submit>
                    {shared.then(|| view! { <p data-testid="unlock-hint">{t!(i18n, VaultUnlockSharedHint)}</p> })}
                    <SecretField
                        label=if shared { Msg::VaultYourPassphrase } else { Msg::VaultPinOrPassphrase }
                        value=secret
                        autocomplete="current-password"
                        testid="unlock-secret"
                    />
                    <button type="submit" disabled=move || busy.get() data-testid="unlock-submit">
                        {move || if busy.get() { i18n.t(Msg::VaultUnlocking) } else { i18n.t(Msg::VaultUnlock) }}
                    </button>
                    {move || problem.get().map(|msg| view! { <p role="alert" data-testid="unlock-problem">{i18n.t(msg)}</p> })}
                </form>
                {move || sharing.get().map(|(_, staff)| view! {
                    <ul class="unlock-sharing" data-testid="unlock-sharing">
                        {staff.into_iter().map(|member| {
                            let slot = member.slot;
                            view! {
                                <li>
                                    <button type="button" on:click=move |_| pick(slot) data-testid="unlock-pick-staff">
                                        {member.display_name}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                        <li>
                            <button type="button" class="secondary" on:click=move |_| sharing.set(None) data-testid="unlock-sharing-cancel">
                                {t!(i18n, VaultCancel)}
                            </button>
                        </li>
                    </ul>
                })}
            </Show>
        </main>
    }
}
