//! `BookStore`: the typed API over the database. Encoding, transactions and the connection it
//! keeps live beside it (`encoding.rs`, `transactions.rs`, `connection.rs`).

use std::cell::RefCell;
use std::rc::Rc;

use health_book::{CitizenId, HealthBook, Prescription, Profile, Vaccination};
use indexed_db_futures::factory::DBFactory;
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyRange;
use serde::de::DeserializeOwned;
use serde::Serialize;
use time::OffsetDateTime;
use wasm_bindgen::JsValue;

use super::codec::{BookHeader, Identity, RecordCodec};
use super::connection::open_database;
use super::error::{
    classify_open_failure, classify_read_failure, unreadable_setting, RecordKind, RecordLocation,
    SkippedRecord, StorageError,
};
use super::handle::{BookStore, Faults, Inner};
use super::schema::{MigrationReport, DB_NAME, SETTINGS};
use super::summary::BookList;
use super::transactions::{read_book, read_headers, read_setting, BookParts, RawBook};

/// A setting as read by [`BookStore::setting_as_read`].
pub(super) struct SettingRead<T> {
    pub codec: RecordCodec,
    /// The stored value as it was, `None` if there was none.
    pub stored: Option<JsValue>,
    pub value: Option<T>,
}

/// A book as loaded, with the records that could not be read (left in storage untouched).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedBook {
    pub book: HealthBook,
    /// When this device last saved the book.
    pub last_updated: OffsetDateTime,
    pub skipped: Vec<SkippedRecord>,
}

/// A book's profile as loaded, without its records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedProfile {
    pub profile: Profile,
    /// When this device last saved the book.
    pub last_updated: OffsetDateTime,
}

/// A header that cannot be read is an error: there is no book without it.
async fn unseal_header(
    codec: &RecordCodec,
    name: &str,
    raw: &JsValue,
    citizen_id: &CitizenId,
) -> Result<BookHeader, StorageError> {
    codec
        .unseal::<BookHeader>(raw, Identity::Header { book: name })
        .await
        .map_err(|reason| {
            StorageError::Unreadable(SkippedRecord {
                location: RecordLocation::Book {
                    key: citizen_id.as_str().to_owned(),
                },
                reason,
            })
        })
}

