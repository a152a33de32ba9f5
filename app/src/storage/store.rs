//! `BookStore`: the typed API over the database, and the connection it keeps.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use health_book::{CitizenId, HealthBook, Prescription, Vaccination};
use indexed_db_futures::database::Database;
use indexed_db_futures::error::Error as IdbError;
use indexed_db_futures::factory::DBFactory;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{
    Transaction, TransactionDurability, TransactionMode, TransactionOptions,
};
use indexed_db_futures::KeyRange;
use serde::de::DeserializeOwned;
use serde::Serialize;
use time::OffsetDateTime;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::codec::{envelope_format, BookHeader, RecordCodec, RecordIn, RecordOut};
use super::error::{
    classify_open_failure, classify_read_failure, classify_tx_start, classify_write_failure,
    OpenFailure, RecordKind, RecordLocation, SkipReason, SkippedRecord, StorageError, WriteFailure,
};
use super::persistence::{storage_estimate, StorageEstimate};
use super::schema::{
    self, book_records_range, first_duplicate, record_key, record_store, split_record_key,
    MigrationReport, SharedReport, ALL_STORES, BOOKS, DB_NAME, PRESCRIPTIONS, SCHEMA_VERSION,
    SETTINGS, VACCINATIONS,
};
use super::summary::{BookList, BookSummary, Query};

/// A book as loaded, with the records that could not be read (left in storage untouched).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedBook {
    pub book: HealthBook,
    /// When this device last saved the book.
    pub last_updated: OffsetDateTime,
    pub skipped: Vec<SkippedRecord>,
}

/// Handle on the on-device database of health books. Cheap to clone (one `Rc`); all clones share
/// one connection.
///
/// Every write is one transaction with strict durability: after a crash or power loss a book is
/// either entirely the old one or entirely the new one.
#[derive(Clone)]
pub struct BookStore {
    inner: Rc<Inner>,
}

struct Inner {
    name: String,
    codec: RecordCodec,
    connection: RefCell<Option<Connection>>,
    migration: Option<MigrationReport>,
    on_version_change: VersionChangeListener,
    faults: Faults,
}

/// The UI's callback for "another tab changed the database", shared with every connection.
type VersionChangeListener = Rc<RefCell<Option<Rc<dyn Fn()>>>>;

impl std::fmt::Debug for BookStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BookStore")
            .field("name", &self.inner.name)
            .finish_non_exhaustive()
    }
}

impl BookStore {
    /// Opens (creating or upgrading as needed) the app's database.
    pub async fn open() -> Result<BookStore, StorageError> {
        Self::open_named(DB_NAME).await
    }

    /// Opens a database with another name (tests use one each).
    pub async fn open_named(name: &str) -> Result<BookStore, StorageError> {
        let on_version_change = Rc::new(RefCell::new(None));
        let opened = open_database(name, &on_version_change).await?;
        Ok(BookStore {
            inner: Rc::new(Inner {
                name: name.to_owned(),
                codec: RecordCodec::default(),
                connection: RefCell::new(Some(opened.connection)),
                migration: opened.migration,
                on_version_change,
                faults: Faults::default(),
            }),
        })
    }

    /// What the schema upgrade did, when opening this store ran one (`from_version` 0: the
    /// database was created).
    pub fn migration_report(&self) -> Option<&MigrationReport> {
        self.inner.migration.as_ref()
    }

    /// Called when another tab upgrades or deletes the database: this store has then closed its
    /// connection, and every call returns `StorageError::VersionChange` until the page reloads.
    pub fn on_version_change(&self, callback: impl Fn() + 'static) {
        *self.inner.on_version_change.borrow_mut() = Some(Rc::new(callback));
    }

    /// Closes the connection now (it reopens on the next call). Needed before deleting the
    /// database from this tab.
    pub fn close(&self) {
        self.inner.connection.borrow_mut().take();
    }

    /// Deletes a whole database (tests; wiping a shared device). Connections to it in this and
    /// other tabs close themselves first.
    pub async fn delete_database(name: &str) -> Result<(), StorageError> {
        let factory = DBFactory::new().map_err(|e| classify_open_failure(&e))?;
        let request = factory
            .delete_db(name)
            .map_err(|e| classify_read_failure(&e))?;
        request.await.map_err(|e| classify_read_failure(&e))
    }

