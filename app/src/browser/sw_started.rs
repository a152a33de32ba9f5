//! Tells the service worker that this version of the app has started. `public/sw.js` keeps the
//! previous version's cache until a new version has started once, and serves the previous version
//! again when a new one keeps failing to start ("Rollback of a bad update" there).

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::service_worker::container;

/// `public/sw.js` listens for the same string.
pub const STARTED_MESSAGE: &str = "STARTED";

/// Posts STARTED to the active worker once there is one (the first install has none yet when the
/// page mounts; `ready` waits for it). Without service workers there is nothing to tell.
pub fn report_started() {
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
