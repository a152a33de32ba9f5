//! What can go wrong with on-device storage, as types the UI can translate.
//!
//! Every IndexedDB failure is mapped here, once, from the DOM exception names browsers use. The
//! variants say what happened to the user's data, not which API call failed, so each one can
//! become one translated sentence.

use std::fmt;

use indexed_db_futures::error::{Error as IdbError, OpenDbError, UnexpectedDataError};
use wasm_bindgen::{JsCast, JsValue};

use super::estimate::StorageEstimate;

/// A storage operation failed. A failed write never leaves a half-written book behind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    /// The device (or the browser's share of it for this site) is full. Nothing was written.
    #[error("the device storage for this app is full")]
    QuotaExceeded,

    /// The database could not be opened at all.
    #[error("the on-device database could not be opened: {reason}")]
    OpenFailed { reason: OpenFailure },

    /// Another tab still runs an older version of the app and holds the database open, so this
    /// version cannot upgrade it. Closing the other tabs and reloading fixes it.
    #[error("another tab with an older version of the app keeps the database open")]
    Blocked,

    /// Another tab upgraded (or deleted) the database while this one was running; this tab closed
    /// its connection and must be reloaded to use the new version.
    #[error("the database was changed by another tab; reload the app")]
    VersionChange,

    /// The browser dropped the connection and reopening it once did not help.
    #[error("the connection to the on-device database was lost")]
    ConnectionLost,

    /// The one value asked for (a book's header, a setting) exists but cannot be read by this
    /// version of the app. Lists and book loads skip such values instead of failing.
    #[error("a stored value could not be read: {0}")]
    Unreadable(SkippedRecord),

    /// A value could not be turned into its stored form. A bug, not a user problem.
    #[error("a value could not be serialized: {detail}")]
    Serialization { detail: String },

    /// The book holds two records of the same kind with the same ID; storing it would silently
    /// keep only one of them, so it is refused.
    #[error("the book has two {kind} records with the ID {id}")]
    DuplicateRecordId { kind: RecordKind, id: String },

    /// The browser aborted the transaction without saying why. Nothing was written.
    #[error("the browser aborted the write: {detail}")]
    Aborted { detail: String },

    /// The database exists but does not have the shape this version expects.
    #[error("the on-device database is damaged: {detail}")]
    Corrupt { detail: String },

    /// The stored book is no longer the one a save was prepared from (another save came first).
    /// Nothing was written.
    #[error("the book was changed on this device in the meantime")]
    ChangedMeanwhile,

    /// Any other failure, kept with the browser's own words for the logs.
    #[error("unexpected storage error {name}: {message}")]
    Unexpected { name: String, message: String },

    // ---- encryption at rest (vault) ----
    /// The device is locked: nothing can be read or written until a secret unlocks it.
    #[error("the device is locked")]
    Locked,

    /// WebCrypto failed while encrypting (not a wrong secret: that is a `VaultError`).
    #[error("encryption failed: {detail}")]
    Crypto { detail: String },
}

/// Why the database could not be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenFailure {
    /// IndexedDB is missing or switched off (some private-browsing modes, disabled site data).
    #[error("IndexedDB is not available in this browser mode")]
    Unavailable,
    /// The browser refuses storage to this page (insecure context, blocked third-party storage).
    #[error("the browser does not allow this page to store data")]
    Denied,
    /// The database was created by a newer version of the app.
    #[error("the database was written by a newer version of the app")]
    NewerVersion,
    /// The browser's storage backend failed (after a crash, a damaged profile, a full disk while
    /// opening). Retried once before being reported.
    #[error("the browser's storage backend failed: {message}")]
    Backend { message: String },
    /// The schema upgrade (migration) did not complete; the previous version's data is untouched.
    #[error("upgrading the stored data failed: {detail}")]
    UpgradeFailed { detail: String },
}

/// The two kinds of records a book holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Vaccination,
    Prescription,
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RecordKind::Vaccination => "vaccination",
            RecordKind::Prescription => "prescription",
        })
    }
}

/// A stored value that was skipped because it could not be read, and where it is. It stays in
/// the database untouched: a newer version of the app may read it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedRecord {
    pub location: RecordLocation,
    pub reason: SkipReason,
}

impl fmt::Display for SkippedRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.location, self.reason)
    }
}

