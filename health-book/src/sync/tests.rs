//! The sync against a small fake FHIR server: paging, `$everything` or per-type searches,
//! incremental refresh with deletions, conditional reads, retries and cancellation.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};
use std::future::{ready, Future};
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use super::plan::FullBecause;
use super::*;
use crate::fhir::{export_book, export_books, NATIONAL_ID_SYSTEM};
use crate::generate::{self, BookShape};
use crate::model::{HealthBook, RecordOrigin};
use crate::CitizenId;

const BASE: &str = "http://fake.test/fhir";

fn block_on<F: Future>(future: F) -> F::Output {
    let mut cx = Context::from_waker(Waker::noop());
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
            return value;
        }
    }
}

#[derive(Debug, Clone)]
enum Fault {
    Status(u16, Option<&'static str>),
    Network,
    Timeout,
    /// An answer with this status and a body of this many bytes.
    Oversized(u16, usize),
}

struct Change {
    at: OffsetDateTime,
    key: String,
    resource: Option<Value>,
}

/// A FHIR server in memory: enough search, `$everything`, `_history` and paging to drive the sync.
struct FakeServer {
    clock: OffsetDateTime,
    resources: BTreeMap<String, Value>,
    changes: Vec<Change>,
    everything: bool,
    history: bool,
    /// Whether `_history` is reported for the standing facts (allergies, conditions, blood group)
    /// too; without it a refresh lists them whole.
    profile_history: bool,
    /// Entries per page, whatever `_count` asks (forces paging).
    page_cap: usize,
    faults: VecDeque<(String, Fault)>,
    next_link_base: Option<String>,
    log: Vec<Request>,
    version: u64,
    /// Searches ignore `patient=` and `$everything` hands out everyone's records, as a
    /// second engine did with `ImmunizationRecommendation?patient=`.
    ignore_patient_filter: bool,
    /// Whether answers carry a `Date` header the client may read.
    send_date: bool,
    /// What the capability statement says of appointments and referrals.
    care: CareSupport,
}

/// How a server lists `Appointment` and `ServiceRequest` in its capability statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CareSupport {
    /// Not at all (`$everything` may still return them).
    Unlisted,
    /// Searchable, with no `_history`.
    SearchOnly,
    /// Searchable, with `_history` (when the server keeps history at all).
    History,
}

impl FakeServer {
    fn new() -> Self {
        FakeServer {
            clock: datetime!(2026-03-01 08:00 UTC),
            resources: BTreeMap::new(),
            changes: Vec::new(),
            everything: true,
            history: true,
            profile_history: true,
            page_cap: 7,
            faults: VecDeque::new(),
            next_link_base: None,
            log: Vec::new(),
            version: 0,
            ignore_patient_filter: false,
            send_date: true,
            care: CareSupport::Unlisted,
        }
    }

    fn tick(&mut self) -> OffsetDateTime {
        self.clock += Duration::seconds(3);
        self.clock
    }

    fn put(&mut self, mut resource: Value) -> String {
        let at = self.tick();
        self.version += 1;
        resource["meta"] = json!({ "versionId": self.version.to_string(), "lastUpdated": at.format(&Rfc3339).unwrap() });
        let key = format!(
            "{}/{}",
            resource["resourceType"].as_str().unwrap(),
            resource["id"].as_str().unwrap()
        );
        self.changes.push(Change {
            at,
            key: key.clone(),
            resource: Some(resource.clone()),
        });
        self.resources.insert(key.clone(), resource);
        key
    }

    fn update(&mut self, key: &str, change: impl FnOnce(&mut Value)) {
        let mut resource = self.resources[key].clone();
        change(&mut resource);
        self.put(resource);
    }

    fn delete(&mut self, key: &str) {
        let at = self.tick();
        self.resources.remove(key);
        self.changes.push(Change {
            at,
            key: key.into(),
            resource: None,
        });
    }

    /// A book as the health system holds it: the export's resources without the app's own
    /// record-origin extensions (records then import with the sync's default origin).
    fn seed(&mut self, book: &HealthBook) -> String {
        self.seed_bundle(serde_json::to_value(export_book(book)).unwrap(), "")
    }

    /// A second person, whose resource ids differ from the first's (`p2-...`).
    fn seed_second(&mut self, book: &HealthBook) -> String {
        let bundle = export_books(&[book.clone(), book.clone()]);
        self.seed_bundle(serde_json::to_value(bundle).unwrap(), "p2")
    }

    fn seed_bundle(&mut self, bundle: Value, id_prefix: &str) -> String {
        let mut patient_id = String::new();
        for entry in bundle["entry"].as_array().unwrap() {
            let mut resource = entry["resource"].clone();
            if !resource["id"].as_str().unwrap().starts_with(id_prefix) {
                continue;
            }
            if let Some(exts) = resource.get_mut("extension").and_then(Value::as_array_mut) {
                exts.retain(|e| {
                    e["url"] != crate::fhir::ext::RECORD_ORIGIN
                        && e["url"] != crate::fhir::ext::BOOK_PROVENANCE
                });
            }
            resource.as_object_mut().unwrap().remove("meta");
            if resource["resourceType"] == "Patient" {
                patient_id = resource["id"].as_str().unwrap().to_string();
            }
            self.put(resource);
        }
        patient_id
    }

    fn key_by_record_id(&self, resource_type: &str, record_id: &str) -> String {
        self.resources
            .iter()
            .find(|(k, r)| {
                k.starts_with(&format!("{resource_type}/"))
                    && r["identifier"]
                        .as_array()
                        .is_some_and(|ids| ids.iter().any(|i| i["value"] == record_id))
            })
            .map(|(k, _)| k.clone())
            .unwrap()
    }

