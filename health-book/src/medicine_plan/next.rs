//! The next reminder of the day, for the in-app notification while the app is open.

use time::Time;

use super::day::DayPlan;
use super::slots::DoseSlot;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextReminder {
    pub slot: DoseSlot,
    pub at: Time,
    /// The medicines of that time not yet marked, in the plan's order.
    pub medicines: Vec<String>,
}

/// The first time of day after `now` that has a dose not yet marked; `None` when the day has no
/// more (doses "as directed" have no time and ring nothing).
pub fn next_reminder(plan: &DayPlan, now: Time) -> Option<NextReminder> {
    plan.slots.iter().find_map(|s| {
        let (hour, minute) = s.slot.reminder_time()?;
        let at = Time::from_hms(hour, minute, 0).ok()?;
        let medicines: Vec<String> = s
            .doses
            .iter()
            .filter(|d| d.mark.is_none())
            .map(|d| d.key.medicine.clone())
            .collect();
        (at > now && !medicines.is_empty()).then_some(NextReminder {
            slot: s.slot,
            at,
            medicines,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::medicine_plan::{DoseKey, Mark, PlannedDose, SlotDoses, SlotSource};
    use crate::model::RecordId;
    use time::macros::{date, time};

    fn dose(medicine: &str, slot: DoseSlot, mark: Option<Mark>) -> PlannedDose {
        PlannedDose {
            key: DoseKey {
                prescription: RecordId("rx".into()),
                medicine: medicine.into(),
                on: date!(2026 - 03 - 10),
                slot,
            },
            amount: None,
            unit: None,
            with_meals: None,
            instructions: None,
            source: SlotSource::Written,
            day: 1,
            of_days: 5,
            mark,
        }
    }

    fn plan() -> DayPlan {
        let slot = |slot, doses| SlotDoses { slot, doses };
        DayPlan {
            on: date!(2026 - 03 - 10),
            slots: vec![
                slot(DoseSlot::Morning, vec![dose("A", DoseSlot::Morning, None)]),
                slot(
                    DoseSlot::Noon,
                    vec![dose("A", DoseSlot::Noon, Some(Mark::Taken))],
                ),
                slot(
                    DoseSlot::Evening,
                    vec![
                        dose("A", DoseSlot::Evening, None),
                        dose("B", DoseSlot::Evening, Some(Mark::Skipped)),
                    ],
                ),
                slot(
                    DoseSlot::AsDirected,
                    vec![dose("C", DoseSlot::AsDirected, None)],
                ),
            ],
            runs_out: Vec::new(),
            without_duration: 0,
        }
    }

    #[test]
    fn the_next_time_with_an_unmarked_dose() {
        let next = next_reminder(&plan(), time!(6:00)).unwrap();
        assert_eq!((next.slot, next.at), (DoseSlot::Morning, time!(7:00)));
        // Noon's only dose is taken: the evening is next.
        let next = next_reminder(&plan(), time!(7:00)).unwrap();
        assert_eq!(next.slot, DoseSlot::Evening);
        assert_eq!(next.medicines, vec!["A".to_owned()]);
        assert_eq!(next_reminder(&plan(), time!(18:30)), None);
    }
}
