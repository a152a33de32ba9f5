//! Calendar arithmetic the schedule and the screens share: months after a birth date, a person's
//! age in years and months.

use time::{Date, Duration, Month};

/// `date` plus whole months, on the same day of the month or the last day of a shorter month
/// (31 January + 1 month = 28 or 29 February), as ages in months are counted. Saturates at the
/// calendar's end instead of overflowing.
pub fn add_months(date: Date, months: u32) -> Date {
    let total =
        i64::from(date.year()) * 12 + i64::from(u8::from(date.month()) - 1) + i64::from(months);
    let year = i32::try_from(total.div_euclid(12)).unwrap_or(i32::MAX);
    let month = Month::try_from((total.rem_euclid(12) + 1) as u8).unwrap_or(Month::December);
    let Ok(first) = Date::from_calendar_date(year, month, 1) else {
        return Date::MAX;
    };
    let day = date.day().min(first.month().length(year));
    first.replace_day(day).unwrap_or(first)
}

/// `date` plus days, saturating at the calendar's ends.
pub fn add_days(date: Date, days: i64) -> Date {
    date.checked_add(Duration::days(days))
        .unwrap_or(if days < 0 { Date::MIN } else { Date::MAX })
}

/// A person's age in completed years and months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Age {
    pub years: u32,
    /// Months past the last birthday, 0 to 11.
    pub months: u32,
}

impl Age {
    pub fn total_months(self) -> u32 {
        self.years * 12 + self.months
    }
}

/// Age on `today` of someone born on `date_of_birth`; `None` before birth. A person born on
/// 29 February turns a year older on 28 February in common years.
pub fn age_on(date_of_birth: Date, today: Date) -> Option<Age> {
    if today < date_of_birth {
        return None;
    }
    let span = (today.year() - date_of_birth.year()) * 12 + i32::from(u8::from(today.month()))
        - i32::from(u8::from(date_of_birth.month()));
    let mut months = u32::try_from(span).ok()?;
    if months > 0 && add_months(date_of_birth, months) > today {
        months -= 1;
    }
    Some(Age {
        years: months / 12,
        months: months % 12,
    })
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i64 {
    (to - from).whole_days()
}

impl crate::model::Profile {
    /// The person's age on `today`; `None` before birth.
    pub fn age_on(&self, today: Date) -> Option<Age> {
        age_on(self.date_of_birth, today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn months_clamp_to_the_end_of_short_months() {
        assert_eq!(add_months(date!(2024 - 01 - 31), 1), date!(2024 - 02 - 29));
        assert_eq!(add_months(date!(2023 - 01 - 31), 1), date!(2023 - 02 - 28));
        assert_eq!(add_months(date!(2023 - 11 - 15), 3), date!(2024 - 02 - 15));
        assert_eq!(add_months(date!(2023 - 11 - 15), 0), date!(2023 - 11 - 15));
        assert_eq!(add_months(date!(2023 - 11 - 15), 24), date!(2025 - 11 - 15));
        assert_eq!(add_months(Date::MAX, 5), Date::MAX);
    }

    #[test]
    fn age_in_years_and_months() {
        let dob = date!(1990 - 05 - 20);
        assert_eq!(
            age_on(dob, date!(2026 - 05 - 19)),
            Some(Age {
                years: 35,
                months: 11
            })
        );
        assert_eq!(
            age_on(dob, date!(2026 - 05 - 20)),
            Some(Age {
                years: 36,
                months: 0
            })
        );
        assert_eq!(
            age_on(dob, date!(1990 - 06 - 19)),
            Some(Age {
                years: 0,
                months: 0
            })
        );
        assert_eq!(
            age_on(dob, date!(1990 - 06 - 20)),
            Some(Age {
                years: 0,
                months: 1
            })
        );
        assert_eq!(
            age_on(dob, dob),
            Some(Age {
                years: 0,
                months: 0
            })
        );
        assert_eq!(age_on(dob, date!(1990 - 05 - 19)), None);
        let leap = date!(2024 - 02 - 29);
        assert_eq!(
            age_on(leap, date!(2025 - 02 - 28)),
            Some(Age {
                years: 1,
                months: 0
            })
        );
        assert_eq!(
            age_on(leap, date!(2025 - 02 - 27)),
            Some(Age {
                years: 0,
                months: 11
            })
        );
    }
}
