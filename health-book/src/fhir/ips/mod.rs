//! A book as an International Patient Summary (IPS 2.0.0, hl7.org/fhir/uv/ips): a `document`
//! Bundle whose first entry is a `Composition` (LOINC 60591-5 "Patient summary Document") with the
//! sections Problems (11450-4), Allergies (48765-2), Medications (10160-0) and Immunizations
//! (11369-6), plus Plan of care (18776-5) for the next doses due and Results (30954-2) for the
//! blood group when the book has them. A required section with nothing in it says why
//! (`emptyReason` and its text). Every entry has a `urn:uuid:` fullUrl and every reference
//! between entries uses it, so the document stands on its own.
//!
//! The resources are exactly those of [`super::export_book`] (one mapping for both files); this
//! module gives them document identities and writes the Composition. Importing an IPS needs
//! nothing of its own: [`super::import_book`] reads `document` Bundles, `MedicationStatement`s
//! and the standard allergy, condition and blood-group resources.

use std::collections::HashMap;

use serde_json::{json, Map, Value};
use time::OffsetDateTime;

use super::export::timestamp_text;
use super::{export_book, LOINC_SYSTEM};
use crate::model::HealthBook;

/// LOINC "Patient summary Document".
pub const IPS_DOCUMENT_TYPE: &str = "60591-5";
pub const PROBLEMS_SECTION: &str = "11450-4";
pub const ALLERGIES_SECTION: &str = "48765-2";
pub const MEDICATIONS_SECTION: &str = "10160-0";
pub const IMMUNIZATIONS_SECTION: &str = "11369-6";
pub const PLAN_OF_CARE_SECTION: &str = "18776-5";
pub const RESULTS_SECTION: &str = "30954-2";
pub const LIST_EMPTY_REASON_SYSTEM: &str =
    "http://terminology.hl7.org/CodeSystem/list-empty-reason";

/// One section: its LOINC code and name, the resource types it lists, and whether IPS requires
/// it (a required one is written even when empty, saying why).
struct Section {
    code: &'static str,
    display: &'static str,
    title: &'static str,
    types: &'static [&'static str],
    required: bool,
    /// What an empty section says, in the words of this book.
    empty_text: &'static str,
}

const SECTIONS: [Section; 6] = [
    Section {
        code: PROBLEMS_SECTION,
        display: "Problem list - Reported",
        title: "Active Problems",
        types: &["Condition"],
        required: true,
        empty_text: "No chronic condition is recorded in this health book.",
    },
    Section {
        code: ALLERGIES_SECTION,
        display: "Allergies and adverse reactions Document",
        title: "Allergies and Intolerances",
        types: &["AllergyIntolerance"],
        required: true,
        empty_text: "No allergy is recorded in this health book.",
    },
    Section {
        code: MEDICATIONS_SECTION,
        display: "History of Medication use Narrative",
        title: "Medication Summary",
        types: &["MedicationRequest"],
        required: true,
        empty_text: "No prescription is recorded in this health book.",
    },
    Section {
        code: IMMUNIZATIONS_SECTION,
        display: "History of Immunization Narrative",
        title: "Immunizations",
        types: &["Immunization"],
        // Recommended by IPS; written always, so a reader sees the book holds none.
        required: true,
        empty_text: "No vaccination is recorded in this health book.",
    },
    Section {
        code: PLAN_OF_CARE_SECTION,
        display: "Plan of care note",
        title: "Plan of Care: next vaccine doses due",
        types: &["ImmunizationRecommendation"],
        required: false,
        empty_text: "",
    },
    Section {
        code: RESULTS_SECTION,
        display: "Relevant diagnostic tests/laboratory data Narrative",
        title: "Results: blood group",
        types: &["Observation"],
        required: false,
        empty_text: "",
    },
];

/// The document's identity: a random 128-bit value from the caller (the browser's
/// `crypto.getRandomValues`; tests give a fixed one) and the moment it is written. Entry UUIDs are
/// derived from it, so one export's UUIDs are distinct and a second export's are new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpsIdentity {
    pub seed: [u8; 16],
    pub at: OffsetDateTime,
}

