//! What a prescription means today: is it still current, which medicines are to be taken.

use time::macros::date;
use time::Date;

use crate::calendar::add_days;
use crate::model::{HealthBook, Medicine, Prescription};

/// Days a national e-prescription could be dispensed, counting the day of issue as the first
/// (Circular 52/2017/TT-BYT).
pub const DISPENSING_VALIDITY_DAYS: i64 = 5;

/// Circular 26/2025/TT-BYT came into force on this day and dropped the dispensing limit: it applies
/// only to prescriptions issued before it.
pub const DISPENSING_LIMIT_DROPPED_ON: Date = date!(2025 - 07 - 01);

impl Prescription {
    /// The calendar date of issue, in the time zone it was issued in.
    pub fn issued_on(&self) -> Date {
        self.issued_at.date()
    }

    /// Last day of taking `medicine`, counting the day of issue as day 1; `None` when the
    /// prescription does not say for how long.
    pub fn last_day_of(&self, medicine: &Medicine) -> Option<Date> {
        medicine
            .duration_days
            .filter(|d| *d > 0)
            .map(|d| add_days(self.issued_on(), i64::from(d) - 1))
    }

    /// Last day it could be dispensed, for a prescription issued under the 5-day rule; `None`
    /// for one issued since the rule was dropped.
    pub fn last_dispensing_day(&self) -> Option<Date> {
        let issued = self.issued_on();
        (issued < DISPENSING_LIMIT_DROPPED_ON)
            .then(|| add_days(issued, DISPENSING_VALIDITY_DAYS - 1))
    }

    /// Still current: it is issued today, it can still be dispensed (old rule), or some medicine
    /// is still within its duration.
    pub fn is_current(&self, today: Date) -> bool {
        let issued = self.issued_on();
        if today < issued {
            return false;
        }
        today == issued
            || self.last_dispensing_day().is_some_and(|last| today <= last)
            || self
                .medicines
                .iter()
                .any(|m| self.last_day_of(m).is_some_and(|last| today <= last))
    }
}

/// A medicine to take today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActiveMedicine<'a> {
    pub prescription: &'a Prescription,
    pub medicine: &'a Medicine,
    /// Today is day `day` of `of_days`.
    pub day: u32,
    pub of_days: u32,
    pub last_day: Date,
}

/// Medicines to take today, newest prescription first. Medicines without a duration are left out:
/// the book cannot tell whether they are still being taken.
pub fn active_medicines(book: &HealthBook, today: Date) -> Vec<ActiveMedicine<'_>> {
    let mut out: Vec<ActiveMedicine<'_>> = Vec::new();
    for p in &book.prescriptions {
        let issued = p.issued_on();
        if today < issued {
            continue;
        }
        for m in &p.medicines {
            let (Some(of_days), Some(last_day)) = (m.duration_days, p.last_day_of(m)) else {
                continue;
            };
            if today <= last_day {
                let day = (today - issued).whole_days() as u32 + 1;
                out.push(ActiveMedicine {
                    prescription: p,
                    medicine: m,
                    day,
                    of_days,
                    last_day,
                });
            }
        }
    }
    out.sort_by_key(|a| std::cmp::Reverse(a.prescription.issued_at));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{self, BookShape};
    use time::macros::{date, datetime};

    fn book_with(durations: &[Option<u32>]) -> HealthBook {
        book_issued(durations, datetime!(2026-01-10 16:30 +7))
    }

    fn book_issued(durations: &[Option<u32>], issued_at: time::OffsetDateTime) -> HealthBook {
        let mut b = generate::book(1, &BookShape::records(1));
        let p = &mut b.prescriptions[0];
        p.issued_at = issued_at;
        let template = p.medicines[0].clone();
        p.medicines = durations
            .iter()
            .enumerate()
            .map(|(i, d)| Medicine {
                name: format!("M{i}"),
                duration_days: *d,
                ..template.clone()
            })
            .collect();
        b
    }

    // Issue 12 changed this fact: the 5-day dispensing window holds only for prescriptions issued
    // before 1 July 2025, so this test now issues its prescription in January 2025.
    #[test]
    fn current_while_dispensable_or_taken() {
        let b = book_issued(&[Some(3), None], datetime!(2025-01-10 16:30 +7));
        let p = &b.prescriptions[0];
        assert!(!p.is_current(date!(2025 - 01 - 09)));
        assert!(p.is_current(date!(2025 - 01 - 10)));
        assert!(
            p.is_current(date!(2025 - 01 - 14)),
            "fifth day of dispensing"
        );
        assert!(!p.is_current(date!(2025 - 01 - 15)));
        let b = book_with(&[Some(30)]);
        assert!(b.prescriptions[0].is_current(date!(2026 - 02 - 08)));
        assert!(!b.prescriptions[0].is_current(date!(2026 - 02 - 09)));
    }

    #[test]
    fn no_dispensing_window_since_circular_26_2025() {
        let b = book_with(&[Some(3), None]);
        let p = &b.prescriptions[0];
        assert_eq!(p.last_dispensing_day(), None);
        assert!(
            p.is_current(date!(2026 - 01 - 12)),
            "third day of the medicine"
        );
        assert!(
            !p.is_current(date!(2026 - 01 - 14)),
            "the old fifth day of dispensing no longer counts"
        );
        // The day before the change still falls under the old rule; the day itself does not.
        let last_old = book_issued(&[None], datetime!(2025-06-30 09:00 +7));
        assert_eq!(
            last_old.prescriptions[0].last_dispensing_day(),
            Some(date!(2025 - 07 - 04))
        );
        assert!(last_old.prescriptions[0].is_current(date!(2025 - 07 - 04)));
        let first_new = book_issued(&[None], datetime!(2025-07-01 09:00 +7));
        assert_eq!(first_new.prescriptions[0].last_dispensing_day(), None);
        assert!(first_new.prescriptions[0].is_current(date!(2025 - 07 - 01)));
        assert!(!first_new.prescriptions[0].is_current(date!(2025 - 07 - 02)));
    }

    #[test]
    fn active_medicines_today() {
        let b = book_with(&[Some(3), Some(30), None]);
        let today = date!(2026 - 01 - 12);
        let active = active_medicines(&b, today);
        let names: Vec<(&str, u32, u32)> = active
            .iter()
            .map(|a| (a.medicine.name.as_str(), a.day, a.of_days))
            .collect();
        assert_eq!(names, vec![("M0", 3, 3), ("M1", 3, 30)]);
        assert_eq!(active[0].last_day, date!(2026 - 01 - 12));
        let later = active_medicines(&b, date!(2026 - 01 - 13));
        assert_eq!(later.len(), 1);
        assert!(active_medicines(&b, date!(2026 - 01 - 09)).is_empty());
    }
}
