//! What must hold for any input, checked by every fuzzer of the core: the seeded mutation
//! fuzzer (`tests/fuzz.rs`), the property tests of `tests/resilience_*.rs` and the coverage-guided
//! AFL targets of `fuzz/` (which include this file by path, so both engines judge inputs alike).
//!
//! Each check panics when the rule is broken: for the fuzz engines a panic is a crash. It
//! returns the outcome's name, so a bounded run can show the mutations get past the first
//! refusal.
#![allow(dead_code)] // each includer uses its own subset

use health_book::checkin::{CheckInParseError, CheckInPayload};
use health_book::fhir::{self, ImportError, ImportOptions};
use health_book::ids::{CitizenId, InsuranceCode, OldIdNumber, PrescriptionCode};
use health_book::schedule::{by_disease, next_doses};
use health_book::validate::{validate_book, ValidationContext};
use health_book::views::books::{ListedBook, Query};
use health_book::views::card_scan::{read_scan, ScanOutcome};
use health_book::views::home::HomeView;
use health_book::{HealthBook, Sex};
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

/// Device clocks a book meets in the field: far behind, the real era, far ahead, and the edges
/// of what a date can hold. Every view of an imported book must compute for each.
pub const CLOCKS: [Date; 5] = [
    Date::MIN,
    date!(1970 - 01 - 01),
    date!(2026 - 12 - 02),
    date!(2099 - 12 - 31),
    Date::MAX,
];

/// A save time at each end of the range, for "data as of".
pub const SAVE_TIMES: [OffsetDateTime; 2] = [
    datetime!(1970-01-01 0:00 UTC),
    datetime!(9999-12-31 23:59:59 UTC),
];

/// Imports a bundle; an accepted one is stable under export and every screen's rule computes
/// for it at every clock; a refused one says why with a typed error that fits the input.
pub fn check_bundle(input: &[u8], options: &ImportOptions) -> &'static str {
    match fhir::import_books(input, options) {
        Ok(imported) => {
            assert!(!imported.books.is_empty());
            let again =
                fhir::import_books(fhir::export_books_json(&imported.books).as_bytes(), options)
                    .expect("re-exported books import");
            assert_eq!(
                again.books, imported.books,
                "import is not stable under export"
            );
            for book in &imported.books {
                check_views(book);
            }
            "ok"
        }
        Err(e) => {
            assert!(!e.to_string().is_empty());
            // Typed, and each kind only where it can happen.
            match e {
                ImportError::TooLarge { size, limit } => {
                    assert!(size > limit);
                    "too large"
                }
                ImportError::TooDeep { limit } => {
                    assert!(fhir::nesting_exceeds(input, limit));
                    "too deep"
                }
                ImportError::NotJson { line, .. } => {
                    assert!(line >= 1);
                    "not json"
                }
                ImportError::NotABundle { .. } => "not a bundle",
                ImportError::UnsupportedBundleType { .. } => "bundle type",
                ImportError::NoPatient => "no patient",
                ImportError::SeveralPatients { .. } => "several patients",
                ImportError::InvalidPatient { .. } => "invalid patient",
                ImportError::StringTooLong { size, limit, .. } => {
                    assert!(size > limit);
                    "string too long"
                }
                ImportError::TooManyEntries { .. } => "too many entries",
                ImportError::TooManyRecords { count, limit } => {
                    assert!(count > limit);
                    "too many records"
                }
            }
        }
    }
}

/// What Home, the validators and the vaccination screens compute for a book, at every clock.
/// Nothing may panic; "data as of" comes from the book or the save time, never the clock.
pub fn check_views(book: &HealthBook) {
    for today in CLOCKS {
        for saved in SAVE_TIMES {
            let home = HomeView::new(book, saved, today);
            if book.provenance.source_updated_at.is_none()
                && book.provenance.last_synced_at.is_none()
            {
                assert_eq!(home.data_as_of, saved.date(), "data as of follows the save");
            }
        }
        let findings = validate_book(book, &ValidationContext::new(today));
        // Each finding names the field it is about, for the screen to put it beside.
        assert!(findings
            .iter()
            .all(|f| ["profile", "vaccinations[", "prescriptions["]
                .iter()
                .any(|start| f.path.starts_with(start))));
        next_doses(&book.vaccinations, today);
    }
    by_disease(&book.vaccinations);
}

fn check_payload_text(text: &str) -> &'static str {
    match CheckInPayload::parse(text) {
        Ok(payload) => {
            assert_eq!(
                CheckInPayload::parse(&payload.encode()).as_ref(),
                Ok(&payload),
                "payload not stable"
            );
            "ok"
        }
        Err(CheckInParseError::TooFewFields(n)) => {
            assert!(n < 6);
            "too few fields"
        }
        Err(e) => {
            assert!(!e.to_string().is_empty());
            match e {
                CheckInParseError::CitizenId(_) => "citizen id",
                CheckInParseError::OldIdNumber(_) => "old id",
                CheckInParseError::InvalidDate(_) => "date",
                CheckInParseError::UnknownSex => "sex",
                CheckInParseError::EmptyName => "name",
                CheckInParseError::TooLong(_) | CheckInParseError::TooFewFields(_) => "length",
            }
        }
    }
}