/// A version-4-shaped UUID from the seed and an index (SplitMix64 over both halves).
fn uuid(seed: &[u8; 16], index: u64) -> String {
    let half = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap_or([0; 8]));
    let mix = |mut z: u64| {
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let step = index.wrapping_add(1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let hi = mix(half(&seed[..8]).wrapping_add(step));
    let lo = mix(half(&seed[8..]) ^ hi.rotate_left(17) ^ step);
    let hi = (hi & !0xf000) | 0x4000; // version 4
    let lo = (lo & !(0xc << 60)) | (0x8 << 60); // RFC 4122 variant
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        lo >> 48,
        lo & 0xffff_ffff_ffff
    )
}

/// XHTML text: the narrative `div` holds the book's own words.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Rewrites every `reference` that names an entry (`Type/id`) to that entry's `urn:uuid:`.
fn rewrite_references(value: &mut Value, urns: &HashMap<String, String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if key == "reference" {
                    if let Some(urn) = v.as_str().and_then(|r| urns.get(r)) {
                        *v = Value::String(urn.clone());
                    }
                } else {
                    rewrite_references(v, urns);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_references(v, urns)),
        _ => {}
    }
}

fn concept_words(concept: Option<&Value>) -> Option<String> {
    let concept = concept?;
    concept
        .get("text")
        .and_then(Value::as_str)
        .or_else(|| concept.pointer("/coding/0/display").and_then(Value::as_str))
        .map(str::to_string)
}

/// One line of a section's narrative for one entry.
fn narrative_line(resource: &Value) -> String {
    let kind = resource["resourceType"].as_str().unwrap_or("");
    let words = match kind {
        "Condition" | "AllergyIntolerance" => concept_words(resource.get("code")),
        "MedicationRequest" => {
            let name = concept_words(resource.get("medicationCodeableConcept"));
            let when = resource["authoredOn"]
                .as_str()
                .map(|t| t.get(..10).unwrap_or(t));
            let dosage = resource
                .pointer("/dosageInstruction/0/text")
                .and_then(Value::as_str);
            name.map(|n| {
                let mut line = n;
                if let Some(when) = when {
                    line.push_str(&format!(", prescribed {when}"));
                }
                if let Some(dosage) = dosage {
                    line.push_str(&format!(": {dosage}"));
                }
                line
            })
        }
        "Immunization" => concept_words(resource.get("vaccineCode")).map(|v| {
            match resource["occurrenceDateTime"].as_str() {
                Some(date) => format!("{v}, {date}"),
                None => v,
            }
        }),
        "ImmunizationRecommendation" => {
            let r = resource.pointer("/recommendation/0");
            let vaccine = r.and_then(|r| concept_words(r.pointer("/vaccineCode/0")));
            let due = r
                .and_then(|r| r.pointer("/dateCriterion/0/value"))
                .and_then(Value::as_str);
            vaccine.map(|v| match due {
                Some(due) => format!("{v}: next dose due {due}"),
                None => v,
            })
        }
        "Observation" => concept_words(resource.get("valueCodeableConcept"))
            .map(|v| format!("ABO and Rh group: {v}")),
        _ => None,
    };
    format!(
        "<li>{}</li>",
        escape(&words.unwrap_or_else(|| kind.to_string()))
    )
}

