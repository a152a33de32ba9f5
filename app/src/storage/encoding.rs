//! Encoding and decoding of books, records and summaries: done outside any transaction, because
//! a transaction commits itself as soon as nothing of IndexedDB is pending.

use health_book::HealthBook;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;
use wasm_bindgen::JsValue;

use super::codec::{BookHeader, RecordIn, RecordOut};
use super::error::{RecordKind, RecordLocation, SkipReason, SkippedRecord, StorageError};
use super::handle::BookStore;
use super::schema::{first_duplicate, split_record_key};
use super::summary::BookSummary;

pub(super) struct EncodedBook {
    pub(super) citizen_id: String,
    pub(super) header: JsValue,
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

    pub(super) async fn decode_records<T: DeserializeOwned>(
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

    pub(super) async fn summary_of(
        &self,
        key: &str,
        value: &JsValue,
    ) -> Result<BookSummary, SkipReason> {
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
