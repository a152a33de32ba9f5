use health_book::device::secret::check_confirmation;
use health_book::device::{staff_name, SlotId};
use leptos::prelude::*;

use super::new_staff_fields::NewStaffFields;
use crate::components::SecretField;
use crate::context::{use_vault, VaultState};
use crate::i18n::errors::{secret_problem_msg, vault_error_msg};
use crate::i18n::{use_i18n, Msg};
use crate::t;

/// The staff of a shared device: remove another member, add one (the unlocked member confirms
/// their own passphrase, which is what lets the data key be wrapped for the newcomer).
#[component]
pub fn StaffList() -> impl IntoView {
    let i18n = use_i18n();
    let vault = use_vault();
    let outcome = RwSignal::new(None::<Msg>);
    let me = move || match vault.state() {
        VaultState::Unlocked { slot, .. } => Some(slot),
        _ => None,
    };
    let remove = move |slot: SlotId| {
        leptos::task::spawn_local(async move {
            if let Err(e) = vault.remove_staff(slot).await {
                outcome.set(Some(vault_error_msg(&e, time::OffsetDateTime::now_utc())));
            }
        });
    };
    let name = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let mine = RwSignal::new(String::new());
    let add = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let (new_name, new_secret) = (name.get_untracked(), secret.get_untracked());
        if let Err(p) = check_confirmation(&new_secret, &again.get_untracked()) {
            outcome.set(Some(secret_problem_msg(p)));
            return;
        }
        let my_secret = mine.get_untracked();
        leptos::task::spawn_local(async move {
            let result = vault.add_staff(&my_secret, &new_name, &new_secret).await;
            outcome.set(Some(match result {
                Ok(_) => {
                    for field in [name, secret, again, mine] {
                        field.set(String::new());
                    }
                    Msg::VaultSaved
                }
                Err(e) => vault_error_msg(&e, time::OffsetDateTime::now_utc()),
            }));
        });
    };
    view! {
        <div class="staff" data-testid="staff-list">
            <ul>
                {move || {
                    // Every staff slot, named by what opened at unlock (the names are stored
                    // sealed); one whose name does not open can still be removed.
                    let staff = vault.staff();
                    vault
                        .meta()
                        .map(|m| m.staff_names().into_iter().map(|(slot, _)| slot).collect::<Vec<_>>())
                        .unwrap_or_default()
                        .into_iter()
                        .map(|slot| {
                            let name = staff_name(&staff, slot)
                                .map_or_else(|| i18n.t(Msg::VaultStaffNameUnreadable), str::to_owned);
                            view! {
                                <li>
                                    {name}
                                    <Show when=move || me() != Some(slot)>
                                        <button type="button" on:click=move |_| remove(slot)>
                                            {t!(i18n, VaultRemoveStaff)}
                                        </button>
                                    </Show>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <form class="add-staff" on:submit=add data-testid="add-staff">
                <h3>{t!(i18n, VaultAddStaff)}</h3>
                <NewStaffFields name secret again />
                <SecretField label=Msg::VaultYourPassphrase value=mine autocomplete="current-password" />
                <p class="warning">{t!(i18n, VaultForgottenWarning)}</p>
                <button type="submit">{t!(i18n, VaultAddStaff)}</button>
            </form>
            {move || outcome.get().map(|msg| view! { <p role="status">{i18n.t(msg)}</p> })}
        </div>
    }
}
