use health_book::medicine_plan::{DoseKey, Mark, PlannedDose, SlotSource};
use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};
use crate::t;

/// One dose: the medicine, how much, with or without food, and the two marks.
#[component]
pub fn DoseRow(dose: PlannedDose, on_tap: Callback<(DoseKey, Mark)>) -> impl IntoView {
    let i18n = use_i18n();
    let PlannedDose {
        key,
        amount,
        unit,
        with_meals,
        instructions,
        source,
        day,
        of_days,
        mark,
    } = dose;
    let amount = amount.map(|amount| Msg::DoseAmount {
        amount,
        unit: unit.unwrap_or_default(),
    });
    let hint = match source {
        SlotSource::Written => None,
        SlotSource::Spread => Some(Msg::DoseSpreadHint),
        SlotSource::FreeText => Some(Msg::DoseAsDirectedHint),
    };
    let state = match mark {
        Some(Mark::Taken) => "taken",
        Some(Mark::Skipped) => "skipped",
        None => "open",
    };
    let medicine = key.medicine.clone();
    let button = move |this: Mark, label: Msg, class: &'static str| {
        let key = key.clone();
        view! {
            <button
                type="button"
                class=format!("small {class}")
                aria-pressed=(mark == Some(this)).to_string()
                on:click=move |_| on_tap.run((key.clone(), this))
            >
                {i18n.text(label.clone())}
            </button>
        }
    };
    view! {
        <li class="dose" data-testid="dose" data-state=state>
            <h3 class="dose-medicine">{medicine}</h3>
            <p class="dose-how">
                {amount.map(|msg| view! { <span>{i18n.text(msg.clone())}</span> " " })}
                {with_meals.map(|meals| view! { <span class="tag">{t!(i18n, MealRelationName { meals })}</span> })}
                " "
                <span class="muted small">{t!(i18n, DayOf { day, of: of_days })}</span>
            </p>
            {instructions.map(|text| view! { <p class="small">{text}</p> })}
            {hint.map(|msg| view! { <p class="muted small">{i18n.text(msg.clone())}</p> })}
            <p class="dose-marks">
                {button(Mark::Taken, Msg::DoseTaken, "primary")}
                " "
                {button(Mark::Skipped, Msg::DoseSkipped, "secondary")}
            </p>
        </li>
    }
}
