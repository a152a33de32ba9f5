//! The International Patient Summary (IPS 2.0.0) in and out: the specification's published
//! example documents import (`tests/data/ips/`, see its README for source and licence), and a
//! book's export has the structure the IPS Bundle and Composition profiles require.

use std::collections::HashSet;

use health_book::fhir::ips::{
    export_ips, export_ips_json, IpsIdentity, ALLERGIES_SECTION, IMMUNIZATIONS_SECTION,
    IPS_DOCUMENT_TYPE, LIST_EMPTY_REASON_SYSTEM, MEDICATIONS_SECTION, PROBLEMS_SECTION,
};
use health_book::fhir::{
    import_book, BookImport, ImportError, ImportOptions, PatientProblem, SkipReason,
    NATIONAL_ID_SYSTEM,
};
use health_book::generate::{self, BookShape};
use health_book::model::{BloodGroup, HealthBook};
use serde_json::{json, Value};
use time::macros::datetime;

const CCCD: &str = "079085001234";

fn example(name: &str) -> Value {
    let path = format!("{}/tests/data/ips/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
}

/// The example as a Vietnamese facility would write it: its Patient also carries the CCCD.
fn with_citizen_id(mut document: Value) -> Vec<u8> {
    for entry in document["entry"].as_array_mut().unwrap() {
        if entry["resource"]["resourceType"] == "Patient" {
            entry["resource"]["identifier"]
                .as_array_mut()
                .unwrap()
                .push(json!({ "system": NATIONAL_ID_SYSTEM, "value": CCCD }));
        }
    }
    document.to_string().into_bytes()
}

fn import_example(name: &str) -> BookImport {
    import_book(&with_citizen_id(example(name)), &ImportOptions::default()).unwrap()
}

fn skipped_reasons(read: &BookImport, resource_type: &str) -> Vec<SkipReason> {
    read.report
        .skipped
        .iter()
        .filter(|s| s.resource_type == resource_type)
        .map(|s| s.reason.clone())
        .collect()
}

const EXAMPLES: [&str; 4] = [
    "Bundle-bundle-minimal.json",
    "Bundle-IPS-examples-Bundle-01.json",
    "Bundle-IPS-examples-Bundle-with-immunization.json",
    "Bundle-bundle-no-info-required-sections.json",
];

#[test]
fn an_example_without_a_citizen_id_is_refused_with_that_reason() {
    for name in EXAMPLES {
        let bytes = example(name).to_string().into_bytes();
        match import_book(&bytes, &ImportOptions::default()) {
            Err(ImportError::InvalidPatient { problem, .. }) => {
                assert_eq!(problem, PatientProblem::NoCitizenId, "{name}")
            }
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
fn the_minimal_example_gives_its_problem_allergy_and_medicine() {
    let read = import_example("Bundle-bundle-minimal.json");
    let book = &read.book;
    assert_eq!(book.citizen_id().as_str(), CCCD);
    // Family name first, as Vietnamese names are written (the import's rule for `name`).
    assert_eq!(book.profile.full_name, "DeLarosa Martha");
    assert_eq!(
        book.profile.chronic_conditions,
        vec!["Menopausal flushing (finding)".to_string()]
    );
    assert_eq!(book.profile.allergies.len(), 1);
    assert!(book.profile.allergies[0].contains("penicillin"));
    assert_eq!(book.prescriptions.len(), 1);
    let medicine = &book.prescriptions[0].medicines[0];
    assert_eq!(
        medicine.name,
        "Product containing anastrozole (medicinal product)"
    );
    // Started "2015-03": the first of the month.
    assert_eq!(
        book.prescriptions[0].issued_on(),
        time::macros::date!(2015 - 03 - 01)
    );
    // The Composition is the document's index, not a skipped record.
    assert!(skipped_reasons(&read, "Composition").is_empty());
}

#[test]
fn the_example_with_data_keeps_what_the_book_holds_and_reports_the_rest() {
    let read = import_example("Bundle-IPS-examples-Bundle-01.json");
    let book = &read.book;
    assert_eq!(
        book.profile.chronic_conditions,
        vec![
            "Menopausal flushing (finding)".to_string(),
            "Malignant tumor of breast".to_string()
        ]
    );
    // Penicillin is an allergy; "No known food allergy" says there is none.
    assert_eq!(book.profile.allergies.len(), 1);
    assert!(skipped_reasons(&read, "AllergyIntolerance").contains(&SkipReason::NoneKnown));
    let medicines: Vec<&str> = book
        .prescriptions
        .iter()
        .flat_map(|p| p.medicines.iter().map(|m| m.name.as_str()))
        .collect();
    assert_eq!(medicines.len(), 2);
    assert!(medicines.contains(&"Black Cohosh Extract herbal supplement"));
    // Laboratory results have no place in the book: reported, not lost silently.
    let results = skipped_reasons(&read, "Observation");
    assert!(!results.is_empty());
    assert!(results.iter().all(|r| *r == SkipReason::Unsupported));
}

#[test]
fn the_example_with_an_immunization_gives_the_vaccination() {
    let read = import_example("Bundle-IPS-examples-Bundle-with-immunization.json");
    assert_eq!(read.book.vaccinations.len(), 1);
    assert_eq!(read.book.prescriptions.len(), 2);
    assert_eq!(read.book.profile.chronic_conditions.len(), 2);
}

#[test]
fn the_example_with_empty_required_sections_gives_its_vaccinations_only() {
    let read = import_example("Bundle-bundle-no-info-required-sections.json");
    let book = &read.book;
    assert_eq!(book.vaccinations.len(), 2);
    assert!(book.prescriptions.is_empty());
    assert!(book.profile.allergies.is_empty());
    assert!(book.profile.chronic_conditions.is_empty());
    let lots: HashSet<&str> = book
        .vaccinations
        .iter()
        .filter_map(|v| v.lot_number.as_deref())
        .collect();
    assert_eq!(lots, HashSet::from(["B52b", "B52"]));
}

// --- The export ------------------------------------------------------------------------------

const IDENTITY: IpsIdentity = IpsIdentity {
    seed: [7; 16],
    at: datetime!(2026-12-02 09:30:00 +7),
};

fn full_book() -> HealthBook {
    let mut book = generate::book(19, &BookShape::adult_with_history(3));
    book.profile.allergies = vec!["Penicillin".into()];
    book.profile.chronic_conditions = vec!["Tăng huyết áp".into(), "Gút <cấp> & mạn".into()];
    book.profile.blood_group = Some(BloodGroup::OPositive);
    book
}

fn empty_book() -> HealthBook {
    let mut book = full_book();
    book.vaccinations.clear();
    book.prescriptions.clear();
    book.profile.allergies.clear();
    book.profile.chronic_conditions.clear();
    book.profile.blood_group = None;
    book
}

fn section<'a>(composition: &'a Value, code: &str) -> &'a Value {
    composition["section"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"]["coding"][0]["code"] == code)
        .unwrap_or_else(|| panic!("no section {code}"))
}

/// The structure IPS requires of a document, whatever the book holds.
fn check_document(doc: &Value) {
    assert_eq!(doc["resourceType"], "Bundle");
    assert_eq!(doc["type"], "document");
    assert_eq!(doc["identifier"]["system"], "urn:ietf:rfc:3986");
    assert!(doc["identifier"]["value"]
        .as_str()
        .unwrap()
        .starts_with("urn:uuid:"));
    assert_eq!(doc["timestamp"], "2026-12-02T09:30:00+07:00");
    let entries = doc["entry"].as_array().unwrap();
    let urls: Vec<&str> = entries
        .iter()
        .map(|e| e["fullUrl"].as_str().unwrap())
        .collect();
    assert!(urls.iter().all(|u| is_urn_uuid(u)), "{urls:?}");
    assert_eq!(urls.iter().collect::<HashSet<_>>().len(), urls.len());
    let composition = &entries[0]["resource"];
    assert_eq!(composition["resourceType"], "Composition");
    assert_eq!(composition["status"], "final");
    assert_eq!(
        composition["type"]["coding"][0]["system"],
        "http://loinc.org"
    );
    assert_eq!(composition["type"]["coding"][0]["code"], IPS_DOCUMENT_TYPE);
    assert!(composition["date"].is_string());
    assert!(composition["title"].is_string());
    assert!(!composition["author"].as_array().unwrap().is_empty());
    // Every reference of every entry resolves inside the document.
    let mut references = Vec::new();
    for e in entries {
        collect_references(&e["resource"], &mut references);
    }
    for r in &references {
        assert!(urls.contains(&r.as_str()), "unresolved {r}");
    }
    let subject = composition["subject"]["reference"].as_str().unwrap();
    let patient = entries.iter().find(|e| e["fullUrl"] == subject).unwrap();
    assert_eq!(patient["resource"]["resourceType"], "Patient");
    for code in [
        PROBLEMS_SECTION,
        ALLERGIES_SECTION,
        MEDICATIONS_SECTION,
        IMMUNIZATIONS_SECTION,
    ] {
        let s = section(composition, code);
        assert_eq!(s["code"]["coding"][0]["system"], "http://loinc.org");
        assert!(s["title"].is_string());
        assert_eq!(s["text"]["status"], "generated");
        let div = s["text"]["div"].as_str().unwrap();
        assert!(div.starts_with("<div xmlns=\"http://www.w3.org/1999/xhtml\">"));
        let listed = s["entry"].as_array().map_or(0, Vec::len);
        // IPS: a section has entries, or says why it has none.
        match listed {
            0 => {
                assert_eq!(
                    s["emptyReason"]["coding"][0]["system"],
                    LIST_EMPTY_REASON_SYSTEM
                );
                assert!(!s["emptyReason"]["text"].as_str().unwrap().is_empty());
            }
            _ => assert!(s.get("emptyReason").is_none()),
        }
    }
}

fn is_urn_uuid(u: &str) -> bool {
    let Some(uuid) = u.strip_prefix("urn:uuid:") else {
        return false;
    };
    let groups: Vec<&str> = uuid.split('-').collect();
    groups.iter().map(|g| g.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && uuid.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
        && groups[2].starts_with('4')
}

fn collect_references(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(r) = map.get("reference").and_then(Value::as_str) {
                found.push(r.to_string());
            }
            map.values().for_each(|v| collect_references(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_references(v, found)),
        _ => {}
    }
}

fn section_types(doc: &Value, code: &str) -> Vec<String> {
    let entries = doc["entry"].as_array().unwrap();
    section(&entries[0]["resource"], code)["entry"]
        .as_array()
        .map(|refs| {
            refs.iter()
                .map(|r| {
                    let e = entries
                        .iter()
                        .find(|e| e["fullUrl"] == r["reference"])
                        .unwrap();
                    e["resource"]["resourceType"].as_str().unwrap().to_string()
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_full_book_is_a_valid_document_with_its_sections_filled() {
    let book = full_book();
    let doc = export_ips(&book, IDENTITY);
    check_document(&doc);
    assert_eq!(
        section_types(&doc, PROBLEMS_SECTION),
        vec!["Condition", "Condition"]
    );
    assert_eq!(
        section_types(&doc, ALLERGIES_SECTION),
        vec!["AllergyIntolerance"]
    );
    let medicines = book
        .prescriptions
        .iter()
        .map(|p| p.medicines.len().max(1))
        .sum::<usize>();
    assert_eq!(section_types(&doc, MEDICATIONS_SECTION).len(), medicines);
    assert_eq!(
        section_types(&doc, IMMUNIZATIONS_SECTION).len(),
        book.vaccinations.len()
    );
    // The book's own words are escaped in the narrative.
    let composition = &doc["entry"][0]["resource"];
    let div = section(composition, PROBLEMS_SECTION)["text"]["div"]
        .as_str()
        .unwrap();
    assert!(div.contains("Gút &lt;cấp&gt; &amp; mạn"), "{div}");
}

#[test]
fn an_empty_book_states_why_each_required_section_is_empty() {
    let doc = export_ips(&empty_book(), IDENTITY);
    check_document(&doc);
    let composition = &doc["entry"][0]["resource"];
    for code in [PROBLEMS_SECTION, ALLERGIES_SECTION, MEDICATIONS_SECTION] {
        let s = section(composition, code);
        assert!(s.get("entry").is_none());
        assert_eq!(s["emptyReason"]["coding"][0]["code"], "unavailable");
    }
}

#[test]
fn two_exports_are_two_documents() {
    let book = full_book();
    let a = export_ips(&book, IDENTITY);
    let b = export_ips(
        &book,
        IpsIdentity {
            seed: [8; 16],
            ..IDENTITY
        },
    );
    assert_ne!(a["identifier"], b["identifier"]);
    assert_ne!(a["entry"][1]["fullUrl"], b["entry"][1]["fullUrl"]);
}

#[test]
fn an_exported_summary_imports_back_to_the_same_book() {
    let book = full_book();
    let read = import_book(
        export_ips_json(&book, IDENTITY).as_bytes(),
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(read.report.skipped, vec![]);
    assert_eq!(read.book.profile, book.profile);
    assert_eq!(read.book.vaccinations, book.vaccinations);
    assert_eq!(read.book.prescriptions, book.prescriptions);
}
