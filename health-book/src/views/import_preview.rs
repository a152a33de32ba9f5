//! The import preview: for each book in a file, what saving it would do on this device and what
//! a person should check first. Nothing here writes: the preview is shown before the confirmation.

use time::Date;

use crate::corrections::{keep_device_notes, CorrectionRequest};
use crate::fhir::{ImportNote, SkipReason, SkippedResource};
use crate::model::HealthBook;
use crate::sync::merge::keep_device_records;
use crate::validate::{validate_book, Finding, ValidationContext};

/// What the device holds now for the same person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replaced {
    pub vaccinations: usize,
    pub prescriptions: usize,
}

/// A book from the file as it would be saved, and what it would replace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingBook {
    /// The file's book with the device-entered records carried over.
    pub book: HealthBook,
    /// `None` when the person has no book on this device yet.
    pub replaces: Option<Replaced>,
    /// Device-entered records kept (the same rule as a sync).
    pub kept_device_records: usize,
    /// What needs checking in the book as it would be saved, errors first.
    pub findings: Vec<Finding>,
    /// The book's correction notes as they would be saved: the device's, and the file's new
    /// ones ([`keep_device_notes`]). Empty until [`PendingBook::with_corrections`].
    pub corrections: Vec<CorrectionRequest>,
    /// How many of the file's notes are new to the device.
    pub added_corrections: usize,
}

impl PendingBook {
    pub fn new(mut incoming: HealthBook, current: Option<&HealthBook>, today: Date) -> Self {
        let (replaces, kept_device_records) = match current {
            Some(current) => (
                Some(Replaced {
                    vaccinations: current.vaccinations.len(),
                    prescriptions: current.prescriptions.len(),
                }),
                keep_device_records(&mut incoming, current).kept,
            ),
            None => (None, 0),
        };
        let mut findings = validate_book(&incoming, &ValidationContext::new(today));
        // Stable: within a severity, findings stay in the book's order.
        findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
        PendingBook {
            book: incoming,
            replaces,
            kept_device_records,
            findings,
            corrections: Vec::new(),
            added_corrections: 0,
        }
    }

    /// The notes saving would keep: every note on the device (`current`) and the file's
    /// (`incoming`) that the device does not have yet.
    pub fn with_corrections(
        mut self,
        incoming: &[CorrectionRequest],
        current: &[CorrectionRequest],
    ) -> Self {
        let mut notes = incoming.to_vec();
        self.added_corrections = keep_device_notes(&mut notes, current);
        self.corrections = notes;
        self
    }
}

/// The vaccines of a file that neither the vaccine table nor its aliases know, each named once in
/// the file's order: they stay in the book as written, and the preview lists them so a person can
/// check them before saving (issue 12).
pub fn unknown_vaccines(notes: &[ImportNote]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    notes
        .iter()
        .filter_map(|note| match note {
            ImportNote::UnknownVaccine { vaccine, .. } => {
                let name = if vaccine.display.trim().is_empty() {
                    vaccine.code.trim()
                } else {
                    vaccine.display.trim()
                };
                (!name.is_empty()).then(|| name.to_owned())
            }
            _ => None,
        })
        .filter(|name| seen.insert(name.clone()))
        .collect()
}

/// Most skipped resources the preview names one by one; the rest are counted. A file of
/// duplicates can skip tens of thousands, which nobody reads and a phone renders slowly.
pub const SKIPPED_LISTED: usize = 50;

/// What the preview says of the resources left out of a file.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct SkippedPreview {
    /// How many were left out in all.
    pub total: usize,
    /// The ones named, at most [`SKIPPED_LISTED`]: another person's records (and records that
    /// name no one) first, because a person must see those, then the rest, each in file order.
    pub listed: Vec<SkippedResource>,
    /// How many more were left out than are named.
    pub more: usize,
}

impl SkippedPreview {
    pub fn new(skipped: Vec<SkippedResource>) -> SkippedPreview {
        let total = skipped.len();
        let (mut listed, rest): (Vec<_>, Vec<_>) = skipped
            .into_iter()
            .partition(|s| not_this_persons(&s.reason));
        listed.extend(rest);
        listed.truncate(SKIPPED_LISTED);
        SkippedPreview {
            total,
            more: total - listed.len(),
            listed,
        }
    }
}

