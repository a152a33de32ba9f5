//! Writes the FHIR Bundle files the end-to-end tests import through the app's Import screen, and
//! `expected.json` with what the tests should see. Books are generated for *today* (the tests run
//! the app on the real clock), from fixed seeds.
//!
//! Usage: cargo run -p health-book --example e2e_fixtures -- <out-dir>
//! `prescriptions-5000.json`, a book of 5,000 prescriptions, is always written: bench/ measures
//! with it and `e2e/tests/import-worker.test.mjs` imports it under `scripts/test` (it was once
//! written only with a `--bench` flag, which CI never passed, so that whole test file was skipped).

use std::fs;
use std::path::PathBuf;

use health_book::checkin::{CheckInCode, CheckInVariant, ErrorCorrection};
use health_book::fhir::{export_book, export_book_json, export_books_json};
use health_book::generate::{
    self, BookShape, HOANG_VAN_DUNG, LONGEST_REALISTIC_ADDRESS, NGUYEN_THI_NGOC_ANH,
};
use health_book::ids::InsuranceCode;
use health_book::tables::vaccines;
use health_book::views::id_cards::ProvinceAtRegistration;
use health_book::{
    CitizenId, Facility, HealthBook, HealthInsuranceCard, RecordId, Sex, Vaccination,
};
use serde_json::json;
use time::macros::date;
use time::{Date, OffsetDateTime, UtcOffset};

/// Vietnam's offset: the tests' browser runs in the machine's zone, and the dates a person sees
/// are calendar dates, so a day either side does not change what the tests check.
fn today() -> Date {
    let offset = UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC);
    OffsetDateTime::now_utc().to_offset(offset).date()
}

