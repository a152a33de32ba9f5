//! The vaccination screens: who follows the national childhood schedule, and so which view a
//! person sees first.

use time::Date;

use crate::model::{Coding, Profile, RecordId, RecordOrigin, Vaccination};
use crate::schedule::{DoseStatus, ScheduledDose};
use crate::tables::schedule::programme_ends;

/// Whether the person is a child on `today` for whom the childhood schedule applies: until the
/// on-time window of the last dose the programme offers them closes (the Td booster at 7, HPV
/// at 11 for girls where piloted), so Home and the vaccination screens remind of every dose of
/// the table, not only those of the first years. The one rule for both screens.
/// A birth date after `today` (a data error) does not make a child.
pub fn follows_childhood_schedule(profile: &Profile, today: Date) -> bool {
    profile.age_on(today).is_some() && today < programme_ends(profile.date_of_birth, profile.sex)
}

/// How many doses of a child's schedule stand where: the line above the schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScheduleSummary {
    pub done: usize,
    pub due: usize,
    pub overdue: usize,
    /// Phase-in doses not in the book that the programme may not offer where the child lives.
    pub depends_on_rollout: usize,
}

impl ScheduleSummary {
    pub fn of(doses: &[ScheduledDose]) -> Self {
        let mut summary = ScheduleSummary::default();
        for d in doses {
            match d.status {
                DoseStatus::Done(_) => summary.done += 1,
                DoseStatus::Due { .. } => summary.due += 1,
                DoseStatus::Overdue { .. } => summary.overdue += 1,
                DoseStatus::DependsOnRollout { .. } => summary.depends_on_rollout += 1,
                DoseStatus::NotYetDue { .. } | DoseStatus::NotRecorded { .. } => {}
            }
        }
        summary
    }
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
    use crate::model::Sex;
    use crate::schedule::childhood_schedule;
    use time::macros::date;

    fn child(sex: Sex) -> Profile {
        generate::profile(
            1,
            &BookShape::child(12)
                .named("Hoàng Văn Dũng", sex)
                .born_on(date!(2020 - 03 - 10)),
        )
    }

    #[test]
    fn a_child_follows_the_schedule_until_the_td_booster_at_seven_is_late() {
        let boy = child(Sex::Male);
        // Past six, the Td booster at seven is still ahead: the schedule applies.
        assert!(follows_childhood_schedule(&boy, date!(2026 - 03 - 10)));
        assert!(follows_childhood_schedule(&boy, date!(2028 - 03 - 09)));
        assert!(!follows_childhood_schedule(&boy, date!(2028 - 03 - 10)));
        assert!(!follows_childhood_schedule(&boy, date!(2019 - 01 - 01)));
        assert_eq!(
            vaccination_views(&boy, date!(2027 - 06 - 01))[0],
            VaccinationView::Schedule
        );
        assert_eq!(
            vaccination_views(&boy, date!(2028 - 03 - 10)),
            [VaccinationView::Timeline, VaccinationView::ByDisease]
        );
        // A girl turning 11 during the HPV pilot follows it until 12.
        let girl = child(Sex::Female);
        assert!(follows_childhood_schedule(&girl, date!(2031 - 06 - 01)));
        assert!(!follows_childhood_schedule(&girl, date!(2032 - 03 - 10)));
    }

    #[test]
    fn the_summary_counts_phase_ins_apart_from_overdue_doses() {
        // Eight months old in September 2026, nothing recorded.
        let born = date!(2026 - 01 - 01);
        let doses = childhood_schedule(born, Sex::Male, date!(2026 - 09 - 01), &[]);
        let summary = ScheduleSummary::of(&doses);
        // Rotavirus (2 doses) and pneumococcal (3) are phase-ins.
        assert_eq!(summary.depends_on_rollout, 5);
        assert_eq!(summary.done, 0);
        assert!(summary.overdue >= 13, "{summary:?}");
        assert_eq!(
            summary.done + summary.due + summary.overdue + summary.depends_on_rollout,
            doses
                .iter()
                .filter(|d| !matches!(
                    d.status,
                    DoseStatus::NotYetDue { .. } | DoseStatus::NotRecorded { .. }
                ))
                .count()
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
