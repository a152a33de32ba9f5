//! Today's medicines as a plan: the doses by time of day with "taken" and "skipped", the
//! warnings of medicines running out, and the reminder export. The plan is the core's
//! (`health_book::medicine_plan`); this screen loads the history, renders, and saves taps.

mod dose;
mod in_app_reminder;
mod reminders;
mod runs_out;

use std::sync::Arc;

use health_book::medicine_plan::{DayPlan, DoseKey, DoseLog, Mark};
use health_book::HealthBook;
use leptos::prelude::*;

use crate::browser::clock;
use crate::components::{with_open_book, EmptyState, StorageErrorNotice};
use crate::context::use_book_store;
use crate::i18n::{use_i18n, Msg};
use crate::storage::StorageError;
use crate::{dose_log, t};

use dose::DoseRow;
use in_app_reminder::InAppReminder;
pub use reminders::ReminderExport;
use runs_out::RunsOutNotices;

#[component]
pub fn MedicinePlan() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1 class="screen-title">{t!(i18n, MedicinePlanHeading)}</h1>
        {with_open_book(|loaded| view! {
            <PlanOfTheDay book=loaded.book.clone() />
            <ReminderExport book=loaded.book />
        })}
    }
}

#[component]
fn PlanOfTheDay(book: Arc<HealthBook>) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_book_store();
    let citizen_id = book.citizen_id().clone();
    let stored = LocalResource::new(move || {
        let citizen_id = citizen_id.clone();
        async move { dose_log::load(&store.store().await?, &citizen_id).await }
    });
    view! {
        <Suspense fallback=move || view! { <p role="status" class="loading">{t!(i18n, Loading)}</p> }>
            {move || {
                let book = book.clone();
                Suspend::new(async move {
                    match stored.await {
                        Ok(log) => view! { <Plan book log /> }.into_any(),
                        Err(error) => view! { <StorageErrorNotice error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Plan(book: Arc<HealthBook>, log: DoseLog) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_book_store();
    let today = clock::today();
    // The saved history; a tap shows only once its write has committed.
    let log = RwSignal::new(log);
    let failed = RwSignal::new(None::<StorageError>);
    let kept_for = StoredValue::new(Arc::clone(&book));
    let plan = Memo::new(move |_| log.with(|log| DayPlan::new(&book, log, today)));
    let on_tap = Callback::new(move |(key, mark): (DoseKey, Mark)| {
        let book = kept_for.get_value();
        leptos::task::spawn_local(async move {
            let saved = match store.store().await {
                Ok(store) => dose_log::tap(&store, &book, &key, mark, today).await,
                Err(error) => Err(error),
            };
            match saved {
                Ok(next) => {
                    failed.set(None);
                    log.set(next);
                }
                Err(error) => failed.set(Some(error)),
            }
        });
    });
    view! {
        {move || failed.get().map(|error| view! { <StorageErrorNotice error /> })}
        {move || {
            let plan = plan.get();
            let without = plan.without_duration;
            if plan.is_empty() {
                return view! {
                    <EmptyState
                        title=i18n.text(Msg::NoActiveMedicines)
                        body=i18n.text(Msg::ActiveMedicinesHint)
                    />
                    <WithoutDuration count=without />
                }
                .into_any();
            }
            let open = plan.open();
            view! {
                <RunsOutNotices warnings=plan.runs_out.clone() />
                <p class="hint">{t!(i18n, MedicinePlanHint)}</p>
                <p class="rx-count" data-testid="doses-open">{t!(i18n, DosesOpen { count: open })}</p>
                {plan
                    .slots
                    .into_iter()
                    .map(|slot| {
                        let name = slot.slot;
                        view! {
                            <section class="card dose-slot" data-testid="dose-slot">
                                <h2>{t!(i18n, DoseSlotName { slot: name })}</h2>
                                <ul class="dose-list">
                                    {slot.doses.into_iter().map(|dose| view! { <DoseRow dose on_tap /> }).collect_view()}
                                </ul>
                            </section>
                        }
                    })
                    .collect_view()}
                <WithoutDuration count=without />
            }
            .into_any()
        }}
        <InAppReminder plan />
    }
}

#[component]
fn WithoutDuration(count: usize) -> impl IntoView {
    let i18n = use_i18n();
    (count > 0).then(|| view! { <p class="muted">{t!(i18n, PlanWithoutDuration { count })}</p> })
}
