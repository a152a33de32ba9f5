//! A sync as the page asks the data worker for it (`crate::worker::sync` runs it).
//!
//! The worker fetches, parses and maps the server's pages, so none of that blocks the page, and
//! the page's module does not carry the FHIR reader and mapping. The page keeps what needs its
//! storage: it reads the settings, the token and the stored book and copy before, and saves the
//! outcome after (the vault's keys live on the page).

use std::cell::Cell;
use std::sync::Arc;

use health_book::sync::{Handover, Progress, RetryPolicy, ServerInfo, SnapshotJson, CANCEL_ACK_MS};
use health_book::{CitizenId, HealthBook};
use serde::{Deserialize, Serialize};

use super::settings::BearerToken;
use super::SyncFailure;
use crate::browser::data_worker;
use crate::worker::protocol::{Reply, Request, WorkerError};

/// Everything the worker needs for one sync: it reads nothing from the device itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncJob {
    /// The server's base address, already checked (`ServerAddress`).
    pub server: String,
    /// The token saved for that server, if any (`settings::load_token` gives no other).
    pub token: Option<BearerToken>,
    /// Time limit of one request.
    pub timeout_ms: u32,
    /// Fewer attempts than the core's retry policy allows (the connection test settles quickly).
    pub max_attempts: Option<u32>,
    pub task: SyncTask,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SyncTask {
    /// The server's CapabilityStatement (the connection test).
    ServerInfo,
    /// Look a person up by citizen ID and fetch their whole record; `current` is the book on the
    /// device, whose device-entered records are kept.
    AddBook {
        citizen_id: CitizenId,
        current: Option<Arc<HealthBook>>,
    },
    /// Refresh a stored book from the copy of the server's resources kept with it (its JSON
    /// text as stored: only the worker reads it).
    Refresh {
        current: Arc<HealthBook>,
        snapshot: Option<SnapshotJson>,
    },
}

/// What a sync brought back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SyncDone {
    ServerInfo(ServerInfo),
    /// The end of a sync of a book: nothing new, or the book to save (see `Handover`).
    Book(Handover),
}

thread_local! {
    /// Set by [`cancel`] for the sync running now: whatever then ends it (the worker's own
    /// `Cancelled`, or the worker stopped because it did not acknowledge), it was cancelled.
    static CANCEL_ASKED: Cell<bool> = const { Cell::new(false) };
}

impl SyncJob {
    /// The retry policy this job runs under: the core's, with fewer attempts if the job asks.
    /// The worker syncs with it and the page's watchdog is bounded by it, so both read it here.
    pub fn policy(&self) -> RetryPolicy {
        let mut policy = RetryPolicy::default();
        if let Some(attempts) = self.max_attempts {
            policy.max_attempts = attempts;
        }
        policy
    }

    /// How long the worker may stay silent before this sync is taken for dead: the core's rule
    /// for this job's retry policy and time limit (270 s by default).
    pub fn silence_ms(&self) -> u32 {
        self.policy().worker_silence_ms(self.timeout_ms)
    }
}

/// Runs `job` in the data worker, passing its progress to `on_progress`, and waits for the end.
/// A worker that stops, or sends nothing for [`SyncJob::silence_ms`], ends the sync with its
/// own failure; nothing is saved then, so the stored book stays as it was.
pub async fn run(
    job: SyncJob,
    on_progress: impl FnMut(Progress) + 'static,
) -> Result<SyncDone, SyncFailure> {
    let mut on_progress = on_progress;
    let silence_ms = job.silence_ms();
    CANCEL_ASKED.with(|asked| asked.set(false));
    let reply = data_worker::request_watched(
        Request::Sync(Box::new(job)),
        None,
        silence_ms,
        move |reply| {
            if let Reply::SyncProgress(progress) = reply {
                on_progress(progress);
            }
        },
    )
    .await;
    let cancelled = CANCEL_ASKED.with(|asked| asked.replace(false));
    let reply = reply.map_err(|e| {
        crate::console_warn!("sync: the data worker did not answer: {e}");
        if cancelled {
            SyncFailure::Cancelled
        } else {
            worker_failure(&e)
        }
    })?;
    match reply {
        Reply::Synced(result) => result,
        _ => {
            crate::console_warn!("sync: the data worker answered another request");
            Err(SyncFailure::WorkerStopped)
        }
    }
}

/// Asks the worker to cancel the sync it runs: the sync then ends with `Cancelled`. A worker
/// that does not acknowledge within the core's [`CANCEL_ACK_MS`] is taken for dead (it may have
/// ended without an error event) and terminated, so the sync ends as cancelled at once instead
/// of waiting for its watchdog; the next request starts a new worker.
pub async fn cancel() {
    CANCEL_ASKED.with(|asked| asked.set(true));
    match data_worker::request_watched(Request::CancelSync, None, CANCEL_ACK_MS, |_| {}).await {
        Ok(_) => {}
        Err(WorkerError::NoReply) => {
            // The watchdog has already stopped the worker, and with it the sync's request.
            crate::console_warn!("sync: cancel not acknowledged, the data worker was stopped");
        }
        Err(e) => {
            // The sync's own request ends with the same error: nothing is left running.
            crate::console_warn!("sync: cancel not delivered: {e}");
            data_worker::terminate();
        }
    }
}

/// The person's words for a worker that is not there: it could not start (its files are not on
/// the device yet), or it stopped.
fn worker_failure(error: &WorkerError) -> SyncFailure {
    match error {
        WorkerError::Unavailable => SyncFailure::WorkerUnavailable,
        WorkerError::NoReply => SyncFailure::WorkerSilent,
        WorkerError::BadMessage(_) => SyncFailure::UnreadableReply,
        WorkerError::Stopped | WorkerError::MissingData => SyncFailure::WorkerStopped,
    }
}
