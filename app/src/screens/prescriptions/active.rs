//! What to take today: every medicine still within its number of days, with how to take it,
//! how far into the course the person is, and the prescription it came from.

use std::sync::Arc;

use health_book::{medication, HealthBook, RecordId};
use leptos::prelude::*;
use time::Date;

use super::medicine::dosage_text;
use super::PrescriptionViews;
use crate::browser::clock;
use crate::components::{with_open_book, EmptyState};
use crate::i18n::{use_i18n, DosageText, Msg};
use crate::paths;
use crate::t;

#[component]
pub fn ActiveMedicines() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1 class="screen-title">{t!(i18n, ActiveMedicinesHeading)}</h1>
        <PrescriptionViews />
        {with_open_book(|loaded| view! { <MedicinesToday book=loaded.book /> })}
    }
}

/// One medicine to take today, as plain data for its row.
#[derive(Debug, Clone, PartialEq)]
struct MedicineToday {
    name: String,
    dosage: DosageText,
    day: u32,
    of_days: u32,
    last_day: Date,
    prescription: RecordId,
    prescribed_on: Date,
    facility: String,
}

#[component]
fn MedicinesToday(book: Arc<HealthBook>) -> impl IntoView {
    let i18n = use_i18n();
    let medicines: Vec<MedicineToday> = medication::active_medicines(&book, clock::today())
        .into_iter()
        .map(|active| MedicineToday {
            name: active.medicine.name.clone(),
            dosage: dosage_text(active.medicine),
            day: active.day,
            of_days: active.of_days,
            last_day: active.last_day,
            prescription: active.prescription.id.clone(),
            prescribed_on: active.prescription.issued_on(),
            facility: active.prescription.facility.name.clone(),
        })
        .collect();
    if medicines.is_empty() {
        return view! {
            <EmptyState
                title=i18n.text(Msg::NoActiveMedicines)
                body=i18n.text(Msg::ActiveMedicinesHint)
            />
        }
        .into_any();
    }
    let count = medicines.len();
    view! {
        <p class="rx-count" data-testid="active-count">{t!(i18n, ActiveMedicinesCount { count })}</p>
        <p class="hint">{t!(i18n, ActiveMedicinesHint)}</p>
        <ul class="rx-list" aria-label=i18n.text(Msg::ActiveMedicinesHeading)>
            {medicines.into_iter().map(|medicine| view! { <MedicineTodayRow medicine /> }).collect_view()}
        </ul>
    }
        .into_any()
}

#[component]
fn MedicineTodayRow(medicine: MedicineToday) -> impl IntoView {
    let i18n = use_i18n();
    let MedicineToday {
        name,
        dosage,
        day,
        of_days,
        last_day,
        prescription,
        prescribed_on,
        facility,
    } = medicine;
    let href = paths::prescription(&prescription, "?from=active");
    view! {
        <li class="card rx-item rx-active" data-testid="active-medicine">
            <h2 class="rx-medicine-name">{name}</h2>
            <p class="rx-dosage" data-testid="dosage">{t!(i18n, Dosage(Box::new(dosage.clone())))}</p>
            <p class="rx-tags">
                <span class="rx-badge rx-current">{t!(i18n, DayOf { day, of: of_days })}</span>
                <span>{t!(i18n, UntilDate { on: last_day })}</span>
            </p>
            <p class="rx-from">
                <a href=href>{t!(i18n, PrescriptionIssuedOn { on: prescribed_on })}</a>
                " · "
                {facility}
            </p>
        </li>
    }
}
