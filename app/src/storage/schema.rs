//! Database layout, keys, and the migrations between schema versions.
//!
//! The IndexedDB version number is the schema version. Each step from version N to N+1 is one
//! function below, and every open runs the steps from the stored version up to `SCHEMA_VERSION`
//! in order, inside the single version-change transaction the browser gives the upgrade: a
//! fresh install goes through the same steps as an old database, and a failing step aborts that
//! transaction, which leaves the database exactly at its previous version with its previous data.

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use health_book::HealthBook;
use indexed_db_futures::database::Database;
use indexed_db_futures::error::Error as IdbError;
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyRange;
use time::OffsetDateTime;
use wasm_bindgen::JsValue;

use super::address_key::{fresh_address_key, stamp_address_key, stored_address_key};
use super::codec::{seal_plain, BookHeader, RecordOut};
use super::error::{upgrade_error, RecordKind, RecordLocation, SkipReason, SkippedRecord};

/// The database the app uses.
pub const DB_NAME: &str = "so-suc-khoe";

/// The schema version this build reads and writes.
pub const SCHEMA_VERSION: u32 = 4;

/// v1: whole books, one JSON text per citizen ID. v2: book headers, key = citizen ID. v3: each
/// header envelope carries its book's address key (`address_key.rs`).
pub(crate) const BOOKS: &str = "books";
/// v2: one vaccination per row, key = [citizen ID, record ID].
pub(crate) const VACCINATIONS: &str = "vaccinations";
/// v2: one prescription per row, key = [citizen ID, record ID].
pub(crate) const PRESCRIPTIONS: &str = "prescriptions";
/// v2: small settings, key = setting name.
pub(crate) const SETTINGS: &str = "settings";

/// v4: the device's audit log, key = the entry's place (0, 1, 2, ...), value = envelope of the
/// tagged entry (see `audit.rs`). The keys are counts, so they say nothing about who.
pub(crate) const AUDIT: &str = "audit";

/// The stores of the current schema, checked after every open.
pub(crate) const ALL_STORES: [&str; 5] = [BOOKS, VACCINATIONS, PRESCRIPTIONS, SETTINGS, AUDIT];

pub(crate) fn record_store(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Vaccination => VACCINATIONS,
        RecordKind::Prescription => PRESCRIPTIONS,
    }
}

/// Key of one record: `[citizen ID, record ID]`, so all records of a book are one key range.
pub(crate) fn record_key(citizen_id: &str, record_id: &str) -> JsValue {
    js_sys::Array::of2(
        &JsValue::from_str(citizen_id),
        &JsValue::from_str(record_id),
    )
    .into()
}

/// All record keys of one book: from `[id]` (sorts before any `[id, x]`) to `[id, []]` (an array
/// sorts after every string, so after any `[id, "record"]`, and before `[next id, ...]`).
pub(crate) fn book_records_range(citizen_id: &str) -> Result<KeyRange<JsValue>, IdbError> {
    let id = JsValue::from_str(citizen_id);
    let lower = js_sys::Array::of1(&id);
    let upper = js_sys::Array::of2(&id, &js_sys::Array::new());
    let range = web_sys::IdbKeyRange::bound(&lower, &upper)?;
    // `Only` hands the value to IndexedDB as is, and an IDBKeyRange is a valid query.
    Ok(KeyRange::Only(range.into()))
}

/// Splits a record key back into (citizen ID, record ID); damaged keys are shown as text.
pub(crate) fn split_record_key(key: &JsValue) -> (String, String) {
    let array = js_sys::Array::from(key);
    match (array.get(0).as_string(), array.get(1).as_string()) {
        (Some(citizen), Some(record)) if array.length() == 2 => (citizen, record),
        _ => (String::new(), format!("{key:?}")),
    }
}

