//! Turning encryption on or off: every stored value rewritten, all or nothing, resumable.
//!
//! A [`Migration`] marker is written (in clear, under `vault.migration`) before anything else.
//! Then every row is read in one transaction, rewritten with nothing open (WebCrypto awaits), and
//! the whole database replaced in one strict transaction, which also drops the marker. A page
//! closed before that commit reopens to the old data, readable as before, and the marker says
//! what to finish (see `health_book::device::migration`); after it, to the new data. A failure
//! that is reported (a full disk, a record that fails authentication) changes nothing and
//! removes the marker.

use std::collections::HashMap;

use health_book::device::{Migration, VaultMeta};
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyRange;
use wasm_bindgen::JsValue;

use super::address_key::{stamp_address_key, stored_address_key};
use super::audit::{actor_of, append_to_plain_rows, audit_identity, AuditEvent};
use super::codec::{
    book_key_setting, envelope_format, rfc3339, seal_lock_setting, stamp_saved_at, stored_text,
    BookHeader, Identity, Opened, RecordCodec, FORMAT_SEALED, VAULT_META_SETTING,
};
use super::error::{RecordKind, RecordLocation, SkipReason, SkippedRecord, StorageError};
use super::handle::BookStore;
use super::schema::{
    record_key, split_record_key, AUDIT, BOOKS, PRESCRIPTIONS, SETTINGS, VACCINATIONS,
};
use super::transactions::{read_all, StoreRows};

/// The marker of a migration under way (kept in clear, like the vault metadata).
pub(crate) const MIGRATION_SETTING: &str = "vault.migration";
/// Settings the lock itself keeps (metadata, wrapped keys, the marker): never migrated, the
/// migration writes its own.
const VAULT_PREFIX: &str = "vault.";

/// How a migration step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Migrated {
    /// This page replaced the data.
    Done,
    /// The data was already in the target form when looked at (another page's commit came
    /// first): nothing was written, and only the marker, if left, remains to clear.
    AlreadyDone,
}

/// Whether a read of every store holds the vault metadata: the one witness of the data's form,
/// since every migration writes (or drops) it in the transaction that replaces the data.
fn holds_vault_meta(rows: &[StoreRows]) -> bool {
    rows.iter()
        .filter(|s| s.store == SETTINGS)
        .flat_map(|s| &s.rows)
        .any(|(key, _)| key.as_string().as_deref() == Some(VAULT_META_SETTING))
}

/// Whether any value outside the lock's own settings is encrypted (damaged values, which are
/// no envelope, say nothing).
fn holds_sealed_values(rows: &[StoreRows]) -> bool {
    rows.iter().any(|s| {
        s.rows.iter().any(|(key, value)| {
            !key_text(key).starts_with(VAULT_PREFIX) && envelope_format(value) == Ok(FORMAT_SEALED)
        })
    })
}

impl BookStore {
    /// The migration under way, if a page was closed (or a failure left it) before it finished.
    pub async fn pending_migration(&self) -> Result<Option<Migration>, StorageError> {
        self.clear_setting(MIGRATION_SETTING).await
    }

    pub(super) async fn put_migration_marker(
        &self,
        marker: &Migration,
    ) -> Result<(), StorageError> {
        let value = seal_lock_setting(marker)?;
        self.with_db(|db| self.put_raw_setting(db, MIGRATION_SETTING, &value))
            .await
    }

    pub(super) async fn remove_migration_marker(&self) -> Result<(), StorageError> {
        self.with_db(|db| {
            self.write_tx(db, &[SETTINGS], |tx| {
                tx.object_store(SETTINGS)?
                    .delete::<JsValue, _>(KeyRange::Only(JsValue::from_str(MIGRATION_SETTING)))
                    .primitive()?;
                Ok(())
            })
        })
        .await
    }

    /// Runs one migration step; a reported failure removes the marker (the old data is all
    /// there, so nothing is left to finish) and is returned as it was.
    pub(super) async fn migrate_or_undo<T>(
        &self,
        result: Result<T, StorageError>,
    ) -> Result<T, StorageError> {
        if result.is_err() && self.inner.faults.page_closed.take() {
            // A test's closed page: nothing after the abort runs.
            return result;
        }
        if result.is_err() {
            if let Err(e) = self.remove_migration_marker().await {
                // The marker stays: the next start offers to finish, which is harmless.
                crate::console_warn!("vault: migration marker not removed: {e}");
            }
        }
        result
    }

