//! Issue 15 end to end in the core: staff type a vaccination and a prescription in on a patient's
//! behalf; both survive a sync refresh and a re-import of the book's own export, keep their
//! provenance, and only they can be corrected or removed.

use health_book::device::DeviceMode;
use health_book::entry::{
    new_record_id, remove_entry, save_entry, Author, DiagnosisForm, Entry, EntryError,
    MedicineForm, PrescriptionForm, VaccinationForm,
};
use health_book::fhir::{export_book_json, import_file, ImportLimits};
use health_book::generate::{self, BookShape};
use health_book::sync::{merge_synced, SyncSource};
use health_book::views::import_preview::PendingBook;
use health_book::{HealthBook, MealRelation, RecordOrigin, TimeOfDay};
use time::macros::{date, datetime};

const SERVER: &str = "https://fhir.example/r4";

fn source() -> SyncSource {
    SyncSource {
        base_url: SERVER.into(),
        patient_id: "p-elder".into(),
        patient_version: Some("3".into()),
        patient_updated_at: None,
        synced_at: datetime!(2026-12-01 8:00 UTC),
    }
}

/// The patient's book as the server gave it.
fn synced_book() -> HealthBook {
    let from_server = generate::book(15, &BookShape::adult_with_history(5));
    merge_synced(from_server, None, &source()).book
}

#[test]
fn staff_entries_survive_a_refresh_and_a_re_import_with_their_provenance() {
    let today = date!(2026 - 12 - 02);
    let at = datetime!(2026-12-02 10:32 +7);
    let staff = Author::Staff {
        name: "Y tá Lan".into(),
        device: DeviceMode::Shared,
    };
    let mut book = synced_book();
    let server_copy = book.clone();

    let vaccination = VaccinationForm {
        vaccine_code: "CUM".into(),
        date: "2026-11-12".into(),
        lot_number: "LOT-STAFF-15".into(),
        facility_name: "Trạm Y tế xã Phú Đình".into(),
        ..VaccinationForm::default()
    }
    .to_record(new_record_id([1; 8]), staff.origin(at), &book, today)
    .expect("a valid vaccination");
    let prescription = PrescriptionForm {
        issued_on: "2026-11-29".into(),
        facility_name: "Trạm Y tế xã Phú Đình".into(),
        prescriber: "BS. Trần Văn Minh".into(),
        diagnoses: vec![DiagnosisForm {
            icd10: "J02.9".into(),
            text: "Viêm họng cấp".into(),
        }],
        medicines: vec![MedicineForm {
            name: "Paracetamol 500mg".into(),
            amount: "1".into(),
            unit: "viên".into(),
            times_per_day: "2".into(),
            times_of_day: vec![TimeOfDay::Morning, TimeOfDay::Evening],
            meals: Some(MealRelation::AfterMeals),
            days: "5".into(),
        }],
        ..PrescriptionForm::default()
    }
    .to_record(new_record_id([2; 8]), staff.origin(at), &book, today)
    .expect("a valid prescription");
    save_entry(&mut book, Entry::Vaccination(vaccination.clone())).unwrap();
    save_entry(&mut book, Entry::Prescription(prescription.clone())).unwrap();

    // A refresh: the server's book, as it has not changed, merged onto the device's.
    let refreshed = merge_synced(server_copy, Some(&book), &source());
    assert_eq!(refreshed.kept_staff_records, 2);
    assert!(refreshed.book.vaccinations.contains(&vaccination));
    assert!(refreshed.book.prescriptions.contains(&prescription));

    // The export carries the provenance; a re-import of it keeps both as the staff's.
    let json = export_book_json(&refreshed.book);
    let imported = import_file(
        json.as_bytes(),
        Some("backup.json"),
        ImportLimits::default(),
    )
    .expect("the export imports");
    let file_book = imported.books.into_iter().next().unwrap();
    assert!(file_book.vaccinations.contains(&vaccination));
    let pending = PendingBook::new(file_book, Some(&refreshed.book), today);
    assert_eq!(pending.kept_device_records, 2);
    let saved = pending.book;
    assert!(saved.vaccinations.contains(&vaccination));
    assert!(saved.prescriptions.contains(&prescription));
    assert_eq!(
        saved
            .vaccinations
            .iter()
            .find(|v| v.id == vaccination.id)
            .unwrap()
            .recorded_by,
        RecordOrigin::EnteredByStaff {
            staff: Some("Y tá Lan".into()),
            device: Some(DeviceMode::Shared),
            at
        }
    );
    // What the health system sent came back from the file as "from a file".
    assert!(saved
        .vaccinations
        .iter()
        .filter(|v| v.id != vaccination.id)
        .all(|v| v.recorded_by == RecordOrigin::Imported));

    // The staff's own records can be removed; the others cannot.
    let mut after = saved.clone();
    let other = after
        .vaccinations
        .iter()
        .find(|v| v.id != vaccination.id)
        .unwrap()
        .id
        .clone();
    assert_eq!(
        remove_entry(&mut after, &other),
        Err(EntryError::NotDeviceEntry)
    );
    assert!(remove_entry(&mut after, &prescription.id).is_ok());
    assert!(!after.prescriptions.contains(&prescription));
}
