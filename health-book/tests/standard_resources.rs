//! Allergies, chronic conditions and the blood group as the standard FHIR resources
//! (`AllergyIntolerance`, problem-list `Condition`, `Observation` LOINC 882-1), both ways, and
//! the app's older Patient extensions still read.

use health_book::fhir::{
    export_book, export_book_json, ext, import_book, ImportOptions, SkipReason, NATIONAL_ID_SYSTEM,
};
use health_book::generate::{self, BookShape};
use health_book::model::{BloodGroup, HealthBook};
use serde_json::{json, Value};

fn book() -> HealthBook {
    let mut book = generate::book(19, &BookShape::records(6));
    book.profile.allergies = vec!["Penicillin".into(), "Tôm, cua".into()];
    book.profile.chronic_conditions = vec!["Đái tháo đường type 2".into()];
    book.profile.blood_group = Some(BloodGroup::AbPositive);
    book
}

fn exported(book: &HealthBook) -> Value {
    serde_json::to_value(export_book(book)).unwrap()
}

fn of_type<'a>(bundle: &'a Value, t: &str) -> Vec<&'a Value> {
    bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == t)
        .collect()
}

/// A minimal file: this Patient (citizen ID of `book`) and the given resources.
fn file(book: &HealthBook, patient_extensions: Value, resources: Vec<Value>) -> Vec<u8> {
    let mut entry = vec![json!({ "fullUrl": "urn:uuid:p", "resource": {
        "resourceType": "Patient", "id": "p",
        "extension": patient_extensions,
        "identifier": [{ "system": NATIONAL_ID_SYSTEM, "value": book.citizen_id().as_str() }],
        "name": [{ "text": "Lê Văn Tám" }], "gender": "male", "birthDate": "1980-05-01"
    }})];
    entry.extend(resources.into_iter().map(|r| json!({ "resource": r })));
    json!({ "resourceType": "Bundle", "type": "collection", "entry": entry })
        .to_string()
        .into_bytes()
}

#[test]
fn the_export_writes_the_standard_resources_and_no_extensions_for_them() {
    let b = exported(&book());
    let patient = of_type(&b, "Patient")[0];
    let urls: Vec<&str> = patient["extension"]
        .as_array()
        .map(|e| e.iter().filter_map(|x| x["url"].as_str()).collect())
        .unwrap_or_default();
    for old in [ext::ALLERGY, ext::CHRONIC_CONDITION, ext::BLOOD_GROUP] {
        assert!(!urls.contains(&old), "{old}");
    }
    let own = format!("Patient/{}", patient["id"].as_str().unwrap());

    let allergies = of_type(&b, "AllergyIntolerance");
    assert_eq!(allergies.len(), 2);
    assert_eq!(allergies[0]["code"]["text"], "Penicillin");
    assert_eq!(allergies[0]["patient"]["reference"], own.as_str());
    assert_eq!(
        allergies[0]["clinicalStatus"]["coding"][0]["code"],
        "active"
    );

    let conditions = of_type(&b, "Condition");
    assert_eq!(conditions.len(), 1);
    assert_eq!(conditions[0]["code"]["text"], "Đái tháo đường type 2");
    assert_eq!(
        conditions[0]["category"][0]["coding"][0]["code"],
        "problem-list-item"
    );
    assert_eq!(conditions[0]["subject"]["reference"], own.as_str());

    let observations = of_type(&b, "Observation");
    assert_eq!(observations.len(), 1);
    let o = observations[0];
    assert_eq!(o["code"]["coding"][0]["system"], "http://loinc.org");
    assert_eq!(o["code"]["coding"][0]["code"], "882-1");
    assert_eq!(o["status"], "final");
    assert_eq!(o["subject"]["reference"], own.as_str());
    assert_eq!(
        o["valueCodeableConcept"]["coding"][0]["system"],
        "http://snomed.info/sct"
    );
    assert_eq!(o["valueCodeableConcept"]["coding"][0]["code"], "278151004");
    assert_eq!(o["valueCodeableConcept"]["text"], "AB+");
}

