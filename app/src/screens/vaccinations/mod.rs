//! Vaccinations: a timeline (newest first), the history by disease, the childhood schedule for
//! young children, and one record in detail. The view is part of the address (`?view=`), so each
//! can be linked to and survives a reload.

mod by_disease;
mod detail;
mod schedule;
mod timeline;

pub use detail::VaccinationDetail;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::browser::clock;
use crate::components::{with_open_book, EmptyState, PrintButton};
use crate::i18n::{use_i18n, Msg};
use crate::t;

/// Children under this age see the national childhood schedule first.
pub(crate) const SCHEDULE_UNTIL_YEARS: u32 = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    Timeline,
    ByDisease,
    Schedule,
}

impl View {
    fn from_query(value: Option<&str>) -> Option<View> {
        match value {
            Some("timeline") => Some(View::Timeline),
            Some("disease") => Some(View::ByDisease),
            Some("schedule") => Some(View::Schedule),
            _ => None,
        }
    }

    fn href(self) -> &'static str {
        match self {
            View::Timeline => "/vaccinations?view=timeline",
            View::ByDisease => "/vaccinations?view=disease",
            View::Schedule => "/vaccinations?view=schedule",
        }
    }

    fn label(self) -> Msg {
        match self {
            View::Timeline => Msg::VaccinationsTimeline,
            View::ByDisease => Msg::VaccinationsByDisease,
            View::Schedule => Msg::VaccinationsSchedule,
        }
    }
}

#[component]
pub fn Vaccinations() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let requested = Memo::new(move |_| View::from_query(query.read().get("view").as_deref()));
    view! {
        <h1 class="screen-title">{t!(i18n, NavVaccinations)}</h1>
        {with_open_book(move |loaded| {
            let book = loaded.book;
            let today = clock::today();
            let is_child = book
                .profile
                .age_on(today)
                .is_some_and(|a| a.years < SCHEDULE_UNTIL_YEARS);
            // Parents of young children come for the schedule; everyone else for the history.
            let current = Signal::derive(move || {
                requested.get().unwrap_or(if is_child { View::Schedule } else { View::Timeline })
            });
            let views: Vec<View> = if is_child {
                vec![View::Schedule, View::Timeline, View::ByDisease]
            } else {
                vec![View::Timeline, View::ByDisease]
            };
            let count = book.vaccinations.len();
            let print_all = RwSignal::new(false);
            view! {
                <PrintHeader book=book.clone() />
                <nav class="tabs no-print" aria-label=move || i18n.t(Msg::ViewsLabel)>
                    {views
                        .into_iter()
                        .map(|v| {
                            view! {
                                // A plain link: the router still navigates client-side, and the
                                // current view (not the shared path) decides aria-current.
                                <a
                                    href=v.href()
                                    class="tab"
                                    aria-current=move || (current.get() == v).then_some("page")
                                >
                                    {move || i18n.t(v.label())}
                                </a>
                            }
                        })
                        .collect_view()}
                </nav>
                <p class="muted no-print" data-testid="vaccination-count">
                    {move || i18n.t(Msg::VaccinationCount { count })}
                </p>
                {move || {
                    let book = book.clone();
                    match current.get() {
                        View::Schedule if is_child => view! { <schedule::ScheduleView book today /> }.into_any(),
                        _ if count == 0 => view! {
                            <EmptyState
                                title=Signal::derive(move || i18n.t(Msg::NoVaccinations))
                                body=Signal::derive(move || i18n.t(Msg::PrintHistoryHint))
                            />
                        }
                            .into_any(),
                        View::ByDisease => view! { <by_disease::ByDiseaseView book /> }.into_any(),
                        _ => view! {
                            <div class="no-print actions">
                                <PrintButton before=Callback::new(move |_| print_all.set(true)) />
                            </div>
                            <timeline::TimelineView book show_all=print_all />
                        }
                            .into_any(),
                    }
                }}
            }
        })}
    }
}

/// Who the printed page is about; only on paper (the screen has the header banner).
#[component]
fn PrintHeader(book: std::sync::Arc<health_book::HealthBook>) -> impl IntoView {
    let i18n = use_i18n();
    let today = clock::today();
    let profile = &book.profile;
    let dob = profile.date_of_birth;
    view! {
        <header class="print-only print-header">
            <p class="print-title">{t!(i18n, PrintVaccinationsTitle)}</p>
            <p class="print-person">{profile.full_name.clone()}</p>
            <p>
                {t!(i18n, DateOfBirth)} ": " {move || crate::i18n::format::date(i18n.locale(), dob)}
                " · " {t!(i18n, CitizenIdLabel)} ": " {profile.citizen_id.to_string()}
            </p>
            <p class="muted">{move || i18n.t(Msg::PrintedOn { on: today })}</p>
        </header>
    }
}
