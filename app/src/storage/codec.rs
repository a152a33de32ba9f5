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
//! a value moved to another place fails to authenticate. An encrypted setting seals
//! `{"k": its key, "v": its value}` (marked `n: 1` on the envelope), since its storage name is
//! a one-way HMAC and turning encryption off must put it back under its key. A header carries
//! a save stamp `s` readable without a key: the time on a plain device, an HMAC of it once
//! encrypted. A value with a higher format was
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
/// Format 3, only for the settings the lock keeps in clear (its metadata and migration
/// marker): JSON text in the shape with a device salt and sealed staff names, which a version
/// from before them cannot parse. It is above every format such a version knows, so that
/// version reports "written by a newer version" instead of "damaged". Raise it again with the
/// next change of that shape that older versions cannot read.
pub(crate) const FORMAT_LOCK: u32 = 3;

const FIELD_FORMAT: &str = "f";
const FIELD_BODY: &str = "b";
/// On a book header only: when it was saved (RFC 3339), readable inside a transaction without
/// a key, so a save can check that the stored book is still the one it started from.
const FIELD_SAVED_AT: &str = "s";
/// On an encrypted setting only: 1 when the sealed text is `{"k": key, "v": value}`.
const FIELD_NAMED: &str = "n";

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
        let texts = items
            .iter()
            .map(|(value, _)| to_json(*value))
            .collect::<Result<Vec<_>, _>>()?;
        let items: Vec<(&str, Identity<'_>)> = texts
            .iter()
            .zip(items)
            .map(|(text, (_, identity))| (text.as_str(), *identity))
            .collect();
        self.seal_texts(&items).await
    }

    /// Seals many JSON texts as they are, in order, encrypted ones in one batch.
    pub(crate) async fn seal_texts(
        &self,
        items: &[(&str, Identity<'_>)],
    ) -> Result<Vec<JsValue>, StorageError> {
        let keys = match self {
            RecordCodec::PlainJson => {
                return items
                    .iter()
                    .map(|(text, _)| envelope(FORMAT_JSON, &JsValue::from_str(text)))
                    .collect()
            }
            RecordCodec::Locked => return Err(StorageError::Locked),
            RecordCodec::Sealed(keys) => keys,
        };
        let mut prepared = Vec::with_capacity(items.len());
        for (_, identity) in items {
            let key = match identity {
                Identity::Header { book } | Identity::Record { book, .. } => {
                    keys.book_key_or_new(book)
                        .await
                        .map_err(crypto_failure)?
                        .key
                }
                Identity::Setting { .. } => keys.data.clone(),
            };
            prepared.push((key, identity.aad()));
        }
        let batch: Vec<(&CryptoKey, &[u8], &[u8])> = prepared
            .iter()
            .zip(items)
            .map(|((key, aad), (text, _))| (key, text.as_bytes(), aad.as_slice()))
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
        let mut sealed = self.seal_texts(&[(text, identity)]).await?;
        sealed.pop().ok_or(StorageError::Locked)
    }

    /// Encodes a setting under its storage name (returned with it). Encrypted, the sealed
    /// text carries the setting's own key (its storage name is a one-way HMAC), so turning
    /// encryption off can put every setting back under its name.
    pub(crate) async fn seal_setting<T: Serialize + ?Sized>(
        &self,
        key: &str,
        value: &T,
    ) -> Result<(String, JsValue), StorageError> {
        let name = self.setting_name(key).await?;
        let sealed = self.seal_setting_text(key, &name, &to_json(value)?).await?;
        Ok((name, sealed))
    }

    /// [`seal_setting`](Self::seal_setting) of JSON text as it is, under a known storage name.
    pub(crate) async fn seal_setting_text(
        &self,
        key: &str,
        name: &str,
        text: &str,
    ) -> Result<JsValue, StorageError> {
        match self {
            RecordCodec::PlainJson => envelope(FORMAT_JSON, &JsValue::from_str(text)),
            RecordCodec::Locked => Err(StorageError::Locked),
            RecordCodec::Sealed(_) => {
                let keyed = format!(r#"{{"k":{},"v":{text}}}"#, to_json(key)?);
                let sealed = self
                    .seal_text(&keyed, Identity::Setting { key: name })
                    .await?;
                set_field(&sealed, FIELD_NAMED, &JsValue::from(1))?;
                Ok(sealed)
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
        if !matches!(self, RecordCodec::Sealed(_)) {
            return items
                .iter()
                .map(|(stored, _)| match envelope_format(stored)? {
                    FORMAT_JSON if matches!(self, RecordCodec::PlainJson) => unseal_plain(stored),
                    format => Err(unfitting(format)),
                })
                .collect();
        }
        self.open_texts(items)
            .await
            .into_iter()
            .map(|opened| opened?.parse())
            .collect()
    }

    /// Decrypts many sealed values to their JSON text, in one batch, in order (unlocked only;
    /// anything else is reported per item).
    pub(crate) async fn open_texts(&self, items: &[(&JsValue, Identity<'_>)]) -> Vec<Opened> {
        let RecordCodec::Sealed(keys) = self else {
            return items.iter().map(|_| Err(SkipReason::KeyMissing)).collect();
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
                let named = js_sys::Reflect::get(stored, &JsValue::from_str(FIELD_NAMED))
                    .ok()
                    .and_then(|n| n.as_f64())
                    == Some(1.0);
                Ok((key, envelope_bytes(stored)?, identity.aad(), named))
            })
            .collect();
        let batch: Vec<(&CryptoKey, &[u8], &[u8])> = prepared
            .iter()
            .filter_map(|p| p.as_ref().ok())
            .map(|(key, body, aad, _)| (key, body.as_slice(), aad.as_slice()))
            .collect();
        let mut opened = keys.crypto.open_all(&batch).await.into_iter();
        prepared
            .into_iter()
            .map(|p| {
                let (_, _, _, named) = p?;
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
                Ok(OpenedText { text, named })
            })
            .collect()
    }

    /// A header's save-time stamp as stored (see [`stamp_saved_at`]): the time itself on a
    /// plain device; encrypted, an HMAC of the book's storage name and the time, which a
    /// checked save can compare inside its transaction without revealing when anyone's book
    /// was written.
    pub(crate) async fn saved_stamp(
        &self,
        book: &str,
        saved_at: OffsetDateTime,
    ) -> Result<String, StorageError> {
        let text = rfc3339(saved_at)?;
        match self.keys()? {
            None => Ok(text),
            Some(keys) => keys.saved_stamp(book, &text).await.map_err(crypto_failure),
        }
    }
}

/// A decrypted value's JSON text, and whether it is a setting carrying its own key.
pub(crate) struct OpenedText {
    pub text: Vec<u8>,
    pub named: bool,
}

pub(crate) type Opened = Result<OpenedText, SkipReason>;

impl OpenedText {
    /// The value, unwrapped from its key when it is a named setting.
    pub(crate) fn parse<T: DeserializeOwned>(self) -> Result<T, SkipReason> {
        let malformed = |e: serde_json::Error| SkipReason::Malformed {
            detail: e.to_string(),
        };
        if self.named {
            serde_json::from_slice::<NamedSetting<T>>(&self.text)
                .map(|s| s.v)
                .map_err(malformed)
        } else {
            serde_json::from_slice(&self.text).map_err(malformed)
        }
    }
}

impl OpenedText {
    /// A named setting's key and value as they were sealed.
    pub(crate) fn parse_named(self) -> Result<NamedSetting<serde_json::Value>, SkipReason> {
        serde_json::from_slice(&self.text).map_err(|e| SkipReason::Malformed {
            detail: e.to_string(),
        })
    }
}

/// The plaintext of an encrypted setting: its own key and its value.
#[derive(Deserialize)]
pub(crate) struct NamedSetting<T> {
    pub k: String,
    pub v: T,
}

/// One value ready to decrypt: its key, sealed bytes, additional data, and whether it is a
/// setting carrying its own key.
type ToOpen = (CryptoKey, Vec<u8>, Vec<u8>, bool);

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
        FORMAT_JSON => parse_body(stored),
        FORMAT_SEALED => Err(read_without_keys()),
        format => Err(SkipReason::NewerFormat { format }),
    }
}

/// A setting the lock keeps in clear, as this version writes it (format 3).
pub(crate) fn seal_lock_setting<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, StorageError> {
    envelope(FORMAT_LOCK, &JsValue::from_str(&to_json(value)?))
}

/// A setting the lock keeps in clear, as read: format 3, or format 1 from a version before
/// sealed names (its shape still parses, and the next unlock brings it up to date); a higher
/// format was written by a newer version.
pub(crate) fn unseal_lock_setting<T: DeserializeOwned>(stored: &JsValue) -> Result<T, SkipReason> {
    match envelope_number(stored)? {
        FORMAT_JSON | FORMAT_LOCK => parse_body(stored),
        FORMAT_SEALED => Err(read_without_keys()),
        format => Err(SkipReason::NewerFormat { format }),
    }
}

fn parse_body<T: DeserializeOwned>(stored: &JsValue) -> Result<T, SkipReason> {
    let body = envelope_body(stored)?;
    serde_json::from_str(&body).map_err(|e| SkipReason::Malformed {
        detail: e.to_string(),
    })
}

fn read_without_keys() -> SkipReason {
    SkipReason::Malformed {
        detail: "encrypted, read without keys".into(),
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
    let format = envelope_number(stored)?;
    if format > NEWEST_FORMAT {
        return Err(SkipReason::NewerFormat { format });
    }
    Ok(format)
}

/// The format number of a stored value, whatever this version knows of it.
fn envelope_number(stored: &JsValue) -> Result<u32, SkipReason> {
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
    Ok(format as u32)
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

/// Whether two stored values are the same write, compared without a key: the same format and
/// the same body (a plain value's text, or a sealed value's bytes, whose random IV makes each
/// write's body its own). A checked setting write compares what it read with what is stored.
pub(crate) fn same_stored(read: Option<&JsValue>, stored: Option<&JsValue>) -> bool {
    let (read, stored) = match (read, stored) {
        (None, None) => return true,
        (Some(read), Some(stored)) => (read, stored),
        _ => return false,
    };
    if envelope_number(read).ok() != envelope_number(stored).ok() {
        return false;
    }
    let body = |value: &JsValue| js_sys::Reflect::get(value, &JsValue::from_str(FIELD_BODY)).ok();
    match (body(read), body(stored)) {
        (Some(a), Some(b)) => match (a.as_string(), b.as_string()) {
            (Some(a), Some(b)) => a == b,
            _ => match (
                a.dyn_ref::<js_sys::Uint8Array>(),
                b.dyn_ref::<js_sys::Uint8Array>(),
            ) {
                (Some(a), Some(b)) => a.to_vec() == b.to_vec(),
                // Neither text nor bytes (a damaged value): the same only if it reads the same.
                _ => js_sys::JSON::stringify(read).ok() == js_sys::JSON::stringify(stored).ok(),
            },
        },
        _ => false,
    }
}

/// Marks a header envelope with its save-time stamp (see `RecordCodec::saved_stamp`), readable
/// inside a transaction without a key. Changing it can only make a checked save refuse.
pub(crate) fn stamp_saved_at(header: &JsValue, stamp: &str) -> Result<(), StorageError> {
    set_field(header, FIELD_SAVED_AT, &JsValue::from_str(stamp))
}

/// A stored header's save-time stamp without a key: the envelope's stamp, or (a plain header
/// written before stamps) the time in its body. `None` when neither can be read.
pub(crate) fn stored_stamp(header: &JsValue) -> Option<String> {
    if let Some(stamp) = js_sys::Reflect::get(header, &JsValue::from_str(FIELD_SAVED_AT))
        .ok()
        .and_then(|v| v.as_string())
    {
        return Some(stamp);
    }
    unseal_plain::<BookHeader>(header)
        .ok()
        .and_then(|h| rfc3339(h.saved_at).ok())
}

pub(crate) fn rfc3339(at: OffsetDateTime) -> Result<String, StorageError> {
    at.format(&time::format_description::well_known::Rfc3339)
        .map_err(|e| StorageError::Serialization {
            detail: e.to_string(),
        })
}

fn set_field(object: &JsValue, field: &str, value: &JsValue) -> Result<(), StorageError> {
    js_sys::Reflect::set(object, &JsValue::from_str(field), value)
        .map(|_| ())
        .map_err(|e| StorageError::Serialization {
            detail: format!("{e:?}"),
        })
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
