//! Sync with a FHIR R4 server: the browser side of `health_book::sync`.
//!
//! - `client.rs`: HTTP with `fetch`, time limits and Cancel (the sync's `Transport`), used in the
//!   data worker.
//! - `job.rs`: a sync as the page asks the data worker for it; the worker (`crate::worker::sync`)
//!   fetches, parses and maps, so the page's module has no FHIR reader.
//! - `settings.rs`: the server, the bearer token, and what is kept per book.
//! - this file: [`SyncService`], the app-wide context that runs one sync at a time, shows its
//!   progress, saves the result atomically and remembers how the last attempt went.
//!
//! The logic itself (capabilities, what to fetch, paging, retries with backoff, deletions,
//! keeping staff-entered records) is in the `health-book` crate, tested natively.
//!
//! A sync saves nothing until it has everything: then the new book and the copy of the server's
//! resources it was mapped from are written in one transaction
//! ([`BookStore::save_book_with_setting`]). A failure, a cancel or a closed tab before that leaves
//! the previous book exactly as it was.

pub mod client;
pub mod job;
pub mod settings;

use std::sync::Arc;

use health_book::fhir::SkippedResource;
use health_book::sync::{Handover, Progress, RecordChanges, SnapshotJson, SyncError, SyncOutcome};
use health_book::{BookSource, CitizenId, HealthBook};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::browser::clock;
use crate::context::{use_book_store, use_open_book, BookStoreContext, OpenBook};
use crate::storage::{AuditEvent, BookStore, LoadedBook, StorageError, StoredBook};
use health_book::audit::AuditAction;
use health_book::sync::server_address::ServerAddressError;
use health_book::views::sync_status::Attempt;
use job::{SyncDone, SyncJob, SyncTask};
use settings::{BearerToken, SyncSettings, SyncStatus};

/// Why a sync did not succeed, as kept with the book and shown to the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum SyncFailure {
    /// The server address in Settings is not a usable URL.
    NoServer,
    Network,
    Timeout,
    Cancelled,
    Server {
        status: u16,
    },
    Busy {
        retry_after_seconds: Option<u32>,
    },
    Unauthorized,
    Refused {
        status: u16,
        message: Option<String>,
    },
    NotFhir,
    NotR4 {
        version: String,
    },
    NoMatch,
    SeveralMatches {
        count: usize,
    },
    PatientGone,
    WrongPerson,
    ForeignLink,
    TooLarge,
    BadData,
    /// The new book could not be saved on the device.
    NotSaved,
    /// Another sync is running.
    AlreadyRunning,
    // Issue 13: only this person's data, bounded answers, safe transport.
    /// No server address is set at all (a fresh install): nothing was sent anywhere.
    NotConfigured,
    /// One answer was over the per-answer cap.
    AnswerTooLarge {
        limit_mb: usize,
    },
    /// All answers of one sync together were over the total cap.
    SyncTooLarge {
        limit_mb: usize,
    },
    /// The server answered with a redirect, which is not followed with the token.
    Redirected,
    /// The book changed on this device while the refresh ran, again on every retry of the save.
    ChangedMeanwhile,
    // Issue 17: the sync runs in the data worker.
    /// The data worker could not start (its files are not stored yet and there is no network).
    WorkerUnavailable,
    /// The data worker stopped while the sync ran.
    WorkerStopped,
    /// The data worker's answer could not be read (most likely a new version of the app is
    /// half loaded: the page and the worker of two builds).
    UnreadableReply,
    /// The data worker sent nothing for longer than the sync's retries can take
    /// (`job::SyncJob::silence_ms`), so the page stopped it.
    WorkerSilent,
}
// Stored with the book: read with the tag first, without serde's buffering (`health_book::tagged`).
health_book::tag_first!(SyncFailure, "kind");