    /// Replaces every plain value by its sealed form under `codec` (unlocked with the new keys),
    /// writing the vault metadata, every book's wrapped key and the entries of `events` (by
    /// whoever `meta` and `codec` say unlocks) in the same transaction.
    ///
    /// All or nothing, and never twice: if the data read is already encrypted (another page's
    /// commit landed first) nothing is written; if it is partly encrypted without metadata
    /// (which no version writes) it is refused rather than sealed again.
    pub(super) async fn seal_everything(
        &self,
        codec: &RecordCodec,
        meta: &VaultMeta,
        events: &[AuditEvent],
    ) -> Result<Migrated, StorageError> {
        let mut plain = self.with_db(read_all).await?;
        if holds_vault_meta(&plain) {
            return Ok(Migrated::AlreadyDone);
        }
        if holds_sealed_values(&plain) {
            return Err(StorageError::Corrupt {
                detail: "encrypted values without the lock's metadata".into(),
            });
        }
        if !events.is_empty() {
            append_to_plain_rows(&mut plain, actor_of(Some(meta), codec), events).await?;
        }
        let mut content = Vec::with_capacity(plain.len());
        for StoreRows { store, rows } in &plain {
            let rows = match *store {
                BOOKS => seal_headers(codec, rows).await?,
                VACCINATIONS => seal_record_rows(codec, RecordKind::Vaccination, rows).await?,
                PRESCRIPTIONS => seal_record_rows(codec, RecordKind::Prescription, rows).await?,
                AUDIT => reseal_audit_rows(codec, &RecordCodec::PlainJson, rows).await?,
                _ => seal_settings(codec, rows).await?,
            };
            content.push(StoreRows { store, rows });
        }
        let RecordCodec::Sealed(keys) = codec else {
            return Err(StorageError::Locked);
        };
        let mut lock_rows: Vec<(JsValue, JsValue)> = keys
            .books
            .borrow()
            .iter()
            .map(|(book, key)| {
                (
                    JsValue::from_str(&book_key_setting(book)),
                    js_sys::Uint8Array::from(key.wrapped.as_slice()).into(),
                )
            })
            .collect();
        lock_rows.push((
            JsValue::from_str(VAULT_META_SETTING),
            seal_lock_setting(meta)?,
        ));
        if let Some(settings) = content.iter_mut().find(|c| c.store == SETTINGS) {
            settings.rows.extend(lock_rows);
        }
        self.replace_all(&content).await
    }

    /// The migration's one write, if it is still this page's to do.
    async fn replace_all(&self, content: &[StoreRows]) -> Result<Migrated, StorageError> {
        let replaced = self
            .with_db(|db| self.replace_all_tx(db, content, MIGRATION_SETTING))
            .await?;
        Ok(if replaced {
            Migrated::Done
        } else {
            Migrated::AlreadyDone
        })
    }

    /// Replaces every sealed value by its plain form, under its original name: the books under
    /// citizen IDs, records under record IDs, settings under the key each carries sealed. The
    /// vault metadata, wrapped keys and marker are not written back. A value that does not
    /// decrypt stops it before anything is written. Data already readable (no metadata left:
    /// another page's commit landed first) is left as it is.
    pub(super) async fn open_everything(
        &self,
        codec: &RecordCodec,
    ) -> Result<Migrated, StorageError> {
        let sealed = self.with_db(read_all).await?;
        if !holds_vault_meta(&sealed) {
            return Ok(Migrated::AlreadyDone);
        }
        let rows_of = |name: &str| {
            sealed
                .iter()
                .find(|s| s.store == name)
                .map_or(&[][..], |s| s.rows.as_slice())
        };
        // Headers first: they say which citizen ID each book's storage name stands for.
        let (headers, citizens) = open_headers(codec, rows_of(BOOKS)).await?;
        let content = vec![
            StoreRows {
                store: BOOKS,
                rows: headers,
            },
            StoreRows {
                store: VACCINATIONS,
                rows: open_record_rows(
                    codec,
                    RecordKind::Vaccination,
                    rows_of(VACCINATIONS),
                    &citizens,
                )
                .await?,
            },
            StoreRows {
                store: PRESCRIPTIONS,
                rows: open_record_rows(
                    codec,
                    RecordKind::Prescription,
                    rows_of(PRESCRIPTIONS),
                    &citizens,
                )
                .await?,
            },
            StoreRows {
                store: SETTINGS,
                rows: open_settings(codec, rows_of(SETTINGS)).await?,
            },
            StoreRows {
                store: AUDIT,
                rows: reseal_audit_rows(&RecordCodec::PlainJson, codec, rows_of(AUDIT)).await?,
            },
        ];
        self.replace_all(&content).await
    }
}

fn key_text(key: &JsValue) -> String {
    key.as_string().unwrap_or_else(|| format!("{key:?}"))
}

fn unreadable(location: RecordLocation, reason: SkipReason) -> StorageError {
    StorageError::Unreadable(SkippedRecord { location, reason })
}

