//! So Suc Khoe web app: the thin browser shell around the `health-book` core.
//!
//! - `storage`: the only code that touches IndexedDB.
//! - `browser`: one file per browser capability (wake lock, persistence, service worker, ...).
//! - `i18n`: every user-facing string, Vietnamese and English.
//! - `screens`: one file per screen; `components`: pieces shared by screens.

pub mod storage;
