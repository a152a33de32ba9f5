use health_book::device::{DeviceMode, IdleLock};
use health_book::views::book_identity::BookIdentity;
use leptos::prelude::*;
use leptos_router::components::Router;

use crate::browser::idle::{use_idle, IdleOptions};
use crate::components::{AppHeader, BottomNav};
use crate::context::{
    provide_book_store, provide_card_handoff, provide_open_book, provide_preferences,
    provide_vault, VaultState,
};
use crate::i18n::provide_i18n;
use crate::routes::AppRoutes;

/// The whole app: contexts, the shell (header, main, bottom navigation) and the routes.
#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    provide_preferences();
    let store = provide_book_store();
    let open = provide_open_book(store);
    let vault = provide_vault(store, open);
    crate::sync::provide_sync();
    provide_card_handoff();
    // Offline, install and updates: listening from here, before any screen, so no browser event is
    // missed; the service worker itself registers once the first screen is up (sw_started.rs).
    provide_context(crate::browser::service_worker::use_service_worker());
    provide_context(crate::browser::install_prompt::use_install_prompt());
    provide_context(crate::browser::reachability::use_reachability());
    // Whose book is open, for the header; derived from the loaded book, never copied.
    let open_identity = Signal::derive(move || {
        open.profile()
            .map(|loaded| {
                loaded
                    .as_ref()
                    .ok()
                    .and_then(|b| b.as_ref())
                    .map(|b| BookIdentity::of(&b.profile))
            })
            .flatten()
    });
    // Idle or hidden too long: lock (only while unlocked; a device without a secret never locks).
    let idle = Signal::derive(move || {
        let minutes = vault
            .idle_lock()
            .unwrap_or(IdleLock::default_for(DeviceMode::Personal));
        IdleOptions {
            idle_ms: minutes.as_millis(),
            hidden_grace_ms: IdleLock::HIDDEN_GRACE_SECONDS * 1000,
        }
    });
    use_idle(
        idle,
        Signal::derive(move || vault.is_unlocked()),
        move || vault.lock(),
    );
    // Which shell to render; a change of the metadata alone (staff added, idle time) must not
    // rebuild the router and lose the screen.
    let shell = Memo::new(move |_| match vault.state() {
        VaultState::Locked(_) => Shell::Locked,
        VaultState::FirstRun => Shell::FirstRun,
        VaultState::Interrupted(_) => Shell::Resume,
        // While opening, the screens render at once (a locked store answers "locked" to every
        // read, so nothing personal can show before the unlock screen replaces them).
        VaultState::Opening | VaultState::Plain | VaultState::Unlocked { .. } => Shell::Open,
    });
    view! {
        {move || match shell.get() {
            // Locked: only the unlock screen is rendered, so no patient detail is in the DOM.
            Shell::Locked => match vault.meta_untracked() {
                Some(meta) => view! { <crate::screens::UnlockScreen meta /> }.into_any(),
                None => ().into_any(),
            },
            // A fresh device: how it is used, before anything else.
            Shell::FirstRun => view! { <crate::screens::FirstRunScreen /> }.into_any(),
            // Turning encryption on was interrupted: finish it (or give it up) first.
            Shell::Resume => view! { <crate::screens::ResumeEncryptionScreen /> }.into_any(),
            Shell::Open => view! {
                <Router>
                    <AppHeader open_book=open_identity />
                    <crate::components::UpdateBanner />
                    <crate::components::SupersededNotice />
                    // Says when the lock state is known (a fresh device may still turn to the
                    // first-run choice while it is not), for tests and assistive tools alike.
                    <main id="main" tabindex="-1" data-vault-ready=move || (vault.state() != VaultState::Opening).to_string()>
                        <AppRoutes />
                    </main>
                    <BottomNav />
                </Router>
            }.into_any(),
        }}
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shell {
    Locked,
    Open,
    FirstRun,
    Resume,
}
