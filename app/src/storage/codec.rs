//! The boundary between Rust values and what is stored: every value is encoded before a write
//! transaction opens and decoded after a read transaction has finished.
//!
//! Why a separate step: a transaction commits by itself as soon as the event loop has no pending
//! IndexedDB request, so nothing else may be awaited while one is open, and encryption awaits
//! WebCrypto.
//!
//! Stored form of every value (books, records, settings): an envelope object
//! `{ f: <format>, b: <body> }`. Format 1 is a JSON text body (a device without a secret).
//! Format 2 is encrypted: the body is bytes, nonce ‖ AES-GCM ciphertext ‖ tag of the JSON text,
//! under the book's key (headers, records) or the device data key (settings), with the value's
//! identity (store, storage name of the book, of the record or setting) as additional data, so
//! a value moved to another place fails to authenticate. A value with a higher format was
//! written by a newer version of the app and is skipped, never misread (and a book save keeps
//! it); anything that is not an envelope, or whose body does not parse, is damaged and is skipped
//! too. So a change that older versions could not parse must raise the format number.

use std::rc::Rc;

use health_book::{CareRecords, HealthBook, Profile, Provenance};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::CryptoKey;

use super::error::{RecordKind, SkipReason, StorageError};
use super::keys::Keys;
use super::schema::record_store;
use crate::browser::crypto::CryptoError;

/// Format 1: the body is the value as JSON text.
pub(crate) const FORMAT_JSON: u32 = 1;
/// Format 2: the body is the JSON text sealed with AES-GCM (see the module comment).
pub(crate) const FORMAT_SEALED: u32 = 2;
/// The newest format this version reads. Raise it together with a new `RecordCodec` variant.
pub(crate) const NEWEST_FORMAT: u32 = FORMAT_SEALED;

const FIELD_FORMAT: &str = "f";
const FIELD_BODY: &str = "b";
/// On a book header only: when it was saved (RFC 3339), readable inside a transaction without
/// a key, so a save can check that the stored book is still the one it started from.
const FIELD_SAVED_AT: &str = "s";

/// Where a value is stored, by storage names (the ones in the database): its identity, bound to
/// its ciphertext.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Identity<'a> {
    Header {
        book: &'a str,
    },
    Record {
        kind: RecordKind,
        book: &'a str,
        record: &'a str,
    },
    Setting {
        key: &'a str,
    },
}

impl Identity<'_> {
    fn aad(&self) -> Vec<u8> {
        match self {
            Identity::Header { book } => format!("books/{book}"),
            Identity::Record { kind, book, record } => {
                format!("{}/{book}/{record}", record_store(*kind))
            }
            Identity::Setting { key } => format!("settings/{key}"),
        }
        .into_bytes()
    }
}

/// Storage names: the IDs themselves on a device without a secret, their HMACs once encrypted.
impl RecordCodec {
    /// The keys when encrypted, `None` when plain; locked is refused.
    fn keys(&self) -> Result<Option<&Keys>, StorageError> {
        match self {
            RecordCodec::PlainJson => Ok(None),
            RecordCodec::Locked => Err(StorageError::Locked),
            RecordCodec::Sealed(keys) => Ok(Some(keys)),
        }
    }

    pub(crate) async fn book_name(&self, citizen_id: &str) -> Result<String, StorageError> {
        match self.keys()? {
            None => Ok(citizen_id.to_owned()),
            Some(keys) => keys.book_name(citizen_id).await.map_err(crypto_failure),
        }
    }

    pub(crate) async fn record_name(
        &self,
        book: &str,
        record_id: &str,
    ) -> Result<String, StorageError> {
        let mut names = self.record_names(book, &[record_id]).await?;
        names.pop().ok_or(StorageError::Locked)
    }

    /// The storage names of many records of one book, in one batch.
    pub(crate) async fn record_names(
        &self,
        book: &str,
        record_ids: &[&str],
    ) -> Result<Vec<String>, StorageError> {
        match self.keys()? {
            None => Ok(record_ids.iter().map(|id| (*id).to_owned()).collect()),
            Some(keys) => keys
                .record_names(book, record_ids)
                .await
                .map_err(crypto_failure),
        }
    }

