use std::sync::Arc;

use health_book::entry::{Entry, VaccinationForm};
use health_book::tables::vaccines::VACCINES;
use health_book::{HealthBook, Vaccination};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::author::{author_line, current_author};
use super::field::{fresh_record_id, record_to_correct, shown_problems, text_input};
use super::save::{spawn_save, EntryFailure};
use crate::browser::clock;
use crate::components::{with_open_book, FieldErrors, StorageErrorNotice};
use crate::context::{use_book_store, use_open_book, use_vault};
use crate::i18n::{domain_names, use_i18n, Msg};
use crate::paths;
use crate::t;

/// Add a vaccination to the open book, or correct one typed in on this device (`:id`).
#[component]
pub fn VaccinationEntry() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    view! {
        <p class="no-print"><A href=paths::VACCINATIONS>{t!(i18n, Back)}</A></p>
        {move || {
            let id = params.read().get("id");
            with_open_book(move |loaded| {
                let book = loaded.book.clone();
                match record_to_correct(&book.vaccinations, id.as_deref(), |r| (&r.id, &r.recorded_by)) {
                    Ok(editing) => {
                        let editing = editing.cloned();
                        view! { <VaccinationFormView book editing /> }.into_any()
                    }
                    Err(msg) => view! { <p class="notice warning" role="alert">{i18n.text(msg.clone())}</p> }.into_any(),
                }
            })
        }}
    }
}

#[component]
fn VaccinationFormView(book: Arc<HealthBook>, editing: Option<Vaccination>) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_book_store();
    let open = use_open_book();
    let author = current_author(&use_vault());
    let id = editing
        .as_ref()
        .map(|v| v.id.clone())
        .unwrap_or_else(fresh_record_id);
    let title = if editing.is_some() {
        Msg::EntryEditVaccination
    } else {
        Msg::EntryAddVaccination
    };
    let form = RwSignal::new(
        editing
            .as_ref()
            .map(VaccinationForm::of)
            .unwrap_or_default(),
    );
    let tried = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let failure = RwSignal::new(None::<EntryFailure>);
    let opened_at = clock::now();
    let problems = {
        let (book, id, author) = (book.clone(), id.clone(), author.clone());
        Memo::new(move |_| {
            form.with(|f| f.to_record(id.clone(), author.origin(opened_at), &book, clock::today()))
                .err()
                .unwrap_or_default()
        })
    };
    let errors_of =
        move |path: &'static str| shown_problems(tried, problems, move || path.to_owned());
    let except = editing.as_ref().map(|v| v.id.clone());
    let suggestion = {
        let (book, except) = (book.clone(), except.clone());
        Memo::new(move |_| form.with(|f| f.suggested_dose(&book.vaccinations, except.as_ref())))
    };
    let refill_dose = {
        let book = book.clone();
        move || form.update(|f| f.apply_suggested_dose(&book.vaccinations, except.as_ref()))
    };
    let diseases = move || {
        form.with(|f| f.vaccine()).map(|v| {
            v.diseases
                .iter()
                .map(|d| domain_names::disease_coding(i18n.locale(), &d.coding()))
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    let who = author_line(&author);

    let save = {
        let book = book.clone();
        move |ev: web_sys::SubmitEvent| {
            ev.prevent_default();
            tried.set(true);
            let record = form.with_untracked(|f| {
                f.to_record(
                    id.clone(),
                    author.origin(clock::now()),
                    &book,
                    clock::today(),
                )
            });
            let Ok(record) = record else {
                return;
            };
            let then = paths::vaccination(&record.id, "");
            spawn_save(
                store,
                open,
                book.citizen_id().clone(),
                Entry::Vaccination(record),
                saving,
                failure,
                then,
            );
        }
    };

    let text_field = move |path: &'static str,
                           label: Msg,
                           kind: &'static str,
                           get: fn(&VaccinationForm) -> String,
                           set: fn(&mut VaccinationForm, String)| {
        text_input(form, path, label, kind, errors_of(path), get, set)
    };
    let vaccine_errors = errors_of("vaccine");
    let refill_on_vaccine = refill_dose.clone();

    view! {
        <h1 class="screen-title">{i18n.text(title.clone())}</h1>
        <form class="card card-form" data-testid="vaccination-form" on:submit=save novalidate>
            <p class="hint" data-testid="entry-author">{i18n.text(who.clone())}</p>
            <label class="field">
                <span class="label">{t!(i18n, EntryVaccine)}</span>
                <select
                    name="vaccine"
                    aria-invalid=move || (!vaccine_errors.get().is_empty()).to_string()
                    prop:value=move || form.with(|f| f.vaccine_code.clone())
                    on:change:target=move |ev| {
                        form.update(|f| f.vaccine_code = ev.target().value());
                        refill_on_vaccine();
                    }
                >
                    <option value="">{t!(i18n, EntryChooseVaccine)}</option>
                    {VACCINES
                        .iter()
                        .map(|v| {
                            let coding = v.coding();
                            view! { <option value=v.code>{move || domain_names::vaccine(i18n.locale(), &coding)}</option> }
                        })
                        .collect_view()}
                </select>
                <FieldErrors errors=vaccine_errors />
            </label>
            {move || diseases().map(|names| view! {
                <p class="hint" data-testid="entry-diseases">
                    {t!(i18n, EntryProtectsAgainst)}": "{names}
                </p>
            })}
            <label class="field">
                <span class="label">{t!(i18n, EntryVaccinationDate)}</span>
                <input
                    type="date"
                    name="date"
                    aria-invalid=move || (!errors_of("date").get().is_empty()).to_string()
                    prop:value=move || form.with(|f| f.date.clone())
                    on:change:target=move |ev| {
                        form.update(|f| f.date = ev.target().value());
                        refill_dose();
                    }
                />
                <FieldErrors errors=errors_of("date") />
            </label>
            {text_field("dose_number", Msg::EntryDoseNumber, "text", |f| f.dose_number.clone(), |f, v| f.dose_number = v)}
            {text_field("series_doses", Msg::EntrySeriesDoses, "text", |f| f.series_doses.clone(), |f, v| f.series_doses = v)}
            {move || suggestion.get().map(|s| {
                let msg = Msg::EntryDoseSuggested { dose_number: s.dose_number, series_doses: s.series_doses };
                view! { <p class="hint" data-testid="entry-dose-suggestion">{i18n.text(msg.clone())}</p> }
            })}
            {text_field("lot_number", Msg::EntryLot, "text", |f| f.lot_number.clone(), |f, v| f.lot_number = v)}
            {text_field("facility", Msg::EntryFacilityName, "text", |f| f.facility_name.clone(), |f, v| f.facility_name = v)}
            {text_field("facility_code", Msg::EntryFacilityCode, "text", |f| f.facility_code.clone(), |f, v| f.facility_code = v)}
            <EntryFailureNotice failure />
            <button type="submit" disabled=move || saving.get()>{t!(i18n, EntrySave)}</button>
        </form>
    }
}

/// Why a save or removal failed, in the person's language.
#[component]
pub(super) fn EntryFailureNotice(failure: RwSignal<Option<EntryFailure>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        failure.get().map(|f| match (f.msg(), f) {
            (_, EntryFailure::Storage(error)) => view! { <StorageErrorNotice error /> }.into_any(),
            (Some(msg), _) => {
                view! { <p class="notice warning" role="alert">{i18n.text(msg.clone())}</p> }
                    .into_any()
            }
            (None, _) => ().into_any(),
        })
    }
}
