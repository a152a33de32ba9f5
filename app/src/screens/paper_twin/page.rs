use std::sync::Arc;

use health_book::checkin::{CheckInCode, CheckInVariant, ErrorCorrection};
use health_book::views::coming_up::ComingUpItem;
use health_book::views::paper_summary::PaperSummary;
use health_book::{HealthBook, Sex};
use leptos::prelude::*;

use super::both::Both;
use crate::browser::clock;
use crate::components::QrCode;
use crate::i18n::{domain_names, format, translate, Locale, Msg};
use crate::screens::prescriptions::dosage_text;

/// The printed page itself (CSS `@page paper-twin`: A5, large print).
#[component]
pub fn PaperPage(book: Arc<HealthBook>) -> impl IntoView {
    let today = clock::today();
    let profile = book.profile.clone();
    let summary = PaperSummary::new(&book, today);
    let vi_date = |d| format::date(Locale::Vi, d);
    let code = CheckInCode::build(&profile, CheckInVariant::Full, ErrorCorrection::Medium).ok();
    let sex = if profile.sex == Sex::Male {
        Msg::Male
    } else {
        Msg::Female
    };
    let none = || view! { <p><Both msg=Msg::NoneRecorded /></p> };
    let tags = |items: Vec<String>| {
        if items.is_empty() {
            none().into_any()
        } else {
            view! { <p class="paper-tags">{items.join(" · ")}</p> }.into_any()
        }
    };
    let insurance = profile.health_insurance.clone();
    let more = summary.more_medicines;
    view! {
        <article class="paper-twin" data-testid="paper-twin">
            <header class="paper-head">
                <div>
                    <h2 class="paper-title"><Both msg=Msg::PaperTwinTitle /></h2>
                    <p class="paper-name" data-testid="paper-name">{profile.full_name.clone()}</p>
                    <dl class="paper-facts">
                        <dt><Both msg=Msg::DateOfBirth /></dt>
                        <dd>{vi_date(profile.date_of_birth)}</dd>
                        <dt><Both msg=Msg::Sex /></dt>
                        <dd><Both msg=sex /></dd>
                        <dt><Both msg=Msg::CitizenIdLabel /></dt>
                        <dd class="digits">{profile.citizen_id.grouped()}</dd>
                        {insurance.map(|card| view! {
                            <dt><Both msg=Msg::InsuranceCardLabel /></dt>
                            <dd class="digits">
                                {card.code.clone()}
                                {card.valid_to.map(|to| format!(" ({})", translate(Locale::Vi, &Msg::UntilDate { on: to })))}
                            </dd>
                        })}
                    </dl>
                </div>
                {code.map(|code| view! {
                    <div class="paper-qr">
                        <QrCode
                            matrix=code.qr
                            label=Signal::derive(|| translate(Locale::Vi, &Msg::CheckInIdFallback).into_owned())
                            test_id="paper-qr"
                        />
                    </div>
                })}
            </header>
            <section>
                <h3><Both msg=Msg::Allergies /></h3>
                {tags(profile.allergies.clone())}
                <h3><Both msg=Msg::ChronicConditions /></h3>
                {tags(profile.chronic_conditions.clone())}
            </section>
            <section>
                <h3><Both msg=Msg::ActiveMedicinesHeading /></h3>
                {if summary.medicines.is_empty() {
                    none().into_any()
                } else {
                    view! {
                        <ul class="paper-list">
                            {summary.medicines.iter().map(|(m, last)| {
                                let dosage = Msg::Dosage(Box::new(dosage_text(m)));
                                view! {
                                    <li>
                                        <strong>{m.name.clone()}</strong>
                                        " — "{translate(Locale::Vi, &dosage).into_owned()}
                                        " ("{translate(Locale::Vi, &Msg::UntilDate { on: *last }).into_owned()}")"
                                        <br />
                                        <span class="paper-en" lang="en">{translate(Locale::En, &dosage).into_owned()}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        {(more > 0).then(|| view! { <p><Both msg=Msg::MoreInBook { count: more } /></p> })}
                    }
                    .into_any()
                }}
            </section>
            <section>
                <h3><Both msg=Msg::LastVaccinationsHeading /></h3>
                {if summary.vaccinations.is_empty() {
                    none().into_any()
                } else {
                    view! {
                        <ul class="paper-list">
                            {summary.vaccinations.iter().map(|v| view! {
                                <li>
                                    {vi_date(v.date)}": "<strong>{domain_names::vaccine(Locale::Vi, &v.vaccine)}</strong>
                                    {v.dose_number.map(|n| format!(" · {}", translate(Locale::Vi, &Msg::PaperDose { number: n })))}
                                </li>
                            }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }}
            </section>
            <section>
                <h3><Both msg=Msg::NextVisitsHeading /></h3>
                {if summary.next_visits.is_empty() {
                    none().into_any()
                } else {
                    view! {
                        <ul class="paper-list">
                            {summary.next_visits.into_iter().map(|item| view! { <li>{visit_line(item)}</li> }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }}
            </section>
            <footer class="paper-foot">
                <Both msg=Msg::PrintedOn { on: today } />
            </footer>
        </article>
    }
}

fn visit_line(item: ComingUpItem) -> impl IntoView {
    let date = format::date(Locale::Vi, item.date());
    let msg = match item {
        ComingUpItem::ReExamination(r) => match r.facility {
            Some(f) => Msg::ReExaminationAt { facility: f.name },
            None => Msg::ReExaminationTitle,
        },
        ComingUpItem::Referral(s) => Msg::ReferralTitle {
            from: s.referral.from.name,
            to: s.referral.to.name,
        },
    };
    view! { <strong>{date}</strong>": "<Both msg /> }
}