/// Where a skipped value lives. Keys are kept as stored text: a damaged key may not even be a
/// valid citizen ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordLocation {
    /// The header of a book (profile, provenance).
    Book { key: String },
    /// One record of a book.
    Record {
        kind: RecordKind,
        citizen_id: String,
        record_id: String,
    },
    /// A setting.
    Setting { key: String },
}

impl fmt::Display for RecordLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordLocation::Book { key } => write!(f, "book {key}"),
            RecordLocation::Record {
                kind,
                citizen_id,
                record_id,
            } => {
                write!(f, "{kind} {record_id} of book {citizen_id}")
            }
            RecordLocation::Setting { key } => write!(f, "setting {key}"),
        }
    }
}

/// Why a stored value could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// Written by a newer version of the app, in a format this version does not know.
    NewerFormat { format: u32 },
    /// Not in any format the app ever wrote, or its content does not parse: damaged data.
    Malformed { detail: String },
    /// Encrypted, but it does not authenticate: its bytes were changed, or it was moved from
    /// another place. Reported, never shown as empty.
    NotAuthentic,
    /// Encrypted with a book key the device no longer has (the book was deleted).
    KeyMissing,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::NewerFormat { format } => {
                write!(f, "written by a newer app version (format {format})")
            }
            SkipReason::Malformed { detail } => write!(f, "damaged: {detail}"),
            SkipReason::NotAuthentic => f.write_str("fails authentication (changed bytes)"),
            SkipReason::KeyMissing => f.write_str("its key is gone"),
        }
    }
}

/// Name and message of a DOM exception, the only parts of it that mean anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DomError {
    pub name: String,
    pub message: String,
}

impl DomError {
    pub(crate) fn from_dom(e: &web_sys::DomException) -> Self {
        DomError {
            name: e.name(),
            message: e.message(),
        }
    }

    /// Any thrown JS value: DOMException, Error, or something else.
    pub(crate) fn from_js(value: &JsValue) -> Self {
        if let Some(e) = value.dyn_ref::<web_sys::DomException>() {
            return Self::from_dom(e);
        }
        if let Some(e) = value.dyn_ref::<js_sys::Error>() {
            return DomError {
                name: String::from(e.name()),
                message: String::from(e.message()),
            };
        }
        DomError {
            name: "Error".into(),
            message: format!("{value:?}"),
        }
    }

    fn from_idb(e: &IdbError) -> Self {
        match e {
            IdbError::DomException(dom) => {
                let sys: &JsValue = dom.as_ref();
                Self::from_js(sys)
            }
            IdbError::MissingData(UnexpectedDataError::TransactionAborted) => DomError {
                name: "AbortError".into(),
                message: "transaction aborted".into(),
            },
            IdbError::Unknown(js) => {
                let sys: &JsValue = js.as_ref();
                Self::from_js(sys)
            }
            other => DomError {
                name: "Error".into(),
                message: other.to_string(),
            },
        }
    }

    fn is_quota(&self) -> bool {
        self.name == "QuotaExceededError" || self.message.to_ascii_lowercase().contains("quota")
    }

    fn is_abort(&self) -> bool {
        self.name == "AbortError"
    }

    fn into_unexpected(self) -> StorageError {
        StorageError::Unexpected {
            name: self.name,
            message: self.message,
        }
    }
}

/// The inputs for deciding what a failed write means.
pub(crate) struct WriteFailure {
    /// What the operation itself reported (a request error, a failed commit).
    pub error: IdbError,
    /// `IDBTransaction.error` after the abort: where Chrome and Firefox put the real cause
    /// (QuotaExceededError) while each request only says AbortError.
    pub tx_error: Option<web_sys::DomException>,
}

/// Whether storage is close enough to full that an unexplained abort was most likely the quota.
pub(crate) fn nearly_full(estimate: &StorageEstimate) -> bool {
    // Within 1 MiB or 1% of the quota: a book write is tens to hundreds of KiB.
    let margin = (estimate.quota_bytes / 100).max(1 << 20);
    estimate.quota_bytes > 0 && estimate.used_bytes.saturating_add(margin) >= estimate.quota_bytes
}

