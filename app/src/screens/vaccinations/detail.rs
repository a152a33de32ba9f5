use health_book::Vaccination;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_params_map};

use crate::components::{with_open_book, CorrectionRequests, EmptyState, OriginBadge};
use crate::i18n::status::dose_msg;
use crate::i18n::status::origin_msg;
use crate::i18n::{domain_names, format, use_i18n, Msg};
use crate::paths;
use crate::screens::entry::{EntryActions, EntryKind};
use crate::t;
use health_book::audit::RecordKindName;

/// One dose, every detail the record has.
#[component]
pub fn VaccinationDetail() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    // Back to the view of the list the record was chosen in.
    let search = use_location().search;
    view! {
        <p class="no-print"><A href=move || paths::vaccinations_in(&search.get())>{t!(i18n, Back)}</A></p>
        <h1 class="screen-title">{t!(i18n, VaccinationDetailTitle)}</h1>
        {move || {
            let id = params.read().get("id").unwrap_or_default();
            with_open_book(move |loaded| {
                match loaded.book.vaccinations.iter().find(|v| v.id.as_str() == id) {
                    Some(v) => view! {
                        <EntryActions
                            kind=EntryKind::Vaccination
                            id=v.id.clone()
                            origin=v.recorded_by.clone()
                            citizen_id=loaded.book.citizen_id().clone()
                        />
                        <VaccinationFacts vaccination=v.clone() />
                        <CorrectionRequests
                            citizen_id=loaded.book.citizen_id().clone()
                            record=RecordKindName::Vaccination
                            record_id=v.id.as_str().to_owned()
                        />
                    }
                    .into_any(),
                    None => view! {
                        <EmptyState
                            title=i18n.text(Msg::VaccinationNotFound)
                            body=i18n.text(Msg::BackToHome)
                        />
                    }
                        .into_any(),
                }
            })
        }}
    }
}

#[component]
fn VaccinationFacts(vaccination: Vaccination) -> impl IntoView {
    let i18n = use_i18n();
    let v = vaccination;
    let coding = v.vaccine.clone();
    let date = v.date;
    let dose = dose_msg(v.dose_number, v.series_doses);
    let diseases = v.target_diseases.clone();
    let origin = v.recorded_by.clone();
    let source = origin_msg(&origin);
    let fact = |label: Msg, value: String| {
        view! {
            <div>
                <dt>{i18n.text(label.clone())}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    view! {
        <section class="card" aria-labelledby="vaccine-name">
            <h2 id="vaccine-name">{move || domain_names::vaccine(i18n.locale(), &coding)}</h2>
            <OriginBadge origin=origin.clone() />
            <dl class="facts">
                <div>
                    <dt>{t!(i18n, DateLabel)}</dt>
                    <dd>{move || format::date(i18n.locale(), date)}</dd>
                </div>
                {dose.map(|m| view! {
                    <div>
                        <dt>{t!(i18n, DoseNumber { k: v.dose_number.unwrap_or(1) })}</dt>
                        <dd>{i18n.text(m.clone())}</dd>
                    </div>
                })}
                {(!diseases.is_empty()).then(|| view! {
                    <div>
                        <dt>{t!(i18n, DiseasesLabel)}</dt>
                        <dd>{move || {
                            diseases
                                .iter()
                                .map(|c| domain_names::disease_coding(i18n.locale(), c))
                                .collect::<Vec<_>>()
                                .join(", ")
                        }}</dd>
                    </div>
                })}
                {v.lot_number.clone().map(|x| fact(Msg::LotLabel, x))}
                {v.manufacturer.clone().map(|x| fact(Msg::ManufacturerLabel, x))}
                {v.facility.clone().map(|f| fact(
                    Msg::FacilityLabel,
                    match f.code { Some(code) => format!("{} ({code})", f.name), None => f.name },
                ))}
                {v.administered_by.clone().map(|x| fact(Msg::AdministeredByLabel, x))}
                <div>
                    <dt>{t!(i18n, RecordSourceLabel)}</dt>
                    <dd>{i18n.text(source.clone())}</dd>
                </div>
            </dl>
            {v.next_dose_due.map(|on| view! {
                <p class="notice">{i18n.text(Msg::NextDoseDue { on })}</p>
            })}
        </section>
    }
}
