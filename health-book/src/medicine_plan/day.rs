//! The plan of one day: every dose of the active medicines, grouped by time of day.

use time::Date;

use super::log::{DoseKey, DoseLog, Mark};
use super::runs_out::{runs_out, RunsOut};
use super::slots::{slots_of, DoseSlot, SlotSource};
use crate::medication::active_medicines;
use crate::model::{HealthBook, MealRelation};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedDose {
    pub key: DoseKey,
    /// Amount per dose as written ("1", "1/2") and its unit ("viên").
    pub amount: Option<String>,
    pub unit: Option<String>,
    pub with_meals: Option<MealRelation>,
    /// The prescriber's own words, shown with every dose.
    pub instructions: Option<String>,
    pub source: SlotSource,
    /// Today is day `day` of `of_days`.
    pub day: u32,
    pub of_days: u32,
    pub mark: Option<Mark>,
}

/// The doses of one time of day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotDoses {
    pub slot: DoseSlot,
    pub doses: Vec<PlannedDose>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayPlan {
    pub on: Date,
    /// In the order of the day; only slots with a dose.
    pub slots: Vec<SlotDoses>,
    pub runs_out: Vec<RunsOut>,
    /// Medicines of current prescriptions left out for having no duration (see the module).
    pub without_duration: usize,
}

impl DayPlan {
    pub fn new(book: &HealthBook, log: &DoseLog, on: Date) -> Self {
        let mut doses: Vec<PlannedDose> = Vec::new();
        for a in active_medicines(book, on) {
            let (slots, source) = slots_of(&a.medicine.dosage);
            for slot in slots {
                let key = DoseKey {
                    prescription: a.prescription.id.clone(),
                    medicine: a.medicine.name.clone(),
                    on,
                    slot,
                };
                doses.push(PlannedDose {
                    mark: log.mark_of(&key),
                    key,
                    amount: a.medicine.dosage.amount_per_dose.clone(),
                    unit: a.medicine.unit.clone(),
                    with_meals: a.medicine.dosage.with_meals,
                    instructions: a.medicine.dosage.text.clone(),
                    source,
                    day: a.day,
                    of_days: a.of_days,
                });
            }
        }
        // Stable: within a slot, newest prescription first (active_medicines' order).
        doses.sort_by_key(|d| d.key.slot);
        let mut slots: Vec<SlotDoses> = Vec::new();
        for dose in doses {
            match slots.last_mut() {
                Some(last) if last.slot == dose.key.slot => last.doses.push(dose),
                _ => slots.push(SlotDoses {
                    slot: dose.key.slot,
                    doses: vec![dose],
                }),
            }
        }
        let without_duration = book
            .prescriptions
            .iter()
            .filter(|p| p.is_current(on))
            .flat_map(|p| &p.medicines)
            .filter(|m| m.duration_days.is_none_or(|d| d == 0))
            .count();
        DayPlan {
            on,
            slots,
            runs_out: runs_out(book, on),
            without_duration,
        }
    }

    pub fn doses(&self) -> impl Iterator<Item = &PlannedDose> {
        self.slots.iter().flat_map(|s| &s.doses)
    }

    /// Doses not yet marked taken or skipped.
    pub fn open(&self) -> usize {
        self.doses().filter(|d| d.mark.is_none()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{self, BookShape};
    use crate::model::{Dosage, Medicine, RecordId, TimeOfDay};
    use time::macros::{date, datetime};

    fn book() -> HealthBook {
        let mut b = generate::book(9, &BookShape::records(1));
        let p = &mut b.prescriptions[0];
        p.id = RecordId("rx-a".into());
        p.issued_at = datetime!(2026-03-08 9:00 +7);
        let template = p.medicines[0].clone();
        let medicine = |name: &str, dosage: Dosage, days: Option<u32>| Medicine {
            name: name.into(),
            unit: Some("viên".into()),
            dosage,
            duration_days: days,
            ..template.clone()
        };
        p.medicines = vec![
            medicine(
                "Amoxicillin 500mg",
                Dosage {
                    amount_per_dose: Some("1".into()),
                    times_of_day: vec![TimeOfDay::Morning, TimeOfDay::Noon, TimeOfDay::Evening],
                    with_meals: Some(MealRelation::AfterMeals),
                    ..Dosage::default()
                },
                Some(7),
            ),
            medicine(
                "Omeprazol 20mg",
                Dosage {
                    times_per_day: Some(1),
                    with_meals: Some(MealRelation::BeforeMeals),
                    ..Dosage::default()
                },
                Some(14),
            ),
            medicine(
                "Paracetamol 500mg",
                Dosage {
                    text: Some("Uống khi sốt trên 38.5 độ".into()),
                    ..Dosage::default()
                },
                Some(5),
            ),
            medicine("Vitamin C", Dosage::default(), None),
        ];
        b
    }

    #[test]
    fn the_day_s_doses_by_time_of_day() {
        let today = date!(2026 - 03 - 10);
        let plan = DayPlan::new(&book(), &DoseLog::default(), today);
        let shape: Vec<(DoseSlot, Vec<&str>)> = plan
            .slots
            .iter()
            .map(|s| {
                (
                    s.slot,
                    s.doses.iter().map(|d| d.key.medicine.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                (
                    DoseSlot::Morning,
                    vec!["Amoxicillin 500mg", "Omeprazol 20mg"]
                ),
                (DoseSlot::Noon, vec!["Amoxicillin 500mg"]),
                (DoseSlot::Evening, vec!["Amoxicillin 500mg"]),
                (DoseSlot::AsDirected, vec!["Paracetamol 500mg"]),
            ]
        );
        let omeprazol = &plan.slots[0].doses[1];
        assert_eq!(omeprazol.source, SlotSource::Spread);
        assert_eq!(omeprazol.with_meals, Some(MealRelation::BeforeMeals));
        assert_eq!((omeprazol.day, omeprazol.of_days), (3, 14));
        assert_eq!(plan.without_duration, 1, "Vitamin C has no duration");
        assert_eq!(plan.open(), 5);
    }

    #[test]
    fn marks_show_on_their_day_only() {
        let b = book();
        let today = date!(2026 - 03 - 10);
        let mut log = DoseLog::default();
        let key = DayPlan::new(&b, &log, today).slots[1].doses[0].key.clone();
        log.tap(&key, Mark::Taken, datetime!(2026-03-10 11:40 +7));
        let plan = DayPlan::new(&b, &log, today);
        assert_eq!(plan.slots[1].doses[0].mark, Some(Mark::Taken));
        assert_eq!(plan.open(), 4);
        let tomorrow = DayPlan::new(&b, &log, date!(2026 - 03 - 11));
        assert_eq!(tomorrow.open(), tomorrow.doses().count());
    }

    #[test]
    fn the_end_of_a_course_is_warned() {
        // Paracetamol for 5 days from 8 March ends on 12 March.
        let plan = DayPlan::new(&book(), &DoseLog::default(), date!(2026 - 03 - 10));
        let warned: Vec<&str> = plan.runs_out.iter().map(|r| r.medicine.as_str()).collect();
        assert_eq!(warned, vec!["Paracetamol 500mg"]);
        assert!(DayPlan::new(&book(), &DoseLog::default(), date!(2026 - 04 - 01)).is_empty());
    }
}
