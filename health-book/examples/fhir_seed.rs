//! Writes the books the local FHIR server (e2e/support/fhir-server.mjs) is seeded with, as FHIR
//! `transaction` Bundles, and `people.json` saying who is on the server.
//!
//! Usage: cargo run -p health-book --example fhir_seed -- <out-dir> [--bench]
//!
//! - `seed.json`: the people of the demo and of the sync tests, one transaction.
//! - `people.json`: their citizen IDs, names and record counts; also a well-formed citizen ID that
//!   is on no one (the "nobody found" case) and one that two Patients share (a duplicate
//!   registration, the "several found" case).
//! - `--bench`: also `bench-5000.json`, one person with about 5,000 resources, and the same book
//!   as an export file, `bench-5000-file.json`, for bench/sync.mjs.
//!
//! What a server holds is the health system's own data: the app's record-origin and
//! book-provenance extensions and `meta` are removed, so everything synced from it imports as
//! `RecordOrigin::Synced`. Entries are POSTs whose `fullUrl` is a `urn:uuid:` and whose references
//! point at those, so the server assigns the ids, as a real one would. Books are generated for
//! today, from fixed seeds.

use std::collections::HashMap;
use std::fs;
use std::path::PathBuf;

use health_book::fhir::{export_books, ext, RECORD_ID_SYSTEM};
use health_book::generate::{self, BookShape};
use health_book::{CitizenId, HealthBook, Sex};
use serde_json::{json, Value};
use time::{OffsetDateTime, UtcOffset};

fn today() -> time::Date {
    let offset = UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC);
    OffsetDateTime::now_utc().to_offset(offset).date()
}

/// A stable UUID-shaped name for an entry (FNV-1a of its original `Type/id`), so the seed file
/// is the same on every run.
fn uuid_for(key: &str) -> String {
    let hash = |seed: u64| {
        key.bytes().fold(seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3)
        })
    };
    let (a, b) = (hash(0xCBF2_9CE4_8422_2325), hash(0x84222325_CBF29CE4));
    let hex = format!("{a:016x}{b:016x}");
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Rewrites every `reference` that names an entry of the bundle to that entry's `urn:uuid:`.
fn rewrite_references(value: &mut Value, names: &HashMap<String, String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("reference") {
                if let Some(uuid) = names.get(r.as_str()) {
                    *r = uuid.clone();
                }
            }
            for v in map.values_mut() {
                rewrite_references(v, names);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_references(v, names)),
        _ => {}
    }
}

fn strip_app_extensions(resource: &mut Value) {
    if let Some(map) = resource.as_object_mut() {
        map.remove("meta");
        if let Some(Value::Array(exts)) = map.get_mut("extension") {
            exts.retain(|e| {
                let url = e.get("url").and_then(Value::as_str).unwrap_or("");
                url != ext::RECORD_ORIGIN && url != ext::BOOK_PROVENANCE
            });
            if exts.is_empty() {
                map.remove("extension");
            }
        }
    }
}

