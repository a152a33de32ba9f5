//! Every prescription in the book, newest first: search, filters, and a list that grows a page
//! at a time so a book of thousands of prescriptions opens as fast as a book of ten.

use std::sync::Arc;
use std::time::Duration;

use health_book::HealthBook;
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use health_book::views::prescriptions::{
    MedicineNames, PrescriptionFilters, PrescriptionIndex, PrescriptionSummary,
};

use super::diagnoses::DiagnosisList;
use super::filters::{FilterControls, FiltersInAddress};
use super::PrescriptionViews;
use crate::browser::clock;
use crate::browser::near_viewport::NearViewport;
use crate::components::{current_row, with_open_book, EmptyState, OriginBadge};
use crate::context::use_vault;
use crate::i18n::{format, use_i18n, Msg};
use crate::paths;
use crate::screens::entry::{AddEntryLink, EntryKind};
use crate::t;
use health_book::device::DeviceMode;

/// Rows rendered at first and added by each "Show more": enough to fill a tablet screen a few
/// times over, few enough to render within a frame budget on a low-end phone.
const PAGE: usize = 50;
/// The address follows the search box after this pause in typing. Writing it on every
/// keystroke would also work, but Safari refuses more than 100 history updates in 10 seconds
/// (the router then panics), and a fast typist with a few corrections gets there.
const TYPING_PAUSE: Duration = Duration::from_millis(300);
/// Start rendering the next page when "Show more" comes this close below the screen.
const NEAR_END_PX: u32 = 800;

#[component]
pub fn Prescriptions() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1 class="screen-title">{t!(i18n, NavPrescriptions)}</h1>
        <PrescriptionViews />
        <AddEntryLink kind=EntryKind::Prescription />
        {with_open_book(|loaded| view! { <PrescriptionList book=loaded.book /> })}
    }
}

