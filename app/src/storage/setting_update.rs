//! A setting changed from what it holds now (a book's correction notes, its dose history): read,
//! decided on, and written (with its audit entry, if any) only if nobody wrote it in between. An encrypted setting cannot
//! be opened inside a transaction (awaiting SubtleCrypto ends it), so the read and the write
//! are two; the write's own transaction compares the stored value with the one read, and a
//! change made in between (another tab, a second tap) makes it read and decide again instead
//! of writing over that change.

use serde::de::DeserializeOwned;
use serde::Serialize;

use wasm_bindgen::JsValue;

use super::audit::AuditEvent;
use super::codec::RecordCodec;
use super::error::StorageError;
use super::handle::BookStore;

/// What to do with a setting, decided from its current value.
#[derive(Debug)]
pub enum SettingUpdate<T, R> {
    /// Write nothing; the update answers `R`.
    Keep(R),
    /// Write `value`, with `event` in the same transaction if there is one; the update
    /// answers `answer`.
    Write {
        value: T,
        event: Option<AuditEvent>,
        answer: R,
    },
}

/// How many times an update reads and decides again after a write came in between, before it
/// gives up with [`StorageError::ChangedMeanwhile`].
const UPDATE_ATTEMPTS: u32 = 3;

impl BookStore {
    /// Reads setting `key` (`None` if never set), lets `decide` say what to write, and writes it
    /// (with its entry) only if the setting is still as read; otherwise reads and decides again.
    pub async fn update_setting<T, R, E>(
        &self,
        key: &str,
        mut decide: impl FnMut(Option<T>) -> Result<SettingUpdate<T, R>, E>,
    ) -> Result<R, E>
    where
        T: Serialize + DeserializeOwned,
        E: From<StorageError>,
    {
        let mut attempt = 1;
        loop {
            let read = self.setting_as_read::<T>(key).await?;
            let (value, event, answer) = match decide(read.value)? {
                SettingUpdate::Keep(answer) => return Ok(answer),
                SettingUpdate::Write {
                    value,
                    event,
                    answer,
                } => (value, event, answer),
            };
            let (name, sealed) = read.codec.seal_setting(key, &value).await?;
            let written = self
                .put_setting_checked(&read.codec, &name, &sealed, read.stored.as_ref(), event)
                .await;
            match written {
                Ok(()) => return Ok(answer),
                Err(StorageError::ChangedMeanwhile) if attempt < UPDATE_ATTEMPTS => attempt += 1,
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Writes a sealed setting with its entry, if any, only if the stored value is still
    /// `stored` (`transactions.rs`). Apart from `update_setting`, which is compiled once per
    /// setting type, so that this part is in the wasm once.
    async fn put_setting_checked(
        &self,
        codec: &RecordCodec,
        name: &str,
        sealed: &JsValue,
        stored: Option<&JsValue>,
        event: Option<AuditEvent>,
    ) -> Result<(), StorageError> {
        self.appending(codec, event.as_slice(), None, |audit| async move {
            self.with_db(|db| self.write_setting_checked(db, name, sealed, stored, audit.as_ref()))
                .await
        })
        .await
    }
}
