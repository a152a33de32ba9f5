//! The storage module against the real IndexedDB of headless Chromium.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p so-suc-khoe --target wasm32-unknown-unknown --test storage`
//! Each test uses its own database and deletes it at the end.

use health_book::{
    BookSource, CitizenId, Coding, Diagnosis, Dosage, Facility, HealthBook, Medicine, Prescriber,
    Prescription, PrescriptionKind, Profile, Provenance, RecordId, RecordOrigin, Sex, Vaccination,
};
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use serde::{Deserialize, Serialize};
use so_suc_khoe::storage::{
    persistence_status, request_persistence, storage_estimate, BookList, BookStore, Fault,
    OpenFailure, RecordKind, RecordLocation, SkipReason, StorageError, SCHEMA_VERSION,
};
use time::macros::{date, datetime};
use time::Date;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

mod support;
use support::{finish, fresh_store, raw_db, raw_put};

wasm_bindgen_test_configure!(run_in_browser);

// ---- fixtures -------------------------------------------------------------------------------

fn citizen_id(serial: u32) -> CitizenId {
    CitizenId::parse(&format!("0190900{serial:05}")).expect("a well-formed test ID")
}

fn vaccination(id: &str, day: u8) -> Vaccination {
    Vaccination {
        id: RecordId(id.to_owned()),
        vaccine: Coding {
            system: None,
            code: "DPT-VGB-Hib".into(),
            display: "Vắc xin 5 trong 1".into(),
        },
        target_diseases: vec![Coding {
            system: None,
            code: "pertussis".into(),
            display: "Ho gà".into(),
        }],
        dose_number: Some(1),
        series_doses: Some(3),
        date: Date::from_calendar_date(2024, time::Month::March, day).expect("valid day"),
        lot_number: Some(format!("LOT-{id}")),
        manufacturer: None,
        facility: Some(Facility {
            code: Some("19-011".into()),
            name: "Trạm Y tế xã Phú Đình".into(),
        }),
        administered_by: None,
        next_dose_due: None,
        recorded_by: RecordOrigin::Synced {
            source: "https://fhir.example/fhir".into(),
        },
    }
}

fn prescription(id: &str) -> Prescription {
    Prescription {
        id: RecordId(id.to_owned()),
        code: "40618R001935-c".into(),
        kind: PrescriptionKind::Basic,
        issued_at: datetime!(2024-05-02 09:30 +7),
        facility: Facility {
            code: None,
            name: "Bệnh viện Đa khoa huyện Định Hóa".into(),
        },
        prescriber: Prescriber {
            name: "BS. Trần Thị Hạnh".into(),
            practitioner_code: None,
        },
        diagnoses: vec![Diagnosis {
            icd10: "J06.9".into(),
            text: "Viêm đường hô hấp trên".into(),
        }],
        medicines: vec![Medicine {
            name: "Paracetamol 500mg".into(),
            active_ingredient: Some("Paracetamol".into()),
            strength: Some("500mg".into()),
            form: Some("viên nén".into()),
            quantity: Some(10),
            unit: Some("viên".into()),
            dosage: Dosage {
                times_per_day: Some(2),
                text: Some("Uống sau ăn".into()),
                ..Dosage::default()
            },
            duration_days: Some(5),
        }],
        advice: None,
        re_examination_on: None,
        recorded_by: RecordOrigin::EnteredByStaff {
            staff: Some("Y tá Lan".into()),
            device: None,
            at: datetime!(2024-05-02 10:00 +7),
        },
    }
}

/// A book whose record IDs do not sort in book order, so a load must restore the saved order.
fn book(
    serial: u32,
    name: &str,
    born: Date,
    vaccinations: usize,
    prescriptions: usize,
) -> HealthBook {
    HealthBook {
        profile: Profile {
            full_name: name.to_owned(),
            date_of_birth: born,
            sex: Sex::Male,
            citizen_id: citizen_id(serial),
            old_id_number: None,
            card_issued_on: None,
            health_insurance: None,
            address: Some("Xã Phú Đình, huyện Định Hóa, tỉnh Thái Nguyên".into()),
            phone: None,
            blood_group: None,
            allergies: vec!["Penicillin".into()],
            chronic_conditions: vec![],
            emergency_contact: None,
        },
        vaccinations: (0..vaccinations)
            .rev()
            .map(|i| vaccination(&format!("v-{i}"), 1 + (i % 28) as u8))
            .collect(),
        prescriptions: (0..prescriptions)
            .map(|i| prescription(&format!("p-{}", prescriptions - i)))
            .collect(),
        care: Default::default(),
        provenance: Provenance {
            source: BookSource::EnteredOnDevice,
            source_updated_at: None,
            source_version: None,
            last_synced_at: Some(datetime!(2025-01-10 08:00 UTC)),
        },
    }
}

