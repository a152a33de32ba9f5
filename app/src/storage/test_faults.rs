//! Test hooks: faults a test can make happen.

use super::estimate::StorageEstimate;
use super::handle::{BookStore, Fault};

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
            Fault::PageClosedDuringMigration(_) => {
                faults.write.set(Some(fault));
                faults.page_closed.set(true);
            }
        }
    }
}
