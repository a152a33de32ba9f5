//! The national childhood immunisation schedule (Tiêm chủng mở rộng, TCMR), one row per dose of a
//! series. Edit this table when a circular changes the schedule: nothing else in the crate knows
//! these ages.
//!
//! Source: [`SOURCE`], Circular 10/2024/TT-BYT (13 June 2024), and the phase-ins that followed it.
//! Rows with a [`PhaseIn`] depend on the province and the date: the programme offers them only
//! where and since it has rolled them out.
//!
//! [uncertain] The programme publishes the recommended age; the earliest ages and the "overdue
//! after" limits below are this project's reading of common practice (minimum 6 weeks and
//! 4 weeks between doses of the 5-in-1 and polio vaccines, a month's grace otherwise). Tetanus in
//! pregnancy is not tied to the child's age and is not in this table.

use time::macros::date;
use time::Date;

use super::vaccines::Series;
use crate::model::Sex;

/// The text this table follows.
pub const SOURCE: &str = "Thông tư 10/2024/TT-BYT (13/6/2024) và các đợt triển khai sau đó";

/// A vaccine the programme rolls out province by province.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PhaseIn {
    /// The first provinces started on this day: a dose due before it was never offered.
    pub since: Date,
    /// Where and when, as the programme announced it.
    pub where_vi: &'static str,
    pub where_en: &'static str,
}

/// [uncertain: the month] Oral rotavirus vaccine in the programme.
pub const ROTAVIRUS_PHASE_IN: PhaseIn = PhaseIn {
    since: date!(2024 - 11 - 01),
    where_vi: "32 tỉnh miền núi từ cuối 2024, thêm 9 tỉnh năm 2025, Hà Nội từ 2026",
    where_en: "32 mountainous provinces from late 2024, 9 more in 2025, Hà Nội from 2026",
};

/// [uncertain: the day and the ages] Pneumococcal conjugate vaccine in the programme.
pub const PNEUMOCOCCAL_PHASE_IN: PhaseIn = PhaseIn {
    since: date!(2026 - 01 - 01),
    where_vi: "Triển khai dần từ quý I năm 2026",
    where_en: "Phased in from the first quarter of 2026",
};

/// [uncertain: the day, the ages and the number of doses] HPV for girls of 11, piloted in 4
/// provinces from 2026 (see domain notes: "HPV for girls of 11 piloted in 4 provinces").
pub const HPV_PHASE_IN: PhaseIn = PhaseIn {
    since: date!(2026 - 01 - 01),
    where_vi: "Thí điểm cho trẻ em gái 11 tuổi tại 4 tỉnh từ năm 2026",
    where_en: "Piloted for girls of 11 in 4 provinces from 2026",
};

/// An age counted from birth: whole months, then days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AgeOffset {
    pub months: u32,
    pub days: u32,
}

const fn m(months: u32) -> AgeOffset {
    AgeOffset { months, days: 0 }
}

const fn days(days: u32) -> AgeOffset {
    AgeOffset { months: 0, days }
}

const fn md(months: u32, days: u32) -> AgeOffset {
    AgeOffset { months, days }
}

/// One scheduled dose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ScheduleRow {
    pub series: Series,
    /// Dose number within the series, from 1.
    pub dose: u32,
    /// Youngest age at which the dose counts.
    pub earliest: AgeOffset,
    /// Recommended age: the dose is due from then.
    pub due: AgeOffset,
    /// After this age the dose is overdue.
    pub overdue_after: AgeOffset,
    /// Minimum days after the previous dose of the same series; a late previous dose moves this
    /// dose's window later by the same delay.
    pub min_days_after_previous: u32,
    /// Oldest age at which a dose still fills this slot; `None` when a late dose still counts.
    /// The hepatitis B birth dose is only a birth dose within 24 hours of birth.
    pub latest: Option<AgeOffset>,
    /// Set when the row depends on the province and the date.
    pub phase_in: Option<&'static PhaseIn>,
    /// Set when the programme offers the dose to one sex only (HPV for girls).
    pub only_for: Option<Sex>,
}

