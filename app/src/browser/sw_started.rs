//! Tells the service worker that this version of the app has started. `public/sw.js` keeps the
//! previous version's cache until a new version has started once, and serves the previous version
//! again when a new one keeps failing to start ("Rollback of a bad update" there).
//!
//! The start is also when the service worker may register: its install downloads and stores every
//! file of the build, which on a first visit over a slow network must not compete with the first
//! screen ([`after_start`]).

use std::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::service_worker::container;

/// `public/sw.js` listens for the same string.
pub const STARTED_MESSAGE: &str = "STARTED";

/// What waits for the app to start.
type Waiting = Vec<Box<dyn FnOnce()>>;

thread_local! {
    /// `None` once the app has started.
    static WAITING: RefCell<Option<Waiting>> = RefCell::new(Some(Vec::new()));
}

/// Runs `then` once the app has mounted its first screen, or at once if it already has.
pub fn after_start(then: impl FnOnce() + 'static) {
    let now = WAITING.with_borrow_mut(move |waiting| match waiting {
        Some(list) => {
            list.push(Box::new(then));
            None
        }
        None => Some(then),
    });
    if let Some(then) = now {
        then();
    }
}

/// The app has mounted its first screen: runs what waited for that ([`after_start`]), then posts
/// STARTED to the active worker once there is one (the first install has none yet when the page
/// mounts; `ready` waits for it). Without service workers there is nothing to tell.
pub fn report_started() {
    for then in WAITING.with_borrow_mut(Option::take).unwrap_or_default() {
        then();
    }
    let Some(ready) = container().and_then(|c| c.ready().ok()) else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(registration) = JsFuture::from(ready).await else {
            crate::console_warn!("service worker: never became ready");
            return;
        };
        let Some(active) = registration
            .unchecked_into::<web_sys::ServiceWorkerRegistration>()
            .active()
        else {
            return;
        };
        let message = js_sys::Object::new();
        let posted = js_sys::Reflect::set(
            &message,
            &JsValue::from_str("type"),
            &JsValue::from_str(STARTED_MESSAGE),
        )
        .and_then(|_| active.post_message(&message));
        if posted.is_err() {
            crate::console_warn!("service worker: could not report the start");
        }
    });
}
