//! Hostile files and sync answers, where the rule is the core's: each is refused with a typed
//! error the app turns into a message, or kept as plain text (escaping is the screen's job, and
//! e2e/tests/resilience-hostile.test.mjs shows nothing of it runs). Rows of RESILIENCE.md.

mod oracles;

use health_book::fhir::{self, ImportError, ImportOptions, PatientProblem, SkipReason};
use health_book::generate::{self, BookShape};
use health_book::validate::{validate_book, FindingKind, ValidationContext};
use serde_json::{json, Value};
use time::macros::date;

/// What a page would run if a screen put text in as markup or a link.
const PAYLOADS: [&str; 4] = [
    "<img src=x onerror=\"window.__pwned=1\">",
    "javascript:window.__pwned=1",
    "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"window.__pwned=1\"><script>window.__pwned=1</script></svg>",
    "\"><script>window.__pwned=1</script>",
];

/// Keys whose string values a person reads on a screen (names, addresses, vaccine and medicine
/// names, notes, doses, facilities).
const TEXT_KEYS: [&str; 9] = [
    "text",
    "display",
    "family",
    "given",
    "line",
    "city",
    "district",
    "name",
    "lotNumber",
];

fn exported() -> Value {
    let book = generate::book(41, &BookShape::records(6));
    serde_json::from_str(&fhir::export_book_json(&book)).expect("export is JSON")
}

/// Puts a payload in every readable string of `value`; returns how many were replaced.
fn poison(value: &mut Value, next: &mut usize) {
    match value {
        Value::Object(map) => {
            for (key, field) in map.iter_mut() {
                if TEXT_KEYS.contains(&key.as_str()) {
                    poison_strings(field, next);
                } else {
                    poison(field, next);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| poison(v, next)),
        _ => {}
    }
}

fn poison_strings(value: &mut Value, next: &mut usize) {
    match value {
        Value::String(s) => {
            *s = format!("{} {}", PAYLOADS[*next % PAYLOADS.len()], s);
            *next += 1;
        }
        Value::Array(items) => items.iter_mut().for_each(|v| poison_strings(v, next)),
        other => poison(other, next),
    }
}

fn import(bundle: &Value) -> Result<fhir::BooksImport, ImportError> {
    fhir::import_books(bundle.to_string().as_bytes(), &ImportOptions::default())
}

fn patient(bundle: &mut Value) -> &mut Value {
    first_of(bundle, "Patient")
}

fn first_of<'a>(bundle: &'a mut Value, resource_type: &str) -> &'a mut Value {
    bundle["entry"]
        .as_array_mut()
        .and_then(|entries| {
            entries
                .iter_mut()
                .find(|e| e["resource"]["resourceType"] == resource_type)
        })
        .map(|e| &mut e["resource"])
        .expect("the export has the resource")
}

/// Appends `times` copies of the first entry holding a `resource_type`.
fn repeat_first(bundle: &mut Value, resource_type: &str, times: usize) {
    let entries = bundle["entry"].as_array_mut().expect("entries");
    let copy = entries
        .iter()
        .find(|e| e["resource"]["resourceType"] == resource_type)
        .cloned()
        .expect("the export has the resource");
    entries.extend(std::iter::repeat_n(copy, times));
}

#[test]
fn script_payloads_in_every_text_field_are_kept_as_plain_text() {
    let mut bundle = exported();
    let mut replaced = 0;
    poison(&mut bundle, &mut replaced);
    assert!(replaced > 20, "only {replaced} strings poisoned");
    let text = bundle.to_string();
    assert_eq!(
        oracles::check_bundle(text.as_bytes(), &ImportOptions::default()),
        "ok"
    );
    let book = &import(&bundle)
        .expect("a poisoned book still imports")
        .books[0];
    // Kept character for character: nothing is "cleaned" into a different, half-working markup.
    let starts_poisoned = |text: &str| PAYLOADS.iter().any(|p| text.starts_with(p));
    assert!(
        starts_poisoned(&book.profile.full_name),
        "{}",
        book.profile.full_name
    );
    assert!(book.profile.address.as_deref().is_some_and(starts_poisoned));
    let again = fhir::export_book_json(book);
    for payload in PAYLOADS {
        let quoted = serde_json::to_string(payload).expect("a string");
        assert!(
            again.contains(quoted.trim_matches('"')),
            "{payload} lost on the way"
        );
    }
}

#[test]
fn a_ten_megabyte_string_is_refused_with_its_size() {
    let mut bundle = exported();
    patient(&mut bundle)["name"][0]["family"] = json!("A".repeat(10 * 1024 * 1024));
    match import(&bundle) {
        Err(ImportError::StringTooLong { size, limit, .. }) => {
            assert!(size >= 10 * 1024 * 1024 && size > limit)
        }
        other => panic!("expected StringTooLong, got {other:?}"),
    }
}

#[test]
fn deeply_nested_json_is_refused_before_parsing() {
    // A million brackets: a recursive parser would overflow its stack long before the end.
    let deep = format!("{}{}", "[".repeat(1_000_000), "]".repeat(1_000_000));
    assert!(matches!(
        fhir::import_books(deep.as_bytes(), &ImportOptions::default()),
        Err(ImportError::TooDeep { .. })
    ));
    let mut bundle = exported();
    let mut nested = json!("x");
    for _ in 0..200 {
        nested = json!({ "extension": [nested] });
    }
    patient(&mut bundle)["extension"] = json!([nested]);
    assert!(matches!(import(&bundle), Err(ImportError::TooDeep { .. })));
}

