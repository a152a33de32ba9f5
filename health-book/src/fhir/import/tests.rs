//! The rules of a file import that keep a book to one person and a file to a bounded size:
//! whose records (references), the limits beyond bytes, and duplicates in linear time.

use serde_json::{json, Value};

use super::*;
use crate::fhir::{export_book, export_book_json, export_books_json};
use crate::generate::{self, BookShape};

const CITIZEN_ID: &str = "001090123456";

fn patient(id: &str, citizen_id: &str, name: &str) -> Value {
    json!({"resourceType": "Patient", "id": id,
        "identifier": [{"system": NATIONAL_ID_SYSTEM, "value": citizen_id}],
        "name": [{"text": name}], "gender": "male", "birthDate": "1990-01-01"})
}

fn immunization(id: &str, patient: Value) -> Value {
    let mut imm = json!({"resourceType": "Immunization", "id": id, "status": "completed",
        "vaccineCode": {"coding": [{"code": "VGB", "display": "Viêm gan B"}]},
        "occurrenceDateTime": "2024-05-10"});
    if !patient.is_null() {
        imm["patient"] = patient;
    }
    imm
}

fn medication_request(id: &str, group: &str, subject: Value) -> Value {
    json!({"resourceType": "MedicationRequest", "id": id, "status": "active", "intent": "order",
        "groupIdentifier": {"value": group}, "subject": subject,
        "authoredOn": "2025-11-01T09:00:00+07:00",
        "medicationCodeableConcept": {"text": "Amlodipin 5mg"}})
}

fn bundle(entries: Vec<(Option<&str>, Value)>) -> String {
    let entry: Vec<Value> = entries
        .into_iter()
        .map(|(full_url, resource)| match full_url {
            Some(url) => json!({"fullUrl": url, "resource": resource}),
            None => json!({"resource": resource}),
        })
        .collect();
    json!({"resourceType": "Bundle", "type": "collection", "entry": entry}).to_string()
}

fn reasons(report: &ImportReport) -> Vec<(&str, Option<&str>, &SkipReason)> {
    report
        .skipped
        .iter()
        .map(|s| (s.resource_type.as_str(), s.id.as_deref(), &s.reason))
        .collect()
}

fn other(reference: &str) -> SkipReason {
    SkipReason::OtherPatient {
        reference: reference.into(),
    }
}