/// What an upgrade did, for the open that ran it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigrationReport {
    /// Schema version found on disk (0 for a new database).
    pub from_version: u32,
    pub to_version: u32,
    /// Books moved to the new layout.
    pub books_migrated: u32,
    /// Values the migration could not read. Each was kept as is under its old key (nothing is
    /// deleted), so `list_books` keeps reporting it until it is replaced or deleted.
    pub unreadable: Vec<SkippedRecord>,
}

/// Runs every step from `old_version` to `SCHEMA_VERSION`. Called from the upgrade callback, inside
/// the version-change transaction; must await nothing but IndexedDB requests.
pub(crate) async fn upgrade(
    db: &Database,
    old_version: u32,
    report: &RefCell<MigrationReport>,
) -> Result<(), IdbError> {
    report.borrow_mut().from_version = old_version;
    report.borrow_mut().to_version = SCHEMA_VERSION;
    for from in old_version..SCHEMA_VERSION {
        match from {
            0 => v0_to_v1(db)?,
            1 => v1_to_v2(db, report).await?,
            2 => v2_to_v3(db).await?,
            3 => v3_to_v4(db)?,
            other => {
                return Err(upgrade_error(format!(
                    "no migration from schema version {other}"
                )))
            }
        }
    }
    Ok(())
}

/// v1: a single `books` store, out-of-line keys (citizen ID), values are whole books as JSON text.
fn v0_to_v1(db: &Database) -> Result<(), IdbError> {
    db.create_object_store(BOOKS).build()?;
    Ok(())
}

/// v2: books split into a header and one row per record, so listing reads only headers and one
/// record can be replaced alone; every value is a codec envelope; settings get their own store.
async fn v1_to_v2(db: &Database, report: &RefCell<MigrationReport>) -> Result<(), IdbError> {
    // Creating a store is the only way this library gives to the version-change transaction,
    // needed to read the v1 data before its store is replaced.
    let vaccinations = db.create_object_store(VACCINATIONS).build()?;
    db.create_object_store(PRESCRIPTIONS).build()?;
    db.create_object_store(SETTINGS).build()?;
    let tx = vaccinations.transaction();

    let (keys, values) = {
        let old = tx.object_store(BOOKS)?;
        let keys = old.get_all_keys::<JsValue>().primitive()?;
        let values = old.get_all::<JsValue>().primitive()?;
        let keys: Vec<JsValue> = keys.await?.collect::<Result<_, _>>()?;
        let values: Vec<JsValue> = values.await?.collect::<Result<_, _>>()?;
        (keys, values)
    };
    if keys.len() != values.len() {
        return Err(upgrade_error("v1 books: key and value counts differ"));
    }

    db.delete_object_store(BOOKS)?;
    let books = db.create_object_store(BOOKS).build()?;
    let prescriptions = tx.object_store(PRESCRIPTIONS)?;
    let now = OffsetDateTime::now_utc();

    for (key, value) in keys.iter().zip(values.iter()) {
        let key_text = key.as_string().unwrap_or_else(|| format!("{key:?}"));
        match v1_book(&key_text, value) {
            Ok(book) => {
                let saved_at = book
                    .provenance
                    .last_synced_at
                    .or(book.provenance.source_updated_at)
                    .unwrap_or(now);
                let header = seal_plain(&BookHeader::of(&book, saved_at))
                    .map_err(|e| upgrade_error(e.to_string()))?;
                books
                    .put(header)
                    .with_key(key.clone())
                    .without_key_type()
                    .primitive()?;
                let id = book.citizen_id().as_str();
                for (pos, v) in book.vaccinations.iter().enumerate() {
                    let sealed = seal_plain(&RecordOut::new(pos, v))
                        .map_err(|e| upgrade_error(e.to_string()))?;
                    vaccinations
                        .put(sealed)
                        .with_key(record_key(id, v.id.as_str()))
                        .without_key_type()
                        .primitive()?;
                }
                for (pos, p) in book.prescriptions.iter().enumerate() {
                    let sealed = seal_plain(&RecordOut::new(pos, p))
                        .map_err(|e| upgrade_error(e.to_string()))?;
                    prescriptions
                        .put(sealed)
                        .with_key(record_key(id, p.id.as_str()))
                        .without_key_type()
                        .primitive()?;
                }
                report.borrow_mut().books_migrated += 1;
            }
            Err(reason) => {
                // Kept byte for byte under its key: it is not an envelope, so every later read
                // reports it as damaged instead of losing it.
                books
                    .put(value.clone())
                    .with_key(key.clone())
                    .without_key_type()
                    .primitive()?;
                report.borrow_mut().unreadable.push(SkippedRecord {
                    location: RecordLocation::Book { key: key_text },
                    reason,
                });
            }
        }
    }
    // The puts above complete before the version-change transaction commits; a failing one
    // aborts it and the open reports the error with the v1 data untouched.
    Ok(())
}