fn expectations(book: &HealthBook) -> serde_json::Value {
    let p = &book.profile;
    let payload = |variant| {
        CheckInCode::build(p, variant, ErrorCorrection::Medium)
            .map(|c| c.text)
            .unwrap_or_default()
    };
    json!({
        "name": p.full_name,
        "citizenId": p.citizen_id.as_str(),
        "birthYear": p.date_of_birth.year(),
        "dateOfBirth": p.date_of_birth.to_string(),
        "address": p.address,
        // What Home labels "province at registration": the citizen ID's code, named as then.
        "provinceAtRegistration": ProvinceAtRegistration::of(&p.citizen_id).map(|r| r.0.name_vi),
        "vaccinations": book.vaccinations.len(),
        "prescriptions": book.prescriptions.len(),
        "insuranceCode": p.health_insurance.as_ref().and_then(|c| InsuranceCode::parse(&c.code).ok()).map(|c| c.as_str().to_string()),
        "checkInFull": payload(CheckInVariant::Full),
        "checkInMinimal": payload(CheckInVariant::Minimal),
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: e2e_fixtures <out-dir>")?,
    );
    fs::create_dir_all(&out)?;
    let today = today();

    // An adult with 40 years of records (about 60 vaccinations and 400 prescriptions), living in
    // a mountain district.
    let mut adult = generate::book(
        11,
        &BookShape::adult_with_history(40)
            .named(NGUYEN_THI_NGOC_ANH, Sex::Female)
            .as_of(today),
    );
    // A card issued after 1 July 2025 carries the two-level address (commune, province): xóm
    // Khuôn Tát of xã Phú Đình, formerly of huyện Định Hóa (the place table in generate.rs).
    adult.profile.card_issued_on = Some(date!(2025 - 09 - 15));
    adult.profile.address = Some("Xóm Khuôn Tát, Xã Phú Đình, Tỉnh Thái Nguyên".into());
    // Retired (HT), benefit level 3, registered in Thái Nguyên (19); expires in 20 days.
    adult.profile.health_insurance = Some(HealthInsuranceCard {
        code: "HT3190123456789".into(),
        valid_from: Some(add_months(today, -11)),
        valid_to: Some(today + time::Duration::days(20)),
        registered_facility: Some(Facility {
            code: Some("19-011".into()),
            name: "Trung tâm Y tế huyện Định Hóa".into(),
        }),
    });

    // A baby of seven and a half months whose only recorded doses are the birth ones: every dose
    // of the 2, 3, 4 and 5-month visits is overdue, none of the 9-month ones is due yet, and the
    // rotavirus doses (not given past 8 months) are still open. Not exactly 8 months: that is the
    // rotavirus limit, so the test would flip when the calendar day turns between writing the
    // fixtures and running the tests, or when a short month clamps the birth date.
    let mut child = generate::book(
        22,
        &BookShape::child(8)
            .named(HOANG_VAN_DUNG, Sex::Male)
            .as_of(today),
    );
    child.profile.date_of_birth = add_months(today, -7) - time::Duration::days(15);
    let template = child
        .vaccinations
        .first()
        .cloned()
        .ok_or("the generated child has no vaccination")?;
    child.vaccinations = [("VGB", 0), ("BCG", 7)]
        .into_iter()
        .map(|(code, day)| {
            let vaccine = vaccines::by_code(code)
                .map(|v| v.coding())
                .ok_or("vaccine table lacks a code")?;
            Ok::<_, &str>(Vaccination {
                id: RecordId(format!("child-{code}")),
                vaccine,
                target_diseases: Vec::new(),
                dose_number: Some(1),
                series_doses: None,
                date: child.profile.date_of_birth + time::Duration::days(day),
                next_dose_due: None,
                ..template.clone()
            })
        })
        .collect::<Result<_, _>>()?;
    // No card yet: the address as written today, two-level (xã Thần Sa, formerly of huyện Võ
    // Nhai, merged with Thượng Nung in 2025).
    child.profile.address = Some("Xóm Xuyên Sơn, Xã Thần Sa, Tỉnh Thái Nguyên".into());

    // The longest realistic address, for the densest check-in code.
    let mut long_address = generate::book(33, &BookShape::records(20).as_of(today));
    long_address.profile.address = Some(LONGEST_REALISTIC_ADDRESS.into());
    // That address is three-level (ward, city, province), as written on a card issued before
    // the districts were abolished on 1 July 2025.
    long_address.profile.card_issued_on = Some(date!(2024 - 03 - 12));
    // Born abroad: the ID's first three digits are a country code (840), not a province code
    // (Decree 137/2015 art. 13): Home and the check-in screen warn of it, nothing refuses it.
    let abroad = format!("840{}", &long_address.profile.citizen_id.as_str()[3..]);
    long_address.profile.citizen_id =
        CitizenId::parse(&abroad).map_err(|e| format!("{abroad}: {e:?}"))?;

    let books = [
        ("adult", &adult),
        ("child", &child),
        ("long-address", &long_address),
    ];
    let mut expected = serde_json::Map::new();
    for (name, book) in books {
        fs::write(out.join(format!("{name}.json")), export_book_json(book))?;
        expected.insert(name.into(), expectations(book));
    }
    fs::write(
        out.join("family.json"),
        export_books_json(&[adult.clone(), child.clone(), long_address.clone()]),
    )?;
    // Issue 13: a file with another person's records beside this person's own. The import
    // must skip and report them, never put them in this book.
    let mut with_foreign = serde_json::to_value(export_book(&long_address))?;
    with_foreign["entry"]
        .as_array_mut()
        .ok_or("an exported bundle has entries")?
        .extend(someone_elses_records());
    fs::write(
        out.join("foreign-records.json"),
        serde_json::to_string(&with_foreign)?,
    )?;
    expected.insert(
        "foreignRecords".into(),
        json!({
            "name": long_address.profile.full_name,
            "vaccinations": long_address.vaccinations.len(),
            "prescriptions": long_address.prescriptions.len(),
            "skipped": ["Immunization/someone-elses-dose", "MedicationRequest/someone-elses-rx"],
            "foreignVaccine": SOMEONE_ELSES_VACCINE,
            "foreignMedicine": SOMEONE_ELSES_MEDICINE,
        }),
    );
    // Issue 19: a person with allergies, chronic conditions and a blood group, for the
    // International Patient Summary round trip (export as IPS, import on a clean device).
    let mut standing = generate::book(19, &BookShape::records(12).as_of(today));
    standing.profile.allergies = vec!["Penicillin".into(), "Hải sản (tôm, cua)".into()];
    standing.profile.chronic_conditions = vec!["Tăng huyết áp".into(), "Hen phế quản".into()];
    standing.profile.blood_group = Some(health_book::BloodGroup::BNegative);
    fs::write(out.join("ips-person.json"), export_book_json(&standing))?;
    let mut ips_expected = expectations(&standing);
    ips_expected["allergies"] = json!(standing.profile.allergies);
    ips_expected["chronicConditions"] = json!(standing.profile.chronic_conditions);
    // As Home writes it (a true minus sign).
    ips_expected["bloodGroup"] = json!("B\u{2212}");
    expected.insert("ipsPerson".into(), ips_expected);
    // Issue 19: a book with a missed re-examination and a long-term prescription whose doses
    // the medicine plan lays out (two written times after meals, one count per day).
    let care = care_plan_book(today);
    fs::write(out.join("care-plan.json"), export_book_json(&care))?;
    expected.insert(
        "carePlan".into(),
        json!({
            "name": care.profile.full_name,
            "citizenId": care.profile.citizen_id.as_str(),
            "reExaminationOn": care.prescriptions[0].re_examination_on.map(|d| d.to_string()),
            "medicines": care.prescriptions[0].medicines.iter().map(|m| m.name.clone()).collect::<Vec<_>>(),
            "doses": 3,
        }),
    );
    // Bad input the Import screen must refuse without changing anything.
    fs::write(out.join("not-json.json"), "this is not JSON {")?;
    fs::write(
        out.join("not-a-bundle.json"),
        r#"{"resourceType":"Patient","id":"x"}"#,
    )?;
    fs::write(
        out.join("no-patient.json"),
        r#"{"resourceType":"Bundle","type":"collection","entry":[]}"#,
    )?;
    // 5,000 prescriptions of one or two medicines each: decades of chronic care, and small
    // enough (about 12 MB) to pass the 20 MB import limit.
    let mut heavy = generate::book(44, &BookShape::records(6250).as_of(today));
    heavy.prescriptions.truncate(5000);
    for p in &mut heavy.prescriptions {
        p.medicines.truncate(2);
    }
    heavy.vaccinations.truncate(60);
    fs::write(
        out.join("prescriptions-5000.json"),
        export_book_json(&heavy),
    )?;
    expected.insert("prescriptions-5000".into(), expectations(&heavy));
    expected.insert("cardQr".into(), card_qrs(&adult)?);
    expected.insert("today".into(), json!(today.to_string()));
    fs::write(
        out.join("expected.json"),
        serde_json::to_string_pretty(&expected)?,
    )?;
    println!("fixtures written to {}", out.display());
    Ok(())
}

const SOMEONE_ELSES_VACCINE: &str = "Vắc xin phòng dại của người khác";
const SOMEONE_ELSES_MEDICINE: &str = "Thuốc của người khác 5mg";

/// A dose and a prescription of a person who is not in the file (`Patient/someone-else`).
fn someone_elses_records() -> [serde_json::Value; 2] {
    let someone_else = json!({"reference": "Patient/someone-else"});
    [
        json!({"resource": {"resourceType": "Immunization", "id": "someone-elses-dose",
            "status": "completed", "patient": someone_else,
            "vaccineCode": {"text": SOMEONE_ELSES_VACCINE}, "occurrenceDateTime": "2024-05-10"}}),
        json!({"resource": {"resourceType": "MedicationRequest", "id": "someone-elses-rx",
            "status": "active", "intent": "order", "subject": someone_else,
            "groupIdentifier": {"value": "FOREIGN-RX-1"}, "authoredOn": "2025-11-01T09:00:00+07:00",
            "medicationCodeableConcept": {"text": SOMEONE_ELSES_MEDICINE}}}),
    ]
}

/// QR symbols for the card-scan tests (the tests turn them into a camera video and photos): the
/// adult's own card (a book on the device), a new person's card written precomposed and
/// decomposed, a QR that is not a card, and one laid out like a card with an invalid ID.
fn card_qrs(adult: &HealthBook) -> Result<serde_json::Value, Box<dyn std::error::Error>> {
    use health_book::checkin::qr::encode_utf8;
    use unicode_normalization::UnicodeNormalization;
    let new_person = "Đặng Thị Ngọc Ánh";
    let new_card = |name: &str| {
        format!("019185004321|012345678|{name}|12031985|Nữ|Xóm Khuôn Tát, Xã Phú Đình, Tỉnh Thái Nguyên|15042021")
    };
    let adult_card = CheckInCode::build(
        &adult.profile,
        CheckInVariant::Full,
        ErrorCorrection::Medium,
    )?
    .text;
    let codes = [
        ("adult", adult_card),
        ("newPrecomposed", new_card(new_person)),
        (
            "newDecomposed",
            new_card(&new_person.nfd().collect::<String>()),
        ),
        (
            "notACard",
            "https://example.com/thanh-toan?so-tien=50000".to_string(),
        ),
        (
            "invalidCard",
            "01918500432|012345678|Đặng Thị Ngọc Ánh|12031985|Nữ||".to_string(),
        ),
    ];
    let mut out = serde_json::Map::new();
    for (key, text) in codes {
        let qr = encode_utf8(&text, ErrorCorrection::Medium)?;
        let rows: Vec<String> = (0..qr.size)
            .map(|y| {
                (0..qr.size)
                    .map(|x| if qr.is_dark(x, y) { '1' } else { '0' })
                    .collect()
            })
            .collect();
        out.insert(key.into(), json!({ "text": text, "rows": rows }));
    }
    out.insert("newPersonName".into(), json!(new_person));
    Ok(serde_json::Value::Object(out))
}

fn add_months(date: Date, months: i32) -> Date {
    let total = date.year() * 12 + i32::from(u8::from(date.month())) - 1 + months;
    let month =
        time::Month::try_from((total.rem_euclid(12) + 1) as u8).unwrap_or(time::Month::January);
    let year = total.div_euclid(12);
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(date)
}

/// See `care-plan.json` above: issued ten days ago for 30 days, re-examination three days ago.
fn care_plan_book(today: Date) -> HealthBook {
    use health_book::{Dosage, MealRelation, Medicine, TimeOfDay};
    let mut book = generate::book(55, &BookShape::records(1).as_of(today));
    let p = &mut book.prescriptions[0];
    let issued = today - time::Duration::days(10);
    p.issued_at = issued
        .with_hms(9, 0, 0)
        .unwrap_or(issued.midnight())
        .assume_offset(UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC));
    p.re_examination_on = Some(today - time::Duration::days(3));
    p.facility = Facility {
        code: Some("19-011".into()),
        name: "Trạm Y tế xã Phú Đình".into(),
    };
    let template = p.medicines[0].clone();
    p.medicines = vec![
        Medicine {
            name: "Amlodipin 5mg".into(),
            quantity: Some(60),
            unit: Some("viên".into()),
            dosage: Dosage {
                amount_per_dose: Some("1".into()),
                times_per_day: Some(2),
                times_of_day: vec![TimeOfDay::Morning, TimeOfDay::Evening],
                with_meals: Some(MealRelation::AfterMeals),
                route: Some("uống".into()),
                text: None,
            },
            duration_days: Some(30),
            ..template.clone()
        },
        Medicine {
            name: "Metformin 500mg".into(),
            quantity: Some(30),
            unit: Some("viên".into()),
            dosage: Dosage {
                amount_per_dose: Some("1".into()),
                times_per_day: Some(1),
                times_of_day: Vec::new(),
                with_meals: None,
                route: Some("uống".into()),
                text: None,
            },
            duration_days: Some(30),
            ..template
        },
    ];
    book
}
