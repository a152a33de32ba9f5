//! The screens that are not on the first load (issue 17): each is a split point of the release
//! build, a wasm module of its own that the browser fetches the first time the screen opens (and
//! the service worker keeps for offline use).
//!
//! The list below is the only place that names them. The library builds [`LaterScreens`] and
//! their views from it; the app binary (`src/main.rs`) builds its split points from it. The
//! library never reaches a later screen's code except through a [`LaterScreens`] it is given:
//! a path from the first-load code to a screen would keep that screen in the main module.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;

/// The later screens, once: the field that loads each, and its component. Not here: Home,
/// the check-in QR and the book list, which a first visit or a book's opening needs at once.
#[macro_export]
macro_rules! later_screens {
    ($then:ident) => {
        $then! {
            settings => $crate::screens::Settings,
            import => $crate::screens::Import,
            sync_add => $crate::screens::SyncAdd,
            card_scan => $crate::screens::CardScan,
            coming_up => $crate::screens::ComingUp,
            medicine_plan => $crate::screens::MedicinePlan,
            paper_twin => $crate::screens::PaperTwin,
            vaccination_entry => $crate::screens::entry::VaccinationEntry,
            prescription_entry => $crate::screens::entry::PrescriptionEntry,
            vaccinations => $crate::screens::Vaccinations,
            vaccination_detail => $crate::screens::VaccinationDetail,
            prescriptions => $crate::screens::Prescriptions,
            prescription_detail => $crate::screens::PrescriptionDetail,
            active_medicines => $crate::screens::ActiveMedicines,
        }
    };
}

/// Why a later screen could not be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ScreenNotLoaded {
    /// Its module could not be fetched or started (offline before the service worker kept it,
    /// a dropped connection, a server that answered with an error).
    #[error("the screen's module could not be fetched or started")]
    Fetch,
    /// The app was started without the later screens (a mistake in the entry point).
    #[error("no later screens were provided to the app")]
    NotProvided,
}

impl From<leptos::wasm_split::SplitLoaderError> for ScreenNotLoaded {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        Self::Fetch
    }
}

/// Builds a later screen's view. Once the screen's module is loaded this is a plain function
/// pointer into it: `Copy`, so it can sit in a resource, and called where the screen is shown,
/// so the screen's own loading states stay its own (not folded into the module's load).
pub type ScreenView = fn() -> AnyView;
/// A later screen's module, loading.
pub type ScreenFuture = Pin<Box<dyn Future<Output = Result<ScreenView, ScreenNotLoaded>>>>;
/// How one later screen is loaded: a plain function, so the whole set is `Copy` and can be a
/// context.
pub type ScreenLoad = fn() -> ScreenFuture;

macro_rules! define_later_screens {
    ($($name:ident => $screen:path),* $(,)?) => {
        /// How each later screen is loaded: from its own module in the release app, from this
        /// module in the browser tests (whose wasm is not split).
        #[derive(Clone, Copy)]
        pub struct LaterScreens {
            $(pub $name: ScreenLoad,)*
        }

        /// Each later screen's view. Only a [`LaterScreens`] calls these.
        pub mod views {
            use leptos::prelude::*;
            $(
                pub fn $name() -> AnyView {
                    // Untracked, as the router builds a screen: its reads at build time must
                    // not make the caller rebuild it.
                    untrack(|| $screen().into_any())
                }
            )*
        }

        /// Each later screen as a route shows it: [`LaterScreen`](super::LaterScreen), which
        /// loads it through the [`LaterScreens`] the app was given.
        pub mod show {
            use leptos::prelude::*;
            $(
                pub fn $name() -> impl IntoView {
                    view! { <super::super::LaterScreen pick=|s| s.$name /> }
                }
            )*
        }

        impl LaterScreens {
            /// Every later screen from the module this code is in (no split).
            pub fn in_this_module() -> Self {
                Self {
                    $($name: || -> ScreenFuture { Box::pin(async { Ok(views::$name as ScreenView) }) },)*
                }
            }
        }
    };
}

later_screens!(define_later_screens);

/// Makes the later screens known to every [`LaterScreen`](super::LaterScreen) below.
pub fn provide_later_screens(screens: LaterScreens) {
    provide_context(screens);
}

/// The later screens the app was started with; `None` when it was started without them, which
/// the screen shows as an error rather than falling back to code in this module (a fallback
/// would keep every screen in the main module).
pub fn use_later_screens() -> Option<LaterScreens> {
    use_context::<LaterScreens>()
}
