use std::sync::Arc;

use health_book::{HealthBook, Vaccination};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::OriginBadge;
use crate::i18n::status::dose_msg;
use crate::i18n::{domain_names, format, use_i18n, Msg};
use crate::paths;

/// How many records render at first; more on request, so decades of records open instantly.
const PAGE: usize = 100;

/// Every dose, newest first.
#[component]
pub fn TimelineView(book: Arc<HealthBook>, show_all: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let mut order: Vec<usize> = (0..book.vaccinations.len()).collect();
    order.sort_by(|&a, &b| book.vaccinations[b].date.cmp(&book.vaccinations[a].date));
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
                        .map(|&i| view! { <VaccinationItem vaccination=book.vaccinations[i].clone() /> })
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

/// One dose in a list: date, vaccine, dose, lot, facility.
#[component]
pub fn VaccinationItem(vaccination: Vaccination) -> impl IntoView {
    let i18n = use_i18n();
    let v = vaccination;
    let date = v.date;
    let coding = v.vaccine.clone();
    let dose = dose_msg(v.dose_number, v.series_doses);
    let href = paths::vaccination(&v.id);
    view! {
        <li class="card record" data-testid="vaccination">
            <p class="record-date">{move || format::date(i18n.locale(), date)}</p>
            <h2 class="record-title">
                <A href=href>{move || domain_names::vaccine(i18n.locale(), &coding)}</A>
            </h2>
            <p class="record-meta">
                {dose.map(|m| view! { <span class="dose">{move || i18n.t(m.clone())}</span> })}
                {v.lot_number.clone().map(|lot| view! {
                    <span>{move || i18n.t(Msg::LotLabel)} ": " {lot.clone()}</span>
                })}
                {v.facility.clone().map(|f| view! { <span>{f.name}</span> })}
            </p>
            <OriginBadge origin=v.recorded_by.clone() />
        </li>
    }
}
