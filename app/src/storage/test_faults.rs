//! Test hooks: faults a test can make happen.

use std::cell::Cell;

use indexed_db_futures::error::Error as IdbError;

use super::book_store::BookStore;
use super::persistence::StorageEstimate;

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
}

#[derive(Default)]
pub(super) struct Faults {
    write: Cell<Option<Fault>>,
    pub(super) estimate: Cell<Option<StorageEstimate>>,
    connection_drops: Cell<u32>,
}

impl Faults {
    /// The armed write fault, if it strikes before write number `done` + 1. Disarms it.
    pub(super) fn write_fault(&self, done: u32) -> Option<Fault> {
        let strikes = match self.write.get()? {
            Fault::QuotaErrorAfterWrites(n) | Fault::SilentAbortWhenFullAfterWrites(n) => n <= done,
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

impl BookStore {
    #[doc(hidden)]
    pub fn inject_fault(&self, fault: Fault) {
        let faults = &self.inner.faults;
        match fault {
            Fault::QuotaErrorAfterWrites(_) => faults.write.set(Some(fault)),
            Fault::SilentAbortWhenFullAfterWrites(_) => {
                faults.write.set(Some(fault));
                faults.estimate.set(Some(StorageEstimate {
                    used_bytes: 50 << 20,
                    quota_bytes: 50 << 20,
                }));
            }
            Fault::DropConnection { times } => faults.connection_drops.set(times),
        }
    }
}
