//! The store handle and what it holds: `BookStore` and its shared state, the connection it
//! keeps, the test faults it may carry. A leaf: the files that implement `BookStore`'s
//! operations (`book_store.rs`, `transactions.rs`, `connection.rs`, `encoding.rs`,
//! `test_faults.rs`) import it, and it imports none of them.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use indexed_db_futures::database::Database;
use indexed_db_futures::error::Error as IdbError;
use indexed_db_futures::internals::SystemRepr;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::codec::RecordCodec;
use super::estimate::StorageEstimate;
use super::schema::MigrationReport;

/// Handle on the on-device database of health books. Cheap to clone (one `Rc`); all clones share
/// one connection.
///
/// Every write is one transaction with strict durability: after a crash or power loss a book is
/// either entirely the old one or entirely the new one.
#[derive(Clone)]
pub struct BookStore {
    pub(super) inner: Rc<Inner>,
}

pub(super) struct Inner {
    pub(super) name: String,
    /// Plain, locked, or unlocked with the keys; swapped by unlock and lock. Cloned (one `Rc`)
    /// before any await, never borrowed across one.
    pub(super) codec: RefCell<RecordCodec>,
    pub(super) connection: RefCell<Option<Connection>>,
    pub(super) migration: Option<MigrationReport>,
    pub(super) on_version_change: VersionChangeListener,
    pub(super) faults: Faults,
}

/// The UI's callback for "another tab changed the database", shared with every connection.
pub(super) type VersionChangeListener = Rc<RefCell<Option<Rc<dyn Fn()>>>>;

impl std::fmt::Debug for BookStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BookStore")
            .field("name", &self.inner.name)
            .finish_non_exhaustive()
    }
}

// ---- the connection -------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ConnectionState {
    Open,
    /// The browser closed it (storage cleared, backend failure, app backgrounded on iOS).
    Dropped,
    /// Another tab upgraded or deleted the database; we closed it for them.
    Superseded,
}

pub(super) struct Connection {
    pub(super) db: Database,
    pub(super) state: Rc<Cell<ConnectionState>>,
    _on_version_change: Closure<dyn FnMut(web_sys::Event)>,
    _on_close: Closure<dyn FnMut(web_sys::Event)>,
}

impl Connection {
    pub(super) fn watch(db: Database, listener: &VersionChangeListener) -> Connection {
        let state = Rc::new(Cell::new(ConnectionState::Open));
        let sys: web_sys::IdbDatabase = db_sys(&db);
        let on_version_change = Closure::<dyn FnMut(web_sys::Event)>::new({
            let (state, sys, listener) = (state.clone(), sys.clone(), listener.clone());
            move |_event: web_sys::Event| {
                // Close at once so the other tab's upgrade (or delete) is not blocked by us.
                sys.close();
                state.set(ConnectionState::Superseded);
                let callback = listener.borrow().clone();
                if let Some(callback) = callback {
                    callback();
                }
            }
        });
        let on_close = Closure::<dyn FnMut(web_sys::Event)>::new({
            let state = state.clone();
            move |_event: web_sys::Event| {
                if state.get() == ConnectionState::Open {
                    state.set(ConnectionState::Dropped);
                }
            }
        });
        sys.set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
        sys.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Connection {
            db,
            state,
            _on_version_change: on_version_change,
            _on_close: on_close,
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        let sys = db_sys(&self.db);
        // The closures die with this struct; the browser must not call them afterwards.
        sys.set_onversionchange(None);
        sys.set_onclose(None);
        sys.close();
    }
}

pub(super) fn db_sys(db: &Database) -> web_sys::IdbDatabase {
    let sys: &web_sys::IdbDatabase = db.as_sys();
    sys.clone()
}

// ---- test faults -----------------------------------------------------------------------------

/// Failures a test can make happen, to drive the real error-mapping and rollback paths that real
/// browsers only reach with a full disk or a killed connection. Inert unless armed with
/// [`BookStore::inject_fault`]; affects only the store it is armed on.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The next book save aborts its transaction after this many puts, and the transaction's
    /// error reads QuotaExceededError, as Chrome and Firefox report a full disk.
    QuotaErrorAfterWrites(u32),
    /// The next book save aborts after this many puts with no reason given (a bare AbortError, as
    /// some browsers report quota), while the storage estimate reads full.
    SilentAbortWhenFullAfterWrites(u32),
    /// The connection is closed under the next `times` operations, as when iOS drops it while the
    /// app is in the background.
    DropConnection { times: u32 },
    /// The next migration (encryption on or off) stops after this many puts of its final
    /// transaction as if the page had been closed there: the transaction aborts and nothing
    /// after it runs (the marker stays), so a test can reopen and resume.
    PageClosedDuringMigration(u32),
}

#[derive(Default)]
pub(super) struct Faults {
    pub(super) write: Cell<Option<Fault>>,
    pub(super) estimate: Cell<Option<StorageEstimate>>,
    pub(super) connection_drops: Cell<u32>,
    /// Set by `PageClosedDuringMigration`: the migration must not clean up after the abort.
    pub(super) page_closed: Cell<bool>,
}

impl Faults {
    /// The armed write fault, if it strikes before write number `done` + 1. Disarms it.
    pub(super) fn write_fault(&self, done: u32) -> Option<Fault> {
        let strikes = match self.write.get()? {
            Fault::QuotaErrorAfterWrites(n)
            | Fault::SilentAbortWhenFullAfterWrites(n)
            | Fault::PageClosedDuringMigration(n) => n <= done,
            Fault::DropConnection { .. } => false,
        };
        strikes.then(|| self.write.take()).flatten()
    }

    pub(super) fn take_connection_drop(&self) -> bool {
        let left = self.connection_drops.get();
        if left == 0 {
            return false;
        }
        self.connection_drops.set(left - 1);
        true
    }
}

impl Fault {
    /// Aborts the transaction the way the fault describes.
    pub(super) fn strike(
        self,
        raw: &web_sys::IdbTransaction,
        injected: &mut Option<web_sys::DomException>,
    ) -> Result<(), IdbError> {
        raw.abort()?;
        if let Fault::QuotaErrorAfterWrites(_) = self {
            *injected = Some(web_sys::DomException::new_with_message_and_name(
                "injected: the quota has been exceeded",
                "QuotaExceededError",
            )?);
        }
        Ok(())
    }
}
