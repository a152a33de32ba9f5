use health_book::views::book_identity::BookIdentity;
use leptos::prelude::*;
use leptos_router::components::Router;

use crate::components::{AppHeader, BottomNav};
use crate::context::{provide_book_store, provide_open_book, provide_preferences};
use crate::i18n::provide_i18n;
use crate::routes::AppRoutes;

/// The whole app: contexts, the shell (header, main, bottom navigation) and the routes.
#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    provide_preferences();
    let store = provide_book_store();
    let open = provide_open_book(store);
    crate::sync::provide_sync();
    // Offline, install and updates: started here, before any screen, so no browser event is missed.
    provide_context(crate::browser::service_worker::use_service_worker());
    provide_context(crate::browser::install_prompt::use_install_prompt());
    provide_context(crate::browser::reachability::use_reachability());
    // Whose book is open, for the header; derived from the loaded book, never copied.
    let open_identity = Signal::derive(move || {
        open.book()
            .map(|loaded| {
                loaded
                    .as_ref()
                    .ok()
                    .and_then(|b| b.as_ref())
                    .map(|b| BookIdentity::of(&b.book.profile))
            })
            .flatten()
    });
    view! {
        <Router>
            <AppHeader open_book=open_identity />
            <crate::components::UpdateBanner />
            <main id="main" tabindex="-1">
                <AppRoutes />
            </main>
            <BottomNav />
        </Router>
    }
}
