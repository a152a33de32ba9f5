//! The sync itself: find a person by citizen ID, fetch their records (all of them, or what changed
//! since the last sync), and map them into a book. HTTP, timers, randomness and the clock come
//! from a [`Transport`], so the same code runs in the browser and in native tests.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::{Duration, OffsetDateTime};

use super::bundle::{key_of_resource, parse_page, Page};
use super::capability::Capabilities;
use super::merge::{merge_synced, Merged, RecordChanges, SyncSource};
use super::plan::{
    self, refresh_plan, DeletionCheck, FullBecause, Plan, RecordSource, IDS_PER_SEARCH,
};
use super::retry::{http_date, parse_retry_after, Attempt, Decision, RetryPolicy};
use super::snapshot::{Admission, ServerSnapshot};
use super::SUPPORT_TYPES;
use crate::fhir::{
    import_resources, ImportLimits, ImportOptions, SkippedResource, NATIONAL_ID_SYSTEM,
};
use crate::model::{BookSource, HealthBook, RecordOrigin};
use crate::CitizenId;

mod profile_facts;

pub use super::error::SyncError;
pub use super::transport::{Phase, Progress, Request, Response, Transport, TransportError};

/// How a sync fetched the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SyncMode {
    Full(Option<FullBecause>),
    Incremental,
}

/// What a sync brought: the book to save with the copy it was mapped from. The app's data worker
/// runs the sync and hands the outcome to the page in the form of [`super::Handover`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncOutcome<S = ServerSnapshot> {
    pub merged: Merged,
    /// The copy of the server's resources the book was mapped from: the resources themselves in
    /// the sync, their JSON text on the page (`handover::SnapshotJson`).
    pub snapshot: S,
    /// Resources the domain crate could not use.
    pub skipped: Vec<SkippedResource>,
    /// Resources received in this sync.
    pub received: usize,
    /// Resources the server sent that belong to another person (or to nobody): left out, and
    /// counted for the person to be told.
    pub foreign: usize,
    pub mode: SyncMode,
    /// The server had nothing new: the book and its copy of the resources are the ones on the
    /// device, and there is nothing to save (the next refresh asks from the same point again,
    /// and gets the same nothing).
    pub unchanged: bool,
    /// The book as mapped from the server, before the device's records were merged in, and where
    /// it came from: what [`SyncOutcome::merge_onto`] merges again. `None` when unchanged.
    pub(super) rebase: Option<Box<(HealthBook, SyncSource)>>,
}

impl<S> SyncOutcome<S> {
    /// The server's book merged again onto `latest`, the book stored now, when the save found
    /// that the book changed on the device while the sync ran (a staff entry, another tab's
    /// save). Only onto this server's book of this patient: a book replaced meanwhile by an
    /// import or by another server's is not this sync's to overwrite (`None`: tell the person).
    pub fn merge_onto(&self, latest: &HealthBook) -> Option<Merged> {
        let (incoming, source) = self.rebase.as_deref()?;
        let same_book = matches!(
            &latest.provenance.source,
            BookSource::Server { base_url, patient_id }
                if base_url.trim_end_matches('/') == source.base_url
                    && *patient_id == source.patient_id
        );
        same_book.then(|| merge_synced(incoming.clone(), Some(latest), source))
    }
}

/// The person found by citizen ID.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundPatient {
    pub id: String,
    pub resource: Value,
}

/// The server's own description, for the connection test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerInfo {
    pub capabilities: Capabilities,
    /// The server's clock, from the `Date` header, when the browser may read it.
    pub server_time: Option<OffsetDateTime>,
}

pub struct Syncer<'t, T: Transport> {
    transport: &'t T,
    base_url: String,
    pub policy: RetryPolicy,
    /// Limits on each page, checked before parsing.
    pub page_limits: ImportLimits,
    /// Pages in one sync, all lists together.
    pub max_pages: usize,
    /// Bytes of all answers of one sync together (each answer is also capped by
    /// `page_limits.max_bytes`).
    pub max_total_bytes: usize,
}

