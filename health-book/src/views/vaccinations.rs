//! The vaccination screens: who follows the national childhood schedule, and so which view a
//! person sees first.

use time::Date;

use crate::model::{Coding, Profile, RecordId, RecordOrigin, Vaccination};

/// Children under this age follow the national childhood schedule (Home shows their next dose
/// from it, and the vaccination screens open on it).
pub const CHILDHOOD_SCHEDULE_UNTIL_YEARS: u32 = 6;

/// Whether the person is a young child on `today`, for whom the childhood schedule applies.
/// A birth date after `today` (a data error) does not make a child.
pub fn follows_childhood_schedule(profile: &Profile, today: Date) -> bool {
    profile
        .age_on(today)
        .is_some_and(|age| age.years < CHILDHOOD_SCHEDULE_UNTIL_YEARS)
}

/// The views of the vaccination screen, in the order its tabs show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VaccinationView {
    Timeline,
    ByDisease,
    Schedule,
}

/// The views offered to this person, the first one being the default: parents of young
/// children come for the schedule, everyone else for the history.
pub fn vaccination_views(profile: &Profile, today: Date) -> Vec<VaccinationView> {
    if follows_childhood_schedule(profile, today) {
        vec![
            VaccinationView::Schedule,
            VaccinationView::Timeline,
            VaccinationView::ByDisease,
        ]
    } else {
        vec![VaccinationView::Timeline, VaccinationView::ByDisease]
    }
}

/// Which dose a record says it is: "dose k of n" when the series is stated and the dose lies
/// within it, otherwise "dose k" (a booster past the series, a one-dose vaccine, or no series
/// stated); nothing when the record does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoseInSeries {
    Of { k: u32, n: u32 },
    Number(u32),
}

impl DoseInSeries {
    pub fn from_numbers(dose: Option<u32>, series_doses: Option<u32>) -> Option<Self> {
        let k = dose.filter(|&k| k >= 1)?;
        Some(match series_doses {
            Some(n) if n > 1 && k <= n => DoseInSeries::Of { k, n },
            _ => DoseInSeries::Number(k),
        })
    }

    pub fn of(vaccination: &Vaccination) -> Option<Self> {
        Self::from_numbers(vaccination.dose_number, vaccination.series_doses)
    }
}

/// What one row of the vaccination list shows: the vaccine, the dose and where it was given.
#[derive(Debug, Clone, PartialEq)]
pub struct VaccinationRow {
    pub id: RecordId,
    pub date: Date,
    pub vaccine: Coding,
    pub dose: Option<DoseInSeries>,
    pub lot_number: Option<String>,
    /// The facility's name; `None` when the record has none (or only a blank one).
    pub facility: Option<String>,
    pub origin: RecordOrigin,
}

impl VaccinationRow {
    pub fn of(v: &Vaccination) -> Self {
        VaccinationRow {
            id: v.id.clone(),
            date: v.date,
            vaccine: v.vaccine.clone(),
            dose: DoseInSeries::of(v),
            lot_number: v.lot_number.clone().filter(|lot| !lot.trim().is_empty()),
            facility: v
                .facility
                .as_ref()
                .map(|f| f.name.trim().to_owned())
                .filter(|name| !name.is_empty()),
            origin: v.recorded_by.clone(),
        }
    }
}

/// Positions of the book's vaccinations, newest first (the timeline's order; a stable sort, so
/// doses of one day keep the order they were recorded in).
pub fn newest_first(vaccinations: &[Vaccination]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..vaccinations.len()).collect();
    order.sort_by(|&a, &b| vaccinations[b].date.cmp(&vaccinations[a].date));
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{self, BookShape};
    use time::macros::date;

    #[test]
    fn under_six_follows_the_schedule_from_the_sixth_birthday_not() {
        let profile = generate::profile(1, &BookShape::child(12).born_on(date!(2020 - 03 - 10)));
        assert!(follows_childhood_schedule(&profile, date!(2026 - 03 - 09)));
        assert!(!follows_childhood_schedule(&profile, date!(2026 - 03 - 10)));
        assert!(!follows_childhood_schedule(&profile, date!(2019 - 01 - 01)));
        assert_eq!(
            vaccination_views(&profile, date!(2021 - 01 - 01))[0],
            VaccinationView::Schedule
        );
        assert_eq!(
            vaccination_views(&profile, date!(2026 - 03 - 10)),
            [VaccinationView::Timeline, VaccinationView::ByDisease]
        );
    }

    #[test]
    fn a_dose_is_of_its_series_only_when_it_lies_within_it() {
        use DoseInSeries::*;
        assert_eq!(
            DoseInSeries::from_numbers(Some(2), Some(3)),
            Some(Of { k: 2, n: 3 })
        );
        assert_eq!(
            DoseInSeries::from_numbers(Some(3), Some(3)),
            Some(Of { k: 3, n: 3 })
        );
        // A booster after the series, a one-dose vaccine, no series stated.
        assert_eq!(
            DoseInSeries::from_numbers(Some(4), Some(3)),
            Some(Number(4))
        );
        assert_eq!(
            DoseInSeries::from_numbers(Some(1), Some(1)),
            Some(Number(1))
        );
        assert_eq!(DoseInSeries::from_numbers(Some(2), None), Some(Number(2)));
        assert_eq!(DoseInSeries::from_numbers(None, Some(3)), None);
        assert_eq!(DoseInSeries::from_numbers(Some(0), Some(3)), None);
    }

    #[test]
    fn a_row_names_vaccine_dose_and_facility() {
        let book = generate::book(3, &BookShape::child(18));
        let order = newest_first(&book.vaccinations);
        assert!(order
            .windows(2)
            .all(|w| book.vaccinations[w[0]].date >= book.vaccinations[w[1]].date));
        let mut v = book.vaccinations[order[0]].clone();
        v.dose_number = Some(2);
        v.series_doses = Some(3);
        v.facility = Some(crate::model::Facility {
            name: " Trạm Y tế phường Dịch Vọng ".into(),
            code: None,
        });
        let row = VaccinationRow::of(&v);
        assert_eq!(row.vaccine, v.vaccine);
        assert_eq!(row.dose, Some(DoseInSeries::Of { k: 2, n: 3 }));
        assert_eq!(row.facility.as_deref(), Some("Trạm Y tế phường Dịch Vọng"));
        v.facility = Some(crate::model::Facility {
            name: "  ".into(),
            code: Some("01001".into()),
        });
        assert_eq!(VaccinationRow::of(&v).facility, None);
    }
}
