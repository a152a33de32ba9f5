//! What to fetch, and the URLs that fetch it.
//!
//! Adding a book, or refreshing when an incremental refresh is not possible, is a *full* fetch:
//! the person's whole record (`Patient/[id]/$everything` when offered, otherwise one search per
//! record type, `patient=Patient/[id]`). A refresh is *incremental* when the previous sync's
//! copy of the server's resources is on the device and matches the book, and the server reports
//! deletions: then only what changed since the last sync is fetched (`$everything?_since=` or
//! `_lastUpdated=gt`), deletions come from each type's `_history?_since=`, and the Patient is read
//! with `If-None-Match`. Every list is paged through its `next` links.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::capability::Capabilities;
use super::snapshot::ServerSnapshot;
use super::{PROFILE_TYPES, SYNCED_TYPES};
use crate::fhir::NATIONAL_ID_SYSTEM;
use crate::CitizenId;

/// Entries asked for per page.
pub const PAGE_SIZE: u32 = 200;
/// Ids per `_id=` search when fetching referenced resources.
pub const IDS_PER_SEARCH: usize = 50;

/// How the person's records are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordSource {
    Everything,
    SearchPerType,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    Full {
        records: RecordSource,
    },
    Incremental {
        /// Server time of the previous sync.
        since: String,
        records: RecordSource,
    },
}

/// Why a refresh fetches everything again (shown to nobody; logged and tested).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FullBecause {
    /// No copy of the server's resources from an earlier sync on the device.
    NoSnapshot,
    /// The copy is of another server or another patient, or of another version of the book.
    SnapshotMismatch,
    /// The server does not report deletions (no type-level `_history`).
    NoDeletionHistory,
}

/// The plan for a refresh of `patient_id` on `base_url`. `book_synced_at` is the book's
/// `last_synced_at`: a snapshot written by a save that did not complete has another stamp, and is
/// not trusted.
pub fn refresh_plan(
    capabilities: &Capabilities,
    snapshot: Option<&ServerSnapshot>,
    base_url: &str,
    patient_id: &str,
    book_synced_at: Option<OffsetDateTime>,
) -> Result<Plan, FullBecause> {
    let snapshot = snapshot.ok_or(FullBecause::NoSnapshot)?;
    let matches = snapshot.base_url == base_url
        && snapshot.patient_id == patient_id
        && book_synced_at.is_some_and(|at| at == snapshot.synced_at);
    if !matches {
        return Err(FullBecause::SnapshotMismatch);
    }
    let since = snapshot
        .since
        .clone()
        .ok_or(FullBecause::SnapshotMismatch)?;
    if !capabilities.incremental_refresh() {
        return Err(FullBecause::NoDeletionHistory);
    }
    // Appointments or referrals the device holds of a type whose removals the server cannot
    // tell: only a full fetch sees them go.
    let unknowable = super::CARE_TYPES.iter().any(|t| {
        care_check(capabilities, base_url, patient_id, t).is_none()
            && snapshot
                .resources
                .keys()
                .any(|k| k.starts_with(&format!("{t}/")))
    });
    if unknowable {
        return Err(FullBecause::NoDeletionHistory);
    }
    Ok(Plan::Incremental {
        since,
        records: record_source(capabilities),
    })
}

pub fn record_source(capabilities: &Capabilities) -> RecordSource {
    if capabilities.patient_everything() {
        RecordSource::Everything
    } else {
        RecordSource::SearchPerType
    }
}