    fn answer(&mut self, request: &Request) -> Result<Response, TransportError> {
        self.log.push(request.clone());
        if let Some(i) = self
            .faults
            .iter()
            .position(|(m, _)| request.url.contains(m.as_str()))
        {
            let (_, fault) = self.faults.remove(i).unwrap();
            return match fault {
                Fault::Status(status, retry_after) => Ok(Response {
                    status,
                    retry_after: retry_after.map(str::to_string),
                    body: json!({ "resourceType": "OperationOutcome", "issue": [{ "diagnostics": "injected" }] }).to_string().into_bytes(),
                    ..Response::default()
                }),
                Fault::Network => Err(TransportError::Network),
                Fault::Timeout => Err(TransportError::Timeout),
                Fault::Oversized(status, bytes) => Ok(Response {
                    status,
                    body: vec![b' '; bytes],
                    ..Response::default()
                }),
            };
        }
        let date = self.send_date.then(|| {
            format!(
                "{} GMT",
                self.clock
                    .format(&time::format_description::well_known::Rfc2822)
                    .unwrap()
                    .trim_end_matches(" +0000")
            )
        });
        let ignore_patient = self.ignore_patient_filter;
        let rest = request
            .url
            .strip_prefix(BASE)
            .unwrap()
            .trim_start_matches('/');
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let params: BTreeMap<String, String> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.to_string(), decode(v)))
            .collect();
        let segments: Vec<&str> = path.split('/').collect();
        let ok = |body: Value| {
            Ok(Response {
                status: 200,
                body: body.to_string().into_bytes(),
                date: date.clone(),
                ..Response::default()
            })
        };
        let since = params
            .get("_since")
            .map(|s| OffsetDateTime::parse(s, &Rfc3339).unwrap());
        match segments.as_slice() {
            ["metadata"] => ok(self.capabilities()),
            ["Patient"] if params.contains_key("identifier") => {
                let (_, cid) = params["identifier"].split_once('|').unwrap();
                let found: Vec<Value> = self
                    .resources
                    .values()
                    .filter(|r| {
                        r["resourceType"] == "Patient"
                            && r["identifier"]
                                .as_array()
                                .unwrap()
                                .iter()
                                .any(|i| i["system"] == NATIONAL_ID_SYSTEM && i["value"] == cid)
                    })
                    .cloned()
                    .collect();
                ok(self.page("searchset", found, &request.url, &params))
            }
            ["Patient", id] => match self.resources.get(&format!("Patient/{id}")) {
                None => Ok(Response {
                    status: 404,
                    ..Response::default()
                }),
                Some(p) => {
                    let etag = format!("W/\"{}\"", p["meta"]["versionId"].as_str().unwrap());
                    if request.if_none_match.as_deref() == Some(etag.as_str()) {
                        return Ok(Response {
                            status: 304,
                            etag: Some(etag),
                            date,
                            ..Response::default()
                        });
                    }
                    Ok(Response {
                        status: 200,
                        etag: Some(etag),
                        body: p.to_string().into_bytes(),
                        date,
                        ..Response::default()
                    })
                }
            },
            ["Patient", id, "$everything"] if self.everything => {
                let own = format!("Patient/{id}");
                let mut found: Vec<Value> = self
                    .resources
                    .values()
                    .filter(|r| {
                        ignore_patient
                            || r["patient"]["reference"] == own.as_str()
                            || r["subject"]["reference"] == own.as_str()
                            || r["participant"][0]["actor"]["reference"] == own.as_str()
                            || r["resourceType"] == "Patient" && r["id"] == *id
                    })
                    .cloned()
                    .collect();
                // Referenced Organizations and Practitioners too, as $everything does.
                let referenced: Vec<Value> = self
                    .resources
                    .iter()
                    .filter(|(k, _)| {
                        k.starts_with("Organization/") || k.starts_with("Practitioner/")
                    })
                    .filter(|(k, _)| {
                        found
                            .iter()
                            .any(|r| r.to_string().contains(&format!("\"{k}\"")))
                    })
                    .map(|(_, r)| r.clone())
                    .collect();
                found.extend(referenced);
                found.retain(|r| since.is_none_or(|s| last_updated(r) > s));
                ok(self.page("searchset", found, &request.url, &params))
            }
            [resource_type, "_history"] if self.history => {
                let entries: Vec<Value> = self
                    .changes
                    .iter()
                    .rev()
                    .filter(|c| {
                        c.key.starts_with(&format!("{resource_type}/"))
                            && since.is_none_or(|s| c.at > s)
                    })
                    .map(|c| match &c.resource {
                        Some(r) => {
                            json!({ "resource": r, "request": { "method": "PUT", "url": c.key } })
                        }
                        None => json!({ "request": { "method": "DELETE", "url": c.key } }),
                    })
                    .collect();
                ok(self.page_entries("history", entries, &request.url, &params))
            }
            [resource_type] => {
                let gt = params
                    .get("_lastUpdated")
                    .map(|v| OffsetDateTime::parse(v.trim_start_matches("gt"), &Rfc3339).unwrap());
                let ids: Option<Vec<&str>> = params.get("_id").map(|v| v.split(',').collect());
                let found: Vec<Value> = self
                    .resources
                    .values()
                    .filter(|r| r["resourceType"] == *resource_type)
                    .filter(|r| {
                        ignore_patient
                            || params.get("patient").is_none_or(|p| {
                                r["patient"]["reference"] == p.as_str()
                                    || r["subject"]["reference"] == p.as_str()
                                    || r["participant"][0]["actor"]["reference"] == p.as_str()
                            })
                    })
                    .filter(|r| {
                        ids.as_ref()
                            .is_none_or(|ids| ids.contains(&r["id"].as_str().unwrap()))
                    })
                    .filter(|r| gt.is_none_or(|g| last_updated(r) > g))
                    .cloned()
                    .collect();
                ok(self.page("searchset", found, &request.url, &params))
            }
            _ => Ok(Response {
                status: 404,
                ..Response::default()
            }),
        }
    }

    fn capabilities(&self) -> Value {
        let interactions: Vec<Value> = if self.history {
            vec![
                json!({ "code": "read" }),
                json!({ "code": "search-type" }),
                json!({ "code": "history-type" }),
            ]
        } else {
            vec![json!({ "code": "read" }), json!({ "code": "search-type" })]
        };
        let care: &[&str] = match self.care {
            CareSupport::Unlisted => &[],
            CareSupport::SearchOnly | CareSupport::History => &CARE_TYPES,
        };
        let resources: Vec<Value> = ["Patient", "Immunization", "ImmunizationRecommendation", "MedicationRequest", "Organization", "Practitioner", "AllergyIntolerance", "Condition", "Observation"]
            .iter()
            .chain(care)
            .map(|t| {
                let mut r = json!({ "type": t, "interaction": interactions });
                let search_only = !self.profile_history && PROFILE_TYPES.contains(t)
                    || self.care == CareSupport::SearchOnly && CARE_TYPES.contains(t);
                if search_only {
                    r["interaction"] = json!([{ "code": "read" }, { "code": "search-type" }]);
                }
                if *t == "Patient" && self.everything {
                    r["operation"] = json!([{ "name": "everything", "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything" }]);
                }
                r
            })
            .collect();
        json!({ "resourceType": "CapabilityStatement", "fhirVersion": "4.0.1", "software": { "name": "Fake" }, "rest": [{ "mode": "server", "resource": resources }] })
    }

    fn page(
        &self,
        kind: &str,
        resources: Vec<Value>,
        url: &str,
        params: &BTreeMap<String, String>,
    ) -> Value {
        let entries = resources
            .into_iter()
            .map(|r| json!({ "resource": r }))
            .collect();
        self.page_entries(kind, entries, url, params)
    }

    fn page_entries(
        &self,
        kind: &str,
        entries: Vec<Value>,
        url: &str,
        params: &BTreeMap<String, String>,
    ) -> Value {
        let offset: usize = params.get("_offset").map_or(0, |o| o.parse().unwrap());
        let count = params
            .get("_count")
            .map_or(20, |c| c.parse::<usize>().unwrap())
            .min(self.page_cap);
        let total = entries.len();
        let slice: Vec<Value> = entries.into_iter().skip(offset).take(count).collect();
        let mut bundle =
            json!({ "resourceType": "Bundle", "type": kind, "total": total, "entry": slice });
        if offset + count < total {
            let base = url.split("&_offset=").next().unwrap();
            let next = format!("{base}&_offset={}", offset + count);
            let next = match &self.next_link_base {
                Some(other) => next.replace(BASE, other),
                None => next,
            };
            bundle["link"] = json!([{ "relation": "next", "url": next }]);
        }
        bundle
    }
}

fn last_updated(resource: &Value) -> OffsetDateTime {
    OffsetDateTime::parse(resource["meta"]["lastUpdated"].as_str().unwrap(), &Rfc3339).unwrap()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(
                u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap(), 16).unwrap(),
            );
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

struct FakeTransport {
    server: RefCell<FakeServer>,
    now: Cell<OffsetDateTime>,
    slept: RefCell<Vec<u32>>,
    progress: RefCell<Vec<Progress>>,
    /// Cancel when this many requests have been made.
    cancel_at: Cell<Option<usize>>,
    /// Stop reading a body over the request's limit, as the browser transport does (off: the
    /// sync's own check must catch it).
    counts_bodies: Cell<bool>,
}

impl FakeTransport {
    fn new(server: FakeServer) -> Self {
        FakeTransport {
            now: Cell::new(server.clock + Duration::minutes(1)),
            server: RefCell::new(server),
            slept: RefCell::new(Vec::new()),
            progress: RefCell::new(Vec::new()),
            cancel_at: Cell::new(None),
            counts_bodies: Cell::new(true),
        }
    }

