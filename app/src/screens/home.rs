use health_book::insurance::InsuranceStatus;
use health_book::validate::citizen_id_agreement;
use health_book::views::home::{HomeView, NextDoseOf, NextVaccination};
use health_book::views::id_cards::IdCardsView;
use health_book::{HealthBook, Sex};
use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::browser::clock;
use crate::components::with_open_book;
use crate::i18n::status::{
    blood_group_label, card_warning_msg, dose_status_msg, insurance_status_msg,
};
use crate::i18n::{domain_names, format, use_i18n, Locale, Msg};
use crate::paths;
use crate::t;

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1 class="screen-title">{t!(i18n, NavHome)}</h1>
        <p class="no-print"><A href=paths::BOOKS_SCAN attr:class="button secondary">{t!(i18n, ScanCardAction)}</A></p>
        // One column on a phone; on a tablet the cards flow into columns (style/main.css).
        {with_open_book(|loaded| view! {
            <div class="home-dashboard">
                <PersonCard book=loaded.book.clone() last_saved=loaded.last_updated />
                <crate::screens::ComingUpSection book=loaded.book.clone() />
                <crate::components::SyncPanel book=loaded.book.clone() />
                <crate::components::BookVisits book=loaded.book />
            </div>
        })}
    }
}

/// The person's card: who they are, their insurance, what to watch out for, and shortcuts.
#[component]
fn PersonCard(book: Arc<HealthBook>, last_saved: time::OffsetDateTime) -> impl IntoView {
    let i18n = use_i18n();
    let today = clock::today();
    let profile = book.profile.clone();
    let age = profile.age_on(today);
    let id_revealed = RwSignal::new(false);
    let id_full = profile.citizen_id.to_string();
    let id_masked = profile.citizen_id.masked();
    let id_mismatch =
        !citizen_id_agreement(&profile.citizen_id, profile.date_of_birth, profile.sex).is_empty();
    let IdCardsView {
        province_at_registration,
        warnings: card_warnings,
    } = IdCardsView::new(&profile);
    let HomeView {
        data_as_of,
        next_vaccination,
        active_medicines: active,
    } = HomeView::new(&book, last_saved, today);
    let sex = profile.sex;
    let dob = profile.date_of_birth;
    let allergies = profile.allergies.clone();
    let conditions = profile.chronic_conditions.clone();
    let insurance = profile.health_insurance.clone();
    let blood_group = profile.blood_group;
    let contact = profile.emergency_contact.clone();

    view! {
        <section class="card person-card" aria-labelledby="person-name">
            <h2 id="person-name" class="person-name">{profile.full_name.clone()}</h2>
            <dl class="facts">
                <BirthAndSex dob sex age />
                <div>
                    <dt>{t!(i18n, CitizenIdLabel)}</dt>
                    <dd class="citizen-id">
                        <span data-testid="citizen-id" class="digits">
                            {move || if id_revealed.get() { id_full.clone() } else { id_masked.clone() }}
                        </span>
                        <button
                            type="button"
                            class="secondary small"
                            aria-pressed=move || id_revealed.get().to_string()
                            on:click=move |_| id_revealed.update(|r| *r = !*r)
                        >
                            {move || i18n.t(if id_revealed.get() { Msg::HideNumber } else { Msg::ShowNumber })}
                        </button>
                    </dd>
                </div>
                {province_at_registration.map(|p| view! {
                    <div>
                        <dt>{t!(i18n, ProvinceAtRegistrationLabel)}</dt>
                        <dd data-testid="province-at-registration">
                            {move || domain_names::province(i18n.locale(), p.0)}
                            <span class="muted small">" "{t!(i18n, ProvinceAtRegistrationHint)}</span>
                        </dd>
                    </div>
                })}
                {blood_group.map(|g| view! {
                    <div>
                        <dt>{t!(i18n, BloodGroupLabel)}</dt>
                        <dd>{blood_group_label(g)}</dd>
                    </div>
                })}
            </dl>
            <Show when=move || id_mismatch>
                <p class="notice warning" role="status">{t!(i18n, CitizenIdDisagrees)}</p>
            </Show>
            {card_warnings
                .iter()
                .map(|w| {
                    let msg = card_warning_msg(w);
                    view! {
                        <p class="notice warning" role="status" data-testid="card-warning">
                            {i18n.text(msg.clone())}
                        </p>
                    }
                })
                .collect_view()}
            <p class="stamp" data-testid="data-as-of">
                {i18n.text(Msg::DataAsOf { on: data_as_of })}
            </p>
        </section>

        <section class="card alerts" aria-labelledby="alerts-heading">
            <h2 id="alerts-heading" class="visually-hidden">{t!(i18n, Allergies)}</h2>
            <div class="alert-block" data-testid="allergies">
                <h3>{t!(i18n, Allergies)}</h3>
                <TagList items=allergies />
            </div>
            <div class="alert-block" data-testid="chronic-conditions">
                <h3>{t!(i18n, ChronicConditions)}</h3>
                <TagList items=conditions />
            </div>
        </section>

        <InsuranceCardView insurance today />

        <nav class="shortcuts" aria-label=i18n.text(Msg::SeeAll)>
            <A href=paths::CHECK_IN attr:class="button shortcut-qr">{t!(i18n, OpenCheckInQr)}</A>
            <A href=paths::VACCINATIONS attr:class="shortcut card">
                <h2>{t!(i18n, NextVaccinationHeading)}</h2>
                <p data-testid="next-vaccination">
                    {move || match &next_vaccination {
                        Some(NextVaccination { of, status }) => {
                            format!("{}: {}", next_dose_name(of, i18n.locale()), i18n.t(dose_status_msg(*status, today)))
                        }
                        None => i18n.t(Msg::NoUpcomingVaccination),
                    }}
                </p>
            </A>
            <A href=paths::ACTIVE_MEDICINES attr:class="shortcut card">
                <h2>{t!(i18n, ActiveMedicinesHeading)}</h2>
                <p data-testid="active-medicines">
                    {move || if active == 0 {
                        i18n.t(Msg::NoActiveMedicines)
                    } else {
                        i18n.t(Msg::ActiveMedicinesCount { count: active })
                    }}
                </p>
            </A>
        </nav>

        {contact.map(|c| view! {
            <section class="card" aria-labelledby="contact-heading">
                <h2 id="contact-heading">{t!(i18n, EmergencyContactLabel)}</h2>
                <p>
                    {c.name.clone()}
                    {c.relationship.clone().map(|r| format!(" ({r})"))}
                    " · "
                    <a href=format!("tel:{}", c.phone)>{c.phone.clone()}</a>
                </p>
            </section>
        })}
    }
}

