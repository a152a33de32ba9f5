//! The boundary between Rust values and what is stored: every value is encoded before a write
//! transaction opens and decoded after a read transaction has finished.
//!
//! Why a separate step: a transaction commits by itself as soon as the event loop has no pending
//! IndexedDB request, so nothing else may be awaited while one is open. The shared-tablet mode will
//! encrypt each value with WebCrypto (AES-GCM, asynchronous); with encoding outside the
//! transaction that becomes a change to this file only. Keys (citizen ID, record ID, setting name)
//! stay plaintext: they are all IndexedDB needs to find and delete things.
//!
//! Stored form of every value (books, records, settings): an envelope object
//! `{ f: <format>, b: <body> }`. Format 1 is a JSON text body. A value with a higher format was
//! written by a newer version of the app and is skipped, never misread (and a book save keeps
//! it); anything that is not an envelope, or whose body does not parse, is damaged and is skipped
//! too. So a change that older versions could not parse must raise the format number.

use health_book::{HealthBook, Profile, Provenance};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use wasm_bindgen::JsValue;

use super::error::{SkipReason, StorageError};

/// Format 1: the body is the value as JSON text.
pub(crate) const FORMAT_JSON: u32 = 1;
/// The newest format this version reads. Raise it together with a new `RecordCodec` variant.
pub(crate) const NEWEST_FORMAT: u32 = FORMAT_JSON;

const FIELD_FORMAT: &str = "f";
const FIELD_BODY: &str = "b";

/// How values are turned into stored envelopes and back. One variant today; an encrypting variant
/// (a WebCrypto key per device or per person) is meant to slot in here.
#[derive(Debug, Clone, Default)]
pub(crate) enum RecordCodec {
    #[default]
    PlainJson,
}

impl RecordCodec {
    /// Encodes a value. Async on purpose: encryption will await WebCrypto here, which is why
    /// callers must finish every `seal` before opening a transaction.
    pub(crate) async fn seal<T: Serialize + ?Sized>(
        &self,
        value: &T,
    ) -> Result<JsValue, StorageError> {
        match self {
            RecordCodec::PlainJson => seal_plain(value),
        }
    }

    /// Decodes a value read from a finished transaction.
    pub(crate) async fn unseal<T: DeserializeOwned>(
        &self,
        stored: &JsValue,
    ) -> Result<T, SkipReason> {
        match self {
            RecordCodec::PlainJson => unseal_plain(stored),
        }
    }
}

/// Plain JSON encoding, synchronous: migrations run inside the version-change transaction, where
/// only synchronous work is allowed between requests.
pub(crate) fn seal_plain<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, StorageError> {
    let body = serde_json::to_string(value).map_err(|e| StorageError::Serialization {
        detail: e.to_string(),
    })?;
    envelope(FORMAT_JSON, &body)
}

pub(crate) fn unseal_plain<T: DeserializeOwned>(stored: &JsValue) -> Result<T, SkipReason> {
    match envelope_format(stored)? {
        FORMAT_JSON => {
            let body = envelope_body(stored)?;
            serde_json::from_str(&body).map_err(|e| SkipReason::Malformed {
                detail: e.to_string(),
            })
        }
        format => Err(SkipReason::NewerFormat { format }),
    }
}

fn envelope(format: u32, body: &str) -> Result<JsValue, StorageError> {
    let object = js_sys::Object::new();
    let set = |field: &str, value: &JsValue| {
        js_sys::Reflect::set(&object, &JsValue::from_str(field), value).map_err(|e| {
            StorageError::Serialization {
                detail: format!("{e:?}"),
            }
        })
    };
    set(FIELD_FORMAT, &JsValue::from(format))?;
    set(FIELD_BODY, &JsValue::from_str(body))?;
    Ok(object.into())
}

/// The format of a stored value, readable without decoding the body (and, later, without the
/// decryption key): enough to tell "ours, current" from "newer" or "damaged" inside a
/// transaction.
pub(crate) fn envelope_format(stored: &JsValue) -> Result<u32, SkipReason> {
    if !stored.is_object() {
        return Err(SkipReason::Malformed {
            detail: "not an envelope".into(),
        });
    }
    let format = js_sys::Reflect::get(stored, &JsValue::from_str(FIELD_FORMAT))
        .ok()
        .and_then(|f| f.as_f64())
        .ok_or_else(|| SkipReason::Malformed {
            detail: "envelope without a format".into(),
        })?;
    if format.fract() != 0.0 || format < 1.0 || format > f64::from(u32::MAX) {
        return Err(SkipReason::Malformed {
            detail: format!("envelope format {format}"),
        });
    }
    // Checked above: a whole number within u32.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let format = format as u32;
    if format > NEWEST_FORMAT {
        return Err(SkipReason::NewerFormat { format });
    }
    Ok(format)
}

fn envelope_body(stored: &JsValue) -> Result<String, SkipReason> {
    js_sys::Reflect::get(stored, &JsValue::from_str(FIELD_BODY))
        .ok()
        .and_then(|b| b.as_string())
        .ok_or_else(|| SkipReason::Malformed {
            detail: "envelope without a text body".into(),
        })
}

/// What the `books` store holds per book: everything but the records, plus what the list screen
/// shows, so listing never touches the records.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct BookHeader {
    pub profile: Profile,
    pub provenance: Provenance,
    /// When this device last wrote the book.
    #[serde(with = "time::serde::rfc3339")]
    pub saved_at: OffsetDateTime,
    pub vaccination_count: u32,
    pub prescription_count: u32,
}

impl BookHeader {
    pub(crate) fn of(book: &HealthBook, saved_at: OffsetDateTime) -> Self {
        BookHeader {
            profile: book.profile.clone(),
            provenance: book.provenance.clone(),
            saved_at,
            vaccination_count: count(book.vaccinations.len()),
            prescription_count: count(book.prescriptions.len()),
        }
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A record as written: its position in the book, so a load returns records in the order they
/// were saved (the store itself orders them by record ID).
#[derive(Serialize)]
pub(crate) struct RecordOut<'a, T> {
    pub pos: u32,
    pub record: &'a T,
}

#[derive(Deserialize)]
pub(crate) struct RecordIn<T> {
    pub pos: u32,
    pub record: T,
}

impl<'a, T> RecordOut<'a, T> {
    pub(crate) fn new(pos: usize, record: &'a T) -> Self {
        RecordOut {
            pos: count(pos),
            record,
        }
    }
}