    fn requests(&self) -> Vec<String> {
        self.server
            .borrow()
            .log
            .iter()
            .map(|r| r.url.clone())
            .collect()
    }

    fn clear_log(&self) {
        self.server.borrow_mut().log.clear();
        self.slept.borrow_mut().clear();
    }
}

impl Transport for FakeTransport {
    fn get(&self, request: &Request) -> impl Future<Output = Result<Response, TransportError>> {
        let mut server = self.server.borrow_mut();
        if self.cancel_at.get().is_some_and(|n| server.log.len() >= n) {
            return ready(Err(TransportError::Cancelled));
        }
        self.now.set(self.now.get() + Duration::milliseconds(10));
        let answer = match server.answer(request) {
            Ok(r) if self.counts_bodies.get() && r.body.len() > request.body_limit(r.status) => {
                Err(TransportError::TooLarge { status: r.status })
            }
            other => other,
        };
        ready(answer)
    }

    fn sleep(&self, ms: u32) -> impl Future<Output = Result<(), TransportError>> {
        self.slept.borrow_mut().push(ms);
        self.now
            .set(self.now.get() + Duration::milliseconds(i64::from(ms)));
        ready(Ok(()))
    }

    fn jitter(&self) -> f64 {
        0.5
    }

    fn now(&self) -> OffsetDateTime {
        self.now.get()
    }

    fn progress(&self, progress: Progress) {
        self.progress.borrow_mut().push(progress);
    }
}

fn person() -> HealthBook {
    generate::book(7, &BookShape::records(40))
}

fn seeded() -> (FakeTransport, HealthBook, String) {
    let book = person();
    let mut server = FakeServer::new();
    let patient_id = server.seed(&book);
    (FakeTransport::new(server), book, patient_id)
}

/// Same records, by content (origins aside: the server's are all `Synced`).
fn same_records(a: &HealthBook, b: &HealthBook) -> bool {
    let strip = |book: &HealthBook| {
        let mut book = book.clone();
        book.vaccinations
            .iter_mut()
            .for_each(|v| v.recorded_by = RecordOrigin::Imported);
        book.prescriptions
            .iter_mut()
            .for_each(|p| p.recorded_by = RecordOrigin::Imported);
        book.vaccinations.sort_by(|x, y| x.id.cmp(&y.id));
        book.prescriptions.sort_by(|x, y| x.id.cmp(&y.id));
        (book.profile, book.vaccinations, book.prescriptions)
    };
    strip(a) == strip(b)
}

fn add(transport: &FakeTransport, citizen_id: &CitizenId) -> Result<SyncOutcome, SyncError> {
    block_on(Syncer::new(transport, BASE).add_book(citizen_id, None))
}

#[test]
fn adding_a_book_with_everything_gives_the_whole_record_all_synced() {
    let (transport, book, patient_id) = seeded();
    let outcome = add(&transport, book.citizen_id()).unwrap();
    let got = &outcome.merged.book;
    assert!(
        same_records(got, &book),
        "the synced book has the server's records"
    );
    assert!(got.vaccinations.iter().all(|v| v.recorded_by
        == RecordOrigin::Synced {
            source: BASE.into()
        }));
    assert!(
        got.vaccinations.iter().any(|v| v.next_dose_due.is_some()),
        "recommendations were linked"
    );
    assert!(
        got.prescriptions
            .iter()
            .all(|p| !p.facility.name.is_empty()),
        "facilities were resolved"
    );
    assert_eq!(outcome.mode, SyncMode::Full(None));
    assert!(outcome.skipped.is_empty(), "{:?}", outcome.skipped);
    assert_eq!(outcome.snapshot.patient_id, patient_id);
    // The server's clock at the start, less a second: 08:00 + 3 s per seeded resource.
    let server_start =
        OffsetDateTime::parse(outcome.snapshot.since.as_deref().unwrap(), &Rfc3339).unwrap();
    assert_eq!(
        server_start,
        transport.server.borrow().clock - Duration::seconds(1)
    );
    let requests = transport.requests();
    assert!(requests.iter().any(|u| u.contains("$everything")));
    assert!(
        requests
            .iter()
            .filter(|u| u.contains("$everything"))
            .count()
            > 3,
        "paged through next links"
    );
    assert!(!requests.iter().any(|u| u.contains("Immunization?patient")));
    let last = *transport.progress.borrow().last().unwrap();
    assert_eq!(last.phase, Phase::Mapping);
    assert_eq!(last.resources, outcome.received);
}

#[test]
fn without_everything_each_type_is_searched_and_references_are_fetched_by_id() {
    let book = person();
    let mut server = FakeServer::new();
    server.everything = false;
    server.seed(&book);
    let transport = FakeTransport::new(server);
    let outcome = add(&transport, book.citizen_id()).unwrap();
    assert!(same_records(&outcome.merged.book, &book));
    let requests = transport.requests();
    for t in SYNCED_TYPES {
        assert!(
            requests
                .iter()
                .any(|u| u.contains(&format!("/{t}?patient=Patient%2F"))),
            "{t}"
        );
    }
    assert!(requests.iter().any(|u| u.contains("/Organization?_id=")));
    assert!(requests.iter().any(|u| u.contains("/Practitioner?_id=")));
    assert!(outcome.skipped.is_empty(), "{:?}", outcome.skipped);
}

#[test]
fn nobody_and_several_people_are_told_apart() {
    let (transport, book, _) = seeded();
    let nobody = CitizenId::parse(&format!("{}000000", &book.citizen_id().as_str()[..6])).unwrap();
    assert_eq!(add(&transport, &nobody).unwrap_err(), SyncError::NoMatch);

    let mut twin = transport
        .server
        .borrow()
        .resources
        .values()
        .find(|r| r["resourceType"] == "Patient")
        .unwrap()
        .clone();
    twin["id"] = json!("twin");
    transport.server.borrow_mut().put(twin);
    assert_eq!(
        add(&transport, book.citizen_id()).unwrap_err(),
        SyncError::SeveralMatches { count: 2 }
    );
}

fn added() -> (FakeTransport, HealthBook, SyncOutcome) {
    let (transport, book, _) = seeded();
    let outcome = add(&transport, book.citizen_id()).unwrap();
    transport.clear_log();
    (transport, book, outcome)
}

fn refresh(transport: &FakeTransport, outcome: &SyncOutcome) -> Result<SyncOutcome, SyncError> {
    block_on(Syncer::new(transport, BASE).refresh(&outcome.merged.book, Some(&outcome.snapshot)))
}