/// Maps a failed write transaction to what it means. `estimate` is only consulted when the
/// browser gave no reason at all (a bare AbortError), the form quota errors take in some
/// browsers: a nearly full origin then means the quota.
pub(crate) fn classify_write_failure(
    failure: &WriteFailure,
    estimate: Option<&StorageEstimate>,
) -> StorageError {
    let primary = DomError::from_idb(&failure.error);
    let cause = failure.tx_error.as_ref().map(DomError::from_dom);
    if primary.is_quota() || cause.as_ref().is_some_and(DomError::is_quota) {
        return StorageError::QuotaExceeded;
    }
    let explained = cause.as_ref().filter(|c| !c.is_abort());
    match explained {
        Some(cause) => cause.clone().into_unexpected(),
        None if primary.is_abort() || primary.name == "InvalidStateError" => {
            if estimate.is_some_and(nearly_full) {
                StorageError::QuotaExceeded
            } else {
                StorageError::Aborted {
                    detail: primary.message,
                }
            }
        }
        None => primary.into_unexpected(),
    }
}

/// Maps a failure to start a transaction: a closed connection shows up as InvalidStateError.
pub(crate) fn classify_tx_start(error: &IdbError) -> StorageError {
    let dom = DomError::from_idb(error);
    match dom.name.as_str() {
        "InvalidStateError" => StorageError::ConnectionLost,
        "NotFoundError" => StorageError::Corrupt {
            detail: dom.message,
        },
        _ => dom.into_unexpected(),
    }
}

/// Maps a failed read (nothing to roll back, no quota involved).
pub(crate) fn classify_read_failure(error: &IdbError) -> StorageError {
    let dom = DomError::from_idb(error);
    match dom.name.as_str() {
        "InvalidStateError" | "TransactionInactiveError" => StorageError::ConnectionLost,
        "NotFoundError" => StorageError::Corrupt {
            detail: dom.message,
        },
        _ => dom.into_unexpected(),
    }
}

/// Maps a failure to open the database.
pub(crate) fn classify_open_failure(error: &OpenDbError) -> StorageError {
    let dom = match error {
        OpenDbError::NullFactory | OpenDbError::UnsupportedEnvironment => {
            return StorageError::OpenFailed {
                reason: OpenFailure::Unavailable,
            }
        }
        OpenDbError::VersionZero => {
            return StorageError::OpenFailed {
                reason: OpenFailure::UpgradeFailed {
                    detail: "version 0 requested".into(),
                },
            }
        }
        OpenDbError::Base(e) => DomError::from_idb(e),
        // `OpenDbError` may grow variants; none of them is anything but unexpected today.
        #[allow(unreachable_patterns)]
        other => DomError {
            name: "Error".into(),
            message: other.to_string(),
        },
    };
    classify_open_dom(dom)
}

pub(crate) fn classify_open_dom(dom: DomError) -> StorageError {
    let reason = match dom.name.as_str() {
        _ if dom.is_quota() => return StorageError::QuotaExceeded,
        "VersionError" => OpenFailure::NewerVersion,
        "SecurityError" => OpenFailure::Denied,
        // Firefox private windows (before 115) and some embedded webviews throw this on open.
        "InvalidStateError" | "NotSupportedError" => OpenFailure::Unavailable,
        "UnknownError" | "NotReadableError" | "DataError" => OpenFailure::Backend {
            message: dom.message,
        },
        "AbortError" => OpenFailure::UpgradeFailed {
            detail: dom.message,
        },
        _ => OpenFailure::Backend {
            message: format!("{}: {}", dom.name, dom.message),
        },
    };
    StorageError::OpenFailed { reason }
}

/// A migration step's own failure, carried out of the upgrade callback as a DOM-like error so
/// `classify_open_failure` can report it as `UpgradeFailed`.
pub(crate) fn upgrade_error(detail: impl Into<String>) -> IdbError {
    let detail = detail.into();
    match web_sys::DomException::new_with_message_and_name(&detail, "AbortError") {
        Ok(dom) => IdbError::from(dom),
        Err(js) => IdbError::from(js),
    }
}

/// A rejected promise or thrown value from a non-IndexedDB browser API.
pub(crate) fn unexpected_js(value: &JsValue) -> StorageError {
    DomError::from_js(value).into_unexpected()
}