/// Pages of 200 entries: 2,000 pages is 400,000 resources, far past any one person's record.
const MAX_PAGES: usize = 2_000;
/// A person's whole record is a few megabytes; 64 MB is far past it and still fits a phone.
pub const MAX_TOTAL_BYTES: usize = 64 * 1024 * 1024;
/// How far the device clock is trusted when the server's `Date` cannot be read.
const CLOCK_MARGIN: Duration = Duration::minutes(5);

/// What one sync has used so far.
#[derive(Default)]
struct Run {
    received: usize,
    pages: usize,
    bytes: usize,
    /// `Type/id` of the other people's resources left out.
    foreign: HashSet<String>,
}

/// When a sync started, by the device's clock and (when the browser may read `Date`) the server's.
struct SyncStart {
    device: OffsetDateTime,
    server: Option<OffsetDateTime>,
}

impl SyncStart {
    fn now(device: OffsetDateTime) -> Self {
        SyncStart {
            device,
            server: None,
        }
    }

    fn with_server_time(self, server: Option<OffsetDateTime>) -> Self {
        SyncStart { server, ..self }
    }

    /// Where the next refresh asks for changes from: the server's time at the start of this sync
    /// less a second (`Date` has whole seconds). Without it, the device clock cannot be trusted
    /// alone (a clock running fast would skip the changes in between), so the earlier of the
    /// device's start and the newest `meta.lastUpdated` the server has stamped on what this book
    /// holds, each less a margin: no change after this sync can be older than either.
    fn next_since(&self, snapshot: &ServerSnapshot) -> String {
        let at = match self.server {
            Some(t) => t - Duration::seconds(1),
            None => {
                let device = self.device - CLOCK_MARGIN;
                match snapshot.newest_update() {
                    Some(newest) => device.min(newest - CLOCK_MARGIN),
                    None => device,
                }
            }
        };
        plan::instant(at)
    }
}