#[test]
fn a_refresh_fetches_only_what_changed_and_applies_deletions() {
    let (transport, book, first) = added();
    let changed_id = book.vaccinations[0].id.as_str().to_string();
    // One without a next dose: deleting a vaccination whose recommendation stays on the server
    // would move that next dose to another vaccination of the same vaccine (a second change).
    let deleted_id = book
        .vaccinations
        .iter()
        .skip(1)
        .find(|v| v.next_dose_due.is_none())
        .unwrap()
        .id
        .as_str()
        .to_string();
    {
        let mut server = transport.server.borrow_mut();
        let key = server.key_by_record_id("Immunization", &changed_id);
        server.update(&key, |r| r["lotNumber"] = json!("NEW-LOT-1"));
        let key = server.key_by_record_id("Immunization", &deleted_id);
        server.delete(&key);
    }
    let second = refresh(&transport, &first).unwrap();
    assert_eq!(second.mode, SyncMode::Incremental);
    assert!(!second.unchanged);
    assert_eq!(
        second.merged.changes,
        RecordChanges {
            added: 0,
            changed: 1,
            removed: 1
        }
    );
    let v = second
        .merged
        .book
        .vaccinations
        .iter()
        .find(|v| v.id.as_str() == changed_id)
        .unwrap();
    assert_eq!(v.lot_number.as_deref(), Some("NEW-LOT-1"));
    assert!(!second
        .merged
        .book
        .vaccinations
        .iter()
        .any(|v| v.id.as_str() == deleted_id));
    // Only the change was downloaded: the Patient answered 304, the listing had one entry.
    assert!(second.received <= 4, "received {}", second.received);
    let requests = transport.requests();
    assert!(requests
        .iter()
        .any(|u| u.contains("$everything") && u.contains("_since=")));
    assert!(requests
        .iter()
        .any(|u| u.contains("/Immunization/_history?_since=")));
    let patient_read = transport
        .server
        .borrow()
        .log
        .iter()
        .find(|r| r.if_none_match.is_some())
        .cloned();
    assert!(patient_read.is_some(), "the Patient was read conditionally");

    // Nothing changed since: nothing to do.
    transport.clear_log();
    let third = refresh(&transport, &second).unwrap();
    assert!(third.unchanged, "nothing to map or save");
    assert!(third.merged.changes.is_empty());
    assert_eq!(third.merged.book, second.merged.book);
    assert_eq!(third.snapshot, second.snapshot);
}

#[test]
fn incremental_per_type_uses_last_updated() {
    let book = person();
    let mut server = FakeServer::new();
    server.everything = false;
    server.seed(&book);
    let transport = FakeTransport::new(server);
    let first = add(&transport, book.citizen_id()).unwrap();
    transport.clear_log();
    {
        let mut server = transport.server.borrow_mut();
        let key = server.key_by_record_id("MedicationRequest", book.prescriptions[0].id.as_str());
        server.update(&key, |r| r["note"] = json!([{ "text": "Uống nhiều nước" }]));
    }
    let second = refresh(&transport, &first).unwrap();
    assert_eq!(second.mode, SyncMode::Incremental);
    assert_eq!(second.merged.changes.changed, 1);
    let p = second
        .merged
        .book
        .prescriptions
        .iter()
        .find(|p| p.id == book.prescriptions[0].id)
        .unwrap();
    assert_eq!(p.advice.as_deref(), Some("Uống nhiều nước"));
    assert!(transport
        .requests()
        .iter()
        .any(|u| u.contains("_lastUpdated=gt")));
}

#[test]
fn without_history_a_refresh_is_full_and_still_sees_deletions() {
    let book = person();
    let mut server = FakeServer::new();
    server.history = false;
    server.seed(&book);
    let transport = FakeTransport::new(server);
    let first = add(&transport, book.citizen_id()).unwrap();
    {
        let mut server = transport.server.borrow_mut();
        let key = server.key_by_record_id("Immunization", book.vaccinations[2].id.as_str());
        server.delete(&key);
    }
    let second = refresh(&transport, &first).unwrap();
    assert_eq!(
        second.mode,
        SyncMode::Full(Some(FullBecause::NoDeletionHistory))
    );
    assert_eq!(second.merged.changes.removed, 1);
}

#[test]
fn a_snapshot_that_does_not_match_the_book_is_not_trusted() {
    let (transport, _, first) = added();
    let mut book = first.merged.book.clone();
    book.provenance.last_synced_at = Some(datetime!(2020-01-01 0:00 UTC));
    let second =
        block_on(Syncer::new(&transport, BASE).refresh(&book, Some(&first.snapshot))).unwrap();
    assert_eq!(
        second.mode,
        SyncMode::Full(Some(FullBecause::SnapshotMismatch))
    );
    let none = block_on(Syncer::new(&transport, BASE).refresh(&first.merged.book, None)).unwrap();
    assert_eq!(none.mode, SyncMode::Full(Some(FullBecause::NoSnapshot)));
    assert!(same_records(&none.merged.book, &first.merged.book));
}

#[test]
fn staff_records_survive_a_refresh() {
    let (transport, _, mut first) = added();
    let mut staff = first.merged.book.vaccinations[0].clone();
    staff.id = crate::RecordId("staff-1".into());
    staff.recorded_by = RecordOrigin::EnteredByStaff {
        staff: None,
        device: None,
        at: datetime!(2026-02-01 9:00 UTC),
    };
    first.merged.book.vaccinations.push(staff.clone());
    // Nothing new on the server: the book stays as it is, staff record included.
    let quiet = refresh(&transport, &first).unwrap();
    assert!(quiet.unchanged && quiet.merged.book.vaccinations.contains(&staff));
    // Something new: the book is mapped again from the server's data, and the staff record kept.
    {
        let mut server = transport.server.borrow_mut();
        let key = server.key_by_record_id(
            "Immunization",
            first.merged.book.vaccinations[1].id.as_str(),
        );
        server.update(&key, |r| r["lotNumber"] = json!("L-2"));
    }
    let second = refresh(&transport, &first).unwrap();
    assert!(!second.unchanged);
    assert!(second.merged.book.vaccinations.contains(&staff));
    assert_eq!(second.merged.kept_staff_records, 1);
}

#[test]
fn a_record_moved_to_another_person_leaves_this_book() {
    let (transport, book, first) = added();
    {
        let mut server = transport.server.borrow_mut();
        let key = server.key_by_record_id("Immunization", book.vaccinations[3].id.as_str());
        server.update(&key, |r| {
            r["patient"] = json!({ "reference": "Patient/someone-else" })
        });
    }
    let second = refresh(&transport, &first).unwrap();
    assert_eq!(second.merged.changes.removed, 1);
}

#[test]
fn a_person_removed_from_the_server_or_replaced_by_another_is_an_error() {
    let (transport, _, first) = added();
    let patient_key = first.snapshot.patient_key();
    transport.server.borrow_mut().update(&patient_key, |p| {
        p["identifier"][0]["value"] = json!("001090000001");
    });
    assert_eq!(
        refresh(&transport, &first).unwrap_err(),
        SyncError::WrongPerson
    );
    transport.server.borrow_mut().delete(&patient_key);
    assert_eq!(
        refresh(&transport, &first).unwrap_err(),
        SyncError::PatientGone
    );
}

#[test]
fn server_errors_are_retried_with_backoff_then_succeed() {
    let (transport, book, _) = seeded();
    transport.server.borrow_mut().faults.extend([
        ("$everything".to_string(), Fault::Status(503, None)),
        ("$everything".to_string(), Fault::Network),
        ("$everything".to_string(), Fault::Timeout),
    ]);
    let outcome = add(&transport, book.citizen_id()).unwrap();
    assert!(same_records(&outcome.merged.book, &book));
    // Jitter 0.5: 250 + 125, 500 + 250, 1000 + 500.
    assert_eq!(*transport.slept.borrow(), vec![375, 750, 1_500]);
    let retries: Vec<u32> = transport
        .progress
        .borrow()
        .iter()
        .filter_map(|p| p.retry_attempt)
        .collect();
    assert_eq!(retries, vec![2, 3, 4]);
}

#[test]
fn retries_are_bounded_and_client_errors_are_not_retried() {
    let (transport, book, _) = seeded();
    for _ in 0..4 {
        transport
            .server
            .borrow_mut()
            .faults
            .push_back(("$everything".into(), Fault::Status(500, None)));
    }
    assert!(matches!(
        add(&transport, book.citizen_id()),
        Err(SyncError::Server {
            status: 500,
            message: Some(_)
        })
    ));
    assert_eq!(
        transport.slept.borrow().len(),
        3,
        "four attempts, three pauses"
    );

    transport.clear_log();
    transport
        .server
        .borrow_mut()
        .faults
        .push_back(("Patient?identifier".into(), Fault::Status(400, None)));
    assert!(matches!(
        add(&transport, book.citizen_id()),
        Err(SyncError::Refused { status: 400, .. })
    ));
    assert!(transport.slept.borrow().is_empty());

    transport
        .server
        .borrow_mut()
        .faults
        .push_back(("metadata".into(), Fault::Status(401, None)));
    assert_eq!(
        add(&transport, book.citizen_id()).unwrap_err(),
        SyncError::Unauthorized { status: 401 }
    );

    for _ in 0..4 {
        transport
            .server
            .borrow_mut()
            .faults
            .push_back(("metadata".into(), Fault::Network));
    }
    assert_eq!(
        add(&transport, book.citizen_id()).unwrap_err(),
        SyncError::Network
    );
}