fn not_this_persons(reason: &SkipReason) -> bool {
    matches!(
        reason,
        SkipReason::OtherPatient { .. }
            | SkipReason::NoPatientReference
            | SkipReason::NoMatchingRecord
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{self, BookShape, DEFAULT_AS_OF};
    use crate::model::RecordOrigin;
    use crate::validate::FindingKind;
    use time::macros::{date, datetime};

    #[test]
    fn a_new_person_replaces_nothing_and_keeps_nothing() {
        let book = generate::book(1, &BookShape::records(4));
        let pending = PendingBook::new(book.clone(), None, DEFAULT_AS_OF);
        assert_eq!(pending.replaces, None);
        assert_eq!(pending.kept_device_records, 0);
        assert_eq!(pending.book, book);
    }

    #[test]
    fn replacing_a_book_counts_it_and_keeps_device_records() {
        let mut current = generate::book(2, &BookShape::adult_with_history(3));
        current.vaccinations[0].recorded_by = RecordOrigin::EnteredByStaff {
            staff: None,
            device: None,
            at: datetime!(2025-12-01 9:00 +7),
        };
        let mut file = generate::book(2, &BookShape::adult_with_history(3));
        file.vaccinations
            .retain(|v| v.id != current.vaccinations[0].id);
        let pending = PendingBook::new(file, Some(&current), DEFAULT_AS_OF);
        assert_eq!(
            pending.replaces,
            Some(Replaced {
                vaccinations: current.vaccinations.len(),
                prescriptions: current.prescriptions.len()
            })
        );
        assert!(pending.kept_device_records >= 1);
        assert!(pending.book.vaccinations.contains(&current.vaccinations[0]));
    }

    #[test]
    fn what_needs_checking_is_listed_errors_first() {
        let mut book = generate::book(3, &BookShape::adult_with_history(3));
        book.vaccinations[0].date = date!(2030 - 01 - 01);
        book.prescriptions[0].medicines.clear();
        let pending = PendingBook::new(book, None, DEFAULT_AS_OF);
        assert!(pending
            .findings
            .iter()
            .any(|f| matches!(f.kind, FindingKind::InFuture { .. })));
        assert!(pending
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::NoMedicines));
        assert!(pending
            .findings
            .windows(2)
            .all(|w| w[0].severity >= w[1].severity));
        let clean = generate::book(4, &BookShape::records(4));
        assert!(PendingBook::new(clean, None, DEFAULT_AS_OF)
            .findings
            .iter()
            .all(|f| !f.is_error()));
    }

    #[test]
    fn unknown_vaccines_are_named_once_in_file_order() {
        use crate::model::Coding;
        let coding = |code: &str, display: &str| Coding {
            system: None,
            code: code.into(),
            display: display.into(),
        };
        let note = |vaccine| ImportNote::UnknownVaccine {
            immunization: None,
            vaccine,
        };
        let notes = [
            note(coding("X1", "Vắc xin lạ")),
            ImportNote::OldIdNumberDropped { patient: None },
            note(coding("X2", "")),
            note(coding("X1", "Vắc xin lạ")),
            note(coding("", " ")),
        ];
        assert_eq!(unknown_vaccines(&notes), vec!["Vắc xin lạ", "X2"]);
    }

    #[test]
    fn skipped_resources_name_another_persons_first_and_count_past_the_cap() {
        let skipped = |id: String, reason: SkipReason| SkippedResource {
            resource_type: "Immunization".into(),
            id: Some(id),
            reason,
        };
        let mut all: Vec<SkippedResource> = (0..SKIPPED_LISTED + 10)
            .map(|n| skipped(format!("copy-{n}"), SkipReason::Duplicate))
            .collect();
        all.push(skipped(
            "theirs".into(),
            SkipReason::OtherPatient {
                reference: "Patient/someone-else".into(),
            },
        ));
        all.push(skipped("nobody".into(), SkipReason::NoPatientReference));
        let preview = SkippedPreview::new(all);
        assert_eq!(preview.total, SKIPPED_LISTED + 12);
        assert_eq!(preview.listed.len(), SKIPPED_LISTED);
        assert_eq!(preview.more, 12);
        let ids: Vec<&str> = preview
            .listed
            .iter()
            .take(3)
            .filter_map(|s| s.id.as_deref())
            .collect();
        assert_eq!(ids, ["theirs", "nobody", "copy-0"]);

        let few = SkippedPreview::new(vec![skipped("one".into(), SkipReason::NoDate)]);
        assert_eq!((few.total, few.listed.len(), few.more), (1, 1, 0));
    }

    #[test]
    fn the_notes_saved_are_the_devices_and_the_files_new_ones() {
        use crate::audit::{Actor, RecordKindName};
        let book = generate::book(6, &BookShape::records(4));
        let note = |text: &str, at| CorrectionRequest {
            record: RecordKindName::Prescription,
            record_id: "rx-1".into(),
            note: text.into(),
            written_at: at,
            written_by: Actor::Person,
            edited: None,
        };
        let on_device = note("trên máy", datetime!(2026-12-01 9:00 +7));
        let in_file = note("trong tệp", datetime!(2026-11-01 9:00 +7));
        let pending = PendingBook::new(book.clone(), Some(&book), DEFAULT_AS_OF).with_corrections(
            &[in_file.clone(), on_device.clone()],
            std::slice::from_ref(&on_device),
        );
        assert_eq!(pending.corrections, vec![in_file, on_device]);
        assert_eq!(pending.added_corrections, 1);
        // A file without notes adds none, and the preview of a book without notes saves none.
        let none =
            PendingBook::new(book.clone(), Some(&book), DEFAULT_AS_OF).with_corrections(&[], &[]);
        assert_eq!((none.corrections.len(), none.added_corrections), (0, 0));
    }

    #[test]
    fn a_note_on_a_record_the_book_lacks_is_listed_with_other_peoples_records() {
        let skipped = |reason| SkippedResource {
            resource_type: "Task".into(),
            id: None,
            reason,
        };
        let preview = SkippedPreview::new(vec![
            skipped(SkipReason::NotReferenced),
            skipped(SkipReason::NoMatchingRecord),
        ]);
        assert_eq!(preview.listed[0].reason, SkipReason::NoMatchingRecord);
    }
}