    /// Saves a whole book in one transaction, replacing the stored one: its header, every
    /// record, and the removal of records it no longer has. Stored records in a newer format
    /// (written by a newer version of the app) are kept unless the new book replaces them by ID;
    /// records in the current format that no longer parse are damaged and are replaced.
    pub async fn save_book(&self, book: &HealthBook) -> Result<(), StorageError> {
        let encoded = self.encode_book(book).await?;
        self.with_db(|db| self.write_book(db, &encoded, None)).await
    }

    /// Saves a whole book and one setting in a single transaction: after a crash or a failure
    /// both are the old ones or both are the new ones. The sync keeps the server's copy of a
    /// person's resources this way, so it always describes the book that is stored.
    pub async fn save_book_with_setting<T: Serialize + ?Sized>(
        &self,
        book: &HealthBook,
        key: &str,
        value: &T,
    ) -> Result<(), StorageError> {
        let encoded = self.encode_book(book).await?;
        let sealed = self.inner.codec.seal(value).await?;
        self.with_db(|db| self.write_book(db, &encoded, Some((key, &sealed))))
            .await
    }

    /// Loads one book, or `None` if there is none for this citizen ID. Records that cannot be read
    /// are left out and listed in `skipped`; a header that cannot be read is an error, as there is
    /// no book without it.
    pub async fn load_book(
        &self,
        citizen_id: &CitizenId,
    ) -> Result<Option<LoadedBook>, StorageError> {
        let id = citizen_id.as_str();
        let Some(raw) = self.with_db(|db| read_book(db, id)).await? else {
            return Ok(None);
        };
        let header: BookHeader = self
            .inner
            .codec
            .unseal(&raw.header)
            .await
            .map_err(|reason| {
                StorageError::Unreadable(SkippedRecord {
                    location: RecordLocation::Book { key: id.to_owned() },
                    reason,
                })
            })?;
        let mut skipped = Vec::new();
        let vaccinations: Vec<Vaccination> = self
            .decode_records(RecordKind::Vaccination, &raw.vaccinations, &mut skipped)
            .await;
        let prescriptions: Vec<Prescription> = self
            .decode_records(RecordKind::Prescription, &raw.prescriptions, &mut skipped)
            .await;
        Ok(Some(LoadedBook {
            last_updated: header.saved_at,
            book: HealthBook {
                profile: header.profile,
                vaccinations,
                prescriptions,
                provenance: header.provenance,
            },
            skipped,
        }))
    }

    /// Summaries of all books, sorted by name, without loading any record.
    pub async fn list_books(&self) -> Result<BookList, StorageError> {
        let rows = self.with_db(read_headers).await?;
        let mut list = BookList::default();
        for (key, value) in rows {
            let key = key.as_string().unwrap_or_else(|| format!("{key:?}"));
            match self.summary_of(&key, &value).await {
                Ok(summary) => list.books.push(summary),
                Err(reason) => list.skipped.push(SkippedRecord {
                    location: RecordLocation::Book { key },
                    reason,
                }),
            }
        }
        list.sort();
        Ok(list)
    }

    /// Books matching a query typed at reception: a full citizen ID (looked up by key), some
    /// digits of one, or part of a name with or without diacritics ("nguyen van a" finds
    /// "Nguyễn Văn A"). Name search reads every summary and matches in memory.
    pub async fn find_books(&self, query: &str) -> Result<BookList, StorageError> {
        match Query::parse(query) {
            Query::CitizenId(id) => {
                let key = id.as_str().to_owned();
                let row = self.with_db(|db| read_header(db, key.clone())).await?;
                let mut list = BookList::default();
                if let Some(value) = row {
                    match self.summary_of(&key, &value).await {
                        Ok(summary) => list.books.push(summary),
                        Err(reason) => list.skipped.push(SkippedRecord {
                            location: RecordLocation::Book { key },
                            reason,
                        }),
                    }
                }
                Ok(list)
            }
            parsed => {
                let all = self.list_books().await?;
                Ok(BookList {
                    books: parsed.filter(&all.books),
                    skipped: all.skipped,
                })
            }
        }
    }