#[test]
fn a_json_bomb_of_entries_is_refused_by_count() {
    // Small on disk, enormous once parsed: 60,000 entries of almost nothing.
    let entries = vec![json!({ "resource": { "resourceType": "Basic" } }); 60_000];
    let bomb = json!({ "resourceType": "Bundle", "type": "collection", "entry": entries });
    assert!(bomb.to_string().len() < fhir::MAX_IMPORT_BYTES);
    assert!(matches!(
        import(&bomb),
        Err(ImportError::TooManyEntries { .. })
    ));
}

#[test]
fn non_utf8_bytes_are_not_json() {
    let mut bytes = exported().to_string().into_bytes();
    let at = bytes.len() / 2;
    bytes.splice(at..at, [0xff, 0xfe, 0xc3]);
    assert!(matches!(
        fhir::import_books(&bytes, &ImportOptions::default()),
        Err(ImportError::NotJson { .. })
    ));
}

#[test]
fn wrong_types_refuse_the_patient_or_skip_the_record() {
    let mut bundle = exported();
    patient(&mut bundle)["birthDate"] = json!(19900101);
    assert!(matches!(
        import(&bundle),
        Err(ImportError::InvalidPatient { .. })
    ));

    let mut bundle = exported();
    first_of(&mut bundle, "Immunization")["occurrenceDateTime"] = json!({ "not": "a date" });
    first_of(&mut bundle, "MedicationRequest")["dosageInstruction"] = json!("take some");
    let imported = import(&bundle).expect("one bad record never fails the book");
    let malformed = imported
        .report
        .skipped
        .iter()
        .filter(|s| matches!(s.reason, SkipReason::Malformed { .. }))
        .count();
    assert!(malformed >= 1, "{:?}", imported.report.skipped);
}

#[test]
fn numbers_out_of_range_end_in_a_refusal_or_a_skip() {
    // Past f64: serde_json refuses the text, which the app reports as not a health book file.
    let mut text = exported().to_string();
    text = text.replacen("\"entry\":[", "\"x\":1e999,\"entry\":[", 1);
    assert!(matches!(
        fhir::import_books(text.as_bytes(), &ImportOptions::default()),
        Err(ImportError::NotJson { .. })
    ));
    // A dose number beyond any integer type and a negative one: the record is skipped or the
    // dose left out, never wrapped round to a wrong number.
    for dose in [json!(18446744073709551616.0_f64), json!(-3), json!(1.5)] {
        let mut bundle = exported();
        first_of(&mut bundle, "Immunization")["protocolApplied"] =
            json!([{ "doseNumberPositiveInt": dose }]);
        let imported = import(&bundle).expect("the book imports");
        let book = &imported.books[0];
        assert!(
            book.vaccinations
                .iter()
                .all(|v| v.dose_number.is_none_or(|n| n >= 1)),
            "dose {dose} read as {:?}",
            book.vaccinations
                .iter()
                .map(|v| v.dose_number)
                .collect::<Vec<_>>()
        );
        oracles::check_views(book);
    }
}

#[test]
fn impossible_and_far_future_dates_are_refused_or_flagged() {
    let mut bundle = exported();
    patient(&mut bundle)["birthDate"] = json!("0000-00-00");
    assert!(matches!(
        import(&bundle),
        Err(ImportError::InvalidPatient {
            problem: PatientProblem::InvalidBirthDate { .. },
            ..
        })
    ));

    let mut bundle = exported();
    first_of(&mut bundle, "Immunization")["occurrenceDateTime"] = json!("0000-00-00");
    let imported = import(&bundle).expect("one bad date never fails the book");
    assert!(imported.report.skipped.iter().any(|s| matches!(
        s.reason,
        SkipReason::InvalidDate { .. } | SkipReason::Malformed { .. }
    )));

    // 9999-12-31 is a real date: kept, and the checks say it lies in the future.
    let mut bundle = exported();
    first_of(&mut bundle, "Immunization")["occurrenceDateTime"] = json!("9999-12-31");
    let book = import(&bundle).expect("the book imports").books.remove(0);
    let findings = validate_book(&book, &ValidationContext::new(date!(2026 - 12 - 02)));
    assert!(
        findings
            .iter()
            .any(|f| matches!(f.kind, FindingKind::InFuture { .. })),
        "{findings:?}"
    );
    oracles::check_views(&book);
}

#[test]
fn duplicate_ids_never_make_two_records_of_one() {
    let mut bundle = exported();
    repeat_first(&mut bundle, "Immunization", 2);
    let plain = import(&exported()).expect("imports").books.remove(0);
    let imported = import(&bundle).expect("imports");
    assert_eq!(
        imported.books[0].vaccinations.len(),
        plain.vaccinations.len()
    );
    assert!(imported
        .report
        .skipped
        .iter()
        .any(|s| s.reason == SkipReason::Duplicate));

    // The same Patient twice is one person, not two books.
    let mut bundle = exported();
    repeat_first(&mut bundle, "Patient", 1);
    match import(&bundle) {
        Ok(imported) => assert_eq!(imported.books.len(), 1),
        Err(e) => assert!(matches!(e, ImportError::SeveralPatients { .. })),
    }
}