/// Date of birth with the age today, and sex: the first facts of a person card (Home, and a
/// book beside the book list).
#[component]
pub(super) fn BirthAndSex(
    dob: time::Date,
    sex: Sex,
    age: Option<health_book::calendar::Age>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div>
            <dt>{t!(i18n, DateOfBirth)}</dt>
            <dd data-testid="date-of-birth">
                {move || format::date(i18n.locale(), dob)}
                {age.map(|age| {
                    view! {
                        " ("
                        {move || {
                            if age.years == 0 {
                                i18n.t(Msg::AgeMonths { months: age.months })
                            } else {
                                i18n.t(Msg::AgeYears { years: age.years })
                            }
                        }}
                        ")"
                    }
                })}
            </dd>
        </div>
        <div>
            <dt>{t!(i18n, Sex)}</dt>
            <dd>{i18n.text(if sex == Sex::Male { Msg::Male } else { Msg::Female })}</dd>
        </div>
    }
}

/// The name of what the next dose is of, in the reader's language.
pub(super) fn next_dose_name(of: &NextDoseOf, locale: Locale) -> String {
    match of {
        NextDoseOf::Series(s) => domain_names::series(locale, *s).to_owned(),
        NextDoseOf::Vaccine(coding) => domain_names::vaccine(locale, coding),
    }
}

#[component]
pub(super) fn TagList(items: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    if items.is_empty() {
        view! { <p class="muted">{t!(i18n, NoneRecorded)}</p> }.into_any()
    } else {
        view! {
            <ul class="tags">
                {items.into_iter().map(|item| view! { <li class="tag">{item}</li> }).collect_view()}
            </ul>
        }
        .into_any()
    }
}

#[component]
fn InsuranceCardView(
    insurance: Option<health_book::HealthInsuranceCard>,
    today: time::Date,
) -> impl IntoView {
    let i18n = use_i18n();
    let Some(card) = insurance else {
        return view! {
            <section class="card" aria-labelledby="insurance-heading">
                <h2 id="insurance-heading">{t!(i18n, InsuranceCardLabel)}</h2>
                <p class="muted">{t!(i18n, InsuranceNone)}</p>
            </section>
        }
        .into_any();
    };
    let status = card.status(today);
    let class = match status {
        InsuranceStatus::Valid { .. } => "ok",
        InsuranceStatus::ExpiresSoon { .. } | InsuranceStatus::NotYetValid { .. } => "warning",
        InsuranceStatus::Expired { .. } => "error",
    };
    let msg = insurance_status_msg(status);
    let parsed = health_book::ids::InsuranceCode::parse(&card.code).ok();
    let printed = parsed
        .as_ref()
        .map(|c| c.printed())
        .unwrap_or_else(|| card.code.clone());
    let level = parsed
        .as_ref()
        .and_then(|c| c.benefit_level())
        .map(|l| l.info().digit);
    let facility = card.registered_facility.clone();
    view! {
        <section class="card" aria-labelledby="insurance-heading">
            <h2 id="insurance-heading">{t!(i18n, InsuranceCardLabel)}</h2>
            <p class="digits insurance-code" data-testid="insurance-code">{printed}</p>
            <p class=format!("notice {class}") data-testid="insurance-status">
                {i18n.text(msg.clone())}
            </p>
            {level.map(|level| view! { <p>{i18n.text(Msg::InsuranceBenefit { level })}</p> })}
            {facility.map(|f| view! {
                <p>
                    <span class="label">{t!(i18n, RegisteredFacility)}</span>
                    ": "
                    {f.name.clone()}
                    {f.code.clone().map(|c| format!(" ({c})"))}
                </p>
            })}
        </section>
    }
    .into_any()
}