impl ScheduleRow {
    const fn no_later_than(mut self, age: AgeOffset) -> ScheduleRow {
        self.latest = Some(age);
        self
    }

    const fn phased_in(mut self, phase_in: &'static PhaseIn) -> ScheduleRow {
        self.phase_in = Some(phase_in);
        self
    }

    const fn only_for(mut self, sex: Sex) -> ScheduleRow {
        self.only_for = Some(sex);
        self
    }

    /// Whether the programme offers this dose to a child of this sex born on `date_of_birth`:
    /// rows for the other sex are left out, and so are phase-in rows due before the programme
    /// started them (that child was never offered the dose).
    pub fn applies_to(&self, date_of_birth: Date, sex: Sex) -> bool {
        self.only_for.is_none_or(|only| only == sex)
            && self
                .phase_in
                .is_none_or(|p| self.due.from_birth(date_of_birth) >= p.since)
    }
}

impl AgeOffset {
    /// The day a child born on `date_of_birth` reaches this age.
    pub fn from_birth(self, date_of_birth: Date) -> Date {
        crate::calendar::add_days(
            crate::calendar::add_months(date_of_birth, self.months),
            i64::from(self.days),
        )
    }
}

const fn row(
    series: Series,
    dose: u32,
    earliest: AgeOffset,
    due: AgeOffset,
    overdue_after: AgeOffset,
    min_days_after_previous: u32,
) -> ScheduleRow {
    ScheduleRow {
        series,
        dose,
        earliest,
        due,
        overdue_after,
        min_days_after_previous,
        latest: None,
        phase_in: None,
        only_for: None,
    }
}

use Series as S;

/// In the order the doses are due; doses of one series in dose order.
pub const CHILDHOOD_SCHEDULE: &[ScheduleRow] = &[
    // Within 24 hours of birth: a dose dated the next day may still be within 24 hours, a later
    // one is not a birth dose.
    row(S::HepatitisB, 1, days(0), days(0), days(1), 0).no_later_than(days(1)),
    // Within the first month.
    row(S::Bcg, 1, days(0), days(0), m(1), 0),
    // 2, 3, 4 months: 5-in-1 (DPT, hepatitis B, Hib) and oral polio.
    row(S::Dtp, 1, days(42), m(2), m(3), 0),
    row(S::HepatitisB, 2, days(42), m(2), m(3), 28),
    row(S::Hib, 1, days(42), m(2), m(3), 0),
    row(S::OralPolio, 1, days(42), m(2), m(3), 0),
    row(S::Dtp, 2, days(70), m(3), m(4), 28),
    row(S::HepatitisB, 3, days(70), m(3), m(4), 28),
    row(S::Hib, 2, days(70), m(3), m(4), 28),
    row(S::OralPolio, 2, days(70), m(3), m(4), 28),
    row(S::Dtp, 3, days(98), m(4), m(5), 28),
    row(S::HepatitisB, 4, days(98), m(4), m(5), 28),
    row(S::Hib, 3, days(98), m(4), m(5), 28),
    row(S::OralPolio, 3, days(98), m(4), m(5), 28),
    // 5 and 9 months: injected polio.
    row(S::InactivatedPolio, 1, days(98), m(5), m(6), 0),
    row(S::InactivatedPolio, 2, m(9), m(9), m(12), 120),
    // 9 months: measles.
    row(S::Measles, 1, m(9), m(9), m(12), 0),
    // 12 months: Japanese encephalitis, second dose one to two weeks after the first.
    row(S::JapaneseEncephalitis, 1, m(12), m(12), m(15), 0),
    row(
        S::JapaneseEncephalitis,
        2,
        md(12, 7),
        md(12, 7),
        md(15, 14),
        7,
    ),
    // 18 months: DPT booster and measles-rubella.
    row(S::Dtp, 4, m(15), m(18), m(24), 180),
    row(S::MeaslesRubella, 1, m(18), m(18), m(24), 0),
    // 24 months: Japanese encephalitis, third dose.
    row(S::JapaneseEncephalitis, 3, m(24), m(24), m(30), 365),
    // 7 years: tetanus-diphtheria booster, nationwide since Circular 10/2024. [uncertain] The
    // overdue limit and the oldest age it still counts at are this project's reading.
    row(S::Td, 1, m(84), m(84), m(96), 0).no_later_than(m(16 * 12)),
    // Phase-ins. [uncertain: ages] Oral rotavirus at 2 and 3 months; the vaccine is not given
    // past 8 months of age.
    row(S::Rotavirus, 1, days(42), m(2), m(3), 0)
        .no_later_than(m(8))
        .phased_in(&ROTAVIRUS_PHASE_IN),
    row(S::Rotavirus, 2, days(70), m(3), m(4), 28)
        .no_later_than(m(8))
        .phased_in(&ROTAVIRUS_PHASE_IN),
    // [uncertain: ages] Pneumococcal conjugate at 2, 3 and 4 months.
    row(S::Pneumococcal, 1, days(42), m(2), m(3), 0).phased_in(&PNEUMOCOCCAL_PHASE_IN),
    row(S::Pneumococcal, 2, days(70), m(3), m(4), 28).phased_in(&PNEUMOCOCCAL_PHASE_IN),
    row(S::Pneumococcal, 3, days(98), m(4), m(5), 28).phased_in(&PNEUMOCOCCAL_PHASE_IN),
    // [uncertain: ages and doses] HPV for girls of 11, one dose; the vaccine is licensed from 9
    // years, and the pilot's catch-up limit is not published: a year's grace as for Td.
    row(S::Hpv, 1, m(9 * 12), m(11 * 12), m(12 * 12), 0)
        .only_for(Sex::Female)
        .phased_in(&HPV_PHASE_IN),
];

