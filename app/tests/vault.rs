//! Encryption at rest against the real IndexedDB and WebCrypto of headless Chromium: what is
//! stored says nothing in clear, a wrong secret opens nothing, changed bytes are reported, and
//! key-slot changes leave every record's stored bytes as they were.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p so-suc-khoe --target wasm32-unknown-unknown --test vault`

use health_book::device::{DeviceMode, Migration, SlotId, SlotProblem, StaffName, VaultMeta};
use health_book::generate::{self, BookShape};
use health_book::{HealthBook, HealthInsuranceCard, Sex};
use so_suc_khoe::storage::{BookStore, SkipReason, StorageError, Unlocked, VaultError};
use so_suc_khoe::sync::settings::snapshot_key;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

mod support;
use support::{
    assert_row_free_of, bytes_of, contains, finish, fresh_store, make_shared, raw_put,
    shared_store, store_rows, LAN, LAN_NAME,
};

wasm_bindgen_test_configure!(run_in_browser);

const STORES: [&str; 4] = ["books", "vaccinations", "prescriptions", "settings"];

fn person(seed: u64, name: &str) -> HealthBook {
    let mut book = generate::book(seed, &BookShape::records(6).named(name, Sex::Female));
    book.profile.health_insurance = Some(HealthInsuranceCard {
        code: "GD4010120004567".into(),
        valid_from: None,
        valid_to: None,
        registered_facility: None,
    });
    book
}

/// Everything a stored copy must not show in clear, for one book.
fn secrets_of(book: &HealthBook) -> Vec<String> {
    let mut texts = vec![
        book.profile.full_name.clone(),
        book.profile.citizen_id.as_str().to_owned(),
        "GD4010120004567".to_owned(),
    ];
    texts.extend(
        book.prescriptions
            .iter()
            .flat_map(|p| p.medicines.iter().map(|m| m.name.clone())),
    );
    texts
}

/// Every (store, key, value) of the database, as stored.
async fn raw_rows(name: &str) -> Vec<(&'static str, JsValue, JsValue)> {
    let mut rows = Vec::new();
    for store in STORES {
        let stored = store_rows(name, store).await;
        rows.extend(stored.into_iter().map(|(k, v)| (store, k, v)));
    }
    rows
}

async fn assert_no_plaintext(name: &str, secrets: &[String]) {
    let rows = raw_rows(name).await;
    assert!(
        rows.len() > 10,
        "the device holds the books: {}",
        rows.len()
    );
    for (store, key, value) in rows {
        assert_row_free_of(store, &key, &value, secrets);
    }
}

/// The stored bytes of every book header and record (not the settings, where the slots change).
async fn record_bytes(name: &str) -> Vec<(String, Vec<u8>)> {
    raw_rows(name)
        .await
        .into_iter()
        .filter(|(store, _, _)| *store != "settings")
        .map(|(store, key, value)| (format!("{store} {key:?}"), bytes_of(&value)))
        .collect()
}

