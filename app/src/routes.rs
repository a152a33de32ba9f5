//! The app's screens and their addresses. Every screen has a deep link that works offline (the
//! service worker answers any navigation with the app shell).

use leptos::prelude::*;
use leptos_router::components::{Route, Routes};
use leptos_router::path;

use crate::screens;

#[component]
pub fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=screens::NotFound>
            <Route path=path!("/") view=screens::Home />
            <Route path=path!("/vaccinations") view=screens::Vaccinations />
            <Route path=path!("/vaccinations/:id") view=screens::VaccinationDetail />
            <Route path=path!("/prescriptions") view=screens::Prescriptions />
            // Before `:id`, so "active" is never taken for a prescription id.
            <Route path=path!("/prescriptions/active") view=screens::ActiveMedicines />
            <Route path=path!("/prescriptions/:id") view=screens::PrescriptionDetail />
            <Route path=path!("/check-in") view=screens::CheckIn />
            <Route path=path!("/settings") view=screens::Settings />
            <Route path=path!("/books") view=screens::Books />
            <Route path=path!("/books/import") view=screens::Import />
            <Route path=path!("/books/sync") view=screens::SyncAdd />
            <Route path=path!("/books/scan") view=screens::CardScan />
        </Routes>
    }
}
