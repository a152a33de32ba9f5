//! Vaccinations: a timeline (newest first), the history by disease, the childhood schedule for
//! young children, and one record in detail. The view is part of the address (`?view=`), so each
//! can be linked to and survives a reload.

mod by_disease;
mod detail;
mod schedule;
mod timeline;

pub use detail::VaccinationDetail;

use health_book::views::vaccinations::{
    follows_childhood_schedule, vaccination_views, VaccinationView as View,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::browser::clock;
use crate::components::{with_open_book, EmptyState, PrintButton};
use crate::i18n::{use_i18n, Msg};
use crate::paths;
use crate::screens::entry::{AddEntryLink, EntryKind};
use crate::t;

/// How the address names each view of the screen.
fn view_from_query(value: Option<&str>) -> Option<View> {
    match value {
        Some("timeline") => Some(View::Timeline),
        Some("disease") => Some(View::ByDisease),
        Some("schedule") => Some(View::Schedule),
        _ => None,
    }
}

fn view_href(view: View) -> String {
    let value = match view {
        View::Timeline => "timeline",
        View::ByDisease => "disease",
        View::Schedule => "schedule",
    };
    format!("{}?view={value}", paths::VACCINATIONS)
}

fn view_label(view: View) -> Msg {
    match view {
        View::Timeline => Msg::VaccinationsTimeline,
        View::ByDisease => Msg::VaccinationsByDisease,
        View::Schedule => Msg::VaccinationsSchedule,
    }
}

#[component]
pub fn Vaccinations() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let requested = Memo::new(move |_| view_from_query(query.read().get("view").as_deref()));
    view! {
        <h1 class="screen-title">{t!(i18n, NavVaccinations)}</h1>
        {with_open_book(move |loaded| {
            let book = loaded.book;
            let today = clock::today();
            let is_child = follows_childhood_schedule(&book.profile, today);
            // The first view offered is the default (the schedule for young children).
            let views = vaccination_views(&book.profile, today);
            let default_view = views.first().copied().unwrap_or(View::Timeline);
            let current = Signal::derive(move || requested.get().unwrap_or(default_view));
            let count = book.vaccinations.len();
            let print_all = RwSignal::new(false);
            view! {
                <PrintHeader book=book.clone() />
                <nav class="tabs no-print" aria-label=i18n.text(Msg::ViewsLabel)>
                    {views
                        .into_iter()
                        .map(|v| {
                            view! {
                                // A plain link: the router still navigates client-side, and the
                                // current view (not the shared path) decides aria-current.
                                <a
                                    href=view_href(v)
                                    class="tab"
                                    aria-current=move || (current.get() == v).then_some("page")
                                >
                                    {i18n.text(view_label(v))}
                                </a>
                            }
                        })
                        .collect_view()}
                </nav>
                <p class="muted no-print" data-testid="vaccination-count">
                    {i18n.text(Msg::VaccinationCount { count })}
                </p>
                <AddEntryLink kind=EntryKind::Vaccination />
                {move || {
                    let book = book.clone();
                    match current.get() {
                        View::Schedule if is_child => view! { <schedule::ScheduleView book today /> }.into_any(),
                        _ if count == 0 => view! {
                            <EmptyState
                                title=i18n.text(Msg::NoVaccinations)
                                body=i18n.text(Msg::PrintHistoryHint)
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
            <p class="muted">{i18n.text(Msg::PrintedOn { on: today })}</p>
        </header>
    }
}