#[test]
fn retry_after_is_waited_for_and_a_long_one_ends_the_sync() {
    let (transport, book, _) = seeded();
    transport
        .server
        .borrow_mut()
        .faults
        .push_back(("$everything".into(), Fault::Status(429, Some("2"))));
    add(&transport, book.citizen_id()).unwrap();
    assert_eq!(*transport.slept.borrow(), vec![2_000]);

    transport.clear_log();
    transport
        .server
        .borrow_mut()
        .faults
        .push_back(("$everything".into(), Fault::Status(429, Some("3600"))));
    assert_eq!(
        add(&transport, book.citizen_id()).unwrap_err(),
        SyncError::RateLimited {
            retry_after_ms: Some(3_600_000)
        }
    );
    assert!(transport.slept.borrow().is_empty());
}

#[test]
fn cancelling_stops_the_sync() {
    let (transport, book, _) = seeded();
    transport.cancel_at.set(Some(4));
    assert_eq!(
        add(&transport, book.citizen_id()).unwrap_err(),
        SyncError::Cancelled
    );
}

#[test]
fn a_next_link_to_another_server_is_refused() {
    let (transport, book, _) = seeded();
    transport.server.borrow_mut().next_link_base = Some("http://elsewhere.test/fhir".into());
    assert_eq!(
        add(&transport, book.citizen_id()).unwrap_err(),
        SyncError::ForeignLink
    );
    transport.server.borrow_mut().next_link_base = Some(format!("{BASE}-other"));
    assert_eq!(
        add(&transport, book.citizen_id()).unwrap_err(),
        SyncError::ForeignLink
    );
}

#[test]
fn paging_is_bounded() {
    let (transport, book, _) = seeded();
    let mut syncer = Syncer::new(&transport, BASE);
    syncer.max_pages = 3;
    assert_eq!(
        block_on(syncer.add_book(book.citizen_id(), None)).unwrap_err(),
        SyncError::TooManyPages { limit: 3 }
    );
}

#[test]
fn a_book_from_another_server_is_looked_up_again_by_citizen_id() {
    let (transport, book, _) = seeded();
    let mut from_file = book.clone();
    from_file.provenance.source = crate::BookSource::Imported {
        file_name: Some("family.json".into()),
    };
    let outcome = block_on(Syncer::new(&transport, BASE).refresh(&from_file, None)).unwrap();
    assert!(transport
        .requests()
        .iter()
        .any(|u| u.contains("Patient?identifier=")));
    assert!(matches!(
        outcome.merged.book.provenance.source,
        crate::BookSource::Server { .. }
    ));
}

// --- Issue 13: only this person's data, bounded answers, complete refreshes, safe transport ---

/// The person on a server with or without `$everything`.
fn seeded_where(everything: bool) -> (FakeTransport, HealthBook) {
    let book = person();
    let mut server = FakeServer::new();
    server.everything = everything;
    server.seed(&book);
    (FakeTransport::new(server), book)
}

/// Another person on the same server, with records of their own.
fn seed_someone_else(transport: &FakeTransport) -> String {
    let other = generate::book(8, &BookShape::records(6));
    transport.server.borrow_mut().seed_second(&other)
}

/// Every resource kept is this person's (or a detail with no patient of its own).
fn only_own(snapshot: &ServerSnapshot) {
    for resource in snapshot.resources.values() {
        assert_eq!(
            snapshot.admit(resource),
            super::snapshot::Admission::Own,
            "{resource}"
        );
    }
}

#[test]
fn another_persons_records_in_a_full_fetch_are_left_out_and_counted() {
    for everything in [true, false] {
        let (transport, book) = seeded_where(everything);
        seed_someone_else(&transport);
        transport.server.borrow_mut().ignore_patient_filter = true;
        let outcome = add(&transport, book.citizen_id()).unwrap();
        assert!(same_records(&outcome.merged.book, &book), "{everything}");
        assert!(outcome.foreign >= 6, "{everything}: {}", outcome.foreign);
        only_own(&outcome.snapshot);
    }
}

#[test]
fn another_persons_records_in_an_incremental_refresh_are_left_out_and_counted() {
    for everything in [true, false] {
        let (transport, book) = seeded_where(everything);
        let first = add(&transport, book.citizen_id()).unwrap();
        assert_eq!(first.foreign, 0);
        // Someone else is added after the first sync: their records are "changes" too.
        seed_someone_else(&transport);
        transport.server.borrow_mut().ignore_patient_filter = true;
        let second = refresh(&transport, &first).unwrap();
        assert_eq!(second.mode, SyncMode::Incremental);
        assert!(second.foreign >= 6, "{everything}: {}", second.foreign);
        assert!(second.unchanged, "nothing of this person changed");
        assert!(same_records(&second.merged.book, &book));
        only_own(&second.snapshot);
    }
}

#[test]
fn an_oversized_answer_ends_the_sync_whichever_request_it_answers() {
    for (counts_bodies, target) in [
        (true, "metadata"),
        (false, "metadata"),
        (true, "$everything"),
        (false, "Patient?identifier"),
    ] {
        let (transport, book, _) = seeded();
        transport.counts_bodies.set(counts_bodies);
        let mut syncer = Syncer::new(&transport, BASE);
        syncer.page_limits.max_bytes = 100_000;
        transport
            .server
            .borrow_mut()
            .faults
            .push_back((target.into(), Fault::Oversized(200, 100_001)));
        assert_eq!(
            block_on(syncer.add_book(book.citizen_id(), None)).unwrap_err(),
            SyncError::AnswerTooLarge { limit: 100_000 },
            "{target}"
        );
        assert!(transport.slept.borrow().is_empty(), "not retried");
    }
}

#[test]
fn an_oversized_patient_read_ends_a_refresh() {
    let (transport, _, first) = added();
    let patient_read = format!("/Patient/{}", first.snapshot.patient_id);
    transport
        .server
        .borrow_mut()
        .faults
        .push_back((patient_read, Fault::Oversized(200, 30 * 1024 * 1024)));
    assert_eq!(
        refresh(&transport, &first).unwrap_err(),
        SyncError::AnswerTooLarge {
            limit: crate::fhir::ImportLimits::default().max_bytes
        }
    );
}

#[test]
fn an_oversized_error_body_is_dropped_and_the_error_kept() {
    for counts_bodies in [true, false] {
        let (transport, book, _) = seeded();
        transport.counts_bodies.set(counts_bodies);
        transport
            .server
            .borrow_mut()
            .faults
            .push_back(("$everything".into(), Fault::Oversized(503, 200_000)));
        // Retried like any 503, and the retry succeeds.
        let outcome = add(&transport, book.citizen_id()).unwrap();
        assert!(same_records(&outcome.merged.book, &book));
        assert_eq!(transport.slept.borrow().len(), 1);

        transport
            .server
            .borrow_mut()
            .faults
            .push_back(("Patient?identifier".into(), Fault::Oversized(400, 200_000)));
        assert_eq!(
            add(&transport, book.citizen_id()).unwrap_err(),
            SyncError::Refused {
                status: 400,
                message: None
            }
        );
    }
}