    /// Deletes a book and all its records, readable or not, in one transaction.
    pub async fn delete_book(&self, citizen_id: &CitizenId) -> Result<(), StorageError> {
        let id = citizen_id.as_str();
        self.with_db(|db| self.delete_book_tx(db, id)).await
    }

    /// A setting, or `None` if it was never set.
    pub async fn setting<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StorageError> {
        let Some(raw) = self.with_db(|db| read_setting(db, key)).await? else {
            return Ok(None);
        };
        self.inner
            .codec
            .unseal(&raw)
            .await
            .map(Some)
            .map_err(|reason| {
                StorageError::Unreadable(SkippedRecord {
                    location: RecordLocation::Setting {
                        key: key.to_owned(),
                    },
                    reason,
                })
            })
    }

    pub async fn put_setting<T: Serialize + ?Sized>(
        &self,
        key: &str,
        value: &T,
    ) -> Result<(), StorageError> {
        let sealed = self.inner.codec.seal(value).await?;
        self.with_db(|db| {
            self.write_tx(db, &[SETTINGS], |tx| {
                let store = tx.object_store(SETTINGS)?;
                store
                    .put(sealed.clone())
                    .with_key(key)
                    .without_key_type()
                    .primitive()?;
                Ok(())
            })
        })
        .await
    }

    pub async fn delete_setting(&self, key: &str) -> Result<(), StorageError> {
        self.with_db(|db| {
            self.write_tx(db, &[SETTINGS], |tx| {
                let store = tx.object_store(SETTINGS)?;
                store
                    .delete::<JsValue, _>(KeyRange::Only(JsValue::from_str(key)))
                    .primitive()?;
                Ok(())
            })
        })
        .await
    }
}

// ---- encoding and decoding: outside any transaction -------------------------------------------

struct EncodedBook {
    citizen_id: String,
    header: JsValue,
    vaccinations: Vec<(String, JsValue)>,
    prescriptions: Vec<(String, JsValue)>,
}

impl EncodedBook {
    fn records(&self, kind: RecordKind) -> &[(String, JsValue)] {
        match kind {
            RecordKind::Vaccination => &self.vaccinations,
            RecordKind::Prescription => &self.prescriptions,
        }
    }
}

impl BookStore {
    async fn encode_book(&self, book: &HealthBook) -> Result<EncodedBook, StorageError> {
        let vaccination_ids = book.vaccinations.iter().map(|v| v.id.as_str());
        if let Some(id) = first_duplicate(vaccination_ids) {
            return Err(StorageError::DuplicateRecordId {
                kind: RecordKind::Vaccination,
                id: id.to_owned(),
            });
        }
        let prescription_ids = book.prescriptions.iter().map(|p| p.id.as_str());
        if let Some(id) = first_duplicate(prescription_ids) {
            return Err(StorageError::DuplicateRecordId {
                kind: RecordKind::Prescription,
                id: id.to_owned(),
            });
        }
        let codec = &self.inner.codec;
        let header = codec
            .seal(&BookHeader::of(book, OffsetDateTime::now_utc()))
            .await?;
        let mut vaccinations = Vec::with_capacity(book.vaccinations.len());
        for (pos, v) in book.vaccinations.iter().enumerate() {
            vaccinations.push((
                v.id.as_str().to_owned(),
                codec.seal(&RecordOut::new(pos, v)).await?,
            ));
        }
        let mut prescriptions = Vec::with_capacity(book.prescriptions.len());
        for (pos, p) in book.prescriptions.iter().enumerate() {
            prescriptions.push((
                p.id.as_str().to_owned(),
                codec.seal(&RecordOut::new(pos, p)).await?,
            ));
        }
        Ok(EncodedBook {
            citizen_id: book.citizen_id().as_str().to_owned(),
            header,
            vaccinations,
            prescriptions,
        })
    }

