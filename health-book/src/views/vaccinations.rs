//! The vaccination screens: who follows the national childhood schedule, and so which view a
//! person sees first.

use time::Date;

use crate::model::Profile;

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
}
