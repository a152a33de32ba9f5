//! The national childhood immunisation schedule (Tiêm chủng mở rộng, TCMR), one row per dose of a
//! series, as widely published. Edit this table when a circular changes the schedule: nothing
//! else in the crate knows these ages.
//!
//! [uncertain] The programme publishes the recommended age; the earliest ages and the "overdue
//! after" limits below are this project's reading of common practice (minimum 6 weeks and
//! 4 weeks between doses of the 5-in-1 and polio vaccines, a month's grace otherwise). Tetanus in
//! pregnancy is not tied to the child's age and is not in this table.

use super::vaccines::Series;

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
    }
}

use Series as S;

/// In the order the doses are due; doses of one series in dose order.
pub const CHILDHOOD_SCHEDULE: &[ScheduleRow] = &[
    // Within 24 hours of birth.
    row(S::HepatitisB, 1, days(0), days(0), days(1), 0),
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
];

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
}
