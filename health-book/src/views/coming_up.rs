//! "Coming up": the re-examinations (from prescriptions' re-examination dates and from
//! appointments) and the referral slips still to use, overdue ones marked, soonest first. Home
//! shows the first few; the Coming up screen shows them all.

use time::{Date, OffsetDateTime};

use crate::calendar::days_between;
use crate::model::{
    AppointmentStatus, AppointmentTime, Facility, HealthBook, Prescription, RecordId, Referral,
    ReferralStatus,
};

/// A visit this close is "soon" (shown with a warning colour).
pub const SOON_DAYS: i64 = 7;

/// A re-examination missed longer ago than this, or a slip expired longer ago, is history and no
/// longer listed: the list is about what to do next, and a 40-year book would otherwise open on
/// decades of missed dates.
pub const OVERDUE_LISTED_DAYS: i64 = 90;

/// A slip without a written end date stays listed this long after it was issued.
pub const UNDATED_REFERRAL_LISTED_DAYS: i64 = 90;

/// How many items the Home section shows before "see all".
pub const HOME_ITEMS: usize = 3;

/// How a date stands against today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    Overdue { days: u32 },
    Today,
    Soon { in_days: u32 },
    Later { in_days: u32 },
}

impl Due {
    pub fn of(on: Date, today: Date) -> Due {
        let days = days_between(today, on);
        let abs = u32::try_from(days.unsigned_abs()).unwrap_or(u32::MAX);
        match days {
            d if d < 0 => Due::Overdue { days: abs },
            0 => Due::Today,
            d if d <= SOON_DAYS => Due::Soon { in_days: abs },
            _ => Due::Later { in_days: abs },
        }
    }

    pub fn is_overdue(self) -> bool {
        matches!(self, Due::Overdue { .. })
    }
}