#[wasm_bindgen_test]
async fn nothing_personal_is_stored_in_clear_once_encrypted() {
    let name = "vault-no-plaintext";
    let store = fresh_store(name).await;
    // Stored before the secret is set: the migration must encrypt it all.
    let before = person(11, "Nguyễn Thị Hoa");
    store
        .save_book_with_setting(
            &before,
            &snapshot_key(before.citizen_id()),
            &serde_json::json!({ "patient": before.profile.full_name, "id": before.citizen_id().as_str() }),
        )
        .await
        .expect("saved with its snapshot");
    store
        .put_setting("sync_token", "token-of-the-station")
        .await
        .expect("token");
    make_shared(&store).await.expect("encryption on");
    // Stored after: written encrypted.
    let after = person(12, "Trần Văn Bình");
    store
        .save_book_with_setting(
            &after,
            &snapshot_key(after.citizen_id()),
            &serde_json::json!({ "patient": after.profile.full_name }),
        )
        .await
        .expect("saved encrypted");
    store
        .add_staff(LAN, "Bác sĩ An", "mật khẩu của An")
        .await
        .expect("staff added");

    let mut secrets = secrets_of(&before);
    secrets.extend(secrets_of(&after));
    secrets.push("token-of-the-station".into());
    // Staff names too: the unlock screen names no one, and no setting names a person.
    secrets.extend([LAN_NAME.into(), "Bác sĩ An".into()]);
    assert_no_plaintext(name, &secrets).await;
    let names: Vec<String> = store.staff().into_iter().map(|m| m.display_name).collect();
    assert_eq!(names, [LAN_NAME, "Bác sĩ An"], "named once unlocked");
    store.lock();
    assert!(store.staff().is_empty(), "locked: no name in memory");
    store.unlock(LAN).await.expect("unlocks");
    assert_eq!(store.staff().len(), 2);

    // And it all reads back, search included (from the summaries decrypted in memory).
    let loaded = store
        .load_book(before.citizen_id())
        .await
        .expect("loads")
        .expect("exists");
    assert_eq!(loaded.book, before);
    assert!(loaded.skipped.is_empty());
    let list = store.list_books().await.expect("lists");
    assert_eq!(list.books.len(), 2);
    assert_eq!(list.search("binh")[0].citizen_id, *after.citizen_id());
    let snapshot: Option<serde_json::Value> = store
        .setting(&snapshot_key(before.citizen_id()))
        .await
        .expect("snapshot");
    assert_eq!(
        snapshot.and_then(|s| s["patient"].as_str().map(str::to_owned)),
        Some(before.profile.full_name.clone())
    );
    let token: Option<String> = store.setting("sync_token").await.expect("token");
    assert_eq!(token.as_deref(), Some("token-of-the-station"));
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn a_locked_device_reads_nothing_and_a_wrong_secret_opens_nothing() {
    let name = "vault-wrong-secret";
    let store = shared_store(name).await;
    let book = person(21, "Lê Thị Mai");
    store.save_book(&book).await.expect("saved");
    store.lock();
    assert!(store.is_locked());
    assert_eq!(
        store.load_book(book.citizen_id()).await,
        Err(StorageError::Locked)
    );
    assert!(matches!(
        store.unlock("not the passphrase").await,
        Err(VaultError::WrongSecret { .. })
    ));
    assert!(store.is_locked());

    // A reload opens locked, and the failure is still counted.
    store.close();
    let reopened = BookStore::open_named(name).await.expect("reopens");
    assert!(reopened.is_locked());
    let meta = reopened.vault().await.expect("meta").expect("set up");
    assert_eq!(meta.attempts.count, 1);
    assert_eq!(
        reopened.unlock(LAN).await.expect("right secret"),
        Unlocked::As(SlotId(1))
    );
    assert_eq!(
        reopened
            .load_book(book.citizen_id())
            .await
            .expect("loads")
            .map(|l| l.book),
        Some(book)
    );
    let meta = reopened.vault().await.expect("meta").expect("set up");
    assert_eq!(meta.attempts.count, 0, "a success clears the count");
    finish(reopened, name).await;
}

#[wasm_bindgen_test]
async fn changed_or_moved_ciphertext_is_reported_never_shown_empty() {
    let name = "vault-tamper";
    let store = shared_store(name).await;
    let book = person(31, "Phạm Văn Đức");
    let other = person(32, "Hoàng Thị Yến");
    store.save_book(&book).await.expect("saved");
    store.save_book(&other).await.expect("saved");
    let rows = raw_rows(name).await;
    let vaccinations: Vec<_> = rows.iter().filter(|r| r.0 == "vaccinations").collect();

    // One changed byte in one record: that record is reported, the rest loads.
    let (_, key, value) = vaccinations[0];
    let body: js_sys::Uint8Array = js_sys::Reflect::get(value, &"b".into())
        .expect("body")
        .dyn_into()
        .expect("bytes");
    let mut bytes = body.to_vec();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    let changed = js_sys::Object::new();
    js_sys::Reflect::set(&changed, &"f".into(), &2.into()).expect("f");
    js_sys::Reflect::set(&changed, &"b".into(), &js_sys::Uint8Array::from(&bytes[..])).expect("b");
    raw_put(name, "vaccinations", key.clone(), changed.into()).await;

    // A record of one book copied over a record of the other: it does not authenticate there.
    let (_, target, _) = vaccinations[vaccinations.len() - 1];
    raw_put(name, "vaccinations", target.clone(), value.clone()).await;

    let mut reported = 0;
    for person in [&book, &other] {
        let loaded = store
            .load_book(person.citizen_id())
            .await
            .expect("loads")
            .expect("exists");
        for skipped in &loaded.skipped {
            assert_eq!(skipped.reason, SkipReason::NotAuthentic);
        }
        reported += loaded.skipped.len();
        assert_eq!(
            loaded.book.vaccinations.len() + loaded.skipped.len(),
            person.vaccinations.len()
        );
    }
    assert_eq!(reported, 2, "both changed rows are reported");

    // A changed header is an error for that book, not an empty book.
    let (_, header_key, _) = rows.iter().find(|r| r.0 == "books").expect("a header");
    let (_, _, other_header) = rows
        .iter()
        .rev()
        .find(|r| r.0 == "books")
        .expect("another header");
    raw_put(name, "books", header_key.clone(), other_header.clone()).await;
    let list = store.list_books().await.expect("lists");
    assert_eq!(list.books.len(), 1);
    assert_eq!(list.skipped.len(), 1);
    assert_eq!(list.skipped[0].reason, SkipReason::NotAuthentic);
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn a_passphrase_change_rewraps_one_key_and_leaves_every_record_as_stored() {
    let name = "vault-change-secret";
    let store = shared_store(name).await;
    let book = person(41, "Đỗ Minh Tâm");
    store.save_book(&book).await.expect("saved");
    let before = record_bytes(name).await;
    store
        .change_secret(SlotId(1), LAN, "mật khẩu mới của Lan")
        .await
        .expect("changed");
    assert_eq!(
        record_bytes(name).await,
        before,
        "no record was re-encrypted"
    );

    store.lock();
    assert!(matches!(
        store.unlock(LAN).await,
        Err(VaultError::WrongSecret { .. })
    ));
    store
        .unlock("mật khẩu mới của Lan")
        .await
        .expect("the new secret opens it");
    let loaded = store
        .load_book(book.citizen_id())
        .await
        .expect("loads")
        .expect("exists");
    assert_eq!(loaded.book, book);
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn a_second_staff_member_unlocks_the_same_data_and_deleting_a_book_drops_its_key() {
    let name = "vault-staff";
    let store = shared_store(name).await;
    let book = person(51, "Vũ Thị Lan Anh");
    store.save_book(&book).await.expect("saved");
    let an = store
        .add_staff(LAN, "Bác sĩ An", "mật khẩu của An")
        .await
        .expect("added");
    store.lock();
    // The passphrase alone says who it is.
    assert_eq!(
        store.unlock("mật khẩu của An").await.expect("An unlocks"),
        Unlocked::As(an)
    );
    assert_eq!(store.unlocked_slot(), Some(an));
    assert!(store
        .load_book(book.citizen_id())
        .await
        .expect("loads")
        .is_some());
    assert_eq!(
        store.remove_staff(an).await,
        Err(VaultError::Slot(
            health_book::device::SlotProblem::RemovingYourself
        ))
    );

    let keys_before = raw_rows(name)
        .await
        .iter()
        .filter(|(_, k, _)| k.as_string().is_some_and(|k| k.starts_with("vault.book.")))
        .count();
    store
        .delete_book_with_settings(book.citizen_id(), &[&snapshot_key(book.citizen_id())])
        .await
        .expect("deleted");
    let rows = raw_rows(name).await;
    let keys_after = rows
        .iter()
        .filter(|(_, k, _)| k.as_string().is_some_and(|k| k.starts_with("vault.book.")))
        .count();
    assert_eq!((keys_before, keys_after), (1, 0));
    assert!(rows.iter().all(|(store, _, _)| *store == "settings"));
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn a_personal_device_with_a_pin_becomes_shared_without_touching_records() {
    let name = "vault-switch";
    let store = fresh_store(name).await;
    let book = person(61, "Ngô Thị Hạnh");
    store.save_book(&book).await.expect("saved plain");
    store
        .enable_encryption(DeviceMode::Personal, None, "123456")
        .await
        .expect("a PIN encrypts the device");
    let before = record_bytes(name).await;
    assert!(matches!(
        store.switch_to_shared("000000", LAN_NAME, LAN).await,
        Err(VaultError::WrongSecret { .. })
    ));
    let lan = store
        .switch_to_shared("123456", LAN_NAME, LAN)
        .await
        .expect("switched");
    assert_eq!(record_bytes(name).await, before);
    assert_eq!(store.unlocked_slot(), Some(lan));
    store.lock();
    assert!(matches!(
        store.unlock("123456").await,
        Err(VaultError::WrongSecret { .. })
    ));
    assert_eq!(
        store
            .unlock(LAN)
            .await
            .expect("the staff passphrase opens it"),
        Unlocked::As(lan)
    );
    assert!(!stored_in_clear(name, LAN_NAME).await, "the name is sealed");
    let meta = store.vault().await.expect("meta").expect("set up");
    assert_eq!(meta.mode, DeviceMode::Shared);
    assert_eq!(
        store
            .load_book(book.citizen_id())
            .await
            .expect("loads")
            .map(|l| l.book),
        Some(book)
    );
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn a_migration_that_fails_midway_leaves_every_book_readable_and_can_run_again() {
    let name = "vault-migration-fault";
    let store = fresh_store(name).await;
    let books = [person(71, "Lý Thị Thu"), person(72, "Mai Văn Sơn")];
    for book in &books {
        store.save_book(book).await.expect("saved plain");
    }
    store
        .put_setting("sync_token", "token-before")
        .await
        .expect("token");
    let before = raw_rows(name).await.len();

    // The disk fills after a few rows of the new, encrypted content.
    store.inject_fault(so_suc_khoe::storage::Fault::QuotaErrorAfterWrites(5));
    assert_eq!(
        make_shared(&store).await,
        Err(VaultError::Storage(StorageError::QuotaExceeded))
    );
    assert!(!store.is_encrypted());
    assert_eq!(store.vault().await.expect("meta"), None);
    assert_eq!(raw_rows(name).await.len(), before, "nothing was replaced");
    // A reload finds the old, readable data.
    store.close();
    let store = BookStore::open_named(name).await.expect("reopens");
    assert!(!store.is_locked());
    for book in &books {
        let loaded = store
            .load_book(book.citizen_id())
            .await
            .expect("loads")
            .expect("still there");
        assert_eq!(&loaded.book, book);
    }

    // Run again: everything is encrypted and readable.
    make_shared(&store).await.expect("encryption on");
    let mut secrets: Vec<String> = books.iter().flat_map(secrets_of).collect();
    secrets.push("token-before".into());
    assert_no_plaintext(name, &secrets).await;
    for book in &books {
        let loaded = store
            .load_book(book.citizen_id())
            .await
            .expect("loads")
            .expect("exists");
        assert_eq!(&loaded.book, book);
    }
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn an_encrypted_header_stamps_its_save_without_saying_when() {
    // A sync checks inside its transaction that the stored book is the one it started from,
    // where no key can be used: the header carries an opaque stamp of its save time, which a
    // checked save compares, and which says nothing about when anyone's book was written.
    let name = "vault-saved-at";
    let store = shared_store(name).await;
    let book = person(81, "Trịnh Văn Long");
    store.save_book(&book).await.expect("saved");
    let loaded = store
        .load_book(book.citizen_id())
        .await
        .expect("loads")
        .expect("exists");
    let rows = raw_rows(name).await;
    let (_, _, header) = rows.iter().find(|r| r.0 == "books").expect("a header");
    let stamp = js_sys::Reflect::get(header, &"s".into())
        .ok()
        .and_then(|s| s.as_string())
        .expect("a save-time stamp");
    assert!(
        time::OffsetDateTime::parse(&stamp, &time::format_description::well_known::Rfc3339)
            .is_err(),
        "the stamp is not the time: {stamp}"
    );
    let year = loaded.last_updated.year().to_string();
    assert!(!contains(&bytes_of(header), &year), "no save year in clear");

    // The stamp still does its job: a save checked against the loaded book goes through,
    // one checked against another time is refused.
    let stale =
        so_suc_khoe::storage::StoredBook::SavedAt(loaded.last_updated - time::Duration::seconds(1));
    assert_eq!(
        store
            .save_book_with_setting_checked(&book, "sync_status", &1, Some(stale))
            .await,
        Err(StorageError::ChangedMeanwhile)
    );
    let current = so_suc_khoe::storage::StoredBook::SavedAt(loaded.last_updated);
    store
        .save_book_with_setting_checked(&book, "sync_status", &1, Some(current))
        .await
        .expect("the stored book is the loaded one");
    finish(store, name).await;
}

// ---- turning encryption off, and migrations interrupted midway (vault2) ----

const PIN: &str = "246810";

/// A personal device with a PIN over two books and settings that name them.
async fn personal_store_with_books(name: &str) -> (BookStore, [HealthBook; 2]) {
    let store = fresh_store(name).await;
    let books = [person(91, "Đoàn Thị Mai"), person(92, "Hà Văn Quý")];
    for book in &books {
        store
            .save_book_with_setting(book, &snapshot_key(book.citizen_id()), "snapshot-of-mai")
            .await
            .expect("saved plain");
    }
    store
        .put_setting("sync_token", "token-plain")
        .await
        .expect("token");
    store
        .enable_encryption(DeviceMode::Personal, None, PIN)
        .await
        .expect("a PIN encrypts the device");
    (store, books)
}

/// A plain device holding `books`.
async fn plain_store_with(name: &str, books: &[HealthBook]) -> BookStore {
    let store = fresh_store(name).await;
    for book in books {
        store.save_book(book).await.expect("saved plain");
    }
    store
}

/// Every book loads whole, nothing skipped.
async fn assert_books_load(store: &BookStore, books: &[HealthBook]) {
    for book in books {
        let loaded = store
            .load_book(book.citizen_id())
            .await
            .expect("loads")
            .expect("still there");
        assert_eq!(&loaded.book, book);
        assert!(loaded.skipped.is_empty());
    }
}

async fn assert_all_readable(store: &BookStore, books: &[HealthBook]) {
    assert_books_load(store, books).await;
    for book in books {
        assert_eq!(
            store
                .setting::<String>(&snapshot_key(book.citizen_id()))
                .await
                .expect("reads"),
            Some("snapshot-of-mai".into())
        );
    }
    assert_eq!(
        store.setting::<String>("sync_token").await.expect("reads"),
        Some("token-plain".into())
    );
}

/// Nothing of `books` is stored in clear, and every one of them loads whole.
async fn assert_sealed_and_loading(name: &str, store: &BookStore, books: &[HealthBook]) {
    let secrets: Vec<String> = books.iter().flat_map(secrets_of).collect();
    assert_no_plaintext(name, &secrets).await;
    assert_books_load(store, books).await;
}

/// True when the raw rows hold `text` in clear somewhere.
async fn stored_in_clear(name: &str, text: &str) -> bool {
    raw_rows(name)
        .await
        .iter()
        .any(|(_, key, value)| contains(&bytes_of(key), text) || contains(&bytes_of(value), text))
}

#[wasm_bindgen_test]
async fn removing_the_pin_stores_everything_readable_again_under_its_own_name() {
    let name = "vault-turn-off";
    let (store, books) = personal_store_with_books(name).await;
    assert!(!stored_in_clear(name, "token-plain").await);
    let before = raw_rows(name).await.len();

    assert!(matches!(
        store.disable_encryption("000000").await,
        Err(VaultError::WrongSecret { .. })
    ));
    assert!(store.is_encrypted());
    assert_eq!(raw_rows(name).await.len(), before, "nothing changed");

    store.disable_encryption(PIN).await.expect("turned off");
    assert!(!store.is_encrypted());
    assert_eq!(store.vault().await.expect("meta"), None);
    assert_eq!(store.pending_migration().await.expect("marker"), None);
    assert_all_readable(&store, &books).await;
    // Plain data again: the names, IDs and setting keys are in clear, no key is left.
    for text in [
        books[0].profile.full_name.as_str(),
        books[1].citizen_id().as_str(),
        "sync_token",
        "token-plain",
    ] {
        assert!(
            stored_in_clear(name, text).await,
            "{text} is readable again"
        );
    }
    assert!(raw_rows(name)
        .await
        .iter()
        .all(|(_, key, _)| !key.as_string().unwrap_or_default().starts_with("vault.")));

    // A reload finds a plain device that reads everything.
    store.close();
    let store = BookStore::open_named(name).await.expect("reopens");
    assert!(!store.is_locked() && !store.is_encrypted());
    assert_all_readable(&store, &books).await;
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn a_shared_device_stays_encrypted() {
    let name = "vault-shared-stays";
    let store = shared_store(name).await;
    assert!(matches!(
        store.disable_encryption(LAN).await,
        Err(VaultError::Decrypt(_))
    ));
    assert!(store.is_encrypted());
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn a_tampered_record_stops_removing_the_pin_before_anything_changes() {
    let name = "vault-turn-off-tampered";
    let (store, books) = personal_store_with_books(name).await;
    let rows = raw_rows(name).await;
    let (_, key, value) = rows
        .iter()
        .find(|(store, _, _)| *store == "prescriptions")
        .expect("a prescription")
        .clone();
    let body = js_sys::Reflect::get(&value, &"b".into()).expect("body");
    let bytes = body.dyn_ref::<js_sys::Uint8Array>().expect("bytes");
    bytes.set_index(20, bytes.get_index(20) ^ 1);
    raw_put(name, "prescriptions", key, value).await;
    let before = raw_rows(name).await.len();

    assert!(matches!(
        store.disable_encryption(PIN).await,
        Err(VaultError::Storage(StorageError::Unreadable(_)))
    ));
    assert!(store.is_encrypted());
    assert_eq!(raw_rows(name).await.len(), before, "nothing changed");
    assert_eq!(store.pending_migration().await.expect("marker"), None);
    assert!(!stored_in_clear(name, &books[0].profile.full_name).await);
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn a_page_closed_while_encrypting_reopens_readable_and_the_same_secret_finishes() {
    let name = "vault-resume-on";
    let books = [person(93, "Lương Thị Cúc"), person(94, "Tạ Văn Hùng")];
    let store = plain_store_with(name, &books).await;
    store.inject_fault(so_suc_khoe::storage::Fault::PageClosedDuringMigration(7));
    assert!(make_shared(&store).await.is_err());
    store.close();

    // Reopened: the old, readable data, and the marker of what to finish.
    let store = BookStore::open_named(name).await.expect("reopens");
    assert!(!store.is_locked() && !store.is_encrypted());
    assert!(matches!(
        store.pending_migration().await.expect("marker"),
        Some(health_book::device::Migration::Encrypt { .. })
    ));
    assert_books_load(&store, &books).await;
    assert!(matches!(
        store.resume_encryption("not the passphrase").await,
        Err(VaultError::WrongSecret { .. })
    ));
    store.resume_encryption(LAN).await.expect("finished");
    assert!(store.is_encrypted());
    assert_eq!(store.pending_migration().await.expect("marker"), None);
    assert_sealed_and_loading(name, &store, &books).await;
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn giving_up_an_interrupted_encryption_keeps_the_device_plain() {
    let name = "vault-resume-cancel";
    let books = [person(95, "Vũ Thị Lan")];
    let store = plain_store_with(name, &books).await;
    store.inject_fault(so_suc_khoe::storage::Fault::PageClosedDuringMigration(1));
    assert!(store
        .enable_encryption(DeviceMode::Personal, None, PIN)
        .await
        .is_err());
    store.cancel_encryption().await.expect("given up");
    assert_eq!(store.pending_migration().await.expect("marker"), None);
    store.close();
    let store = BookStore::open_named(name).await.expect("reopens");
    assert!(!store.is_encrypted());
    assert_books_load(&store, &books).await;
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn a_page_closed_while_removing_the_pin_reopens_locked_and_unlocking_finishes() {
    let name = "vault-resume-off";
    let (store, books) = personal_store_with_books(name).await;
    store.inject_fault(so_suc_khoe::storage::Fault::PageClosedDuringMigration(3));
    assert!(store.disable_encryption(PIN).await.is_err());
    store.close();

    // Reopened: still encrypted (the old data), locked; the marker says to finish.
    let store = BookStore::open_named(name).await.expect("reopens");
    assert!(store.is_locked());
    assert!(!stored_in_clear(name, &books[0].profile.full_name).await);
    assert_eq!(
        store.pending_migration().await.expect("marker"),
        Some(health_book::device::Migration::Decrypt)
    );
    store.unlock(PIN).await.expect("unlocks and finishes");
    assert!(!store.is_encrypted());
    assert_eq!(store.pending_migration().await.expect("marker"), None);
    assert_all_readable(&store, &books).await;
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn encryption_keeps_every_book_s_address_key() {
    // Addresses of books (a bookmark, the tablet's Back) still open them once encrypted.
    let name = "vault-address-keys";
    let store = fresh_store(name).await;
    let books = [person(91, "Lò Thị Mai"), person(92, "Hà Văn Tú")];
    store.save_books(&books).await.expect("saved");
    let keys = |list: so_suc_khoe::storage::BookList| {
        list.books
            .into_iter()
            .map(|b| (b.citizen_id, b.address_key))
            .collect::<Vec<_>>()
    };
    let before = keys(store.list_books().await.expect("list"));
    assert!(before.iter().all(|(_, key)| key.is_some()));
    make_shared(&store).await.expect("encryption on");
    assert_eq!(keys(store.list_books().await.expect("list")), before);
    // And a save of an encrypted book keeps it too.
    store.save_book(&books[0]).await.expect("saved");
    assert_eq!(keys(store.list_books().await.expect("list")), before);
    finish(store, name).await;
}

// ---- staff names sealed, unlocking by passphrase alone (vault3) ----

const AN: &str = "mật khẩu của An";

/// Writes a setting the lock keeps in clear (metadata, migration marker) as a version before
/// sealed names stored it: a format-1 envelope of its JSON.
async fn put_clear_setting<T: serde::Serialize>(name: &str, key: &str, value: &T) {
    put_clear_setting_as(name, key, value, 1).await;
}

/// The same, in envelope `format`.
async fn put_clear_setting_as<T: serde::Serialize>(name: &str, key: &str, value: &T, format: u32) {
    let text = serde_json::to_string(value).expect("serializes");
    let envelope = js_sys::Object::new();
    js_sys::Reflect::set(&envelope, &"f".into(), &format.into()).expect("f");
    js_sys::Reflect::set(&envelope, &"b".into(), &text.into()).expect("b");
    raw_put(name, "settings", key.into(), envelope.into()).await;
}

/// The stored vault metadata, as stored (no key needed: it is kept in clear).
async fn stored_meta(store: &BookStore) -> VaultMeta {
    store.vault().await.expect("reads").expect("set up")
}

#[wasm_bindgen_test]
async fn a_passphrase_that_already_opens_a_slot_is_refused_for_another_staff_member() {
    let name = "vault-passphrase-in-use";
    let store = shared_store(name).await;
    let an = store.add_staff(LAN, "Bác sĩ An", AN).await.expect("added");
    let before = stored_meta(&store).await;
    // Lan's own passphrase, and An's, cannot be a newcomer's.
    for taken in [LAN, AN] {
        assert_eq!(
            store.add_staff(LAN, "Y tá Hoa", taken).await,
            Err(VaultError::Slot(SlotProblem::PassphraseInUse))
        );
    }
    // Nor can Lan change hers to An's.
    assert_eq!(
        store.change_secret(SlotId(1), LAN, AN).await,
        Err(VaultError::Slot(SlotProblem::PassphraseInUse))
    );
    assert_eq!(stored_meta(&store).await, before, "nothing was written");
    // A fresh one is taken, and each passphrase still opens its own slot.
    let hoa = store
        .add_staff(LAN, "Y tá Hoa", "mật khẩu của Hoa")
        .await
        .expect("added");
    for (secret, slot) in [(LAN, SlotId(1)), (AN, an), ("mật khẩu của Hoa", hoa)] {
        store.lock();
        assert_eq!(store.unlock(secret).await, Ok(Unlocked::As(slot)));
    }
    finish(store, name).await;
}

/// Turns the stored metadata into the form a version before sealed names wrote: each slot
/// wrapped under its own salt, names in clear, no device salt. `slots`: each slot, its
/// passphrase now, the one it had in the older version (which let staff share one), its name.
async fn store_as_older_version(
    name: &str,
    store: &BookStore,
    slots: &[(SlotId, &str, &str, &str)],
) {
    use so_suc_khoe::browser::crypto::WebCrypto;
    let crypto = WebCrypto::detect().expect("WebCrypto");
    let mut meta = stored_meta(store).await;
    let device = meta.kdf.clone().expect("a device salt");
    for (slot, secret, older_secret, display_name) in slots {
        let kek = crypto
            .derive_slot_key(secret, &device.salt, device.iterations)
            .await
            .expect("derived");
        let stored = meta.slots.iter_mut().find(|s| s.id == *slot).expect("slot");
        let data = crypto
            .unwrap_data_key(&stored.wrapped_data_key, &kek, true)
            .await
            .expect("opens");
        let own = health_book::device::KdfParams::new(vec![slot.0 as u8; 16]);
        let own_kek = crypto
            .derive_slot_key(older_secret, &own.salt, own.iterations)
            .await
            .expect("derived");
        stored.wrapped_data_key = crypto.wrap_data_key(&data, &own_kek).await.expect("wraps");
        stored.kdf = Some(own);
        stored.holder = health_book::device::SlotHolder::Staff(StaffName::Clear {
            display_name: (*display_name).into(),
        });
    }
    meta.kdf = None;
    put_clear_setting(name, "vault.meta", &meta).await;
}

#[wasm_bindgen_test]
async fn a_device_from_before_sealed_names_seals_them_at_the_first_unlock_and_moves_each_slot_by_its_owner(
) {
    let name = "vault-older-names";
    let store = shared_store(name).await;
    let book = person(101, "Kiều Thị Nga");
    store.save_book(&book).await.expect("saved");
    let an = store.add_staff(LAN, "Bác sĩ An", AN).await.expect("added");
    store_as_older_version(
        name,
        &store,
        &[(SlotId(1), LAN, LAN, LAN_NAME), (an, AN, AN, "Bác sĩ An")],
    )
    .await;
    store.close();
    let store = BookStore::open_named(name).await.expect("reopens");
    assert!(
        stored_in_clear(name, "Bác sĩ An").await,
        "as the older version left it"
    );

    // An unlocks with a slot of its own salt: both names are sealed, An's slot moves to the
    // device salt, Lan's keeps hers until she unlocks; the metadata is now in the new format.
    assert_eq!(stored_format(name, "vault.meta").await, Some(1));
    assert_eq!(store.unlock(AN).await, Ok(Unlocked::As(an)));
    assert_eq!(stored_format(name, "vault.meta").await, Some(3));
    let meta = stored_meta(&store).await;
    assert!(meta.kdf.is_some());
    assert_eq!(meta.slot(an).and_then(|s| s.kdf.clone()), None);
    assert!(meta.slot(SlotId(1)).is_some_and(|s| s.kdf.is_some()));
    for staff in [LAN_NAME, "Bác sĩ An"] {
        assert!(!stored_in_clear(name, staff).await, "{staff} is sealed");
    }
    assert_eq!(
        store
            .staff()
            .iter()
            .map(|m| m.display_name.as_str())
            .collect::<Vec<_>>(),
        [LAN_NAME, "Bác sĩ An"]
    );
    assert_books_load(&store, std::slice::from_ref(&book)).await;

    // Lan, still on her own salt, unlocks after the device salt was tried; then hers moves too.
    store.lock();
    assert!(matches!(
        store.unlock("sai mật khẩu rồi").await,
        Err(VaultError::WrongSecret { .. })
    ));
    assert_eq!(store.unlock(LAN).await, Ok(Unlocked::As(SlotId(1))));
    let meta = stored_meta(&store).await;
    assert!(meta.slots.iter().all(|s| s.kdf.is_none()));
    assert_eq!(meta.derivations().len(), 1, "one derivation for everyone");
    assert_eq!(meta.attempts.count, 0);
    store.lock();
    assert_eq!(store.unlock(AN).await, Ok(Unlocked::As(an)));
    assert_books_load(&store, std::slice::from_ref(&book)).await;
    finish(store, name).await;
}

// ---- a migration's marker seen after another page's commit (vault3) ----

#[wasm_bindgen_test]
async fn an_encryption_committed_by_another_page_is_not_done_again_the_secret_unlocks_it() {
    let name = "vault-resume-on-done";
    let books = [person(111, "Lâm Thị Bích"), person(112, "Đinh Văn Toàn")];
    let store = plain_store_with(name, &books).await;
    store.inject_fault(so_suc_khoe::storage::Fault::PageClosedDuringMigration(3));
    assert!(store
        .enable_encryption(DeviceMode::Personal, None, PIN)
        .await
        .is_err());
    store.close();
    // This page looks while the closed one's commit is still to come: plain, with a marker.
    let late = BookStore::open_named(name).await.expect("opens");
    assert!(!late.is_encrypted());
    let finisher = BookStore::open_named(name).await.expect("opens");
    finisher
        .resume_encryption(PIN)
        .await
        .expect("the other page finishes");
    // As the race left it: encrypted data, metadata, and the marker read before the commit.
    let marker = Migration::Encrypt {
        meta: stored_meta(&finisher).await,
    };
    put_clear_setting(name, "vault.migration", &marker).await;
    finisher.close();
    let sealed = record_bytes(name).await;

    // Asked to finish: the data is sealed already, so nothing is sealed again.
    assert!(matches!(
        late.resume_encryption("000000").await,
        Err(VaultError::WrongSecret { .. })
    ));
    late.resume_encryption(PIN)
        .await
        .expect("finished: unlocked");
    assert!(late.is_encrypted() && !late.is_locked());
    assert_eq!(late.pending_migration().await.expect("marker"), None);
    assert_eq!(
        record_bytes(name).await,
        sealed,
        "no value was sealed twice"
    );
    assert_sealed_and_loading(name, &late, &books).await;
    finish(late, name).await;
}

#[wasm_bindgen_test]
async fn a_removal_of_the_pin_committed_by_another_page_leaves_only_its_marker_to_clear() {
    let name = "vault-resume-off-done";
    let (store, books) = personal_store_with_books(name).await;
    // A page that opened while the device was encrypted (locked, its removal under way).
    let late = BookStore::open_named(name).await.expect("opens");
    assert!(late.is_locked());
    store
        .disable_encryption(PIN)
        .await
        .expect("the other page finishes");
    // The marker as the late page read it, still there.
    put_clear_setting(name, "vault.migration", &Migration::Decrypt).await;
    store.close();
    let plain = record_bytes(name).await;

    // Unlocking finds plain data: nothing to decrypt, the marker goes, every book reads.
    assert_eq!(late.unlock(PIN).await, Ok(Unlocked::NothingToUnlock));
    assert!(!late.is_encrypted());
    assert_eq!(late.pending_migration().await.expect("marker"), None);
    assert_eq!(record_bytes(name).await, plain, "nothing was rewritten");
    assert_all_readable(&late, &books).await;
    finish(late, name).await;
}

// ---- the format number of the lock's own settings (followups2) ----

/// The envelope format a setting is stored in, read past the app.
async fn stored_format(name: &str, key: &str) -> Option<u32> {
    store_rows(name, "settings")
        .await
        .into_iter()
        .find(|(k, _)| k.as_string().as_deref() == Some(key))
        .and_then(|(_, value)| js_sys::Reflect::get(&value, &"f".into()).ok())
        .and_then(|f| f.as_f64())
        .map(|f| f as u32)
}

#[wasm_bindgen_test]
async fn the_lock_s_settings_are_stored_in_a_format_above_what_older_versions_know() {
    // A version from before sealed names knew formats 1 (plain) and 2 (sealed): format 3 is
    // "written by a newer version" to it, never "damaged".
    let name = "vault-lock-format";
    let books = [person(121, "Quách Thị Yên")];
    let store = plain_store_with(name, &books).await;
    store.inject_fault(so_suc_khoe::storage::Fault::PageClosedDuringMigration(1));
    assert!(make_shared(&store).await.is_err());
    assert_eq!(stored_format(name, "vault.migration").await, Some(3));
    store.resume_encryption(LAN).await.expect("finished");
    assert_eq!(stored_format(name, "vault.meta").await, Some(3));
    // Every later write of the metadata keeps it there (a wrong secret counted, a new staff).
    store.add_staff(LAN, "Bác sĩ An", AN).await.expect("added");
    store.lock();
    assert!(store.unlock("sai mật khẩu rồi").await.is_err());
    assert_eq!(stored_format(name, "vault.meta").await, Some(3));
    assert_eq!(store.unlock(AN).await, Ok(Unlocked::As(SlotId(2))));
    assert_books_load(&store, &books).await;
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn lock_settings_from_a_newer_version_say_to_update_the_app_and_change_nothing() {
    use so_suc_khoe::i18n::errors::storage_error_msg;
    use so_suc_khoe::i18n::Msg;
    use so_suc_khoe::storage::SkippedRecord;
    for key in ["vault.meta", "vault.migration"] {
        let name = "vault-newer-format";
        let store = shared_store(name).await;
        let meta = stored_meta(&store).await;
        store.close();
        // What a later version might write: a shape this one does not know, a higher number.
        put_clear_setting_as(name, key, &meta, 4).await;
        let before = raw_rows(name).await.len();
        let opened = BookStore::open_named(name).await;
        let Err(error) = opened else {
            panic!("{key} of a newer version opened as if it were known");
        };
        assert!(
            matches!(
                &error,
                StorageError::Unreadable(SkippedRecord {
                    reason: SkipReason::NewerFormat { format: 4 },
                    ..
                })
            ),
            "{key}: {error:?}"
        );
        assert_eq!(storage_error_msg(&error), Msg::ErrStorageNewerVersion);
        assert_eq!(raw_rows(name).await.len(), before, "nothing was written");
        BookStore::delete_database(name).await.expect("deleted");
    }
}

// ---- two older slots sharing a passphrase (followups2) ----

#[wasm_bindgen_test]
async fn older_slots_that_share_a_passphrase_unlock_as_the_name_picked_never_as_a_guess() {
    use health_book::device::StaffMember;
    let name = "vault-shared-passphrase";
    let store = shared_store(name).await;
    let book = person(131, "Mạc Thị Duyên");
    store.save_book(&book).await.expect("saved");
    let an = store.add_staff(LAN, "Bác sĩ An", AN).await.expect("added");
    // The older version let An take Lan's passphrase.
    store_as_older_version(
        name,
        &store,
        &[(SlotId(1), LAN, LAN, LAN_NAME), (an, AN, LAN, "Bác sĩ An")],
    )
    .await;
    store.close();
    let store = BookStore::open_named(name).await.expect("reopens");

    // The passphrase opens both: the device stays locked and lists who it could be.
    let both = vec![
        StaffMember {
            slot: SlotId(1),
            display_name: LAN_NAME.into(),
        },
        StaffMember {
            slot: an,
            display_name: "Bác sĩ An".into(),
        },
    ];
    assert_eq!(
        store.unlock(LAN).await,
        Err(VaultError::PassphraseShared {
            staff: both.clone()
        })
    );
    assert!(store.is_locked());
    assert_eq!(
        stored_meta(&store).await.attempts.count,
        0,
        "not a wrong secret"
    );

    // An picks her name: unlocked as An, names sealed, but her slot keeps its own salt, so
    // the next unlock still sees that two share it.
    assert_eq!(store.unlock_as(LAN, an).await, Ok(Unlocked::As(an)));
    assert_eq!(store.unlocked_slot(), Some(an));
    assert!(!stored_in_clear(name, "Bác sĩ An").await);
    assert!(stored_meta(&store)
        .await
        .slots
        .iter()
        .all(|s| s.kdf.is_some()));
    assert_books_load(&store, std::slice::from_ref(&book)).await;
    store.lock();
    assert_eq!(
        store.unlock(LAN).await,
        Err(VaultError::PassphraseShared { staff: both })
    );
    // A passphrase that does not open the picked slot is a wrong secret like any other.
    assert!(matches!(
        store.unlock_as(AN, an).await,
        Err(VaultError::WrongSecret { .. })
    ));

    // Once An has a passphrase of her own, each passphrase names one person again.
    store.unlock_as(LAN, an).await.expect("An unlocks");
    store.change_secret(an, LAN, AN).await.expect("changed");
    store.lock();
    assert_eq!(store.unlock(LAN).await, Ok(Unlocked::As(SlotId(1))));
    store.lock();
    assert_eq!(store.unlock(AN).await, Ok(Unlocked::As(an)));
    assert_books_load(&store, std::slice::from_ref(&book)).await;
    finish(store, name).await;
}
