use std::sync::Arc;

use health_book::schedule::by_disease;
use health_book::HealthBook;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::components::OriginBadge;
use crate::i18n::status::dose_msg;
use crate::i18n::{domain_names, format, use_i18n, Msg};
use crate::paths;

/// The history grouped by the disease each dose protects against: "dose k" against the disease,
/// and the dose of its own series the record states ("dose 2 of 3").
#[component]
pub fn ByDiseaseView(book: Arc<HealthBook>) -> impl IntoView {
    let i18n = use_i18n();
    let groups = by_disease(&book.vaccinations);
    // The view stays in the address beside the chosen record (`?view=disease`).
    let search = use_location().search.get_untracked();
    view! {
        <div class="disease-groups">
            {groups
                .into_iter()
                .map(|group| {
                    let key = group.disease.clone();
                    let count = group.doses.len();
                    view! {
                        <section class="card disease-group" data-testid="disease-group">
                            <h2>
                                {move || domain_names::disease(i18n.locale(), &key)}
                                <span class="muted count">{format!(" ({count})")}</span>
                            </h2>
                            <ol class="doses">
                                {group
                                    .doses
                                    .into_iter()
                                    .map(|dose| {
                                        let v = book.vaccinations[dose.vaccination].clone();
                                        let date = v.date;
                                        let coding = v.vaccine.clone();
                                        let recorded = dose_msg(dose.recorded_dose, dose.recorded_series_doses);
                                        let k = dose.k;
                                        view! {
                                            <li>
                                                <span class="dose">{i18n.text(Msg::DoseKthAgainst { k })}</span>
                                                " · "
                                                <span>{move || format::date(i18n.locale(), date)}</span>
                                                " · "
                                                <A href=paths::vaccination(&v.id, &search)>
                                                    {move || domain_names::vaccine(i18n.locale(), &coding)}
                                                </A>
                                                {recorded.map(|m| view! { " (" {i18n.text(m.clone())} ")" })}
                                                <OriginBadge origin=v.recorded_by.clone() />
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ol>
                        </section>
                    }
                })
                .collect_view()}
        </div>
    }
}
