//! The times of day a medicine is taken at, from its dosage.

use serde::{Deserialize, Serialize};

use crate::model::{Dosage, TimeOfDay};

/// A time of day in the plan, in the order of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DoseSlot {
    Morning,
    Noon,
    Afternoon,
    Evening,
    Bedtime,
    /// No time could be derived: take as the prescriber wrote.
    AsDirected,
}

impl DoseSlot {
    /// The local clock time a reminder for this slot rings at, as (hour, minute). Conventions,
    /// not the prescriber's: a person moves them in their own calendar. `None` for
    /// [`DoseSlot::AsDirected`], which has no time.
    pub fn reminder_time(self) -> Option<(u8, u8)> {
        match self {
            DoseSlot::Morning => Some((7, 0)),
            DoseSlot::Noon => Some((11, 30)),
            DoseSlot::Afternoon => Some((15, 0)),
            DoseSlot::Evening => Some((18, 30)),
            DoseSlot::Bedtime => Some((21, 30)),
            DoseSlot::AsDirected => None,
        }
    }
}

impl From<TimeOfDay> for DoseSlot {
    fn from(t: TimeOfDay) -> Self {
        match t {
            TimeOfDay::Morning => DoseSlot::Morning,
            TimeOfDay::Noon => DoseSlot::Noon,
            TimeOfDay::Afternoon => DoseSlot::Afternoon,
            TimeOfDay::Evening => DoseSlot::Evening,
            TimeOfDay::Bedtime => DoseSlot::Bedtime,
        }
    }
}

/// How the slots were found, so the screen can say when the app chose the times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotSource {
    /// The prescription names the times of day.
    Written,
    /// The prescription gives a count per day; the app spread it over the day.
    Spread,
    /// Free text only: no time derivable.
    FreeText,
}

/// The slots of one day's doses, in the order of the day, and how they were found.
pub fn slots_of(dosage: &Dosage) -> (Vec<DoseSlot>, SlotSource) {
    if !dosage.times_of_day.is_empty() {
        let mut slots: Vec<DoseSlot> = dosage.times_of_day.iter().map(|&t| t.into()).collect();
        slots.sort();
        slots.dedup();
        return (slots, SlotSource::Written);
    }
    match dosage.times_per_day.and_then(spread) {
        Some(slots) => (slots.to_vec(), SlotSource::Spread),
        None => (vec![DoseSlot::AsDirected], SlotSource::FreeText),
    }
}

/// The usual spread of `n` doses a day; `None` for counts no convention covers (0, or more than
/// four, e.g. "every 4 hours"), which stay "as directed".
pub fn spread(n: u32) -> Option<&'static [DoseSlot]> {
    use DoseSlot::*;
    match n {
        1 => Some(&[Morning]),
        2 => Some(&[Morning, Evening]),
        3 => Some(&[Morning, Noon, Evening]),
        4 => Some(&[Morning, Noon, Evening, Bedtime]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dosage(times: &[TimeOfDay], per_day: Option<u32>) -> Dosage {
        Dosage {
            times_of_day: times.to_vec(),
            times_per_day: per_day,
            text: Some("Uống sau ăn".into()),
            ..Dosage::default()
        }
    }

    #[test]
    fn written_times_win_in_the_order_of_the_day() {
        let d = dosage(
            &[TimeOfDay::Evening, TimeOfDay::Morning, TimeOfDay::Evening],
            Some(3),
        );
        assert_eq!(
            slots_of(&d),
            (
                vec![DoseSlot::Morning, DoseSlot::Evening],
                SlotSource::Written
            )
        );
    }

    #[test]
    fn a_count_per_day_is_spread() {
        assert_eq!(
            slots_of(&dosage(&[], Some(2))),
            (
                vec![DoseSlot::Morning, DoseSlot::Evening],
                SlotSource::Spread
            )
        );
        assert_eq!(slots_of(&dosage(&[], Some(4))).0.len(), 4);
    }

    #[test]
    fn free_text_or_an_unusual_count_is_as_directed() {
        for per_day in [None, Some(0), Some(6)] {
            assert_eq!(
                slots_of(&dosage(&[], per_day)),
                (vec![DoseSlot::AsDirected], SlotSource::FreeText)
            );
        }
        assert_eq!(DoseSlot::AsDirected.reminder_time(), None);
    }
}