impl From<&SyncError> for SyncFailure {
    fn from(error: &SyncError) -> Self {
        match error {
            SyncError::Cancelled => SyncFailure::Cancelled,
            SyncError::Network => SyncFailure::Network,
            SyncError::Timeout => SyncFailure::Timeout,
            SyncError::Server { status, .. } => SyncFailure::Server { status: *status },
            SyncError::RateLimited { retry_after_ms } => SyncFailure::Busy {
                retry_after_seconds: retry_after_ms.map(|ms| ms.div_ceil(1000)),
            },
            SyncError::Unauthorized { .. } => SyncFailure::Unauthorized,
            SyncError::Refused { status, message } => SyncFailure::Refused {
                status: *status,
                message: message.clone(),
            },
            SyncError::NotFhir { .. } => SyncFailure::NotFhir,
            SyncError::NotR4 { found } => SyncFailure::NotR4 {
                version: found.clone(),
            },
            SyncError::NoMatch => SyncFailure::NoMatch,
            SyncError::SeveralMatches { count } => SyncFailure::SeveralMatches { count: *count },
            SyncError::PatientGone => SyncFailure::PatientGone,
            SyncError::WrongPerson => SyncFailure::WrongPerson,
            SyncError::ForeignLink => SyncFailure::ForeignLink,
            SyncError::TooManyPages { .. } => SyncFailure::TooLarge,
            SyncError::Import(_) => SyncFailure::BadData,
            SyncError::AnswerTooLarge { limit } => SyncFailure::AnswerTooLarge {
                limit_mb: megabytes(*limit),
            },
            SyncError::SyncTooLarge { limit } => SyncFailure::SyncTooLarge {
                limit_mb: megabytes(*limit),
            },
            SyncError::Redirected => SyncFailure::Redirected,
        }
    }
}

fn megabytes(bytes: usize) -> usize {
    bytes / (1024 * 1024)
}

/// A sync that did not succeed: what the server or the network did, or the device storage.
#[derive(Debug, Clone)]
pub enum SyncProblem {
    Sync(SyncFailure),
    Storage(StorageError),
}

impl From<StorageError> for SyncProblem {
    fn from(e: StorageError) -> Self {
        SyncProblem::Storage(e)
    }
}

/// The sync running now: whose book (`None` while a new one is looked up) and how far it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Running {
    pub citizen_id: Option<CitizenId>,
    pub progress: Option<Progress>,
}

/// A book fetched from the server, waiting for the person to confirm the save.
#[derive(Debug, Clone)]
pub struct FetchedBook {
    pub outcome: SyncOutcome<SnapshotJson>,
    /// Counts of the book it would replace on this device.
    pub replaces: Option<(usize, usize)>,
    /// The stored book it was fetched against: the save goes ahead only if it is still there.
    stored: StoredBook,
}

impl FetchedBook {
    pub fn book(&self) -> &HealthBook {
        &self.outcome.merged.book
    }
}

/// What a refresh did.
#[derive(Debug, Clone, PartialEq)]
pub struct Refreshed {
    pub changes: RecordChanges,
    pub skipped: Vec<SkippedResource>,
    pub kept_staff_records: usize,
    /// Another person's resources the server sent, left out.
    pub foreign: usize,
}

#[derive(Clone, Copy)]
pub struct SyncService {
    store: BookStoreContext,
    open: OpenBook,
    running: RwSignal<Option<Running>>,
    /// Bumped when the settings or a book's sync status change, so their readers reload.
    revision: RwSignal<u64>,
    /// How the last refresh started here ended, for the book it was about (kept here, not in the
    /// panel, because the panel is rebuilt when the refreshed book reloads).
    last_refresh: RwSignal<Option<(CitizenId, Result<Refreshed, SyncProblem>)>>,
}

pub fn provide_sync() -> SyncService {
    let service = SyncService {
        store: use_book_store(),
        open: use_open_book(),
        running: RwSignal::new(None),
        revision: RwSignal::new(0),
        last_refresh: RwSignal::new(None),
    };
    provide_context(service);
    service
}

pub fn use_sync() -> SyncService {
    expect_context::<SyncService>()
}

/// Whether a book is kept up to date from `server_url`.
pub fn is_from_server(book: &HealthBook, server_url: &str) -> bool {
    matches!(&book.provenance.source, BookSource::Server { base_url, .. } if settings::same_server(base_url, server_url))
}

impl SyncService {
    pub fn running(&self) -> Option<Running> {
        self.running.get()
    }

    pub fn revision(&self) -> u64 {
        self.revision.get()
    }

    /// The result of the last refresh of this book in this session, if any.
    pub fn last_refresh(&self, citizen_id: &CitizenId) -> Option<Result<Refreshed, SyncProblem>> {
        self.last_refresh
            .get()
            .filter(|(id, _)| id == citizen_id)
            .map(|(_, result)| result)
    }

    /// Whether a sync runs, without subscribing to it.
    pub fn running_untracked(&self) -> bool {
        self.running.with_untracked(Option::is_some)
    }

