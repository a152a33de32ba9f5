//! One medicine of a prescription, as the detail and the active-medicines screens show it.

use health_book::Medicine;
use leptos::prelude::*;

use crate::i18n::{use_i18n, DosageText};
use crate::t;

/// The structured dosage of `medicine`, for the translation tables to write out as a sentence
/// in the reader's language ("Uống mỗi lần 1 viên, ngày 2 lần (sáng, tối), sau ăn, trong 7 ngày.").
pub fn dosage_text(medicine: &Medicine) -> DosageText {
    let dosage = &medicine.dosage;
    DosageText {
        amount: dosage.amount_per_dose.clone(),
        unit: medicine.unit.clone(),
        times_per_day: dosage.times_per_day,
        times_of_day: dosage.times_of_day.clone(),
        meals: dosage.with_meals,
        route: dosage.route.clone(),
        days: medicine.duration_days,
        note: dosage.text.clone().filter(|t| !t.trim().is_empty()),
    }
}

/// Strength and form as printed on the box ("500 mg · Viên nén").
fn strength_and_form(medicine: &Medicine) -> Option<String> {
    let parts: Vec<&str> = [medicine.strength.as_deref(), medicine.form.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// A medicine in full: name, what is in it, how much was prescribed and how to take it.
#[component]
pub fn MedicineInFull(medicine: Medicine) -> impl IntoView {
    let i18n = use_i18n();
    let dosage = dosage_text(&medicine);
    let quantity = medicine.quantity.map(|q| match &medicine.unit {
        Some(unit) => format!("{q} {unit}"),
        None => q.to_string(),
    });
    view! {
        <li class="rx-medicine">
            <h3 class="rx-medicine-name">{medicine.name.clone()}</h3>
            {strength_and_form(&medicine).map(|s| view! { <p class="rx-muted">{s}</p> })}
            <p class="rx-dosage" data-testid="dosage">{t!(i18n, Dosage(Box::new(dosage.clone())))}</p>
            <dl class="rx-facts rx-facts-compact">
                {medicine.active_ingredient.clone().map(|ingredient| view! {
                    <div>
                        <dt>{t!(i18n, ActiveIngredientLabel)}</dt>
                        <dd>{ingredient}</dd>
                    </div>
                })}
                {quantity.map(|quantity| view! {
                    <div>
                        <dt>{t!(i18n, QuantityLabel)}</dt>
                        <dd>{quantity}</dd>
                    </div>
                })}
            </dl>
        </li>
    }
}
