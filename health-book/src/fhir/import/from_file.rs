//! A file is not the health system. Whatever a file's extensions claim, importing it never yields
//! a record shown as synced, and never links the book to a server: only a sync from the configured
//! server does either (`sync::merge::merge_synced`). A forged server link would otherwise make the
//! next refresh fetch that server's patient, perhaps another person, with this device's token.
//!
//! Claims of entry on a device (by staff, or self-reported) are kept: they are unverified either
//! way, and a backup of this device's book must bring its typed-in records back as the device's
//! own, which no later sync replaces.

use super::{import_books, BooksImport, ImportError, ImportLimits, ImportOptions};
use crate::model::{BookSource, HealthBook, Provenance, RecordOrigin};

/// Reads a file the person or staff chose: [`import_books`], then [`distrust_file`] on each book.
/// Every file import goes through here.
pub fn import_file(
    bytes: &[u8],
    file_name: Option<&str>,
    limits: ImportLimits,
) -> Result<BooksImport, ImportError> {
    let options = ImportOptions {
        source: BookSource::Imported {
            file_name: file_name.map(str::to_owned),
        },
        default_origin: RecordOrigin::Imported,
        fetched_at: None,
        limits,
    };
    let mut imported = import_books(bytes, &options)?;
    for book in &mut imported.books {
        distrust_file(book, file_name);
    }
    Ok(imported)
}

/// What a file may say about where its book came from: records it claims were synced are "from
/// a file", and the book's source is this file (no server link, no server version, never synced
/// here). The date the file says its data is as of stays, as the file's own statement.
pub fn distrust_file(book: &mut HealthBook, file_name: Option<&str>) {
    for origin in book
        .vaccinations
        .iter_mut()
        .map(|v| &mut v.recorded_by)
        .chain(book.prescriptions.iter_mut().map(|p| &mut p.recorded_by))
        .chain(
            book.care
                .appointments
                .iter_mut()
                .map(|a| &mut a.recorded_by),
        )
        .chain(book.care.referrals.iter_mut().map(|r| &mut r.recorded_by))
    {
        if !origin.is_device_entry() {
            *origin = RecordOrigin::Imported;
        }
    }
    book.provenance = Provenance {
        source: BookSource::Imported {
            file_name: file_name.map(str::to_owned),
        },
        source_updated_at: book.provenance.source_updated_at,
        source_version: None,
        last_synced_at: None,
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::DeviceMode;
    use crate::fhir::{export_book_json, export_books_json};
    use crate::generate::{self, BookShape};
    use time::macros::datetime;

    fn staff() -> RecordOrigin {
        RecordOrigin::EnteredByStaff {
            staff: Some("Y tá Lan".into()),
            device: Some(DeviceMode::Shared),
            at: datetime!(2026-12-01 10:32 +7),
        }
    }

    /// A book as a server would have given it: every record synced, linked to the server.
    fn server_book(seed: u64) -> HealthBook {
        let mut book = generate::book(seed, &BookShape::records(8));
        let synced = RecordOrigin::Synced {
            source: "https://fhir.example/r4".into(),
        };
        book.vaccinations
            .iter_mut()
            .for_each(|v| v.recorded_by = synced.clone());
        book.prescriptions
            .iter_mut()
            .for_each(|p| p.recorded_by = synced.clone());
        book.provenance.source = BookSource::Server {
            base_url: "https://fhir.example/r4".into(),
            patient_id: "someone-else".into(),
        };
        book.provenance.source_version = Some("W/\"9\"".into());
        book.provenance.last_synced_at = Some(datetime!(2026-11-30 8:00 UTC));
        book
    }

    #[test]
    fn a_file_claiming_synced_records_imports_them_as_from_a_file() {
        let forged = export_book_json(&server_book(1));
        assert!(
            forged.contains("\"synced\""),
            "the file claims synced records"
        );
        let imported = import_file(
            forged.as_bytes(),
            Some("forged.json"),
            ImportLimits::default(),
        )
        .expect("the file imports");
        let book = &imported.books[0];
        assert!(!book.vaccinations.is_empty() && !book.prescriptions.is_empty());
        assert!(book
            .vaccinations
            .iter()
            .all(|v| v.recorded_by == RecordOrigin::Imported));
        assert!(book
            .prescriptions
            .iter()
            .all(|p| p.recorded_by == RecordOrigin::Imported));
    }

    #[test]
    fn a_file_cannot_link_the_book_to_a_server() {
        let forged = export_book_json(&server_book(2));
        let imported = import_file(
            forged.as_bytes(),
            Some("forged.json"),
            ImportLimits::default(),
        )
        .unwrap();
        let provenance = &imported.books[0].provenance;
        assert_eq!(
            provenance.source,
            BookSource::Imported {
                file_name: Some("forged.json".into())
            }
        );
        assert_eq!(provenance.source_version, None);
        assert_eq!(provenance.last_synced_at, None);
    }

    #[test]
    fn device_entered_records_in_a_backup_stay_the_devices_own() {
        let mut book = server_book(3);
        book.vaccinations[0].recorded_by = staff();
        let at = datetime!(2026-12-01 20:00 +7);
        book.prescriptions[0].recorded_by = RecordOrigin::SelfReported { at };
        let json = export_books_json(std::slice::from_ref(&book));
        let imported = import_file(json.as_bytes(), None, ImportLimits::default()).unwrap();
        let back = &imported.books[0];
        assert_eq!(back.vaccinations[0].recorded_by, staff());
        assert_eq!(
            back.prescriptions[0].recorded_by,
            RecordOrigin::SelfReported { at }
        );
        assert!(back.vaccinations[1..]
            .iter()
            .all(|v| v.recorded_by == RecordOrigin::Imported));
    }

    #[test]
    fn every_book_of_a_file_is_distrusted() {
        let books = [server_book(4), server_book(5)];
        let json = export_books_json(&books);
        let imported = import_file(json.as_bytes(), None, ImportLimits::default()).unwrap();
        assert_eq!(imported.books.len(), 2);
        for book in &imported.books {
            assert!(book
                .vaccinations
                .iter()
                .all(|v| !v.recorded_by.is_verified()));
            assert!(!matches!(book.provenance.source, BookSource::Server { .. }));
        }
    }

    #[test]
    fn appointments_and_referrals_read_from_a_file_are_from_the_file_too() {
        use crate::model::{
            Appointment, AppointmentStatus, AppointmentTime, Facility, Referral, ReferralStatus,
        };
        let synced = RecordOrigin::Synced {
            source: "https://fhir.example/r4".into(),
        };
        let station = Facility {
            code: None,
            name: "Trạm Y tế xã Phú Đình".into(),
        };
        let mut book = server_book(3);
        book.care.appointments = vec![Appointment {
            id: crate::RecordId("ap-1".into()),
            when: AppointmentTime::Day {
                on: time::macros::date!(2026 - 04 - 02),
            },
            status: AppointmentStatus::Proposed,
            facility: Some(station.clone()),
            reason: None,
            recorded_by: synced.clone(),
        }];
        book.care.referrals = vec![Referral {
            id: crate::RecordId("ref-1".into()),
            code: None,
            issued_on: time::macros::date!(2026 - 03 - 20),
            from: station.clone(),
            to: station,
            reason: None,
            valid_until: None,
            status: ReferralStatus::Active,
            recorded_by: synced,
        }];
        distrust_file(&mut book, Some("forged.json"));
        assert_eq!(
            book.care.appointments[0].recorded_by,
            RecordOrigin::Imported
        );
        assert_eq!(book.care.referrals[0].recorded_by, RecordOrigin::Imported);
    }
}
