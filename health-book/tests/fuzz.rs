//! A bounded, seeded mutation fuzzer standing in for `cargo fuzz` (which needs nightly): valid
//! inputs are mutated byte by byte and fed to the bundle importer and the check-in payload parser.
//! Every run is the same run, so a failure reproduces; the failing input is printed.
//!
//! Beyond "no panic", each accepted input must be stable: what the parser accepted, written back
//! out and read again, gives the same value (the rules are in `oracles/`, shared with the
//! coverage-guided AFL targets in `fuzz/`).

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

mod oracles;

use health_book::checkin::{CheckInPayload, CheckInVariant};
use health_book::fhir::{self, ImportLimits, ImportOptions};
use health_book::generate::{self, BookShape, SplitMix64};
use oracles::{check_bundle, check_payload};

const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b"\\",
    b":",
    b",",
    b"|",
    b"null",
    b"-1",
    b"0",
    b"1e999",
    b"true",
    b"\"Patient/p1\"",
    b"\"resourceType\"",
    b"\"Bundle\"",
    b"\"entry\"",
    b"\"2024-02-30\"",
    b"\\u0000",
    "Nữ".as_bytes(),
    "ễ".as_bytes(),
    b"\xff",
    b"\xc3",
    b"\n",
    b" ",
];

fn mutate(rng: &mut SplitMix64, seed: &[u8]) -> Vec<u8> {
    let mut data = seed.to_vec();
    for _ in 0..=rng.below(4) {
        let len = data.len() as u64;
        let at = rng.below(len + 1) as usize;
        match rng.below(7) {
            0 if !data.is_empty() => {
                let i = rng.below(len) as usize;
                data[i] ^= 1 << rng.below(8);
            }
            1 => data.insert(at, rng.below(256) as u8),
            2 if !data.is_empty() => {
                let end = (at + 1 + rng.below(16) as usize).min(data.len());
                data.drain(at.min(end)..end);
            }
            3 => {
                let token = TOKENS[rng.below(TOKENS.len() as u64) as usize];
                data.splice(at..at, token.iter().copied());
            }
            4 if !data.is_empty() => {
                let end = (at + 1 + rng.below(32) as usize).min(data.len());
                let chunk = data[at.min(end)..end].to_vec();
                let to = rng.below(data.len() as u64 + 1) as usize;
                data.splice(to..to, chunk);
            }
            5 => data.truncate(at),
            _ => {
                if let Some(i) = (at < data.len()).then_some(at) {
                    data[i] = TOKENS[rng.below(TOKENS.len() as u64) as usize][0];
                }
            }
        }
    }
    data
}

/// Runs the loop and returns how often each outcome came up, so a test can check the mutations
/// reach past the first refusal.
fn run<F: Fn(&[u8]) -> &'static str>(
    name: &str,
    seeds: &[Vec<u8>],
    iterations: usize,
    seed: u64,
    check: F,
) -> BTreeMap<&'static str, usize> {
    let mut rng = SplitMix64::new(seed);
    let mut outcomes = BTreeMap::new();
    for i in 0..iterations {
        let base = &seeds[i % seeds.len()];
        let input = mutate(&mut rng, base);
        match catch_unwind(AssertUnwindSafe(|| check(&input))) {
            Ok(outcome) => *outcomes.entry(outcome).or_insert(0) += 1,
            Err(_) => panic!(
                "{name}: iteration {i} failed on input {:?}",
                String::from_utf8_lossy(&input)
            ),
        }
    }
    eprintln!("{name}: {outcomes:?}");
    outcomes
}

#[test]
fn fuzz_bundle_import() {
    let small = generate::book(21, &BookShape::records(2));
    let child = generate::book(22, &BookShape::child(3));
    let seeds = vec![
        fhir::export_book_json(&small).into_bytes(),
        fhir::export_books_json(&[small.clone(), child]).into_bytes(),
        r#"{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Patient","id":"1",
"identifier":[{"system":"http://fhir.ehealth.gov.vn/core/sid/national_id","value":"019190001234"}],
"name":[{"family":"Lê","given":["Văn","Nam"]}],"birthDate":"1990-02"}},{"resource":{"resourceType":"Immunization",
"vaccineCode":{"text":"Sởi"},"patient":{"reference":"Patient/1"},"occurrenceDateTime":"1991-01-01",
"protocolApplied":[{"doseNumberString":"1"}]}}]}"#
            .as_bytes()
            .to_vec(),
    ];
    // A small size cap, so the TooLarge path is reached by mutations that grow the input.
    let options = ImportOptions {
        limits: ImportLimits {
            max_bytes: 64 * 1024,
            max_depth: 24,
            ..ImportLimits::default()
        },
        ..ImportOptions::default()
    };
    let outcomes = run("bundle", &seeds, 8_000, 0xB0D1E, |input| {
        check_bundle(input, &options)
    });
    assert!(
        outcomes.get("ok").copied().unwrap_or(0) > 800,
        "too few mutants import: {outcomes:?}"
    );
    assert!(
        outcomes.len() >= 5,
        "mutations reach too few outcomes: {outcomes:?}"
    );
}

#[test]
fn fuzz_check_in_payload() {
    let mut seeds: Vec<Vec<u8>> = vec![
        "001090123456|012345678|Nguyễn Văn A|01011990|Nam|Số 5 Phố Huế, Hà Nội|15042021".into(),
        "019190001234||Nguyễn Thị Ngọc Ánh|05072019|Nữ||".into(),
    ];
    for seed in 0..4 {
        let profile = generate::profile(seed, &BookShape::records(0));
        let payload = CheckInPayload::from_profile(&profile, CheckInVariant::Full)
            .expect("generated profiles encode");
        seeds.push(payload.encode().into_bytes());
    }
    let outcomes = run("payload", &seeds, 12_000, 0xC4EC, check_payload);
    assert!(
        outcomes.get("ok").copied().unwrap_or(0) > 1_000,
        "too few mutants parse: {outcomes:?}"
    );
    assert!(
        outcomes.len() >= 6,
        "mutations reach too few outcomes: {outcomes:?}"
    );
}
