use health_book::Diagnosis;
use leptos::prelude::*;

/// Diagnoses as ICD-10 code and text, the same in the list and in the full prescription.
#[component]
pub fn DiagnosisList(diagnoses: Vec<Diagnosis>) -> impl IntoView {
    view! {
        <ul class="rx-diagnoses">
            {diagnoses
                .into_iter()
                .map(|d| view! {
                    <li>
                        <span class="rx-code">{d.icd10}</span>
                        " "
                        {d.text}
                    </li>
                })
                .collect_view()}
        </ul>
    }
}
