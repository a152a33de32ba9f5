//! The app's screens and their addresses. Every screen has a deep link that works offline (the
//! service worker answers any navigation with the app shell).

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Routes};
use leptos_router::path;

use crate::components::{ListAndDetail, NothingChosen};
use crate::i18n::Msg;
use crate::paths;
use crate::screens;

#[component]
pub fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=screens::NotFound>
            <Route path=path!("/") view=screens::Home />
            // Each list with the record its address names: side by side on a tablet, one at a
            // time on a phone (the list stays mounted while records are chosen beside it).
            <ParentRoute
                path=path!("/vaccinations")
                view=|| view! { <ListAndDetail list_path=paths::VACCINATIONS list=screens::Vaccinations /> }
            >
                <Route path=path!("") view=|| view! { <NothingChosen hint=Msg::ChooseVaccinationHint /> } />
                <Route path=path!(":id") view=screens::VaccinationDetail />
            </ParentRoute>
            // Before the list's `:id`, so "active" is never taken for a prescription id.
            <Route path=path!("/prescriptions/active") view=screens::ActiveMedicines />
            <ParentRoute
                path=path!("/prescriptions")
                view=|| view! { <ListAndDetail list_path=paths::PRESCRIPTIONS list=screens::Prescriptions /> }
            >
                <Route path=path!("") view=|| view! { <NothingChosen hint=Msg::ChoosePrescriptionHint /> } />
                <Route path=path!(":id") view=screens::PrescriptionDetail />
            </ParentRoute>
            <Route path=path!("/check-in") view=screens::CheckIn />
            <Route path=path!("/settings") view=screens::Settings />
            // Before the list's `:key`, so these words are never taken for a book.
            <Route path=path!("/books/import") view=screens::Import />
            <Route path=path!("/books/sync") view=screens::SyncAdd />
            <Route path=path!("/books/scan") view=screens::CardScan />
            <ParentRoute
                path=path!("/books")
                view=|| view! { <ListAndDetail list_path=paths::BOOKS list=screens::Books /> }
            >
                <Route path=path!("") view=|| view! { <NothingChosen hint=Msg::ChooseBookHint /> } />
                <Route path=path!(":key") view=screens::BookDetail />
            </ParentRoute>
            // Care plan (issue 19)
            <Route path=path!("/coming-up") view=screens::ComingUp />
            <Route path=path!("/today") view=screens::MedicinePlan />
            <Route path=path!("/paper") view=screens::PaperTwin />
            // Records typed in on the device (issue 15): a new one, or a correction by its id.
            <Route path=path!("/entry/vaccination") view=screens::entry::VaccinationEntry />
            <Route path=path!("/entry/vaccination/:id") view=screens::entry::VaccinationEntry />
            <Route path=path!("/entry/prescription") view=screens::entry::PrescriptionEntry />
            <Route path=path!("/entry/prescription/:id") view=screens::entry::PrescriptionEntry />
        </Routes>
    }
}
