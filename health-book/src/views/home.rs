//! The Home screen: what the person's card says beyond the profile itself (how fresh the data
//! is, the next vaccination, how many medicines are being taken).

use time::{Date, OffsetDateTime};

use crate::medication;
use crate::model::{Coding, HealthBook};
use crate::schedule::{childhood_schedule, next_doses, DoseStatus};
use crate::tables::vaccines::Series;

use super::vaccinations::follows_childhood_schedule;

/// What Home shows, computed once per open book and day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeView {
    /// The date the data describes: when its source last changed it, else when it was last
    /// synced, else when this device last saved it.
    pub data_as_of: Date,
    pub next_vaccination: Option<NextVaccination>,
    /// Medicines of current prescriptions.
    pub active_medicines: usize,
}

impl HomeView {
    pub fn new(book: &HealthBook, last_saved: OffsetDateTime, today: Date) -> Self {
        HomeView {
            data_as_of: data_as_of(book, last_saved),
            next_vaccination: next_vaccination(book, today),
            active_medicines: medication::active_medicines(book, today).len(),
        }
    }
}

/// What the next dose is of: a series of the childhood schedule, or a vaccine a record named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextDoseOf {
    Series(Series),
    Vaccine(Coding),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextVaccination {
    pub of: NextDoseOf,
    pub status: DoseStatus,
}

/// See [`HomeView::data_as_of`].
pub fn data_as_of(book: &HealthBook, last_saved: OffsetDateTime) -> Date {
    book.provenance
        .source_updated_at
        .or(book.provenance.last_synced_at)
        .unwrap_or(last_saved)
        .date()
}

/// The soonest vaccination waiting: from the childhood schedule while the child follows it (see
/// [`follows_childhood_schedule`]: the Td booster at 7 included), otherwise from what the records
/// themselves announced.
pub fn next_vaccination(book: &HealthBook, today: Date) -> Option<NextVaccination> {
    if follows_childhood_schedule(&book.profile, today) {
        let schedule = childhood_schedule(
            book.profile.date_of_birth,
            book.profile.sex,
            today,
            &book.vaccinations,
        );
        let waiting = schedule
            .iter()
            // A slot whose window closed (the birth dose) is not a dose still to give.
            .filter(|d| {
                !matches!(
                    d.status,
                    DoseStatus::Done(_) | DoseStatus::NotRecorded { .. }
                )
            })
            .min_by_key(|d| d.due)?;
        return Some(NextVaccination {
            of: NextDoseOf::Series(waiting.row.series),
            status: waiting.status,
        });
    }
    next_doses(&book.vaccinations, today)
        .into_iter()
        .next()
        .map(|n| NextVaccination {
            of: NextDoseOf::Vaccine(n.vaccine),
            status: n.status,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{self, BookShape, DEFAULT_AS_OF};
    use time::macros::datetime;

    #[test]
    fn data_as_of_prefers_the_source_then_the_sync_then_the_save() {
        let mut book = generate::book(1, &BookShape::records(2));
        let saved = datetime!(2026-01-10 8:00 UTC);
        book.provenance.source_updated_at = None;
        book.provenance.last_synced_at = None;
        assert_eq!(data_as_of(&book, saved), saved.date());
        book.provenance.last_synced_at = Some(datetime!(2026-01-05 8:00 UTC));
        assert_eq!(data_as_of(&book, saved).day(), 5);
        book.provenance.source_updated_at = Some(datetime!(2025-12-01 8:00 UTC));
        assert_eq!(data_as_of(&book, saved).day(), 1);
    }

    #[test]
    fn a_young_child_s_next_dose_comes_from_the_schedule() {
        let book = generate::book(2, &BookShape::child(3));
        let next =
            next_vaccination(&book, DEFAULT_AS_OF).expect("a three-month-old has doses ahead");
        assert!(matches!(next.of, NextDoseOf::Series(_)));
        assert!(!matches!(next.status, DoseStatus::Done(_)));
    }

    #[test]
    fn an_adult_s_next_dose_is_the_soonest_a_record_announced() {
        let book = generate::book(3, &BookShape::adult_with_history(5));
        let next = next_vaccination(&book, DEFAULT_AS_OF);
        let announced = next_doses(&book.vaccinations, DEFAULT_AS_OF);
        assert_eq!(
            next.map(|n| n.of),
            announced
                .first()
                .map(|n| NextDoseOf::Vaccine(n.vaccine.clone()))
        );
        let view = HomeView::new(&book, datetime!(2026-01-10 8:00 UTC), DEFAULT_AS_OF);
        assert_eq!(
            view.active_medicines,
            medication::active_medicines(&book, DEFAULT_AS_OF).len()
        );
    }

    #[test]
    fn a_seven_year_old_s_next_dose_is_the_td_booster() {
        use crate::calendar::{add_days, add_months};
        use crate::tables::vaccines;
        let born = time::macros::date!(2019 - 01 - 10);
        let mut book = generate::book(
            4,
            &BookShape::child(12)
                .named("Hoàng Văn Dũng", crate::model::Sex::Male)
                .born_on(born),
        );
        let template = book.vaccinations[0].clone();
        // Every dose of the first two years given on time; nothing after.
        let visits: &[(&str, u32, i64)] = &[
            ("VGB", 0, 0),
            ("BCG", 0, 1),
            ("DPT-VGB-Hib", 2, 0),
            ("bOPV", 2, 0),
            ("DPT-VGB-Hib", 3, 0),
            ("bOPV", 3, 0),
            ("DPT-VGB-Hib", 4, 0),
            ("bOPV", 4, 0),
            ("IPV", 5, 0),
            ("IPV", 9, 0),
            ("SOI", 9, 0),
            ("VNNB", 12, 0),
            ("VNNB", 12, 7),
            ("DPT", 18, 0),
            ("MR", 18, 0),
            // A year after the second dose, as the programme spaces them.
            ("VNNB", 25, 0),
        ];
        book.vaccinations = visits
            .iter()
            .map(|&(code, months, days)| crate::model::Vaccination {
                vaccine: vaccines::by_code(code).expect("a table code").coding(),
                date: add_days(add_months(born, months), days),
                ..template.clone()
            })
            .collect();
        // Seven years and three weeks old: past the sixth birthday, the Td booster is due.
        let today = time::macros::date!(2026 - 02 - 01);
        let next = next_vaccination(&book, today).expect("the Td booster at 7 is due");
        assert_eq!(next.of, NextDoseOf::Series(Series::Td));
        assert!(matches!(next.status, DoseStatus::Due { .. }), "{next:?}");
    }
}
