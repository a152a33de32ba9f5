//! The audit log as stored: nothing personal in clear once encrypted, a tampered row breaks the
//! chain, a removed book leaves no mention of the person, and turning encryption on keeps it.

use health_book::audit::{Actor, AuditAction, BreakKind, ChainVerdict};
use health_book::device::DeviceMode;
use health_book::generate::{self, BookShape};
use health_book::{HealthBook, Sex};
use so_suc_khoe::storage::{AuditEvent, BookStore};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

mod support;
use support::{
    assert_row_free_of, finish, fresh_store, make_shared, raw_put, shared_store, store_rows, LAN,
    LAN_NAME,
};

wasm_bindgen_test_configure!(run_in_browser);

fn person(seed: u64, name: &str) -> HealthBook {
    generate::book(seed, &BookShape::records(3).named(name, Sex::Female))
}

/// The audit store's rows, as stored.
async fn audit_rows(name: &str) -> Vec<(JsValue, JsValue)> {
    store_rows(name, "audit").await
}

async fn assert_audit_rows_free_of(name: &str, texts: &[&str]) {
    let rows = audit_rows(name).await;
    assert!(!rows.is_empty(), "the log has entries");
    for (key, value) in rows {
        assert_row_free_of("audit", &key, &value, texts);
    }
}

/// How many entries "Who opened this book" lists for `book`.
async fn visit_count(store: &BookStore, book: &HealthBook) -> usize {
    store
        .book_visits(book.citizen_id())
        .await
        .expect("visits read")
        .len()
}

/// A plain book on the device, opened, its QR shown, exported.
async fn visited(store: &BookStore, book: &HealthBook) {
    let id = book.citizen_id();
    store
        .save_books_recorded(&[book], &[AuditEvent::about(id, AuditAction::Imported)])
        .await
        .expect("imported");
    for action in [
        AuditAction::BookOpened,
        AuditAction::CheckInQrViewed,
        AuditAction::Exported,
    ] {
        store
            .record(AuditEvent::about(id, action))
            .await
            .expect("logged");
    }
}