#[test]
fn the_standard_resources_read_back_exactly() {
    let book = book();
    let back = import_book(
        export_book_json(&book).as_bytes(),
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(back.report.skipped, vec![]);
    assert_eq!(back.book.profile, book.profile);
}

#[test]
fn a_backup_with_the_older_extensions_still_imports() {
    let book = book();
    let old = file(
        &book,
        json!([
            { "url": ext::BLOOD_GROUP, "valueCode": "O-" },
            { "url": ext::ALLERGY, "valueString": "Penicillin" },
            { "url": ext::CHRONIC_CONDITION, "valueString": "Hen suyễn" }
        ]),
        vec![],
    );
    let read = import_book(&old, &ImportOptions::default()).unwrap();
    let p = &read.book.profile;
    assert_eq!(p.blood_group, Some(BloodGroup::ONegative));
    assert_eq!(p.allergies, vec!["Penicillin".to_string()]);
    assert_eq!(p.chronic_conditions, vec!["Hen suyễn".to_string()]);
}

#[test]
fn a_file_with_both_forms_lists_each_fact_once_and_the_resource_names_the_blood_group() {
    let book = book();
    let both = file(
        &book,
        json!([
            { "url": ext::BLOOD_GROUP, "valueCode": "O-" },
            { "url": ext::ALLERGY, "valueString": "Penicillin" }
        ]),
        vec![
            json!({ "resourceType": "AllergyIntolerance", "id": "a1",
                "code": { "text": "penicillin " }, "patient": { "reference": "urn:uuid:p" } }),
            json!({ "resourceType": "Observation", "id": "o1", "status": "final",
                "code": { "coding": [{ "system": "http://loinc.org", "code": "882-1" }] },
                "subject": { "reference": "urn:uuid:p" },
                "valueCodeableConcept": { "text": "A Rh(D) positive" } }),
        ],
    );
    let read = import_book(&both, &ImportOptions::default()).unwrap();
    assert_eq!(read.book.profile.allergies, vec!["Penicillin".to_string()]);
    assert_eq!(read.book.profile.blood_group, Some(BloodGroup::APositive));
    assert_eq!(read.report.skipped.len(), 1);
    assert_eq!(read.report.skipped[0].reason, SkipReason::Duplicate);
}

#[test]
fn only_this_patients_facts_are_read() {
    let book = book();
    let f = file(
        &book,
        json!([]),
        vec![
            json!({ "resourceType": "AllergyIntolerance", "id": "mine",
                "code": { "text": "Aspirin" }, "patient": { "reference": "urn:uuid:p" } }),
            json!({ "resourceType": "AllergyIntolerance", "id": "theirs",
                "code": { "text": "Latex" }, "patient": { "reference": "Patient/someone-else" } }),
            json!({ "resourceType": "AllergyIntolerance", "id": "nobodys",
                "code": { "text": "Pollen" } }),
            json!({ "resourceType": "Condition", "id": "c-theirs",
                "category": [{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/condition-category", "code": "problem-list-item" }] }],
                "code": { "text": "Gout" }, "subject": { "reference": "Patient/someone-else" } }),
            json!({ "resourceType": "Observation", "id": "o-contained",
                "code": { "coding": [{ "system": "http://loinc.org", "code": "882-1" }] },
                "subject": { "reference": "#p1" }, "valueCodeableConcept": { "text": "B+" } }),
        ],
    );
    let read = import_book(&f, &ImportOptions::default()).unwrap();
    assert_eq!(read.book.profile.allergies, vec!["Aspirin".to_string()]);
    assert!(read.book.profile.chronic_conditions.is_empty());
    assert_eq!(read.book.profile.blood_group, None);
    let reason = |id: &str| {
        read.report
            .skipped
            .iter()
            .find(|s| s.id.as_deref() == Some(id))
            .map(|s| s.reason.clone())
    };
    assert!(matches!(
        reason("theirs"),
        Some(SkipReason::OtherPatient { .. })
    ));
    assert_eq!(reason("nobodys"), Some(SkipReason::NoPatientReference));
    assert!(matches!(
        reason("c-theirs"),
        Some(SkipReason::OtherPatient { .. })
    ));
    assert_eq!(reason("o-contained"), Some(SkipReason::NoPatientReference));
}

#[test]
fn past_refuted_and_none_known_facts_are_reported_not_listed() {
    let book = book();
    let me = json!({ "reference": "urn:uuid:p" });
    let status =
        |system: &str, code: &str| json!({ "coding": [{ "system": system, "code": code }] });
    let f = file(
        &book,
        json!([]),
        vec![
            json!({ "resourceType": "Condition", "id": "resolved", "subject": me,
                "clinicalStatus": status("http://terminology.hl7.org/CodeSystem/condition-clinical", "resolved"),
                "code": { "text": "Viêm phổi" } }),
            json!({ "resourceType": "AllergyIntolerance", "id": "refuted", "patient": me,
                "verificationStatus": status("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "refuted"),
                "code": { "text": "Sulfa" } }),
            json!({ "resourceType": "AllergyIntolerance", "id": "nka", "patient": me,
                "code": { "coding": [{ "system": "http://snomed.info/sct", "code": "716186003", "display": "No known allergy" }] } }),
            json!({ "resourceType": "Condition", "id": "active", "subject": me,
                "category": [{ "coding": [{ "system": "http://loinc.org", "code": "75326-9" }] }],
                "code": { "coding": [{ "system": "http://snomed.info/sct", "code": "38341003", "display": "Hypertensive disorder" }] } }),
        ],
    );
    let read = import_book(&f, &ImportOptions::default()).unwrap();
    assert!(read.book.profile.allergies.is_empty());
    assert_eq!(
        read.book.profile.chronic_conditions,
        vec!["Hypertensive disorder".to_string()]
    );
    let reasons: Vec<(Option<String>, SkipReason)> = read
        .report
        .skipped
        .iter()
        .map(|s| (s.id.clone(), s.reason.clone()))
        .collect();
    assert!(reasons.contains(&(
        Some("resolved".into()),
        SkipReason::NotCurrent {
            status: "resolved".into()
        }
    )));
    assert!(reasons.contains(&(
        Some("refuted".into()),
        SkipReason::NotCurrent {
            status: "refuted".into()
        }
    )));
    assert!(reasons.contains(&(Some("nka".into()), SkipReason::NoneKnown)));
}

#[test]
fn a_prescriptions_diagnosis_is_not_a_chronic_condition() {
    let book = book();
    let f = file(
        &book,
        json!([]),
        vec![
            json!({ "resourceType": "Condition", "id": "dx",
                "category": [{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/condition-category", "code": "encounter-diagnosis" }] }],
                "code": { "coding": [{ "system": "http://hl7.org/fhir/sid/icd-10", "code": "J06.9", "display": "Viêm họng cấp" }] },
                "subject": { "reference": "urn:uuid:p" } }),
            json!({ "resourceType": "MedicationRequest", "id": "mr", "status": "completed", "intent": "order",
                "subject": { "reference": "urn:uuid:p" }, "authoredOn": "2026-03-02T09:00:00+07:00",
                "medicationCodeableConcept": { "text": "Paracetamol 500mg" },
                "reasonReference": [{ "reference": "Condition/dx" }] }),
        ],
    );
    let read = import_book(&f, &ImportOptions::default()).unwrap();
    assert!(read.book.profile.chronic_conditions.is_empty());
    assert_eq!(read.book.prescriptions.len(), 1);
    assert_eq!(read.book.prescriptions[0].diagnoses[0].icd10, "J06.9");
    assert_eq!(read.report.skipped, vec![]);
}
