//! How long importing a file takes natively, for `bench/` (never asserted: shared machines are
//! noisy). Each file is timed against a baseline measured in the same run: serde_json parsing
//! the same bytes into a `Value`, which every import does first. A ratio that stays flat from a
//! small file to a 20 MB one says the import is linear in its input.
//!
//! Usage: cargo run --release -p health-book --example import_bench [-- RUNS]

use std::time::{Duration, Instant};

use health_book::fhir::{export_book_json, import_book, ImportLimits, ImportOptions};
use health_book::generate::{self, BookShape};
use health_book::HealthBook;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time_runs(runs: usize, mut f: impl FnMut()) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect(),
    )
}

fn one_dose_one_medicine() -> HealthBook {
    let mut book = generate::book(9, &BookShape::records(10));
    book.vaccinations.truncate(1);
    book.vaccinations[0].next_dose_due = Some(book.vaccinations[0].date + time::Duration::days(30));
    book.prescriptions.truncate(1);
    book.prescriptions[0].medicines.truncate(1);
    book
}

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(5);
    let options = ImportOptions::default();
    let max = ImportLimits::default().max_bytes;
    let small = one_dose_one_medicine();
    let mut heavy = generate::book(44, &BookShape::records(6250));
    // The e2e_fixtures --bench book (5,000 prescriptions of up to two medicines), within the
    // byte limit.
    heavy.prescriptions.truncate(5000);
    for p in &mut heavy.prescriptions {
        p.medicines.truncate(2);
    }
    heavy.vaccinations.truncate(60);
    let files = [
        (
            "duplicates, 1 MB",
            generate::duplicated_records_file(&small, max / 20).0,
        ),
        (
            "duplicates, 20 MB",
            generate::duplicated_records_file(&small, max).0,
        ),
        ("5,000 distinct prescriptions", export_book_json(&heavy)),
    ];
    println!("| file | MB | parse only (ms) | import (ms) | ratio |");
    println!("| --- | --- | --- | --- | --- |");
    for (name, text) in &files {
        let bytes = text.as_bytes();
        let parse = time_runs(runs, || {
            let value: serde_json::Value = serde_json::from_slice(bytes).unwrap_or_default();
            std::hint::black_box(value);
        });
        if let Err(e) = import_book(bytes, &options) {
            println!("{name}: not imported ({e})");
            continue;
        }
        let import = time_runs(runs, || {
            std::hint::black_box(import_book(bytes, &options).is_ok());
        });
        println!(
            "BENCH | {name} | {:.1} | {:.0} | {:.0} | {:.1} |",
            bytes.len() as f64 / 1e6,
            parse.as_secs_f64() * 1e3,
            import.as_secs_f64() * 1e3,
            import.as_secs_f64() / parse.as_secs_f64()
        );
    }
}
