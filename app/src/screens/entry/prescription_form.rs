use std::sync::Arc;

use health_book::entry::{DiagnosisForm, Entry, MedicineForm, PrescriptionForm};
use health_book::{HealthBook, MealRelation, Prescription, TimeOfDay};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::author::{author_line, current_author};
use super::field::{fresh_record_id, record_to_correct, shown_problems, text_input};
use super::save::{spawn_save, EntryFailure};
use super::vaccination_form::EntryFailureNotice;
use crate::browser::clock;
use crate::components::{with_open_book, FieldErrors};
use crate::context::{use_book_store, use_open_book, use_vault};
use crate::i18n::{use_i18n, Msg};
use crate::paths;
use crate::t;

const TIMES_OF_DAY: [TimeOfDay; 5] = [
    TimeOfDay::Morning,
    TimeOfDay::Noon,
    TimeOfDay::Afternoon,
    TimeOfDay::Evening,
    TimeOfDay::Bedtime,
];
const MEALS: [(MealRelation, &str); 3] = [
    (MealRelation::BeforeMeals, "before"),
    (MealRelation::AfterMeals, "after"),
    (MealRelation::WithMeals, "with"),
];

/// Add a prescription to the open book, or correct one typed in on this device (`:id`).
#[component]
pub fn PrescriptionEntry() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    view! {
        <p class="no-print"><A href=paths::PRESCRIPTIONS>{t!(i18n, Back)}</A></p>
        {move || {
            let id = params.read().get("id");
            with_open_book(move |loaded| {
                let book = loaded.book.clone();
                match record_to_correct(&book.prescriptions, id.as_deref(), |r| (&r.id, &r.recorded_by)) {
                    Ok(editing) => {
                        let editing = editing.cloned();
                        view! { <PrescriptionFormView book editing /> }.into_any()
                    }
                    Err(msg) => view! { <p class="notice warning" role="alert">{i18n.text(msg.clone())}</p> }.into_any(),
                }
            })
        }}
    }
}

/// Rows the form can add and remove: each with a key that stays while others go.
type Rows<T> = RwSignal<Vec<(u32, RwSignal<T>)>>;

fn rows_of<T: Send + Sync + 'static>(items: Vec<T>) -> (Rows<T>, RwSignal<u32>) {
    let n = items.len() as u32;
    let rows = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| (i as u32, RwSignal::new(item)))
        .collect();
    (RwSignal::new(rows), RwSignal::new(n))
}

fn add_row<T: Default + Send + Sync + 'static>(rows: Rows<T>, next: RwSignal<u32>) {
    let key = next.get_untracked();
    next.set(key + 1);
    rows.update(|r| r.push((key, RwSignal::new(T::default()))));
}

fn row_index<T: Send + Sync + 'static>(rows: Rows<T>, key: u32) -> usize {
    rows.with(|r| r.iter().position(|(k, _)| *k == key).unwrap_or(0))
}