fn section(s: &Section, entries: &[(String, &Value)]) -> Option<Value> {
    if entries.is_empty() && !s.required {
        return None;
    }
    let mut out = Map::new();
    out.insert("title".into(), json!(s.title));
    out.insert(
        "code".into(),
        json!({ "coding": [{ "system": LOINC_SYSTEM, "code": s.code, "display": s.display }] }),
    );
    let div = if entries.is_empty() {
        format!("<p>{}</p>", escape(s.empty_text))
    } else {
        let lines: String = entries.iter().map(|(_, r)| narrative_line(r)).collect();
        format!("<ul>{lines}</ul>")
    };
    out.insert(
        "text".into(),
        json!({
            "status": "generated",
            "div": format!("<div xmlns=\"http://www.w3.org/1999/xhtml\">{div}</div>"),
        }),
    );
    if entries.is_empty() {
        // The book simply holds none: "unavailable" is the honest reason, its text says so.
        out.insert(
            "emptyReason".into(),
            json!({
                "coding": [{ "system": LIST_EMPTY_REASON_SYSTEM, "code": "unavailable", "display": "Unavailable" }],
                "text": s.empty_text,
            }),
        );
    } else {
        let refs: Vec<Value> = entries
            .iter()
            .map(|(urn, _)| json!({ "reference": urn }))
            .collect();
        out.insert("entry".into(), Value::Array(refs));
    }
    Some(Value::Object(out))
}

/// One book as an IPS `document` Bundle.
pub fn export_ips(book: &HealthBook, identity: IpsIdentity) -> Value {
    let collection = export_book(book);
    // These structs hold only strings, numbers and booleans under string keys.
    let collection =
        serde_json::to_value(&collection).expect("FHIR bundle structs always serialize");
    let mut resources: Vec<Value> = collection["entry"]
        .as_array()
        .map(|entries| entries.iter().map(|e| e["resource"].clone()).collect())
        .unwrap_or_default();
    let composition_urn = format!("urn:uuid:{}", uuid(&identity.seed, 0));
    let mut urns = HashMap::new();
    let mut entry_urns = Vec::with_capacity(resources.len());
    for (i, r) in resources.iter().enumerate() {
        let key = format!(
            "{}/{}",
            r["resourceType"].as_str().unwrap_or(""),
            r["id"].as_str().unwrap_or("")
        );
        let urn = format!("urn:uuid:{}", uuid(&identity.seed, i as u64 + 1));
        urns.insert(key, urn.clone());
        entry_urns.push(urn);
    }
    for r in &mut resources {
        rewrite_references(r, &urns);
    }
    let patient_urn = resources
        .iter()
        .zip(&entry_urns)
        .find(|(r, _)| r["resourceType"] == "Patient")
        .map(|(_, urn)| urn.clone())
        .unwrap_or_default();
    let sections: Vec<Value> = SECTIONS
        .iter()
        .filter_map(|s| {
            let listed: Vec<(String, &Value)> = resources
                .iter()
                .zip(&entry_urns)
                .filter(|(r, _)| s.types.iter().any(|t| r["resourceType"] == *t))
                .map(|(r, urn)| (urn.clone(), r))
                .collect();
            section(s, &listed)
        })
        .collect();
    let at = timestamp_text(identity.at).unwrap_or_default();
    let name = &book.profile.full_name;
    let composition = json!({
        "resourceType": "Composition",
        "id": uuid(&identity.seed, 0),
        "status": "final",
        "type": { "coding": [{ "system": LOINC_SYSTEM, "code": IPS_DOCUMENT_TYPE, "display": "Patient summary Document" }] },
        "subject": { "reference": patient_urn },
        "date": at,
        // The person's own book, exported by them: they are its author.
        "author": [{ "reference": patient_urn }],
        "title": format!("Patient Summary of {name} as of {}", at.get(..10).unwrap_or(&at)),
        "section": sections,
    });
    let mut entry = vec![json!({ "fullUrl": composition_urn, "resource": composition })];
    entry.extend(
        resources
            .into_iter()
            .zip(entry_urns)
            .map(|(resource, urn)| json!({ "fullUrl": urn, "resource": resource })),
    );
    json!({
        "resourceType": "Bundle",
        "identifier": {
            "system": "urn:ietf:rfc:3986",
            "value": format!("urn:uuid:{}", uuid(&identity.seed, u64::MAX)),
        },
        "type": "document",
        "timestamp": at,
        "entry": entry,
    })
}

pub fn export_ips_json(book: &HealthBook, identity: IpsIdentity) -> String {
    export_ips(book, identity).to_string()
}
