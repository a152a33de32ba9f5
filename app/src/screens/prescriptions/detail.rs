//! One prescription in full, as the doctor wrote it, ready to print.

use health_book::{HealthBook, Prescription};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use health_book::views::prescriptions::PrescriptionFilters;

use super::diagnoses::DiagnosisList;
use super::filters::FiltersInAddress;
use super::medicine::MedicineInFull;
use super::print::PrintedFor;
use crate::browser::clock;
use crate::components::{with_open_book, CorrectionRequests, EmptyState, PrintButton};
use crate::context::use_open_book;
use crate::i18n::status::{kind_msg, origin_msg};
use crate::i18n::{format, use_i18n, Msg};
use crate::paths;
use crate::screens::entry::{EntryActions, EntryKind};
use crate::t;
use health_book::audit::RecordKindName;

/// `?from=active`: the person came from the active medicines, so Back returns there.
const FROM_ACTIVE: &str = "active";

fn find<'a>(book: &'a HealthBook, id: &str) -> Option<&'a Prescription> {
    book.prescriptions.iter().find(|p| p.id.as_str() == id)
}

#[component]
pub fn PrescriptionDetail() -> impl IntoView {
    let i18n = use_i18n();
    let open = use_open_book();
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let back = Memo::new(move |_| {
        let query = query.read();
        if query.get_str("from") == Some(FROM_ACTIVE) {
            paths::ACTIVE_MEDICINES.to_owned()
        } else {
            format!(
                "{}{}",
                paths::PRESCRIPTIONS,
                PrescriptionFilters::from_query(&query).to_query_string()
            )
        }
    });
    // The screen title names the prescription once the book is loaded, and the screen otherwise.
    let issued_on = Memo::new(move |_| {
        open.book()
            .map(|loaded| {
                let book = loaded.as_ref().ok()?.as_ref()?;
                id.with(|id| find(&book.book, id).map(Prescription::issued_on))
            })
            .flatten()
    });
    view! {
        <p class="rx-back no-print">
            <A href=move || back.get()>
                <span aria-hidden="true">"←"</span>
                {t!(i18n, Back)}
            </A>
        </p>
        <h1 class="screen-title">
            {move || match issued_on.get() {
                Some(on) => i18n.t(Msg::PrescriptionIssuedOn { on }),
                None => i18n.t(Msg::NavPrescriptions),
            }}
        </h1>
        {with_open_book(move |loaded| {
            let book = loaded.book;
            move || match id.with(|id| find(&book, id).cloned()) {
                Some(prescription) => view! {
                    <EntryActions
                        kind=EntryKind::Prescription
                        id=prescription.id.clone()
                        origin=prescription.recorded_by.clone()
                        citizen_id=book.citizen_id().clone()
                    />
                    <PrescriptionInFull prescription=prescription.clone() profile=book.profile.clone() />
                    <CorrectionRequests
                        citizen_id=book.citizen_id().clone()
                        record=RecordKindName::Prescription
                        record_id=prescription.id.as_str().to_owned()
                    />
                }
                    .into_any(),
                None => view! {
                    <EmptyState
                        title=i18n.text(Msg::PrescriptionNotFound)
                        body=i18n.text(Msg::PrescriptionNotFoundHint)
                    >
                        <A href=paths::PRESCRIPTIONS attr:class="button">{t!(i18n, PrescriptionsAll)}</A>
                    </EmptyState>
                }
                    .into_any(),
            }
        })}
    }
}

/// "Name (code)", or just the name when there is no code.
fn with_code(name: &str, code: Option<&str>) -> String {
    match code.filter(|c| !c.trim().is_empty()) {
        Some(code) => format!("{name} ({code})"),
        None => name.to_owned(),
    }
}

