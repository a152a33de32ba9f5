//! A device clock years off in either direction (issue 18; RESILIENCE.md): what Home, the
//! insurance card and the vaccination schedule say must still make sense. The sync side (the
//! next refresh's `_since`) is `sync::tests::a_device_clock_years_off_either_way_skips_no_change`.

use health_book::generate::{self, BookShape};
use health_book::insurance::InsuranceStatus;
use health_book::schedule::{childhood_schedule, next_doses, DoseStatus};
use health_book::views::home::HomeView;
use health_book::HealthInsuranceCard;
use time::macros::{date, datetime};
use time::Date;

/// Clocks far behind and far ahead of the day the books were made for (2026-01-15).
const CLOCKS: [Date; 6] = [
    Date::MIN,
    date!(1990 - 06 - 01),
    date!(2014 - 01 - 15),
    date!(2046 - 01 - 15),
    date!(2126 - 01 - 15),
    Date::MAX,
];

/// A status is consistent with the clock it was computed at: nothing is "due" outside its own
/// window, "overdue" since a day still to come, or "not yet due" from a day already past.
fn consistent(status: DoseStatus, today: Date) -> bool {
    match status {
        DoseStatus::Due { from, until } => from <= today && today <= until,
        DoseStatus::Overdue { since } => since <= today,
        DoseStatus::NotYetDue { from } => from > today,
        DoseStatus::NotRecorded { window_closed } => window_closed <= today,
        _ => true,
    }
}

#[test]
fn the_childhood_schedule_reads_sensibly_at_any_clock() {
    let child = generate::book(7, &BookShape::child(14));
    let p = &child.profile;
    for today in CLOCKS {
        for dose in childhood_schedule(p.date_of_birth, p.sex, today, &child.vaccinations) {
            assert!(consistent(dose.status, today), "{today}: {:?}", dose.status);
            if today < p.date_of_birth {
                // A clock before the birth: nothing can be late yet.
                assert!(
                    !matches!(dose.status, DoseStatus::Overdue { .. }),
                    "{today}: {:?}",
                    dose.status
                );
            }
        }
        for next in next_doses(&child.vaccinations, today) {
            assert!(consistent(next.status, today), "{today}: {:?}", next.status);
        }
    }
}

#[test]
fn the_insurance_card_is_not_yet_valid_or_expired_never_both() {
    let card = HealthInsuranceCard {
        code: "HT3190123456789".into(),
        valid_from: Some(date!(2026 - 01 - 01)),
        valid_to: Some(date!(2026 - 12 - 31)),
        registered_facility: None,
    };
    for today in CLOCKS {
        let status = card.status(today);
        match status {
            InsuranceStatus::NotYetValid { from } => assert!(today < from),
            InsuranceStatus::Expired { on } => assert!(today > on),
            other => panic!("{today}: {other:?} for a card of 2026 only"),
        }
    }
    assert!(matches!(
        card.status(date!(2026 - 12 - 20)),
        InsuranceStatus::ExpiresSoon { days_left: 11, .. }
    ));
}

#[test]
fn data_as_of_comes_from_the_book_never_from_the_clock() {
    let mut book = generate::book(9, &BookShape::records(4));
    let saved = datetime!(2026-01-15 08:00 UTC);
    book.provenance.source_updated_at = None;
    book.provenance.last_synced_at = Some(datetime!(2025-11-02 10:30 UTC));
    for today in CLOCKS {
        let home = HomeView::new(&book, saved, today);
        assert_eq!(home.data_as_of, date!(2025 - 11 - 02), "{today}");
        if let Some(next) = home.next_vaccination {
            assert!(consistent(next.status, today), "{today}: {:?}", next.status);
        }
    }
}