    pub(crate) async fn setting_name(&self, key: &str) -> Result<String, StorageError> {
        match self.keys()? {
            None => Ok(key.to_owned()),
            Some(keys) => keys.setting_name(key).await.map_err(crypto_failure),
        }
    }

    /// The stored row of a book's wrapped key, when encrypted: written with every save of the
    /// book (setting name, value).
    pub(crate) async fn book_key_row(
        &self,
        book: &str,
    ) -> Result<Option<(String, JsValue)>, StorageError> {
        match self {
            RecordCodec::Sealed(keys) => {
                let key = keys.book_key_or_new(book).await.map_err(crypto_failure)?;
                Ok(Some((
                    book_key_setting(book),
                    js_sys::Uint8Array::from(key.wrapped.as_slice()).into(),
                )))
            }
            RecordCodec::PlainJson => Ok(None),
            RecordCodec::Locked => Err(StorageError::Locked),
        }
    }
}

/// Settings kept outside the encryption (what unlocking needs before any key is known).
pub(crate) const VAULT_META_SETTING: &str = "vault.meta";
/// Prefix of the settings holding wrapped book keys, one per book's storage name.
pub(crate) const BOOK_KEY_PREFIX: &str = "vault.book.";

pub(crate) fn book_key_setting(book: &str) -> String {
    format!("{BOOK_KEY_PREFIX}{book}")
}

/// How values are turned into stored envelopes and back.
#[derive(Clone, Default)]
pub(crate) enum RecordCodec {
    /// No secret is set: JSON text.
    #[default]
    PlainJson,
    /// A secret is set and the device is locked: nothing can be read or written.
    Locked,
    /// Unlocked: the keys, held in memory until the device locks.
    Sealed(Rc<Keys>),
}

impl RecordCodec {
    /// Encodes a value. Async because encryption awaits WebCrypto, which is why callers must
    /// finish every `seal` before opening a transaction.
    pub(crate) async fn seal<T: Serialize + ?Sized>(
        &self,
        value: &T,
        identity: Identity<'_>,
    ) -> Result<JsValue, StorageError> {
        match self {
            RecordCodec::PlainJson => seal_plain(value),
            RecordCodec::Locked => Err(StorageError::Locked),
            RecordCodec::Sealed(_) => {
                let text = to_json(value)?;
                self.seal_text(&text, identity).await
            }
        }
    }