#[component]
fn PrescriptionFormView(book: Arc<HealthBook>, editing: Option<Prescription>) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_book_store();
    let open = use_open_book();
    let author = current_author(&use_vault());
    let id = editing
        .as_ref()
        .map(|p| p.id.clone())
        .unwrap_or_else(fresh_record_id);
    let title = if editing.is_some() {
        Msg::EntryEditPrescription
    } else {
        Msg::EntryAddPrescription
    };
    let mut start = editing
        .as_ref()
        .map(PrescriptionForm::of)
        .unwrap_or_default();
    if start.diagnoses.is_empty() {
        start.diagnoses.push(DiagnosisForm::default());
    }
    if start.medicines.is_empty() {
        start.medicines.push(MedicineForm::default());
    }
    let (diagnoses, next_diagnosis) = rows_of(std::mem::take(&mut start.diagnoses));
    let (medicines, next_medicine) = rows_of(std::mem::take(&mut start.medicines));
    // The fields outside the rows; its row lists stay empty.
    let head = RwSignal::new(start);
    let form = move || {
        let mut f = head.get();
        f.diagnoses = diagnoses.with(|r| r.iter().map(|(_, d)| d.get()).collect());
        f.medicines = medicines.with(|r| r.iter().map(|(_, m)| m.get()).collect());
        f
    };
    let tried = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let failure = RwSignal::new(None::<EntryFailure>);
    let opened_at = clock::now();
    let problems = {
        let (book, id, author) = (book.clone(), id.clone(), author.clone());
        Memo::new(move |_| {
            form()
                .to_record(id.clone(), author.origin(opened_at), &book, clock::today())
                .err()
                .unwrap_or_default()
        })
    };
    let who = author_line(&author);

    let save = {
        let book = book.clone();
        move |ev: web_sys::SubmitEvent| {
            ev.prevent_default();
            tried.set(true);
            let record = form().to_record(
                id.clone(),
                author.origin(clock::now()),
                &book,
                clock::today(),
            );
            let Ok(record) = record else {
                return;
            };
            let then = paths::prescription(&record.id, "");
            spawn_save(
                store,
                open,
                book.citizen_id().clone(),
                Entry::Prescription(record),
                saving,
                failure,
                then,
            );
        }
    };

    let head_field = move |path: &'static str,
                           label: Msg,
                           kind: &'static str,
                           get: fn(&PrescriptionForm) -> String,
                           set: fn(&mut PrescriptionForm, String)| {
        text_input(
            head,
            path,
            label,
            kind,
            shown_problems(tried, problems, move || path.to_owned()),
            get,
            set,
        )
    };

    view! {
        <h1 class="screen-title">{i18n.text(title.clone())}</h1>
        <form class="card card-form" data-testid="prescription-form" on:submit=save novalidate>
            <p class="hint" data-testid="entry-author">{i18n.text(who.clone())}</p>
            {head_field("issued_at", Msg::EntryIssuedOn, "date", |f| f.issued_on.clone(), |f, v| f.issued_on = v)}
            {head_field("facility", Msg::EntryFacilityName, "text", |f| f.facility_name.clone(), |f, v| f.facility_name = v)}
            {head_field("facility_code", Msg::EntryFacilityCode, "text", |f| f.facility_code.clone(), |f, v| f.facility_code = v)}
            {head_field("prescriber", Msg::EntryPrescriber, "text", |f| f.prescriber.clone(), |f, v| f.prescriber = v)}
            {head_field("code", Msg::EntryPrescriptionCode, "text", |f| f.code.clone(), |f, v| f.code = v)}

            <fieldset class="entry-rows" data-testid="entry-diagnoses">
                <legend>{t!(i18n, EntryDiagnoses)}</legend>
                <For each=move || diagnoses.get() key=|(k, _)| *k let:row>
                    {
                        let (key, d) = row;
                        let at = move |field: &'static str| {
                            shown_problems(tried, problems, move || format!("diagnoses[{}].{field}", row_index(diagnoses, key)))
                        };
                        let (code_errors, text_errors) = (at("icd10"), at("text"));
                        view! {
                            <div class="entry-row" data-testid="diagnosis-row">
                                {text_input(d, "icd10", Msg::EntryIcd10, "text", code_errors, |d| d.icd10.clone(), |d, v| d.icd10 = v)}
                                {text_input(d, "diagnosis", Msg::EntryDiagnosisText, "text", text_errors, |d| d.text.clone(), |d, v| d.text = v)}
                                <button type="button" class="secondary"
                                    on:click=move |_| diagnoses.update(|r| r.retain(|(k, _)| *k != key))>
                                    {t!(i18n, EntryRemoveRow)}
                                </button>
                            </div>
                        }
                    }
                </For>
                <button type="button" class="secondary" on:click=move |_| add_row(diagnoses, next_diagnosis)>
                    {t!(i18n, EntryAddDiagnosis)}
                </button>
            </fieldset>

            <fieldset class="entry-rows" data-testid="entry-medicines">
                <legend>{t!(i18n, EntryMedicines)}</legend>
                <FieldErrors errors=shown_problems(tried, problems, || "medicines".to_owned()) />
                <For each=move || medicines.get() key=|(k, _)| *k let:row>
                    {
                        let (key, m) = row;
                        let errors_at = Callback::new(move |field: &'static str| {
                            shown_problems(tried, problems, move || format!("medicines[{}].{field}", row_index(medicines, key)))
                        });
                        view! { <MedicineRow medicine=m errors_at on_remove=Callback::new(move |_| medicines.update(|r| r.retain(|(k, _)| *k != key))) /> }
                    }
                </For>
                <button type="button" class="secondary" on:click=move |_| add_row(medicines, next_medicine)>
                    {t!(i18n, EntryAddMedicine)}
                </button>
            </fieldset>

            {head_field("advice", Msg::EntryAdvice, "text", |f| f.advice.clone(), |f, v| f.advice = v)}
            {head_field("re_examination_on", Msg::EntryReExamination, "date", |f| f.re_examination_on.clone(), |f, v| f.re_examination_on = v)}
            <EntryFailureNotice failure />
            <button type="submit" disabled=move || saving.get()>{t!(i18n, EntrySave)}</button>
        </form>
    }
}