#[component]
fn PrescriptionInFull(prescription: Prescription, profile: health_book::Profile) -> impl IntoView {
    let i18n = use_i18n();
    let current = prescription.is_current(clock::today());
    let issued_at = prescription.issued_at;
    let kind = kind_msg(prescription.kind);
    let source = origin_msg(&prescription.recorded_by);
    let unverified = !prescription.recorded_by.is_verified();
    let why = Msg::UnverifiedWhy(prescription.recorded_by.clone());
    let facility = with_code(
        &prescription.facility.name,
        prescription.facility.code.as_deref(),
    );
    let prescriber = with_code(
        &prescription.prescriber.name,
        prescription.prescriber.practitioner_code.as_deref(),
    );
    let re_examination_on = prescription.re_examination_on;
    let advice = prescription.advice.clone().filter(|a| !a.trim().is_empty());
    let diagnoses = prescription.diagnoses.clone();
    let medicines = prescription.medicines.clone();

    view! {
        <article class="rx-detail" data-testid="prescription">
            <PrintedFor profile />
            <div class="rx-actions no-print">
                <PrintButton />
            </div>
            {unverified.then(|| view! {
                <p class="notice warning" role="note">
                    <strong>{t!(i18n, Unverified)}</strong>
                    ": "
                    {i18n.text(why.clone())}
                </p>
            })}
            <section class="card">
                <dl class="rx-facts">
                    <div>
                        <dt>{t!(i18n, PrescriptionCodeLabel)}</dt>
                        <dd class="digits">{prescription.code.clone()}</dd>
                    </div>
                    <div>
                        <dt>{t!(i18n, PrescriptionKindLabel)}</dt>
                        <dd>{i18n.text(kind.clone())}</dd>
                    </div>
                    <div>
                        <dt>{t!(i18n, IssuedAtLabel)}</dt>
                        <dd>{move || format::date_time(i18n.locale(), issued_at)}</dd>
                    </div>
                    <div>
                        <dt>{t!(i18n, FacilityLabel)}</dt>
                        <dd>{facility}</dd>
                    </div>
                    <div>
                        <dt>{t!(i18n, PrescriberLabel)}</dt>
                        <dd>{prescriber}</dd>
                    </div>
                    <div>
                        <dt>{t!(i18n, PrescriptionStatusLabel)}</dt>
                        <dd>
                            {i18n.text(if current { Msg::PrescriptionCurrent } else { Msg::PrescriptionEnded })}
                        </dd>
                    </div>
                    <div>
                        <dt>{t!(i18n, RecordSourceLabel)}</dt>
                        <dd>{i18n.text(source.clone())}</dd>
                    </div>
                </dl>
            </section>
            <section class="card" aria-labelledby="rx-diagnoses-heading">
                <h2 id="rx-diagnoses-heading">{t!(i18n, DiagnosesLabel)}</h2>
                {if diagnoses.is_empty() {
                    view! { <p class="rx-muted">{t!(i18n, NoneRecorded)}</p> }.into_any()
                } else {
                    view! { <DiagnosisList diagnoses /> }.into_any()
                }}
            </section>
            <section class="card" aria-labelledby="rx-medicines-heading">
                <h2 id="rx-medicines-heading">
                    {t!(i18n, MedicinesLabel)}
                    " ("
                    {t!(i18n, MedicineCount { count: medicines.len() })}
                    ")"
                </h2>
                <ol class="rx-medicines">
                    {prescription
                        .medicines
                        .into_iter()
                        .map(|medicine| view! { <MedicineInFull medicine /> })
                        .collect_view()}
                </ol>
            </section>
            {advice.map(|advice| view! {
                <section class="card" aria-labelledby="rx-advice-heading">
                    <h2 id="rx-advice-heading">{t!(i18n, AdviceLabel)}</h2>
                    <p>{advice}</p>
                </section>
            })}
            {re_examination_on.map(|on| view! {
                <p class="notice rx-re-examination">{t!(i18n, ReExaminationOn { on })}</p>
            })}
        </article>
    }
}
