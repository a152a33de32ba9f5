//! What the person marked: a dose taken or skipped, kept on the device per prescription.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::slots::DoseSlot;
use crate::calendar::add_days;
use crate::model::{dates, HealthBook, RecordId};

/// How many days of marks a book keeps, today included: the last three months of taking a
/// medicine, enough to look back on a course or a renewal. Without a bound the history of one
/// long-term medicine grew by about 150 KB a year, all of it read and sealed on every tap.
pub const KEPT_DAYS: i64 = 92;

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

    /// Drops what no screen shows any more: marks of a day more than [`KEPT_DAYS`] before
    /// `today` (so also every mark of a course that ended before then), and marks of a
    /// prescription the book no longer has. Today's plan and the recent history stay. Returns
    /// how many marks went.
    pub fn keep_recent(&mut self, book: &HealthBook, today: Date) -> usize {
        let first_kept = add_days(today, 1 - KEPT_DAYS);
        let mut dropped = 0;
        self.by_prescription.retain(|prescription, marks| {
            if !book.prescriptions.iter().any(|p| &p.id == prescription) {
                dropped += marks.len();
                return false;
            }
            let before = marks.len();
            marks.retain(|m| m.on >= first_kept);
            dropped += before - marks.len();
            !marks.is_empty()
        });
        dropped
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

    /// A book with the one prescription the marks are about.
    fn book_with(prescription: &str) -> HealthBook {
        let mut book = crate::generate::book(3, &crate::generate::BookShape::records(4));
        book.prescriptions.truncate(1);
        book.prescriptions[0].id = RecordId(prescription.into());
        book
    }

    /// A year of one long-term medicine marked morning and evening, up to `today`.
    fn a_year_of_marks(today: Date) -> DoseLog {
        let mut log = DoseLog::default();
        for back in 0..365 {
            let on = add_days(today, -back);
            for slot in [DoseSlot::Morning, DoseSlot::Evening] {
                let key = DoseKey { on, ..key(slot) };
                log.tap(&key, Mark::Taken, datetime!(2026-03-10 7:05 +7));
            }
        }
        log
    }

    #[test]
    fn the_history_keeps_its_last_three_months_and_today() {
        let today = date!(2027 - 03 - 10);
        let mut log = a_year_of_marks(today);
        let size_before = serde_json::to_vec(&log).unwrap().len();
        let dropped = log.keep_recent(&book_with("rx-1"), today);
        let marks = log.history(&RecordId("rx-1".into()));
        assert_eq!(marks.len(), 2 * KEPT_DAYS as usize);
        assert_eq!(dropped, 2 * (365 - KEPT_DAYS as usize));
        assert!(marks.iter().all(|m| m.on > add_days(today, -KEPT_DAYS)));
        // What today's screen shows is kept.
        let today_key = DoseKey {
            on: today,
            ..key(DoseSlot::Evening)
        };
        assert_eq!(log.mark_of(&today_key), Some(Mark::Taken));
        // Bounded: a year of one medicine is a quarter of what it was, whatever follows.
        let size_after = serde_json::to_vec(&log).unwrap().len();
        assert!(
            size_after * 3 < size_before,
            "{size_after} of {size_before} bytes"
        );
        let mut later = log.clone();
        assert_eq!(later.keep_recent(&book_with("rx-1"), today), 0);
        assert_eq!(later, log);
    }

    #[test]
    fn a_course_ended_long_ago_and_a_prescription_gone_leave_no_marks() {
        let today = date!(2027 - 03 - 10);
        let mut log = a_year_of_marks(add_days(today, -KEPT_DAYS));
        log.keep_recent(&book_with("rx-1"), today);
        assert!(
            log.by_prescription.is_empty(),
            "every mark is older than kept"
        );

        let mut log = a_year_of_marks(today);
        log.keep_recent(&book_with("another"), today);
        assert!(
            log.by_prescription.is_empty(),
            "the book no longer has rx-1"
        );
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
