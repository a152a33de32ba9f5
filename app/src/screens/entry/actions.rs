use health_book::entry::edit::can_change;
use health_book::{CitizenId, RecordId, RecordOrigin};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use super::save::{remove_typed_record, EntryFailure};
use super::vaccination_form::EntryFailureNotice;
use crate::context::{use_book_store, use_open_book};
use crate::i18n::{use_i18n, Msg};
use crate::paths;
use crate::t;

/// Which list a typed-in record belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Vaccination,
    Prescription,
}

/// "Add a vaccination" / "Add a prescription", above a list.
#[component]
pub fn AddEntryLink(kind: EntryKind) -> impl IntoView {
    let i18n = use_i18n();
    let (href, label) = match kind {
        EntryKind::Vaccination => (paths::ENTRY_VACCINATION, Msg::EntryAddVaccination),
        EntryKind::Prescription => (paths::ENTRY_PRESCRIPTION, Msg::EntryAddPrescription),
    };
    view! {
        <p class="no-print actions">
            <A href=href attr:class="button secondary" attr:data-testid="add-entry">{i18n.text(label.clone())}</A>
        </p>
    }
}

/// Correct and remove, on a record typed in on this device; nothing on any other.
#[component]
pub fn EntryActions(
    kind: EntryKind,
    id: RecordId,
    origin: RecordOrigin,
    citizen_id: CitizenId,
) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_book_store();
    let open = use_open_book();
    let confirming = RwSignal::new(false);
    let failure = RwSignal::new(None::<EntryFailure>);
    let (edit_href, list) = match kind {
        EntryKind::Vaccination => (paths::entry_vaccination(&id), paths::VACCINATIONS),
        EntryKind::Prescription => (paths::entry_prescription(&id), paths::PRESCRIPTIONS),
    };
    let remove = move |_| {
        let (id, citizen_id) = (id.clone(), citizen_id.clone());
        let navigate = use_navigate();
        leptos::task::spawn_local(async move {
            match remove_typed_record(store, open, &citizen_id, &id).await {
                Ok(_) => navigate(list, Default::default()),
                Err(e) => {
                    failure.try_set(Some(e));
                }
            }
        });
    };
    can_change(&origin).then(|| view! {
        <div class="no-print actions" data-testid="entry-actions">
            <A href=edit_href attr:class="button secondary">{t!(i18n, EntryEdit)}</A>
            <Show
                when=move || confirming.get()
                fallback=move || view! {
                    <button type="button" class="secondary" on:click=move |_| confirming.set(true)>{t!(i18n, EntryRemove)}</button>
                }
            >
                <p role="alert">{t!(i18n, EntryConfirmRemove)}</p>
                <button type="button" class="danger" on:click=remove.clone()>{t!(i18n, ConfirmDelete)}</button>
                <button type="button" class="secondary" on:click=move |_| confirming.set(false)>{t!(i18n, Cancel)}</button>
            </Show>
            <EntryFailureNotice failure />
        </div>
    })
}