/// The stored book a save was prepared from: the `last_updated` it was loaded with, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredBook {
    Absent,
    SavedAt(OffsetDateTime),
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
        let store = BookStore {
            inner: Rc::new(Inner {
                name: name.to_owned(),
                codec: RefCell::new(RecordCodec::default()),
                connection: RefCell::new(Some(opened.connection)),
                migration: opened.migration,
                on_version_change,
                faults: Faults::default(),
            }),
        };
        store.load_vault_state().await?;
        Ok(store)
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
        self.with_db(|db| self.write_book(db, std::slice::from_ref(&encoded), &[], None, None))
            .await
    }

    /// Saves several books in one transaction, each as [`save_book`](Self::save_book) saves
    /// one: a file of several books is saved whole or not at all, never a part of it.
    pub async fn save_books<'b>(
        &self,
        books: impl IntoIterator<Item = &'b HealthBook>,
    ) -> Result<(), StorageError> {
        let mut encoded = Vec::new();
        for book in books {
            encoded.push(self.encode_book(book).await?);
        }
        self.with_db(|db| self.write_book(db, &encoded, &[], None, None))
            .await
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
        self.save_book_with_setting_checked(book, key, value, None)
            .await
    }

    /// [`save_book_with_setting`](Self::save_book_with_setting), only if the stored book is still
    /// `expected` (checked inside the transaction); otherwise nothing is written and the answer is
    /// [`StorageError::ChangedMeanwhile`]. A refresh saves this way, so an import, a staff entry
    /// or another tab's save made while it ran is never overwritten.
    pub async fn save_book_with_setting_checked<T: Serialize + ?Sized>(
        &self,
        book: &HealthBook,
        key: &str,
        value: &T,
        expected: Option<StoredBook>,
    ) -> Result<(), StorageError> {
        self.save_book_with_setting_recorded(book, key, value, expected, &[])
            .await
    }

    /// Loads one book, or `None` if there is none for this citizen ID. Records that cannot be read
    /// are left out and listed in `skipped`; a header that cannot be read is an error, as there is
    /// no book without it.
    pub async fn load_book(
        &self,
        citizen_id: &CitizenId,
    ) -> Result<Option<LoadedBook>, StorageError> {
        let codec = self.codec()?;
        let Some((name, raw)) = self.read_raw(&codec, citizen_id, BookParts::Whole).await? else {
            return Ok(None);
        };
        // The header and both kinds of records are decrypted side by side: one wait on
        // WebCrypto for the whole book instead of three in a row.
        let mut skipped_vaccinations = Vec::new();
        let mut skipped_prescriptions = Vec::new();
        let (header, vaccinations, prescriptions) = futures::future::join3(
            unseal_header(&codec, &name, &raw.header, citizen_id),
            self.decode_records::<Vaccination>(
                &codec,
                RecordKind::Vaccination,
                &raw.vaccinations,
                &mut skipped_vaccinations,
            ),
            self.decode_records::<Prescription>(
                &codec,
                RecordKind::Prescription,
                &raw.prescriptions,
                &mut skipped_prescriptions,
            ),
        )
        .await;
        let header = header?;
        let mut skipped = skipped_vaccinations;
        skipped.extend(skipped_prescriptions);
        Ok(Some(LoadedBook {
            last_updated: header.saved_at,
            book: HealthBook {
                profile: header.profile,
                vaccinations,
                prescriptions,
                care: header.care,
                provenance: header.provenance,
            },
            skipped,
        }))
    }

    /// The profile of one book without its records (the check-in QR and the header show nothing
    /// else), or `None` if there is no book for this citizen ID; read as [`Self::load_book`]
    /// reads the header.
    pub async fn load_profile(
        &self,
        citizen_id: &CitizenId,
    ) -> Result<Option<LoadedProfile>, StorageError> {
        let codec = self.codec()?;
        let Some((name, raw)) = self.read_raw(&codec, citizen_id, BookParts::Header).await? else {
            return Ok(None);
        };
        let header = unseal_header(&codec, &name, &raw.header, citizen_id).await?;
        Ok(Some(LoadedProfile {
            profile: header.profile,
            last_updated: header.saved_at,
        }))
    }

    /// The stored rows of `parts` of a book, still encoded, under the book's storage name.
    async fn read_raw(
        &self,
        codec: &RecordCodec,
        citizen_id: &CitizenId,
        parts: BookParts,
    ) -> Result<Option<(String, RawBook)>, StorageError> {
        let name = codec.book_name(citizen_id.as_str()).await?;
        let raw = self.with_db(|db| read_book(db, &name, parts)).await?;
        Ok(raw.map(|raw| (name, raw)))
    }

    /// Summaries of all books, sorted by name, without loading any record.
    pub async fn list_books(&self) -> Result<BookList, StorageError> {
        let codec = self.codec()?;
        let rows = self.with_db(read_headers).await?;
        let rows: Vec<(String, JsValue)> = rows
            .into_iter()
            .map(|(key, value)| (key.as_string().unwrap_or_else(|| format!("{key:?}")), value))
            .collect();
        let summaries = self.summaries_of(&codec, &rows).await;
        let mut list = BookList::default();
        for (summary, (key, _)) in summaries.into_iter().zip(rows) {
            match summary {
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

    /// Deletes a book and all its records, readable or not, in one transaction.
    pub async fn delete_book(&self, citizen_id: &CitizenId) -> Result<(), StorageError> {
        self.delete_book_with_settings(citizen_id, &[]).await
    }

    /// Deletes a book, all its records and the settings that belong to it (the sync's copy of
    /// the server's resources is this person's health data too) in one transaction: after an
    /// interruption either all of it is still there or none of it.
    pub async fn delete_book_with_settings(
        &self,
        citizen_id: &CitizenId,
        settings: &[&str],
    ) -> Result<(), StorageError> {
        // Every deletion also drops the person's mention from the audit log (`recorded.rs`).
        self.delete_book_recorded(citizen_id, settings, &[]).await
    }

    /// A setting, or `None` if it was never set.
    pub async fn setting<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StorageError> {
        Ok(self.setting_as_read(key).await?.value)
    }

    /// A setting with what was read to get it: the codec and the stored value as it was (which a checked write compares against, `setting_update.rs`).
    pub(super) async fn setting_as_read<T: DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<SettingRead<T>, StorageError> {
        let (codec, name, stored) = self.stored_setting(key).await?;
        let value = match &stored {
            None => None,
            Some(raw) => Some(
                codec
                    .unseal(raw, Identity::Setting { key: &name })
                    .await
                    .map_err(|reason| unreadable_setting(key, reason))?,
            ),
        };
        Ok(SettingRead {
            codec,
            stored,
            value,
        })
    }

    /// The codec, storage name and stored value of setting `key`: the part of a read that is
    /// the same for every setting type, so it is in the wasm once.
    async fn stored_setting(
        &self,
        key: &str,
    ) -> Result<(RecordCodec, String, Option<JsValue>), StorageError> {
        let codec = self.codec()?;
        let name = codec.setting_name(key).await?;
        let stored = self.with_db(|db| read_setting(db, &name)).await?;
        Ok((codec, name, stored))
    }

    pub async fn put_setting<T: Serialize + ?Sized>(
        &self,
        key: &str,
        value: &T,
    ) -> Result<(), StorageError> {
        let (name, sealed) = self.codec()?.seal_setting(key, value).await?;
        self.put_sealed_setting(&name, &sealed).await
    }

    /// The write of [`put_setting`](Self::put_setting), the same for every setting type (so it
    /// is in the wasm once).
    async fn put_sealed_setting(&self, name: &str, sealed: &JsValue) -> Result<(), StorageError> {
        self.with_db(|db| {
            self.write_tx(db, &[SETTINGS], |tx| {
                let store = tx.object_store(SETTINGS)?;
                store
                    .put(sealed.clone())
                    .with_key(name)
                    .without_key_type()
                    .primitive()?;
                Ok(())
            })
        })
        .await
    }

    pub async fn delete_setting(&self, key: &str) -> Result<(), StorageError> {
        let name = self.codec()?.setting_name(key).await?;
        self.with_db(|db| {
            self.write_tx(db, &[SETTINGS], |tx| {
                let store = tx.object_store(SETTINGS)?;
                store
                    .delete::<JsValue, _>(KeyRange::Only(JsValue::from_str(&name)))
                    .primitive()?;
                Ok(())
            })
        })
        .await
    }
}