    /// Asks the data worker to stop the running sync; it then ends as cancelled.
    pub fn cancel(&self) {
        if self.running_untracked() {
            leptos::task::spawn_local(job::cancel());
        }
    }

    pub async fn settings(&self) -> Result<SyncSettings, StorageError> {
        settings::load_settings(&self.store.store().await?).await
    }

    pub async fn save_settings(
        &self,
        new: &SyncSettings,
        token: TokenChange,
    ) -> Result<(), StorageError> {
        let store = self.store.store().await?;
        settings::save_settings(&store, new).await?;
        match token {
            TokenChange::Keep => {}
            TokenChange::Set(token) => {
                settings::save_token(&store, &new.server_url, Some(&token)).await?
            }
            TokenChange::Remove => settings::save_token(&store, &new.server_url, None).await?,
        }
        self.revision.update(|r| *r += 1);
        Ok(())
    }

    pub async fn has_token(&self) -> Result<bool, StorageError> {
        settings::has_token(&self.store.store().await?).await
    }

    pub async fn status(&self, citizen_id: &CitizenId) -> Result<SyncStatus, StorageError> {
        settings::load_status(&self.store.store().await?, citizen_id).await
    }

    /// Claims the one sync slot and reads what the worker needs for the configured server.
    async fn begin(
        &self,
        citizen_id: Option<CitizenId>,
    ) -> Result<(BookStore, Connection), SyncProblem> {
        if self.running.get_untracked().is_some() {
            return Err(SyncProblem::Sync(SyncFailure::AlreadyRunning));
        }
        self.running.set(Some(Running {
            citizen_id,
            progress: None,
        }));
        let prepared = async {
            let store = self.store.store().await?;
            let config = settings::load_settings(&store).await?;
            if !config.is_configured() {
                return Err(SyncProblem::Sync(SyncFailure::NotConfigured));
            }
            let server = config
                .server()
                .map_err(|_| SyncProblem::Sync(SyncFailure::NoServer))?;
            allowed_by_page_policy(&server).map_err(SyncProblem::Sync)?;
            let token = settings::load_token(&store, server.as_str()).await?;
            let connection = Connection {
                server: server.as_str().to_string(),
                token,
                timeout_ms: config.timeout_ms(),
            };
            Ok::<_, SyncProblem>((store, connection))
        }
        .await;
        if prepared.is_err() {
            self.running.set(None);
        }
        prepared
    }

    /// Runs `task` in the data worker, its progress shown by the sync progress line.
    async fn run(&self, connection: Connection, task: SyncTask) -> Result<SyncDone, SyncProblem> {
        let running = self.running;
        job::run(connection.job(task), move |progress| {
            running.update(|r| {
                if let Some(r) = r {
                    r.progress = Some(progress);
                }
            });
        })
        .await
        .map_err(SyncProblem::Sync)
    }

    fn end(&self) {
        self.running.set(None);
    }

    /// Looks a person up by citizen ID and fetches their whole record. Saves nothing.
    pub async fn fetch_book(&self, citizen_id: CitizenId) -> Result<FetchedBook, SyncProblem> {
        let (store, connection) = self.begin(None).await?;
        let result = async {
            let loaded = store.load_book(&citizen_id).await?;
            let stored = stored_book(loaded.as_ref());
            // Shared with the task: the page merges the worker's book onto it afterwards, and
            // the book is not held twice while the sync runs (serialized, it crosses once).
            let current = loaded.map(|l| Arc::new(l.book));
            let replaces = current
                .as_ref()
                .map(|c| (c.vaccinations.len(), c.prescriptions.len()));
            let task = SyncTask::AddBook {
                citizen_id,
                current: current.clone(),
            };
            let outcome = match self.run(connection, task).await.and_then(book_outcome)? {
                Handover::Changed(book) => book.into_outcome(current.as_deref()),
                // An add always brings a book: a worker saying otherwise is not this build's.
                Handover::Unchanged { .. } => {
                    return Err(SyncProblem::Sync(SyncFailure::UnreadableReply))
                }
            };
            Ok(FetchedBook {
                outcome,
                replaces,
                stored,
            })
        }
        .await;
        self.end();
        result
    }