#[component]
fn PrescriptionList(book: Arc<HealthBook>) -> impl IntoView {
    let i18n = use_i18n();
    if book.prescriptions.is_empty() {
        return view! {
            <EmptyState
                title=i18n.text(Msg::NoPrescriptions)
                body=i18n.text(Msg::NoPrescriptionsHint)
            />
        }
        .into_any();
    }
    // Built once per book load; every search and filter below reads it.
    let index = Arc::new(PrescriptionIndex::new(book, clock::today()));
    let total = index.len();

    let query = use_query_map();
    let in_address = Memo::new(move |_| PrescriptionFilters::from_query(&query.read()));
    // What the search box holds while the address has not caught up yet, with the address text
    // it was typed over. Once the address changes (the pause is over, or back/forward/a link),
    // that text no longer matches and the address decides again: derived, never reset.
    let draft = RwSignal::new(None::<(String, String)>);
    let filters = Memo::new(move |_| {
        let mut filters = in_address.get();
        if let Some((typed_over, text)) = draft.get() {
            if typed_over == filters.text {
                filters.text = text;
            }
        }
        filters
    });
    // On a shared tablet the search text stays out of the address, and so out of the tablet's
    // history: there it lives in the draft alone.
    let keep_text_out = use_vault().mode() == Some(DeviceMode::Shared);
    let list_query = Memo::new(move |_| {
        filters.with(|f| {
            if keep_text_out {
                PrescriptionFilters {
                    text: String::new(),
                    ..f.clone()
                }
                .to_query_string()
            } else {
                f.to_query_string()
            }
        })
    });

    let navigate = use_navigate();
    // The current path, not the list's: on a tablet the chosen prescription stays open beside
    // the list while the person searches.
    let pathname = use_location().pathname;
    let write_address = move |mut filters: PrescriptionFilters| {
        if keep_text_out {
            draft.set(Some((String::new(), std::mem::take(&mut filters.text))));
        } else {
            draft.set(None);
        }
        navigate(
            &format!("{}{}", pathname.get_untracked(), filters.to_query_string()),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
    // Each keystroke supersedes the address update the previous one scheduled.
    let typing = StoredValue::new(0_u64);
    let on_typing = Callback::new({
        let write_address = write_address.clone();
        move |text: String| {
            let typed_over = in_address.with_untracked(|f| f.text.clone());
            draft.set(Some((typed_over, text)));
            let keystroke = typing.get_value().wrapping_add(1);
            typing.set_value(keystroke);
            let write_address = write_address.clone();
            set_timeout(
                move || {
                    // `None` once the list is gone: the person has left the screen.
                    if typing.try_get_value() == Some(keystroke) {
                        if let Some(filters) = filters.try_get_untracked() {
                            write_address(filters);
                        }
                    }
                },
                TYPING_PAUSE,
            );
        }
    });
    // Leaving the box (tapping a result, say) writes the address at once, so browser Back from
    // the prescription returns to this search.
    let on_typed = Callback::new({
        let write_address = write_address.clone();
        move |text: String| {
            typing.set_value(typing.get_value().wrapping_add(1));
            write_address(PrescriptionFilters {
                text,
                ..in_address.get_untracked()
            });
        }
    });
    let on_year = Callback::new({
        let write_address = write_address.clone();
        move |year: Option<i32>| {
            write_address(PrescriptionFilters {
                year,
                ..filters.get_untracked()
            })
        }
    });
    let on_facility = Callback::new({
        let write_address = write_address.clone();
        move |facility: Option<String>| {
            write_address(PrescriptionFilters {
                facility,
                ..filters.get_untracked()
            })
        }
    });
    let clear = move |_| write_address(PrescriptionFilters::default());

    let matching = Memo::new({
        let index = index.clone();
        move |_| filters.with(|f| index.matching(f))
    });
    let match_count = Signal::derive(move || matching.with(Vec::len));
    // How many matches are on screen, remembered with the filters it was for: a new search starts
    // again from the first page without anything having to reset it.
    let page = RwSignal::new((filters.get_untracked(), PAGE));
    let shown = Signal::derive(move || {
        let limit = page.with(|(for_filters, limit)| {
            if filters.with(|f| f == for_filters) {
                *limit
            } else {
                PAGE
            }
        });
        limit.min(match_count.get())
    });
    let show_more = Callback::new(move |()| {
        // `try_`: the scroll watcher may still report after the list is gone.
        let (Some(now), Some(filters)) = (shown.try_get_untracked(), filters.try_get_untracked())
        else {
            return;
        };
        if now < match_count.try_get_untracked().unwrap_or(0) {
            page.try_set((filters, now + PAGE));
        }
    });
    let visible = move || matching.with(|m| m[..shown.get().min(m.len())].to_vec());
    let row = {
        let index = index.clone();
        move |position: usize| {
            index
                .summary(position)
                .map(|summary| view! { <PrescriptionRow summary list_query=list_query.into() /> })
        }
    };

    view! {
        <FilterControls
            filters=in_address
            years=index.years().to_vec()
            facilities=index.facilities().to_vec()
            on_typing
            on_typed
            on_year
            on_facility
        />
        <p class="rx-count" role="status" data-testid="prescription-count">
            {move || {
                let count = match_count.get();
                if filters.with(PrescriptionFilters::is_narrowed) {
                    i18n.t(Msg::PrescriptionMatches { count, total })
                } else {
                    i18n.t(Msg::PrescriptionCount { count })
                }
            }}
        </p>
        <Show when=move || match_count.get() == 0>
            <div class="rx-no-match">
                <p>{t!(i18n, NoPrescriptionsMatch)}</p>
                <button type="button" class="secondary" on:click=clear.clone()>
                    {t!(i18n, ClearPrescriptionFilters)}
                </button>
            </div>
        </Show>
        <ul class="rx-list" aria-label=i18n.text(Msg::NavPrescriptions)>
            <For each=visible key=|position| *position children=row />
        </ul>
        <Show when=move || { shown.get() < match_count.get() }>
            <ShowMore shown total=match_count on_more=show_more />
        </Show>
    }
    .into_any()
}

/// One prescription in the list; the whole card is the link to it.
#[component]
fn PrescriptionRow(summary: PrescriptionSummary, list_query: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let PrescriptionSummary {
        id,
        issued_on,
        facility,
        diagnoses,
        medicine_count,
        medicines,
        current,
        origin,
    } = summary;
    // Beside the list on a tablet, the row of the prescription shown is marked as the current one.
    let chosen = current_row(paths::prescription(&id, ""));
    let href = move || paths::prescription(&id, &list_query.get());
    let MedicineNames { named, more } = medicines;
    let named = named.join(", ");
    // "Paracetamol 500mg, Amoxicillin 500mg +2": what the row names, read out with its date.
    let medicines_text = move || match more {
        0 => named.clone(),
        more if named.is_empty() => i18n.t(Msg::MedicinesMore { count: more }),
        more => format!("{named} {}", i18n.t(Msg::MedicinesMore { count: more })),
    };
    let label = {
        let medicines_text = medicines_text.clone();
        move || match medicines_text() {
            text if text.is_empty() => i18n.t(Msg::PrescriptionIssuedOn { on: issued_on }),
            text => i18n.t(Msg::PrescriptionRowLabel {
                on: issued_on,
                medicines: text,
            }),
        }
    };
    view! {
        <li class="card rx-item" data-testid="prescription-row">
            <h2 class="rx-item-title">
                <a href=href aria-label=label aria-current=chosen>{move || format::date(i18n.locale(), issued_on)}</a>
            </h2>
            <p class="rx-facility">{facility}</p>
            <p class="rx-row-medicines" data-testid="row-medicines">{medicines_text}</p>
            <DiagnosisList diagnoses />
            <p class="rx-tags">
                <span class=if current { "rx-badge rx-current" } else { "rx-badge rx-ended" }>
                    {i18n.text(if current { Msg::PrescriptionCurrent } else { Msg::PrescriptionEnded })}
                </span>
                <span class="rx-badge">{t!(i18n, MedicineCount { count: medicine_count })}</span>
                <OriginBadge origin />
            </p>
        </li>
    }
}

/// The button that adds the next page. It also starts itself when it scrolls near the screen,
/// so scrolling never hits the end of a long list; the button stays for keyboards, screen
/// readers and browsers without `IntersectionObserver`.
#[component]
fn ShowMore(shown: Signal<usize>, total: Signal<usize>, on_more: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let button = NodeRef::<html::Button>::new();
    // A fresh watcher per page: a watcher reports only changes, and after a page is added the
    // button may still be near the screen (a tall screen, large text).
    Effect::new(move |_: Option<Option<NearViewport>>| {
        shown.track();
        let button = button.get()?;
        NearViewport::watch(&button, NEAR_END_PX, move || {
            on_more.try_run(());
        })
        .ok()
    });
    view! {
        <p class="rx-more no-print">
            <button type="button" class="secondary" node_ref=button on:click=move |_| on_more.run(())>
                {t!(i18n, ShowMore { shown: shown.get(), total: total.get() })}
            </button>
        </p>
    }
}