#[test]
fn one_sync_is_capped_across_all_its_pages() {
    let (transport, book, _) = seeded();
    let mut syncer = Syncer::new(&transport, BASE);
    syncer.max_total_bytes = 20_000;
    assert_eq!(
        block_on(syncer.add_book(book.citizen_id(), None)).unwrap_err(),
        SyncError::SyncTooLarge { limit: 20_000 }
    );
    let pages = transport
        .requests()
        .iter()
        .filter(|u| u.contains("$everything"))
        .count();
    assert!(pages >= 1, "stopped while paging");
    // Each request was only allowed what was left of the total.
    let log = transport.server.borrow().log.clone();
    assert!(log.windows(2).all(|w| w[1].max_bytes <= w[0].max_bytes));
    assert!(log.iter().all(|r| r.max_bytes <= 20_000));
}

#[test]
fn a_redirect_is_refused_not_followed() {
    let (transport, book, _) = seeded();
    transport
        .server
        .borrow_mut()
        .faults
        .push_back(("$everything".into(), Fault::Status(302, None)));
    assert_eq!(
        add(&transport, book.citizen_id()).unwrap_err(),
        SyncError::Redirected
    );
    assert!(transport.slept.borrow().is_empty(), "not retried");
    assert!(!transport.requests().iter().any(|u| !u.starts_with(BASE)));
}

#[test]
fn without_a_readable_date_a_fast_device_clock_skips_no_change() {
    let (transport, book, _) = seeded();
    transport.server.borrow_mut().send_date = false;
    // The device's clock runs an hour ahead of the server's.
    transport
        .now
        .set(transport.server.borrow().clock + Duration::hours(1));
    let first = add(&transport, book.citizen_id()).unwrap();
    let since = OffsetDateTime::parse(first.snapshot.since.as_deref().unwrap(), &Rfc3339).unwrap();
    assert!(since < transport.server.borrow().clock, "{since}");
    let changed = book.vaccinations[1].id.as_str().to_string();
    {
        let mut server = transport.server.borrow_mut();
        let key = server.key_by_record_id("Immunization", &changed);
        server.update(&key, |r| r["lotNumber"] = json!("FAST-CLOCK"));
    }
    let second = refresh(&transport, &first).unwrap();
    assert_eq!(second.mode, SyncMode::Incremental);
    let v = second
        .merged
        .book
        .vaccinations
        .iter()
        .find(|v| v.id.as_str() == changed)
        .unwrap();
    assert_eq!(v.lot_number.as_deref(), Some("FAST-CLOCK"));
}

#[test]
fn a_refresh_fetches_what_a_new_prescription_points_at() {
    for everything in [true, false] {
        let (transport, book) = seeded_where(everything);
        let first = add(&transport, book.citizen_id()).unwrap();
        {
            let mut server = transport.server.borrow_mut();
            server.put(json!({ "resourceType": "Organization", "id": "new-org", "name": "Trạm Y tế Phường Mới" }));
            server.put(json!({ "resourceType": "Practitioner", "id": "new-doc", "name": [{ "text": "BS. Trần Văn Mới" }] }));
            server.put(json!({ "resourceType": "Medication", "id": "new-med", "code": { "text": "Paracetamol 500 mg" } }));
            let key =
                server.key_by_record_id("MedicationRequest", book.prescriptions[0].id.as_str());
            let mut rx = server.resources[&key].clone();
            rx["id"] = json!("new-mr");
            rx["identifier"][0]["value"] = json!("rx-new");
            rx["groupIdentifier"]["value"] = json!("NEW-RX-CODE");
            rx["requester"] = json!({ "reference": "Practitioner/new-doc" });
            let exts = rx["extension"].as_array_mut().unwrap();
            for e in exts.iter_mut() {
                if e["url"] == crate::fhir::ext::PRESCRIPTION_FACILITY {
                    e["valueReference"] = json!({ "reference": "Organization/new-org" });
                }
            }
            let rx = rx.as_object_mut().unwrap();
            rx.remove("medicationCodeableConcept");
            rx.insert(
                "medicationReference".into(),
                json!({ "reference": "Medication/new-med" }),
            );
            server.put(Value::Object(rx.clone()));
        }
        let second = refresh(&transport, &first).unwrap();
        assert_eq!(second.mode, SyncMode::Incremental, "{everything}");
        assert_eq!(second.merged.changes.added, 1, "{everything}");
        let rx = second
            .merged
            .book
            .prescriptions
            .iter()
            .find(|p| p.id.as_str() == "rx-new")
            .unwrap_or_else(|| panic!("{everything}: {:?}", second.skipped));
        assert_eq!(rx.facility.name, "Trạm Y tế Phường Mới", "{everything}");
        assert_eq!(rx.prescriber.name, "BS. Trần Văn Mới", "{everything}");
        assert_eq!(rx.medicines[0].name, "Paracetamol 500 mg", "{everything}");
    }
}

#[test]
fn a_per_type_refresh_sees_a_changed_facility() {
    let (transport, book) = seeded_where(false);
    let first = add(&transport, book.citizen_id()).unwrap();
    let facility = book.prescriptions[0].facility.name.clone();
    {
        let mut server = transport.server.borrow_mut();
        let key = server
            .resources
            .iter()
            .find(|(k, r)| k.starts_with("Organization/") && r["name"] == facility.as_str())
            .map(|(k, _)| k.clone())
            .unwrap();
        server.update(&key, |o| o["name"] = json!("Bệnh viện đổi tên"));
    }
    let second = refresh(&transport, &first).unwrap();
    assert_eq!(second.mode, SyncMode::Incremental);
    assert!(second
        .merged
        .book
        .prescriptions
        .iter()
        .any(|p| p.facility.name == "Bệnh viện đổi tên"));
}

#[test]
fn a_refresh_that_finds_the_book_changed_meanwhile_merges_again_onto_it() {
    let (transport, book, first) = added();
    {
        let mut server = transport.server.borrow_mut();
        let key = server.key_by_record_id("Immunization", book.vaccinations[0].id.as_str());
        server.update(&key, |r| r["lotNumber"] = json!("RACE-1"));
    }
    let outcome = refresh(&transport, &first).unwrap();
    // While the refresh ran, staff entered a vaccination on the device.
    let mut latest = first.merged.book.clone();
    let mut staff = latest.vaccinations[1].clone();
    staff.id = crate::RecordId("staff-during-refresh".into());
    staff.recorded_by = RecordOrigin::EnteredByStaff {
        staff: None,
        device: None,
        at: datetime!(2026-03-01 9:00 UTC),
    };
    latest.vaccinations.push(staff.clone());
    assert!(
        !outcome.merged.book.vaccinations.contains(&staff),
        "the outcome alone would lose it"
    );
    let again = outcome.merge_onto(&latest).unwrap();
    assert!(again.book.vaccinations.contains(&staff));
    assert_eq!(again.kept_staff_records, 1);
    assert!(again
        .book
        .vaccinations
        .iter()
        .any(|v| v.lot_number.as_deref() == Some("RACE-1")));

    // A book replaced meanwhile by a file import is not the refresh's to overwrite.
    let mut imported = latest.clone();
    imported.provenance.source = crate::BookSource::Imported { file_name: None };
    assert_eq!(outcome.merge_onto(&imported), None);
    // Nothing new: nothing to save, nothing to merge.
    let quiet = refresh(&transport, &outcome).unwrap();
    assert!(quiet.unchanged);
    assert_eq!(quiet.merge_onto(&latest), None);
}