    /// Saves a fetched book and its copy of the server's resources, in one transaction.
    pub async fn save_fetched(&self, fetched: &FetchedBook) -> Result<(), StorageError> {
        let store = self.store.store().await?;
        let book = fetched.book();
        let snapshot = &fetched.outcome.snapshot;
        let synced = [AuditEvent::about(book.citizen_id(), AuditAction::Synced)];
        store
            .save_book_with_setting_recorded(
                book,
                &settings::snapshot_key(book.citizen_id()),
                snapshot,
                Some(fetched.stored),
                &synced,
            )
            .await?;
        let now = clock::now();
        if let Some(status) = SyncStatus::default().after(now, Attempt::Succeeded { at: now }) {
            self.record_status(&store, book.citizen_id(), &status).await;
        }
        self.open.changed();
        Ok(())
    }

    /// Refreshes a stored book from the server and saves the result atomically. The outcome,
    /// failure or not, is remembered for "last synced" and "last failure".
    pub async fn refresh(&self, citizen_id: CitizenId) -> Result<Refreshed, SyncProblem> {
        let (store, connection) = self.begin(Some(citizen_id.clone())).await?;
        let started = clock::now();
        let result = async {
            let loaded = store
                .load_book(&citizen_id)
                .await?
                .ok_or(SyncProblem::Sync(SyncFailure::PatientGone))?;
            let stored = loaded.last_updated;
            // Shared with the task (see `fetch_book`).
            let current = Arc::new(loaded.book);
            // An unreadable copy only costs a full fetch.
            let snapshot = settings::load_snapshot(&store, &citizen_id)
                .await
                .unwrap_or_else(|e| {
                    crate::console_warn!(
                        "sync: the stored copy of the server's data is unreadable: {e}"
                    );
                    None
                });
            let task = SyncTask::Refresh {
                current: current.clone(),
                snapshot,
            };
            match self.run(connection, task).await.and_then(book_outcome)? {
                // Nothing new: the book and its copy stay as stored, nothing crossed back.
                Handover::Unchanged {
                    received,
                    foreign,
                    mode,
                } => {
                    crate::console_log!(
                        "sync: refresh {mode:?}, {received} resources received, nothing new"
                    );
                    Ok(Refreshed {
                        changes: RecordChanges::default(),
                        skipped: Vec::new(),
                        kept_staff_records: 0,
                        foreign,
                    })
                }
                Handover::Changed(book) => {
                    let outcome = book.into_outcome(Some(&current));
                    let merged = save_refreshed(&store, &outcome, stored).await?;
                    crate::console_log!(
                        "sync: refresh {:?}, {} resources received",
                        outcome.mode,
                        outcome.received
                    );
                    Ok(Refreshed {
                        changes: merged.changes,
                        skipped: outcome.skipped,
                        kept_staff_records: merged.kept_staff_records,
                        foreign: outcome.foreign,
                    })
                }
            }
        }
        .await;
        self.end();
        let attempt = match &result {
            Ok(_) => Attempt::Succeeded { at: clock::now() },
            Err(SyncProblem::Sync(SyncFailure::Cancelled)) => Attempt::Cancelled,
            Err(SyncProblem::Sync(f)) => Attempt::Failed(f.clone()),
            Err(SyncProblem::Storage(_)) => Attempt::Failed(SyncFailure::NotSaved),
        };
        if attempt != Attempt::Cancelled {
            let previous = settings::load_status(&store, &citizen_id)
                .await
                .unwrap_or_else(|e| {
                    crate::console_warn!(
                        "sync: the previous sync status is unreadable, starting afresh: {e}"
                    );
                    SyncStatus::default()
                });
            if let Some(status) = previous.after(started, attempt) {
                self.record_status(&store, &citizen_id, &status).await;
            }
        }
        self.last_refresh.set(Some((citizen_id, result.clone())));
        if result.is_ok() {
            self.open.changed();
        }
        result
    }

    async fn record_status(&self, store: &BookStore, citizen_id: &CitizenId, status: &SyncStatus) {
        // The book is already saved (or deliberately left alone); a status that cannot be
        // written only loses the "last failure" line, so it is reported, not returned.
        if let Err(e) = settings::save_status(store, citizen_id, status).await {
            crate::console_warn!("sync: could not record the sync status: {e}");
        }
        self.revision.update(|r| *r += 1);
    }
}

/// The configured server, as the worker gets it.
struct Connection {
    server: String,
    token: Option<BearerToken>,
    timeout_ms: u32,
}

impl Connection {
    fn job(self, task: SyncTask) -> SyncJob {
        SyncJob {
            server: self.server,
            token: self.token,
            timeout_ms: self.timeout_ms,
            max_attempts: None,
            task,
        }
    }
}

