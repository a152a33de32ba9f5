//! The transactions: reads, and strict read-write transactions for every write.

use std::collections::HashSet;

use indexed_db_futures::database::Database;
use indexed_db_futures::error::Error as IdbError;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{
    Transaction, TransactionDurability, TransactionMode, TransactionOptions,
};
use indexed_db_futures::KeyRange;
use wasm_bindgen::JsValue;

use super::address_key::{stamp_address_key, stored_address_key};
use super::audit::PreparedAudit;
use super::books_held::RaiseAfterCommit;
use super::codec::{envelope_format, same_stored, stored_stamp};
use super::encoding::EncodedBook;
use super::error::{
    classify_read_failure, classify_tx_start, classify_write_failure, RecordKind, StorageError,
    WriteFailure,
};
use super::handle::BookStore;
use super::persistence::storage_estimate;
use super::schema::{
    book_records_range, record_key, record_store, split_record_key, ALL_STORES, BOOKS,
    PRESCRIPTIONS, SETTINGS, VACCINATIONS,
};

/// The stored header a checked save expects, in the form it can be compared in inside the
/// transaction, where no key can be used: its save-time stamp, computed before it opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ExpectedHeader {
    Absent,
    Stamp(String),
}

/// Whether the stored header is the book a save expects.
fn is_stored(expected: &ExpectedHeader, header: Option<&JsValue>) -> bool {
    match (expected, header) {
        (ExpectedHeader::Absent, None) => true,
        (ExpectedHeader::Stamp(stamp), Some(header)) => {
            stored_stamp(header).as_ref() == Some(stamp)
        }
        _ => false,
    }
}

fn strict() -> TransactionOptions {
    TransactionOptions::new().with_durability(TransactionDurability::Strict)
}

fn raw_transaction(tx: &Transaction<'_>) -> web_sys::IdbTransaction {
    let raw: &web_sys::IdbTransaction = tx.as_sys();
    raw.clone()
}

/// Rows of one book as read from a finished transaction, still encoded.
pub(super) struct RawBook {
    pub(super) header: JsValue,
    pub(super) vaccinations: Vec<(JsValue, JsValue)>,
    pub(super) prescriptions: Vec<(JsValue, JsValue)>,
}

type PendingAll = indexed_db_futures::future::GetAllPrimitiveRequest<JsValue>;

/// Issues getAllKeys and getAll over the same range; within one transaction both see the same
/// rows in the same (key) order.
pub(super) fn request_rows(
    store: &ObjectStore<'_>,
    range: Option<KeyRange<JsValue>>,
) -> Result<(PendingAll, PendingAll), IdbError> {
    Ok(match range {
        Some(range) => (
            store
                .get_all_keys::<JsValue>()
                .with_query::<JsValue, _>(range.clone())
                .primitive()?,
            store
                .get_all::<JsValue>()
                .with_query::<JsValue, _>(range)
                .primitive()?,
        ),
        None => (
            store.get_all_keys::<JsValue>().primitive()?,
            store.get_all::<JsValue>().primitive()?,
        ),
    })
}

pub(super) async fn collect_rows(
    pending: (PendingAll, PendingAll),
) -> Result<Vec<(JsValue, JsValue)>, IdbError> {
    let keys: Vec<JsValue> = pending.0.await?.collect::<Result<_, _>>()?;
    let values: Vec<JsValue> = pending.1.await?.collect::<Result<_, _>>()?;
    Ok(keys.into_iter().zip(values).collect())
}

pub(super) fn begin_read<'a>(
    db: &'a Database,
    stores: &[&str],
) -> Result<Transaction<'a>, StorageError> {
    db.transaction(stores)
        .with_mode(TransactionMode::Readonly)
        .build()
        .map_err(|e| classify_tx_start(&e))
}

/// Ends a read transaction: its requests' outcome, then the commit, each mapped to what it means.
pub(super) async fn finish_read<T>(
    tx: Transaction<'_>,
    read: Result<T, IdbError>,
) -> Result<T, StorageError> {
    let value = read.map_err(|e| classify_read_failure(&e))?;
    tx.commit().await.map_err(|e| classify_read_failure(&e))?;
    Ok(value)
}