    async fn decode_records<T: DeserializeOwned>(
        &self,
        kind: RecordKind,
        rows: &[(JsValue, JsValue)],
        skipped: &mut Vec<SkippedRecord>,
    ) -> Vec<T> {
        let mut records: Vec<RecordIn<T>> = Vec::with_capacity(rows.len());
        for (key, value) in rows {
            match self.inner.codec.unseal::<RecordIn<T>>(value).await {
                Ok(record) => records.push(record),
                Err(reason) => {
                    let (citizen_id, record_id) = split_record_key(key);
                    skipped.push(SkippedRecord {
                        location: RecordLocation::Record {
                            kind,
                            citizen_id,
                            record_id,
                        },
                        reason,
                    });
                }
            }
        }
        // The store returns records by ID; the book keeps them in the order they were saved.
        records.sort_by_key(|r| r.pos);
        records.into_iter().map(|r| r.record).collect()
    }

    async fn summary_of(&self, key: &str, value: &JsValue) -> Result<BookSummary, SkipReason> {
        let header: BookHeader = self.inner.codec.unseal(value).await?;
        if header.profile.citizen_id.as_str() != key {
            return Err(SkipReason::Malformed {
                detail: format!(
                    "stored under {key} but belongs to {}",
                    header.profile.citizen_id
                ),
            });
        }
        Ok(BookSummary::from_header(&header))
    }
}

// ---- transactions --------------------------------------------------------------------------

fn strict() -> TransactionOptions {
    TransactionOptions::new().with_durability(TransactionDurability::Strict)
}

fn raw_transaction(tx: &Transaction<'_>) -> web_sys::IdbTransaction {
    let raw: &web_sys::IdbTransaction = tx.as_sys();
    raw.clone()
}

/// Rows of one book as read from a finished transaction, still encoded.
struct RawBook {
    header: JsValue,
    vaccinations: Vec<(JsValue, JsValue)>,
    prescriptions: Vec<(JsValue, JsValue)>,
}

type PendingAll = indexed_db_futures::future::GetAllPrimitiveRequest<JsValue>;

/// Issues getAllKeys and getAll over the same range; within one transaction both see the same
/// rows in the same (key) order.
fn request_rows(
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

async fn collect_rows(
    pending: (PendingAll, PendingAll),
) -> Result<Vec<(JsValue, JsValue)>, IdbError> {
    let keys: Vec<JsValue> = pending.0.await?.collect::<Result<_, _>>()?;
    let values: Vec<JsValue> = pending.1.await?.collect::<Result<_, _>>()?;
    Ok(keys.into_iter().zip(values).collect())
}

fn begin_read<'a>(db: &'a Database, stores: &[&str]) -> Result<Transaction<'a>, StorageError> {
    db.transaction(stores)
        .with_mode(TransactionMode::Readonly)
        .build()
        .map_err(|e| classify_tx_start(&e))
}

async fn read_book(db: Database, citizen_id: &str) -> Result<Option<RawBook>, StorageError> {
    let tx = begin_read(&db, &[BOOKS, VACCINATIONS, PRESCRIPTIONS])?;
    let raw = async {
        let books = tx.object_store(BOOKS)?;
        let header = books
            .get::<JsValue, JsValue, _>(JsValue::from_str(citizen_id))
            .primitive()?;
        let range = book_records_range(citizen_id)?;
        let vaccinations = request_rows(&tx.object_store(VACCINATIONS)?, Some(range.clone()))?;
        let prescriptions = request_rows(&tx.object_store(PRESCRIPTIONS)?, Some(range))?;
        let Some(header) = header.await? else {
            return Ok(None);
        };
        Ok(Some(RawBook {
            header,
            vaccinations: collect_rows(vaccinations).await?,
            prescriptions: collect_rows(prescriptions).await?,
        }))
    }
    .await
    .map_err(|e: IdbError| classify_read_failure(&e))?;
    tx.commit().await.map_err(|e| classify_read_failure(&e))?;
    Ok(raw)
}

async fn read_headers(db: Database) -> Result<Vec<(JsValue, JsValue)>, StorageError> {
    let tx = begin_read(&db, &[BOOKS])?;
    let rows = async { collect_rows(request_rows(&tx.object_store(BOOKS)?, None)?).await }
        .await
        .map_err(|e: IdbError| classify_read_failure(&e))?;
    tx.commit().await.map_err(|e| classify_read_failure(&e))?;
    Ok(rows)
}

