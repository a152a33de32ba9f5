use proptest::prelude::*;
use time::macros::{date, datetime};

use super::*;
use crate::generate::{self, BookShape, SplitMix64};
use crate::model::*;

/// Pushes a generated book into the corners the generator does not visit: every origin and
/// source variant, absent optional fields, prescriptions without medicines, awkward text.
fn scramble(mut book: HealthBook, seed: u64) -> HealthBook {
    let mut rng = SplitMix64::new(seed);
    let awkward = [
        "",
        "\"quoted\" | piped",
        "line\nbreak",
        "emoji 💉 ok",
        "  padded  ",
        "Nguyễn <b>&amp;</b>",
    ];
    book.provenance.source = match rng.below(3) {
        0 => BookSource::Server {
            base_url: "https://fhir.example/r4".into(),
            patient_id: "abc-1".into(),
        },
        1 => BookSource::Imported {
            file_name: rng.chance(50).then(|| "sổ sức khỏe.json".into()),
        },
        _ => BookSource::EnteredOnDevice,
    };
    if rng.chance(30) {
        book.provenance.source_updated_at = None;
        book.provenance.source_version = None;
        book.provenance.last_synced_at = Some(datetime!(2025-12-31 23:59:59 -03:30));
    }
    let p = &mut book.profile;
    if rng.chance(30) {
        p.health_insurance = None;
    } else if let Some(card) = p.health_insurance.as_mut() {
        if rng.chance(40) {
            card.registered_facility = None;
            card.valid_from = None;
        }
        if rng.chance(20) {
            card.code = rng.pick(&awkward).to_string();
        }
    }
    if rng.chance(30) {
        p.address = Some(rng.pick(&awkward).to_string());
    }
    if rng.chance(30) {
        p.phone = None;
        p.emergency_contact = Some(EmergencyContact {
            name: String::new(),
            relationship: None,
            phone: "0912".into(),
        });
    }
    if rng.chance(30) {
        p.allergies = vec![
            "Penicillin".into(),
            rng.pick(&awkward).to_string(),
            "Penicillin".into(),
        ];
    }
    for v in &mut book.vaccinations {
        match rng.below(6) {
            0 => {
                v.recorded_by = RecordOrigin::EnteredByStaff {
                    staff: None,
                    device: None,
                    at: datetime!(2024-02-29 07:05:00 +7),
                }
            }
            1 => {
                v.recorded_by = RecordOrigin::Synced {
                    source: rng.pick(&awkward).to_string(),
                }
            }
            2 => {
                v.dose_number = None;
                v.series_doses = None;
            }
            3 => {
                v.target_diseases.clear();
                v.facility = None;
                v.vaccine.system = None;
            }
            4 => {
                v.dose_number = None;
                v.lot_number = Some(rng.pick(&awkward).to_string());
                v.vaccine.display = rng.pick(&awkward).to_string();
            }
            _ => {}
        }
    }
    for rx in &mut book.prescriptions {
        match rng.below(6) {
            0 => rx.medicines.clear(),
            1 => {
                rx.diagnoses.clear();
                rx.prescriber.practitioner_code = None;
                rx.facility.code = None;
                rx.advice = Some(rng.pick(&awkward).to_string());
            }
            2 => {
                if let Some(m) = rx.medicines.first_mut() {
                    m.dosage = Dosage::default();
                    m.quantity = None;
                    m.duration_days = None;
                    m.unit = Some("ml".into());
                    m.active_ingredient = None;
                }
            }
            3 => {
                if let Some(m) = rx.medicines.first_mut() {
                    m.dosage.times_per_day = None;
                    m.dosage.times_of_day =
                        vec![TimeOfDay::Bedtime, TimeOfDay::Morning, TimeOfDay::Bedtime];
                    m.dosage.with_meals = Some(MealRelation::WithMeals);
                    m.name = rng.pick(&awkward).to_string();
                }
                rx.recorded_by = RecordOrigin::EnteredByStaff {
                    staff: Some("Lê Thị Hà".into()),
                    device: None,
                    at: datetime!(2023-01-02 03:04:05 +7),
                };
            }
            4 => {
                rx.code = rng.pick(&awkward).to_string();
                rx.kind = PrescriptionKind::Traditional;
            }
            _ => {}
        }
    }
    book
}