/// A query-string component, percent-encoded (RFC 3986 unreserved characters pass).
pub fn encode(component: &str) -> String {
    let mut out = String::with_capacity(component.len());
    for b in component.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// An instant as FHIR search wants it.
pub fn instant(at: OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

fn base(base_url: &str) -> &str {
    base_url.trim_end_matches('/')
}

pub fn metadata_url(base_url: &str) -> String {
    format!("{}/metadata", base(base_url))
}

/// `Patient?identifier=<national ID system>|<citizen ID>`: the person, by the number on their card.
pub fn patient_search_url(base_url: &str, citizen_id: &CitizenId) -> String {
    format!(
        "{}/Patient?identifier={}&_count=10",
        base(base_url),
        encode(&format!("{NATIONAL_ID_SYSTEM}|{}", citizen_id.as_str()))
    )
}

pub fn read_url(base_url: &str, resource_type: &str, id: &str) -> String {
    format!("{}/{resource_type}/{}", base(base_url), encode(id))
}

pub fn everything_url(base_url: &str, patient_id: &str, since: Option<&str>) -> String {
    let mut url = format!(
        "{}/Patient/{}/$everything?_count={PAGE_SIZE}",
        base(base_url),
        encode(patient_id)
    );
    if let Some(since) = since {
        url.push_str(&format!("&_since={}", encode(since)));
    }
    url
}

/// One record type of the person: `[type]?patient=Patient/[id]`, changed after `since` if given.
pub fn type_search_url(
    base_url: &str,
    resource_type: &str,
    patient_id: &str,
    since: Option<&str>,
) -> String {
    let mut url = format!(
        "{}/{resource_type}?patient={}&_count={PAGE_SIZE}",
        base(base_url),
        encode(&format!("Patient/{patient_id}"))
    );
    if let Some(since) = since {
        url.push_str(&format!("&_lastUpdated={}", encode(&format!("gt{since}"))));
    }
    url
}

pub fn history_url(base_url: &str, resource_type: &str, since: &str) -> String {
    format!(
        "{}/{resource_type}/_history?_since={}&_count={PAGE_SIZE}",
        base(base_url),
        encode(since)
    )
}

/// `[type]?_id=a,b,c`: referenced resources the listing did not include.
pub fn ids_url(base_url: &str, resource_type: &str, ids: &[String]) -> String {
    let ids: Vec<String> = ids.iter().map(|id| encode(id)).collect();
    format!(
        "{}/{resource_type}?_id={}&_count={}",
        base(base_url),
        ids.join(","),
        ids.len()
    )
}

/// `[type]?_id=a,b,c&_lastUpdated=gt<since>`: the ones of these that changed after `since`.
pub fn changed_ids_url(base_url: &str, resource_type: &str, ids: &[String], since: &str) -> String {
    format!(
        "{}&_lastUpdated={}",
        ids_url(base_url, resource_type, ids),
        encode(&format!("gt{since}"))
    )
}

/// The URLs that list the person's records, for a full fetch (`since: None`) or the changes
/// after `since`.
pub fn record_urls(
    base_url: &str,
    source: RecordSource,
    patient_id: &str,
    since: Option<&str>,
) -> Vec<String> {
    match source {
        RecordSource::Everything => vec![everything_url(base_url, patient_id, since)],
        RecordSource::SearchPerType => SYNCED_TYPES
            .iter()
            .map(|t| type_search_url(base_url, t, patient_id, since))
            .collect(),
    }
}

/// The searches that list the person's standing facts ([`PROFILE_TYPES`]) when records are
/// searched per type. Observations are narrowed to the blood group (LOINC 882-1): a person's
/// results and vital signs would be thousands of resources the book has no place for.
pub fn profile_urls(base_url: &str, patient_id: &str, since: Option<&str>) -> Vec<String> {
    PROFILE_TYPES
        .iter()
        .map(|t| {
            let url = type_search_url(base_url, t, patient_id, since);
            match *t {
                "Observation" => format!(
                    "{url}&code={}",
                    encode(&format!(
                        "{}|{}",
                        crate::fhir::LOINC_SYSTEM,
                        crate::fhir::blood_group::ABO_RH_LOINC
                    ))
                ),
                _ => url,
            }
        })
        .collect()
}

/// How an incremental refresh learns what the server removed of one type since the last sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeletionCheck {
    /// The type's `_history?_since=`: its deletions, and versions that now belong to another
    /// person.
    History,
    /// The type listed whole again (this URL), replacing what the device held of it: for types
    /// of a handful of resources per person.
    WholeListing(String),
}

/// The one rule for deletions on an incremental refresh, for every type a refresh keeps:
/// the records ([`SYNCED_TYPES`]) by their `_history`, which an incremental refresh requires;
/// the standing facts ([`PROFILE_TYPES`]) and the appointments and referrals
/// ([`super::CARE_TYPES`]) by their `_history` where the server reports it, else listed whole.
/// An appointment or referral type the server can neither report nor list is left out, and
/// [`refresh_plan`] fetches everything when the device holds any of it.
pub fn deletion_checks(
    base_url: &str,
    capabilities: &Capabilities,
    patient_id: &str,
) -> Vec<(&'static str, DeletionCheck)> {
    let records = SYNCED_TYPES.map(|t| (t, DeletionCheck::History));
    let whole_facts = profile_urls(base_url, patient_id, None);
    let facts = PROFILE_TYPES
        .into_iter()
        .zip(whole_facts)
        .map(|(t, whole)| {
            let check = if capabilities.reports_deletions_of(t) {
                DeletionCheck::History
            } else {
                DeletionCheck::WholeListing(whole)
            };
            (t, check)
        });
    let care = super::CARE_TYPES
        .into_iter()
        .filter_map(|t| Some((t, care_check(capabilities, base_url, patient_id, t)?)));
    records.into_iter().chain(facts).chain(care).collect()
}

/// How removals of an appointment or referral type are learnt, if the server can tell them.
fn care_check(
    capabilities: &Capabilities,
    base_url: &str,
    patient_id: &str,
    resource_type: &str,
) -> Option<DeletionCheck> {
    if capabilities.reports_deletions_of(resource_type) {
        return Some(DeletionCheck::History);
    }
    capabilities
        .resource(resource_type)
        .is_some_and(|r| r.has_interaction("search-type"))
        .then(|| {
            DeletionCheck::WholeListing(type_search_url(base_url, resource_type, patient_id, None))
        })
}

/// The per-type searches of appointments and referrals, for the types the server says it can
/// search (`$everything` already returns them): none on a server that holds none.
pub fn care_urls(
    base_url: &str,
    capabilities: &Capabilities,
    patient_id: &str,
    since: Option<&str>,
) -> Vec<String> {
    if record_source(capabilities) == RecordSource::Everything {
        return Vec::new();
    }
    super::CARE_TYPES
        .iter()
        .filter(|t| {
            capabilities
                .resource(t)
                .is_some_and(|r| r.has_interaction("search-type"))
        })
        .map(|t| type_search_url(base_url, t, patient_id, since))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const BASE: &str = "http://127.0.0.1:8103/fhir/R4/";

    #[test]
    fn urls_are_built_and_encoded() {
        let id = CitizenId::parse("001090123456").unwrap();
        assert_eq!(
            patient_search_url(BASE, &id),
            "http://127.0.0.1:8103/fhir/R4/Patient?identifier=http%3A%2F%2Ffhir.ehealth.gov.vn%2Fcore%2Fsid%2Fnational_id%7C001090123456&_count=10"
        );
        assert_eq!(
            type_search_url(BASE, "Immunization", "p-1", Some("2026-01-02T03:04:05Z")),
            "http://127.0.0.1:8103/fhir/R4/Immunization?patient=Patient%2Fp-1&_count=200&_lastUpdated=gt2026-01-02T03%3A04%3A05Z"
        );
        assert_eq!(
            everything_url(BASE, "p 1", None),
            "http://127.0.0.1:8103/fhir/R4/Patient/p%201/$everything?_count=200"
        );
        assert_eq!(
            history_url(BASE, "MedicationRequest", "2026-01-02T03:04:05Z"),
            "http://127.0.0.1:8103/fhir/R4/MedicationRequest/_history?_since=2026-01-02T03%3A04%3A05Z&_count=200"
        );
        assert_eq!(
            ids_url(BASE, "Organization", &["a".into(), "b".into()]),
            "http://127.0.0.1:8103/fhir/R4/Organization?_id=a,b&_count=2"
        );
        assert_eq!(encode("Nguyễn"), "Nguy%E1%BB%85n");
    }

    #[test]
    fn instants_are_utc_whole_seconds() {
        assert_eq!(
            instant(datetime!(2026-01-02 10:04:05.678 +07:00)),
            "2026-01-02T03:04:05Z"
        );
    }

    #[test]
    fn per_type_listing_covers_every_synced_type() {
        let urls = record_urls(BASE, RecordSource::SearchPerType, "p1", None);
        assert_eq!(urls.len(), SYNCED_TYPES.len());
        for t in SYNCED_TYPES {
            assert!(
                urls.iter().any(|u| u.contains(&format!("/{t}?patient="))),
                "{t}"
            );
        }
        assert_eq!(
            record_urls(BASE, RecordSource::Everything, "p1", None).len(),
            1
        );
    }

    #[test]
    fn the_standing_facts_are_listed_per_type_and_observations_only_the_blood_group() {
        let urls = profile_urls(BASE, "p1", None);
        assert_eq!(urls.len(), PROFILE_TYPES.len());
        for t in PROFILE_TYPES {
            assert!(urls.iter().any(|u| u.contains(&format!("/{t}?patient="))));
        }
        let observation = urls.iter().find(|u| u.contains("/Observation?")).unwrap();
        assert!(
            observation.ends_with("&code=http%3A%2F%2Floinc.org%7C882-1"),
            "{observation}"
        );
        let changed = profile_urls(BASE, "p1", Some("2026-01-01T00:00:00Z"));
        assert!(changed.iter().all(|u| u.contains("_lastUpdated=gt")));
    }
}
