//! Screen Wake Lock: keeps the screen on while the check-in QR is shown, so it does not dim or
//! lock while the person waits in the queue at reception.
//!
//! Feature-detected (`navigator.wakeLock`): where the browser lacks it, `is_supported` is false
//! and nothing else happens. The browser releases the lock whenever the page is hidden; it is
//! taken again when the page becomes visible. Released on cleanup (leaving the screen).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use thiserror::Error;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::callbacks::EventListener;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WakeLockError {
    #[error("this browser has no Screen Wake Lock")]
    Unsupported,
    /// Refused, e.g. battery saver on, or the page is not visible.
    #[error("the browser refused the wake lock: {0}")]
    Refused(String),
}

/// What a screen gets from [`use_wake_lock`].
#[derive(Clone, Copy)]
pub struct UseWakeLock {
    pub is_supported: bool,
    /// The screen is being kept on right now.
    pub is_active: Signal<bool>,
    /// The last refusal, if any (shown as a hint, never fatal).
    pub error: Signal<Option<WakeLockError>>,
}

fn wake_lock_api() -> Option<JsValue> {
    let navigator = web_sys::window()?.navigator();
    Reflect::get(&navigator, &JsValue::from_str("wakeLock"))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

async fn request_screen_lock() -> Result<JsValue, WakeLockError> {
    let api = wake_lock_api().ok_or(WakeLockError::Unsupported)?;
    let request: Function = Reflect::get(&api, &JsValue::from_str("request"))
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or(WakeLockError::Unsupported)?;
    let promise: Promise = request
        .call1(&api, &JsValue::from_str("screen"))
        .map_err(|e| WakeLockError::Refused(format!("{e:?}")))?
        .dyn_into()
        .map_err(|_| WakeLockError::Unsupported)?;
    JsFuture::from(promise)
        .await
        .map_err(|e| WakeLockError::Refused(format!("{e:?}")))
}

fn release(sentinel: &JsValue) {
    let released = Reflect::get(sentinel, &JsValue::from_str("release"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .map(|f| f.call0(sentinel));
    if !matches!(released, Some(Ok(_))) {
        crate::console_warn!("wake lock: release failed");
    }
}

/// Keep the screen on for as long as the calling component is mounted.
pub fn use_wake_lock() -> UseWakeLock {
    let is_supported = wake_lock_api().is_some();
    let active = RwSignal::new(false);
    let error = RwSignal::new(None::<WakeLockError>);
    if !is_supported {
        return UseWakeLock {
            is_supported,
            is_active: active.into(),
            error: error.into(),
        };
    }

    let sentinel: Rc<RefCell<Option<JsValue>>> = Rc::new(RefCell::new(None));
    let acquire = {
        let sentinel = sentinel.clone();
        move || {
            let sentinel = sentinel.clone();
            leptos::task::spawn_local(async move {
                match request_screen_lock().await {
                    Ok(lock) => {
                        if let Some(old) = sentinel.borrow_mut().replace(lock) {
                            release(&old);
                        }
                        active.set(true);
                        error.set(None);
                    }
                    Err(e) => {
                        active.set(false);
                        error.set(Some(e));
                    }
                }
            });
        }
    };
    acquire();

    // The browser drops the lock when the page is hidden: take it again on return.
    let on_visible = match EventListener::on_page_visible(acquire.clone()) {
        Ok(listener) => Some(listener),
        Err(e) => {
            crate::console_warn!("wake lock: {e}");
            None
        }
    };

    let owned = SendWrapper::new((sentinel, on_visible));
    on_cleanup(move || {
        let (sentinel, listener) = owned.take();
        drop(listener);
        let lock = sentinel.borrow_mut().take();
        if let Some(lock) = lock {
            release(&lock);
        }
    });

    UseWakeLock {
        is_supported,
        is_active: active.into(),
        error: error.into(),
    }
}
