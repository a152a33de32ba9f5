//! The device's copy of one person's resources as the server last gave them.
//!
//! A refresh fetches only what changed, but a book cannot be patched record by record: one
//! prescription is several MedicationRequests, a next-dose date lives in an
//! ImmunizationRecommendation, a facility in an Organization. So the sync keeps the resources
//! themselves, applies changes and deletions to them by `Type/id`, and has the domain crate map
//! the whole set again ([`crate::fhir::import_resources`]): the same validation and mapping as a full
//! fetch, whatever changed.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

use super::bundle::{key_of_reference, key_of_resource};
use super::{CARE_TYPES, SUPPORT_TYPES, SYNCED_TYPES};
use crate::fhir::blood_group::ABO_RH_LOINC;
use crate::fhir::LOINC_SYSTEM;

/// Whether a resource the server sent may join one person's copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// This person's Patient, one of their records, or a detail records point at.
    Own,
    /// Another person's Patient or record (or a record of nobody): never kept.
    Foreign,
    /// A type the book does not use.
    Ignored,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerSnapshot {
    pub base_url: String,
    pub patient_id: String,
    /// The Patient's ETag, for `If-None-Match` on the next refresh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patient_etag: Option<String>,
    /// Server time at the start of the sync that wrote this copy: the next refresh asks for
    /// changes after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// Device time of that sync, equal to the book's `last_synced_at` when both were saved
    /// together.
    #[serde(with = "time::serde::rfc3339")]
    pub synced_at: OffsetDateTime,
    /// Resources by `Type/id`.
    pub resources: BTreeMap<String, Value>,
}

/// What applying a page changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    pub changed: usize,
    pub removed: usize,
}

impl ServerSnapshot {
    pub fn new(base_url: &str, patient_id: &str, synced_at: OffsetDateTime) -> ServerSnapshot {
        ServerSnapshot {
            base_url: base_url.trim_end_matches('/').to_string(),
            patient_id: patient_id.to_string(),
            patient_etag: None,
            since: None,
            synced_at,
            resources: BTreeMap::new(),
        }
    }

    pub fn patient_key(&self) -> String {
        format!("Patient/{}", self.patient_id)
    }

    pub fn patient(&self) -> Option<&Value> {
        self.resources.get(&self.patient_key())
    }

    pub fn len(&self) -> usize {
        self.resources.len()
    }

    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
    }

    /// Adds or replaces a resource; `true` if it was new or different.
    pub fn upsert(&mut self, resource: Value) -> bool {
        let Some(key) = key_of_resource(&resource) else {
            return false;
        };
        match self.resources.get(&key) {
            Some(old) if *old == resource => false,
            _ => {
                self.resources.insert(key, resource);
                true
            }
        }
    }

    pub fn remove(&mut self, key: &str) -> bool {
        self.resources.remove(key).is_some()
    }

    pub fn contains(&self, key: &str) -> bool {
        self.resources.contains_key(key)
    }

    /// Whether a record resource belongs to this person (`patient` or `subject`; for an
    /// Appointment, its participants, all the Patients among which must be this one).
    pub fn belongs_to_patient(&self, resource: &Value) -> bool {
        let own = self.patient_key();
        if resource.get("resourceType").and_then(Value::as_str) == Some("Appointment") {
            let patients: Vec<String> = participant_patients(resource).collect();
            return !patients.is_empty() && patients.iter().all(|k| *k == own);
        }
        ["/patient/reference", "/subject/reference"]
            .iter()
            .any(|p| {
                resource
                    .pointer(p)
                    .and_then(Value::as_str)
                    .and_then(key_of_reference)
                    .is_some_and(|k| k == own)
            })
    }

    /// The one rule for what a sync keeps, whatever list brought the resource: the Patient must
    /// be this one, a record must name this patient, and a detail (Condition, Encounter) that
    /// names a patient must name this one. Organizations, Practitioners and Medications name
    /// nobody; the ones no record points at are pruned after the fetch.
    pub fn admit(&self, resource: &Value) -> Admission {
        let Some(key) = key_of_resource(resource) else {
            return Admission::Ignored;
        };
        let resource_type = key.split('/').next().unwrap_or("");
        let own = if resource_type == "Patient" {
            key == self.patient_key()
        } else if resource_type == "Observation" {
            // Only the blood group: the person's other observations have no place in the book.
            if !is_blood_group(resource) {
                return Admission::Ignored;
            }
            self.belongs_to_patient(resource)
        } else if SYNCED_TYPES.contains(&resource_type)
            || CARE_TYPES.contains(&resource_type)
            || resource_type == "AllergyIntolerance"
        {
            self.belongs_to_patient(resource)
        } else if SUPPORT_TYPES.contains(&resource_type) {
            !names_a_patient(resource) || self.belongs_to_patient(resource)
        } else {
            return Admission::Ignored;
        };
        if own {
            Admission::Own
        } else {
            Admission::Foreign
        }
    }

    /// The newest `meta.lastUpdated` among the resources held: a time the server's own clock
    /// has passed.
    pub fn newest_update(&self) -> Option<OffsetDateTime> {
        self.resources
            .values()
            .filter_map(|r| r.pointer("/meta/lastUpdated").and_then(Value::as_str))
            .filter_map(|t| {
                OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()
            })
            .max()
    }

    /// Ids of the resources held of each of `types`, sorted.
    pub fn held(&self, types: &[&str]) -> BTreeMap<String, Vec<String>> {
        let mut held: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for key in self.resources.keys() {
            if let Some((resource_type, id)) = key.split_once('/') {
                if types.contains(&resource_type) {
                    held.entry(resource_type.to_string())
                        .or_default()
                        .push(id.to_string());
                }
            }
        }
        held
    }

    /// Resources of `types` that are referenced but not held, by type, ids sorted.
    pub fn missing_references(&self, types: &[&str]) -> BTreeMap<String, Vec<String>> {
        let mut found = BTreeSet::new();
        for resource in self.resources.values() {
            collect_references(resource, &mut found);
        }
        let mut missing: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for key in found {
            if self.resources.contains_key(&key) {
                continue;
            }
            if let Some((resource_type, id)) = key.split_once('/') {
                if types.contains(&resource_type) {
                    missing
                        .entry(resource_type.to_string())
                        .or_default()
                        .push(id.to_string());
                }
            }
        }
        missing
    }
}

