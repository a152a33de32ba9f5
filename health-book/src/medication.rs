//! What a prescription means today: is it still current, which medicines are to be taken.

use time::Date;

use crate::calendar::add_days;
use crate::model::{HealthBook, Medicine, Prescription};

/// Days a national e-prescription can be dispensed, counting the day of issue as the first
/// [uncertain: 5 days as stated in the domain notes].
pub const DISPENSING_VALIDITY_DAYS: i64 = 5;

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

    /// Still current: it can still be dispensed, or some medicine is still within its duration.
    pub fn is_current(&self, today: Date) -> bool {
        let issued = self.issued_on();
        if today < issued {
            return false;
        }
        today <= add_days(issued, DISPENSING_VALIDITY_DAYS - 1)
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
        let mut b = generate::book(1, &BookShape::records(1));
        let p = &mut b.prescriptions[0];
        p.issued_at = datetime!(2026-01-10 16:30 +7);
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

    #[test]
    fn current_while_dispensable_or_taken() {
        let b = book_with(&[Some(3), None]);
        let p = &b.prescriptions[0];
        assert!(!p.is_current(date!(2026 - 01 - 09)));
        assert!(p.is_current(date!(2026 - 01 - 10)));
        assert!(
            p.is_current(date!(2026 - 01 - 14)),
            "fifth day of dispensing"
        );
        assert!(!p.is_current(date!(2026 - 01 - 15)));
        let b = book_with(&[Some(30)]);
        assert!(b.prescriptions[0].is_current(date!(2026 - 02 - 08)));
        assert!(!b.prescriptions[0].is_current(date!(2026 - 02 - 09)));
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