fn round_trip(book: &HealthBook) -> BookImport {
    let json = export_book_json(book);
    import_book(json.as_bytes(), &ImportOptions::default()).expect("an exported book imports")
}

#[test]
fn generated_book_round_trips_exactly() {
    for (seed, shape) in [
        (1, BookShape::child(30)),
        (2, BookShape::records(60)),
        (3, BookShape::adult_with_history(10)),
    ] {
        let book = generate::book(seed, &shape);
        let imported = round_trip(&book);
        assert_eq!(imported.report, ImportReport::default());
        assert_eq!(imported.book, book);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn any_generated_book_round_trips(seed in any::<u64>(), scramble_seed in any::<u64>(), shape in 0u8..3) {
        let shape = match shape {
            0 => BookShape::child(seed as u32 % 40),
            1 => BookShape::records(seed as usize % 30),
            _ => BookShape::adult_with_history(seed as u32 % 6 + 1),
        };
        let book = scramble(generate::book(seed, &shape), scramble_seed);
        let imported = round_trip(&book);
        prop_assert_eq!(&imported.report, &ImportReport::default());
        prop_assert_eq!(&imported.book, &book);
    }

    #[test]
    fn import_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = import_books(&bytes, &ImportOptions::default());
    }

    #[test]
    fn import_never_panics_on_arbitrary_json(value in arbitrary_json()) {
        let wrapped = serde_json::json!({"resourceType": "Bundle", "type": "collection", "entry": [
            {"resource": {"resourceType": "Patient", "identifier": value.clone(), "birthDate": value.clone()}},
            {"resource": {"resourceType": "Immunization", "vaccineCode": value.clone(), "patient": value.clone()}},
            {"resource": {"resourceType": "MedicationRequest", "dosageInstruction": value.clone(), "groupIdentifier": value.clone()}},
            {"resource": value.clone()},
            value
        ]});
        let _ = import_books(wrapped.to_string().as_bytes(), &ImportOptions::default());
    }
}

