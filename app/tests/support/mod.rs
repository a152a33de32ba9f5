//! What the storage and vault browser tests share: a fresh database per test, and a raw
//! connection to look at or damage what the store wrote.
#![allow(dead_code)] // each test file uses a part

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use so_suc_khoe::storage::{BookStore, SCHEMA_VERSION};
use wasm_bindgen::JsValue;

/// A store on a database of this name, emptied of anything an earlier run left.
pub async fn fresh_store(name: &str) -> BookStore {
    BookStore::delete_database(name)
        .await
        .expect("no leftover database");
    BookStore::open_named(name)
        .await
        .expect("the database opens")
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
