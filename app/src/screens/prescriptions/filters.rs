//! Search and filters of the prescription list. They live in the address (`?q=&year=&facility=`),
//! so back and forward, a reload and a shared link all show the same list. What they mean (the
//! matching itself) is the core's `views::prescriptions`.

use health_book::views::prescriptions::{FacilityChoice, PrescriptionFilters};
use leptos::prelude::*;
use leptos_router::params::ParamsMap;

use crate::i18n::{use_i18n, Msg};
use crate::t;

/// The filters as the address holds them.
pub trait FiltersInAddress: Sized {
    fn from_query(query: &ParamsMap) -> Self;
    /// `?q=…&year=…&facility=…` with only what is set; empty when nothing is.
    fn to_query_string(&self) -> String;
}

impl FiltersInAddress for PrescriptionFilters {
    fn from_query(query: &ParamsMap) -> Self {
        PrescriptionFilters {
            text: query.get("q").unwrap_or_default(),
            year: query.get_str("year").and_then(|y| y.parse().ok()),
            facility: query.get("facility").filter(|f| !f.is_empty()),
        }
    }

    fn to_query_string(&self) -> String {
        let mut query = ParamsMap::new();
        if !self.text.trim().is_empty() {
            query.insert("q", self.text.clone());
        }
        if let Some(year) = self.year {
            query.insert("year", year.to_string());
        }
        if let Some(facility) = &self.facility {
            query.insert("facility", facility.clone());
        }
        query.to_query_string()
    }
}

/// The search box and the two selects. Plain values in, changes out: the list screen decides
/// how a change reaches the address.
#[component]
pub fn FilterControls(
    /// What the address says. The search box is set from it only when the address changes
    /// (after a pause in typing, back, forward), never on each keystroke: rewriting the box while
    /// a Vietnamese input method is composing a letter would break the composition.
    #[prop(into)]
    filters: Signal<PrescriptionFilters>,
    years: Vec<i32>,
    facilities: Vec<FacilityChoice>,
    /// Every keystroke in the search box.
    on_typing: Callback<String>,
    /// The search box lost focus after a change (the person is done typing).
    on_typed: Callback<String>,
    on_year: Callback<Option<i32>>,
    on_facility: Callback<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="rx-filters no-print" role="search">
            <label class="rx-field rx-search">
                <span class="rx-field-label">{t!(i18n, SearchPrescriptionsLabel)}</span>
                <input
                    type="search"
                    name="q"
                    autocomplete="off"
                    enterkeyhint="search"
                    placeholder=i18n.text(Msg::SearchPrescriptionsHint)
                    prop:value=move || filters.with(|f| f.text.clone())
                    on:input:target=move |ev| on_typing.run(ev.target().value())
                    on:change:target=move |ev| on_typed.run(ev.target().value())
                />
            </label>
            <label class="rx-field">
                <span class="rx-field-label">{t!(i18n, FilterYear)}</span>
                <select
                    name="year"
                    on:change:target=move |ev| on_year.run(ev.target().value().parse().ok())
                >
                    <option value="" prop:selected=move || filters.with(|f| f.year.is_none())>
                        {t!(i18n, AllYears)}
                    </option>
                    {years
                        .into_iter()
                        .map(|year| {
                            view! {
                                <option
                                    value=year.to_string()
                                    prop:selected=move || filters.with(|f| f.year == Some(year))
                                >
                                    {year}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="rx-field">
                <span class="rx-field-label">{t!(i18n, FilterFacility)}</span>
                <select
                    name="facility"
                    on:change:target=move |ev| {
                        let key = ev.target().value();
                        on_facility.run((!key.is_empty()).then_some(key))
                    }
                >
                    <option value="" prop:selected=move || filters.with(|f| f.facility.is_none())>
                        {t!(i18n, AllFacilities)}
                    </option>
                    {facilities
                        .into_iter()
                        .map(|FacilityChoice { key, name }| {
                            let selected = {
                                let key = key.clone();
                                move || filters.with(|f| f.facility.as_deref() == Some(key.as_str()))
                            };
                            view! { <option value=key prop:selected=selected>{name}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
        </div>
    }
}
