use std::sync::Arc;

use health_book::views::vaccinations::{newest_first, VaccinationRow};
use health_book::HealthBook;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::components::{current_row, OriginBadge};
use crate::i18n::status::dose_in_series_msg;
use crate::i18n::{domain_names, format, use_i18n, Msg};
use crate::paths;

/// How many records render at first; more on request, so decades of records open instantly.
const PAGE: usize = 100;

/// Every dose, newest first.
#[component]
pub fn TimelineView(book: Arc<HealthBook>, show_all: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let order = newest_first(&book.vaccinations);
    let total = order.len();
    let limit = RwSignal::new(PAGE);
    let shown = Memo::new(move |_| {
        if show_all.get() {
            total
        } else {
            limit.get().min(total)
        }
    });
    let order = Arc::new(order);
    view! {
        <ol class="record-list timeline" data-testid="timeline">
            {
                let book = book.clone();
                let order = order.clone();
                move || {
                    order[..shown.get()]
                        .iter()
                        .map(|&i| view! { <VaccinationItem row=VaccinationRow::of(&book.vaccinations[i]) /> })
                        .collect_view()
                }
            }
        </ol>
        <Show when=move || { shown.get() < total }>
            <button type="button" class="secondary show-more no-print" on:click=move |_| limit.update(|l| *l += PAGE)>
                {move || i18n.t(Msg::ShowMore { shown: shown.get(), total })}
            </button>
        </Show>
    }
}

/// One dose in a list: date, vaccine, dose k of n, lot, facility. The link keeps the list's view
/// in the address, so on a tablet the list stays as it was beside the record.
#[component]
pub fn VaccinationItem(row: VaccinationRow) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let VaccinationRow {
        id,
        date,
        vaccine,
        dose,
        lot_number,
        facility,
        origin,
    } = row;
    // A plain link (the router still navigates client-side): `A` would compare the query too,
    // and this marks the row of the record shown beside the list whatever the list's view.
    let chosen = current_row(paths::vaccination(&id, ""));
    let href = move || paths::vaccination(&id, &location.search.get());
    view! {
        <li class="card record" data-testid="vaccination">
            <p class="record-date">{move || format::date(i18n.locale(), date)}</p>
            <h2 class="record-title">
                <a href=href aria-current=chosen>{move || domain_names::vaccine(i18n.locale(), &vaccine)}</a>
            </h2>
            <p class="record-meta">
                {dose.map(|dose| view! { <span class="dose">{i18n.text(dose_in_series_msg(dose))}</span> })}
                {facility.map(|name| view! { <span class="record-facility">{name}</span> })}
                {lot_number.map(|lot| view! {
                    <span>{i18n.text(Msg::LotLabel)} ": " {lot.clone()}</span>
                })}
            </p>
            <OriginBadge origin />
        </li>
    }
}
