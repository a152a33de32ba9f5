//! Writes that are logged: each one writes its audit entries in its own transaction (see
//! `audit.rs`), so an action is never stored without its entry or logged without happening.
//! A removed book also has its mention dropped from every entry about it, in that same
//! transaction: "Done with this patient" leaves nothing of the person, not even in the log.

use health_book::device::VaultMeta;
use health_book::{CitizenId, HealthBook};
use serde::Serialize;

use super::audit::AuditEvent;
use super::book_store::StoredBook;
use super::codec::{book_key_setting, seal_lock_setting, RecordCodec, VAULT_META_SETTING};
use super::error::StorageError;
use super::handle::BookStore;
use super::schema::SETTINGS;
use super::transactions::ExpectedHeader;
use indexed_db_futures::prelude::*;

impl BookStore {
    /// Saves one book with one entry, in one transaction: what a record added, corrected or
    /// removed on the device calls, e.g. `AuditEvent::about(id, AuditAction::RecordAdded {
    /// record: RecordKindName::Vaccination })`.
    pub async fn save_book_recorded(
        &self,
        book: &HealthBook,
        event: AuditEvent,
    ) -> Result<(), StorageError> {
        self.save_books_recorded(&[book], std::slice::from_ref(&event))
            .await
    }

    /// Saves books (a record added on the device) with one entry per event, in one
    /// transaction.
    pub async fn save_books_recorded(
        &self,
        books: &[&HealthBook],
        events: &[AuditEvent],
    ) -> Result<(), StorageError> {
        self.save_books_with_settings_recorded::<()>(books, &[], events)
            .await
    }

    /// Saves books, the settings that belong with them (an import's correction notes, by
    /// setting key) and one entry per event, in one transaction: all of it, or none.
    pub async fn save_books_with_settings_recorded<T: Serialize>(
        &self,
        books: &[&HealthBook],
        settings: &[(String, &T)],
        events: &[AuditEvent],
    ) -> Result<(), StorageError> {
        let codec = self.codec()?;
        let mut encoded = Vec::with_capacity(books.len());
        for book in books {
            encoded.push(self.encode_book(book).await?);
        }
        let mut sealed = Vec::with_capacity(settings.len());
        for (key, value) in settings {
            sealed.push(codec.seal_setting(key, *value).await?);
        }
        let sealed: Vec<(&str, &wasm_bindgen::JsValue)> = sealed
            .iter()
            .map(|(name, value)| (name.as_str(), value))
            .collect();
        let (encoded, sealed) = (&encoded, &sealed);
        self.appending(&codec, events, None, |audit| async move {
            self.with_db(|db| self.write_book(db, encoded, sealed, None, audit.as_ref()))
                .await
        })
        .await
    }

    /// [`save_book_with_setting_checked`](Self::save_book_with_setting_checked) with entries
    /// (a sync, a book created and opened).
    pub async fn save_book_with_setting_recorded<T: Serialize + ?Sized>(
        &self,
        book: &HealthBook,
        key: &str,
        value: &T,
        expected: Option<StoredBook>,
        events: &[AuditEvent],
    ) -> Result<(), StorageError> {
        let encoded = self.encode_book(book).await?;
        let codec = self.codec()?;
        let (name, sealed) = codec.seal_setting(key, value).await?;
        let expected = match expected {
            None => None,
            Some(StoredBook::Absent) => Some(ExpectedHeader::Absent),
            Some(StoredBook::SavedAt(at)) => Some(ExpectedHeader::Stamp(
                codec.saved_stamp(&encoded.citizen_id, at).await?,
            )),
        };
        let settings = [(name.as_str(), &sealed)];
        let (encoded, settings, expected) = (&encoded, &settings, &expected);
        self.appending(&codec, events, None, |audit| async move {
            self.with_db(|db| {
                self.write_book(
                    db,
                    std::slice::from_ref(encoded),
                    settings,
                    expected.clone(),
                    audit.as_ref(),
                )
            })
            .await
        })
        .await
    }

    /// [`put_setting`](Self::put_setting) with an entry (the open book chosen).
    pub async fn put_setting_recorded<T: Serialize + ?Sized>(
        &self,
        key: &str,
        value: &T,
        event: AuditEvent,
    ) -> Result<(), StorageError> {
        let codec = self.codec()?;
        let (name, sealed) = codec.seal_setting(key, value).await?;
        self.put_sealed_setting_recorded(&codec, &name, &sealed, event)
            .await
    }

    /// Deletes a book with its settings and its key, drops its mention from the log, and
    /// writes `events` (which name nobody), all in one transaction.
    pub async fn delete_book_recorded(
        &self,
        citizen_id: &CitizenId,
        settings: &[&str],
        events: &[AuditEvent],
    ) -> Result<(), StorageError> {
        let codec = self.codec()?;
        let name = codec.book_name(citizen_id.as_str()).await?;
        let mut names = Vec::with_capacity(settings.len() + 1);
        for key in settings {
            names.push(codec.setting_name(key).await?);
        }
        if let RecordCodec::Sealed(_) = codec {
            // The book's key goes with it: its deleted rows may linger on disk, unreadable.
            names.push(book_key_setting(&name));
        }
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let (name_ref, names) = (&name, &names);
        self.appending(&codec, events, Some(citizen_id), |audit| async move {
            self.with_db(|db| self.delete_book_tx(db, name_ref, names, audit.as_ref()))
                .await
        })
        .await?;
        if let RecordCodec::Sealed(keys) = codec {
            keys.forget_book(&name);
        }
        Ok(())
    }

    /// Writes the vault metadata (in clear, as `vault.rs` keeps it) with an entry, under
    /// `codec` (unlocking writes before its keys are the store's).
    pub(super) async fn put_vault_recorded(
        &self,
        meta: &VaultMeta,
        codec: &RecordCodec,
        event: AuditEvent,
    ) -> Result<(), StorageError> {
        let sealed = seal_lock_setting(meta)?;
        self.put_sealed_setting_recorded(codec, VAULT_META_SETTING, &sealed, event)
            .await
    }

    async fn put_sealed_setting_recorded(
        &self,
        codec: &RecordCodec,
        name: &str,
        sealed: &wasm_bindgen::JsValue,
        event: AuditEvent,
    ) -> Result<(), StorageError> {
        self.appending(
            codec,
            std::slice::from_ref(&event),
            None,
            |audit| async move {
                let stores = audit
                    .as_ref()
                    .map_or_else(|| vec![SETTINGS], |a| a.stores(&[SETTINGS]));
                self.with_db(|db| {
                    self.write_tx(db, &stores, |tx| {
                        tx.object_store(SETTINGS)?
                            .put(sealed.clone())
                            .with_key(name)
                            .without_key_type()
                            .primitive()?;
                        audit.as_ref().map_or(Ok(()), |a| a.issue(tx))
                    })
                })
                .await
            },
        )
        .await
    }
}
