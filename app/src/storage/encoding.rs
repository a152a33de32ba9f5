//! Encoding and decoding of books, records and summaries: done outside any transaction, because
//! a transaction commits itself as soon as nothing of IndexedDB is pending.

use health_book::{AddressKey, HealthBook};
use serde::de::DeserializeOwned;
use time::OffsetDateTime;
use wasm_bindgen::JsValue;

use super::address_key::{fresh_address_key, stored_address_key};
use super::codec::{stamp_saved_at, BookHeader, Identity, RecordCodec, RecordIn, RecordOut};
use super::error::{RecordKind, RecordLocation, SkipReason, SkippedRecord, StorageError};
use super::handle::BookStore;
use super::schema::{first_duplicate, split_record_key};
use super::summary::BookSummary;

pub(super) struct EncodedBook {
    /// The book's storage name: the citizen ID, or its HMAC once encrypted (so are the record
    /// names below).
    pub(super) citizen_id: String,
    /// Encrypted: the book's wrapped key as a settings row, written with the book.
    pub(super) book_key: Option<(String, JsValue)>,
    pub(super) header: JsValue,
    /// The address key the book gets if none is stored yet; a stored book keeps its own (the
    /// save reads it in its transaction).
    pub(super) new_address_key: AddressKey,
    pub(super) vaccinations: Vec<(String, JsValue)>,
    pub(super) prescriptions: Vec<(String, JsValue)>,
}

impl EncodedBook {
    pub(super) fn records(&self, kind: RecordKind) -> &[(String, JsValue)] {
        match kind {
            RecordKind::Vaccination => &self.vaccinations,
            RecordKind::Prescription => &self.prescriptions,
        }
    }
}

impl BookStore {
    pub(super) async fn encode_book(&self, book: &HealthBook) -> Result<EncodedBook, StorageError> {
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
        let codec = self.codec()?;
        let name = codec.book_name(book.citizen_id().as_str()).await?;
        let book_key = codec.book_key_row(&name).await?;
        let saved_at = OffsetDateTime::now_utc();
        let header = codec
            .seal(
                &BookHeader::of(book, saved_at),
                Identity::Header { book: &name },
            )
            .await?;
        stamp_saved_at(&header, &codec.saved_stamp(&name, saved_at).await?)?;
        let vaccinations = seal_records(
            &codec,
            &name,
            RecordKind::Vaccination,
            &book.vaccinations,
            |v| v.id.as_str(),
        )
        .await?;
        let prescriptions = seal_records(
            &codec,
            &name,
            RecordKind::Prescription,
            &book.prescriptions,
            |p| p.id.as_str(),
        )
        .await?;
        Ok(EncodedBook {
            citizen_id: name,
            book_key,
            header,
            new_address_key: fresh_address_key()?,
            vaccinations,
            prescriptions,
        })
    }

    pub(super) async fn decode_records<T: DeserializeOwned>(
        &self,
        codec: &RecordCodec,
        kind: RecordKind,
        rows: &[(JsValue, JsValue)],
        skipped: &mut Vec<SkippedRecord>,
    ) -> Vec<T> {
        let names: Vec<(String, String)> =
            rows.iter().map(|(key, _)| split_record_key(key)).collect();
        let items: Vec<(&JsValue, Identity<'_>)> = rows
            .iter()
            .zip(&names)
            .map(|((_, value), (book, record))| (value, Identity::Record { kind, book, record }))
            .collect();
        let decoded = codec.unseal_all::<RecordIn<T>>(&items).await;
        let mut records: Vec<RecordIn<T>> = Vec::with_capacity(rows.len());
        for (result, (citizen_id, record_id)) in decoded.into_iter().zip(names) {
            match result {
                Ok(record) => records.push(record),
                Err(reason) => {
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

    /// The summary of every stored header (`key`, value), decrypted in one batch.
    pub(super) async fn summaries_of(
        &self,
        codec: &RecordCodec,
        rows: &[(String, JsValue)],
    ) -> Vec<Result<BookSummary, SkipReason>> {
        let items: Vec<(&JsValue, Identity<'_>)> = rows
            .iter()
            .map(|(key, value)| (value, Identity::Header { book: key }))
            .collect();
        let headers = codec.unseal_all::<BookHeader>(&items).await;
        // Encrypted, the additional data already binds each header to its storage name.
        let plain = matches!(codec, RecordCodec::PlainJson);
        headers
            .into_iter()
            .zip(rows)
            .map(|(header, (key, stored))| {
                let header = header?;
                if plain && header.profile.citizen_id.as_str() != key {
                    return Err(SkipReason::Malformed {
                        detail: format!(
                            "stored under {key} but belongs to {}",
                            header.profile.citizen_id
                        ),
                    });
                }
                Ok(BookSummary::from_header(
                    &header,
                    stored_address_key(stored),
                ))
            })
            .collect()
    }
}

/// Seals one kind of record of a book, each under its storage name, with its position; names
/// and ciphertexts each in one batch.
async fn seal_records<T: serde::Serialize>(
    codec: &RecordCodec,
    book: &str,
    kind: RecordKind,
    records: &[T],
    id_of: impl Fn(&T) -> &str,
) -> Result<Vec<(String, JsValue)>, StorageError> {
    let ids: Vec<&str> = records.iter().map(&id_of).collect();
    let names = codec.record_names(book, &ids).await?;
    let outs: Vec<RecordOut<'_, T>> = records
        .iter()
        .enumerate()
        .map(|(pos, record)| RecordOut::new(pos, record))
        .collect();
    let items: Vec<(&RecordOut<'_, T>, Identity<'_>)> = outs
        .iter()
        .zip(&names)
        .map(|(out, name)| {
            (
                out,
                Identity::Record {
                    kind,
                    book,
                    record: name,
                },
            )
        })
        .collect();
    let values = codec.seal_all(&items).await?;
    Ok(names.into_iter().zip(values).collect())
}