#[test]
fn records_of_someone_else_are_skipped_never_given_to_the_only_patient() {
    let base = "https://emr.example/fhir";
    let text = bundle(vec![
        (
            Some("https://emr.example/fhir/Patient/p1"),
            patient("p1", CITIZEN_ID, "Nguyễn Văn A"),
        ),
        (
            Some("https://emr.example/fhir/Organization/org"),
            json!({"resourceType": "Organization", "id": "org", "name": "Trạm Y tế"}),
        ),
        // Whose they are, written every way a file writes it.
        (
            None,
            immunization("relative", json!({"reference": "Patient/p1"})),
        ),
        (
            None,
            immunization(
                "absolute",
                json!({"reference": format!("{base}/Patient/p1/_history/3")}),
            ),
        ),
        (
            None,
            immunization(
                "full-url",
                json!({"reference": format!("{base}/Patient/p1")}),
            ),
        ),
        // Someone else's.
        (
            None,
            immunization("foreign", json!({"reference": "Patient/someone-else"})),
        ),
        (
            None,
            immunization(
                "other-server",
                json!({"reference": "https://other.example/fhir/Patient/p1"}),
            ),
        ),
        (
            None,
            immunization("unknown-urn", json!({"reference": "urn:uuid:77aa"})),
        ),
        (
            None,
            immunization("not-a-patient", json!({"reference": "Organization/org"})),
        ),
        // Naming no one of the file.
        (None, immunization("absent", Value::Null)),
        (
            None,
            immunization("display-only", json!({"display": "Nguyễn Văn A"})),
        ),
        (None, immunization("contained", json!({"reference": "#p"}))),
        (
            None,
            medication_request(
                "rx-foreign",
                "K1",
                json!({"reference": "Patient/someone-else"}),
            ),
        ),
        (
            None,
            json!({"resourceType": "ImmunizationRecommendation", "id": "rec-foreign",
                "patient": {"reference": "Patient/someone-else"},
                "recommendation": [{"vaccineCode": [{"coding": [{"code": "VGB"}]}],
                    "dateCriterion": [{"value": "2024-06-10"}]}]}),
        ),
    ]);
    let BookImport { book, report } = import_book(text.as_bytes(), &ImportOptions::default())
        .expect("the file's own records import");
    let kept: Vec<&str> = book.vaccinations.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(kept, ["relative", "absolute", "full-url"]);
    assert_eq!(
        book.vaccinations[0].next_dose_due, None,
        "not by a foreign recommendation"
    );
    assert!(book.prescriptions.is_empty());
    let skipped = reasons(&report);
    for (resource_type, id, reason) in [
        ("Immunization", "foreign", other("Patient/someone-else")),
        (
            "Immunization",
            "other-server",
            other("https://other.example/fhir/Patient/p1"),
        ),
        ("Immunization", "unknown-urn", other("urn:uuid:77aa")),
        ("Immunization", "not-a-patient", other("Organization/org")),
        ("Immunization", "absent", SkipReason::NoPatientReference),
        (
            "Immunization",
            "display-only",
            SkipReason::NoPatientReference,
        ),
        ("Immunization", "contained", SkipReason::NoPatientReference),
        (
            "MedicationRequest",
            "rx-foreign",
            other("Patient/someone-else"),
        ),
        (
            "ImmunizationRecommendation",
            "rec-foreign",
            other("Patient/someone-else"),
        ),
    ] {
        assert!(
            skipped.contains(&(resource_type, Some(id), &reason)),
            "{id}: {skipped:?}"
        );
    }
    // And the Organization no kept record uses.
    assert_eq!(skipped.len(), 10, "{skipped:?}");
}

