//! `Task` (code `change`) to a correction note ("Báo lỗi") on one of the book's records: what
//! `corrections::correction_task` exports, read back so a restored backup keeps its notes.
//!
//! A note is kept only when it names a Patient of the file (by citizen ID, or by reference) and
//! its focus is a record of that same person's book. A note about anyone else's record, or
//! about a record the book does not have, is left out and reported, as another person's records
//! are: a file must not attach words to a record it does not hold.

use serde::Deserialize;

use super::*;
use crate::audit::fhir::STAFF_SLOT_SYSTEM;
use crate::audit::Actor;
use crate::corrections::{check_note, record_kind, CorrectionRequest, NoteEdit};

/// The FHIR task code of a request to change the focal resource.
const CHANGE_CODE: &str = "change";

/// The parts of a Task a correction note is read from.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct Task {
    status: Option<String>,
    code: Option<CodeableConcept>,
    focus: Option<TaskReference>,
    #[serde(rename = "for")]
    for_: Option<TaskReference>,
    authored_on: Option<String>,
    last_modified: Option<String>,
    requester: Option<TaskReference>,
    description: Option<String>,
    extension: Vec<TaskExtension>,
}

/// An extension of a Task: the one read is who last changed a note's words.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct TaskExtension {
    url: String,
    value_reference: Option<TaskReference>,
}

/// A Reference with the `type` and `identifier` a Task's focus and patient are written with.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct TaskReference {
    reference: Option<String>,
    #[serde(rename = "type")]
    type_: Option<String>,
    identifier: Option<Identifier>,
    display: Option<String>,
}

impl TaskReference {
    fn identifier_in(&self, system: &str) -> Option<&str> {
        self.identifier
            .as_ref()
            .filter(|i| i.system.as_deref() == Some(system))
            .and_then(|i| i.value.as_deref())
    }

    fn as_reference(&self) -> Reference {
        Reference {
            reference: self.reference.clone(),
            display: self.display.clone(),
        }
    }
}

/// Whether a Task is a correction note: coded `change`. Other tasks have no place in the book.
pub(super) fn is_correction(task: &Task) -> bool {
    task.code
        .iter()
        .flat_map(|c| &c.coding)
        .any(|c| c.code.as_deref() == Some(CHANGE_CODE))
}

/// Who wrote the note: a staff member of a device (their slot and name), the person, or, for a
/// requester this app did not write, nobody known.
fn written_by(requester: Option<&TaskReference>) -> Actor {
    let Some(requester) = requester else {
        return Actor::Unknown;
    };
    if let Some(slot) = requester
        .identifier_in(STAFF_SLOT_SYSTEM)
        .and_then(|s| s.parse().ok())
    {
        return Actor::Staff {
            slot,
            name: requester.display.clone().unwrap_or_default(),
        };
    }
    if requester.type_.as_deref() == Some("Patient")
        || requester.identifier_in(NATIONAL_ID_SYSTEM).is_some()
    {
        return Actor::Person;
    }
    Actor::Unknown
}

impl Reader<'_> {
    /// The book a note belongs to: the Patient its `for` names, by citizen ID or by reference.
    fn note_book(
        &self,
        task: &Task,
        books: &[HealthBook],
        book_of: &HashMap<usize, usize>,
    ) -> Result<usize, SkipReason> {
        let patient = task.for_.as_ref().ok_or(SkipReason::NoPatientReference)?;
        if let Some(citizen) = patient.identifier_in(NATIONAL_ID_SYSTEM) {
            return books
                .iter()
                .position(|b| b.citizen_id().as_str() == citizen)
                .ok_or_else(|| SkipReason::OtherPatient {
                    reference: format!("Patient?identifier={NATIONAL_ID_SYSTEM}|{citizen}"),
                });
        }
        let entry = self.owner(Some(&patient.as_reference()))?;
        book_of
            .get(&entry)
            .copied()
            .ok_or(SkipReason::PatientNotImported)
    }

    /// A correction Task as a note on a record of its patient's book, and which book.
    pub(super) fn correction(
        &self,
        task: &Task,
        books: &[HealthBook],
        book_of: &HashMap<usize, usize>,
    ) -> Result<(usize, CorrectionRequest), SkipReason> {
        if let Some(status) = task
            .status
            .as_deref()
            .filter(|s| matches!(*s, "entered-in-error" | "cancelled"))
        {
            return Err(SkipReason::NotCompleted {
                status: status.to_owned(),
            });
        }
        let book_index = self.note_book(task, books, book_of)?;
        let book = &books[book_index];
        let focus = task.focus.as_ref().ok_or(SkipReason::NoMatchingRecord)?;
        let record = focus
            .type_
            .as_deref()
            .and_then(record_kind)
            .ok_or(SkipReason::NoMatchingRecord)?;
        let record_id = focus
            .identifier_in(RECORD_ID_SYSTEM)
            .ok_or(SkipReason::NoMatchingRecord)?;
        let in_book = match record {
            crate::audit::RecordKindName::Vaccination => {
                book.vaccinations.iter().any(|v| v.id.as_str() == record_id)
            }
            crate::audit::RecordKindName::Prescription => book
                .prescriptions
                .iter()
                .any(|p| p.id.as_str() == record_id),
        };
        if !in_book {
            return Err(SkipReason::NoMatchingRecord);
        }
        let authored = task.authored_on.as_ref().ok_or(SkipReason::NoDate)?;
        let written_at = parse_instant(authored).ok_or_else(|| SkipReason::InvalidDate {
            value: authored.clone(),
        })?;
        let note =
            check_note(task.description.as_deref().unwrap_or_default()).map_err(|problem| {
                SkipReason::Malformed {
                    detail: format!("description: {problem:?}"),
                }
            })?;
        // Changed after it was written: when (`lastModified`) and by whom (the extension).
        let edited = match task.last_modified.as_ref() {
            None => None,
            Some(value) => {
                let at = parse_instant(value).ok_or_else(|| SkipReason::InvalidDate {
                    value: value.clone(),
                })?;
                let by = task
                    .extension
                    .iter()
                    .find(|e| e.url == crate::fhir::ext::NOTE_EDITED_BY)
                    .and_then(|e| e.value_reference.as_ref());
                (at > written_at).then(|| NoteEdit {
                    at,
                    by: written_by(by),
                })
            }
        };
        Ok((
            book_index,
            CorrectionRequest {
                record,
                record_id: record_id.to_owned(),
                note,
                written_at,
                written_by: written_by(task.requester.as_ref()),
                edited,
            },
        ))
    }
}