async fn read_header(db: Database, key: String) -> Result<Option<JsValue>, StorageError> {
    read_one(db, BOOKS, &key).await
}

async fn read_setting(db: Database, key: &str) -> Result<Option<JsValue>, StorageError> {
    read_one(db, SETTINGS, key).await
}

async fn read_one(db: Database, store: &str, key: &str) -> Result<Option<JsValue>, StorageError> {
    let tx = begin_read(&db, &[store])?;
    let value = async {
        tx.object_store(store)?
            .get::<JsValue, JsValue, _>(JsValue::from_str(key))
            .primitive()?
            .await
    }
    .await
    .map_err(|e: IdbError| classify_read_failure(&e))?;
    tx.commit().await.map_err(|e| classify_read_failure(&e))?;
    Ok(value)
}

impl BookStore {
    /// Runs a strict read-write transaction whose requests are all issued by `issue` (nothing is
    /// awaited in between), commits it, and maps a failure to what it means.
    async fn write_tx(
        &self,
        db: Database,
        stores: &[&str],
        issue: impl FnOnce(&Transaction<'_>) -> Result<(), IdbError>,
    ) -> Result<(), StorageError> {
        let tx = db
            .transaction(stores)
            .with_mode(TransactionMode::Readwrite)
            .with_options(strict())
            .build()
            .map_err(|e| classify_tx_start(&e))?;
        let raw = raw_transaction(&tx);
        let result = match issue(&tx) {
            Ok(()) => tx.commit().await,
            Err(e) => {
                drop(tx); // aborts
                Err(e)
            }
        };
        match result {
            Ok(()) => Ok(()),
            Err(error) => Err(self
                .explain_write_failure(WriteFailure {
                    error,
                    tx_error: raw.error(),
                })
                .await),
        }
    }

    /// One strict transaction: the book's header and records, and optionally one setting that
    /// must change with it (the sync snapshot). A failure anywhere keeps neither.
    async fn write_book(
        &self,
        db: Database,
        book: &EncodedBook,
        setting: Option<(&str, &JsValue)>,
    ) -> Result<(), StorageError> {
        let stores: &[&str] = if setting.is_some() {
            &[BOOKS, VACCINATIONS, PRESCRIPTIONS, SETTINGS]
        } else {
            &[BOOKS, VACCINATIONS, PRESCRIPTIONS]
        };
        let tx = db
            .transaction(stores)
            .with_mode(TransactionMode::Readwrite)
            .with_options(strict())
            .build()
            .map_err(|e| classify_tx_start(&e))?;
        let raw = raw_transaction(&tx);
        let mut injected = None;
        let filled = async {
            if let Some((key, value)) = setting {
                // Issued first: a book save that fails later aborts the transaction, and this with it.
                tx.object_store(SETTINGS)?
                    .put(value.clone())
                    .with_key(key)
                    .without_key_type()
                    .primitive()?;
            }
            self.fill_book(&tx, &raw, book, &mut injected).await
        }
        .await;
        let result = match filled {
            Ok(()) => tx.commit().await,
            Err(e) => {
                drop(tx); // aborts: nothing of this save is kept
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

    /// Issues every request of a book save. Awaits only the reads of the book's current rows
    /// (IndexedDB requests, which keep the transaction alive).
    async fn fill_book(
        &self,
        tx: &Transaction<'_>,
        raw: &web_sys::IdbTransaction,
        book: &EncodedBook,
        injected: &mut Option<web_sys::DomException>,
    ) -> Result<(), IdbError> {
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
        let mut existing = Vec::with_capacity(2);
        for rows in pending {
            existing.push(collect_rows(rows).await?);
        }

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
        let books = tx.object_store(BOOKS)?;
        if !write(&books, JsValue::from_str(&book.citizen_id), &book.header)? {
            return Ok(());
        }
        for (kind, store) in kinds.iter().zip(&stores) {
            for (record_id, value) in book.records(*kind) {
                if !write(store, record_key(&book.citizen_id, record_id), value)? {
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    async fn delete_book_tx(&self, db: Database, citizen_id: &str) -> Result<(), StorageError> {
        let range = book_records_range(citizen_id).map_err(|e| classify_read_failure(&e))?;
        self.write_tx(db, &[BOOKS, VACCINATIONS, PRESCRIPTIONS], |tx| {
            tx.object_store(BOOKS)?
                .delete::<JsValue, _>(KeyRange::Only(JsValue::from_str(citizen_id)))
                .primitive()?;
            for kind in [RecordKind::Vaccination, RecordKind::Prescription] {
                tx.object_store(record_store(kind))?
                    .delete::<JsValue, _>(range.clone())
                    .primitive()?;
            }
            Ok(())
        })
        .await
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

// ---- the connection ------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ConnectionState {
    Open,
    /// The browser closed it (storage cleared, backend failure, app backgrounded on iOS).
    Dropped,
    /// Another tab upgraded or deleted the database; we closed it for them.
    Superseded,
}

struct Connection {
    db: Database,
    state: Rc<Cell<ConnectionState>>,
    _on_version_change: Closure<dyn FnMut(web_sys::Event)>,
    _on_close: Closure<dyn FnMut(web_sys::Event)>,
}

impl Connection {
    fn watch(db: Database, listener: &VersionChangeListener) -> Connection {
        let state = Rc::new(Cell::new(ConnectionState::Open));
        let sys: web_sys::IdbDatabase = db_sys(&db);
        let on_version_change = Closure::<dyn FnMut(web_sys::Event)>::new({
            let (state, sys, listener) = (state.clone(), sys.clone(), listener.clone());
            move |_event: web_sys::Event| {
                // Close at once so the other tab's upgrade (or delete) is not blocked by us.
                sys.close();
                state.set(ConnectionState::Superseded);
                let callback = listener.borrow().clone();
                if let Some(callback) = callback {
                    callback();
                }
            }
        });
        let on_close = Closure::<dyn FnMut(web_sys::Event)>::new({
            let state = state.clone();
            move |_event: web_sys::Event| {
                if state.get() == ConnectionState::Open {
                    state.set(ConnectionState::Dropped);
                }
            }
        });
        sys.set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
        sys.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Connection {
            db,
            state,
            _on_version_change: on_version_change,
            _on_close: on_close,
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        let sys = db_sys(&self.db);
        // The closures die with this struct; the browser must not call them afterwards.
        sys.set_onversionchange(None);
        sys.set_onclose(None);
        sys.close();
    }
}

fn db_sys(db: &Database) -> web_sys::IdbDatabase {
    let sys: &web_sys::IdbDatabase = db.as_sys();
    sys.clone()
}

impl BookStore {
    /// The open connection, reopened if the browser dropped it.
    async fn connection(&self) -> Result<Database, StorageError> {
        let current = self
            .inner
            .connection
            .borrow()
            .as_ref()
            .map(|c| (c.db.clone(), c.state.get()));
        let db = match current {
            Some((db, ConnectionState::Open)) => db,
            Some((_, ConnectionState::Superseded)) => return Err(StorageError::VersionChange),
            Some((_, ConnectionState::Dropped)) | None => {
                let opened = open_database(&self.inner.name, &self.inner.on_version_change).await?;
                let db = opened.connection.db.clone();
                // Replacing drops (and closes) a connection another call may have reopened
                // meanwhile; its transactions finish first.
                *self.inner.connection.borrow_mut() = Some(opened.connection);
                db
            }
        };
        if self.inner.faults.take_connection_drop() {
            db_sys(&db).close();
        }
        Ok(db)
    }

    fn connection_dropped(&self) -> bool {
        self.inner
            .connection
            .borrow()
            .as_ref()
            .is_some_and(|c| c.state.get() == ConnectionState::Dropped)
    }

    /// Runs `op` on the connection; if the connection turns out to be gone, reopens it once and
    /// runs `op` again (every operation here is idempotent: whole-book saves, deletes, reads).
    /// A second loss is reported.
    async fn with_db<'s, T, F, Fut>(&'s self, op: F) -> Result<T, StorageError>
    where
        F: Fn(Database) -> Fut + 's,
        Fut: Future<Output = Result<T, StorageError>> + 's,
    {
        let db = self.connection().await?;
        let first = op(db).await;
        let lost = match &first {
            Err(StorageError::ConnectionLost) => true,
            Err(_) => self.connection_dropped(),
            Ok(_) => false,
        };
        if !lost {
            return first;
        }
        self.close();
        let db = self.connection().await.map_err(|e| match e {
            StorageError::VersionChange | StorageError::Blocked => e,
            _ => StorageError::ConnectionLost,
        })?;
        let second = op(db).await;
        match second {
            Err(_) if self.connection_dropped() => Err(StorageError::ConnectionLost),
            other => other,
        }
    }
}

// ---- opening ---------------------------------------------------------------------------------

struct Opened {
    connection: Connection,
    migration: Option<MigrationReport>,
}

/// Opens and upgrades. A backend failure (Chrome's UnknownError after a crash) is retried once.
async fn open_database(
    name: &str,
    listener: &VersionChangeListener,
) -> Result<Opened, StorageError> {
    match open_once(name, listener).await {
        Err(StorageError::OpenFailed {
            reason: OpenFailure::Backend { .. },
        }) => open_once(name, listener).await,
        other => other,
    }
}

async fn open_once(name: &str, listener: &VersionChangeListener) -> Result<Opened, StorageError> {
    let factory = DBFactory::new().map_err(|e| classify_open_failure(&e))?;
    let slot = Rc::new(RefCell::new(OpenSlot::default()));
    let report: SharedReport = Rc::default();
    let upgraded = Rc::new(Cell::new(false));
    let request_handle: Rc<RefCell<Option<web_sys::IdbOpenDbRequest>>> = Rc::default();

    let request = factory
        .open_db(name)
        .with_version(SCHEMA_VERSION)
        .with_on_blocked({
            let slot = slot.clone();
            move |_event| {
                OpenSlot::blocked(&slot);
                Ok(())
            }
        })
        .with_on_upgrade_needed_fut({
            let (report, upgraded, request_handle) =
                (report.clone(), upgraded.clone(), request_handle.clone());
            move |event, db| async move {
                upgraded.set(true);
                let result =
                    schema::upgrade(&db, version_number(event.old_version()), &report).await;
                if result.is_err() {
                    abort_upgrade(&request_handle);
                }
                result
            }
        })
        .build()
        .map_err(|e| classify_open_failure(&e))?;
    *request_handle.borrow_mut() = Some(request.as_sys().clone());

    // The request runs to completion on its own even if we stop waiting (blocked): dropping it
    // would unhook the upgrade callback, and an upgrade that later proceeds without it would
    // leave a database at the new version with none of its stores.
    wasm_bindgen_futures::spawn_local({
        let slot = slot.clone();
        async move {
            let result = request.await.map_err(|e| classify_open_failure(&e));
            OpenSlot::finish(&slot, result);
        }
    });
    let db = WaitOpen(slot).await?;

    let names: Vec<String> = db.object_store_names().collect();
    if let Some(missing) = ALL_STORES.iter().find(|s| !names.iter().any(|n| n == *s)) {
        db.close();
        return Err(StorageError::Corrupt {
            detail: format!("store {missing} is missing"),
        });
    }
    Ok(Opened {
        connection: Connection::watch(db, listener),
        migration: upgraded.get().then(|| report.borrow().clone()),
    })
}

fn version_number(version: f64) -> u32 {
    // IndexedDB versions are positive integers; ours are small.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let version = version as u32;
    version
}

/// A failed migration must abort the version-change transaction: the async upgrade callback's
/// error alone does not, and the half-done upgrade would commit.
fn abort_upgrade(request: &RefCell<Option<web_sys::IdbOpenDbRequest>>) {
    let tx = request.borrow().as_ref().and_then(|r| r.transaction());
    if let Some(tx) = tx {
        if let Err(e) = tx.abort() {
            // Already finished: then a request failure aborted it before us.
            web_sys::console::warn_2(
                &JsValue::from_str("storage: aborting the upgrade failed"),
                &e,
            );
        }
    }
}

/// Where the spawned open request leaves its result, and where the blocked event is noted.
#[derive(Default)]
struct OpenSlot {
    outcome: Option<Result<Database, StorageError>>,
    blocked: bool,
    /// The caller gave up (blocked); a connection that still arrives is closed.
    abandoned: bool,
    waker: Option<Waker>,
}

impl OpenSlot {
    fn blocked(slot: &RefCell<OpenSlot>) {
        let mut s = slot.borrow_mut();
        s.blocked = true;
        if let Some(w) = s.waker.take() {
            w.wake();
        }
    }

    fn finish(slot: &RefCell<OpenSlot>, result: Result<Database, StorageError>) {
        let mut s = slot.borrow_mut();
        if s.abandoned {
            if let Ok(db) = result {
                db.close();
            }
            return;
        }
        s.outcome = Some(result);
        if let Some(w) = s.waker.take() {
            w.wake();
        }
    }
}

struct WaitOpen(Rc<RefCell<OpenSlot>>);

impl Future for WaitOpen {
    type Output = Result<Database, StorageError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut s = self.0.borrow_mut();
        if let Some(outcome) = s.outcome.take() {
            return Poll::Ready(outcome);
        }
        if s.blocked {
            s.abandoned = true;
            return Poll::Ready(Err(StorageError::Blocked));
        }
        s.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

// ---- test hooks ------------------------------------------------------------------------------

/// Failures a test can make happen, to drive the real error-mapping and rollback paths that real
/// browsers only reach with a full disk or a killed connection. Inert unless armed with
/// [`BookStore::inject_fault`]; affects only the store it is armed on.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The next book save aborts its transaction after this many puts, and the transaction's
    /// error reads QuotaExceededError, as Chrome and Firefox report a full disk.
    QuotaErrorAfterWrites(u32),
    /// The next book save aborts after this many puts with no reason given (a bare AbortError, as
    /// some browsers report quota), while the storage estimate reads full.
    SilentAbortWhenFullAfterWrites(u32),
    /// The connection is closed under the next `times` operations, as when iOS drops it while the
    /// app is in the background.
    DropConnection { times: u32 },
}

#[derive(Default)]
struct Faults {
    write: Cell<Option<Fault>>,
    estimate: Cell<Option<StorageEstimate>>,
    connection_drops: Cell<u32>,
}

impl Faults {
    /// The armed write fault, if it strikes before write number `done` + 1. Disarms it.
    fn write_fault(&self, done: u32) -> Option<Fault> {
        let strikes = match self.write.get()? {
            Fault::QuotaErrorAfterWrites(n) | Fault::SilentAbortWhenFullAfterWrites(n) => n <= done,
            Fault::DropConnection { .. } => false,
        };
        strikes.then(|| self.write.take()).flatten()
    }

    fn take_connection_drop(&self) -> bool {
        let left = self.connection_drops.get();
        if left == 0 {
            return false;
        }
        self.connection_drops.set(left - 1);
        true
    }
}

impl Fault {
    /// Aborts the transaction the way the fault describes.
    fn strike(
        self,
        raw: &web_sys::IdbTransaction,
        injected: &mut Option<web_sys::DomException>,
    ) -> Result<(), IdbError> {
        raw.abort()?;
        if let Fault::QuotaErrorAfterWrites(_) = self {
            *injected = Some(web_sys::DomException::new_with_message_and_name(
                "injected: the quota has been exceeded",
                "QuotaExceededError",
            )?);
        }
        Ok(())
    }
}

impl BookStore {
    #[doc(hidden)]
    pub fn inject_fault(&self, fault: Fault) {
        let faults = &self.inner.faults;
        match fault {
            Fault::QuotaErrorAfterWrites(_) => faults.write.set(Some(fault)),
            Fault::SilentAbortWhenFullAfterWrites(_) => {
                faults.write.set(Some(fault));
                faults.estimate.set(Some(StorageEstimate {
                    used_bytes: 50 << 20,
                    quota_bytes: 50 << 20,
                }));
            }
            Fault::DropConnection { times } => faults.connection_drops.set(times),
        }
    }
}
