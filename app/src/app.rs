use leptos::prelude::*;
use leptos_router::components::Router;

use crate::components::{AppHeader, BottomNav};
use crate::i18n::provide_i18n;
use crate::routes::AppRoutes;

/// The whole app: contexts, the shell (header, main, bottom navigation) and the routes.
#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    let open_book = Signal::derive(|| None::<String>);
    view! {
        <Router>
            <AppHeader open_book />
            <main id="main" tabindex="-1">
                <AppRoutes />
            </main>
            <BottomNav />
        </Router>
    }
}
