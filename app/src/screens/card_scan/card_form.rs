use health_book::validate::ValidationContext;
use health_book::views::card_scan::{new_book_from_card, DraftError, DraftField, ProfileDraft};
use health_book::Sex;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::browser::clock;
use crate::components::{FieldErrors, StorageErrorNotice};
use crate::context::use_open_book;
use crate::i18n::errors::draft_error_msg;
use crate::i18n::{use_i18n, Msg};
use crate::paths;
use crate::storage::StorageError;
use crate::t;

/// The profile read from the card, for staff to check and correct before the book is created.
/// The core's rules run on every edit; the book can be created once nothing is in error, and
/// it opens on Home.
#[component]
pub fn CardProfileForm(draft: ProfileDraft) -> impl IntoView {
    let i18n = use_i18n();
    let open = use_open_book();
    let navigate = use_navigate();
    let draft = RwSignal::new(draft);
    let saving = RwSignal::new(false);
    let storage_error = RwSignal::new(None::<StorageError>);
    let today = clock::today();
    let checked = Memo::new(move |_| {
        let books = open.books().get().and_then(Result::ok).unwrap_or_default();
        draft.get().confirm(&ValidationContext::new(today), &books)
    });
    let errors_of = move |field: DraftField| -> Vec<Msg> {
        match checked.get() {
            Ok(_) => Vec::new(),
            Err(errors) => errors
                .iter()
                .filter(|e| e.field() == field)
                .map(draft_error_msg)
                .collect(),
        }
    };
    let already_on_device = move || match checked.get() {
        Err(errors) => errors.into_iter().find_map(|e| match e {
            DraftError::AlreadyOnDevice(id) => Some(id),
            _ => None,
        }),
        Ok(_) => None,
    };

    let save = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let Ok(confirmed) = checked.get_untracked() else {
            return;
        };
        saving.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let book = new_book_from_card(confirmed);
            match open.create_and_open(&book).await {
                Ok(()) => navigate(paths::HOME, Default::default()),
                Err(error) => {
                    storage_error.try_set(Some(error));
                    saving.try_set(false);
                }
            }
        });
    };
    let open_existing = move |_| {
        let Some(id) = already_on_device() else {
            return;
        };
        let navigate = use_navigate();
        leptos::task::spawn_local(async move {
            match open.open(id).await {
                Ok(()) => navigate(paths::HOME, Default::default()),
                Err(error) => {
                    storage_error.try_set(Some(error));
                }
            }
        });
    };

    let text_field = move |field: DraftField,
                           label: Msg,
                           get: fn(&ProfileDraft) -> String,
                           set: fn(&mut ProfileDraft, String),
                           kind: &'static str| {
        let label = label.clone();
        view! {
            <label class="field">
                <span class="label">{i18n.text(label.clone())}</span>
                <input
                    type=kind
                    autocomplete="off"
                    aria-invalid=move || (!errors_of(field).is_empty()).to_string()
                    prop:value=move || draft.with(get)
                    on:input:target=move |ev| draft.update(|d| set(d, ev.target().value()))
                />
                <FieldErrors errors=Signal::derive(move || errors_of(field)) />
            </label>
        }
    };

    view! {
        <form class="card card-form" aria-labelledby="card-form-heading" data-testid="card-form" on:submit=save>
            <h2 id="card-form-heading">{t!(i18n, CardFormTitle)}</h2>
            <p class="hint">{t!(i18n, CardFormHint)}</p>
            {text_field(DraftField::FullName, Msg::CardFormFullName, |d| d.full_name.clone(), |d, v| d.full_name = v, "text")}
            {text_field(DraftField::DateOfBirth, Msg::DateOfBirth, |d| d.date_of_birth.clone(), |d, v| d.date_of_birth = v, "date")}
            <label class="field">
                <span class="label">{t!(i18n, Sex)}</span>
                <select
                    prop:value=move || if draft.with(|d| d.sex) == Sex::Male { "male" } else { "female" }
                    on:change:target=move |ev| {
                        let sex = if ev.target().value() == "male" { Sex::Male } else { Sex::Female };
                        draft.update(|d| d.sex = sex);
                    }
                >
                    <option value="male">{t!(i18n, Male)}</option>
                    <option value="female">{t!(i18n, Female)}</option>
                </select>
            </label>
            {text_field(DraftField::CitizenId, Msg::CitizenIdLabel, |d| d.citizen_id.clone(), |d, v| d.citizen_id = v, "text")}
            <Show when=move || already_on_device().is_some()>
                <button type="button" class="secondary" on:click=open_existing>{t!(i18n, CardFormOpenExisting)}</button>
            </Show>
            {text_field(DraftField::OldIdNumber, Msg::OldIdLabel, |d| d.old_id_number.clone(), |d, v| d.old_id_number = v, "text")}
            {text_field(DraftField::Address, Msg::AddressLabel, |d| d.address.clone(), |d, v| d.address = v, "text")}
            {text_field(DraftField::CardIssuedOn, Msg::CardFormIssuedOn, |d| d.card_issued_on.clone(), |d, v| d.card_issued_on = v, "date")}
            {move || {
                let warnings = checked.get().map(|c| c.warnings).unwrap_or_default();
                (!warnings.is_empty()).then(|| view! {
                    <ul class="notice warning" role="status" data-testid="card-form-warnings">
                        {warnings
                            .into_iter()
                            .map(|f| {
                                let msg = Msg::Finding(f.kind);
                                view! { <li>{i18n.text(msg.clone())}</li> }
                            })
                            .collect_view()}
                    </ul>
                })
            }}
            {move || storage_error.get().map(|error| view! { <StorageErrorNotice error /> })}
            <button type="submit" disabled=move || checked.get().is_err() || saving.get()>{t!(i18n, CardFormSave)}</button>
        </form>
    }
}
