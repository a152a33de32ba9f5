//! Removing everything the app keeps in this browser: "Remove everything from this device".
//!
//! What goes, in this order (the most personal first, so a failure later still leaves no health
//! data behind), after the books-held marker (`books_held_marker.rs`), which names nobody but
//! must not outlive the books:
//! 1. every IndexedDB database of the origin (the books, the sync's copies, settings and tokens),
//!    listed by `indexedDB.databases()` where the browser has it, else the app's known database;
//! 2. `localStorage` and `sessionStorage` (language, text size, check-in layout);
//! 3. every Cache Storage cache, the app shell included;
//! 4. the service worker's registration.
//!
//! The shell cache holds only the build's public files, no personal data; it goes anyway, because
//! "everything" is what a person returning or discarding a device is promised, and a browser
//! that later shows "site data: 2 MB" would contradict it. Without it the app cannot open offline,
//! so the service worker is unregistered too: the next load (which needs the network, as the
//! confirmation says) registers it afresh and stores the shell again, instead of a worker that
//! keeps running with an empty cache and never refills it.
//!
//! Every step runs even when an earlier one fails (each is safe to repeat), and the first failure
//! is reported. A database that another tab keeps open cannot be deleted until that tab lets go;
//! the app's own tabs close their connection when asked (`storage/connection.rs`), so only a tab of
//! an older version, or a frozen one, blocks. The browser keeps the deletion queued and finishes it
//! once that tab closes.

use js_sys::{Array, Function, Promise, Reflect};
use thiserror::Error;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::storage::DB_NAME;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WipeError {
    /// Not in a browser window.
    #[error("no browser window")]
    NoWindow,
    /// Another tab holds the database open and does not close it.
    #[error("deleting database {database} is blocked by another tab")]
    Blocked { database: String },
    #[error("deleting database {database} failed: {message}")]
    DeleteDatabase { database: String, message: String },
    /// The browser could not say which databases exist, or has no IndexedDB here.
    #[error("the databases could not be listed: {0}")]
    ListDatabases(String),
    #[error("local or session storage could not be cleared: {0}")]
    WebStorage(String),
    #[error("the caches could not be removed: {0}")]
    Caches(String),
    #[error("the service worker could not be unregistered: {0}")]
    ServiceWorker(String),
    /// Everything was removed but the page did not reload.
    #[error("the page could not reload: {0}")]
    Reload(String),
}

/// Removes every database, cache, stored preference and the service worker of the app.
pub async fn wipe_device() -> Result<(), WipeError> {
    let window = web_sys::window().ok_or(WipeError::NoWindow)?;
    // The books-held marker goes first: should clearing `localStorage` fail after the databases
    // are gone, the next start must not report this deliberate wipe as an eviction.
    let marker = super::books_held_marker::store(DB_NAME, None)
        .map_err(|e| WipeError::WebStorage(e.to_string()));
    let databases = delete_databases(&window).await;
    let web_storage = clear_web_storage(&window);
    let caches = delete_caches(&window).await;
    let workers = unregister_service_workers().await;
    marker
        .and(databases)
        .and(web_storage)
        .and(caches)
        .and(workers)
}

/// Opens the first-run screen on a fresh page: nothing of the previous session stays in memory,
/// and the history entry of the screen the wipe was started from is replaced, not kept.
pub fn reload_to_first_run() -> Result<(), WipeError> {
    let window = web_sys::window().ok_or(WipeError::NoWindow)?;
    window
        .location()
        .replace("/")
        .map_err(|e| WipeError::Reload(describe(&e)))
}

async fn delete_databases(window: &web_sys::Window) -> Result<(), WipeError> {
    let factory = window
        .indexed_db()
        .map_err(|e| WipeError::ListDatabases(describe(&e)))?
        .ok_or_else(|| WipeError::ListDatabases("IndexedDB is not available".to_owned()))?;
    let mut first_error = Ok(());
    for name in database_names(&factory).await? {
        let deleted = delete_database(&factory, &name).await;
        first_error = first_error.and(deleted);
    }
    first_error
}