#[wasm_bindgen_test]
async fn an_encrypted_log_holds_no_name_or_id_in_clear_and_verifies() {
    let name = "audit-encrypted";
    let store = shared_store(name).await;
    let book = person(71, "Trần Thị Bích");
    visited(&store, &book).await;
    store
        .add_staff(LAN, "Bác sĩ An", "mật khẩu của An")
        .await
        .expect("staff added");

    let id = book.citizen_id().as_str();
    assert_audit_rows_free_of(name, &[id, "Trần Thị Bích", LAN_NAME, "Bác sĩ An"]).await;

    let log = store.audit_log().await.expect("log read");
    // Lan set up with the device, the four visits, An added.
    assert_eq!(log.verdict, ChainVerdict::Intact { entries: 6 });
    let visits = store
        .book_visits(book.citizen_id())
        .await
        .expect("visits read");
    assert_eq!(visits.len(), 4, "imported, opened, QR shown, exported");
    assert!(visits.iter().any(|v| v.action == AuditAction::BookOpened
        && v.actor
            == Actor::Staff {
                slot: 1,
                name: LAN_NAME.into()
            }
        && v.mode == DeviceMode::Shared));
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn a_changed_or_swapped_row_breaks_the_chain_there() {
    let name = "audit-tamper";
    let store = fresh_store(name).await;
    let book = person(72, "Lê Văn Cường");
    visited(&store, &book).await;
    assert!(store.audit_log().await.expect("log").verdict.is_intact());

    // A plain entry edited in place: "showed the QR" becomes "opened".
    let rows = audit_rows(name).await;
    let (key, value) = rows[2].clone();
    let body = js_sys::Reflect::get(&value, &"b".into())
        .expect("body")
        .as_string()
        .expect("text body");
    assert!(body.contains("check_in_qr_viewed"));
    let edited = js_sys::Object::new();
    js_sys::Reflect::set(&edited, &"f".into(), &1.into()).expect("f");
    js_sys::Reflect::set(
        &edited,
        &"b".into(),
        &body.replace("check_in_qr_viewed", "book_opened").into(),
    )
    .expect("b");
    raw_put(name, "audit", key, edited.into()).await;
    assert_eq!(
        store.audit_log().await.expect("log").verdict,
        ChainVerdict::Broken {
            position: 2,
            kind: BreakKind::Altered
        }
    );
    finish(store, name).await;

    // Encrypted, two rows swapped: each is bound to its place and no longer opens.
    let name = "audit-tamper-sealed";
    let store = shared_store(name).await;
    visited(&store, &person(73, "Phạm Thu Hà")).await;
    let rows = audit_rows(name).await;
    raw_put(name, "audit", rows[1].0.clone(), rows[3].1.clone()).await;
    raw_put(name, "audit", rows[3].0.clone(), rows[1].1.clone()).await;
    assert_eq!(
        store.audit_log().await.expect("log").verdict,
        ChainVerdict::Broken {
            position: 1,
            kind: BreakKind::Unreadable
        }
    );
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn removing_a_book_drops_the_person_from_the_log_and_keeps_the_chain() {
    let name = "audit-sign-out";
    let store = fresh_store(name).await;
    let leaving = person(74, "Hoàng Minh Đức");
    let staying = person(75, "Vũ Thị Lan Anh");
    visited(&store, &leaving).await;
    visited(&store, &staying).await;
    store
        .delete_book_recorded(
            leaving.citizen_id(),
            &[],
            &[AuditEvent::device(AuditAction::SignedOut)],
        )
        .await
        .expect("signed out");

    // Even on a device without a secret, the log names the person nowhere.
    assert_audit_rows_free_of(name, &[leaving.citizen_id().as_str()]).await;
    let log = store.audit_log().await.expect("log");
    assert_eq!(log.verdict, ChainVerdict::Intact { entries: 9 });
    assert_eq!(visit_count(&store, &leaving).await, 0);
    assert_eq!(visit_count(&store, &staying).await, 4);
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn turning_encryption_on_keeps_the_chain_and_seals_the_log() {
    let name = "audit-migrate";
    let store = fresh_store(name).await;
    let book = person(76, "Đặng Văn Sơn");
    visited(&store, &book).await;
    store
        .enable_encryption(DeviceMode::Personal, None, "123456")
        .await
        .expect("encryption on");
    assert_audit_rows_free_of(name, &[book.citizen_id().as_str()]).await;
    let log = store.audit_log().await.expect("log");
    assert_eq!(log.verdict, ChainVerdict::Intact { entries: 4 });
    assert_eq!(visit_count(&store, &book).await, 4);
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn a_correction_note_is_logged_with_it_and_the_chain_holds() {
    use health_book::audit::RecordKindName;
    use so_suc_khoe::context::corrections::{add_correction, corrections_of};
    let name = "audit-correction";
    let store = shared_store(name).await;
    let book = person(77, "Lý Thị Mai");
    visited(&store, &book).await;
    // Any record's ID: the log names the kind of record, never which one.
    let record_id = "vx-typed-1".to_owned();
    add_correction(
        &store,
        book.citizen_id(),
        RecordKindName::Vaccination,
        &record_id,
        "Sai số lô".into(),
    )
    .await
    .expect("note kept");

    let notes = corrections_of(&store, book.citizen_id())
        .await
        .expect("notes read");
    assert_eq!(notes.len(), 1);
    let log = store.audit_log().await.expect("log read");
    // Lan set up, the four visits, the note.
    assert_eq!(log.verdict, ChainVerdict::Intact { entries: 6 });
    let visits = store
        .book_visits(book.citizen_id())
        .await
        .expect("visits read");
    assert!(visits.iter().any(|v| v.action
        == AuditAction::CorrectionAdded {
            record: RecordKindName::Vaccination
        }
        && v.actor
            == Actor::Staff {
                slot: 1,
                name: LAN_NAME.into()
            }));
    // The note's words are sealed like the book's.
    assert_audit_rows_free_of(name, &["Sai số lô"]).await;
    finish(store, name).await;
}

/// Two notes kept at the same moment (a second tab, a double tap) on a plain and on an
/// encrypted device: each is added to the notes as stored when it is written, so neither
/// overwrites the other, and an edit made meanwhile keeps the other's new note too.
#[wasm_bindgen_test]
async fn notes_kept_at_the_same_moment_are_all_kept() {
    use health_book::audit::RecordKindName;
    use health_book::corrections::{NoteChange, NoteChanged};
    use so_suc_khoe::context::corrections::{add_correction, change_correction, corrections_of};
    for (name, encrypted) in [
        ("audit-notes-race-plain", false),
        ("audit-notes-race-sealed", true),
    ] {
        let store = if encrypted {
            shared_store(name).await
        } else {
            fresh_store(name).await
        };
        let book = person(81, "Hà Thị Vân");
        visited(&store, &book).await;
        let id = book.citizen_id();
        let note = |record_id: &'static str, words: &'static str| {
            add_correction(
                &store,
                id,
                RecordKindName::Vaccination,
                record_id,
                words.into(),
            )
        };
        let (first, second) =
            futures::join!(note("vx-1", "Sai ngày tiêm"), note("vx-2", "Sai số lô"));
        first.expect("first note kept");
        second.expect("second note kept");
        let notes = corrections_of(&store, id).await.expect("notes");
        let mut words: Vec<&str> = notes.iter().map(|n| n.note.as_str()).collect();
        words.sort_unstable();
        assert_eq!(words, ["Sai ngày tiêm", "Sai số lô"], "{name}");

        let key = notes[0].key();
        let (edited, third) = futures::join!(
            change_correction(
                &store,
                id,
                &key,
                NoteChange::Edit("Sai ngày tiêm mũi 2".into())
            ),
            note("vx-3", "Thiếu mũi nhắc"),
        );
        assert_eq!(edited.expect("edited"), NoteChanged::Edited, "{name}");
        third.expect("third note kept");
        let notes = corrections_of(&store, id).await.expect("notes");
        assert_eq!(notes.len(), 3, "{name}: {notes:?}");
        assert!(
            notes.iter().any(|n| n.note == "Sai ngày tiêm mũi 2"),
            "{name}"
        );
        assert!(notes.iter().any(|n| n.note == "Thiếu mũi nhắc"), "{name}");
        // Every write has its one entry and the chain holds: the set-up (encrypted only), the
        // four visits, three notes and the edit.
        let entries = if encrypted { 9 } else { 8 };
        let log = store.audit_log().await.expect("log");
        assert_eq!(log.verdict, ChainVerdict::Intact { entries }, "{name}");
        finish(store, name).await;
    }
}

#[wasm_bindgen_test]
async fn a_note_edited_then_taken_back_is_logged_each_time_and_its_words_stay_sealed() {
    use health_book::audit::RecordKindName;
    use health_book::corrections::{ChangeRefused, NoteChange, NoteChanged};
    use so_suc_khoe::context::corrections::{
        add_correction, change_correction, corrections_of, CorrectionChangeError,
    };
    let name = "audit-correction-change";
    let store = shared_store(name).await;
    let book = person(79, "Lò Thị Xuân");
    visited(&store, &book).await;
    let id = book.citizen_id();
    add_correction(
        &store,
        id,
        RecordKindName::Prescription,
        "rx-1",
        "Sai liều".into(),
    )
    .await
    .expect("note kept");
    let key = corrections_of(&store, id).await.expect("notes")[0].key();
    let entries = |n| ChainVerdict::Intact { entries: n };
    // Lan set up, the four visits, the note.
    assert_eq!(store.audit_log().await.expect("log").verdict, entries(6));

    // The same words again: nothing written.
    let same = change_correction(&store, id, &key, NoteChange::Edit(" Sai liều ".into())).await;
    assert!(matches!(same, Ok(NoteChanged::Unchanged)), "{same:?}");
    assert_eq!(store.audit_log().await.expect("log").verdict, entries(6));

    let edited = change_correction(
        &store,
        id,
        &key,
        NoteChange::Edit("Sai liều buổi tối".into()),
    )
    .await
    .expect("edited");
    assert_eq!(edited, NoteChanged::Edited);
    let notes = corrections_of(&store, id).await.expect("notes");
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].note, "Sai liều buổi tối");
    let edit = notes[0].edited.clone().expect("the edit is recorded");
    assert_eq!(
        edit.by,
        Actor::Staff {
            slot: 1,
            name: LAN_NAME.into()
        }
    );
    let log = store.audit_log().await.expect("log");
    assert_eq!(log.verdict, entries(7));
    let visits = store.book_visits(id).await.expect("visits");
    assert!(visits.iter().any(|v| v.action
        == AuditAction::CorrectionEdited {
            record: RecordKindName::Prescription
        }));

    let removed = change_correction(&store, id, &key, NoteChange::Remove)
        .await
        .expect("removed");
    assert_eq!(removed, NoteChanged::Removed);
    assert!(corrections_of(&store, id).await.expect("notes").is_empty());
    assert_eq!(store.audit_log().await.expect("log").verdict, entries(8));
    let visits = store.book_visits(id).await.expect("visits");
    assert!(visits.iter().any(|v| v.action
        == AuditAction::CorrectionRemoved {
            record: RecordKindName::Prescription
        }));
    // A second removal finds nothing and writes nothing.
    let again = change_correction(&store, id, &key, NoteChange::Remove).await;
    assert!(
        matches!(
            again,
            Err(CorrectionChangeError::Refused(ChangeRefused::Gone))
        ),
        "{again:?}"
    );
    assert_eq!(store.audit_log().await.expect("log").verdict, entries(8));
    assert_audit_rows_free_of(name, &["Sai liều"]).await;
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn an_import_saves_its_notes_with_its_books_and_its_entry() {
    use health_book::audit::RecordKindName;
    use health_book::corrections::CorrectionRequest;
    use so_suc_khoe::context::corrections::{corrections_of, corrections_setting};
    let name = "audit-import-notes";
    let store = fresh_store(name).await;
    let book = person(78, "Hà Văn Đức");
    let notes = vec![CorrectionRequest {
        record: RecordKindName::Prescription,
        record_id: book.prescriptions[0].id.as_str().to_owned(),
        note: "Thiếu liều buổi tối".into(),
        written_at: time::OffsetDateTime::from_unix_timestamp(1_796_130_300).expect("a time"),
        written_by: Actor::Person,
        edited: None,
    }];
    store
        .save_books_with_settings_recorded(
            &[&book],
            &[(corrections_setting(book.citizen_id()), &notes)],
            &[AuditEvent::about(book.citizen_id(), AuditAction::Imported)],
        )
        .await
        .expect("imported");
    assert_eq!(
        corrections_of(&store, book.citizen_id())
            .await
            .expect("notes"),
        notes
    );
    assert!(store
        .load_book(book.citizen_id())
        .await
        .expect("book read")
        .is_some());
    let log = store.audit_log().await.expect("log read");
    assert_eq!(log.verdict, ChainVerdict::Intact { entries: 1 });
    finish(store, name).await;
}

/// The last entry of the log: what it did, by whom, in which mode.
async fn last_entry(store: &BookStore) -> (AuditAction, Actor, DeviceMode) {
    let log = store.audit_log().await.expect("log read");
    assert!(log.verdict.is_intact(), "{:?}", log.verdict);
    let last = log.entries.last().expect("an entry").entry.clone();
    (last.action, last.actor, last.mode)
}

fn staff_added(name: &str) -> AuditAction {
    AuditAction::StaffAdded { name: name.into() }
}

#[wasm_bindgen_test]
async fn setting_up_the_first_staff_member_is_logged_in_the_write_that_sets_it_up() {
    // A shared device's first run, over a log that has entries already: the set-up is the
    // next link of the same chain, by the staff member it sets up.
    let name = "audit-first-staff";
    let store = fresh_store(name).await;
    visited(&store, &person(79, "Nông Thị Huệ")).await;
    make_shared(&store).await.expect("encryption on");
    let lan = Actor::Staff {
        slot: 1,
        name: LAN_NAME.into(),
    };
    assert_eq!(
        last_entry(&store).await,
        (staff_added(LAN_NAME), lan, DeviceMode::Shared)
    );
    assert_eq!(
        store.audit_log().await.expect("log").verdict,
        ChainVerdict::Intact { entries: 5 }
    );
    assert_audit_rows_free_of(name, &[LAN_NAME]).await;
    finish(store, name).await;

    // A personal device switched to shared: logged by its owner, who confirmed it.
    let name = "audit-switch-staff";
    let store = fresh_store(name).await;
    store
        .enable_encryption(DeviceMode::Personal, None, "123456")
        .await
        .expect("a PIN");
    assert_eq!(
        store.audit_log().await.expect("log").verdict,
        ChainVerdict::Intact { entries: 0 },
        "a PIN sets up no staff"
    );
    store
        .switch_to_shared("123456", LAN_NAME, LAN)
        .await
        .expect("switched");
    assert_eq!(
        last_entry(&store).await,
        (staff_added(LAN_NAME), Actor::Person, DeviceMode::Personal)
    );
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn a_first_run_finished_after_the_page_closed_logs_the_staff_member_once() {
    let name = "audit-first-staff-resumed";
    let store = fresh_store(name).await;
    store.inject_fault(so_suc_khoe::storage::Fault::PageClosedDuringMigration(1));
    assert!(make_shared(&store).await.is_err());
    store.close();
    let store = BookStore::open_named(name).await.expect("reopens");
    assert_eq!(
        store.audit_log().await.expect("log").verdict,
        ChainVerdict::Intact { entries: 0 },
        "nothing was set up, nothing is logged"
    );
    store.resume_encryption(LAN).await.expect("finished");
    let log = store.audit_log().await.expect("log");
    assert_eq!(log.verdict, ChainVerdict::Intact { entries: 1 });
    assert_eq!(log.entries[0].entry.action, staff_added(LAN_NAME));
    finish(store, name).await;
}