/// The books as one `transaction` Bundle of POSTs.
fn transaction(books: &[HealthBook]) -> Result<Value, Box<dyn std::error::Error>> {
    let collection = serde_json::to_value(export_books(books))?;
    let entries = collection
        .get("entry")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut names = HashMap::new();
    for entry in &entries {
        let resource = &entry["resource"];
        let key = format!(
            "{}/{}",
            resource["resourceType"].as_str().unwrap_or_default(),
            resource["id"].as_str().unwrap_or_default()
        );
        names.insert(key.clone(), uuid_for(&key));
        if let Some(full_url) = entry.get("fullUrl").and_then(Value::as_str) {
            names.insert(full_url.to_string(), uuid_for(&key));
        }
    }
    let mut out = Vec::with_capacity(entries.len());
    for entry in entries {
        let mut resource = entry["resource"].clone();
        let resource_type = resource["resourceType"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let key = format!(
            "{resource_type}/{}",
            resource["id"].as_str().unwrap_or_default()
        );
        strip_app_extensions(&mut resource);
        if let Some(map) = resource.as_object_mut() {
            map.remove("id");
            // R4 requires `ImmunizationRecommendation.date` (1..1) and a validating server
            // (sekmet) refuses the whole transaction without it; the export leaves it out
            // (health-book/src/fhir/export.rs, reported), so the seed says when it was made.
            if resource_type == "ImmunizationRecommendation" && !map.contains_key("date") {
                map.insert("date".into(), json!(today().to_string()));
            }
        }
        rewrite_references(&mut resource, &names);
        out.push(json!({
            "fullUrl": uuid_for(&key),
            "resource": resource,
            "request": { "method": "POST", "url": resource_type },
        }));
    }
    Ok(json!({ "resourceType": "Bundle", "type": "transaction", "entry": out }))
}

fn resource_count(bundle: &Value) -> usize {
    bundle["entry"].as_array().map_or(0, Vec::len)
}

fn person(book: &HealthBook, role: &str) -> Value {
    json!({
        "role": role,
        "citizenId": book.profile.citizen_id.as_str(),
        "name": book.profile.full_name,
        "birthYear": book.profile.date_of_birth.year(),
        "vaccinations": book.vaccinations.len(),
        "prescriptions": book.prescriptions.len(),
        // Vaccinations no next-dose recommendation points at: deleting one on the server removes
        // just that record (a recommendation left behind would move to another dose).
        "plainVaccinations": book
            .vaccinations
            .iter()
            .filter(|v| v.next_dose_due.is_none())
            .take(5)
            .map(|v| v.id.as_str().to_string())
            .collect::<Vec<_>>(),
        "recordIdSystem": RECORD_ID_SYSTEM,
    })
}

/// A well-formed citizen ID nobody in `books` has: same province, century and year as the first,
/// other serial digits.
fn unused_citizen_id(books: &[HealthBook]) -> Result<String, Box<dyn std::error::Error>> {
    let first = books
        .first()
        .ok_or("no books")?
        .profile
        .citizen_id
        .as_str()
        .to_string();
    for serial in 0..1_000_000u32 {
        let candidate = format!("{}{serial:06}", &first[..6]);
        if CitizenId::parse(&candidate).is_ok()
            && books
                .iter()
                .all(|b| b.profile.citizen_id.as_str() != candidate)
        {
            return Ok(candidate);
        }
    }
    Err("no unused citizen ID".into())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: fhir_seed <out-dir> [--bench]")?,
    );
    fs::create_dir_all(&out)?;
    let today = today();

    let adult = generate::book(
        201,
        &BookShape::adult_with_history(10)
            .named("Trần Văn Bình", Sex::Male)
            .as_of(today),
    );
    let child = generate::book(
        202,
        &BookShape::child(18)
            .named("Lò Thị Mai", Sex::Female)
            .as_of(today),
    );
    let elder = generate::book(
        203,
        &BookShape::adult_with_history(30)
            .named("Nông Thị Hiền", Sex::Female)
            .as_of(today),
    );
    // Registered twice under one citizen ID (a data-entry duplicate the server has not merged).
    let twin_a = generate::book(
        204,
        &BookShape::records(6)
            .named("Đinh Văn Sơn", Sex::Male)
            .as_of(today),
    );
    let mut twin_b = generate::book(
        205,
        &BookShape::records(4)
            .named("Đinh Văn Sơn", Sex::Male)
            .as_of(today),
    );
    twin_b.profile.citizen_id = twin_a.profile.citizen_id.clone();
    twin_b.profile.date_of_birth = twin_a.profile.date_of_birth;

    let books = vec![
        adult.clone(),
        child.clone(),
        elder.clone(),
        twin_a.clone(),
        twin_b,
    ];
    let seed = transaction(&books)?;
    fs::write(out.join("seed.json"), serde_json::to_string(&seed)?)?;
    let mut people = json!({
        "people": [person(&adult, "adult"), person(&child, "child"), person(&elder, "elder")],
        "duplicateCitizenId": twin_a.profile.citizen_id.as_str(),
        "unknownCitizenId": unused_citizen_id(&books)?,
        "resources": resource_count(&seed),
        "today": today.to_string(),
    });

    if std::env::args().any(|a| a == "--bench") {
        // About 5,000 resources: 250 Immunizations (with their recommendations) and 1,450
        // prescriptions of one to four medicines (one MedicationRequest each), plus the shared
        // Organizations and Practitioners.
        let mut heavy = generate::book(
            206,
            &BookShape::records(2000)
                .named("Hà Văn Lâm", Sex::Male)
                .as_of(today),
        );
        heavy.vaccinations.truncate(250);
        heavy.prescriptions.truncate(1450);
        let bench = transaction(std::slice::from_ref(&heavy))?;
        let count = resource_count(&bench);
        fs::write(out.join("bench-5000.json"), serde_json::to_string(&bench)?)?;
        // The same book as a file, for the import half of the benchmark.
        fs::write(
            out.join("bench-5000-file.json"),
            health_book::fhir::export_book_json(&heavy),
        )?;
        people["bench"] = person(&heavy, "bench");
        people["bench"]["resources"] = json!(count);
    }
    fs::write(
        out.join("people.json"),
        serde_json::to_string_pretty(&people)?,
    )?;
    println!(
        "FHIR seed written to {} ({} resources)",
        out.display(),
        people["resources"]
    );
    Ok(())
}