/// The day the childhood programme has nothing left on time for a child of this sex born on
/// `date_of_birth`: the end of the on-time window of the last dose offered to that child (the
/// Td booster at 7 for a boy, HPV at 11 for a girl where it applies). Until then the child
/// follows the schedule; later doses still fill their slots, but a person past it is no longer
/// reminded of the programme's doses.
pub fn programme_ends(date_of_birth: Date, sex: Sex) -> Date {
    CHILDHOOD_SCHEDULE
        .iter()
        .filter(|r| r.applies_to(date_of_birth, sex))
        .map(|r| r.overdue_after.from_birth(date_of_birth))
        .max()
        .unwrap_or(date_of_birth)
}

/// How many doses the childhood schedule gives in `series` (0 for adult-only series).
pub fn doses_in_series(series: Series) -> u32 {
    CHILDHOOD_SCHEDULE
        .iter()
        .filter(|r| r.series == series)
        .count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_consistent() {
        for r in CHILDHOOD_SCHEDULE {
            assert!(
                r.earliest <= r.due && r.due < r.overdue_after,
                "{:?} {}",
                r.series,
                r.dose
            );
            let previous = CHILDHOOD_SCHEDULE
                .iter()
                .filter(|o| o.series == r.series && o.dose < r.dose)
                .count();
            assert_eq!(
                previous as u32 + 1,
                r.dose,
                "{:?} doses out of order",
                r.series
            );
        }
    }

    #[test]
    fn counts_match_the_programme() {
        assert_eq!(doses_in_series(Series::HepatitisB), 4);
        assert_eq!(doses_in_series(Series::Dtp), 4);
        assert_eq!(doses_in_series(Series::Hib), 3);
        assert_eq!(doses_in_series(Series::OralPolio), 3);
        assert_eq!(doses_in_series(Series::InactivatedPolio), 2);
        assert_eq!(doses_in_series(Series::JapaneseEncephalitis), 3);
        assert_eq!(doses_in_series(Series::Covid19), 0);
    }

    #[test]
    fn td_booster_at_seven_years_protects_against_tetanus_and_diphtheria() {
        use crate::tables::vaccines::{by_code, Disease};
        let td = CHILDHOOD_SCHEDULE
            .iter()
            .find(|r| r.series == Series::Td)
            .unwrap();
        assert_eq!(td.due, m(7 * 12));
        assert_eq!(td.phase_in, None, "nationwide");
        let vaccine = by_code("Td").unwrap();
        assert!(vaccine.childhood_programme);
        assert!(vaccine.counts_for(Series::Td));
        assert!(vaccine.diseases.contains(&Disease::Tetanus));
        assert!(vaccine.diseases.contains(&Disease::Diphtheria));
    }

    #[test]
    fn phase_ins_have_their_own_series_diseases_and_vaccines() {
        use crate::tables::vaccines::{by_code, Disease};
        assert_eq!(doses_in_series(Series::Rotavirus), 2);
        assert_eq!(doses_in_series(Series::Pneumococcal), 3);
        for (series, code, disease, phase_in) in [
            (
                Series::Rotavirus,
                "ROTA",
                Disease::Rotavirus,
                &ROTAVIRUS_PHASE_IN,
            ),
            (
                Series::Pneumococcal,
                "PCV",
                Disease::Pneumococcal,
                &PNEUMOCOCCAL_PHASE_IN,
            ),
        ] {
            assert!(CHILDHOOD_SCHEDULE
                .iter()
                .filter(|r| r.series == series)
                .all(|r| r.phase_in == Some(phase_in)));
            let v = by_code(code).unwrap();
            assert_eq!(v.series, &[series]);
            assert_eq!(v.diseases, &[disease]);
        }
        // Everything else is nationwide, but for the HPV pilot (tested below).
        assert!(CHILDHOOD_SCHEDULE
            .iter()
            .filter(|r| r.phase_in.is_some())
            .all(|r| matches!(
                r.series,
                Series::Rotavirus | Series::Pneumococcal | Series::Hpv
            )));
        assert!(SOURCE.contains("10/2024/TT-BYT"));
    }

    #[test]
    fn hpv_is_offered_to_girls_of_eleven_where_piloted() {
        let hpv: Vec<&ScheduleRow> = CHILDHOOD_SCHEDULE
            .iter()
            .filter(|r| r.series == Series::Hpv)
            .collect();
        assert_eq!(hpv.len(), 1);
        let row = hpv[0];
        assert_eq!(row.due, m(11 * 12));
        assert_eq!(row.only_for, Some(Sex::Female));
        assert_eq!(row.phase_in, Some(&HPV_PHASE_IN));
        // Only girls, and only those who turn 11 once the pilot started.
        let born_2016 = date!(2016 - 05 - 01);
        assert!(row.applies_to(born_2016, Sex::Female));
        assert!(!row.applies_to(born_2016, Sex::Male));
        assert!(!row.applies_to(date!(2014 - 05 - 01), Sex::Female));
        // No other row depends on sex.
        assert!(CHILDHOOD_SCHEDULE
            .iter()
            .filter(|r| r.only_for.is_some())
            .all(|r| r.series == Series::Hpv));
    }

    #[test]
    fn the_programme_ends_after_the_last_dose_offered_to_the_child() {
        let born = date!(2020 - 03 - 10);
        // A boy: the Td booster at 7, on time until 8.
        assert_eq!(programme_ends(born, Sex::Male), date!(2028 - 03 - 10));
        // A girl born in 2020 turns 11 during the HPV pilot: on time until 12.
        assert_eq!(programme_ends(born, Sex::Female), date!(2032 - 03 - 10));
        // A girl who turned 11 before the pilot: the Td booster again.
        let older = date!(2012 - 03 - 10);
        assert_eq!(programme_ends(older, Sex::Female), date!(2020 - 03 - 10));
    }
}