#[test]
fn urn_references_of_a_transaction_resolve_by_full_url_only() {
    let mut person = patient("", CITIZEN_ID, "Hoàng Văn Dũng");
    person.as_object_mut().unwrap().remove("id");
    let text = json!({"resourceType": "Bundle", "type": "transaction", "entry": [
        {"fullUrl": "urn:uuid:0a1b", "resource": person,
         "request": {"method": "POST", "url": "Patient"}},
        {"fullUrl": "urn:uuid:9f", "resource": immunization("mine", json!({"reference": "urn:uuid:0a1b"}))},
        {"fullUrl": "urn:uuid:9e", "resource": immunization("theirs", json!({"reference": "urn:uuid:0a1c"}))}
    ]})
    .to_string();
    let BookImport { book, report } =
        import_book(text.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(book.vaccinations.len(), 1);
    assert_eq!(book.vaccinations[0].id.as_str(), "mine");
    assert_eq!(
        reasons(&report),
        vec![("Immunization", Some("theirs"), &other("urn:uuid:0a1c"))]
    );
}

#[test]
fn in_a_file_of_several_books_each_record_goes_to_the_patient_it_names() {
    let text = bundle(vec![
        (None, patient("a", CITIZEN_ID, "Nguyễn Văn A")),
        (None, patient("b", "001090654321", "Trần Văn B")),
        (
            None,
            immunization("of-a", json!({"reference": "Patient/a"})),
        ),
        (
            None,
            immunization("of-b", json!({"reference": "Patient/b"})),
        ),
        (
            None,
            immunization("of-c", json!({"reference": "Patient/c"})),
        ),
        (None, immunization("of-nobody", Value::Null)),
    ]);
    let imported = import_books(text.as_bytes(), &ImportOptions::default()).unwrap();
    let ids: Vec<Vec<&str>> = imported
        .books
        .iter()
        .map(|b| b.vaccinations.iter().map(|v| v.id.as_str()).collect())
        .collect();
    assert_eq!(ids, vec![vec!["of-a"], vec!["of-b"]]);
    let skipped = reasons(&imported.report);
    assert!(skipped.contains(&("Immunization", Some("of-c"), &other("Patient/c"))));
    assert!(skipped.contains(&(
        "Immunization",
        Some("of-nobody"),
        &SkipReason::NoPatientReference
    )));
    // A file for one book with a second person in it is refused whole, never merged.
    assert_eq!(
        import_book(text.as_bytes(), &ImportOptions::default()),
        Err(ImportError::SeveralPatients { count: 2 })
    );
}

#[test]
fn the_same_person_twice_in_a_file_is_one_book() {
    let text = bundle(vec![
        (None, patient("a", CITIZEN_ID, "Nguyễn Văn A")),
        (None, patient("a-again", CITIZEN_ID, "Nguyễn Văn A")),
        (None, immunization("one", json!({"reference": "Patient/a"}))),
        (
            None,
            immunization("two", json!({"reference": "Patient/a-again"})),
        ),
    ]);
    let imported = import_books(text.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(imported.books.len(), 1);
    let ids: Vec<&str> = imported.books[0]
        .vaccinations
        .iter()
        .map(|v| v.id.as_str())
        .collect();
    assert_eq!(ids, ["one", "two"]);
    assert_eq!(
        reasons(&imported.report),
        vec![("Patient", Some("a-again"), &SkipReason::Duplicate)]
    );
}

#[test]
fn a_recommendation_cannot_give_a_due_date_to_another_persons_vaccination() {
    let text = bundle(vec![
        (None, patient("a", CITIZEN_ID, "Nguyễn Văn A")),
        (None, patient("b", "001090654321", "Trần Văn B")),
        (
            None,
            immunization("of-b", json!({"reference": "Patient/b"})),
        ),
        (
            None,
            json!({"resourceType": "ImmunizationRecommendation", "id": "rec-a",
                "patient": {"reference": "Patient/a"},
                "recommendation": [{"supportingImmunization": [{"reference": "Immunization/of-b"}],
                    "dateCriterion": [{"value": "2024-06-10"}]}]}),
        ),
    ]);
    let imported = import_books(text.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(imported.books[1].vaccinations[0].next_dose_due, None);
    assert!(reasons(&imported.report).contains(&(
        "ImmunizationRecommendation",
        Some("rec-a"),
        &SkipReason::NoMatchingImmunization
    )));
}

fn limits(change: impl FnOnce(&mut ImportLimits)) -> ImportOptions {
    let mut limits = ImportLimits::default();
    change(&mut limits);
    ImportOptions {
        limits,
        ..ImportOptions::default()
    }
}

#[test]
fn a_string_longer_than_the_limit_refuses_the_file_unless_the_book_does_not_read_it() {
    let long = "x".repeat(101);
    let options = limits(|l| l.max_string_bytes = 100);
    let mut imm = immunization("i", json!({"reference": "Patient/p"}));
    imm["lotNumber"] = json!(long);
    let text = bundle(vec![(None, patient("p", CITIZEN_ID, "A")), (None, imm)]);
    assert_eq!(
        import_book(text.as_bytes(), &options),
        Err(ImportError::StringTooLong {
            resource_type: "Immunization".into(),
            size: 101,
            limit: 100
        })
    );
    // A key is a string too.
    let mut keyed = patient("p", CITIZEN_ID, "A");
    keyed[long.as_str()] = json!(1);
    let text = bundle(vec![(None, keyed)]);
    assert!(matches!(
        import_book(text.as_bytes(), &options),
        Err(ImportError::StringTooLong { size: 101, .. })
    ));
    // A photo and a narrative, which servers fill on purpose and the book never reads.
    let mut pictured = patient("p", CITIZEN_ID, "A");
    pictured["photo"] = json!([{"contentType": "image/jpeg", "data": long}]);
    pictured["text"] = json!({"status": "generated", "div": long});
    let text = bundle(vec![(None, pictured)]);
    assert!(import_book(text.as_bytes(), &options).is_ok());
    // A resource the book does not read (a scan in a Binary) is skipped unread.
    let text = bundle(vec![
        (None, patient("p", CITIZEN_ID, "A")),
        (
            None,
            json!({"resourceType": "Binary", "id": "scan", "data": long}),
        ),
    ]);
    let imported = import_book(text.as_bytes(), &options).unwrap();
    assert_eq!(
        reasons(&imported.report),
        vec![("Binary", Some("scan"), &SkipReason::Unsupported)]
    );
}

#[test]
fn more_entries_than_the_limit_refuse_the_file_inner_bundles_counted() {
    let book = generate::book(5, &BookShape::records(10));
    let text = export_book_json(&book);
    let entries = export_book(&book).entry.len();
    let at_limit = limits(|l| l.max_entries = entries);
    assert_eq!(import_book(text.as_bytes(), &at_limit).unwrap().book, book);
    let below = limits(|l| l.max_entries = entries - 1);
    assert_eq!(
        import_book(text.as_bytes(), &below),
        Err(ImportError::TooManyEntries { limit: entries - 1 })
    );
    // Wrapped in an outer Bundle: one more entry, and the inner ones still count.
    let inner: Value = serde_json::from_str(&text).unwrap();
    let outer =
        json!({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": inner}]})
            .to_string();
    assert_eq!(
        import_books(outer.as_bytes(), &at_limit).map(|i| i.books.len()),
        Err(ImportError::TooManyEntries { limit: entries })
    );
}

#[test]
fn more_records_in_one_book_than_the_limit_refuse_the_file() {
    let books = generate::books(6, 2, &BookShape::records(10));
    let text = export_books_json(&books);
    let most = books
        .iter()
        .map(|b| b.vaccinations.len() + b.prescriptions.len())
        .max()
        .unwrap();
    let at_limit = limits(|l| l.max_records_per_book = most);
    assert_eq!(
        import_books(text.as_bytes(), &at_limit).unwrap().books,
        books,
        "the limit is per book, not per file"
    );
    assert_eq!(
        import_books(
            text.as_bytes(),
            &limits(|l| l.max_records_per_book = most - 1)
        ),
        Err(ImportError::TooManyRecords {
            count: most,
            limit: most - 1
        })
    );
}

#[test]
fn a_generated_lifetime_book_is_within_every_default_limit() {
    let book = generate::book(7, &BookShape::adult_with_history(40));
    let imported = import_book(
        export_book_json(&book).as_bytes(),
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(imported.book, book);
}

/// About 20 MB of the same records over and over, as the exporter writes them: kept once each,
/// every copy reported. Each check is a hash look-up, so this is linear in the file (its time
/// is measured in `bench/`, not here).
#[test]
fn a_file_of_duplicates_up_to_the_byte_limit_keeps_each_record_once() {
    let limits = ImportLimits::default();
    let mut book = generate::book(9, &BookShape::records(10));
    book.vaccinations.truncate(1);
    let due = book.vaccinations[0].date + time::Duration::days(30);
    book.vaccinations[0].next_dose_due = Some(due);
    book.prescriptions.truncate(1);
    book.prescriptions[0].medicines.truncate(1);
    assert_eq!(book.prescriptions[0].medicines.len(), 1);
    let (text, rounds) = generate::duplicated_records_file(&book, limits.max_bytes);
    assert!(text.len() <= limits.max_bytes && text.len() > limits.max_bytes * 99 / 100);
    assert!(rounds > 5_000, "{rounds}");

    let BookImport {
        book: imported,
        report,
    } = import_book(text.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(imported, book);
    let duplicates = report
        .skipped
        .iter()
        .filter(|s| s.reason == SkipReason::Duplicate)
        .count();
    // Every copy of the dose and of the request; each copy of the recommendation links to the
    // one dose, and gives it the same date again.
    assert_eq!(duplicates, 2 * rounds);
    assert_eq!(
        report.skipped.len(),
        duplicates,
        "{:?}",
        &report.skipped[..3]
    );
}

/// Recommendations without a link find the latest dose of their vaccine before the due date by
/// a tree look-up; the answer is the one a scan of the book gives.
#[test]
fn many_unlinked_recommendations_each_take_the_latest_earlier_dose() {
    let reference = json!({"reference": "Patient/p"});
    let mut entries = vec![(None, patient("p", CITIZEN_ID, "A"))];
    let day = |n: u32| format!("2020-{:02}-{:02}", 1 + n / 28 % 12, 1 + n % 28);
    for n in 0..300 {
        let mut imm = immunization(&format!("d{n}"), reference.clone());
        imm["occurrenceDateTime"] = json!(day(n));
        entries.push((None, imm));
    }
    // Each due date a day after a dose: the dose of that day, and none twice.
    for n in (0..300).step_by(3).rev() {
        entries.push((
            None,
            json!({"resourceType": "ImmunizationRecommendation", "id": format!("r{n}"),
                "patient": reference.clone(),
                "recommendation": [{"vaccineCode": [{"coding": [{"code": "VGB"}]}],
                    "dateCriterion": [{"value": day(n + 1)}]}]}),
        ));
    }
    let book = import_book(bundle(entries).as_bytes(), &ImportOptions::default())
        .unwrap()
        .book;
    let with_due: Vec<&str> = book
        .vaccinations
        .iter()
        .filter(|v| v.next_dose_due.is_some())
        .map(|v| v.id.as_str())
        .collect();
    let expected: Vec<String> = (0..300)
        .filter(|n| n % 3 == 0)
        .map(|n| format!("d{n}"))
        .collect();
    assert_eq!(with_due, expected);
}

#[test]
fn export_writes_the_recommendation_date_r4_requires() {
    let book = generate::book(8, &BookShape::child(20));
    let value = serde_json::to_value(export_book(&book)).unwrap();
    let recommendations: Vec<&Value> = value["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == "ImmunizationRecommendation")
        .collect();
    assert!(!recommendations.is_empty());
    for rec in recommendations {
        let date = rec["date"]
            .as_str()
            .expect("every recommendation has a date");
        assert!(parse_date(date).is_some(), "{date}");
    }
}

/// Files written before the export had `date` still read: the due date comes from the
/// criterion, the recommendation's own date is not needed.
#[test]
fn a_recommendation_without_a_date_still_imports() {
    let book = generate::book(8, &BookShape::child(20));
    let mut value = serde_json::to_value(export_book(&book)).unwrap();
    for entry in value["entry"].as_array_mut().unwrap() {
        let resource = &mut entry["resource"];
        if resource["resourceType"] == "ImmunizationRecommendation" {
            resource.as_object_mut().unwrap().remove("date");
        }
    }
    let imported = import_book(value.to_string().as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(imported.book, book);
}

/// A refusal's text reaches console lines: it names what is wrong with the Patient, never the
/// birth date or ID it holds.
#[test]
fn a_refused_patient_is_described_without_its_values() {
    let refusal = ImportError::InvalidPatient {
        id: Some("p-1".into()),
        problem: PatientProblem::InvalidBirthDate {
            value: "1990-13-45".into(),
        },
    };
    let text = refusal.to_string();
    assert_eq!(text, "the Patient cannot be used: invalid birth date");
    let malformed = ImportError::InvalidPatient {
        id: None,
        problem: PatientProblem::Malformed {
            detail: CITIZEN_ID.into(),
        },
    };
    assert!(!malformed.to_string().contains(CITIZEN_ID));
}
