//! Logging reads (a book opened, the check-in QR shown): each in its own small write, started
//! when the screen shows and never holding it up.

use leptos::prelude::*;

use super::BookStoreContext;
use crate::storage::{AuditEvent, StorageError};

/// Writes `event` to the audit log in the background. The returned signal holds the failure,
/// if any, for the screen to say the read was not logged.
pub fn record_read(store: BookStoreContext, event: AuditEvent) -> RwSignal<Option<StorageError>> {
    let failed = RwSignal::new(None);
    leptos::task::spawn_local(async move {
        let recorded = async { store.store().await?.record(event).await }.await;
        if let Err(error) = recorded {
            crate::console_warn!("audit: a read was not logged: {error}");
            failed.set(Some(error));
        }
    });
    failed
}
