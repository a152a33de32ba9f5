use health_book::audit::AuditAction;
use health_book::device::DeviceMode;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::components::StorageErrorNotice;
use crate::context::{use_open_book, use_vault};
use crate::i18n::{use_i18n, Msg};
use crate::paths;
use crate::storage::StorageError;
use crate::t;

/// On a shared tablet: "Done with this patient" removes the open person's book and everything
/// about them (records, the sync's copy, their settings, their book key) in one transaction,
/// after a confirmation that names them, then shows the empty book list for the next patient.
#[component]
pub fn DoneWithPatient() -> impl IntoView {
    let i18n = use_i18n();
    let vault = use_vault();
    let open = use_open_book();
    // Stored so the click handler stays `Copy` for the nested views.
    let navigate = StoredValue::new_local(use_navigate());
    let confirming = RwSignal::new(false);
    let failed = RwSignal::new(None::<StorageError>);
    let person = move || {
        if vault.mode() != Some(DeviceMode::Shared) || !vault.is_unlocked() {
            return None;
        }
        open.profile()
            .get()
            .and_then(|loaded| loaded.ok().flatten())
            .map(|b| (b.profile.citizen_id.clone(), b.profile.full_name.clone()))
    };
    let remove = move |_| {
        let Some((id, _)) = person() else {
            return;
        };
        let navigate = navigate.get_value();
        leptos::task::spawn_local(async move {
            match open.delete(&id, AuditAction::SignedOut).await {
                Ok(()) => {
                    confirming.set(false);
                    open.changed();
                    navigate(paths::BOOKS, Default::default());
                }
                Err(error) => failed.set(Some(error)),
            }
        });
    };
    view! {
        <Show when=move || person().is_some()>
            <button type="button" class="secondary" data-testid="done-with-patient" on:click=move |_| confirming.set(true)>
                {t!(i18n, VaultDoneWithPatient)}
            </button>
            <Show when=move || confirming.get()>
                <div class="confirm" role="alertdialog" aria-labelledby="done-with-patient-question">
                    <p id="done-with-patient-question">
                        {move || person().map(|(_, name)| i18n.t(Msg::VaultDoneConfirm { name }))}
                    </p>
                    <button type="button" class="danger" data-testid="done-with-patient-confirm" on:click=remove>
                        {t!(i18n, VaultDoneConfirmYes)}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| confirming.set(false)>
                        {t!(i18n, Cancel)}
                    </button>
                    {move || failed.get().map(|error| view! { <StorageErrorNotice error /> })}
                </div>
            </Show>
        </Show>
    }
}
