//! A warning a few days before a medicine runs out: the end of a course, or a long-term
//! prescription to renew.

use time::Date;

use crate::calendar::days_between;
use crate::medication::active_medicines;
use crate::model::{HealthBook, RecordId};

/// Warn this many days ahead (and on the last day itself).
pub const RUNS_OUT_WARNING_DAYS: i64 = 3;

/// A medicine prescribed for at least this many days is treated as long-term (a chronic
/// disease's monthly prescription): running out means "renew it", not "course finished".
/// [uncertain: a convention, not a regulation; long-term prescriptions run up to 30 days.]
pub const LONG_TERM_MIN_DAYS: u32 = 28;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunsOutKind {
    /// A course ends: nothing to do but finish it.
    CourseEnds,
    /// A long-term medicine ends: see the doctor to renew it.
    RenewSoon,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunsOut {
    pub prescription: RecordId,
    pub medicine: String,
    pub last_day: Date,
    /// 0 on the last day.
    pub days_left: u32,
    pub kind: RunsOutKind,
}

/// The medicines of the book that run out within [`RUNS_OUT_WARNING_DAYS`], soonest first.
/// A long-term medicine prescribed again (a later prescription lasting longer) is not warned.
pub fn runs_out(book: &HealthBook, today: Date) -> Vec<RunsOut> {
    let active = active_medicines(book, today);
    let mut out: Vec<RunsOut> = active
        .iter()
        .filter_map(|a| {
            let left = days_between(today, a.last_day);
            if left > RUNS_OUT_WARNING_DAYS {
                return None;
            }
            let renewed = active.iter().any(|b| {
                b.medicine
                    .name
                    .trim()
                    .eq_ignore_ascii_case(a.medicine.name.trim())
                    && b.last_day > a.last_day
            });
            if renewed {
                return None;
            }
            Some(RunsOut {
                prescription: a.prescription.id.clone(),
                medicine: a.medicine.name.clone(),
                last_day: a.last_day,
                days_left: u32::try_from(left).unwrap_or(0),
                kind: if a.of_days >= LONG_TERM_MIN_DAYS {
                    RunsOutKind::RenewSoon
                } else {
                    RunsOutKind::CourseEnds
                },
            })
        })
        .collect();
    out.sort_by(|a, b| {
        a.last_day
            .cmp(&b.last_day)
            .then_with(|| a.medicine.cmp(&b.medicine))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{self, BookShape};
    use crate::model::{Medicine, Prescription};
    use time::macros::{date, datetime};

    fn book(medicines: &[(&str, u32)], issued: time::OffsetDateTime) -> HealthBook {
        let mut b = generate::book(5, &BookShape::records(1));
        let p = &mut b.prescriptions[0];
        p.issued_at = issued;
        let template = p.medicines[0].clone();
        p.medicines = medicines
            .iter()
            .map(|(name, days)| Medicine {
                name: (*name).into(),
                duration_days: Some(*days),
                ..template.clone()
            })
            .collect();
        b
    }

    #[test]
    fn warns_in_the_last_days_and_tells_a_course_from_a_renewal() {
        // Issued 1 March: a 7-day course ends 7 March, a 30-day one 30 March.
        let b = book(
            &[("Amoxicillin", 7), ("Amlodipin", 30)],
            datetime!(2026-03-01 9:00 +7),
        );
        assert!(runs_out(&b, date!(2026 - 03 - 03)).is_empty());
        let warned = runs_out(&b, date!(2026 - 03 - 04));
        assert_eq!(warned.len(), 1);
        assert_eq!(warned[0].medicine, "Amoxicillin");
        assert_eq!(warned[0].days_left, 3);
        assert_eq!(warned[0].kind, RunsOutKind::CourseEnds);
        let last = runs_out(&b, date!(2026 - 03 - 30));
        assert_eq!(last.len(), 1);
        assert_eq!(
            (last[0].days_left, last[0].kind),
            (0, RunsOutKind::RenewSoon)
        );
        assert!(runs_out(&b, date!(2026 - 03 - 31)).is_empty());
    }

    #[test]
    fn a_renewed_medicine_is_not_warned() {
        let mut b = book(&[("Amlodipin", 30)], datetime!(2026-03-01 9:00 +7));
        let renewal = Prescription {
            id: RecordId("rx-renewal".into()),
            issued_at: datetime!(2026-03-28 9:00 +7),
            ..b.prescriptions[0].clone()
        };
        b.prescriptions.push(renewal);
        assert!(runs_out(&b, date!(2026 - 03 - 29)).is_empty());
    }
}