/// An Observation coded LOINC 882-1 (ABO and Rh group).
fn is_blood_group(resource: &Value) -> bool {
    resource
        .pointer("/code/coding")
        .and_then(Value::as_array)
        .is_some_and(|codings| {
            codings.iter().any(|c| {
                c.get("system").and_then(Value::as_str) == Some(LOINC_SYSTEM)
                    && c.get("code").and_then(Value::as_str) == Some(ABO_RH_LOINC)
            })
        })
}

/// The Patients among an Appointment's participants, as `Patient/id` keys.
fn participant_patients(resource: &Value) -> impl Iterator<Item = String> + '_ {
    resource
        .get("participant")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| p.pointer("/actor/reference").and_then(Value::as_str))
        .filter_map(key_of_reference)
        .filter(|k| k.starts_with("Patient/"))
}

fn names_a_patient(resource: &Value) -> bool {
    ["/patient/reference", "/subject/reference"]
        .iter()
        .filter_map(|p| resource.pointer(p).and_then(Value::as_str))
        .filter_map(key_of_reference)
        .any(|k| k.starts_with("Patient/"))
}

fn collect_references(value: &Value, found: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(key) = map
                .get("reference")
                .and_then(Value::as_str)
                .and_then(key_of_reference)
            {
                found.insert(key);
            }
            map.values().for_each(|v| collect_references(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_references(v, found)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::datetime;

    fn snapshot() -> ServerSnapshot {
        let mut s = ServerSnapshot::new("http://x/fhir/", "p1", datetime!(2026-01-01 0:00 UTC));
        s.upsert(json!({ "resourceType": "Patient", "id": "p1" }));
        s.upsert(json!({
            "resourceType": "Immunization", "id": "i1", "patient": { "reference": "Patient/p1" },
            "performer": [{ "actor": { "reference": "http://x/fhir/Organization/o1" } }],
            "extension": [{ "url": "u", "valueReference": { "reference": "Practitioner/d1/_history/2" } }]
        }));
        s
    }

    #[test]
    fn upsert_reports_only_real_changes() {
        let mut s = snapshot();
        assert_eq!(s.base_url, "http://x/fhir");
        assert!(!s.upsert(json!({ "resourceType": "Patient", "id": "p1" })));
        assert!(s.upsert(json!({ "resourceType": "Patient", "id": "p1", "gender": "male" })));
        assert!(
            !s.upsert(json!({ "resourceType": "Patient" })),
            "no id, no key"
        );
        assert!(s.remove("Immunization/i1"));
        assert!(!s.remove("Immunization/i1"));
        assert_eq!(s.len(), 1);
    }

    #[test]
    fn missing_references_are_found_anywhere_in_a_resource() {
        let s = snapshot();
        let missing = s.missing_references(&["Organization", "Practitioner"]);
        assert_eq!(missing.get("Organization"), Some(&vec!["o1".to_string()]));
        assert_eq!(missing.get("Practitioner"), Some(&vec!["d1".to_string()]));
        assert!(!missing.contains_key("Patient"));
    }

    #[test]
    fn ownership_follows_patient_or_subject() {
        let s = snapshot();
        assert!(s.belongs_to_patient(&json!({ "patient": { "reference": "Patient/p1" } })));
        assert!(s.belongs_to_patient(
            &json!({ "subject": { "reference": "http://x/fhir/Patient/p1" } })
        ));
        assert!(!s.belongs_to_patient(&json!({ "subject": { "reference": "Patient/p2" } })));
    }

    #[test]
    fn the_snapshot_round_trips_through_json() {
        let s = snapshot();
        let text = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<ServerSnapshot>(&text).unwrap(), s);
    }
}
