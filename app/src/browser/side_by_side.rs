//! Whether the screen is wide enough to show a list and the chosen item side by side (a station
//! tablet, a laptop), following rotation and window resizes as they happen.

use leptos::prelude::*;
use send_wrapper::SendWrapper;

use super::callbacks::EventListener;

/// The width from which lists and their chosen item sit side by side: 900 px at the browser's
/// default text size. In `em`, which media queries take from the browser's default size (not
/// from the app's large-text setting), so this matches the `@media` rules in style/main.css.
pub const SIDE_BY_SIDE_QUERY: &str = "(min-width: 56.25em)";

/// `true` while the window is at least [`SIDE_BY_SIDE_QUERY`] wide. Where the browser cannot
/// tell (no `matchMedia`), the phone layout: one thing at a time works at every width.
pub fn use_side_by_side() -> Signal<bool> {
    let Some(query) =
        web_sys::window().and_then(|w| w.match_media(SIDE_BY_SIDE_QUERY).ok().flatten())
    else {
        return Signal::stored(false);
    };
    let wide = RwSignal::new(query.matches());
    let watched = query.clone();
    // `try_set`: the browser may report a change while the screen is being taken down.
    match EventListener::new(&query, "change", move |_| {
        wide.try_set(watched.matches());
    }) {
        Ok(listener) => {
            let owned = SendWrapper::new(listener);
            on_cleanup(move || drop(owned.take()));
        }
        // Without the listener the layout stays as it opened until the next screen.
        Err(e) => crate::console_warn!("side-by-side layout will not follow resizes: {e}"),
    }
    wide.into()
}
