//! The paper twin: a one-page large-print summary for someone without a phone (identity,
//! insurance, allergies, chronic conditions, active medicines, last vaccinations, next visits),
//! printed with the check-in QR. What goes on the page, and how much, is decided here.

use time::Date;

use crate::medication::active_medicines;
use crate::model::{HealthBook, Medicine, Vaccination};

use super::coming_up::{ComingUpItem, ComingUpView};

/// An A5 page holds about this many of each list in large print; the rest is in the book.
pub const LAST_VACCINATIONS: usize = 5;
pub const ACTIVE_MEDICINES: usize = 6;
pub const NEXT_VISITS: usize = 3;

#[derive(Debug, Clone, PartialEq)]
pub struct PaperSummary {
    /// The medicines being taken, with their last day.
    pub medicines: Vec<(Medicine, Date)>,
    /// How many more medicines than the page shows.
    pub more_medicines: usize,
    /// Newest first.
    pub vaccinations: Vec<Vaccination>,
    /// Re-examinations and referral slips still ahead (missed ones are left to the screen).
    pub next_visits: Vec<ComingUpItem>,
}

impl PaperSummary {
    pub fn new(book: &HealthBook, today: Date) -> Self {
        let active = active_medicines(book, today);
        let more_medicines = active.len().saturating_sub(ACTIVE_MEDICINES);
        let medicines = active
            .into_iter()
            .take(ACTIVE_MEDICINES)
            .map(|a| (a.medicine.clone(), a.last_day))
            .collect();
        let mut vaccinations: Vec<&Vaccination> = book.vaccinations.iter().collect();
        vaccinations.sort_by_key(|v| std::cmp::Reverse(v.date));
        let next_visits = ComingUpView::new(book, today)
            .items
            .into_iter()
            .filter(|i| !i.is_overdue())
            .take(NEXT_VISITS)
            .collect();
        PaperSummary {
            medicines,
            more_medicines,
            vaccinations: vaccinations
                .into_iter()
                .take(LAST_VACCINATIONS)
                .cloned()
                .collect(),
            next_visits,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{self, BookShape, DEFAULT_AS_OF};
    use crate::model::Prescription;

    #[test]
    fn the_page_holds_the_latest_and_the_next() {
        let mut book = generate::book(41, &BookShape::adult_with_history(10));
        let today = DEFAULT_AS_OF;
        // One prescription of today, with a re-examination ahead and one missed.
        let mut p: Prescription = book.prescriptions[0].clone();
        p.id = crate::model::RecordId("rx-today".into());
        p.issued_at = today
            .with_hms(9, 0, 0)
            .unwrap()
            .assume_offset(time::macros::offset!(+7));
        p.re_examination_on = Some(today + time::Duration::days(14));
        for m in &mut p.medicines {
            m.duration_days = Some(14);
        }
        book.prescriptions.push(p);
        let summary = PaperSummary::new(&book, today);
        assert!(summary.vaccinations.len() <= LAST_VACCINATIONS);
        assert!(summary
            .vaccinations
            .windows(2)
            .all(|w| w[0].date >= w[1].date));
        let newest = book.vaccinations.iter().map(|v| v.date).max();
        assert_eq!(summary.vaccinations.first().map(|v| v.date), newest);
        assert!(summary.next_visits.iter().all(|v| !v.is_overdue()));
        assert!(summary
            .next_visits
            .iter()
            .any(|v| v.date() == today + time::Duration::days(14)));
        assert_eq!(
            summary.medicines.len() + summary.more_medicines,
            active_medicines(&book, today).len()
        );
        assert!(summary.medicines.len() <= ACTIVE_MEDICINES);
    }
}
