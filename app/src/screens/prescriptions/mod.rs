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

use health_book::RecordId;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::location::Url;

use crate::i18n::{use_i18n, Msg};
use crate::t;

pub(crate) const LIST_PATH: &str = "/prescriptions";
pub(crate) const ACTIVE_PATH: &str = "/prescriptions/active";

/// Address of one prescription; `query` (with its `?`, or empty) is carried along so the
/// detail's Back link returns to the list the person came from.
pub(crate) fn detail_path(id: &RecordId, query: &str) -> String {
    format!("{LIST_PATH}/{}{query}", Url::escape(id.as_str()))
}

/// The two ways to look at prescriptions: all of them, or what to take today.
#[component]
fn PrescriptionViews() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="rx-views no-print" aria-label=move || i18n.t(Msg::ViewsLabel)>
            <A href=LIST_PATH exact=true attr:class="rx-view">{t!(i18n, PrescriptionsAll)}</A>
            <A href=ACTIVE_PATH exact=true attr:class="rx-view">{t!(i18n, PrescriptionsActive)}</A>
        </nav>
    }
}