/// Search as the book list screen does: the listed summaries, ranked by the core's `Query`.
async fn find(store: &BookStore, query: &str) -> BookList {
    let list = store.list_books().await.expect("list");
    BookList {
        books: list.search(query),
        skipped: list.skipped,
    }
}

/// The book stored for this person, if any.
async fn stored(store: &BookStore, citizen_id: &CitizenId) -> Option<HealthBook> {
    store
        .load_book(citizen_id)
        .await
        .expect("load")
        .map(|loaded| loaded.book)
}

async fn raw_count(name: &str, store: &str) -> u32 {
    let db = raw_db(name).await;
    let tx = db.transaction(store).build().expect("tx");
    let n = tx
        .object_store(store)
        .expect("store")
        .count()
        .primitive()
        .expect("count")
        .await
        .expect("count");
    drop(tx);
    db.close();
    n
}

fn envelope(format: u32, body: &str) -> JsValue {
    let object = js_sys::Object::new();
    js_sys::Reflect::set(&object, &"f".into(), &JsValue::from(format)).expect("set f");
    js_sys::Reflect::set(&object, &"b".into(), &JsValue::from_str(body)).expect("set b");
    object.into()
}

fn record_key(citizen: &CitizenId, record: &str) -> JsValue {
    js_sys::Array::of2(
        &JsValue::from_str(citizen.as_str()),
        &JsValue::from_str(record),
    )
    .into()
}

