//! Saving and removing what was typed in on the device. The device's own entries (staff-entered
//! or self-reported) can be corrected or removed; a record the health system sent, or one read
//! from a file, never: its source must correct it.
//!
//! [`save_entry`] and [`remove_entry`] are the only two ways a typed-in record changes a book.

use thiserror::Error;

use crate::audit::{AuditAction, RecordKindName};
use crate::model::{HealthBook, Prescription, RecordId, RecordOrigin, Vaccination};

/// A typed-in record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Vaccination(Vaccination),
    Prescription(Prescription),
}

impl Entry {
    pub fn id(&self) -> &RecordId {
        match self {
            Entry::Vaccination(v) => &v.id,
            Entry::Prescription(p) => &p.id,
        }
    }

    /// The record's kind as the audit log names it.
    pub fn audit_kind(&self) -> RecordKindName {
        match self {
            Entry::Vaccination(_) => RecordKindName::Vaccination,
            Entry::Prescription(_) => RecordKindName::Prescription,
        }
    }

    /// What saving this entry into `book` is, for the audit log: a correction when the book
    /// already holds a record with its ID, otherwise an addition.
    pub fn saving_action(&self, book: &HealthBook) -> AuditAction {
        let record = self.audit_kind();
        let exists = match self {
            Entry::Vaccination(v) => book.vaccinations.iter().any(|r| r.id == v.id),
            Entry::Prescription(p) => book.prescriptions.iter().any(|r| r.id == p.id),
        };
        if exists {
            AuditAction::RecordEdited { record }
        } else {
            AuditAction::RecordAdded { record }
        }
    }