/// A setting that was read but cannot be used, by its key (the name callers use).
pub(super) fn unreadable_setting(key: &str, reason: SkipReason) -> StorageError {
    StorageError::Unreadable(SkippedRecord {
        location: RecordLocation::Setting {
            key: key.to_owned(),
        },
        reason,
    })
}

// `#[wasm_bindgen_test]`: plain `#[test]`s do not run for the wasm32 target this crate is tested on.
#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn dom(name: &str, message: &str) -> web_sys::DomException {
        web_sys::DomException::new_with_message_and_name(message, name).expect("DOMException")
    }

    fn failure(error: IdbError, tx_error: Option<web_sys::DomException>) -> WriteFailure {
        WriteFailure { error, tx_error }
    }

    fn est(used: u64, quota: u64) -> StorageEstimate {
        StorageEstimate {
            used_bytes: used,
            quota_bytes: quota,
        }
    }

    #[wasm_bindgen_test]
    fn nearly_full_uses_a_margin() {
        assert!(nearly_full(&est(100 << 20, 100 << 20)));
        assert!(nearly_full(&est((100 << 20) - 1000, 100 << 20)));
        assert!(!nearly_full(&est(10 << 20, 100 << 20)));
        assert!(!nearly_full(&est(0, 0)));
    }

    #[wasm_bindgen_test]
    fn quota_is_recognised_wherever_the_browser_puts_it() {
        let aborted = || IdbError::from(UnexpectedDataError::TransactionAborted);
        // On the request.
        let f = failure(IdbError::from(dom("QuotaExceededError", "full")), None);
        assert_eq!(
            classify_write_failure(&f, None),
            StorageError::QuotaExceeded
        );
        // On the transaction, the request only saying AbortError (Chrome, Firefox).
        let f = failure(aborted(), Some(dom("QuotaExceededError", "")));
        assert_eq!(
            classify_write_failure(&f, None),
            StorageError::QuotaExceeded
        );
        // Only in the message.
        let f = failure(
            IdbError::from(dom("UnknownError", "Quota exceeded while committing")),
            None,
        );
        assert_eq!(
            classify_write_failure(&f, None),
            StorageError::QuotaExceeded
        );
        // A bare abort: quota only if the origin is nearly full.
        let f = failure(aborted(), None);
        assert_eq!(
            classify_write_failure(&f, Some(&est(50 << 20, 50 << 20))),
            StorageError::QuotaExceeded
        );
        assert!(matches!(
            classify_write_failure(&f, Some(&est(1 << 20, 50 << 20))),
            StorageError::Aborted { .. }
        ));
        assert!(matches!(
            classify_write_failure(&f, None),
            StorageError::Aborted { .. }
        ));
        // Another cause is reported as itself.
        let f = failure(aborted(), Some(dom("ConstraintError", "key exists")));
        assert_eq!(
            classify_write_failure(&f, Some(&est(50 << 20, 50 << 20))),
            StorageError::Unexpected {
                name: "ConstraintError".into(),
                message: "key exists".into()
            }
        );
    }

    #[wasm_bindgen_test]
    fn open_failures_say_what_the_user_can_do() {
        let open = |name: &str| {
            classify_open_dom(DomError {
                name: name.into(),
                message: "m".into(),
            })
        };
        assert_eq!(
            open("VersionError"),
            StorageError::OpenFailed {
                reason: OpenFailure::NewerVersion
            }
        );
        assert_eq!(
            open("SecurityError"),
            StorageError::OpenFailed {
                reason: OpenFailure::Denied
            }
        );
        assert_eq!(
            open("InvalidStateError"),
            StorageError::OpenFailed {
                reason: OpenFailure::Unavailable
            }
        );
        assert_eq!(
            open("UnknownError"),
            StorageError::OpenFailed {
                reason: OpenFailure::Backend {
                    message: "m".into()
                }
            }
        );
        assert_eq!(open("QuotaExceededError"), StorageError::QuotaExceeded);
        assert_eq!(
            classify_open_failure(&OpenDbError::NullFactory),
            StorageError::OpenFailed {
                reason: OpenFailure::Unavailable
            }
        );
        let closed = IdbError::from(dom(
            "InvalidStateError",
            "The database connection is closing.",
        ));
        assert_eq!(classify_tx_start(&closed), StorageError::ConnectionLost);
    }
}