// ---- round trips ----------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn a_fresh_database_is_created_at_the_current_schema() {
    let name = "test-fresh";
    let store = fresh_store(name).await;
    let report = store
        .migration_report()
        .expect("creating the database is an upgrade from 0");
    assert_eq!(
        (report.from_version, report.to_version),
        (0, SCHEMA_VERSION)
    );
    assert_eq!(report.books_migrated, 0);
    assert!(store.list_books().await.expect("list").books.is_empty());
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn a_saved_book_loads_back_identical_in_record_order() {
    let name = "test-round-trip";
    let store = fresh_store(name).await;
    let original = book(1, "Nguyễn Thị Ngọc Ánh", date!(1990 - 04 - 12), 12, 7);
    store.save_book(&original).await.expect("save");

    let loaded = store
        .load_book(original.citizen_id())
        .await
        .expect("load")
        .expect("the book exists");
    assert_eq!(loaded.book, original);
    assert!(loaded.skipped.is_empty());
    // The profile alone (the check-in QR) reads back as the whole book's does.
    let profile = store
        .load_profile(original.citizen_id())
        .await
        .expect("load the profile")
        .expect("the book exists");
    assert_eq!(profile.profile, original.profile);
    assert_eq!(profile.last_updated, loaded.last_updated);
    assert_eq!(
        store.load_profile(&citizen_id(999)).await.expect("load"),
        None
    );

    // Saving a smaller book removes the records it no longer has.
    let mut smaller = original.clone();
    smaller.vaccinations.truncate(3);
    smaller.prescriptions.clear();
    store.save_book(&smaller).await.expect("save smaller");
    let loaded = store
        .load_book(original.citizen_id())
        .await
        .expect("load")
        .expect("exists");
    assert_eq!(loaded.book, smaller);
    assert_eq!(raw_count(name, "vaccinations").await, 3);
    assert_eq!(raw_count(name, "prescriptions").await, 0);

    assert_eq!(store.load_book(&citizen_id(999)).await.expect("load"), None);
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn clones_share_one_store() {
    let name = "test-clones";
    let store = fresh_store(name).await;
    let other = store.clone();
    other
        .save_book(&book(1, "Lò Văn Páo", date!(1975 - 01 - 01), 1, 1))
        .await
        .expect("save");
    assert_eq!(store.list_books().await.expect("list").books.len(), 1);
    drop(other);
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn the_list_has_light_summaries_sorted_by_name() {
    let name = "test-list";
    let store = fresh_store(name).await;
    store
        .save_book(&book(3, "Trần Văn Bình", date!(1985 - 02 - 03), 2, 5))
        .await
        .expect("save");
    store
        .save_book(&book(1, "Đặng Thị Hoa", date!(2001 - 11 - 30), 4, 0))
        .await
        .expect("save");
    store
        .save_book(&book(2, "Nguyễn Văn A", date!(1990 - 01 - 01), 0, 1))
        .await
        .expect("save");

    let list = store.list_books().await.expect("list");
    assert!(list.skipped.is_empty());
    let names: Vec<&str> = list.books.iter().map(|b| b.full_name.as_str()).collect();
    assert_eq!(names, ["Đặng Thị Hoa", "Nguyễn Văn A", "Trần Văn Bình"]);
    let hoa = &list.books[0];
    assert_eq!(hoa.citizen_id, citizen_id(1));
    assert_eq!(hoa.masked_citizen_id, citizen_id(1).masked());
    assert!(!hoa.masked_citizen_id.contains(&citizen_id(1).as_str()[..8]));
    assert_eq!(hoa.birth_year, 2001);
    assert_eq!((hoa.vaccination_count, hoa.prescription_count), (4, 0));
    let age = time::OffsetDateTime::now_utc() - hoa.last_updated;
    assert!(
        age.whole_seconds().abs() < 600,
        "last_updated is the save time, got {}",
        hoa.last_updated
    );
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn search_ignores_diacritics_case_and_word_order_of_fragments() {
    let name = "test-search";
    let store = fresh_store(name).await;
    store
        .save_book(&book(1, "Nguyễn Văn A", date!(1990 - 01 - 01), 1, 0))
        .await
        .expect("save");
    store
        .save_book(&book(2, "Nguyễn Văn Bình", date!(1991 - 01 - 01), 1, 0))
        .await
        .expect("save");
    store
        .save_book(&book(3, "Đặng Thị Ngọc Ánh", date!(1992 - 01 - 01), 1, 0))
        .await
        .expect("save");
    store
        .save_book(&book(4, "Hoàng Văn Dũng", date!(1993 - 01 - 01), 1, 0))
        .await
        .expect("save");

    let names = |list: so_suc_khoe::storage::BookList| -> Vec<String> {
        list.books.into_iter().map(|b| b.full_name).collect()
    };
    let hits = names(find(&store, "nguyen van a").await);
    assert_eq!(
        hits.first().map(String::as_str),
        Some("Nguyễn Văn A"),
        "exact name first: {hits:?}"
    );
    assert!(
        !hits.iter().any(|n| n == "Hoàng Văn Dũng"),
        "every token must match: {hits:?}"
    );
    assert_eq!(
        names(find(&store, "NGUYỄN  văn").await),
        ["Nguyễn Văn A", "Nguyễn Văn Bình"]
    );
    assert_eq!(
        names(find(&store, "dang ngoc anh").await),
        ["Đặng Thị Ngọc Ánh"]
    );
    assert_eq!(names(find(&store, "dung").await), ["Hoàng Văn Dũng"]);
    // Decomposed input, as some phone keyboards produce.
    assert_eq!(
        names(find(&store, "Hoa\u{300}ng").await),
        ["Hoàng Văn Dũng"]
    );
    assert!(find(&store, "tran").await.books.is_empty());

    // A full citizen ID is a key lookup; some digits match the end of IDs.
    let by_id = find(&store, citizen_id(3).as_str()).await;
    assert_eq!(names(by_id), ["Đặng Thị Ngọc Ánh"]);
    let spaced = format!(
        "{} {}",
        &citizen_id(2).as_str()[..6],
        &citizen_id(2).as_str()[6..]
    );
    assert_eq!(names(find(&store, &spaced).await), ["Nguyễn Văn Bình"]);
    assert!(find(&store, citizen_id(42).as_str()).await.books.is_empty());
    let fourth = citizen_id(4);
    let last_digits = &fourth.as_str()[8..];
    assert_eq!(names(find(&store, last_digits).await), ["Hoàng Văn Dũng"]);
    assert_eq!(find(&store, "  ").await.books.len(), 4);

    // The same search over a list already in memory.
    let list = store.list_books().await.expect("list");
    assert_eq!(list.search("ngoc anh").len(), 1);
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn deleting_a_book_removes_its_records_and_nothing_else() {
    let name = "test-delete";
    let store = fresh_store(name).await;
    let keep = book(1, "Lý Thị Mai", date!(1980 - 05 - 05), 3, 2);
    let gone = book(2, "Ma Văn Thắng", date!(1981 - 06 - 06), 4, 5);
    store.save_book(&keep).await.expect("save");
    store.save_book(&gone).await.expect("save");
    store.delete_book(gone.citizen_id()).await.expect("delete");

    assert_eq!(
        store.load_book(gone.citizen_id()).await.expect("load"),
        None
    );
    assert_eq!(
        store
            .load_book(keep.citizen_id())
            .await
            .expect("load")
            .expect("kept")
            .book,
        keep
    );
    assert_eq!(raw_count(name, "books").await, 1);
    assert_eq!(raw_count(name, "vaccinations").await, 3);
    assert_eq!(raw_count(name, "prescriptions").await, 2);
    // Deleting what is not there is not an error.
    store
        .delete_book(gone.citizen_id())
        .await
        .expect("delete again");
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn deleting_a_book_with_its_settings_leaves_nothing_of_the_person() {
    let name = "test-delete-all";
    let store = fresh_store(name).await;
    let keep = book(1, "Lý Thị Mai", date!(1980 - 05 - 05), 3, 2);
    let gone = book(2, "Ma Văn Thắng", date!(1981 - 06 - 06), 4, 5);
    let keep_settings = so_suc_khoe::sync::settings::book_settings(keep.citizen_id());
    let gone_settings = so_suc_khoe::sync::settings::book_settings(gone.citizen_id());
    for (b, keys) in [(&keep, &keep_settings), (&gone, &gone_settings)] {
        // The sync saves a book with its copy of the server's resources, then its status.
        store
            .save_book_with_setting(b, &keys[0], &["server copy"])
            .await
            .expect("save");
        store.put_setting(&keys[1], "status").await.expect("status");
    }
    store
        .put_setting("open_book", &Some(gone.citizen_id().clone()))
        .await
        .expect("open");
    assert_eq!(raw_count(name, "settings").await, 5);

    let mut settings: Vec<&str> = gone_settings.iter().map(String::as_str).collect();
    settings.push("open_book");
    store
        .delete_book_with_settings(gone.citizen_id(), &settings)
        .await
        .expect("delete");

    assert_eq!(
        store.load_book(gone.citizen_id()).await.expect("load"),
        None
    );
    for key in settings {
        assert_eq!(
            store.setting::<serde_json::Value>(key).await.expect("read"),
            None,
            "{key}"
        );
    }
    assert_eq!(raw_count(name, "books").await, 1);
    assert_eq!(raw_count(name, "vaccinations").await, 3);
    assert_eq!(raw_count(name, "prescriptions").await, 2);
    assert_eq!(raw_count(name, "settings").await, 2);
    assert_eq!(
        store
            .load_book(keep.citizen_id())
            .await
            .expect("load")
            .expect("kept")
            .book,
        keep
    );
    for key in &keep_settings {
        assert!(
            store
                .setting::<serde_json::Value>(key)
                .await
                .expect("read")
                .is_some(),
            "{key}"
        );
    }
    finish(store, name).await;
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Prefs {
    language: String,
    large_text: bool,
}

#[wasm_bindgen_test]
async fn settings_round_trip() {
    let name = "test-settings";
    let store = fresh_store(name).await;
    assert_eq!(store.setting::<Prefs>("prefs").await.expect("read"), None);
    let prefs = Prefs {
        language: "vi".into(),
        large_text: true,
    };
    store.put_setting("prefs", &prefs).await.expect("write");
    store
        .put_setting("last_book", citizen_id(7).as_str())
        .await
        .expect("write");
    assert_eq!(
        store.setting::<Prefs>("prefs").await.expect("read"),
        Some(prefs)
    );
    assert_eq!(
        store.setting::<CitizenId>("last_book").await.expect("read"),
        Some(citizen_id(7))
    );
    store.delete_setting("prefs").await.expect("delete");
    assert_eq!(store.setting::<Prefs>("prefs").await.expect("read"), None);

    // A setting of another shape (an older or newer app) is an error for that one read.
    match store.setting::<Prefs>("last_book").await {
        Err(StorageError::Unreadable(skipped)) => {
            assert_eq!(
                skipped.location,
                RecordLocation::Setting {
                    key: "last_book".into()
                }
            );
        }
        other => panic!("expected Unreadable, got {other:?}"),
    }
    finish(store, name).await;
}

/// Taps on the plan of the day made before the previous one finished writing: each is applied
/// to the history as stored, so two doses marked at once are both kept, and a second tap on the
/// same dose undoes the first (the core's rule), as if they had come one after another.
#[wasm_bindgen_test]
async fn quick_taps_on_the_plan_are_all_kept() {
    use health_book::medicine_plan::{DoseKey, DoseSlot, Mark};
    use so_suc_khoe::dose_log;
    let name = "test-dose-taps";
    let store = fresh_store(name).await;
    let person = book(21, "Nông Văn Páo", date!(1950 - 03 - 08), 0, 1);
    store.save_book(&person).await.expect("saved");
    let today = so_suc_khoe::browser::clock::today();
    let dose = |slot| DoseKey {
        prescription: person.prescriptions[0].id.clone(),
        medicine: "Paracetamol 500mg".into(),
        on: today,
        slot,
    };
    let (morning, evening) = (dose(DoseSlot::Morning), dose(DoseSlot::Evening));
    let (first, second) = futures::join!(
        dose_log::tap(&store, &person, &morning, Mark::Taken, today),
        dose_log::tap(&store, &person, &evening, Mark::Skipped, today),
    );
    let (first, second) = (first.expect("first tap"), second.expect("second tap"));
    // The last write to finish saw the other's mark.
    assert!(first.mark_of(&evening).is_some() || second.mark_of(&morning).is_some());
    let stored = dose_log::load(&store, person.citizen_id())
        .await
        .expect("read");
    assert_eq!(stored.mark_of(&morning), Some(Mark::Taken));
    assert_eq!(stored.mark_of(&evening), Some(Mark::Skipped));

    // Skipped tapped twice at once on a taken dose: the first replaces Taken, the second undoes
    // it, whichever write came first.
    let (again, undo) = futures::join!(
        dose_log::tap(&store, &person, &morning, Mark::Skipped, today),
        dose_log::tap(&store, &person, &morning, Mark::Skipped, today),
    );
    again.expect("tap");
    undo.expect("second tap");
    let stored = dose_log::load(&store, person.citizen_id())
        .await
        .expect("read");
    assert_eq!(
        stored.mark_of(&morning),
        None,
        "the second tap undoes the first"
    );
    assert_eq!(stored.mark_of(&evening), Some(Mark::Skipped));
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn a_book_with_two_records_of_one_id_is_refused() {
    let name = "test-duplicates";
    let store = fresh_store(name).await;
    let mut twice = book(1, "Hà Văn Tú", date!(1970 - 07 - 07), 2, 0);
    twice.vaccinations[1].id = twice.vaccinations[0].id.clone();
    match store.save_book(&twice).await {
        Err(StorageError::DuplicateRecordId {
            kind: RecordKind::Vaccination,
            id,
        }) => {
            assert_eq!(id, twice.vaccinations[0].id.0)
        }
        other => panic!("expected DuplicateRecordId, got {other:?}"),
    }
    assert_eq!(
        store.load_book(twice.citizen_id()).await.expect("load"),
        None
    );
    finish(store, name).await;
}

// ---- failures: quota, atomicity -------------------------------------------------------------

#[wasm_bindgen_test]
async fn a_quota_error_midway_leaves_the_previous_book() {
    let name = "test-quota";
    let store = fresh_store(name).await;
    let old = book(1, "Nguyễn Văn Cũ", date!(1960 - 01 - 01), 5, 5);
    store.save_book(&old).await.expect("save");

    let mut new = book(1, "Nguyễn Văn Mới", date!(1960 - 01 - 01), 40, 30);
    new.vaccinations.push(vaccination("v-new", 3));
    // Header and 20 records are written, then the disk is "full".
    store.inject_fault(Fault::QuotaErrorAfterWrites(21));
    assert_eq!(
        store.save_book(&new).await,
        Err(StorageError::QuotaExceeded)
    );

    let loaded = store
        .load_book(old.citizen_id())
        .await
        .expect("load")
        .expect("still there");
    assert_eq!(loaded.book, old);
    assert_eq!(raw_count(name, "vaccinations").await, 5);
    assert_eq!(raw_count(name, "prescriptions").await, 5);

    // A new book that fails is not there at all.
    let other = book(2, "Trần Thị Mới", date!(1999 - 09 - 09), 10, 10);
    store.inject_fault(Fault::QuotaErrorAfterWrites(3));
    assert_eq!(
        store.save_book(&other).await,
        Err(StorageError::QuotaExceeded)
    );
    assert_eq!(
        store.load_book(other.citizen_id()).await.expect("load"),
        None
    );
    assert_eq!(store.list_books().await.expect("list").books.len(), 1);

    // The fault is spent: the same save now succeeds.
    store
        .save_book(&new)
        .await
        .expect("save after the disk has room");
    assert_eq!(
        store
            .load_book(new.citizen_id())
            .await
            .expect("load")
            .expect("saved")
            .book,
        new
    );
    finish(store, name).await;
}

/// A file of several books (issue 13): one transaction for all of them, so a failure in the
/// last one keeps every book as it was, the ones already written included.
#[wasm_bindgen_test]
async fn several_books_are_saved_all_or_none() {
    let name = "test-save-books";
    let store = fresh_store(name).await;
    let old = book(1, "Nguyễn Văn Cũ", date!(1960 - 01 - 01), 2, 2);
    store.save_book(&old).await.expect("save");

    // The first book is three writes (header, two records), all issued; the disk is "full"
    // at the sixth write, in the second book.
    let replacing = book(1, "Nguyễn Văn Mới", date!(1960 - 01 - 01), 1, 1);
    let added = book(2, "Trần Thị Mới", date!(1999 - 09 - 09), 10, 10);
    store.inject_fault(Fault::QuotaErrorAfterWrites(5));
    assert_eq!(
        store.save_books([&replacing, &added]).await,
        Err(StorageError::QuotaExceeded)
    );
    assert_eq!(
        stored(&store, old.citizen_id()).await.as_ref(),
        Some(&old),
        "the first book's writes were rolled back"
    );
    assert_eq!(stored(&store, added.citizen_id()).await, None);
    assert_eq!(raw_count(name, "vaccinations").await, 2);

    // The fault is spent: both are saved, in one go.
    store
        .save_books([&replacing, &added])
        .await
        .expect("save after the disk has room");
    for expected in [&replacing, &added] {
        assert_eq!(
            stored(&store, expected.citizen_id()).await.as_ref(),
            Some(expected)
        );
    }
    assert_eq!(store.list_books().await.expect("list").books.len(), 2);
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn a_bare_abort_on_a_full_origin_is_a_quota_error() {
    let name = "test-quota-abort";
    let store = fresh_store(name).await;
    let old = book(1, "Bế Văn Đàn", date!(1950 - 03 - 03), 2, 2);
    store.save_book(&old).await.expect("save");
    let mut new = old.clone();
    new.prescriptions.push(prescription("p-extra"));
    store.inject_fault(Fault::SilentAbortWhenFullAfterWrites(2));
    assert_eq!(
        store.save_book(&new).await,
        Err(StorageError::QuotaExceeded)
    );
    assert_eq!(
        store
            .load_book(old.citizen_id())
            .await
            .expect("load")
            .expect("kept")
            .book,
        old
    );
    finish(store, name).await;
}

// ---- unreadable data ------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn unreadable_records_are_skipped_reported_and_kept() {
    let name = "test-unreadable";
    let store = fresh_store(name).await;
    let original = book(1, "Triệu Thị Hà", date!(1988 - 08 - 08), 3, 2);
    store.save_book(&original).await.expect("save");
    let id = original.citizen_id();

    // One record from a newer app version, one damaged record, one damaged book header.
    raw_put(
        name,
        "vaccinations",
        record_key(id, "v-future"),
        envelope(7, "{\"anything\":1}"),
    )
    .await;
    raw_put(
        name,
        "prescriptions",
        record_key(id, "p-broken"),
        envelope(1, "{not json"),
    )
    .await;
    raw_put(
        name,
        "books",
        JsValue::from_str(citizen_id(9).as_str()),
        JsValue::from_str("garbage"),
    )
    .await;

    let loaded = store.load_book(id).await.expect("load").expect("exists");
    assert_eq!(loaded.book, original, "the readable records load as before");
    assert_eq!(loaded.skipped.len(), 2);
    let future = loaded
        .skipped
        .iter()
        .find(|s| matches!(s.reason, SkipReason::NewerFormat { format: 7 }));
    assert_eq!(
        future.map(|s| s.location.clone()),
        Some(RecordLocation::Record {
            kind: RecordKind::Vaccination,
            citizen_id: id.as_str().into(),
            record_id: "v-future".into()
        })
    );
    assert!(loaded.skipped.iter().any(|s| matches!(&s.location,
        RecordLocation::Record { kind: RecordKind::Prescription, record_id, .. } if record_id == "p-broken")
        && matches!(s.reason, SkipReason::Malformed { .. })));

    let list = store.list_books().await.expect("list");
    assert_eq!(list.books.len(), 1);
    assert_eq!(list.skipped.len(), 1);
    assert_eq!(
        list.skipped[0].location,
        RecordLocation::Book {
            key: citizen_id(9).as_str().into()
        }
    );
    assert!(matches!(
        store.load_book(&citizen_id(9)).await,
        Err(StorageError::Unreadable(_))
    ));

    // Saving the book again keeps what a newer version wrote, and replaces what is damaged.
    store.save_book(&original).await.expect("save again");
    assert_eq!(raw_count(name, "vaccinations").await, 4);
    assert_eq!(raw_count(name, "prescriptions").await, 2);
    let loaded = store.load_book(id).await.expect("load").expect("exists");
    assert_eq!(loaded.skipped.len(), 1);
    // Deleting the book removes everything of it, readable or not.
    store.delete_book(id).await.expect("delete");
    assert_eq!(raw_count(name, "vaccinations").await, 0);
    assert_eq!(raw_count(name, "prescriptions").await, 0);
    finish(store, name).await;
}

// ---- migration ------------------------------------------------------------------------------

/// Writes a database exactly as schema v1 did: one store `books`, the whole book as JSON text
/// under its citizen ID. Written with the IndexedDB library directly, not the module under test.
async fn create_v1_database(name: &str, books: &[HealthBook], damaged: &[(&str, JsValue)]) {
    BookStore::delete_database(name).await.expect("clean");
    let db = Database::open(name)
        .with_version(1u32)
        .with_on_upgrade_needed(|_event, db| {
            db.create_object_store("books").build()?;
            Ok(())
        })
        .await
        .expect("v1 open");
    let tx = db
        .transaction("books")
        .with_mode(TransactionMode::Readwrite)
        .build()
        .expect("tx");
    let store = tx.object_store("books").expect("store");
    for book in books {
        let json = serde_json::to_string(book).expect("json");
        store
            .put(JsValue::from_str(&json))
            .with_key(book.citizen_id().as_str())
            .without_key_type()
            .primitive()
            .expect("put");
    }
    for (key, value) in damaged {
        store
            .put(value.clone())
            .with_key(*key)
            .without_key_type()
            .primitive()
            .expect("put");
    }
    drop(store);
    tx.commit().await.expect("commit");
    db.close();
}

#[wasm_bindgen_test]
async fn a_v1_database_is_migrated_with_every_record() {
    let name = "test-migrate-v1";
    let books = [
        book(1, "Nguyễn Văn A", date!(1990 - 01 - 01), 25, 40),
        book(2, "Hoàng Thị Lan", date!(2019 - 06 - 15), 14, 3),
        book(3, "Vi Văn Khánh", date!(1948 - 12 - 31), 0, 0),
    ];
    create_v1_database(
        name,
        &books,
        &[("0190900999XX", JsValue::from_str("{\"truncated"))],
    )
    .await;

    let store = BookStore::open_named(name)
        .await
        .expect("the upgrade succeeds");
    let report = store.migration_report().expect("an upgrade ran").clone();
    assert_eq!(
        (report.from_version, report.to_version),
        (1, SCHEMA_VERSION)
    );
    assert_eq!(report.books_migrated, 3);
    assert_eq!(report.unreadable.len(), 1);
    assert_eq!(
        report.unreadable[0].location,
        RecordLocation::Book {
            key: "0190900999XX".into()
        }
    );

    for original in &books {
        let loaded = store
            .load_book(original.citizen_id())
            .await
            .expect("load")
            .expect("migrated");
        assert_eq!(&loaded.book, original);
        assert!(loaded.skipped.is_empty());
        assert_eq!(
            Some(loaded.last_updated),
            original.provenance.last_synced_at
        );
    }
    assert_eq!(raw_count(name, "vaccinations").await, 39);
    assert_eq!(raw_count(name, "prescriptions").await, 43);
    let list = store.list_books().await.expect("list");
    assert_eq!(list.books.len(), 3);
    assert_eq!(
        list.skipped.len(),
        1,
        "the damaged v1 value is kept and still reported"
    );
    assert_eq!(find(&store, "hoang lan").await.books.len(), 1);

    // Opening again does not migrate again.
    store.close();
    let again = BookStore::open_named(name).await.expect("reopen");
    assert!(again.migration_report().is_none());
    assert_eq!(again.list_books().await.expect("list").books.len(), 3);
    finish(again, name).await;
}

// ---- other tabs and lost connections --------------------------------------------------------

#[wasm_bindgen_test]
async fn an_old_tab_holding_the_database_blocks_the_upgrade_until_it_closes() {
    let name = "test-blocked";
    let books = [book(1, "Đinh Văn Cường", date!(1977 - 07 - 17), 2, 2)];
    create_v1_database(name, &books, &[]).await;
    // An "old tab": a v1 connection with no versionchange handler, so it never lets go.
    let old_tab = Database::open(name)
        .with_version(1u32)
        .await
        .expect("old tab opens v1");

    assert_eq!(
        BookStore::open_named(name).await.err(),
        Some(StorageError::Blocked)
    );

    // The user closes the old tab; the upgrade that was waiting finishes by itself, and the
    // next open (after a reload) finds v2 with the data migrated.
    old_tab.close();
    let store = BookStore::open_named(name)
        .await
        .expect("opens once the old tab is gone");
    let loaded = store
        .load_book(books[0].citizen_id())
        .await
        .expect("load")
        .expect("migrated");
    assert_eq!(loaded.book, books[0]);
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn a_newer_tab_upgrading_closes_this_connection() {
    let name = "test-versionchange";
    let store = fresh_store(name).await;
    store
        .save_book(&book(1, "Lục Văn Sơn", date!(1966 - 06 - 06), 1, 1))
        .await
        .expect("save");
    let told = std::rc::Rc::new(std::cell::Cell::new(false));
    store.on_version_change({
        let told = told.clone();
        move || told.set(true)
    });

    // A "newer tab" upgrades to the next version; it is not blocked because this store closes.
    let newer = Database::open(name)
        .with_version(SCHEMA_VERSION + 1)
        .with_on_upgrade_needed(|_event, _db| Ok(()))
        .await
        .expect("the newer version opens without being blocked");
    assert!(told.get(), "the UI was told to reload");
    assert_eq!(
        store.list_books().await.err(),
        Some(StorageError::VersionChange)
    );
    newer.close();

    // This (older) build cannot open the newer database.
    assert_eq!(
        BookStore::open_named(name).await.err(),
        Some(StorageError::OpenFailed {
            reason: OpenFailure::NewerVersion
        })
    );
    BookStore::delete_database(name).await.expect("delete");
}

#[wasm_bindgen_test]
async fn a_dropped_connection_is_reopened_once_then_reported() {
    let name = "test-connection";
    let store = fresh_store(name).await;
    let saved = book(1, "Nông Thị Xuân", date!(1982 - 02 - 02), 2, 2);
    store.save_book(&saved).await.expect("save");

    store.inject_fault(Fault::DropConnection { times: 1 });
    assert_eq!(store.list_books().await.expect("reopened").books.len(), 1);
    store.inject_fault(Fault::DropConnection { times: 1 });
    store
        .save_book(&saved)
        .await
        .expect("a save after a drop is retried");

    store.inject_fault(Fault::DropConnection { times: 2 });
    assert_eq!(
        store.list_books().await.err(),
        Some(StorageError::ConnectionLost)
    );
    // Later calls work again.
    assert_eq!(
        store
            .load_book(saved.citizen_id())
            .await
            .expect("load")
            .expect("there")
            .book,
        saved
    );
    finish(store, name).await;
}

// ---- persistence ----------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn persistence_and_estimate_are_reported() {
    let status = persistence_status().await.expect("status");
    let requested = request_persistence().await.expect("request");
    // Headless Chromium decides by engagement; either answer is valid, but the API exists.
    assert_ne!(status, so_suc_khoe::storage::Persistence::Unsupported);
    assert_ne!(requested, so_suc_khoe::storage::Persistence::Unsupported);
    let estimate = storage_estimate()
        .await
        .expect("estimate")
        .expect("Chromium has estimate()");
    assert!(estimate.quota_bytes > 0);
    assert!(estimate.available_bytes() <= estimate.quota_bytes);
}

/// The address key of every listed book, in list order.
async fn address_keys(store: &BookStore) -> Vec<(CitizenId, Option<health_book::AddressKey>)> {
    store
        .list_books()
        .await
        .expect("list")
        .books
        .into_iter()
        .map(|b| (b.citizen_id, b.address_key))
        .collect()
}

#[wasm_bindgen_test]
async fn every_book_gets_an_address_key_that_its_saves_keep() {
    // Stored by an older version (through every upgrade step, v3's included).
    let name = "test-address-keys";
    let books = [
        book(1, "Nguyễn Văn A", date!(1990 - 01 - 01), 2, 3),
        book(2, "Hoàng Thị Lan", date!(2019 - 06 - 15), 1, 0),
    ];
    create_v1_database(name, &books, &[]).await;
    let store = BookStore::open_named(name)
        .await
        .expect("the upgrade succeeds");
    let upgraded = address_keys(&store).await;
    assert_eq!(upgraded.len(), 2);
    assert!(
        upgraded.iter().all(|(_, key)| key.is_some()),
        "{upgraded:?}"
    );
    assert_ne!(upgraded[0].1, upgraded[1].1);

    // A save of a stored book keeps its key, so an address of it stays valid.
    let mut changed = books[0].clone();
    changed.profile.allergies.push("Aspirin".into());
    store.save_book(&changed).await.expect("saved");
    store
        .save_books([&books[1]])
        .await
        .expect("saved with others");
    assert_eq!(address_keys(&store).await, upgraded);

    // Removed and stored again, a book is new to the device: an old address finds nothing.
    store
        .delete_book(books[0].citizen_id())
        .await
        .expect("deleted");
    store.save_book(&books[0]).await.expect("saved again");
    let again = address_keys(&store).await;
    let key_of = |keys: &[(CitizenId, Option<health_book::AddressKey>)], book: &HealthBook| {
        keys.iter()
            .find(|(id, _)| id == book.citizen_id())
            .and_then(|(_, key)| key.clone())
            .expect("listed with a key")
    };
    assert_ne!(key_of(&again, &books[0]), key_of(&upgraded, &books[0]));
    assert_eq!(key_of(&again, &books[1]), key_of(&upgraded, &books[1]));
    finish(store, name).await;
}