/// Where a re-examination date comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReExaminationSource {
    /// The "tái khám" date written on a prescription.
    Prescription { id: RecordId, code: String },
    /// An appointment; `at` when a time was booked.
    Appointment {
        id: RecordId,
        status: AppointmentStatus,
        at: Option<OffsetDateTime>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReExamination {
    pub on: Date,
    pub due: Due,
    pub facility: Option<Facility>,
    pub reason: Option<String>,
    pub source: ReExaminationSource,
}

/// Whether a referral slip can still be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    /// No end date is written on the slip.
    Undated,
    /// Usable up to and including `until`; `due` says how close that is.
    Until {
        until: Date,
        due: Due,
    },
    Expired {
        on: Date,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralSlip {
    pub referral: Referral,
    pub validity: Validity,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComingUpItem {
    ReExamination(ReExamination),
    Referral(ReferralSlip),
}

impl ComingUpItem {
    /// The day that orders the list: the visit's, or the last day a slip can be used (its issue
    /// day when it has no end date).
    pub fn date(&self) -> Date {
        match self {
            ComingUpItem::ReExamination(r) => r.on,
            ComingUpItem::Referral(s) => s.referral.valid_until.unwrap_or(s.referral.issued_on),
        }
    }

    /// Missed visit or expired slip: shown first, marked.
    pub fn is_overdue(&self) -> bool {
        match self {
            ComingUpItem::ReExamination(r) => r.due.is_overdue(),
            ComingUpItem::Referral(s) => matches!(s.validity, Validity::Expired { .. }),
        }
    }

    fn tie_break(&self) -> (u8, &str) {
        match self {
            ComingUpItem::ReExamination(r) => match &r.source {
                ReExaminationSource::Appointment { id, .. } => (0, id.as_str()),
                ReExaminationSource::Prescription { id, .. } => (1, id.as_str()),
            },
            ComingUpItem::Referral(s) => (2, s.referral.id.as_str()),
        }
    }
}

/// Everything coming up, oldest date first (so missed visits and expired slips lead), then
/// today, then the days ahead.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ComingUpView {
    pub items: Vec<ComingUpItem>,
}

impl ComingUpView {
    pub fn new(book: &HealthBook, today: Date) -> Self {
        let mut items: Vec<ComingUpItem> = Vec::new();
        let appointments = open_appointments(book, today);
        for p in &book.prescriptions {
            let Some(on) = p.re_examination_on else {
                continue;
            };
            if !listed(on, today) || went_back(book, p) {
                continue;
            }
            // The booked appointment for the same visit says more (a time, a status).
            if appointments
                .iter()
                .any(|a| a.on == on && same_facility(a.facility.as_ref(), &p.facility))
            {
                continue;
            }
            items.push(ComingUpItem::ReExamination(ReExamination {
                on,
                due: Due::of(on, today),
                facility: Some(p.facility.clone()),
                reason: p.diagnoses.first().map(|d| d.text.clone()),
                source: ReExaminationSource::Prescription {
                    id: p.id.clone(),
                    code: p.code.clone(),
                },
            }));
        }
        items.extend(appointments.into_iter().map(ComingUpItem::ReExamination));
        items.extend(
            book.care
                .referrals
                .iter()
                .filter_map(|r| referral_slip(r, today))
                .map(ComingUpItem::Referral),
        );
        items.sort_by(|a, b| {
            a.date()
                .cmp(&b.date())
                .then_with(|| a.tie_break().cmp(&b.tie_break()))
        });
        ComingUpView { items }
    }

    pub fn overdue(&self) -> usize {
        self.items.iter().filter(|i| i.is_overdue()).count()
    }

    /// What Home shows: the first [`HOME_ITEMS`].
    pub fn first(&self) -> &[ComingUpItem] {
        &self.items[..self.items.len().min(HOME_ITEMS)]
    }

    /// Re-examination days, for the calendar export.
    pub fn re_examinations(&self) -> impl Iterator<Item = &ReExamination> {
        self.items.iter().filter_map(|i| match i {
            ComingUpItem::ReExamination(r) => Some(r),
            ComingUpItem::Referral(_) => None,
        })
    }
}

fn listed(on: Date, today: Date) -> bool {
    days_between(on, today) <= OVERDUE_LISTED_DAYS
}

fn open_appointments(book: &HealthBook, today: Date) -> Vec<ReExamination> {
    book.care
        .appointments
        .iter()
        .filter(|a| a.status.is_open() && listed(a.when.date(), today))
        .map(|a| ReExamination {
            on: a.when.date(),
            due: Due::of(a.when.date(), today),
            facility: a.facility.clone(),
            reason: a.reason.clone(),
            source: ReExaminationSource::Appointment {
                id: a.id.clone(),
                status: a.status,
                at: match a.when {
                    AppointmentTime::At { at } => Some(at),
                    AppointmentTime::Day { .. } => None,
                },
            },
        })
        .collect()
}

/// The person went back: a later prescription from the same facility, or a fulfilled
/// appointment there since. Either means the re-examination took place (perhaps on another day).
fn went_back(book: &HealthBook, p: &Prescription) -> bool {
    book.prescriptions.iter().any(|later| {
        later.issued_at > p.issued_at && same_facility(Some(&later.facility), &p.facility)
    }) || book.care.appointments.iter().any(|a| {
        a.status == AppointmentStatus::Fulfilled
            && a.when.date() > p.issued_on()
            && same_facility(a.facility.as_ref(), &p.facility)
    })
}

/// Same facility by code when both have one, else by name (folded).
fn same_facility(a: Option<&Facility>, b: &Facility) -> bool {
    let Some(a) = a else {
        return false;
    };
    match (&a.code, &b.code) {
        (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
        _ => crate::text::fold_for_search(&a.name) == crate::text::fold_for_search(&b.name),
    }
}

fn referral_slip(r: &Referral, today: Date) -> Option<ReferralSlip> {
    if r.status != ReferralStatus::Active {
        return None;
    }
    let validity = match r.valid_until {
        Some(until) if until < today => {
            if !listed(until, today) {
                return None;
            }
            Validity::Expired { on: until }
        }
        Some(until) => Validity::Until {
            until,
            due: Due::of(until, today),
        },
        None => {
            if days_between(r.issued_on, today) > UNDATED_REFERRAL_LISTED_DAYS {
                return None;
            }
            Validity::Undated
        }
    };
    Some(ReferralSlip {
        referral: r.clone(),
        validity,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{self, BookShape};
    use crate::model::{Appointment, RecordOrigin};
    use time::macros::date;

    const TODAY: Date = date!(2026 - 03 - 10);

    fn facility(code: &str, name: &str) -> Facility {
        Facility {
            code: Some(code.into()),
            name: name.into(),
        }
    }

    /// A book whose prescriptions are issued on `issued` (one each), each at its facility, with
    /// the re-examination dates given.
    fn book(rx: &[(Date, &str, Option<Date>)]) -> HealthBook {
        let mut b = generate::book(11, &BookShape::records(1));
        let template = b.prescriptions[0].clone();
        b.prescriptions = rx
            .iter()
            .enumerate()
            .map(|(i, (issued, code, re_exam))| Prescription {
                id: RecordId(format!("rx-{i}")),
                issued_at: issued
                    .with_hms(9, 0, 0)
                    .unwrap()
                    .assume_offset(time::macros::offset!(+7)),
                facility: facility(code, &format!("Facility {code}")),
                re_examination_on: *re_exam,
                ..template.clone()
            })
            .collect();
        b
    }

    fn appointment(id: &str, on: Date, status: AppointmentStatus, code: &str) -> Appointment {
        Appointment {
            id: RecordId(id.into()),
            when: AppointmentTime::Day { on },
            status,
            facility: Some(facility(code, "x")),
            reason: Some("Tái khám".into()),
            recorded_by: RecordOrigin::Imported,
        }
    }

    fn referral(id: &str, issued_on: Date, valid_until: Option<Date>) -> Referral {
        Referral {
            id: RecordId(id.into()),
            code: None,
            issued_on,
            from: facility("19-011", "Trạm y tế xã Phú Đình"),
            to: facility("19-001", "Bệnh viện Trung ương Thái Nguyên"),
            reason: Some("Tăng huyết áp".into()),
            valid_until,
            status: ReferralStatus::Active,
            recorded_by: RecordOrigin::Imported,
        }
    }

    #[test]
    fn due_counts_days_from_today() {
        assert_eq!(
            Due::of(date!(2026 - 03 - 08), TODAY),
            Due::Overdue { days: 2 }
        );
        assert_eq!(Due::of(TODAY, TODAY), Due::Today);
        assert_eq!(
            Due::of(date!(2026 - 03 - 17), TODAY),
            Due::Soon { in_days: 7 }
        );
        assert_eq!(
            Due::of(date!(2026 - 03 - 18), TODAY),
            Due::Later { in_days: 8 }
        );
    }

    #[test]
    fn a_missed_re_examination_is_overdue_and_listed_first() {
        let b = book(&[
            (date!(2026 - 02 - 01), "A", Some(date!(2026 - 03 - 03))),
            (date!(2026 - 02 - 20), "B", Some(date!(2026 - 03 - 20))),
            (date!(2026 - 02 - 25), "C", None),
        ]);
        let view = ComingUpView::new(&b, TODAY);
        assert_eq!(view.items.len(), 2);
        assert_eq!(view.overdue(), 1);
        let ComingUpItem::ReExamination(first) = &view.items[0] else {
            panic!("a re-examination first: {:?}", view.items[0]);
        };
        assert_eq!(first.due, Due::Overdue { days: 7 });
        assert_eq!(
            first.facility.as_ref().and_then(|f| f.code.as_deref()),
            Some("A")
        );
        assert_eq!(view.items[1].date(), date!(2026 - 03 - 20));
    }

    #[test]
    fn going_back_to_the_facility_meets_the_re_examination() {
        let b = book(&[
            (date!(2026 - 01 - 01), "A", Some(date!(2026 - 02 - 01))),
            // Back at A a few days late, with a new date.
            (date!(2026 - 02 - 05), "A", Some(date!(2026 - 03 - 05))),
            // Another facility does not count as going back to A.
            (date!(2026 - 03 - 06), "B", None),
        ]);
        let view = ComingUpView::new(&b, TODAY);
        let dates: Vec<Date> = view.items.iter().map(ComingUpItem::date).collect();
        assert_eq!(dates, vec![date!(2026 - 03 - 05)]);
        assert!(view.items[0].is_overdue());
    }

    #[test]
    fn long_missed_dates_are_history() {
        let b = book(&[(
            date!(2025 - 09 - 01),
            "A",
            Some(TODAY - time::Duration::days(OVERDUE_LISTED_DAYS + 1)),
        )]);
        assert!(ComingUpView::new(&b, TODAY).items.is_empty());
        let b = book(&[(
            date!(2025 - 09 - 01),
            "A",
            Some(TODAY - time::Duration::days(OVERDUE_LISTED_DAYS)),
        )]);
        assert_eq!(ComingUpView::new(&b, TODAY).overdue(), 1);
    }

    #[test]
    fn a_booked_appointment_replaces_the_prescription_s_date_and_closed_ones_go() {
        let mut b = book(&[(date!(2026 - 02 - 10), "A", Some(date!(2026 - 03 - 12)))]);
        b.care.appointments = vec![
            appointment(
                "ap-1",
                date!(2026 - 03 - 12),
                AppointmentStatus::Booked,
                "A",
            ),
            appointment(
                "ap-2",
                date!(2026 - 03 - 01),
                AppointmentStatus::Cancelled,
                "A",
            ),
            appointment(
                "ap-3",
                date!(2026 - 04 - 01),
                AppointmentStatus::Proposed,
                "B",
            ),
        ];
        let view = ComingUpView::new(&b, TODAY);
        let sources: Vec<&ReExaminationSource> =
            view.re_examinations().map(|r| &r.source).collect();
        assert_eq!(sources.len(), 2, "{sources:?}");
        assert!(
            matches!(sources[0], ReExaminationSource::Appointment { id, .. } if id.as_str() == "ap-1")
        );
        assert!(
            matches!(sources[1], ReExaminationSource::Appointment { id, .. } if id.as_str() == "ap-3")
        );
        assert_eq!(view.items[0].date(), date!(2026 - 03 - 12));
    }

    #[test]
    fn a_fulfilled_appointment_meets_the_prescription_s_date() {
        let mut b = book(&[(date!(2026 - 02 - 10), "A", Some(date!(2026 - 03 - 01)))]);
        b.care.appointments = vec![appointment(
            "ap-1",
            date!(2026 - 03 - 02),
            AppointmentStatus::Fulfilled,
            "A",
        )];
        assert!(ComingUpView::new(&b, TODAY).items.is_empty());
    }

    #[test]
    fn referrals_show_their_validity() {
        let mut b = book(&[]);
        b.care.referrals = vec![
            referral(
                "r-valid",
                date!(2026 - 03 - 05),
                Some(date!(2026 - 03 - 14)),
            ),
            referral(
                "r-expired",
                date!(2026 - 02 - 01),
                Some(date!(2026 - 02 - 11)),
            ),
            referral("r-undated", date!(2026 - 03 - 01), None),
            referral("r-old-undated", date!(2025 - 10 - 01), None),
            Referral {
                status: ReferralStatus::Completed,
                ..referral("r-used", date!(2026 - 03 - 05), Some(date!(2026 - 03 - 20)))
            },
        ];
        let view = ComingUpView::new(&b, TODAY);
        let shown: Vec<(&str, Validity)> = view
            .items
            .iter()
            .map(|i| match i {
                ComingUpItem::Referral(s) => (s.referral.id.as_str(), s.validity),
                other => panic!("only referrals: {other:?}"),
            })
            .collect();
        assert_eq!(
            shown,
            vec![
                (
                    "r-expired",
                    Validity::Expired {
                        on: date!(2026 - 02 - 11)
                    }
                ),
                ("r-undated", Validity::Undated),
                (
                    "r-valid",
                    Validity::Until {
                        until: date!(2026 - 03 - 14),
                        due: Due::Soon { in_days: 4 }
                    }
                ),
            ]
        );
        assert_eq!(view.overdue(), 1);
    }

    #[test]
    fn home_shows_the_first_few() {
        let b = book(&[
            (date!(2026 - 03 - 01), "A", Some(date!(2026 - 03 - 20))),
            (date!(2026 - 03 - 01), "B", Some(date!(2026 - 03 - 21))),
            (date!(2026 - 03 - 01), "C", Some(date!(2026 - 03 - 22))),
            (date!(2026 - 03 - 01), "D", Some(date!(2026 - 03 - 23))),
        ]);
        let view = ComingUpView::new(&b, TODAY);
        assert_eq!(view.items.len(), 4);
        assert_eq!(view.first().len(), HOME_ITEMS);
        assert_eq!(view.first()[0].date(), date!(2026 - 03 - 20));
    }
}