/// Opens a strict read-write transaction, with the raw handle that reads its error after an
/// abort (where browsers put the real cause).
fn begin_write<'a>(
    db: &'a Database,
    stores: &[&str],
) -> Result<(Transaction<'a>, web_sys::IdbTransaction), StorageError> {
    let tx = db
        .transaction(stores)
        .with_mode(TransactionMode::Readwrite)
        .with_options(strict())
        .build()
        .map_err(|e| classify_tx_start(&e))?;
    let raw = raw_transaction(&tx);
    Ok((tx, raw))
}

/// How much of a book a read takes: the check-in QR and the header need the profile alone, and a
/// book can hold thousands of records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BookParts {
    /// The header row only; the raw book's record lists stay empty.
    Header,
    /// The header and every record.
    Whole,
}

pub(super) async fn read_book(
    db: Database,
    citizen_id: &str,
    parts: BookParts,
) -> Result<Option<RawBook>, StorageError> {
    let stores: &[&str] = match parts {
        BookParts::Header => &[BOOKS],
        BookParts::Whole => &[BOOKS, VACCINATIONS, PRESCRIPTIONS],
    };
    let tx = begin_read(&db, stores)?;
    let raw = async {
        let books = tx.object_store(BOOKS)?;
        let header = books
            .get::<JsValue, JsValue, _>(JsValue::from_str(citizen_id))
            .primitive()?;
        let records = match parts {
            BookParts::Header => None,
            BookParts::Whole => {
                let range = book_records_range(citizen_id)?;
                Some((
                    request_rows(&tx.object_store(VACCINATIONS)?, Some(range.clone()))?,
                    request_rows(&tx.object_store(PRESCRIPTIONS)?, Some(range))?,
                ))
            }
        };
        let Some(header) = header.await? else {
            return Ok(None);
        };
        let (vaccinations, prescriptions) = match records {
            None => (Vec::new(), Vec::new()),
            Some((vaccinations, prescriptions)) => (
                collect_rows(vaccinations).await?,
                collect_rows(prescriptions).await?,
            ),
        };
        Ok(Some(RawBook {
            header,
            vaccinations,
            prescriptions,
        }))
    }
    .await;
    finish_read(tx, raw).await
}

pub(super) async fn read_headers(db: Database) -> Result<Vec<(JsValue, JsValue)>, StorageError> {
    let tx = begin_read(&db, &[BOOKS])?;
    let rows = async { collect_rows(request_rows(&tx.object_store(BOOKS)?, None)?).await }.await;
    finish_read(tx, rows).await
}

/// How many books the database holds (readable or not; nothing is decoded).
pub(super) async fn read_book_count(db: Database) -> Result<u32, StorageError> {
    let tx = begin_read(&db, &[BOOKS])?;
    let count = async { tx.object_store(BOOKS)?.count().primitive()?.await }.await;
    finish_read(tx, count).await
}

pub(super) async fn read_setting(db: Database, key: &str) -> Result<Option<JsValue>, StorageError> {
    read_one(db, SETTINGS, key).await
}

