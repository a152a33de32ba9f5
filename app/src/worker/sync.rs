//! The sync, in the data worker: runs `health_book::sync::Syncer` over the `fetch` transport
//! (`crate::sync::client`) for a [`SyncJob`] of the page, reports its progress, and answers with
//! the outcome for the page to save. Retries, time limits, size caps and the rules on another
//! person's records are the core's and the transport's, exactly as on the page before.

use std::cell::RefCell;
use std::rc::Rc;

use health_book::sync::{SyncError, SyncOutcome, Syncer};

use super::protocol::Reply;
use super::serve::Replies;
use crate::sync::client::{CancelHandle, FetchTransport};
use crate::sync::job::{SyncDone, SyncJob, SyncTask};
use crate::sync::SyncFailure;

thread_local! {
    /// The Cancel of the sync running now (the page runs one at a time).
    static RUNNING: RefCell<Option<Rc<CancelHandle>>> = const { RefCell::new(None) };
}

/// Runs one sync to its end, cancelled or not.
pub async fn run(job: SyncJob, replies: Replies) -> Reply {
    let cancel = Rc::new(CancelHandle::default());
    // The sync UI's Cancel is about a book's sync; a connection test settles by itself.
    if job.task != SyncTask::ServerInfo {
        RUNNING.with(|running| *running.borrow_mut() = Some(cancel.clone()));
    }
    let policy = job.policy();
    let transport = FetchTransport::new(job.token, job.timeout_ms, cancel.clone(), move |p| {
        replies.send(Reply::SyncProgress(p))
    });
    let mut syncer = Syncer::new(&transport, &job.server);
    syncer.policy = policy;
    let result = match job.task {
        SyncTask::ServerInfo => syncer
            .server_info()
            .await
            .map(SyncDone::ServerInfo)
            .map_err(|e| failure(&e)),
        SyncTask::AddBook {
            citizen_id,
            current,
        } => match syncer.add_book(&citizen_id, current.as_deref()).await {
            Ok(outcome) => hand_over(outcome),
            Err(e) => Err(failure(&e)),
        },
        SyncTask::Refresh { current, snapshot } => {
            // An unreadable copy only costs a full fetch (the reason is not logged: serde's
            // message can quote the copy, which is health data).
            let snapshot = snapshot.and_then(|json| match json.read() {
                Ok(snapshot) => Some(snapshot),
                Err(_) => {
                    crate::console_warn!("sync: the stored copy is unreadable, fetching it all");
                    None
                }
            });
            match syncer.refresh(&current, snapshot.as_ref()).await {
                Ok(outcome) => hand_over(outcome),
                Err(e) => Err(failure(&e)),
            }
        }
    };
    RUNNING.with(|running| {
        let mut running = running.borrow_mut();
        if running.as_ref().is_some_and(|r| Rc::ptr_eq(r, &cancel)) {
            running.take();
        }
    });
    Reply::Synced(result)
}

fn failure(error: &SyncError) -> SyncFailure {
    crate::console_warn!("sync: {error}");
    SyncFailure::from(error)
}

/// The outcome in the form the page reads quickly (`health_book::sync::handover`).
fn hand_over(outcome: SyncOutcome) -> Result<SyncDone, SyncFailure> {
    outcome.hand_over().map(SyncDone::Book).map_err(|_| {
        crate::console_warn!("sync: the copy of the server's resources could not be written");
        SyncFailure::BadData
    })
}

/// Cancels the sync running now, if any: it ends with `Cancelled` in its own reply.
pub fn cancel() -> Reply {
    if let Some(handle) = RUNNING.with(|running| running.borrow().clone()) {
        handle.cancel();
    }
    Reply::SyncCancelling
}
