//! The browser side of sync: the atomic save of a book with its copy of the server's data, and
//! the fetch transport's Cancel and failures, in headless Chromium.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p so-suc-khoe --target wasm32-unknown-unknown --test sync`

use std::rc::Rc;

use health_book::generate::{self, BookShape};
use health_book::sync::{Request, Transport, TransportError};
use so_suc_khoe::storage::{Fault, StorageError, StoredBook};
use so_suc_khoe::sync::client::{CancelHandle, FetchTransport};
use so_suc_khoe::sync::settings::{self, BearerToken};
use so_suc_khoe::worker::protocol::{self, Envelope, Reply, WorkerError};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::{finish, fresh_store};

#[wasm_bindgen_test]
async fn a_book_and_its_setting_are_saved_together_or_not_at_all() {
    let name = "test-sync-atomic";
    let store = fresh_store(name).await;
    let old = generate::book(1, &BookShape::records(10));
    let key = settings::snapshot_key(old.citizen_id());
    store
        .save_book_with_setting(&old, &key, &"snapshot 1")
        .await
        .expect("first save");

    let mut new = old.clone();
    new.vaccinations.truncate(1);
    new.profile.full_name = "Tên Mới".into();
    // The disk fills after the setting, the header and one record were written.
    store.inject_fault(Fault::QuotaErrorAfterWrites(2));
    assert_eq!(
        store
            .save_book_with_setting(&new, &key, &"snapshot 2")
            .await,
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
    assert_eq!(
        store.setting::<String>(&key).await.expect("read"),
        Some("snapshot 1".to_string())
    );

    store
        .save_book_with_setting(&new, &key, &"snapshot 2")
        .await
        .expect("save with room");
    assert_eq!(
        store
            .load_book(new.citizen_id())
            .await
            .expect("load")
            .expect("saved")
            .book,
        new
    );
    assert_eq!(
        store.setting::<String>(&key).await.expect("read"),
        Some("snapshot 2".to_string())
    );

    let keys = settings::book_settings(new.citizen_id());
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    store
        .delete_book_with_settings(new.citizen_id(), &keys)
        .await
        .expect("forget");
    assert_eq!(store.setting::<String>(&key).await.expect("read"), None);
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn a_token_is_only_given_out_for_the_server_it_was_saved_with() {
    let name = "test-sync-token";
    let store = fresh_store(name).await;
    let token = BearerToken::new(" secret-1 ").expect("not blank");
    assert!(BearerToken::new("   ").is_none());
    settings::save_token(&store, "http://127.0.0.1:8103/fhir/R4/", Some(&token))
        .await
        .expect("save");
    assert_eq!(
        settings::load_token(&store, "http://127.0.0.1:8103/fhir/R4")
            .await
            .expect("load"),
        Some(token.clone())
    );
    assert_eq!(
        settings::load_token(&store, "https://other.example/fhir")
            .await
            .expect("load"),
        None
    );
    assert!(
        !format!("{token:?}").contains("secret"),
        "Debug must not show the token"
    );
    settings::save_token(&store, "http://127.0.0.1:8103/fhir/R4", None)
        .await
        .expect("remove");
    assert!(!settings::has_token(&store).await.expect("read"));
    finish(store, name).await;
}

fn transport(cancel: Rc<CancelHandle>, timeout_ms: u32) -> FetchTransport {
    FetchTransport::new(None, timeout_ms, cancel, |_| {})
}

#[wasm_bindgen_test]
async fn cancel_ends_a_pause_between_retries_at_once() {
    let cancel = Rc::new(CancelHandle::default());
    let client = transport(cancel.clone(), 5_000);
    let canceller = cancel.clone();
    let timer = so_suc_khoe::browser::callbacks::Timer::new(move || canceller.cancel());
    timer.start_once(50).expect("timer");
    let started = js_sys::Date::now();
    assert_eq!(client.sleep(60_000).await, Err(TransportError::Cancelled));
    assert!(
        js_sys::Date::now() - started < 5_000.0,
        "the pause ended early"
    );
    // Once cancelled, nothing more is sent.
    let request = Request {
        url: "/".into(),
        if_none_match: None,
        max_bytes: 1 << 20,
    };
    assert_eq!(client.get(&request).await, Err(TransportError::Cancelled));
}

#[wasm_bindgen_test]
async fn a_refused_connection_is_a_network_error_and_an_answer_keeps_its_status() {
    let client = transport(Rc::new(CancelHandle::default()), 10_000);
    // Port 9 (discard) has nothing listening here.
    let refused = Request {
        url: "http://127.0.0.1:9/fhir/metadata".into(),
        if_none_match: None,
        max_bytes: 1 << 20,
    };
    assert_eq!(client.get(&refused).await, Err(TransportError::Network));
    // The test runner's own server answers a missing file with 404: an answer, not a failure.
    let missing = Request {
        url: "/no-such-file-here".into(),
        if_none_match: None,
        max_bytes: 1 << 20,
    };
    assert_eq!(client.get(&missing).await.expect("an answer").status, 404);
}

// Issue 13: a refresh never overwrites a book changed meanwhile; bodies are counted as they come.

#[wasm_bindgen_test]
async fn a_checked_save_goes_ahead_only_over_the_book_it_started_from() {
    let name = "test-sync-checked";
    let store = fresh_store(name).await;
    let book = generate::book(2, &BookShape::records(4));
    let key = settings::snapshot_key(book.citizen_id());
    store
        .save_book_with_setting_checked(&book, &key, &"snapshot 1", Some(StoredBook::Absent))
        .await
        .expect("a new book over no book");
    let loaded = store
        .load_book(book.citizen_id())
        .await
        .expect("load")
        .expect("saved");
    let started_from = StoredBook::SavedAt(loaded.last_updated);

    // While the refresh runs, staff change the book on the device.
    let mut staff = book.clone();
    staff.profile.full_name = "Sửa Trên Máy".into();
    store.save_book(&staff).await.expect("staff save");

    let mut refreshed = book.clone();
    refreshed.vaccinations.truncate(1);
    assert_eq!(
        store
            .save_book_with_setting_checked(&refreshed, &key, &"snapshot 2", Some(started_from))
            .await,
        Err(StorageError::ChangedMeanwhile)
    );
    assert_eq!(
        store
            .save_book_with_setting_checked(
                &refreshed,
                &key,
                &"snapshot 2",
                Some(StoredBook::Absent)
            )
            .await,
        Err(StorageError::ChangedMeanwhile),
        "a book appeared meanwhile"
    );
    let kept = store
        .load_book(book.citizen_id())
        .await
        .expect("load")
        .expect("kept");
    assert_eq!(kept.book, staff, "the staff change is kept");
    assert_eq!(
        store.setting::<String>(&key).await.expect("read"),
        Some("snapshot 1".to_string()),
        "and the snapshot with it"
    );

    store
        .save_book_with_setting_checked(
            &refreshed,
            &key,
            &"snapshot 2",
            Some(StoredBook::SavedAt(kept.last_updated)),
        )
        .await
        .expect("over the book as it is now");
    assert_eq!(
        store.setting::<String>(&key).await.expect("read"),
        Some("snapshot 2".to_string())
    );
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn a_body_over_its_limit_is_not_read_whole() {
    let client = transport(Rc::new(CancelHandle::default()), 10_000);
    // The test runner's page is a few hundred bytes at least.
    let small = Request {
        url: "/".into(),
        if_none_match: None,
        max_bytes: 16,
    };
    assert_eq!(
        client.get(&small).await,
        Err(TransportError::TooLarge { status: 200 })
    );
    let enough = Request {
        max_bytes: 1 << 20,
        ..small
    };
    let answer = client.get(&enough).await.expect("an answer");
    assert_eq!(answer.status, 200);
    assert!(answer.body.len() > 16);
}

fn field(message: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(message, &JsValue::from_str(key)).expect("an object")
}

/// A sync's reply is megabytes: it crosses as bytes in a transferred buffer, read back whole.
#[wasm_bindgen_test]
fn a_large_body_crosses_as_transferred_bytes_and_a_small_one_as_text() {
    let large = Reply::DecodedQr {
        texts: vec!["Nguyễn Văn A ".repeat(10_000)],
    };
    let (message, transfer) = Envelope {
        id: 7,
        body: large.clone(),
        data: None,
    }
    .to_js()
    .expect("posted");
    assert!(field(&message, "body").is_undefined());
    let bytes = field(&message, "bodyBytes");
    assert!(bytes.is_instance_of::<js_sys::ArrayBuffer>());
    assert_eq!(
        transfer.length(),
        1,
        "the buffer is transferred, not copied"
    );
    let read = Envelope::<Reply>::from_js(&message).expect("read");
    assert_eq!((read.id, read.body), (7, large));

    let small = Reply::SyncCancelling;
    let (message, transfer) = Envelope {
        id: 8,
        body: small.clone(),
        data: None,
    }
    .to_js()
    .expect("posted");
    assert!(field(&message, "body").is_string());
    assert_eq!(transfer.length(), 0);
    assert_eq!(
        Envelope::<Reply>::from_js(&message).expect("read").body,
        small
    );
}

/// A reply that is not this build's (or broken) is an error its own request can end with.
#[wasm_bindgen_test]
fn an_unreadable_body_is_an_error_that_keeps_its_id() {
    let message = js_sys::Object::new();
    js_sys::Reflect::set(&message, &"id".into(), &JsValue::from(9)).expect("set");
    let bytes = js_sys::Uint8Array::from(&br#"{"Synced":{"Ok":{"Book":"#[..]).buffer();
    js_sys::Reflect::set(&message, &"bodyBytes".into(), &bytes).expect("set");
    let message: JsValue = message.into();
    assert!(matches!(
        Envelope::<Reply>::from_js(&message),
        Err(WorkerError::BadMessage(_))
    ));
    assert_eq!(protocol::id_of(&message), Some(9));
}

/// The copy of the server's resources is stored as the JSON text the worker sent and handed
/// back as it is: the page never reads it into resources.
#[wasm_bindgen_test]
async fn the_copy_is_stored_and_read_back_as_the_same_text() {
    use health_book::sync::{ServerSnapshot, SnapshotJson};
    let store = fresh_store("test-sync-copy-text").await;
    let book = generate::book(3, &BookShape::records(5));
    let mut snapshot = ServerSnapshot::new(
        "https://fhir.example.vn/fhir",
        "p1",
        time::OffsetDateTime::UNIX_EPOCH,
    );
    snapshot.upsert(serde_json::json!({"resourceType": "Patient", "id": "p1", "name": [{"text": "Trần Thị Bích"}]}));
    let json = SnapshotJson::write(&snapshot).expect("written");
    let key = settings::snapshot_key(book.citizen_id());
    store
        .save_book_with_setting(&book, &key, &json)
        .await
        .expect("saved");
    let read = settings::load_snapshot(&store, book.citizen_id())
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(read.as_str(), json.as_str());
    assert_eq!(read.read().expect("a snapshot"), snapshot);
    finish(store, "test-sync-copy-text").await;
}