fn arbitrary_json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{json, Value};
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        "[a-zA-Z0-9/:|\\-]{0,12}".prop_map(Value::String),
        Just(json!("Patient/p1")),
        Just(json!("2024-02-30")),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            proptest::collection::vec(
                (
                    prop_oneof![
                        Just("value".to_string()),
                        Just("system".to_string()),
                        Just("coding".to_string()),
                        Just("reference".to_string()),
                        "[a-z]{1,8}"
                    ],
                    inner
                ),
                0..5
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

#[test]
fn several_books_in_one_file_round_trip() {
    let books: Vec<HealthBook> = generate::books(5, 4, &BookShape::records(12))
        .into_iter()
        .enumerate()
        .map(|(i, b)| scramble(b, i as u64))
        .collect();
    let json = export_books_json(&books);
    let imported = import_books(json.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(imported.report, ImportReport::default());
    assert_eq!(imported.books, books);
    // The one-book reader refuses it rather than pick one person.
    assert_eq!(
        import_book(json.as_bytes(), &ImportOptions::default()),
        Err(ImportError::SeveralPatients { count: 4 })
    );
}

#[test]
fn a_bundle_of_bundles_reads_too() {
    let books = generate::books(8, 2, &BookShape::records(3));
    let inner: Vec<serde_json::Value> = books
        .iter()
        .map(|b| serde_json::json!({"resource": serde_json::to_value(export_book(b)).unwrap()}))
        .collect();
    let outer = serde_json::json!({"resourceType": "Bundle", "type": "collection", "entry": inner});
    let imported = import_books(outer.to_string().as_bytes(), &ImportOptions::default()).unwrap();
    // Both inner bundles call their Patient "p1" and their facilities "p1-org-1": references
    // resolve inside their own bundle.
    assert_eq!(imported.report, ImportReport::default());
    assert_eq!(imported.books, books);
}

const FOREIGN: &str = r#"{
  "resourceType": "Bundle", "type": "searchset",
  "entry": [
    {"fullUrl": "https://emr.example/fhir/Patient/77", "resource": {
      "resourceType": "Patient", "id": "77", "meta": {"versionId": "5", "lastUpdated": "2025-11-02T10:00:00+07:00"},
      "identifier": [
        {"system": "http://fhir.ehealth.gov.vn/core/sid/national_id", "value": "019 150 000 321"},
        {"system": "http://fhir.ehealth.gov.vn/core/sid/citizen_id", "value": "09123"},
        {"system": "http://fhir.ehealth.gov.vn/core/sid/insurance_number", "value": "HT3191922334455",
         "period": {"start": "2025-01-01", "end": "2025-12-31"}}
      ],
      "name": [{"family": "Ma", "given": ["Thị", "Lan"]}],
      "birthDate": "1950",
      "address": [{"line": ["Xóm Nà Mò"], "district": "Định Hóa", "state": "Thái Nguyên"}],
      "telecom": [{"system": "email", "value": "x@example.vn"}, {"system": "phone", "value": "0912345678"}]
    }},
    {"fullUrl": "https://emr.example/fhir/Organization/tyt", "resource": {
      "resourceType": "Organization", "id": "tyt", "identifier": [{"value": "19-101"}], "name": "Trạm Y tế xã Phú Đình"}},
    {"fullUrl": "https://emr.example/fhir/Organization/unused", "resource": {"resourceType": "Organization", "id": "unused", "name": "Nowhere"}},
    {"fullUrl": "https://emr.example/fhir/Practitioner/bs1", "resource": {
      "resourceType": "Practitioner", "id": "bs1", "identifier": [{"system": "urn:cchn", "value": "000123/TN-CCHN"}],
      "name": [{"family": "Trần", "given": ["Văn", "Hùng"]}]}},
    {"fullUrl": "https://emr.example/fhir/Immunization/i1", "resource": {
      "resourceType": "Immunization", "id": "i1", "status": "completed",
      "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "208", "display": "Pfizer"}]},
      "patient": {"reference": "Patient/77"},
      "occurrenceDateTime": "2021-09-15T08:30:00+07:00",
      "performer": [{"actor": {"reference": "Organization/tyt"}}, {"actor": {"reference": "https://emr.example/fhir/Practitioner/bs1/_history/2"}}],
      "protocolApplied": [{"doseNumberPositiveInt": 1, "seriesDosesPositiveInt": 2,
        "targetDisease": [{"coding": [{"system": "http://snomed.info/sct", "code": "840539006"}]}]}]}},
    {"resource": {"resourceType": "Immunization", "id": "i2", "status": "completed",
      "vaccineCode": {"text": "Cúm mùa"}, "patient": {"reference": "Patient/77"}}},
    {"resource": {"resourceType": "Immunization", "id": "i3", "lotNumber": 5,
      "vaccineCode": {"text": "Cúm mùa"}, "occurrenceDateTime": "2024-10-01"}},
    {"resource": {"resourceType": "Immunization", "id": "i4", "status": "entered-in-error",
      "vaccineCode": {"text": "Dại"}, "occurrenceDateTime": "2024-10-01"}},
    {"resource": {"resourceType": "ImmunizationRecommendation", "id": "r1", "patient": {"reference": "Patient/77"},
      "recommendation": [{"vaccineCode": [{"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "208"}]}],
        "dateCriterion": [{"code": {"coding": [{"system": "http://loinc.org", "code": "30980-7"}]}, "value": "2021-10-13"}]}]}},
    {"resource": {"resourceType": "Condition", "id": "c1", "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "I10", "display": "Tăng huyết áp vô căn"}]}}},
    {"resource": {"resourceType": "Encounter", "id": "e1", "serviceProvider": {"reference": "Organization/tyt"}}},
    {"resource": {"resourceType": "Medication", "id": "med1", "code": {"text": "Amlodipin 5mg"}, "form": {"text": "Viên nén"},
      "ingredient": [{"itemCodeableConcept": {"text": "Amlodipin besilat"}}]}},
    {"resource": {"resourceType": "MedicationRequest", "id": "m1", "status": "active", "intent": "order",
      "groupIdentifier": {"value": "19101K000123-c"}, "subject": {"reference": "Patient/77"},
      "authoredOn": "2025-11-01T09:00:00+07:00", "requester": {"reference": "Practitioner/bs1"},
      "encounter": {"reference": "Encounter/e1"}, "reasonReference": [{"reference": "Condition/c1"}],
      "medicationReference": {"reference": "Medication/med1"},
      "dosageInstruction": [{"text": "Sáng 1 viên", "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d", "when": ["MORN"]}},
        "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "viên"}}]}],
      "dispenseRequest": {"quantity": {"value": 30.0, "unit": "viên"}, "expectedSupplyDuration": {"value": 30, "code": "d"}}}},
    {"resource": {"resourceType": "MedicationRequest", "id": "m2", "status": "active", "intent": "order",
      "groupIdentifier": {"value": "19101K000123-c"}, "subject": {"reference": "Patient/77"},
      "authoredOn": "2025-11-01T09:00:00+07:00",
      "medicationCodeableConcept": {"coding": [{"display": "Losartan 50mg"}]},
      "dispenseRequest": {"expectedSupplyDuration": {"value": 4, "code": "wk"}}}},
    {"resource": {"resourceType": "MedicationRequest", "id": "m3", "subject": {"reference": "Patient/77"},
      "authoredOn": "2025-11-01", "groupIdentifier": {"value": "19101K000999-n"}}},
    {"resource": {"resourceType": "Observation", "id": "o1"}},
    {"request": {"method": "DELETE", "url": "Immunization/9"}},
    {"search": {"mode": "outcome"}, "resource": {"resourceType": "OperationOutcome", "id": "oo"}}
  ]
}"#;

#[test]
fn foreign_bundle_keeps_what_it_understands_and_reports_the_rest() {
    let options = ImportOptions {
        source: BookSource::Server {
            base_url: "https://emr.example/fhir".into(),
            patient_id: "77".into(),
        },
        default_origin: RecordOrigin::Synced {
            source: "https://emr.example/fhir".into(),
        },
        fetched_at: Some(datetime!(2026-01-10 08:00 +7)),
        limits: ImportLimits::default(),
    };
    let BookImport { book, report } = import_book(FOREIGN.as_bytes(), &options).unwrap();
    let p = &book.profile;
    assert_eq!(p.citizen_id.as_str(), "019150000321");
    assert_eq!(p.full_name, "Ma Thị Lan");
    assert_eq!(p.date_of_birth, date!(1950 - 01 - 01));
    assert_eq!(
        p.sex,
        Sex::Female,
        "from the citizen ID's century/sex digit"
    );
    assert_eq!(p.old_id_number, None);
    assert_eq!(p.phone.as_deref(), Some("0912345678"));
    assert_eq!(
        p.address.as_deref(),
        Some("Xóm Nà Mò, Định Hóa, Thái Nguyên")
    );
    let card = p.health_insurance.as_ref().unwrap();
    assert_eq!(
        (card.valid_from, card.valid_to),
        (Some(date!(2025 - 01 - 01)), Some(date!(2025 - 12 - 31)))
    );
    assert_eq!(book.provenance.source_version.as_deref(), Some("5"));
    assert_eq!(
        book.provenance.source_updated_at,
        Some(datetime!(2025-11-02 10:00 +7))
    );
    assert_eq!(book.provenance.last_synced_at, options.fetched_at);
    assert!(report.notes.contains(&ImportNote::BirthDateCompleted {
        patient: Some("77".into()),
        given: "1950".into()
    }));
    assert!(report.notes.contains(&ImportNote::SexFromCitizenId {
        patient: Some("77".into())
    }));
    assert!(report.notes.contains(&ImportNote::OldIdNumberDropped {
        patient: Some("77".into())
    }));

    assert_eq!(book.vaccinations.len(), 1);
    let v = &book.vaccinations[0];
    assert_eq!(v.id.as_str(), "i1");
    assert_eq!(v.date, date!(2021 - 09 - 15));
    assert_eq!(
        crate::tables::vaccines::find(&v.vaccine).map(|x| x.code),
        Some("COVID-19-PF")
    );
    assert_eq!(
        v.facility
            .as_ref()
            .map(|f| (f.code.as_deref(), f.name.as_str())),
        Some((Some("19-101"), "Trạm Y tế xã Phú Đình"))
    );
    assert_eq!(v.administered_by.as_deref(), Some("Trần Văn Hùng"));
    assert_eq!((v.dose_number, v.series_doses), (Some(1), Some(2)));
    assert_eq!(
        v.next_dose_due,
        Some(date!(2021 - 10 - 13)),
        "matched by vaccine code"
    );
    assert_eq!(v.recorded_by, options.default_origin);

    assert_eq!(book.prescriptions.len(), 1);
    let rx = &book.prescriptions[0];
    assert_eq!(rx.code, "19101K000123-c");
    assert_eq!(rx.id.as_str(), "19101K000123-c");
    assert_eq!(rx.kind, PrescriptionKind::Basic);
    assert_eq!(
        rx.facility.name, "Trạm Y tế xã Phú Đình",
        "from the encounter's service provider"
    );
    assert_eq!(
        rx.prescriber,
        Prescriber {
            name: "Trần Văn Hùng".into(),
            practitioner_code: Some("000123/TN-CCHN".into())
        }
    );
    assert_eq!(
        rx.diagnoses,
        vec![Diagnosis {
            icd10: "I10".into(),
            text: "Tăng huyết áp vô căn".into()
        }]
    );
    assert_eq!(rx.medicines.len(), 2);
    let m = &rx.medicines[0];
    assert_eq!(m.name, "Amlodipin 5mg");
    assert_eq!(m.active_ingredient.as_deref(), Some("Amlodipin besilat"));
    assert_eq!(m.form.as_deref(), Some("Viên nén"));
    assert_eq!(
        (m.quantity, m.unit.as_deref(), m.duration_days),
        (Some(30), Some("viên"), Some(30))
    );
    assert_eq!(m.dosage.times_per_day, Some(1));
    assert_eq!(m.dosage.times_of_day, vec![TimeOfDay::Morning]);
    assert_eq!(m.dosage.amount_per_dose.as_deref(), Some("1"));
    assert_eq!(rx.medicines[1].name, "Losartan 50mg");
    assert_eq!(rx.medicines[1].duration_days, Some(28));

    let skipped: Vec<(&str, Option<&str>, &SkipReason)> = report
        .skipped
        .iter()
        .map(|s| (s.resource_type.as_str(), s.id.as_deref(), &s.reason))
        .collect();
    assert!(
        skipped.contains(&("Immunization", Some("i2"), &SkipReason::NoDate)),
        "{skipped:?}"
    );
    assert!(skipped
        .iter()
        .any(|s| s.1 == Some("i3") && matches!(s.2, SkipReason::Malformed { .. })));
    assert!(skipped.contains(&(
        "Immunization",
        Some("i4"),
        &SkipReason::NotCompleted {
            status: "entered-in-error".into()
        }
    )));
    assert!(skipped.contains(&("Organization", Some("unused"), &SkipReason::NotReferenced)));
    assert!(skipped.contains(&("MedicationRequest", Some("m3"), &SkipReason::NoMedication)));
    assert!(skipped.contains(&("Observation", Some("o1"), &SkipReason::Unsupported)));
    assert!(skipped.contains(&("OperationOutcome", Some("oo"), &SkipReason::Unsupported)));
    assert!(skipped.contains(&("", None, &SkipReason::NoResource)));
    assert_eq!(skipped.len(), 8, "{skipped:?}");
}

/// The sync's entry point: a server's resources, already parsed, map exactly as the same
/// resources in a Bundle do (the entries without a resource are the bundle's alone).
#[test]
fn resources_given_on_their_own_import_as_their_bundle_does() {
    let options = ImportOptions {
        default_origin: RecordOrigin::Synced {
            source: "https://emr.example/fhir".into(),
        },
        ..ImportOptions::default()
    };
    let generated = export_book_json(&scramble(
        generate::book(11, &BookShape::adult_with_history(4)),
        11,
    ));
    for text in [FOREIGN, generated.as_str()] {
        let bundle: serde_json::Value = serde_json::from_str(text).unwrap();
        let resources: Vec<&serde_json::Value> = bundle["entry"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|entry| entry.get("resource"))
            .collect();
        let mut from_bundle = import_book(text.as_bytes(), &options).unwrap();
        from_bundle
            .report
            .skipped
            .retain(|s| s.reason != SkipReason::NoResource);
        let from_resources = import_resources(resources, &options).unwrap();
        assert_eq!(from_resources, from_bundle);
    }
    assert!(matches!(
        import_resources(&[], &options),
        Err(ImportError::NoPatient)
    ));
}

#[test]
fn transaction_bundle_with_urn_references() {
    let json = r#"{"resourceType": "Bundle", "type": "transaction", "entry": [
      {"fullUrl": "urn:uuid:0a1b", "resource": {"resourceType": "Patient",
        "identifier": [{"system": "http://fhir.ehealth.gov.vn/core/sid/national_id", "value": "019090001234"}],
        "name": [{"text": "Hoàng Văn Dũng"}], "gender": "male", "birthDate": "1990-04-30"},
        "request": {"method": "POST", "url": "Patient"}},
      {"fullUrl": "urn:uuid:9f", "resource": {"resourceType": "Immunization", "status": "completed",
        "vaccineCode": {"coding": [{"code": "VNNB", "display": "Viêm não Nhật Bản"}]},
        "patient": {"reference": "urn:uuid:0a1b"}, "occurrenceDateTime": "1991-05-02"},
        "request": {"method": "POST", "url": "Immunization"}}
    ]}"#;
    let imported = import_book(json.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(imported.book.profile.full_name, "Hoàng Văn Dũng");
    assert_eq!(imported.book.vaccinations.len(), 1);
    assert_eq!(imported.book.vaccinations[0].id.as_str(), "immunization-1");
    assert_eq!(
        imported.book.vaccinations[0].recorded_by,
        RecordOrigin::Imported
    );
    assert_eq!(
        imported.book.provenance.source,
        BookSource::Imported { file_name: None }
    );
}

#[test]
fn refusals_before_and_after_parsing() {
    let options = ImportOptions::default();
    let small = ImportOptions {
        limits: ImportLimits {
            max_bytes: 10,
            max_depth: 64,
            ..ImportLimits::default()
        },
        ..ImportOptions::default()
    };
    assert_eq!(
        import_book(&[b' '; 11], &small),
        Err(ImportError::TooLarge {
            size: 11,
            limit: 10
        })
    );
    let deep = format!("{}{}", "[".repeat(65), "]".repeat(65));
    assert_eq!(
        import_book(deep.as_bytes(), &options),
        Err(ImportError::TooDeep { limit: 64 })
    );
    // Deep but unbalanced input is refused by the scan too, before serde_json sees it.
    assert_eq!(
        import_book("{\"a\":".repeat(100_000).as_bytes(), &options),
        Err(ImportError::TooDeep { limit: 64 })
    );
    assert!(matches!(
        import_book(b"{\"resourceType\": ", &options),
        Err(ImportError::NotJson { line: 1, .. })
    ));
    assert_eq!(
        import_book(b"[]", &options),
        Err(ImportError::NotABundle { found: None })
    );
    assert_eq!(
        import_book(br#"{"resourceType":"Patient"}"#, &options),
        Err(ImportError::NotABundle {
            found: Some("Patient".into())
        })
    );
    assert_eq!(
        import_book(
            br#"{"resourceType":"Bundle","type":"subscription-notification"}"#,
            &options
        ),
        Err(ImportError::UnsupportedBundleType {
            found: "subscription-notification".into()
        })
    );
    assert_eq!(
        import_book(
            br#"{"resourceType":"Bundle","type":"collection"}"#,
            &options
        ),
        Err(ImportError::NoPatient)
    );
    // Issue 12 changed this fact: a prefix that is no province code (a birth registered abroad)
    // no longer refuses the book; `validate` warns instead.
    let abroad_id = r#"{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient","id":"x",
        "identifier":[{"system":"http://fhir.ehealth.gov.vn/core/sid/national_id","value":"999090001234"}],
        "name":[{"text":"A"}],"birthDate":"1990-01-01"}}]}"#;
    let imported = import_book(abroad_id.as_bytes(), &options).unwrap();
    assert_eq!(imported.book.profile.citizen_id.as_str(), "999090001234");
    let bad_id = abroad_id.replace("999090001234", "99909000123");
    assert_eq!(
        import_book(bad_id.as_bytes(), &options),
        Err(ImportError::InvalidPatient {
            id: Some("x".into()),
            problem: PatientProblem::CitizenId(crate::CitizenIdError::WrongLength(11))
        })
    );
    let malformed = r#"{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient","name":"not a list"}}]}"#;
    assert!(matches!(
        import_book(malformed.as_bytes(), &options),
        Err(ImportError::InvalidPatient {
            problem: PatientProblem::Malformed { .. },
            ..
        })
    ));
    // With a BOM, as Windows tools write it.
    let with_bom = [
        b"\xEF\xBB\xBF".as_slice(),
        export_book_json(&generate::book(1, &BookShape::records(2))).as_bytes(),
    ]
    .concat();
    assert!(import_book(&with_bom, &options).is_ok());
}

#[test]
fn one_bad_patient_of_several_is_skipped() {
    let books = generate::books(3, 2, &BookShape::records(4));
    let mut value = serde_json::to_value(export_books(&books)).unwrap();
    // Break the second Patient's citizen ID.
    let entries = value["entry"].as_array_mut().unwrap();
    let second = entries
        .iter_mut()
        .find(|e| e["resource"]["id"] == "p2")
        .unwrap();
    second["resource"]["identifier"][0]["value"] = serde_json::json!("12");
    let imported = import_books(value.to_string().as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(imported.books, vec![books[0].clone()]);
    assert!(imported
        .report
        .skipped
        .iter()
        .any(|s| s.id.as_deref() == Some("p2")
            && s.reason
                == SkipReason::InvalidPatient(PatientProblem::CitizenId(
                    crate::CitizenIdError::WrongLength(2)
                ))));
    assert!(imported
        .report
        .skipped
        .iter()
        .any(|s| s.reason == SkipReason::PatientNotImported));
}

#[test]
fn nesting_scan_ignores_brackets_in_strings() {
    assert!(!nesting_exceeds(
        br#"{"a": "[[[[[[[[[[", "b": "\"[[[[[["}"#,
        2
    ));
    assert!(nesting_exceeds(br#"{"a": [[1]]}"#, 2));
    assert!(!nesting_exceeds(br#"{"a": [1]}"#, 2));
    assert!(!nesting_exceeds(b"]]]]]]}}}}", 1));
}

#[test]
fn export_shape_for_other_tools() {
    let book = generate::book(
        4,
        &BookShape::child(20).named("Nguyễn Thị Ngọc Ánh", Sex::Female),
    );
    let value = serde_json::to_value(export_book(&book)).unwrap();
    assert_eq!(value["resourceType"], "Bundle");
    assert_eq!(value["type"], "collection");
    let patient = &value["entry"][0]["resource"];
    assert_eq!(patient["resourceType"], "Patient");
    assert_eq!(patient["identifier"][0]["system"], NATIONAL_ID_SYSTEM);
    assert_eq!(patient["name"][0]["family"], "Nguyễn");
    assert_eq!(patient["name"][0]["given"][0], "Thị Ngọc Ánh");
    assert_eq!(patient["gender"], "female");
    let imm = value["entry"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["resource"]["resourceType"] == "Immunization")
        .unwrap();
    assert_eq!(imm["resource"]["patient"]["reference"], "Patient/p1");
    assert!(imm["fullUrl"].as_str().unwrap().starts_with(FULL_URL_BASE));
    assert!(imm["resource"]["protocolApplied"][0]["doseNumberPositiveInt"].is_u64());
}

#[test]
fn vaccines_are_recognised_as_registers_write_them_and_the_rest_is_reported() {
    let immunization = |id: &str, vaccine_code: &str| {
        format!(
            r#"{{"resource":{{"resourceType":"Immunization","id":"{id}","status":"completed",
            "patient":{{"reference":"Patient/p1"}},"occurrenceDateTime":"2024-05-10",
            "vaccineCode":{vaccine_code}}}}}"#
        )
    };
    let entries = [
        immunization("a", r#"{"text":"Vắc xin 5 trong 1"}"#),
        immunization(
            "b",
            r#"{"coding":[{"system":"urn:chain:vnvc","code":"RV-01","display":"Rota 2 liều"},
            {"system":"urn:chain:vnvc","code":"Rotarix"}]}"#,
        ),
        immunization(
            "c",
            r#"{"coding":[{"code":"Prevenar 13","display":"Prevenar 13"}]}"#,
        ),
        immunization("d", r#"{"text":"Qdenga"}"#),
    ];
    let bundle = format!(
        r#"{{"resourceType":"Bundle","type":"collection","entry":[
        {{"resource":{{"resourceType":"Patient","id":"p1",
        "identifier":[{{"system":"http://fhir.ehealth.gov.vn/core/sid/national_id","value":"001090123456"}}],
        "name":[{{"text":"Nguyễn Văn A"}}],"gender":"male","birthDate":"1990-01-01"}}}},
        {}]}}"#,
        entries.join(",")
    );
    let BookImport { book, report } =
        import_book(bundle.as_bytes(), &ImportOptions::default()).unwrap();
    let code_of = |id: &str| {
        let v = book
            .vaccinations
            .iter()
            .find(|v| v.id.as_str() == id)
            .unwrap();
        crate::tables::vaccines::find(&v.vaccine).map(|x| x.code)
    };
    assert_eq!(code_of("a"), Some("DPT-VGB-Hib"));
    assert_eq!(
        code_of("b"),
        Some("ROTA"),
        "the brand beside a chain's own code"
    );
    assert_eq!(code_of("c"), Some("PCV"));
    assert_eq!(code_of("d"), None, "kept, as an unknown vaccine");
    let unknown: Vec<_> = report
        .notes
        .iter()
        .filter_map(|n| match n {
            ImportNote::UnknownVaccine {
                immunization,
                vaccine,
            } => Some((immunization.as_deref(), vaccine.display.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(unknown, vec![(Some("d"), "Qdenga")]);
}