/// One medicine with its structured dosage.
#[component]
fn MedicineRow(
    medicine: RwSignal<MedicineForm>,
    errors_at: Callback<&'static str, Signal<Vec<Msg>>>,
    on_remove: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let m = medicine;
    let field = move |path: &'static str,
                      label: Msg,
                      get: fn(&MedicineForm) -> String,
                      set: fn(&mut MedicineForm, String)| {
        text_input(m, path, label, "text", errors_at.run(path), get, set)
    };
    view! {
        <div class="entry-row" data-testid="medicine-row">
            {field("name", Msg::EntryMedicineName, |m| m.name.clone(), |m, v| m.name = v)}
            {field("amount", Msg::EntryAmount, |m| m.amount.clone(), |m, v| m.amount = v)}
            {field("unit", Msg::EntryUnit, |m| m.unit.clone(), |m, v| m.unit = v)}
            {field("dosage.times_per_day", Msg::EntryTimesPerDay, |m| m.times_per_day.clone(), |m, v| m.times_per_day = v)}
            <fieldset class="choices">
                <legend>{t!(i18n, EntryTimesOfDay)}</legend>
                {TIMES_OF_DAY
                    .into_iter()
                    .map(|t| view! {
                        <label class="choice">
                            <input type="checkbox"
                                prop:checked=move || m.with(|m| m.times_of_day.contains(&t))
                                on:change:target=move |ev| {
                                    let on = ev.target().checked();
                                    m.update(|m| {
                                        m.times_of_day.retain(|x| *x != t);
                                        if on {
                                            m.times_of_day.push(t);
                                            m.times_of_day.sort_by_key(|x| TIMES_OF_DAY.iter().position(|y| y == x));
                                        }
                                    });
                                } />
                            {i18n.text(Msg::TimeOfDayName(t))}
                        </label>
                    })
                    .collect_view()}
            </fieldset>
            <label class="field">
                <span class="label">{t!(i18n, EntryMeals)}</span>
                <select name="meals"
                    prop:value=move || m.with(|m| MEALS.iter().find(|(r, _)| Some(*r) == m.meals).map_or("", |(_, v)| *v))
                    on:change:target=move |ev| {
                        let value = ev.target().value();
                        m.update(|m| m.meals = MEALS.iter().find(|(_, v)| *v == value).map(|(r, _)| *r));
                    }>
                    <option value="">{t!(i18n, EntryMealsUnsaid)}</option>
                    {MEALS
                        .into_iter()
                        .map(|(r, v)| view! { <option value=v>{i18n.text(Msg::MealName(r))}</option> })
                        .collect_view()}
                </select>
            </label>
            {field("duration_days", Msg::EntryDays, |m| m.days.clone(), |m, v| m.days = v)}
            <button type="button" class="secondary" on:click=move |_| on_remove.run(())>
                {t!(i18n, EntryRemoveRow)}
            </button>
        </div>
    }
}
