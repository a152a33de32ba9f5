//! The keys of an unlocked device, in memory only, and the storage names derived from IDs.
//!
//! Dropping [`Keys`] (locking) forgets every key: the WebCrypto keys are non-extractable, so
//! nothing else in the page can read them out meanwhile. Storage names are HMAC-SHA256 of the
//! ID under the device's index key, so the database's keys do not say who is on the device.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use health_book::device::{SlotId, StaffMember};
use web_sys::CryptoKey;

use crate::browser::crypto::{CryptoError, KeyUse, WebCrypto};

/// A book's own key, with its wrapped form (written with every save of the book, so a save that
/// failed after the key was made cannot leave a book without its key).
#[derive(Clone)]
pub(crate) struct BookKey {
    pub key: CryptoKey,
    pub wrapped: Vec<u8>,
}

pub(crate) struct Keys {
    pub crypto: WebCrypto,
    /// The slot that unlocked the device (who is working, on a shared tablet).
    pub slot: Cell<SlotId>,
    pub data: CryptoKey,
    pub index: CryptoKey,
    /// Book keys by storage name of the book.
    pub books: RefCell<HashMap<String, BookKey>>,
    /// Storage names already derived (HMAC input text -> name): opening a book or reading a
    /// setting asks for the same few names again and again, and each HMAC is a round trip to
    /// WebCrypto.
    pub names: RefCell<HashMap<String, String>>,
    /// The staff names opened at unlock (they are stored sealed): Settings lists them, and
    /// the audit log and typed-in records name who was working.
    pub staff: RefCell<Vec<StaffMember>>,
}

/// What a wrapped book key is bound to (its AES-GCM additional data).
pub(crate) fn book_key_aad(book: &str) -> Vec<u8> {
    format!("bookkey/{book}").into_bytes()
}

/// What the wrapped index key is bound to.
pub(crate) const INDEX_KEY_AAD: &[u8] = b"indexkey";

impl Keys {
    async fn name(&self, domain: &str, parts: &[&str]) -> Result<String, CryptoError> {
        let text = name_text(domain, parts);
        if let Some(name) = self.names.borrow().get(&text) {
            return Ok(name.clone());
        }
        let name = hex(&self.crypto.mac(&self.index, text.as_bytes()).await?);
        self.names.borrow_mut().insert(text, name.clone());
        Ok(name)
    }

    /// The storage names of many records of one book, in one batch.
    pub async fn record_names(
        &self,
        book: &str,
        record_ids: &[&str],
    ) -> Result<Vec<String>, CryptoError> {
        let texts: Vec<String> = record_ids
            .iter()
            .map(|id| name_text("record", &[book, id]))
            .collect();
        let inputs: Vec<&[u8]> = texts.iter().map(|t| t.as_bytes()).collect();
        self.crypto
            .mac_all(&self.index, &inputs)
            .await
            .into_iter()
            .map(|mac| mac.map(|m| hex(&m)))
            .collect()
    }

    pub async fn book_name(&self, citizen_id: &str) -> Result<String, CryptoError> {
        self.name("book", &[citizen_id]).await
    }

    pub async fn setting_name(&self, key: &str) -> Result<String, CryptoError> {
        Ok(format!("s.{}", self.name("setting", &[key]).await?))
    }

    /// A header's save-time stamp (see `codec::stamp_saved_at`): equal for equal times of the
    /// same book, and saying nothing about the time itself.
    pub async fn saved_stamp(&self, book: &str, saved_at: &str) -> Result<String, CryptoError> {
        let mac = self
            .crypto
            .mac(
                &self.index,
                name_text("saved", &[book, saved_at]).as_bytes(),
            )
            .await?;
        Ok(hex(&mac))
    }

    pub fn book_key(&self, book: &str) -> Option<BookKey> {
        self.books.borrow().get(book).cloned()
    }

    /// The book's key, made (and wrapped by the data key) if the book has none yet.
    pub async fn book_key_or_new(&self, book: &str) -> Result<BookKey, CryptoError> {
        if let Some(key) = self.book_key(book) {
            return Ok(key);
        }
        let fresh = self.crypto.generate(KeyUse::Book).await?;
        let aad = book_key_aad(book);
        let wrapped = self.crypto.wrap_key(&fresh, &self.data, &aad).await?;
        // Work with a non-extractable copy; the extractable one is dropped here.
        let key = self
            .crypto
            .unwrap_key(&wrapped, &self.data, &aad, KeyUse::Book)
            .await?;
        let book_key = BookKey { key, wrapped };
        self.books
            .borrow_mut()
            .insert(book.to_owned(), book_key.clone());
        Ok(book_key)
    }

    /// Adds a stored wrapped book key (at unlock).
    pub async fn load_book_key(&self, book: &str, wrapped: Vec<u8>) -> Result<(), CryptoError> {
        let key = self
            .crypto
            .unwrap_key(&wrapped, &self.data, &book_key_aad(book), KeyUse::Book)
            .await?;
        self.books
            .borrow_mut()
            .insert(book.to_owned(), BookKey { key, wrapped });
        Ok(())
    }

    pub fn forget_book(&self, book: &str) {
        self.books.borrow_mut().remove(book);
    }
}

/// What a storage name is the HMAC of: domain-separated, and each part ends with a NUL (no ID
/// contains one), so two different (domain, parts) never hash the same text.
fn name_text(domain: &str, parts: &[&str]) -> String {
    let mut text = format!("{domain}\0");
    for part in parts {
        text.push_str(part);
        text.push('\0');
    }
    text
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