impl<'t, T: Transport> Syncer<'t, T> {
    pub fn new(transport: &'t T, base_url: &str) -> Self {
        Syncer {
            transport,
            base_url: base_url.trim().trim_end_matches('/').to_string(),
            policy: RetryPolicy::default(),
            page_limits: ImportLimits::default(),
            max_pages: MAX_PAGES,
            max_total_bytes: MAX_TOTAL_BYTES,
        }
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    fn progress(&self, phase: Phase, run: &Run) {
        self.transport.progress(Progress {
            phase,
            resources: run.received,
            retry_attempt: None,
        });
    }

    /// `GET [base]/metadata`.
    pub async fn server_info(&self) -> Result<ServerInfo, SyncError> {
        self.server_info_in(&mut Run::default()).await
    }

    async fn server_info_in(&self, run: &mut Run) -> Result<ServerInfo, SyncError> {
        let response = self
            .get(
                &plan::metadata_url(&self.base_url),
                None,
                Phase::Connecting,
                run,
            )
            .await?;
        Ok(ServerInfo {
            capabilities: Capabilities::parse(&response.body)?,
            server_time: response.date.as_deref().and_then(http_date),
        })
    }

    /// The one Patient whose national ID is `citizen_id`.
    pub async fn find_patient(&self, citizen_id: &CitizenId) -> Result<FoundPatient, SyncError> {
        self.find_patient_in(citizen_id, &mut Run::default()).await
    }

    async fn find_patient_in(
        &self,
        citizen_id: &CitizenId,
        run: &mut Run,
    ) -> Result<FoundPatient, SyncError> {
        let url = plan::patient_search_url(&self.base_url, citizen_id);
        let response = self.get(&url, None, Phase::LookingUp, run).await?;
        let page = parse_page(&response.body, self.page_limits)?;
        let matches: Vec<Value> = page
            .entries
            .into_iter()
            .filter_map(|e| e.resource)
            .filter(|r| r.get("resourceType").and_then(Value::as_str) == Some("Patient"))
            .filter(|r| national_id(r).as_deref() == Some(citizen_id.as_str()))
            .collect();
        match matches.len() {
            0 => Err(SyncError::NoMatch),
            1 => {
                let resource = matches.into_iter().next().ok_or(SyncError::NoMatch)?;
                let id = resource
                    .get("id")
                    .and_then(Value::as_str)
                    .ok_or_else(|| SyncError::NotFhir {
                        detail: "a Patient without an id".into(),
                    })?
                    .to_string();
                Ok(FoundPatient { id, resource })
            }
            count => Err(SyncError::SeveralMatches { count }),
        }
    }

    /// Adds (or replaces) the book of `citizen_id` with everything the server has; `current` is the
    /// book already on the device, whose staff-entered records are kept.
    pub async fn add_book(
        &self,
        citizen_id: &CitizenId,
        current: Option<&HealthBook>,
    ) -> Result<SyncOutcome, SyncError> {
        let mut run = Run::default();
        let started = SyncStart::now(self.transport.now());
        let info = self.server_info_in(&mut run).await?;
        let started = started.with_server_time(info.server_time);
        let found = self.find_patient_in(citizen_id, &mut run).await?;
        let mut snapshot = ServerSnapshot::new(&self.base_url, &found.id, self.transport.now());
        snapshot.patient_etag = weak_etag(&found.resource);
        snapshot.upsert(found.resource);
        run.received += 1;
        self.full_fetch(&info.capabilities, &mut snapshot, &mut run)
            .await?;
        self.finish(
            snapshot,
            &started,
            citizen_id,
            current,
            run,
            SyncMode::Full(None),
        )
    }

    /// Refreshes a book that came from this server: incremental when possible, otherwise a full
    /// fetch. A book from another server (or from a file) is looked up again by citizen ID.
    pub async fn refresh(
        &self,
        current: &HealthBook,
        snapshot: Option<&ServerSnapshot>,
    ) -> Result<SyncOutcome, SyncError> {
        let citizen_id = current.citizen_id().clone();
        let patient_id = match &current.provenance.source {
            BookSource::Server {
                base_url,
                patient_id,
            } if base_url.trim_end_matches('/') == self.base_url => patient_id.clone(),
            _ => return self.add_book(&citizen_id, Some(current)).await,
        };
        let mut run = Run::default();
        let started = SyncStart::now(self.transport.now());
        let info = self.server_info_in(&mut run).await?;
        let started = started.with_server_time(info.server_time);
        let plan = refresh_plan(
            &info.capabilities,
            snapshot,
            &self.base_url,
            &patient_id,
            current.provenance.last_synced_at,
        );
        let (mut working, mode) = match (plan, snapshot) {
            (Ok(Plan::Incremental { since, records }), Some(previous)) => {
                let mut working = previous.clone();
                self.read_patient(&mut working, &mut run).await?;
                self.fetch_changes(&info.capabilities, records, &since, &mut working, &mut run)
                    .await?;
                if records == RecordSource::SearchPerType {
                    self.refresh_details(&since, &mut working, &mut run).await?;
                }
                self.apply_deletions(&info.capabilities, &since, &mut working, &mut run)
                    .await?;
                // New or changed records may point at details the device does not hold yet.
                self.fetch_references(&mut working, &mut run).await?;
                (working, SyncMode::Incremental)
            }
            (plan, _) => {
                let because = plan.err();
                let mut working =
                    ServerSnapshot::new(&self.base_url, &patient_id, self.transport.now());
                if let Some(previous) =
                    snapshot.filter(|s| s.patient_id == patient_id && s.base_url == self.base_url)
                {
                    // The Patient's ETag still saves its download when it did not change.
                    working.patient_etag = previous.patient_etag.clone();
                    if let Some(patient) = previous.patient() {
                        working.upsert(patient.clone());
                    }
                }
                self.read_patient(&mut working, &mut run).await?;
                self.full_fetch(&info.capabilities, &mut working, &mut run)
                    .await?;
                (working, SyncMode::Full(because))
            }
        };
        // A copy that matched the book (incremental, or full only for want of _history) and came
        // back identical: the book is already what the server has, nothing to map or save.
        let trusted = matches!(
            mode,
            SyncMode::Incremental | SyncMode::Full(Some(FullBecause::NoDeletionHistory))
        );
        if let Some(previous) = snapshot.filter(|_| trusted) {
            if previous.resources == working.resources
                && previous.patient_etag == working.patient_etag
            {
                return Ok(SyncOutcome {
                    merged: Merged {
                        book: current.clone(),
                        changes: RecordChanges::default(),
                        kept_staff_records: 0,
                        conflicts: 0,
                    },
                    snapshot: previous.clone(),
                    skipped: Vec::new(),
                    received: run.received,
                    foreign: run.foreign.len(),
                    mode,
                    unchanged: true,
                    rebase: None,
                });
            }
        }
        working.synced_at = self.transport.now();
        self.finish(working, &started, &citizen_id, Some(current), run, mode)
    }

    /// The Patient, conditionally: a 304 keeps the copy.
    async fn read_patient(
        &self,
        snapshot: &mut ServerSnapshot,
        run: &mut Run,
    ) -> Result<(), SyncError> {
        let url = plan::read_url(&self.base_url, "Patient", &snapshot.patient_id);
        let etag = snapshot
            .patient_etag
            .clone()
            .filter(|_| snapshot.patient().is_some());
        let response = match self.get(&url, etag.as_deref(), Phase::LookingUp, run).await {
            Err(SyncError::Refused {
                status: 404 | 410, ..
            }) => return Err(SyncError::PatientGone),
            other => other?,
        };
        if response.status == 304 {
            return Ok(());
        }
        run.received += 1;
        let patient: Value =
            serde_json::from_slice(&response.body).map_err(|_| SyncError::NotFhir {
                detail: "the Patient is not JSON".into(),
            })?;
        if patient.get("resourceType").and_then(Value::as_str) != Some("Patient") {
            return Err(SyncError::NotFhir {
                detail: "the answer to a Patient read is not a Patient".into(),
            });
        }
        if snapshot.admit(&patient) != Admission::Own {
            return Err(SyncError::WrongPerson);
        }
        snapshot.patient_etag = response.etag.or_else(|| weak_etag(&patient));
        snapshot.upsert(patient);
        Ok(())
    }

    async fn full_fetch(
        &self,
        capabilities: &Capabilities,
        snapshot: &mut ServerSnapshot,
        run: &mut Run,
    ) -> Result<(), SyncError> {
        let source = plan::record_source(capabilities);
        let mut urls = plan::record_urls(&self.base_url, source, &snapshot.patient_id, None);
        urls.extend(plan::care_urls(
            &self.base_url,
            capabilities,
            &snapshot.patient_id,
            None,
        ));
        for url in urls {
            self.each_page(url, Phase::FetchingRecords, run, |page, run| {
                keep_own(snapshot, page, run)
            })
            .await?;
        }
        self.fetch_profile_facts(source, None, snapshot, run)
            .await?;
        self.fetch_references(snapshot, run).await
    }

    async fn fetch_changes(
        &self,
        capabilities: &Capabilities,
        source: RecordSource,
        since: &str,
        snapshot: &mut ServerSnapshot,
        run: &mut Run,
    ) -> Result<(), SyncError> {
        let mut urls = plan::record_urls(&self.base_url, source, &snapshot.patient_id, Some(since));
        urls.extend(plan::care_urls(
            &self.base_url,
            capabilities,
            &snapshot.patient_id,
            Some(since),
        ));
        for url in urls {
            self.each_page(url, Phase::FetchingRecords, run, |page, run| {
                keep_own(snapshot, page, run)
            })
            .await?;
        }
        self.fetch_profile_facts(source, Some(since), snapshot, run)
            .await
    }

    /// The details the device holds (Organizations, Practitioners, Medications, ...) that changed
    /// since the last sync. `$everything?_since=` brings them with the records; a search per
    /// record type does not, so they are asked for by `_id`, changed after `since`.
    async fn refresh_details(
        &self,
        since: &str,
        snapshot: &mut ServerSnapshot,
        run: &mut Run,
    ) -> Result<(), SyncError> {
        for (resource_type, ids) in snapshot.held(&SUPPORT_TYPES) {
            for chunk in ids.chunks(IDS_PER_SEARCH) {
                let url = plan::changed_ids_url(&self.base_url, &resource_type, chunk, since);
                self.each_page(url, Phase::FetchingReferences, run, |page, run| {
                    keep_own(snapshot, page, run)
                })
                .await?;
            }
        }
        Ok(())
    }

    /// What the server removed since the last sync, of every type the device keeps, each as
    /// [`plan::deletion_checks`] says: by the type's `_history`
    /// ([`Self::apply_deletions_of`]) or by listing it whole ([`Self::replace_listed`]).
    async fn apply_deletions(
        &self,
        capabilities: &Capabilities,
        since: &str,
        snapshot: &mut ServerSnapshot,
        run: &mut Run,
    ) -> Result<(), SyncError> {
        let patient_id = snapshot.patient_id.clone();
        for (resource_type, check) in
            plan::deletion_checks(&self.base_url, capabilities, &patient_id)
        {
            match check {
                DeletionCheck::History => {
                    self.apply_deletions_of(resource_type, since, snapshot, run)
                        .await?
                }
                DeletionCheck::WholeListing(url) => {
                    self.replace_listed(resource_type, url, snapshot, run)
                        .await?
                }
            }
        }
        Ok(())
    }

    /// One type listed whole again: what the device held of it is replaced by the listing. A
    /// resource a record points at (a Condition as a diagnosis) stays: the records' references
    /// are fetched and pruned on their own.
    async fn replace_listed(
        &self,
        resource_type: &str,
        whole: String,
        snapshot: &mut ServerSnapshot,
        run: &mut Run,
    ) -> Result<(), SyncError> {
        let mut listed =
            ServerSnapshot::new(&self.base_url, &snapshot.patient_id, snapshot.synced_at);
        self.each_page(whole, Phase::CheckingDeletions, run, |page, run| {
            keep_own(&mut listed, page, run)
        })
        .await?;
        let prefix = format!("{resource_type}/");
        let referenced = referenced_keys(snapshot);
        snapshot
            .resources
            .retain(|key, _| !key.starts_with(&prefix) || referenced.contains(key));
        for (_, resource) in listed.resources {
            snapshot.upsert(resource);
        }
        Ok(())
    }

    /// One type's `_history` since the last sync, newest first: the newest entry of a resource
    /// the device holds decides. A deletion removes it; a version that no longer belongs to
    /// this person (moved to another record) removes it too.
    async fn apply_deletions_of(
        &self,
        resource_type: &str,
        since: &str,
        snapshot: &mut ServerSnapshot,
        run: &mut Run,
    ) -> Result<(), SyncError> {
        {
            let mut seen = HashSet::new();
            let url = plan::history_url(&self.base_url, resource_type, since);
            self.each_page(url, Phase::CheckingDeletions, run, |page, _| {
                for entry in page.entries {
                    let Some(key) = entry.key.clone() else {
                        continue;
                    };
                    if !seen.insert(key.clone()) || !snapshot.contains(&key) {
                        continue;
                    }
                    let belongs = entry
                        .resource
                        .as_ref()
                        .is_some_and(|r| snapshot.belongs_to_patient(r));
                    if entry.is_deletion() || !belongs {
                        snapshot.remove(&key);
                    } else if let Some(resource) = entry.resource {
                        snapshot.upsert(resource);
                    }
                }
            })
            .await?;
        }
        Ok(())
    }

    /// Organizations, Practitioners and the like that records point at but the listing left
    /// out (a search has no `$everything` to bring them), by `_id` in batches; then drops the
    /// ones no record uses any more.
    async fn fetch_references(
        &self,
        snapshot: &mut ServerSnapshot,
        run: &mut Run,
    ) -> Result<(), SyncError> {
        let mut asked = HashSet::new();
        // Two rounds: a fetched resource may itself point at another (an Encounter's provider).
        for _ in 0..2 {
            let missing = snapshot.missing_references(&SUPPORT_TYPES);
            let mut any = false;
            for (resource_type, ids) in missing {
                let ids: Vec<String> = ids
                    .into_iter()
                    .filter(|id| asked.insert(format!("{resource_type}/{id}")))
                    .collect();
                for chunk in ids.chunks(IDS_PER_SEARCH) {
                    any = true;
                    let url = plan::ids_url(&self.base_url, &resource_type, chunk);
                    self.each_page(url, Phase::FetchingReferences, run, |page, run| {
                        keep_own(snapshot, page, run)
                    })
                    .await?;
                }
            }
            if !any {
                break;
            }
        }
        prune_unreferenced(snapshot);
        Ok(())
    }

    /// Follows a list through its `next` links, handing each page to `take`.
    async fn each_page(
        &self,
        first: String,
        phase: Phase,
        run: &mut Run,
        mut take: impl FnMut(Page, &mut Run),
    ) -> Result<(), SyncError> {
        let mut next = Some(first);
        while let Some(url) = next.take() {
            run.pages += 1;
            if run.pages > self.max_pages {
                return Err(SyncError::TooManyPages {
                    limit: self.max_pages,
                });
            }
            let response = self.get(&url, None, phase, run).await?;
            let page = parse_page(&response.body, self.page_limits)?;
            run.received += page.entries.len();
            next = page
                .next
                .as_deref()
                .map(|n| self.same_server(n))
                .transpose()?;
            take(page, run);
            self.progress(phase, run);
        }
        Ok(())
    }

    /// A `next` link, refused unless it is on this server: the bearer token goes with every
    /// request, and must not follow a link elsewhere.
    fn same_server(&self, link: &str) -> Result<String, SyncError> {
        if !link.starts_with("http://") && !link.starts_with("https://") {
            return Ok(format!(
                "{}/{}",
                self.base_url,
                link.trim_start_matches('/')
            ));
        }
        let rest = link
            .strip_prefix(self.base_url.as_str())
            .ok_or(SyncError::ForeignLink)?;
        if rest.is_empty() || rest.starts_with('/') || rest.starts_with('?') {
            Ok(link.to_string())
        } else {
            Err(SyncError::ForeignLink)
        }
    }

    fn finish(
        &self,
        mut snapshot: ServerSnapshot,
        started: &SyncStart,
        citizen_id: &CitizenId,
        current: Option<&HealthBook>,
        run: Run,
        mode: SyncMode,
    ) -> Result<SyncOutcome, SyncError> {
        self.progress(Phase::Mapping, &run);
        let synced_at = self.transport.now();
        let options = ImportOptions {
            source: BookSource::Server {
                base_url: self.base_url.clone(),
                patient_id: snapshot.patient_id.clone(),
            },
            default_origin: RecordOrigin::Synced {
                source: self.base_url.clone(),
            },
            fetched_at: Some(synced_at),
            // The resources are mapped as they are, with no text to limit: each page was checked
            // against the limits as it came.
            limits: ImportLimits::default(),
        };
        let imported =
            import_resources(snapshot.resources.values(), &options).map_err(SyncError::Import)?;
        if imported.book.citizen_id() != citizen_id {
            return Err(SyncError::WrongPerson);
        }
        let patient = snapshot.patient();
        let meta = |field: &str| {
            patient
                .and_then(|p| p.pointer(&format!("/meta/{field}")))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let source = SyncSource {
            base_url: self.base_url.clone(),
            patient_id: snapshot.patient_id.clone(),
            patient_version: meta("versionId"),
            patient_updated_at: meta("lastUpdated").and_then(|t| {
                OffsetDateTime::parse(&t, &time::format_description::well_known::Rfc3339).ok()
            }),
            synced_at,
        };
        snapshot.since = Some(started.next_since(&snapshot));
        snapshot.synced_at = synced_at;
        Ok(SyncOutcome {
            merged: merge_synced(imported.book.clone(), current, &source),
            snapshot,
            skipped: imported.report.skipped,
            received: run.received,
            foreign: run.foreign.len(),
            mode,
            unchanged: false,
            rebase: Some(Box::new((imported.book, source))),
        })
    }

    /// One GET, retried as the policy says.
    async fn get(
        &self,
        url: &str,
        if_none_match: Option<&str>,
        phase: Phase,
        run: &mut Run,
    ) -> Result<Response, SyncError> {
        let received = run.received;
        let mut attempt = 1;
        loop {
            // Each attempt may read only what is left of the sync's total (error answers
            // retried before count too).
            let left = self.max_total_bytes.saturating_sub(run.bytes);
            let request = Request {
                url: url.to_string(),
                if_none_match: if_none_match.map(str::to_string),
                max_bytes: self.page_limits.max_bytes.min(left),
            };
            let too_large = if left < self.page_limits.max_bytes {
                SyncError::SyncTooLarge {
                    limit: self.max_total_bytes,
                }
            } else {
                SyncError::AnswerTooLarge {
                    limit: self.page_limits.max_bytes,
                }
            };
            let result = bounded(&request, self.transport.get(&request).await);
            if let Ok(response) = &result {
                run.bytes += response.body.len();
            }
            let (outcome, retry_after) = match &result {
                Ok(r) => (
                    Attempt::Status(r.status),
                    r.retry_after
                        .as_deref()
                        .and_then(|v| parse_retry_after(v, self.transport.now())),
                ),
                Err(TransportError::Cancelled) => return Err(SyncError::Cancelled),
                Err(TransportError::TooLarge { .. }) => return Err(too_large),
                Err(TransportError::Redirected) => return Err(SyncError::Redirected),
                Err(TransportError::Network) => (Attempt::Network, None),
                Err(TransportError::Timeout) => (Attempt::Timeout, None),
            };
            match self
                .policy
                .decide(attempt, outcome, retry_after, self.transport.jitter())
            {
                Decision::Done | Decision::GiveUp => {
                    return answer(result, if_none_match.is_some(), retry_after, too_large)
                }
                Decision::RetryAfter { ms } => {
                    attempt += 1;
                    self.transport.progress(Progress {
                        phase,
                        resources: received,
                        retry_attempt: Some(attempt),
                    });
                    self.transport
                        .sleep(ms)
                        .await
                        .map_err(|_| SyncError::Cancelled)?;
                }
            }
        }
    }
}

fn answer(
    result: Result<Response, TransportError>,
    conditional: bool,
    retry_after_ms: Option<u32>,
    too_large: SyncError,
) -> Result<Response, SyncError> {
    let response = match result {
        Ok(r) => r,
        Err(TransportError::Network) => return Err(SyncError::Network),
        Err(TransportError::Timeout) => return Err(SyncError::Timeout),
        Err(TransportError::Cancelled) => return Err(SyncError::Cancelled),
        Err(TransportError::Redirected) => return Err(SyncError::Redirected),
        Err(TransportError::TooLarge { .. }) => return Err(too_large),
    };
    match response.status {
        200..=299 => Ok(response),
        304 if conditional => Ok(response),
        300..=399 => Err(SyncError::Redirected),
        401 | 403 => Err(SyncError::Unauthorized {
            status: response.status,
        }),
        429 => Err(SyncError::RateLimited { retry_after_ms }),
        status @ 500..=599 => Err(SyncError::Server {
            status,
            message: outcome_text(&response.body),
        }),
        status => Err(SyncError::Refused {
            status,
            message: outcome_text(&response.body),
        }),
    }
}

/// What an OperationOutcome says, for the person (first issue, at most 200 characters).
pub fn outcome_text(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let issue = value.get("issue")?.get(0)?;
    let text = issue
        .get("diagnostics")
        .and_then(Value::as_str)
        .or_else(|| issue.pointer("/details/text").and_then(Value::as_str))?;
    Some(text.chars().take(200).collect())
}

/// The cap of [`Request::body_limit`], checked again whatever the transport did: an answer over
/// it is refused. An error answer over it keeps its status (still retried, still reported), with
/// its body dropped.
fn bounded(
    request: &Request,
    result: Result<Response, TransportError>,
) -> Result<Response, TransportError> {
    match result {
        Ok(response) if response.body.len() > request.body_limit(response.status) => {
            Err(TransportError::TooLarge {
                status: response.status,
            })
        }
        other => other,
    }
    .or_else(|e| match e {
        TransportError::TooLarge { status } if !(200..300).contains(&status) => Ok(Response {
            status,
            ..Response::default()
        }),
        e => Err(e),
    })
}

fn national_id(patient: &Value) -> Option<String> {
    patient
        .get("identifier")?
        .as_array()?
        .iter()
        .find(|i| i.get("system").and_then(Value::as_str) == Some(NATIONAL_ID_SYSTEM))?
        .get("value")?
        .as_str()
        .map(|v| v.trim().to_string())
}

fn weak_etag(resource: &Value) -> Option<String> {
    resource
        .pointer("/meta/versionId")
        .and_then(Value::as_str)
        .map(|v| format!("W/\"{v}\""))
}

/// Adds a page's resources that belong to this person; another person's are left out and
/// counted, whatever list brought them (a server may ignore `patient=`, or `$everything` may
/// reach too far).
fn keep_own(snapshot: &mut ServerSnapshot, page: Page, run: &mut Run) {
    for resource in page.entries.into_iter().filter_map(|e| e.resource) {
        match snapshot.admit(&resource) {
            Admission::Own => {
                snapshot.upsert(resource);
            }
            Admission::Foreign => {
                if let Some(key) = key_of_resource(&resource) {
                    run.foreign.insert(key);
                }
            }
            Admission::Ignored => {}
        }
    }
}

/// Drops supporting resources (Organization, ...) nothing points at any more. A Condition
/// that names this person is one of their problem-list entries and stays.
fn prune_unreferenced(snapshot: &mut ServerSnapshot) {
    let referenced = referenced_keys(snapshot);
    let problems: HashSet<String> = snapshot
        .resources
        .iter()
        .filter(|(key, r)| key.starts_with("Condition/") && snapshot.belongs_to_patient(r))
        .map(|(key, _)| key.clone())
        .collect();
    snapshot.resources.retain(|key, _| {
        let t = key.split('/').next().unwrap_or("");
        !SUPPORT_TYPES.contains(&t) || referenced.contains(key) || problems.contains(key)
    });
}

/// Every `Type/id` some held resource references.
fn referenced_keys(snapshot: &ServerSnapshot) -> HashSet<String> {
    fn collect(value: &Value, found: &mut HashSet<String>) {
        match value {
            Value::Object(map) => {
                if let Some(key) = map
                    .get("reference")
                    .and_then(Value::as_str)
                    .and_then(super::bundle::key_of_reference)
                {
                    found.insert(key);
                }
                map.values().for_each(|v| collect(v, found));
            }
            Value::Array(items) => items.iter().for_each(|v| collect(v, found)),
            _ => {}
        }
    }
    let mut referenced = HashSet::new();
    for resource in snapshot.resources.values() {
        collect(resource, &mut referenced);
    }
    referenced
}
