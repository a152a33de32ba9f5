//! The connection a `BookStore` keeps, and opening (with the schema upgrade) behind it.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use indexed_db_futures::database::Database;
use indexed_db_futures::factory::DBFactory;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;

use super::error::{classify_open_failure, OpenFailure, StorageError};
use super::handle::{db_sys, BookStore, Connection, ConnectionState, VersionChangeListener};
use super::schema::{self, MigrationReport, SharedReport, ALL_STORES, SCHEMA_VERSION};

impl BookStore {
    /// The open connection, reopened if the browser dropped it.
    pub(super) async fn connection(&self) -> Result<Database, StorageError> {
        let current = self
            .inner
            .connection
            .borrow()
            .as_ref()
            .map(|c| (c.db.clone(), c.state.get()));
        let db = match current {
            Some((db, ConnectionState::Open)) => db,
            Some((_, ConnectionState::Superseded)) => return Err(StorageError::VersionChange),
            Some((_, ConnectionState::Dropped)) | None => {
                let opened = open_database(&self.inner.name, &self.inner.on_version_change).await?;
                let db = opened.connection.db.clone();
                // Replacing drops (and closes) a connection another call may have reopened
                // meanwhile; its transactions finish first.
                *self.inner.connection.borrow_mut() = Some(opened.connection);
                db
            }
        };
        if self.inner.faults.take_connection_drop() {
            db_sys(&db).close();
        }
        Ok(db)
    }

    fn connection_dropped(&self) -> bool {
        self.inner
            .connection
            .borrow()
            .as_ref()
            .is_some_and(|c| c.state.get() == ConnectionState::Dropped)
    }

    /// Runs `op` on the connection; if the connection turns out to be gone, reopens it once and
    /// runs `op` again (every operation here is idempotent: whole-book saves, deletes, reads).
    /// A second loss is reported.
    pub(super) async fn with_db<'s, T, F, Fut>(&'s self, op: F) -> Result<T, StorageError>
    where
        F: Fn(Database) -> Fut + 's,
        Fut: Future<Output = Result<T, StorageError>> + 's,
    {
        let db = self.connection().await?;
        let first = op(db).await;
        let lost = match &first {
            Err(StorageError::ConnectionLost) => true,
            Err(_) => self.connection_dropped(),
            Ok(_) => false,
        };
        if !lost {
            return first;
        }
        self.close();
        let db = self.connection().await.map_err(|e| match e {
            StorageError::VersionChange | StorageError::Blocked => e,
            _ => StorageError::ConnectionLost,
        })?;
        let second = op(db).await;
        match second {
            Err(_) if self.connection_dropped() => Err(StorageError::ConnectionLost),
            other => other,
        }
    }
}

// ---- opening ---------------------------------------------------------------------------------

pub(super) struct Opened {
    pub(super) connection: Connection,
    pub(super) migration: Option<MigrationReport>,
}

/// Opens and upgrades. A backend failure (Chrome's UnknownError after a crash) is retried once.
pub(super) async fn open_database(
    name: &str,
    listener: &VersionChangeListener,
) -> Result<Opened, StorageError> {
    match open_once(name, listener).await {
        Err(StorageError::OpenFailed {
            reason: OpenFailure::Backend { .. },
        }) => open_once(name, listener).await,
        other => other,
    }
}

async fn open_once(name: &str, listener: &VersionChangeListener) -> Result<Opened, StorageError> {
    let factory = DBFactory::new().map_err(|e| classify_open_failure(&e))?;
    let slot = Rc::new(RefCell::new(OpenSlot::default()));
    let report: SharedReport = Rc::default();
    let upgraded = Rc::new(Cell::new(false));
    let request_handle: Rc<RefCell<Option<web_sys::IdbOpenDbRequest>>> = Rc::default();

    let request = factory
        .open_db(name)
        .with_version(SCHEMA_VERSION)
        .with_on_blocked({
            let slot = slot.clone();
            move |_event| {
                OpenSlot::blocked(&slot);
                Ok(())
            }
        })
        .with_on_upgrade_needed_fut({
            let (report, upgraded, request_handle) =
                (report.clone(), upgraded.clone(), request_handle.clone());
            move |event, db| async move {
                upgraded.set(true);
                let result =
                    schema::upgrade(&db, version_number(event.old_version()), &report).await;
                if result.is_err() {
                    abort_upgrade(&request_handle);
                }
                result
            }
        })
        .build()
        .map_err(|e| classify_open_failure(&e))?;
    *request_handle.borrow_mut() = Some(request.as_sys().clone());

    // The request runs to completion on its own even if we stop waiting (blocked): dropping it
    // would unhook the upgrade callback, and an upgrade that later proceeds without it would
    // leave a database at the new version with none of its stores.
    wasm_bindgen_futures::spawn_local({
        let slot = slot.clone();
        async move {
            let result = request.await.map_err(|e| classify_open_failure(&e));
            OpenSlot::finish(&slot, result);
        }
    });
    let db = WaitOpen(slot).await?;

    let names: Vec<String> = db.object_store_names().collect();
    if let Some(missing) = ALL_STORES.iter().find(|s| !names.iter().any(|n| n == *s)) {
        db.close();
        return Err(StorageError::Corrupt {
            detail: format!("store {missing} is missing"),
        });
    }
    Ok(Opened {
        connection: Connection::watch(db, listener),
        migration: upgraded.get().then(|| report.borrow().clone()),
    })
}

fn version_number(version: f64) -> u32 {
    // IndexedDB versions are positive integers; ours are small.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let version = version as u32;
    version
}

/// A failed migration must abort the version-change transaction: the async upgrade callback's
/// error alone does not, and the half-done upgrade would commit.
fn abort_upgrade(request: &RefCell<Option<web_sys::IdbOpenDbRequest>>) {
    let tx = request.borrow().as_ref().and_then(|r| r.transaction());
    if let Some(tx) = tx {
        if let Err(e) = tx.abort() {
            // Already finished: then a request failure aborted it before us.
            crate::console_warn!("storage: aborting the upgrade failed: {e:?}");
        }
    }
}

/// Where the spawned open request leaves its result, and where the blocked event is noted.
#[derive(Default)]
struct OpenSlot {
    outcome: Option<Result<Database, StorageError>>,
    blocked: bool,
    /// The caller gave up (blocked); a connection that still arrives is closed.
    abandoned: bool,
    waker: Option<Waker>,
}

impl OpenSlot {
    fn blocked(slot: &RefCell<OpenSlot>) {
        let mut s = slot.borrow_mut();
        s.blocked = true;
        if let Some(w) = s.waker.take() {
            w.wake();
        }
    }

    fn finish(slot: &RefCell<OpenSlot>, result: Result<Database, StorageError>) {
        let mut s = slot.borrow_mut();
        if s.abandoned {
            if let Ok(db) = result {
                db.close();
            }
            return;
        }
        s.outcome = Some(result);
        if let Some(w) = s.waker.take() {
            w.wake();
        }
    }
}

struct WaitOpen(Rc<RefCell<OpenSlot>>);

impl Future for WaitOpen {
    type Output = Result<Database, StorageError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut s = self.0.borrow_mut();
        if let Some(outcome) = s.outcome.take() {
            return Poll::Ready(outcome);
        }
        if s.blocked {
            s.abandoned = true;
            return Poll::Ready(Err(StorageError::Blocked));
        }
        s.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}