/// The origin's databases; the app's own always among them (Firefox before 126 and some
/// WebViews have no `databases()`, and deleting a database that does not exist succeeds).
async fn database_names(factory: &web_sys::IdbFactory) -> Result<Vec<String>, WipeError> {
    let mut names = vec![DB_NAME.to_owned()];
    let databases = Reflect::get(factory, &JsValue::from_str("databases"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok());
    if let Some(databases) = databases {
        let promise: Promise = databases
            .call0(factory)
            .map_err(|e| WipeError::ListDatabases(describe(&e)))?
            .unchecked_into();
        let list = JsFuture::from(promise)
            .await
            .map_err(|e| WipeError::ListDatabases(describe(&e)))?;
        for info in Array::from(&list).iter() {
            let name = Reflect::get(&info, &JsValue::from_str("name"))
                .ok()
                .and_then(|n| n.as_string());
            if let Some(name) = name.filter(|n| !names.contains(n)) {
                names.push(name);
            }
        }
    }
    Ok(names)
}

/// Deletes one database, waiting for the browser to confirm. `blocked` ends the wait: the
/// deletion stays queued in the browser, but the person must close the other tab first.
async fn delete_database(factory: &web_sys::IdbFactory, name: &str) -> Result<(), WipeError> {
    let request = factory
        .delete_database(name)
        .map_err(|e| WipeError::DeleteDatabase {
            database: name.to_owned(),
            message: describe(&e),
        })?;
    // The promise's own resolve and reject functions are the handlers, so no Rust closure has to
    // outlive this call; the event they receive tells which one fired.
    let outcome = Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
        request.set_onblocked(Some(&reject));
    });
    match JsFuture::from(outcome).await {
        Ok(_) => Ok(()),
        Err(event) => {
            let blocked = event
                .dyn_ref::<web_sys::Event>()
                .is_some_and(|e| e.type_() == "blocked");
            if blocked {
                Err(WipeError::Blocked {
                    database: name.to_owned(),
                })
            } else {
                let message = request
                    .error()
                    .ok()
                    .flatten()
                    .map(|e| format!("{}: {}", e.name(), e.message()))
                    .unwrap_or_else(|| describe(&event));
                Err(WipeError::DeleteDatabase {
                    database: name.to_owned(),
                    message,
                })
            }
        }
    }
}

fn clear_web_storage(window: &web_sys::Window) -> Result<(), WipeError> {
    let stores = [window.local_storage(), window.session_storage()];
    for store in stores {
        // `None` (storage disabled) holds nothing to clear.
        if let Some(store) = store.map_err(|e| WipeError::WebStorage(describe(&e)))? {
            store
                .clear()
                .map_err(|e| WipeError::WebStorage(describe(&e)))?;
        }
    }
    Ok(())
}

async fn delete_caches(window: &web_sys::Window) -> Result<(), WipeError> {
    // No Cache Storage (an insecure origin, an old browser): there is nothing to remove.
    let Ok(caches) = window.caches() else {
        return Ok(());
    };
    let keys = JsFuture::from(caches.keys())
        .await
        .map_err(|e| WipeError::Caches(describe(&e)))?;
    for key in Array::from(&keys).iter() {
        let Some(name) = key.as_string() else {
            continue;
        };
        JsFuture::from(caches.delete(&name))
            .await
            .map_err(|e| WipeError::Caches(describe(&e)))?;
    }
    Ok(())
}

async fn unregister_service_workers() -> Result<(), WipeError> {
    // Without service workers (private modes, old browsers) nothing is registered.
    let Some(container) = super::service_worker::container() else {
        return Ok(());
    };
    let registrations = JsFuture::from(container.get_registrations())
        .await
        .map_err(|e| WipeError::ServiceWorker(describe(&e)))?;
    for registration in Array::from(&registrations).iter() {
        let registration: web_sys::ServiceWorkerRegistration = registration.unchecked_into();
        let promise = registration
            .unregister()
            .map_err(|e| WipeError::ServiceWorker(describe(&e)))?;
        JsFuture::from(promise)
            .await
            .map_err(|e| WipeError::ServiceWorker(describe(&e)))?;
    }
    Ok(())
}

/// A thrown value as text, for the console (it is redacted there like everything else).
fn describe(value: &JsValue) -> String {
    if let Some(e) = value.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", e.name(), e.message());
    }
    if let Some(e) = value.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    value.as_string().unwrap_or_else(|| format!("{value:?}"))
}
