//! One book of the device beside the book list (`/books/<address key>`): who it is, what the
//! desk must see before anything else (allergies, chronic conditions, insurance), what the book
//! holds, and the two actions the desk takes next. The address names the book by its opaque
//! key, never by the citizen ID, so a shared tablet's history holds no one's number.

use health_book::views::home::HomeView;
use health_book::views::id_cards::IdCardsView;
use health_book::AddressKey;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::books::{action_label, open_then};
use super::home::{next_dose_name, BirthAndSex, TagList};
use crate::browser::clock;
use crate::components::{EmptyState, StorageErrorNotice};
use crate::context::{use_book_store, use_open_book};
use crate::i18n::status::{dose_status_msg, insurance_status_msg};
use crate::i18n::{domain_names, use_i18n, Msg};
use crate::paths;
use crate::storage::{LoadedBook, StorageError};
use crate::t;

#[component]
pub fn BookDetail() -> impl IntoView {
    let i18n = use_i18n();
    let open = use_open_book();
    let store = use_book_store();
    let params = use_params_map();
    let key = Memo::new(move |_| {
        params
            .read()
            .get("key")
            .and_then(|k| AddressKey::parse(&k).ok())
    });
    // The book the address names, read from storage on its own: looking at a book here does not
    // open it (the banner keeps naming whose book is open until "Open book" is chosen).
    let loaded = LocalResource::new(move || {
        let key = key.get();
        open.revision();
        async move {
            let Some(key) = key else {
                return Ok(None);
            };
            let books = open.books().await?;
            let Some(summary) = books.iter().find(|b| b.address_key.as_ref() == Some(&key)) else {
                return Ok(None);
            };
            store.store().await?.load_book(&summary.citizen_id).await
        }
    });
    view! {
        <p class="no-print"><A href=paths::BOOKS>{t!(i18n, Back)}</A></p>
        <Transition fallback=move || view! { <p role="status" class="loading">{t!(i18n, Loading)}</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Err(error) => view! {
                        <h1 class="screen-title">{t!(i18n, BooksTitle)}</h1>
                        <StorageErrorNotice error />
                    }
                        .into_any(),
                    Ok(None) => view! {
                        <h1 class="screen-title">{t!(i18n, BooksTitle)}</h1>
                        <EmptyState
                            title=i18n.text(Msg::BookNotOnDevice)
                            body=i18n.text(Msg::BookNotOnDeviceHint)
                        />
                    }
                        .into_any(),
                    Ok(Some(book)) => view! { <BookInFull loaded=book /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn BookInFull(loaded: LoadedBook) -> impl IntoView {
    let i18n = use_i18n();
    let open = use_open_book();
    let navigate = use_navigate();
    let today = clock::today();
    let action_error = RwSignal::new(None::<StorageError>);
    let LoadedBook {
        book, last_updated, ..
    } = loaded;
    let profile = book.profile.clone();
    let name = profile.full_name.clone();
    let dob = profile.date_of_birth;
    let age = profile.age_on(today);
    let sex = profile.sex;
    let IdCardsView {
        province_at_registration,
        ..
    } = IdCardsView::new(&profile);
    let HomeView {
        data_as_of,
        next_vaccination,
        active_medicines,
    } = HomeView::new(&book, last_updated, today);
    let insurance = profile
        .health_insurance
        .as_ref()
        .map(|card| insurance_status_msg(card.status(today)));
    let (vaccinations, prescriptions) = (book.vaccinations.len(), book.prescriptions.len());
    let id = profile.citizen_id.clone();
    let is_open = {
        let id = id.clone();
        move || open.id().as_ref() == Some(&id)
    };
    let act = {
        let id = id.clone();
        move |then: &'static str| {
            let open_then = open_then(open, navigate.clone(), id.clone(), action_error);
            move |_| open_then(then)
        }
    };
    view! {
        <h1 id="book-detail-name" class="screen-title book-name">{name.clone()}</h1>
        <article class="book-detail" data-testid="book-detail">
            {move || action_error.get().map(|error| view! { <StorageErrorNotice error /> })}
            <div class="row-actions">
                {
                    let is_open = is_open.clone();
                    move || is_open().then(|| view! { <span class="badge">{t!(i18n, CurrentlyOpen)}</span> })
                }
                <button type="button" on:click=act(paths::HOME) aria-label=action_label(i18n, &name, |name| Msg::OpenBookOf { name })>
                    {t!(i18n, OpenThisBook)}
                </button>
                <button type="button" class="secondary" on:click=act(paths::CHECK_IN) aria-label=action_label(i18n, &name, |name| Msg::CheckInQrOf { name })>
                    {t!(i18n, ShowCheckInQr)}
                </button>
            </div>
            <section class="card" aria-labelledby="book-detail-name">
                <dl class="facts">
                    <BirthAndSex dob sex age />
                    <div>
                        <dt>{t!(i18n, CitizenIdLabel)}</dt>
                        <dd class="digits">{profile.citizen_id.masked()}</dd>
                    </div>
                    {province_at_registration.map(|p| view! {
                        <div>
                            <dt>{t!(i18n, ProvinceAtRegistrationLabel)}</dt>
                            <dd>{move || domain_names::province(i18n.locale(), p.0)}</dd>
                        </div>
                    })}
                    <div>
                        <dt>{t!(i18n, InsuranceCardLabel)}</dt>
                        <dd data-testid="book-detail-insurance">{move || match &insurance {
                            Some(status) => i18n.t(status.clone()),
                            None => i18n.t(Msg::InsuranceNone),
                        }}</dd>
                    </div>
                </dl>
            </section>
            <section class="card alerts" aria-labelledby="book-detail-alerts">
                <h2 id="book-detail-alerts" class="visually-hidden">{t!(i18n, Allergies)}</h2>
                <div class="alert-block">
                    <h3>{t!(i18n, Allergies)}</h3>
                    <TagList items=profile.allergies.clone() />
                </div>
                <div class="alert-block">
                    <h3>{t!(i18n, ChronicConditions)}</h3>
                    <TagList items=profile.chronic_conditions.clone() />
                </div>
            </section>
            <section class="card" aria-labelledby="book-detail-holds">
                <h2 id="book-detail-holds">{t!(i18n, BookHoldsHeading)}</h2>
                <p data-testid="book-detail-counts">{i18n.text(Msg::RecordCounts { vaccinations, prescriptions })}</p>
                <p>
                    <strong>{t!(i18n, NextVaccinationHeading)}</strong>
                    ": "
                    {move || match &next_vaccination {
                        Some(next) => format!(
                            "{}: {}",
                            next_dose_name(&next.of, i18n.locale()),
                            i18n.t(dose_status_msg(next.status, today)),
                        ),
                        None => i18n.t(Msg::NoUpcomingVaccination),
                    }}
                </p>
                <p>
                    <strong>{t!(i18n, ActiveMedicinesHeading)}</strong>
                    ": "
                    {move || if active_medicines == 0 {
                        i18n.t(Msg::NoActiveMedicines)
                    } else {
                        i18n.t(Msg::ActiveMedicinesCount { count: active_medicines })
                    }}
                </p>
                <p class="stamp">{i18n.text(Msg::DataAsOf { on: data_as_of })}</p>
            </section>
        </article>
    }
}