/// The page's Content-Security-Policy decides which servers the app may reach; the worker that
/// runs the sync is not under it, so a server it would block is refused here, with the message
/// the browser's refusal gave when the page fetched itself.
fn allowed_by_page_policy(
    server: &health_book::sync::server_address::ServerAddress,
) -> Result<(), SyncFailure> {
    if crate::browser::deployment::connect_allowed(server) {
        Ok(())
    } else {
        crate::console_warn!("sync: the page's connect-src does not allow this server");
        Err(SyncFailure::Network)
    }
}

/// The end of a sync of a book (a worker answering with anything else is not this build's).
fn book_outcome(done: SyncDone) -> Result<Handover, SyncProblem> {
    match done {
        SyncDone::Book(handover) => Ok(handover),
        SyncDone::ServerInfo(_) => Err(SyncProblem::Sync(SyncFailure::UnreadableReply)),
    }
}

fn stored_book(loaded: Option<&LoadedBook>) -> StoredBook {
    loaded.map_or(StoredBook::Absent, |l| StoredBook::SavedAt(l.last_updated))
}

/// Saves a refreshed book only over the book the refresh started from. When the book changed
/// on the device meanwhile (a staff entry, an import, another tab), the server's book is merged
/// again onto the one stored now, a few times at most; a book that is no longer this server's
/// is left alone and the person told.
async fn save_refreshed(
    store: &BookStore,
    outcome: &SyncOutcome<SnapshotJson>,
    started_from: time::OffsetDateTime,
) -> Result<health_book::sync::Merged, SyncProblem> {
    const ATTEMPTS: usize = 3;
    let key = settings::snapshot_key(outcome.merged.book.citizen_id());
    let mut merged = outcome.merged.clone();
    let mut expected = StoredBook::SavedAt(started_from);
    let synced = [AuditEvent::about(
        outcome.merged.book.citizen_id(),
        AuditAction::Synced,
    )];
    for _ in 0..ATTEMPTS {
        match store
            .save_book_with_setting_recorded(
                &merged.book,
                &key,
                &outcome.snapshot,
                Some(expected),
                &synced,
            )
            .await
        {
            Err(StorageError::ChangedMeanwhile) => {}
            other => return other.map(|()| merged).map_err(SyncProblem::from),
        }
        crate::console_log!("sync: the book changed during the refresh, merging again");
        let latest = store
            .load_book(merged.book.citizen_id())
            .await?
            .ok_or(SyncProblem::Sync(SyncFailure::ChangedMeanwhile))?;
        expected = StoredBook::SavedAt(latest.last_updated);
        merged = outcome
            .merge_onto(&latest.book)
            .ok_or(SyncProblem::Sync(SyncFailure::ChangedMeanwhile))?;
    }
    Err(SyncProblem::Sync(SyncFailure::ChangedMeanwhile))
}

/// What to do with the saved token when the settings are saved.
#[derive(Debug, Clone)]
pub enum TokenChange {
    Keep,
    Set(settings::BearerToken),
    Remove,
}

impl SyncService {
    /// Asks `url` for its CapabilityStatement, with the typed token or, if none was typed, the one
    /// saved for that server. Settles quickly: one retry at most.
    pub async fn test_connection(
        &self,
        url: &str,
        typed_token: Option<settings::BearerToken>,
        timeout_seconds: u32,
    ) -> Result<health_book::sync::ServerInfo, SyncFailure> {
        let server =
            health_book::sync::server_address::ServerAddress::parse(url).map_err(|e| match e {
                ServerAddressError::Empty => SyncFailure::NotConfigured,
                _ => SyncFailure::NoServer,
            })?;
        allowed_by_page_policy(&server)?;
        let token = match typed_token {
            Some(token) => Some(token),
            None => {
                let store = self
                    .store
                    .store()
                    .await
                    .map_err(|_| SyncFailure::NotSaved)?;
                settings::load_token(&store, server.as_str())
                    .await
                    .map_err(|_| SyncFailure::NotSaved)?
            }
        };
        let config = SyncSettings {
            server_url: server.as_str().to_string(),
            timeout_seconds,
            ..SyncSettings::default()
        };
        let job = SyncJob {
            server: server.as_str().to_string(),
            token,
            timeout_ms: config.timeout_ms(),
            max_attempts: Some(2),
            task: SyncTask::ServerInfo,
        };
        match job::run(job, |_| {}).await? {
            SyncDone::ServerInfo(info) => Ok(info),
            SyncDone::Book(_) => Err(SyncFailure::UnreadableReply),
        }
    }
}
