use leptos::prelude::*;

use super::later_screens::{use_later_screens, LaterScreens, ScreenLoad, ScreenNotLoaded};
use crate::i18n::{use_i18n, Msg};

/// A screen that is not on the first load: its module is fetched on first use, then the screen
/// is shown. When the module cannot be fetched (offline before the service worker kept it, a
/// dropped connection) the screen says so, with a button that tries again; nothing else of the
/// app is affected.
///
/// No `Suspense` here: one around the screen would also wait for every resource the screen
/// reads, and hide the screen's own loading and error states behind this one.
#[component]
pub fn LaterScreen(
    /// Which screen, as the field of [`LaterScreens`] that loads it.
    pick: fn(&LaterScreens) -> ScreenLoad,
) -> impl IntoView {
    let i18n = use_i18n();
    let screens = use_later_screens();
    // Each press of "try again" counts one more attempt; the resource reloads on it.
    let attempts = RwSignal::new(0u32);
    let module = LocalResource::new(move || {
        attempts.track();
        let load = screens.map(|screens| pick(&screens));
        async move {
            match load {
                Some(load) => load().await,
                None => Err(ScreenNotLoaded::NotProvided),
            }
        }
    });
    move || match module.get() {
        None => view! { <p role="status" class="loading">{i18n.text(Msg::Loading)}</p> }.into_any(),
        Some(Ok(screen)) => screen(),
        Some(Err(error)) => {
            crate::console_warn!("screen not loaded: {error}");
            view! {
                <div class="notice error" role="alert" data-testid="screen-not-loaded">
                    <p>{i18n.text(Msg::ScreenNotLoaded)}</p>
                    <button type="button" on:click=move |_| attempts.update(|n| *n += 1)>
                        {i18n.text(Msg::TryAgain)}
                    </button>
                </div>
            }
            .into_any()
        }
    }
}