/// The app runs the sync in its data worker and hands the outcome to the page as JSON
/// ([`Handover`]): what the page does with it (save it, or merge it again onto a book changed
/// meanwhile) must not change, though the book crosses once and the copy as text.
#[test]
fn an_outcome_handed_over_as_json_is_the_same_outcome_and_still_merges_again() {
    let (transport, book, first) = added();
    {
        let mut server = transport.server.borrow_mut();
        let key = server.key_by_record_id("Immunization", book.vaccinations[0].id.as_str());
        server.update(&key, |r| r["lotNumber"] = json!("WIRE-1"));
    }
    let outcome = refresh(&transport, &first).unwrap();
    let wire = serde_json::to_string(&outcome.clone().hand_over().unwrap()).unwrap();
    let Handover::Changed(sent) = serde_json::from_str(&wire).unwrap() else {
        panic!("a changed book was handed over as unchanged");
    };
    let received = sent.into_outcome(Some(&first.merged.book));
    assert_eq!(received.merged, outcome.merged);
    assert_eq!(received.snapshot.read().unwrap(), outcome.snapshot);
    assert_eq!(
        (
            received.skipped.clone(),
            received.received,
            received.foreign,
            received.mode
        ),
        (
            outcome.skipped.clone(),
            outcome.received,
            outcome.foreign,
            outcome.mode
        )
    );
    // The book crossed once: the copy's text and one book, not the merged book besides.
    let book_json = serde_json::to_string(&outcome.merged.book).unwrap();
    assert!(
        wire.len() < received.snapshot.as_str().len() + 2 * book_json.len(),
        "{} bytes",
        wire.len()
    );

    let mut latest = first.merged.book.clone();
    let mut staff = latest.vaccinations[1].clone();
    staff.id = crate::RecordId("staff-while-sent".into());
    staff.recorded_by = RecordOrigin::EnteredByStaff {
        staff: None,
        device: None,
        at: datetime!(2026-03-01 9:00 UTC),
    };
    latest.vaccinations.push(staff.clone());
    let again = received.merge_onto(&latest).unwrap();
    assert_eq!(Some(again.clone()), outcome.merge_onto(&latest));
    assert!(again.book.vaccinations.contains(&staff));

    // The copy stored as text is what the next refresh reads.
    let stored = serde_json::to_string(&received.snapshot).unwrap();
    let kept: SnapshotJson = serde_json::from_str(&stored).unwrap();
    assert_eq!(kept.read().unwrap(), outcome.snapshot);
}

#[test]
fn a_new_book_handed_over_is_merged_onto_nothing() {
    let (transport, book, _) = seeded();
    let outcome = add(&transport, book.citizen_id()).unwrap();
    let wire = serde_json::to_string(&outcome.clone().hand_over().unwrap()).unwrap();
    let Handover::Changed(sent) = serde_json::from_str(&wire).unwrap() else {
        panic!("a new book was handed over as unchanged");
    };
    let received = sent.into_outcome(None);
    assert_eq!(received.merged, outcome.merged);
    assert_eq!(received.snapshot.read().unwrap(), outcome.snapshot);
}

#[test]
fn an_unchanged_refresh_hands_over_neither_book_nor_copy() {
    let (transport, _, first) = added();
    let quiet = refresh(&transport, &first).unwrap();
    assert!(quiet.unchanged);
    let (received, foreign, mode) = (quiet.received, quiet.foreign, quiet.mode);
    assert_eq!(
        quiet.hand_over().unwrap(),
        Handover::Unchanged {
            received,
            foreign,
            mode
        }
    );
}