/// Headers under their books' storage names, each stamped with its save time's stamp (a damaged
/// header is kept, sealed, and still reported as damaged).
async fn seal_headers(
    codec: &RecordCodec,
    rows: &[(JsValue, JsValue)],
) -> Result<Vec<(JsValue, JsValue)>, StorageError> {
    let mut sealed = Vec::with_capacity(rows.len());
    for (key, value) in rows {
        let book = codec.book_name(&key_text(key)).await?;
        let text = stored_text(value);
        let header = codec
            .seal_text(&text, Identity::Header { book: &book })
            .await?;
        if let Ok(parsed) = serde_json::from_str::<BookHeader>(&text) {
            stamp_saved_at(&header, &codec.saved_stamp(&book, parsed.saved_at).await?)?;
        }
        keep_address_key(value, &header)?;
        sealed.push((JsValue::from_str(&book), header));
    }
    Ok(sealed)
}

/// Records, book by book: their storage names and ciphertexts each in one batch.
async fn seal_record_rows(
    codec: &RecordCodec,
    kind: RecordKind,
    rows: &[(JsValue, JsValue)],
) -> Result<Vec<(JsValue, JsValue)>, StorageError> {
    let mut by_book: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for (key, value) in rows {
        let (citizen_id, record_id) = split_record_key(key);
        let text = stored_text(value);
        match by_book.last_mut() {
            Some((last, records)) if *last == citizen_id => records.push((record_id, text)),
            _ => by_book.push((citizen_id, vec![(record_id, text)])),
        }
    }
    let mut sealed = Vec::with_capacity(rows.len());
    for (citizen_id, records) in &by_book {
        let book = codec.book_name(citizen_id).await?;
        let ids: Vec<&str> = records.iter().map(|(id, _)| id.as_str()).collect();
        let names = codec.record_names(&book, &ids).await?;
        let items: Vec<(&str, Identity<'_>)> = records
            .iter()
            .zip(&names)
            .map(|((_, text), record)| {
                (
                    text.as_str(),
                    Identity::Record {
                        kind,
                        book: &book,
                        record,
                    },
                )
            })
            .collect();
        let values = codec.seal_texts(&items).await?;
        sealed.extend(
            names
                .iter()
                .zip(values)
                .map(|(record, value)| (record_key(&book, record), value)),
        );
    }
    Ok(sealed)
}

/// Settings under their HMAC names, each carrying its own key sealed (the lock's own settings
/// are left out: the migration writes them).
async fn seal_settings(
    codec: &RecordCodec,
    rows: &[(JsValue, JsValue)],
) -> Result<Vec<(JsValue, JsValue)>, StorageError> {
    let mut sealed = Vec::with_capacity(rows.len());
    for (key, value) in rows {
        let key = key_text(key);
        if key.starts_with(VAULT_PREFIX) {
            continue;
        }
        let name = codec.setting_name(&key).await?;
        let value = codec
            .seal_setting_text(&key, &name, &stored_text(value))
            .await?;
        sealed.push((JsValue::from_str(&name), value));
    }
    Ok(sealed)
}

/// Plain headers under citizen IDs, and which citizen ID each storage name stands for.
async fn open_headers(
    codec: &RecordCodec,
    rows: &[(JsValue, JsValue)],
) -> Result<(Vec<(JsValue, JsValue)>, HashMap<String, String>), StorageError> {
    let names: Vec<String> = rows.iter().map(|(key, _)| key_text(key)).collect();
    let items: Vec<(&JsValue, Identity<'_>)> = rows
        .iter()
        .zip(&names)
        .map(|((_, value), book)| (value, Identity::Header { book }))
        .collect();
    let opened = codec.open_texts(&items).await;
    let mut plain = Vec::with_capacity(rows.len());
    let mut citizens = HashMap::with_capacity(rows.len());
    for ((book, opened), (_, stored)) in names.into_iter().zip(opened).zip(rows) {
        let location = || RecordLocation::Book { key: book.clone() };
        let text = opened_text(opened).map_err(|reason| unreadable(location(), reason))?;
        let header: BookHeader = serde_json::from_str(&text).map_err(|e| {
            unreadable(
                location(),
                SkipReason::Malformed {
                    detail: e.to_string(),
                },
            )
        })?;
        let citizen_id = header.profile.citizen_id.as_str().to_owned();
        let value = RecordCodec::PlainJson
            .seal_text(&text, Identity::Header { book: &citizen_id })
            .await?;
        stamp_saved_at(&value, &rfc3339(header.saved_at)?)?;
        keep_address_key(stored, &value)?;
        plain.push((JsValue::from_str(&citizen_id), value));
        citizens.insert(book, citizen_id);
    }
    Ok((plain, citizens))
}

/// Plain records under [citizen ID, record ID]; the record ID is read from the record itself.
async fn open_record_rows(
    codec: &RecordCodec,
    kind: RecordKind,
    rows: &[(JsValue, JsValue)],
    citizens: &HashMap<String, String>,
) -> Result<Vec<(JsValue, JsValue)>, StorageError> {
    let names: Vec<(String, String)> = rows.iter().map(|(key, _)| split_record_key(key)).collect();
    let items: Vec<(&JsValue, Identity<'_>)> = rows
        .iter()
        .zip(&names)
        .map(|((_, value), (book, record))| (value, Identity::Record { kind, book, record }))
        .collect();
    let opened = codec.open_texts(&items).await;
    let mut plain = Vec::with_capacity(rows.len());
    for ((book, record), opened) in names.into_iter().zip(opened) {
        let location = || RecordLocation::Record {
            kind,
            citizen_id: book.clone(),
            record_id: record.clone(),
        };
        let text = opened_text(opened).map_err(|reason| unreadable(location(), reason))?;
        let record_id = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v["record"]["id"].as_str().map(str::to_owned));
        let (Some(citizen_id), Some(record_id)) = (citizens.get(&book), record_id) else {
            return Err(unreadable(
                location(),
                SkipReason::Malformed {
                    detail: "a record without its book or ID".into(),
                },
            ));
        };
        let value = RecordCodec::PlainJson
            .seal_text(&text, Identity::Header { book: citizen_id })
            .await?;
        plain.push((record_key(citizen_id, &record_id), value));
    }
    Ok(plain)
}

/// Plain settings under the keys they carry sealed.
async fn open_settings(
    codec: &RecordCodec,
    rows: &[(JsValue, JsValue)],
) -> Result<Vec<(JsValue, JsValue)>, StorageError> {
    let rows: Vec<(String, &JsValue)> = rows
        .iter()
        .map(|(key, value)| (key_text(key), value))
        .filter(|(key, _)| !key.starts_with(VAULT_PREFIX))
        .collect();
    let items: Vec<(&JsValue, Identity<'_>)> = rows
        .iter()
        .map(|(key, value)| (*value, Identity::Setting { key }))
        .collect();
    let opened = codec.open_texts(&items).await;
    let mut plain = Vec::with_capacity(rows.len());
    for ((name, _), opened) in rows.iter().zip(opened) {
        let location = || RecordLocation::Setting { key: name.clone() };
        let named = opened
            .and_then(|o| {
                if o.named {
                    o.parse_named()
                } else {
                    // Sealed before settings carried their key: its name cannot be restored.
                    Err(SkipReason::Malformed {
                        detail: "a setting without its key".into(),
                    })
                }
            })
            .map_err(|reason| unreadable(location(), reason))?;
        let value = RecordCodec::PlainJson
            .seal_text(&named.v.to_string(), Identity::Setting { key: &named.k })
            .await?;
        plain.push((JsValue::from_str(&named.k), value));
    }
    Ok(plain)
}

/// The address key lives on the envelope, outside the sealed body: kept either way, so the
/// book's addresses still open it after encryption is turned on or off.
fn keep_address_key(from: &JsValue, to: &JsValue) -> Result<(), StorageError> {
    match stored_address_key(from) {
        Some(address) => stamp_address_key(to, &address).map_err(|e| StorageError::Serialization {
            detail: format!("{e:?}"),
        }),
        None => Ok(()),
    }
}

/// Audit entries keep their places (counts, which say nothing about who): each is opened
/// with `from` and sealed again with `to`; the chain key moves with the settings, so every
/// tag stays valid.
async fn reseal_audit_rows(
    to: &RecordCodec,
    from: &RecordCodec,
    rows: &[(JsValue, JsValue)],
) -> Result<Vec<(JsValue, JsValue)>, StorageError> {
    let identities: Vec<String> = rows.iter().map(|(key, _)| audit_identity(key)).collect();
    let items: Vec<(&JsValue, Identity<'_>)> = rows
        .iter()
        .zip(&identities)
        .map(|((_, value), key)| (value, Identity::Setting { key }))
        .collect();
    let opened: Vec<Result<serde_json::Value, SkipReason>> = from.unseal_all(&items).await;
    let mut out = Vec::with_capacity(rows.len());
    for (((key, _), identity), entry) in rows.iter().zip(&identities).zip(opened) {
        let entry = entry.map_err(|reason| {
            unreadable(
                RecordLocation::Setting {
                    key: identity.clone(),
                },
                reason,
            )
        })?;
        let value = to.seal(&entry, Identity::Setting { key: identity }).await?;
        out.push((key.clone(), value));
    }
    Ok(out)
}

fn opened_text(opened: Opened) -> Result<String, SkipReason> {
    let opened = opened?;
    String::from_utf8(opened.text).map_err(|e| SkipReason::Malformed {
        detail: e.to_string(),
    })
}