/// A book already on the device, for the card scan to find.
pub struct OnDevice(pub CitizenId);

impl ListedBook for OnDevice {
    fn citizen_id(&self) -> &CitizenId {
        &self.0
    }
    fn folded_name(&self) -> &str {
        "nguyen van a"
    }
}

/// Reads scanned text as the check-in parser and as the card scan screen do: an accepted
/// payload is stable under encoding; the scan screen keeps scanning exactly when the parser
/// refuses, and opens a book only for the card's own citizen ID.
pub fn check_payload(input: &[u8]) -> &'static str {
    // Scanners hand over text; invalid UTF-8 would be replaced before it reaches the parser.
    let text = String::from_utf8_lossy(input);
    let outcome = check_payload_text(&text);
    let known = CitizenId::parse("001090123456").expect("a valid citizen ID");
    let parsed = CheckInPayload::parse(&text);
    match read_scan(&text, &[OnDevice(known.clone())]) {
        ScanOutcome::OpenBook { citizen_id } => {
            assert_eq!(citizen_id, known);
            assert_eq!(parsed.map(|p| p.citizen_id).ok(), Some(known));
        }
        ScanOutcome::NewPerson {
            citizen_id, draft, ..
        } => {
            let payload = parsed.expect("a new person's card parses");
            assert_eq!(citizen_id, payload.citizen_id);
            assert_eq!(draft.citizen_id, citizen_id.as_str());
        }
        scanning @ (ScanOutcome::NotACard | ScanOutcome::Invalid(_)) => {
            assert!(scanning.keeps_scanning());
            assert!(
                parsed.is_err(),
                "the scan refused a payload the parser takes"
            );
        }
    }
    outcome
}

/// The identifier validators, each chosen by the first byte so one corpus reaches all: a value
/// that parses reads back to itself from its own normal form, and every accessor of it answers.
pub fn check_identifier(input: &[u8]) -> &'static str {
    let Some((&which, rest)) = input.split_first() else {
        return "empty";
    };
    let text = String::from_utf8_lossy(rest);
    match which % 5 {
        0 => match CitizenId::parse(&text) {
            Ok(id) => {
                assert_eq!(CitizenId::parse(id.as_str()).as_ref(), Ok(&id));
                assert_eq!(id.masked().chars().count(), 12);
                assert_eq!(
                    id.grouped().chars().filter(char::is_ascii_digit).count(),
                    12
                );
                id.province();
                for sex in [Sex::Male, Sex::Female] {
                    for born in [Date::MIN, date!(2000 - 02 - 29), Date::MAX] {
                        id.check_agreement(born, sex);
                    }
                }
                // The fourth digit names the century: 0/1 the 1900s up to 8/9 the 2300s.
                assert!((1900..2400).contains(&id.birth_year()));
                "citizen id"
            }
            Err(e) => {
                assert!(!e.to_string().is_empty());
                "citizen id refused"
            }
        },
        1 => match InsuranceCode::parse(&text) {
            Ok(code) => {
                assert_eq!(InsuranceCode::parse(code.as_str()).as_ref(), Ok(&code));
                assert_eq!(InsuranceCode::parse(&code.printed()).as_ref(), Ok(&code));
                code.beneficiary_group();
                code.benefit_level();
                code.province();
                assert_eq!(code.social_insurance_number().len(), 10);
                "insurance code"
            }
            Err(e) => {
                assert!(!e.to_string().is_empty());
                "insurance code refused"
            }
        },
        2 => match OldIdNumber::parse(&text) {
            Ok(old) => {
                assert_eq!(OldIdNumber::parse(old.as_str()).as_ref(), Ok(&old));
                "old id"
            }
            Err(e) => {
                assert!(!e.to_string().is_empty());
                "old id refused"
            }
        },
        3 => match PrescriptionCode::parse(&text) {
            Ok(code) => {
                assert_eq!(PrescriptionCode::parse(code.as_str()).as_ref(), Ok(&code));
                assert!(code.matches(code.as_str()));
                assert_eq!(code.kind().letter().to_string().len(), 1);
                code.serial();
                "prescription code"
            }
            Err(e) => {
                assert!(!e.to_string().is_empty());
                "prescription code refused"
            }
        },
        _ => {
            // The reception desk's search box reads the same identifiers out of free text.
            match Query::parse(&text) {
                Query::CitizenId(id) => assert_eq!(CitizenId::parse(id.as_str()).as_ref(), Ok(&id)),
                Query::IdDigits(d) => assert!(d.chars().all(|c| c.is_ascii_digit())),
                Query::Name(tokens) => assert!(!tokens.is_empty()),
                Query::All => {}
            }
            "query"
        }
    }
}
