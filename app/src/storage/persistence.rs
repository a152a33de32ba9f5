//! Persistent storage and storage usage, for the Settings screen.
//!
//! Without persistence the browser may evict the whole database under storage pressure (Safari
//! deletes site data after seven days without use unless the app is installed), so the app asks
//! for it and shows whether it was granted, next to how much space the books use.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::error::{unexpected_js, StorageError};
pub use super::estimate::StorageEstimate;

/// Whether the browser has promised to keep this site's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Persistence {
    /// Data is kept until the user deletes it.
    Persistent,
    /// The browser may delete the data under storage pressure (the user can still install the app
    /// or bookmark it, which makes browsers more willing to grant persistence).
    BestEffort,
    /// This browser (or an insecure context) has no Storage API.
    Unsupported,
}

/// `navigator.storage`, or `None` where the Storage API does not exist.
fn storage_manager() -> Option<web_sys::StorageManager> {
    let navigator: JsValue = match web_sys::window() {
        Some(window) => window.navigator().into(),
        // In a worker: same API on the worker's navigator.
        None => js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("navigator")).ok()?,
    };
    let storage = js_sys::Reflect::get(&navigator, &JsValue::from_str("storage")).ok()?;
    if storage.is_undefined() || storage.is_null() {
        return None;
    }
    storage.dyn_into::<web_sys::StorageManager>().ok()
}

async fn await_bool(promise: Result<js_sys::Promise, JsValue>) -> Result<bool, StorageError> {
    let promise = promise.map_err(|e| unexpected_js(&e))?;
    let value = JsFuture::from(promise)
        .await
        .map_err(|e| unexpected_js(&e))?;
    Ok(value.as_bool().unwrap_or(false))
}

/// Whether storage is already persistent. Never prompts.
pub async fn persistence_status() -> Result<Persistence, StorageError> {
    let Some(manager) = storage_manager() else {
        return Ok(Persistence::Unsupported);
    };
    Ok(if await_bool(manager.persisted()).await? {
        Persistence::Persistent
    } else {
        Persistence::BestEffort
    })
}

/// Asks the browser to make storage persistent (`navigator.storage.persist()`). Chrome decides
/// silently from site engagement and installation; Firefox may ask the user.
pub async fn request_persistence() -> Result<Persistence, StorageError> {
    let Some(manager) = storage_manager() else {
        return Ok(Persistence::Unsupported);
    };
    Ok(if await_bool(manager.persist()).await? {
        Persistence::Persistent
    } else {
        Persistence::BestEffort
    })
}

/// Space used and available (`navigator.storage.estimate()`); `None` where the browser cannot
/// tell.
pub async fn storage_estimate() -> Result<Option<StorageEstimate>, StorageError> {
    let Some(manager) = storage_manager() else {
        return Ok(None);
    };
    let promise = manager.estimate().map_err(|e| unexpected_js(&e))?;
    let value = JsFuture::from(promise)
        .await
        .map_err(|e| unexpected_js(&e))?;
    let estimate: web_sys::StorageEstimate = value.unchecked_into();
    Ok(match (estimate.get_usage(), estimate.get_quota()) {
        (Some(used), Some(quota)) => Some(StorageEstimate {
            used_bytes: to_bytes(used),
            quota_bytes: to_bytes(quota),
        }),
        _ => None,
    })
}

fn to_bytes(value: f64) -> u64 {
    if value.is_finite() && value > 0.0 {
        // Byte counts are whole numbers far below 2^53.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let bytes = value as u64;
        bytes
    } else {
        0
    }
}