/// Several settings read in one transaction (so they are seen as of one moment), in order.
pub(super) async fn read_settings(
    db: Database,
    keys: &[&str],
) -> Result<Vec<Option<JsValue>>, StorageError> {
    let tx = begin_read(&db, &[SETTINGS])?;
    let values = async {
        let store = tx.object_store(SETTINGS)?;
        let pending = keys
            .iter()
            .map(|key| {
                store
                    .get::<JsValue, JsValue, _>(JsValue::from_str(key))
                    .primitive()
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut values = Vec::with_capacity(pending.len());
        for request in pending {
            values.push(request.await?);
        }
        Ok(values)
    }
    .await;
    finish_read(tx, values).await
}

async fn read_one(db: Database, store: &str, key: &str) -> Result<Option<JsValue>, StorageError> {
    let tx = begin_read(&db, &[store])?;
    let value = async {
        tx.object_store(store)?
            .get::<JsValue, JsValue, _>(JsValue::from_str(key))
            .primitive()?
            .await
    }
    .await;
    finish_read(tx, value).await
}

impl BookStore {
    /// Runs a strict read-write transaction whose requests are all issued by `issue` (nothing is
    /// awaited in between), commits it, and maps a failure to what it means.
    pub(super) async fn write_tx(
        &self,
        db: Database,
        stores: &[&str],
        issue: impl FnOnce(&Transaction<'_>) -> Result<(), IdbError>,
    ) -> Result<(), StorageError> {
        let (tx, raw) = begin_write(&db, stores)?;
        let issued = issue(&tx);
        self.finish_write(tx, &raw, issued, None).await
    }

    /// Commits a write transaction whose requests were all issued, or aborts it if issuing
    /// failed; a failure is explained from the transaction's own error (or one a test injected).
    async fn finish_write(
        &self,
        tx: Transaction<'_>,
        raw: &web_sys::IdbTransaction,
        issued: Result<(), IdbError>,
        injected: Option<web_sys::DomException>,
    ) -> Result<(), StorageError> {
        let result = match issued {
            Ok(()) => tx.commit().await,
            Err(e) => {
                drop(tx); // aborts: nothing of this write is kept
                Err(e)
            }
        };
        match result {
            Ok(()) => Ok(()),
            Err(error) => {
                let tx_error = injected.or_else(|| raw.error());
                Err(self
                    .explain_write_failure(WriteFailure { error, tx_error })
                    .await)
            }
        }
    }

    /// One strict transaction: setting `name` becomes `value`, with its audit entry, only if
    /// the stored value is still `read` (compared inside the transaction, see `same_stored`);
    /// otherwise nothing is written and the answer is [`StorageError::ChangedMeanwhile`].
    pub(super) async fn write_setting_checked(
        &self,
        db: Database,
        name: &str,
        value: &JsValue,
        read: Option<&JsValue>,
        audit: Option<&PreparedAudit>,
    ) -> Result<(), StorageError> {
        let stores = audit.map_or_else(|| vec![SETTINGS], |a| a.stores(&[SETTINGS]));
        let (tx, raw) = begin_write(&db, &stores)?;
        let mut changed = false;
        let issued = async {
            let store = tx.object_store(SETTINGS)?;
            // Read in this transaction, so no other write can come between the check and the
            // write (awaiting an IndexedDB request keeps the transaction alive).
            let stored = store
                .get::<JsValue, JsValue, _>(JsValue::from_str(name))
                .primitive()?
                .await?;
            if !same_stored(read, stored.as_ref()) {
                changed = true;
                return Ok(());
            }
            store
                .put(value.clone())
                .with_key(name)
                .without_key_type()
                .primitive()?;
            audit.map_or(Ok(()), |a| a.issue(&tx))
        }
        .await;
        if changed {
            drop(tx); // aborts: nothing of this write is kept
            return Err(StorageError::ChangedMeanwhile);
        }
        self.finish_write(tx, &raw, issued, None).await
    }

    /// One strict transaction: each book's header, records and (encrypted) key, and the
    /// settings that must change with them (a sync's snapshot, an import's correction notes).
    /// With `expected`, the stored
    /// book is checked first, inside the transaction. A failure anywhere keeps none of it.
    pub(super) async fn write_book(
        &self,
        db: Database,
        books: &[EncodedBook],
        settings: &[(&str, &JsValue)],
        expected: Option<ExpectedHeader>,
        audit: Option<&PreparedAudit>,
    ) -> Result<(), StorageError> {
        let own: &[&'static str] =
            if !settings.is_empty() || books.iter().any(|b| b.book_key.is_some()) {
                &[BOOKS, VACCINATIONS, PRESCRIPTIONS, SETTINGS]
            } else {
                &[BOOKS, VACCINATIONS, PRESCRIPTIONS]
            };
        let stores = audit.map_or_else(|| own.to_vec(), |a| a.stores(own));
        let (tx, raw) = begin_write(&db, &stores)?;
        let mut injected = None;
        let mut changed = false;
        let filled = async {
            if let Some(expected) = &expected {
                // Read in this transaction, so no other save can come between the check and
                // the write. A checked save is a sync's, of the one book it started from.
                for book in books {
                    let stored = tx
                        .object_store(BOOKS)?
                        .get::<JsValue, JsValue, _>(JsValue::from_str(&book.citizen_id))
                        .primitive()?
                        .await?;
                    if !is_stored(expected, stored.as_ref()) {
                        changed = true;
                        return Ok(None);
                    }
                }
            }
            for (key, value) in settings {
                // Issued first: a book save that fails later aborts the transaction, and this with it.
                tx.object_store(SETTINGS)?
                    .put((*value).clone())
                    .with_key(*key)
                    .without_key_type()
                    .primitive()?;
            }
            if let Some(audit) = audit {
                // Issued before the book: an entry that cannot be added (another tab took its
                // place) aborts the save with it.
                audit.issue(&tx)?;
            }
            for book in books {
                if let Some((key, value)) = &book.book_key {
                    tx.object_store(SETTINGS)?
                        .put(value.clone())
                        .with_key(key.as_str())
                        .without_key_type()
                        .primitive()?;
                }
                if !self.fill_book(&tx, &raw, book, &mut injected).await? {
                    return Ok(None); // a test fault aborted the transaction
                }
            }
            // Last: the count sees every book this transaction leaves.
            self.mark_books_held(&tx).await.map(Some)
        }
        .await;
        if changed {
            drop(tx); // aborts: nothing of this save is kept
            return Err(StorageError::ChangedMeanwhile);
        }
        let (issued, raise) = split_raise(filled);
        self.finish_write(tx, &raw, issued, injected).await?;
        if let Some(raise) = raise {
            self.raise_books_held(raise);
        }
        Ok(())
    }

    /// Issues every request of a book save. Awaits only the reads of the book's current rows
    /// (IndexedDB requests, which keep the transaction alive). `false` when a test fault
    /// aborted the transaction before all were issued.
    async fn fill_book(
        &self,
        tx: &Transaction<'_>,
        raw: &web_sys::IdbTransaction,
        book: &EncodedBook,
        injected: &mut Option<web_sys::DomException>,
    ) -> Result<bool, IdbError> {
        let range = book_records_range(&book.citizen_id)?;
        let kinds = [RecordKind::Vaccination, RecordKind::Prescription];
        let stores = [
            tx.object_store(VACCINATIONS)?,
            tx.object_store(PRESCRIPTIONS)?,
        ];
        let pending = [
            request_rows(&stores[0], Some(range.clone()))?,
            request_rows(&stores[1], Some(range))?,
        ];
        let books = tx.object_store(BOOKS)?;
        let stored_header = books
            .get::<JsValue, JsValue, _>(JsValue::from_str(&book.citizen_id))
            .primitive()?;
        let mut existing = Vec::with_capacity(2);
        for rows in pending {
            existing.push(collect_rows(rows).await?);
        }
        // The book keeps the address key it has, so links to it stay valid across saves.
        let address_key = stored_header
            .await?
            .as_ref()
            .and_then(stored_address_key)
            .unwrap_or_else(|| book.new_address_key.clone());
        stamp_address_key(&book.header, &address_key)?;

        // Remove rows the new book no longer has. Rows in a newer format stay: they are a newer
        // version's data, and deleting them would lose it silently. Only the envelope is looked
        // at, because once values are encrypted nothing more can be read inside a transaction.
        for ((kind, store), rows) in kinds.iter().zip(&stores).zip(&existing) {
            let keep: HashSet<&str> = book
                .records(*kind)
                .iter()
                .map(|(id, _)| id.as_str())
                .collect();
            for (key, value) in rows {
                let (_, record_id) = split_record_key(key);
                if !keep.contains(record_id.as_str()) && envelope_format(value).is_ok() {
                    store
                        .delete::<JsValue, _>(KeyRange::Only(key.clone()))
                        .primitive()?;
                }
            }
        }

        let mut writes = 0u32;
        let mut write =
            |store: &ObjectStore<'_>, key: JsValue, value: &JsValue| -> Result<bool, IdbError> {
                if let Some(fault) = self.inner.faults.write_fault(writes) {
                    fault.strike(raw, injected)?;
                    return Ok(false);
                }
                writes += 1;
                store
                    .put(value.clone())
                    .with_key(key)
                    .without_key_type()
                    .primitive()?;
                Ok(true)
            };
        if !write(&books, JsValue::from_str(&book.citizen_id), &book.header)? {
            return Ok(false);
        }
        for (kind, store) in kinds.iter().zip(&stores) {
            for (record_id, value) in book.records(*kind) {
                if !write(store, record_key(&book.citizen_id, record_id), value)? {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }

    /// One strict transaction: the book's header, every record in its key range, and the
    /// settings that belong to it. An interruption keeps all of them, never a part.
    pub(super) async fn delete_book_tx(
        &self,
        db: Database,
        citizen_id: &str,
        settings: &[&str],
        audit: Option<&PreparedAudit>,
    ) -> Result<(), StorageError> {
        let range = book_records_range(citizen_id).map_err(|e| classify_read_failure(&e))?;
        let own: &[&'static str] = if settings.is_empty() {
            &[BOOKS, VACCINATIONS, PRESCRIPTIONS]
        } else {
            &[BOOKS, VACCINATIONS, PRESCRIPTIONS, SETTINGS]
        };
        let stores = audit.map_or_else(|| own.to_vec(), |a| a.stores(own));
        let (tx, raw) = begin_write(&db, &stores)?;
        let issued = async {
            if let Some(audit) = audit {
                audit.issue(&tx)?;
            }
            tx.object_store(BOOKS)?
                .delete::<JsValue, _>(KeyRange::Only(JsValue::from_str(citizen_id)))
                .primitive()?;
            for kind in [RecordKind::Vaccination, RecordKind::Prescription] {
                tx.object_store(record_store(kind))?
                    .delete::<JsValue, _>(range.clone())
                    .primitive()?;
            }
            if !settings.is_empty() {
                let store = tx.object_store(SETTINGS)?;
                for key in settings {
                    store
                        .delete::<JsValue, _>(KeyRange::Only(JsValue::from_str(key)))
                        .primitive()?;
                }
            }
            // Removing the last book clears the marker before the commit: a deliberate
            // removal never reads as an eviction.
            self.mark_books_held(&tx).await.map(Some)
        }
        .await;
        let (issued, raise) = split_raise(issued);
        self.finish_write(tx, &raw, issued, None).await?;
        if let Some(raise) = raise {
            self.raise_books_held(raise);
        }
        Ok(())
    }

    async fn explain_write_failure(&self, failure: WriteFailure) -> StorageError {
        let first = classify_write_failure(&failure, None);
        if !matches!(first, StorageError::Aborted { .. }) {
            return first;
        }
        // The browser gave no reason. An estimate that cannot be read only means we cannot tell,
        // and the abort is then reported as an abort.
        let estimate = match self.inner.faults.estimate.take() {
            Some(estimate) => Some(estimate),
            None => storage_estimate().await.ok().flatten(),
        };
        classify_write_failure(&failure, estimate.as_ref())
    }
}

// ---- encryption at rest ----------------------------------------------------------------------

/// Every row of every store, for the encryption migration (one read transaction: a consistent
/// picture of the device).
pub(super) async fn read_all(db: Database) -> Result<Vec<StoreRows>, StorageError> {
    let tx = begin_read(&db, &ALL_STORES)?;
    let rows = async {
        let mut pending = Vec::with_capacity(ALL_STORES.len());
        for store in ALL_STORES {
            pending.push((store, request_rows(&tx.object_store(store)?, None)?));
        }
        let mut rows = Vec::with_capacity(pending.len());
        for (store, requests) in pending {
            rows.push(StoreRows {
                store,
                rows: collect_rows(requests).await?,
            });
        }
        Ok(rows)
    }
    .await;
    finish_read(tx, rows).await
}

/// The rows of one store.
pub(super) struct StoreRows {
    pub(super) store: &'static str,
    pub(super) rows: Vec<(JsValue, JsValue)>,
}

/// The settings whose names start with `prefix` (the wrapped book keys).
pub(super) async fn read_settings_with_prefix(
    db: Database,
    prefix: &str,
) -> Result<Vec<(JsValue, JsValue)>, StorageError> {
    let tx = begin_read(&db, &[SETTINGS])?;
    let rows = async {
        // Every name with the prefix sorts between the prefix and the prefix followed by the
        // highest code unit.
        let range = web_sys::IdbKeyRange::bound(
            &JsValue::from_str(prefix),
            &JsValue::from_str(&format!("{prefix}\u{ffff}")),
        )?;
        collect_rows(request_rows(
            &tx.object_store(SETTINGS)?,
            Some(KeyRange::Only(range.into())),
        )?)
        .await
    }
    .await;
    finish_read(tx, rows).await
}

impl BookStore {
    /// Replaces the whole content of the database in one strict transaction (the encryption
    /// migration): every store cleared, every new row put. An interruption keeps the old
    /// content entirely. Only while the migration's `marker` setting is still stored, checked
    /// inside the transaction: if another page finished (or gave up) the migration since this
    /// one read the data, nothing is written and `false` is returned.
    pub(super) async fn replace_all_tx(
        &self,
        db: Database,
        content: &[StoreRows],
        marker: &str,
    ) -> Result<bool, StorageError> {
        let (tx, raw) = begin_write(&db, &ALL_STORES)?;
        let mut injected = None;
        let issued: Result<bool, IdbError> = async {
            let pending = tx
                .object_store(SETTINGS)?
                .get::<JsValue, JsValue, _>(JsValue::from_str(marker))
                .primitive()?
                .await?;
            if pending.is_none() {
                return Ok(false);
            }
            for store in ALL_STORES {
                tx.object_store(store)?.clear()?;
            }
            let mut writes = 0u32;
            for StoreRows { store, rows } in content {
                let object_store = tx.object_store(store)?;
                for (key, value) in rows {
                    // A full disk midway (the test fault) must leave everything as it was.
                    if let Some(fault) = self.inner.faults.write_fault(writes) {
                        return fault.strike(&raw, &mut injected).map(|()| true);
                    }
                    writes += 1;
                    object_store
                        .put(value.clone())
                        .with_key(key.clone())
                        .without_key_type()
                        .primitive()?;
                }
            }
            Ok(true)
        }
        .await;
        match issued {
            Ok(false) => {
                drop(tx); // aborts: the migration is not this page's to finish any more
                Ok(false)
            }
            Ok(true) => self
                .finish_write(tx, &raw, Ok(()), injected)
                .await
                .map(|()| true),
            Err(e) => self
                .finish_write(tx, &raw, Err(e), injected)
                .await
                .map(|()| true),
        }
    }

    /// Writes one plain setting (the vault metadata).
    pub(super) async fn put_raw_setting(
        &self,
        db: Database,
        key: &str,
        value: &JsValue,
    ) -> Result<(), StorageError> {
        self.write_tx(db, &[SETTINGS], |tx| {
            tx.object_store(SETTINGS)?
                .put(value.clone())
                .with_key(key)
                .without_key_type()
                .primitive()?;
            Ok(())
        })
        .await
    }
}

/// A write's issued requests, and the marker to raise once it commits (none when a test fault
/// stopped it before its last request).
fn split_raise(
    filled: Result<Option<RaiseAfterCommit>, IdbError>,
) -> (Result<(), IdbError>, Option<RaiseAfterCommit>) {
    match filled {
        Ok(raise) => (Ok(()), raise),
        Err(e) => (Err(e), None),
    }
}