    fn origin(&self) -> &RecordOrigin {
        match self {
            Entry::Vaccination(v) => &v.recorded_by,
            Entry::Prescription(p) => &p.recorded_by,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum EntryError {
    /// The record came from the health system or a file (or the entry does not say it was typed
    /// in on a device): the device does not change it.
    #[error("only records entered on this device can be changed")]
    NotDeviceEntry,
    #[error("the record is no longer in the book")]
    NotFound,
}

/// Whether the device may correct or remove a record with this origin.
pub fn can_change(origin: &RecordOrigin) -> bool {
    origin.is_device_entry()
}

/// Adds a typed-in record, or replaces the device's own record with its ID (a correction). The
/// book is unchanged on error.
pub fn save_entry(book: &mut HealthBook, entry: Entry) -> Result<(), EntryError> {
    if !entry.origin().is_device_entry() {
        return Err(EntryError::NotDeviceEntry);
    }
    match entry {
        Entry::Vaccination(v) => put(&mut book.vaccinations, v, |v| (&v.id, &v.recorded_by)),
        Entry::Prescription(p) => put(&mut book.prescriptions, p, |p| (&p.id, &p.recorded_by)),
    }
}

/// Removes the device's own record with this ID (vaccination or prescription). The book is
/// unchanged on error.
pub fn remove_entry(book: &mut HealthBook, id: &RecordId) -> Result<Entry, EntryError> {
    if let Some(v) = take(&mut book.vaccinations, id, |v| (&v.id, &v.recorded_by))? {
        return Ok(Entry::Vaccination(v));
    }
    match take(&mut book.prescriptions, id, |p| (&p.id, &p.recorded_by))? {
        Some(p) => Ok(Entry::Prescription(p)),
        None => Err(EntryError::NotFound),
    }
}

fn put<T>(
    records: &mut Vec<T>,
    record: T,
    id_origin: impl Fn(&T) -> (&RecordId, &RecordOrigin),
) -> Result<(), EntryError> {
    let id = id_origin(&record).0.clone();
    match records.iter().position(|r| *id_origin(r).0 == id) {
        Some(i) if !can_change(id_origin(&records[i]).1) => Err(EntryError::NotDeviceEntry),
        Some(i) => {
            records[i] = record;
            Ok(())
        }
        None => {
            records.push(record);
            Ok(())
        }
    }
}

fn take<T>(
    records: &mut Vec<T>,
    id: &RecordId,
    id_origin: impl Fn(&T) -> (&RecordId, &RecordOrigin),
) -> Result<Option<T>, EntryError> {
    match records.iter().position(|r| id_origin(r).0 == id) {
        Some(i) if !can_change(id_origin(&records[i]).1) => Err(EntryError::NotDeviceEntry),
        Some(i) => Ok(Some(records.remove(i))),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{self, BookShape};
    use time::macros::datetime;

    fn book() -> HealthBook {
        let mut book = generate::book(9, &BookShape::records(6));
        let synced = RecordOrigin::Synced {
            source: "https://fhir.example/r4".into(),
        };
        book.vaccinations
            .iter_mut()
            .for_each(|v| v.recorded_by = synced.clone());
        book.prescriptions
            .iter_mut()
            .for_each(|p| p.recorded_by = synced.clone());
        book
    }

    fn typed(mut v: Vaccination, id: &str) -> Vaccination {
        v.id = RecordId(id.into());
        v.recorded_by = RecordOrigin::EnteredByStaff {
            staff: Some("Y tá Lan".into()),
            device: None,
            at: datetime!(2026-12-01 10:32 +7),
        };
        v
    }

    #[test]
    fn staff_add_correct_and_remove_what_they_entered() {
        let mut book = book();
        let entry = typed(book.vaccinations[0].clone(), "device-1");
        save_entry(&mut book, Entry::Vaccination(entry.clone())).unwrap();
        assert!(book.vaccinations.contains(&entry));
        let before = book.vaccinations.len();

        let mut corrected = entry.clone();
        corrected.lot_number = Some("L-2".into());
        save_entry(&mut book, Entry::Vaccination(corrected.clone())).unwrap();
        assert_eq!(book.vaccinations.len(), before);
        assert!(book.vaccinations.contains(&corrected));

        let removed = remove_entry(&mut book, &entry.id).unwrap();
        assert_eq!(removed, Entry::Vaccination(corrected));
        assert_eq!(book.vaccinations.len(), before - 1);
        assert_eq!(
            remove_entry(&mut book, &entry.id),
            Err(EntryError::NotFound)
        );
    }

    #[test]
    fn what_was_synced_is_never_changed_nor_removed() {
        let mut book = book();
        let unchanged = book.clone();
        let server_id = book.vaccinations[0].id.clone();
        // A correction that would overwrite the server's record with its ID.
        let over = typed(book.vaccinations[0].clone(), server_id.as_str());
        assert_eq!(
            save_entry(&mut book, Entry::Vaccination(over)),
            Err(EntryError::NotDeviceEntry)
        );
        assert_eq!(
            remove_entry(&mut book, &server_id),
            Err(EntryError::NotDeviceEntry)
        );
        let rx_id = book.prescriptions[0].id.clone();
        assert_eq!(
            remove_entry(&mut book, &rx_id),
            Err(EntryError::NotDeviceEntry)
        );
        // An entry must say it was typed in.
        let mut plain = book.vaccinations[0].clone();
        plain.id = RecordId("device-9".into());
        plain.recorded_by = RecordOrigin::Imported;
        assert_eq!(
            save_entry(&mut book, Entry::Vaccination(plain)),
            Err(EntryError::NotDeviceEntry)
        );
        assert_eq!(book, unchanged);
    }

    #[test]
    fn saving_an_entry_is_logged_as_added_or_edited_by_whether_its_id_is_in_the_book() {
        let book = book();
        let existing = Entry::Prescription(book.prescriptions[0].clone());
        assert_eq!(
            existing.saving_action(&book),
            AuditAction::RecordEdited {
                record: RecordKindName::Prescription
            }
        );
        let mut fresh = book.vaccinations[0].clone();
        fresh.id = RecordId("typed-in-new".into());
        assert_eq!(
            Entry::Vaccination(fresh).saving_action(&book),
            AuditAction::RecordAdded {
                record: RecordKindName::Vaccination
            }
        );
    }
}
