//! Prescriptions: every prescription in the book, newest first, searchable and filterable
//! (`/prescriptions`); what to take today (`/prescriptions/active`); and one prescription in
//! full, printable (`/prescriptions/:id`).

mod active;
mod detail;
mod diagnoses;
mod filters;
mod list;
mod medicine;
mod print;

pub use active::ActiveMedicines;
pub use detail::PrescriptionDetail;
pub use list::Prescriptions;
/// The paper twin writes dosages out the same way.
pub(crate) use medicine::dosage_text;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{use_i18n, Msg};
use crate::paths;
use crate::t;

/// The two ways to look at prescriptions: all of them, or what to take today.
#[component]
fn PrescriptionViews() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="rx-views no-print" aria-label=i18n.text(Msg::ViewsLabel)>
            <A href=paths::PRESCRIPTIONS exact=true attr:class="rx-view">{t!(i18n, PrescriptionsAll)}</A>
            <A href=paths::ACTIVE_MEDICINES exact=true attr:class="rx-view">{t!(i18n, PrescriptionsActive)}</A>
        </nav>
    }
}
