//! What the person marked: a dose taken or skipped, kept on the device per prescription.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::slots::DoseSlot;
use crate::model::{dates, RecordId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Taken,
    Skipped,
}

/// One dose of one day: which prescription, which medicine (by name, as prescribed: positions
/// can change when a server resends the prescription), which day and time of day.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DoseKey {
    pub prescription: RecordId,
    pub medicine: String,
    pub on: Date,
    pub slot: DoseSlot,
}

/// One mark in a prescription's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoseMark {
    pub medicine: String,
    #[serde(with = "dates::date")]
    pub on: Date,
    pub slot: DoseSlot,
    pub mark: Mark,
    /// When the person tapped it.
    #[serde(with = "dates::timestamp")]
    pub at: OffsetDateTime,
}

impl DoseMark {
    fn is_for(&self, key: &DoseKey) -> bool {
        self.medicine == key.medicine && self.on == key.on && self.slot == key.slot
    }
}

/// A book's dose history, per prescription, oldest mark first. Stored as one device setting
/// beside the book (sealed when the device is locked, deleted with the book).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DoseLog {
    #[serde(default)]
    pub by_prescription: BTreeMap<RecordId, Vec<DoseMark>>,
}

impl DoseLog {
    pub fn mark_of(&self, key: &DoseKey) -> Option<Mark> {
        self.by_prescription
            .get(&key.prescription)?
            .iter()
            .find(|m| m.is_for(key))
            .map(|m| m.mark)
    }

    /// The person tapped `mark` on a dose: set it, or, when the dose already had that mark,
    /// clear it (a second tap undoes a mistaken one). Returns the dose's mark afterwards.
    pub fn tap(&mut self, key: &DoseKey, mark: Mark, at: OffsetDateTime) -> Option<Mark> {
        let marks = self
            .by_prescription
            .entry(key.prescription.clone())
            .or_default();
        let before = marks.iter().position(|m| m.is_for(key));
        let after = match before.map(|i| marks.remove(i)) {
            Some(old) if old.mark == mark => None,
            _ => Some(mark),
        };
        if let Some(mark) = after {
            marks.push(DoseMark {
                medicine: key.medicine.clone(),
                on: key.on,
                slot: key.slot,
                mark,
                at,
            });
        }
        if marks.is_empty() {
            self.by_prescription.remove(&key.prescription);
        }
        after
    }

    /// One prescription's marks, oldest first.
    pub fn history(&self, prescription: &RecordId) -> &[DoseMark] {
        self.by_prescription
            .get(prescription)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn key(slot: DoseSlot) -> DoseKey {
        DoseKey {
            prescription: RecordId("rx-1".into()),
            medicine: "Amlodipin 5mg".into(),
            on: date!(2026 - 03 - 10),
            slot,
        }
    }

    #[test]
    fn a_tap_marks_a_second_tap_undoes_another_mark_replaces() {
        let mut log = DoseLog::default();
        let at = datetime!(2026-03-10 7:05 +7);
        assert_eq!(
            log.tap(&key(DoseSlot::Morning), Mark::Taken, at),
            Some(Mark::Taken)
        );
        assert_eq!(log.mark_of(&key(DoseSlot::Morning)), Some(Mark::Taken));
        assert_eq!(log.mark_of(&key(DoseSlot::Evening)), None);
        assert_eq!(
            log.tap(&key(DoseSlot::Morning), Mark::Skipped, at),
            Some(Mark::Skipped)
        );
        assert_eq!(log.history(&RecordId("rx-1".into())).len(), 1);
        assert_eq!(log.tap(&key(DoseSlot::Morning), Mark::Skipped, at), None);
        assert_eq!(log.mark_of(&key(DoseSlot::Morning)), None);
        assert!(log.by_prescription.is_empty());
    }

    #[test]
    fn the_history_survives_serialisation() {
        let mut log = DoseLog::default();
        log.tap(
            &key(DoseSlot::Morning),
            Mark::Taken,
            datetime!(2026-03-10 7:05 +7),
        );
        log.tap(
            &key(DoseSlot::Evening),
            Mark::Skipped,
            datetime!(2026-03-10 19:00 +7),
        );
        let text = serde_json::to_string(&log).unwrap();
        let back: DoseLog = serde_json::from_str(&text).unwrap();
        assert_eq!(back, log);
        assert_eq!(
            back.history(&RecordId("rx-1".into()))[1].mark,
            Mark::Skipped
        );
    }
}
