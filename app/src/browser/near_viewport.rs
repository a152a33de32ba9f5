//! Knowing when an element comes near the visible part of the page (`IntersectionObserver`), so a
//! long list can grow before the person scrolls to its end.

use thiserror::Error;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NearViewportError {
    /// No `IntersectionObserver` (very old browsers): callers keep their button instead.
    #[error("this browser cannot tell when an element scrolls into view")]
    Unsupported,
}

/// Calls `on_near` whenever the watched element comes within `margin_px` below the viewport,
/// and once right away if it already is. Stops watching when dropped, so the callback is freed
/// with it (never leaked with `Closure::forget`).
pub struct NearViewport {
    observer: IntersectionObserver,
    _callback: Closure<dyn FnMut(js_sys::Array)>,
}

impl NearViewport {
    pub fn watch(
        target: &Element,
        margin_px: u32,
        mut on_near: impl FnMut() + 'static,
    ) -> Result<Self, NearViewportError> {
        let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            let near = entries.iter().any(|entry| {
                entry
                    .dyn_into::<IntersectionObserverEntry>()
                    .is_ok_and(|entry| entry.is_intersecting())
            });
            if near {
                on_near();
            }
        });
        let options = IntersectionObserverInit::new();
        options.set_root_margin(&format!("0px 0px {margin_px}px 0px"));
        let observer =
            IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &options)
                .map_err(|_| NearViewportError::Unsupported)?;
        observer.observe(target);
        Ok(NearViewport {
            observer,
            _callback: callback,
        })
    }
}

impl Drop for NearViewport {
    fn drop(&mut self) {
        // After this the browser no longer holds the callback, so freeing it is safe.
        self.observer.disconnect();
    }
}
