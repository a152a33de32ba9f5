//! Small values in `localStorage`: display preferences (language, text size) and the books-held
//! marker (`books_held_marker.rs`).
//!
//! Preferences are read synchronously before the first render, so the app never flashes in the
//! wrong language or text size; IndexedDB (async) would. Health data never goes here.

use thiserror::Error;

pub const LOCALE_KEY: &str = "ssk.locale";
pub const LARGE_TEXT_KEY: &str = "ssk.large-text";
pub const MINIMAL_CHECK_IN_KEY: &str = "ssk.check-in-minimal";

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PreferenceError {
    /// No `window` (not in a browser) or `localStorage` is disabled (some private modes,
    /// enterprise policies).
    #[error("localStorage is not available")]
    Unavailable,
    /// The write was refused, typically because the origin's storage is full.
    #[error("localStorage refused the write")]
    WriteRefused,
}

fn storage() -> Result<web_sys::Storage, PreferenceError> {
    web_sys::window()
        .ok_or(PreferenceError::Unavailable)?
        .local_storage()
        .map_err(|_| PreferenceError::Unavailable)?
        .ok_or(PreferenceError::Unavailable)
}

pub fn read(key: &str) -> Result<Option<String>, PreferenceError> {
    storage()?
        .get_item(key)
        .map_err(|_| PreferenceError::Unavailable)
}

pub fn write(key: &str, value: &str) -> Result<(), PreferenceError> {
    storage()?
        .set_item(key, value)
        .map_err(|_| PreferenceError::WriteRefused)
}

pub fn remove(key: &str) -> Result<(), PreferenceError> {
    storage()?
        .remove_item(key)
        .map_err(|_| PreferenceError::WriteRefused)
}