/// Only to reach the version-change transaction in a step that creates no store of its own.
const SCRATCH: &str = "upgrade-scratch";

/// v3: every stored book gets an address key, so the book list can name it in an address
/// without its citizen ID. Set on the envelope, so encrypted headers get one without a key to
/// read them; a value that is no envelope (a damaged v1 book kept as is) is left alone, and
/// stays reported as damaged.
async fn v2_to_v3(db: &Database) -> Result<(), IdbError> {
    let scratch = db.create_object_store(SCRATCH).build()?;
    let tx = scratch.transaction();
    db.delete_object_store(SCRATCH)?;
    let books = tx.object_store(BOOKS)?;
    let keys = books.get_all_keys::<JsValue>().primitive()?;
    let values = books.get_all::<JsValue>().primitive()?;
    let keys: Vec<JsValue> = keys.await?.collect::<Result<_, _>>()?;
    let values: Vec<JsValue> = values.await?.collect::<Result<_, _>>()?;
    for (key, value) in keys.iter().zip(&values) {
        if !value.is_object() || stored_address_key(value).is_some() {
            continue;
        }
        let address = fresh_address_key().map_err(|e| upgrade_error(e.to_string()))?;
        stamp_address_key(value, &address)?;
        books
            .put(value.clone())
            .with_key(key.clone())
            .without_key_type()
            .primitive()?;
    }
    Ok(())
}

/// v4: the audit log gets its own store (entries are appended, never rewritten but to drop a
/// signed-out person's mention).
fn v3_to_v4(db: &Database) -> Result<(), IdbError> {
    db.create_object_store(AUDIT).build()?;
    Ok(())
}

/// Reads one v1 value: JSON text of a whole book, stored under its citizen ID.
fn v1_book(key: &str, value: &JsValue) -> Result<HealthBook, SkipReason> {
    let text = value.as_string().ok_or_else(|| SkipReason::Malformed {
        detail: "v1 book is not JSON text".into(),
    })?;
    let book: HealthBook = serde_json::from_str(&text).map_err(|e| SkipReason::Malformed {
        detail: e.to_string(),
    })?;
    if book.citizen_id().as_str() != key {
        return Err(SkipReason::Malformed {
            detail: format!("stored under {key} but belongs to {}", book.citizen_id()),
        });
    }
    // v2 keys records by ID; two records sharing one would collapse into one row.
    for (kind, ids) in [
        (
            RecordKind::Vaccination,
            book.vaccinations
                .iter()
                .map(|v| v.id.as_str())
                .collect::<Vec<_>>(),
        ),
        (
            RecordKind::Prescription,
            book.prescriptions.iter().map(|p| p.id.as_str()).collect(),
        ),
    ] {
        if let Some(dup) = first_duplicate(ids.iter().copied()) {
            return Err(SkipReason::Malformed {
                detail: format!("two {kind} records with ID {dup}"),
            });
        }
    }
    Ok(book)
}

pub(crate) fn first_duplicate<'a>(ids: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut seen = HashSet::new();
    ids.into_iter().find(|id| !seen.insert(*id))
}

/// Shared slot the upgrade callback writes its report into (the callback must be `'static`).
pub(crate) type SharedReport = Rc<RefCell<MigrationReport>>;
