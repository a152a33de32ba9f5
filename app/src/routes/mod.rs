//! The app's screens and their addresses. Every screen has a deep link that works offline (the
//! service worker answers any navigation with the app shell). The screens that are not on the
//! first load come through [`LaterScreen`], from modules fetched on first use (`later_screens`).

mod later_screen;
mod later_screens;

pub use later_screen::LaterScreen;
use later_screens::show as later;
pub use later_screens::{
    provide_later_screens, use_later_screens, views as later_views, LaterScreens, ScreenFuture,
    ScreenLoad, ScreenNotLoaded, ScreenView,
};

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
                view=|| view! { <ListAndDetail list_path=paths::VACCINATIONS list=later::vaccinations /> }
            >
                <Route path=path!("") view=|| view! { <NothingChosen hint=Msg::ChooseVaccinationHint /> } />
                <Route path=path!(":id") view=later::vaccination_detail />
            </ParentRoute>
            // Before the list's `:id`, so "active" is never taken for a prescription id.
            <Route path=path!("/prescriptions/active") view=later::active_medicines />
            <ParentRoute
                path=path!("/prescriptions")
                view=|| view! { <ListAndDetail list_path=paths::PRESCRIPTIONS list=later::prescriptions /> }
            >
                <Route path=path!("") view=|| view! { <NothingChosen hint=Msg::ChoosePrescriptionHint /> } />
                <Route path=path!(":id") view=later::prescription_detail />
            </ParentRoute>
            <Route path=path!("/check-in") view=screens::CheckIn />
            <Route path=path!("/settings") view=later::settings />
            // Before the list's `:key`, so these words are never taken for a book.
            <Route path=path!("/books/import") view=later::import />
            <Route path=path!("/books/sync") view=later::sync_add />
            <Route path=path!("/books/scan") view=later::card_scan />
            <ParentRoute
                path=path!("/books")
                view=|| view! { <ListAndDetail list_path=paths::BOOKS list=screens::Books /> }
            >
                <Route path=path!("") view=|| view! { <NothingChosen hint=Msg::ChooseBookHint /> } />
                <Route path=path!(":key") view=screens::BookDetail />
            </ParentRoute>
            // Care plan (issue 19)
            <Route path=path!("/coming-up") view=later::coming_up />
            <Route path=path!("/today") view=later::medicine_plan />
            <Route path=path!("/paper") view=later::paper_twin />
            // Records typed in on the device (issue 15): a new one, or a correction by its id.
            <Route path=path!("/entry/vaccination") view=later::vaccination_entry />
            <Route path=path!("/entry/vaccination/:id") view=later::vaccination_entry />
            <Route path=path!("/entry/prescription") view=later::prescription_entry />
            <Route path=path!("/entry/prescription/:id") view=later::prescription_entry />
        </Routes>
    }
}
