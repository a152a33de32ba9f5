//! So Suc Khoe web app: the thin browser shell around the `health-book` core.
//!
//! - `storage`: the only code that touches IndexedDB.
//! - `browser`: one file per browser capability (preferences, wake lock, service worker, ...).
//! - `i18n`: every user-facing string, Vietnamese and English.
//! - `sync`: fetching and refreshing books from a FHIR R4 server.
//! - `screens`: one file per screen; `components`: pieces shared by screens; `routes`: addresses.
//! - `worker`: the data worker, a second wasm module loaded on first use (issue 17).

mod app;
pub mod browser;
pub mod components;
pub mod context;
pub mod dose_log;
pub mod i18n;
pub mod paths;
pub mod routes;
pub mod screens;
pub mod storage;
pub mod sync;
pub mod worker;

pub use app::App;

/// Entry point: replace the static loading shell in `index.html` with the app, whose later
/// screens come from `later` (split modules in the release binary, `src/main.rs`).
pub fn start_with(later: routes::LaterScreens) {
    browser::console::redact_panics();
    if let Some(shell) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("loading-shell"))
    {
        shell.remove();
    }
    leptos::mount::mount_to_body(move || {
        use leptos::prelude::*;
        routes::provide_later_screens(later);
        view! { <App /> }
    });
    // Mounted: this version works, so the service worker may let the previous one go.
    browser::sw_started::report_started();
}
