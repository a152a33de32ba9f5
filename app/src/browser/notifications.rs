//! System notifications, for the in-app dose reminder. Offered only where the browser has the
//! Notification API and the app runs installed (a home-screen window: browsers throttle or drop
//! notifications of background tabs), and only after the person asks: permission is never
//! requested on load.

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Notification, NotificationOptions, NotificationPermission};

use super::install_prompt::running_installed;

/// What the device allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationSupport {
    /// No Notification API, or the app is not installed: the option is not offered.
    Unavailable,
    /// Not asked yet.
    NotAsked,
    Granted,
    Denied,
}

pub fn support() -> NotificationSupport {
    let Some(window) = web_sys::window() else {
        return NotificationSupport::Unavailable;
    };
    let has_api =
        js_sys::Reflect::has(&window, &JsValue::from_str("Notification")).unwrap_or(false);
    if !has_api || !running_installed() {
        return NotificationSupport::Unavailable;
    }
    from_permission(Notification::permission())
}

fn from_permission(p: NotificationPermission) -> NotificationSupport {
    match p {
        NotificationPermission::Granted => NotificationSupport::Granted,
        NotificationPermission::Denied => NotificationSupport::Denied,
        _ => NotificationSupport::NotAsked,
    }
}

/// Asks the person (the browser shows its own prompt); call only from their tap.
pub async fn request_permission() -> NotificationSupport {
    let Ok(promise) = Notification::request_permission() else {
        return NotificationSupport::Denied;
    };
    match JsFuture::from(promise).await {
        Ok(value) => match value.as_string().as_deref() {
            Some("granted") => NotificationSupport::Granted,
            Some("denied") => NotificationSupport::Denied,
            _ => NotificationSupport::NotAsked,
        },
        Err(_) => NotificationSupport::Denied,
    }
}

/// Shows one notification; `Err` with the browser's reason when it refuses.
pub fn show(title: &str, body: &str) -> Result<(), String> {
    let options = NotificationOptions::new();
    options.set_body(body);
    options.set_tag("so-suc-khoe-dose");
    Notification::new_with_options(title, &options)
        .map(|_| ())
        .map_err(|e| format!("{e:?}"))
}