    /// Encodes many values, in order; encrypted ones in one batch (see `WebCrypto::seal_all`).
    pub(crate) async fn seal_all<T: Serialize>(
        &self,
        items: &[(&T, Identity<'_>)],
    ) -> Result<Vec<JsValue>, StorageError> {
        let keys = match self {
            RecordCodec::PlainJson => {
                return items.iter().map(|(value, _)| seal_plain(*value)).collect()
            }
            RecordCodec::Locked => return Err(StorageError::Locked),
            RecordCodec::Sealed(keys) => keys,
        };
        let mut prepared = Vec::with_capacity(items.len());
        for (value, identity) in items {
            let key = match identity {
                Identity::Header { book } | Identity::Record { book, .. } => {
                    keys.book_key_or_new(book)
                        .await
                        .map_err(crypto_failure)?
                        .key
                }
                Identity::Setting { .. } => keys.data.clone(),
            };
            prepared.push((key, to_json(*value)?, identity.aad()));
        }
        let batch: Vec<(&CryptoKey, &[u8], &[u8])> = prepared
            .iter()
            .map(|(key, text, aad)| (key, text.as_bytes(), aad.as_slice()))
            .collect();
        keys.crypto
            .seal_all(&batch)
            .await
            .into_iter()
            .map(|sealed| {
                let sealed = sealed.map_err(crypto_failure)?;
                envelope(
                    FORMAT_SEALED,
                    &js_sys::Uint8Array::from(sealed.as_slice()).into(),
                )
            })
            .collect()
    }

    /// Seals JSON text as it is (the encryption migration moves stored bodies without parsing
    /// them).
    pub(crate) async fn seal_text(
        &self,
        text: &str,
        identity: Identity<'_>,
    ) -> Result<JsValue, StorageError> {
        match self {
            RecordCodec::PlainJson => envelope(FORMAT_JSON, &JsValue::from_str(text)),
            RecordCodec::Locked => Err(StorageError::Locked),
            RecordCodec::Sealed(keys) => {
                let key = match identity {
                    Identity::Header { book } | Identity::Record { book, .. } => {
                        keys.book_key_or_new(book)
                            .await
                            .map_err(crypto_failure)?
                            .key
                    }
                    Identity::Setting { .. } => keys.data.clone(),
                };
                let sealed = keys
                    .crypto
                    .seal(&key, text.as_bytes(), &identity.aad())
                    .await
                    .map_err(crypto_failure)?;
                envelope(
                    FORMAT_SEALED,
                    &js_sys::Uint8Array::from(sealed.as_slice()).into(),
                )
            }
        }
    }

    /// Decodes a value read from a finished transaction.
    pub(crate) async fn unseal<T: DeserializeOwned>(
        &self,
        stored: &JsValue,
        identity: Identity<'_>,
    ) -> Result<T, SkipReason> {
        let mut values = self.unseal_all(&[(stored, identity)]).await;
        values.pop().unwrap_or(Err(SkipReason::KeyMissing))
    }

    /// Decodes many values read from a finished transaction, in order; encrypted ones are
    /// decrypted in one batch (see `WebCrypto::open_all`).
    pub(crate) async fn unseal_all<T: DeserializeOwned>(
        &self,
        items: &[(&JsValue, Identity<'_>)],
    ) -> Vec<Result<T, SkipReason>> {
        let keys = match self {
            RecordCodec::Sealed(keys) => keys,
            RecordCodec::PlainJson | RecordCodec::Locked => {
                return items
                    .iter()
                    .map(|(stored, _)| match envelope_format(stored)? {
                        FORMAT_JSON if matches!(self, RecordCodec::PlainJson) => {
                            unseal_plain(stored)
                        }
                        format => Err(unfitting(format)),
                    })
                    .collect();
            }
        };
        // What to decrypt, or why an item cannot be.
        let prepared: Vec<Result<ToOpen, SkipReason>> = items
            .iter()
            .map(|(stored, identity)| {
                let format = envelope_format(stored)?;
                if format != FORMAT_SEALED {
                    return Err(unfitting(format));
                }
                let key = match identity {
                    Identity::Header { book } | Identity::Record { book, .. } => {
                        keys.book_key(book).ok_or(SkipReason::KeyMissing)?.key
                    }
                    Identity::Setting { .. } => keys.data.clone(),
                };
                Ok((key, envelope_bytes(stored)?, identity.aad()))
            })
            .collect();
        let batch: Vec<(&CryptoKey, &[u8], &[u8])> = prepared
            .iter()
            .filter_map(|p| p.as_ref().ok())
            .map(|(key, body, aad)| (key, body.as_slice(), aad.as_slice()))
            .collect();
        let mut opened = keys.crypto.open_all(&batch).await.into_iter();
        prepared
            .into_iter()
            .map(|p| {
                p?;
                let text = opened
                    .next()
                    .unwrap_or(Err(CryptoError::Truncated))
                    .map_err(|e| match e {
                        CryptoError::NotAuthentic | CryptoError::Truncated => {
                            SkipReason::NotAuthentic
                        }
                        other => SkipReason::Malformed {
                            detail: other.to_string(),
                        },
                    })?;
                serde_json::from_slice(&text).map_err(|e| SkipReason::Malformed {
                    detail: e.to_string(),
                })
            })
            .collect()
    }
}

/// One value ready to decrypt: its key, sealed bytes and additional data.
type ToOpen = (CryptoKey, Vec<u8>, Vec<u8>);

/// A plain value where everything is encrypted was not written by this app (it encrypts
/// everything at once), and an encrypted one without keys cannot be read.
fn unfitting(format: u32) -> SkipReason {
    SkipReason::Malformed {
        detail: format!("format {format} does not fit this device's encryption"),
    }
}

pub(crate) fn crypto_failure(e: CryptoError) -> StorageError {
    StorageError::Crypto {
        detail: e.to_string(),
    }
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, StorageError> {
    serde_json::to_string(value).map_err(|e| StorageError::Serialization {
        detail: e.to_string(),
    })
}

/// Plain JSON encoding, synchronous: migrations run inside the version-change transaction, where
/// only synchronous work is allowed between requests.
pub(crate) fn seal_plain<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, StorageError> {
    envelope(FORMAT_JSON, &JsValue::from_str(&to_json(value)?))
}

pub(crate) fn unseal_plain<T: DeserializeOwned>(stored: &JsValue) -> Result<T, SkipReason> {
    match envelope_format(stored)? {
        FORMAT_JSON => {
            let body = envelope_body(stored)?;
            serde_json::from_str(&body).map_err(|e| SkipReason::Malformed {
                detail: e.to_string(),
            })
        }
        FORMAT_SEALED => Err(SkipReason::Malformed {
            detail: "encrypted, read without keys".into(),
        }),
        format => Err(SkipReason::NewerFormat { format }),
    }
}

fn envelope(format: u32, body: &JsValue) -> Result<JsValue, StorageError> {
    let object = js_sys::Object::new();
    let set = |field: &str, value: &JsValue| {
        js_sys::Reflect::set(&object, &JsValue::from_str(field), value).map_err(|e| {
            StorageError::Serialization {
                detail: format!("{e:?}"),
            }
        })
    };
    set(FIELD_FORMAT, &JsValue::from(format))?;
    set(FIELD_BODY, body)?;
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

/// The body of a stored value as text: a format-1 body, or for the encryption migration, any
/// other value as JSON (a damaged value is then kept, encrypted, and still reported as damaged).
pub(crate) fn stored_text(stored: &JsValue) -> String {
    if envelope_format(stored) == Ok(FORMAT_JSON) {
        if let Ok(body) = envelope_body(stored) {
            return body;
        }
    }
    js_sys::JSON::stringify(stored)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// Marks a sealed header envelope with its save time (see `FIELD_SAVED_AT`). The time is not
/// secret; changing it can only make a checked save refuse.
pub(crate) fn stamp_saved_at(
    header: &JsValue,
    saved_at: OffsetDateTime,
) -> Result<(), StorageError> {
    let text = saved_at
        .format(&time::format_description::well_known::Rfc3339)
        .map_err(|e| StorageError::Serialization {
            detail: e.to_string(),
        })?;
    js_sys::Reflect::set(
        header,
        &JsValue::from_str(FIELD_SAVED_AT),
        &JsValue::from_str(&text),
    )
    .map(|_| ())
    .map_err(|e| StorageError::Serialization {
        detail: format!("{e:?}"),
    })
}

/// A stored header's save time without a key: the clear stamp of a sealed header, or the
/// plain header's own field. `None` when neither can be read.
pub(crate) fn stored_saved_at(header: &JsValue) -> Option<OffsetDateTime> {
    if let Some(text) = js_sys::Reflect::get(header, &JsValue::from_str(FIELD_SAVED_AT))
        .ok()
        .and_then(|v| v.as_string())
    {
        return OffsetDateTime::parse(&text, &time::format_description::well_known::Rfc3339).ok();
    }
    unseal_plain::<BookHeader>(header).ok().map(|h| h.saved_at)
}

fn envelope_bytes(stored: &JsValue) -> Result<Vec<u8>, SkipReason> {
    js_sys::Reflect::get(stored, &JsValue::from_str(FIELD_BODY))
        .ok()
        .and_then(|b| b.dyn_into::<js_sys::Uint8Array>().ok())
        .map(|b| b.to_vec())
        .ok_or_else(|| SkipReason::Malformed {
            detail: "encrypted envelope without a byte body".into(),
        })
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
    /// Appointments and referrals: a handful per person, so they ride in the header (sealed with
    /// it) instead of stores of their own; absent in headers written before issue 19.
    #[serde(default, skip_serializing_if = "CareRecords::is_empty")]
    pub care: CareRecords,
}

impl BookHeader {
    pub(crate) fn of(book: &HealthBook, saved_at: OffsetDateTime) -> Self {
        BookHeader {
            profile: book.profile.clone(),
            provenance: book.provenance.clone(),
            saved_at,
            vaccination_count: count(book.vaccinations.len()),
            prescription_count: count(book.prescriptions.len()),
            care: book.care.clone(),
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