#[test]
fn a_copy_that_is_not_a_snapshot_is_an_error_to_read_not_a_panic() {
    for text in [r#"{"base_url":"x"}"#, "[1,2]", r#""text""#] {
        let json: SnapshotJson = serde_json::from_str(text).unwrap();
        assert!(
            matches!(json.read(), Err(SnapshotJsonError::Read(_))),
            "{text}"
        );
    }
    assert!(serde_json::from_str::<SnapshotJson>(r#"{"base_url":"#).is_err());
}

#[test]
fn error_answers_that_were_retried_count_against_the_total() {
    let (transport, book, _) = seeded();
    let mut syncer = Syncer::new(&transport, BASE);
    syncer.max_total_bytes = 100_000;
    for _ in 0..2 {
        transport
            .server
            .borrow_mut()
            .faults
            .push_back(("$everything".into(), Fault::Oversized(503, 60_000)));
    }
    assert_eq!(
        block_on(syncer.add_book(book.citizen_id(), None)).unwrap_err(),
        SyncError::SyncTooLarge { limit: 100_000 }
    );
    let everything: Vec<usize> = transport
        .server
        .borrow()
        .log
        .iter()
        .filter(|r| r.url.contains("$everything"))
        .map(|r| r.max_bytes)
        .collect();
    // The first 503's body was read and counted; the second was over what was left (its body
    // dropped, its status kept and retried).
    assert_eq!(everything[1], everything[0] - 60_000, "{everything:?}");
    assert_eq!(everything[2], everything[1], "{everything:?}");
    assert!(everything.windows(2).all(|w| w[1] <= w[0]));
}

// The person's standing facts (issue 19) ---------------------------------------------------------

/// A person with two allergies, a chronic condition and a blood group, on a server that has
/// `$everything` or not.
fn with_standing_facts(everything: bool) -> (FakeTransport, HealthBook) {
    let mut book = person();
    book.profile.allergies = vec!["Penicillin".into(), "Hải sản".into()];
    book.profile.chronic_conditions = vec!["Tăng huyết áp".into()];
    book.profile.blood_group = Some(crate::model::BloodGroup::BNegative);
    let mut server = FakeServer::new();
    server.everything = everything;
    server.seed(&book);
    (FakeTransport::new(server), book)
}

#[test]
fn allergies_conditions_and_the_blood_group_come_from_the_server_either_way() {
    for everything in [true, false] {
        let (transport, book) = with_standing_facts(everything);
        let outcome = add(&transport, book.citizen_id()).unwrap();
        let profile = &outcome.merged.book.profile;
        assert_eq!(profile.allergies, book.profile.allergies, "{everything}");
        assert_eq!(profile.chronic_conditions, book.profile.chronic_conditions);
        assert_eq!(profile.blood_group, book.profile.blood_group);
        if !everything {
            let requests = transport.requests();
            for t in PROFILE_TYPES {
                assert!(
                    requests
                        .iter()
                        .any(|u| u.contains(&format!("/{t}?patient="))),
                    "{t}"
                );
            }
        }
        // A problem-list Condition no record points at is still kept in the copy.
        assert!(outcome
            .snapshot
            .resources
            .keys()
            .any(|k| k.starts_with("Condition/")));
    }
}

#[test]
fn another_persons_allergy_and_other_observations_are_not_kept() {
    let (transport, book) = with_standing_facts(true);
    {
        let mut server = transport.server.borrow_mut();
        server.put(json!({ "resourceType": "AllergyIntolerance", "id": "x-1",
            "code": { "text": "Aspirin" }, "patient": { "reference": "Patient/someone-else" } }));
        let patient = server
            .resources
            .keys()
            .find(|k| k.starts_with("Patient/"))
            .unwrap()
            .clone();
        server.put(
            json!({ "resourceType": "Observation", "id": "bp-1", "status": "final",
            "code": { "coding": [{ "system": "http://loinc.org", "code": "85354-9" }] },
            "subject": { "reference": patient } }),
        );
    }
    let outcome = add(&transport, book.citizen_id()).unwrap();
    assert_eq!(
        outcome.merged.book.profile.allergies,
        book.profile.allergies
    );
    assert!(!outcome
        .snapshot
        .resources
        .contains_key("AllergyIntolerance/x-1"));
    assert!(!outcome.snapshot.resources.contains_key("Observation/bp-1"));
}

#[test]
fn a_refresh_sees_an_allergy_removed_with_or_without_its_history() {
    for profile_history in [true, false] {
        let (transport, book) = with_standing_facts(true);
        transport.server.borrow_mut().profile_history = profile_history;
        let first = add(&transport, book.citizen_id()).unwrap();
        {
            let mut server = transport.server.borrow_mut();
            let key = server
                .resources
                .iter()
                .find(|(_, r)| {
                    r["resourceType"] == "AllergyIntolerance" && r["code"]["text"] == "Penicillin"
                })
                .map(|(k, _)| k.clone())
                .unwrap();
            server.delete(&key);
        }
        let second = refresh(&transport, &first).unwrap();
        assert_eq!(second.mode, SyncMode::Incremental, "{profile_history}");
        assert_eq!(
            second.merged.book.profile.allergies,
            vec!["Hải sản".to_string()]
        );
        assert_eq!(
            second.merged.book.profile.chronic_conditions,
            book.profile.chronic_conditions
        );
        let asked_history = transport
            .requests()
            .iter()
            .any(|u| u.contains("/AllergyIntolerance/_history"));
        assert_eq!(asked_history, profile_history);
    }
}

// ---- care plan (issue 19) ----------------------------------------------------------------

fn with_care(mut book: HealthBook) -> HealthBook {
    use crate::model::{
        Appointment, AppointmentStatus, AppointmentTime, Facility, Referral, ReferralStatus,
    };
    let station = Facility {
        code: Some("19-011".into()),
        name: "Trạm Y tế xã Phú Đình".into(),
    };
    book.care.appointments = vec![Appointment {
        id: crate::RecordId("ap-1".into()),
        when: AppointmentTime::Day {
            on: time::macros::date!(2026 - 04 - 02),
        },
        status: AppointmentStatus::Proposed,
        facility: Some(station.clone()),
        reason: Some("Tái khám".into()),
        recorded_by: RecordOrigin::Imported,
    }];
    book.care.referrals = vec![Referral {
        id: crate::RecordId("ref-1".into()),
        code: None,
        issued_on: time::macros::date!(2026 - 03 - 20),
        from: station,
        to: Facility {
            code: Some("19-001".into()),
            name: "Bệnh viện Trung ương Thái Nguyên".into(),
        },
        reason: None,
        valid_until: Some(time::macros::date!(2026 - 04 - 03)),
        status: ReferralStatus::Active,
        recorded_by: RecordOrigin::Imported,
    }];
    book
}

#[test]
fn appointments_and_referrals_come_with_everything_marked_synced() {
    let book = with_care(person());
    let mut server = FakeServer::new();
    server.seed(&book);
    let transport = FakeTransport::new(server);
    let outcome = add(&transport, book.citizen_id()).unwrap();
    let care = &outcome.merged.book.care;
    assert_eq!(care.appointments.len(), 1);
    assert_eq!(care.referrals.len(), 1);
    assert_eq!(care.appointments[0].when, book.care.appointments[0].when);
    assert_eq!(care.referrals[0].to, book.care.referrals[0].to);
    assert!(matches!(
        care.appointments[0].recorded_by,
        RecordOrigin::Synced { .. }
    ));
    assert!(outcome.skipped.is_empty(), "{:?}", outcome.skipped);
}

#[test]
fn a_server_that_lists_no_appointments_is_not_asked_for_them() {
    let book = with_care(person());
    let mut server = FakeServer::new();
    server.everything = false;
    server.seed(&book);
    let transport = FakeTransport::new(server);
    let outcome = add(&transport, book.citizen_id()).unwrap();
    assert!(same_records(&outcome.merged.book, &book));
    assert!(!transport
        .requests()
        .iter()
        .any(|u| u.contains("/Appointment?") || u.contains("/ServiceRequest?")));
}

// Clock faults (issue 18, RESILIENCE.md): a device clock years off in either direction, with and
// without a readable `Date` from the server. The next refresh's `_since` never lies after the
// server's own time, so the change made in between is fetched.
#[test]
fn a_device_clock_years_off_either_way_skips_no_change() {
    for years in [-12, 12] {
        for send_date in [true, false] {
            let (transport, book, _) = seeded();
            transport.server.borrow_mut().send_date = send_date;
            let server_clock = transport.server.borrow().clock;
            transport
                .now
                .set(server_clock + Duration::days(365 * years));
            let first = add(&transport, book.citizen_id()).unwrap();
            let since =
                OffsetDateTime::parse(first.snapshot.since.as_deref().unwrap(), &Rfc3339).unwrap();
            assert!(
                since < server_clock,
                "{years} years, Date {send_date}: {since}"
            );
            let changed = book.vaccinations[0].id.as_str().to_string();
            {
                let mut server = transport.server.borrow_mut();
                let key = server.key_by_record_id("Immunization", &changed);
                server.update(&key, |r| r["lotNumber"] = json!("CLOCK-OFF"));
            }
            let second = refresh(&transport, &first).unwrap();
            let v = second
                .merged
                .book
                .vaccinations
                .iter()
                .find(|v| v.id.as_str() == changed)
                .unwrap();
            assert_eq!(
                v.lot_number.as_deref(),
                Some("CLOCK-OFF"),
                "{years} years, Date {send_date}, {:?}",
                second.mode
            );
        }
    }
}

/// Deletes every resource of `resource_type` on the server.
fn delete_all(transport: &FakeTransport, resource_type: &str) {
    let mut server = transport.server.borrow_mut();
    let keys: Vec<String> = server
        .resources
        .keys()
        .filter(|k| k.starts_with(&format!("{resource_type}/")))
        .cloned()
        .collect();
    assert!(!keys.is_empty(), "the server holds a {resource_type}");
    for key in keys {
        server.delete(&key);
    }
}

#[test]
fn a_refresh_sees_appointments_and_referrals_removed_on_the_server() {
    for everything in [true, false] {
        for care in [CareSupport::History, CareSupport::SearchOnly] {
            let book = with_care(person());
            let mut server = FakeServer::new();
            server.everything = everything;
            server.care = care;
            server.seed(&book);
            let transport = FakeTransport::new(server);
            let first = add(&transport, book.citizen_id()).unwrap();
            assert_eq!(first.merged.book.care.appointments.len(), 1);
            assert_eq!(first.merged.book.care.referrals.len(), 1);
            delete_all(&transport, "Appointment");
            delete_all(&transport, "ServiceRequest");
            transport.clear_log();

            let second = refresh(&transport, &first).unwrap();
            let case = format!("everything {everything}, {care:?}");
            assert_eq!(second.mode, SyncMode::Incremental, "{case}");
            assert!(second.merged.book.care.appointments.is_empty(), "{case}");
            assert!(second.merged.book.care.referrals.is_empty(), "{case}");
            // Each type by the check the server offers: its history, else a whole listing.
            let requests = transport.requests();
            for t in CARE_TYPES {
                let by_history = requests
                    .iter()
                    .any(|u| u.contains(&format!("/{t}/_history")));
                assert_eq!(by_history, care == CareSupport::History, "{case} {t}");
            }
        }
    }
}

#[test]
fn appointments_a_server_can_neither_report_nor_list_are_checked_by_a_full_refresh() {
    let book = with_care(person());
    let mut server = FakeServer::new();
    server.seed(&book);
    let transport = FakeTransport::new(server);
    let first = add(&transport, book.citizen_id()).unwrap();
    assert_eq!(first.merged.book.care.appointments.len(), 1);
    delete_all(&transport, "Appointment");

    let second = refresh(&transport, &first).unwrap();
    assert_eq!(
        second.mode,
        SyncMode::Full(Some(FullBecause::NoDeletionHistory))
    );
    assert!(second.merged.book.care.appointments.is_empty());
    assert_eq!(second.merged.book.care.referrals.len(), 1);
}
