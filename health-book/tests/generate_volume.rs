//! The volume the app's storage benchmark asks for: 500 books of 250 records each, with distinct
//! citizen IDs, generated quickly enough to sit in a normal test run.

use std::collections::HashSet;
use std::time::Instant;

use health_book::generate::{self, BookShape};

#[test]
fn five_hundred_books_of_two_hundred_fifty_records() {
    let started = Instant::now();
    let books = generate::books(2026, 500, &BookShape::records(250));
    let elapsed = started.elapsed();
    assert_eq!(books.len(), 500);
    assert!(books
        .iter()
        .all(|b| b.vaccinations.len() + b.prescriptions.len() == 250));
    let ids: HashSet<&str> = books.iter().map(|b| b.citizen_id().as_str()).collect();
    assert_eq!(ids.len(), 500);
    eprintln!("generated 125,000 records in {elapsed:?}");
    // Generous bound for an unoptimised build on a shared 2-core machine.
    assert!(elapsed.as_secs() < 20, "{elapsed:?}");
}
