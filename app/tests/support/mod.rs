//! What the storage, vault and audit browser tests share: a fresh database per test, a shared
//! device set up with its first staff member, and a raw connection to look at or damage what
//! the store wrote.
#![allow(dead_code)] // each test file uses a part

use health_book::device::DeviceMode;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use so_suc_khoe::storage::{BookStore, VaultError, SCHEMA_VERSION};
use wasm_bindgen::{JsCast, JsValue};

/// A store on a database of this name, emptied of anything an earlier run left.
pub async fn fresh_store(name: &str) -> BookStore {
    BookStore::delete_database(name)
        .await
        .expect("no leftover database");
    BookStore::open_named(name)
        .await
        .expect("the database opens")
}

/// The first staff member of the tests' shared devices, and her passphrase.
pub const LAN_NAME: &str = "Y tá Lan";
pub const LAN: &str = "mật khẩu trạm Phú Đình";

/// Makes `store` a shared device with Lan as its first staff member (encrypting what it holds),
/// as the first run or Settings does.
pub async fn make_shared(store: &BookStore) -> Result<(), VaultError> {
    store
        .enable_encryption(DeviceMode::Shared, Some(LAN_NAME), LAN)
        .await
}

/// A fresh shared device, unlocked by Lan.
pub async fn shared_store(name: &str) -> BookStore {
    let store = fresh_store(name).await;
    make_shared(&store).await.expect("encryption on");
    store
}

/// Closes the store and deletes its database.
pub async fn finish(store: BookStore, name: &str) {
    store.close();
    BookStore::delete_database(name)
        .await
        .expect("the test database is deleted");
}

/// A raw connection at the current version, to look at or damage what the module stored.
pub async fn raw_db(name: &str) -> Database {
    Database::open(name)
        .with_version(SCHEMA_VERSION)
        .await
        .expect("raw open")
}

/// Writes one row as given, past the store's API.
pub async fn raw_put(name: &str, store: &str, key: JsValue, value: JsValue) {
    let db = raw_db(name).await;
    let tx = db
        .transaction(store)
        .with_mode(TransactionMode::Readwrite)
        .build()
        .expect("tx");
    tx.object_store(store)
        .expect("store")
        .put(value)
        .with_key(key)
        .without_key_type()
        .primitive()
        .expect("put");
    tx.commit().await.expect("commit");
    db.close();
}

/// Every (key, value) of one store, as stored.
pub async fn store_rows(name: &str, store: &str) -> Vec<(JsValue, JsValue)> {
    let db = raw_db(name).await;
    let tx = db.transaction(store).build().expect("tx");
    let object_store = tx.object_store(store).expect("store");
    let keys: Vec<JsValue> = object_store
        .get_all_keys::<JsValue>()
        .primitive()
        .expect("keys")
        .await
        .expect("keys")
        .collect::<Result<_, _>>()
        .expect("keys");
    let values: Vec<JsValue> = object_store
        .get_all::<JsValue>()
        .primitive()
        .expect("values")
        .await
        .expect("values")
        .collect::<Result<_, _>>()
        .expect("values");
    drop(tx);
    db.close();
    keys.into_iter().zip(values).collect()
}

/// A stored key or value as the bytes an attacker copying the storage would search: JSON for
/// keys and plain values, the raw body bytes of an encrypted envelope.
pub fn bytes_of(value: &JsValue) -> Vec<u8> {
    let body = js_sys::Reflect::get(value, &"b".into()).unwrap_or(JsValue::UNDEFINED);
    if let Some(bytes) = body.dyn_ref::<js_sys::Uint8Array>() {
        return bytes.to_vec();
    }
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
        .into_bytes()
}

pub fn contains(haystack: &[u8], needle: &str) -> bool {
    let needle = needle.as_bytes();
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Fails when the stored key or value of one row of `store` holds any of `texts` in clear.
pub fn assert_row_free_of<S: AsRef<str>>(store: &str, key: &JsValue, value: &JsValue, texts: &[S]) {
    for bytes in [bytes_of(key), bytes_of(value)] {
        for text in texts {
            let text = text.as_ref();
            assert!(
                !contains(&bytes, text),
                "{store} holds {text:?} in clear (key {key:?})"
            );
        }
    }
}
