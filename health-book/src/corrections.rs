//! Correction requests: "Report an error" on a record. The note is kept on the device apart
//! from the records (a refresh from the health system replaces records, never notes), shown
//! with the record, printed for the facility that wrote it, and exported.
//!
//! Exported as a FHIR R4 `Task` with code `change` ("change the focal resource"), `focus` the
//! record (by its identifier), `for` the patient, `description` the note, status `requested`
//! and intent `proposal`. A Task, because the note asks someone to do something to another
//! resource and has a life of its own (requested, then done or rejected), which is what Task
//! models. An `Annotation` on the record would travel inside the very data the facility must
//! correct, and be lost whenever the record is replaced from the source; a `Flag` warns about
//! the patient, not about a record; a `Communication` records a message that was sent, with no
//! status for the fix.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::audit::fhir::STAFF_SLOT_SYSTEM;
use crate::audit::{Actor, RecordKindName};
use crate::fhir::{export_books, FULL_URL_BASE, NATIONAL_ID_SYSTEM, RECORD_ID_SYSTEM};
use crate::{CitizenId, HealthBook};

/// The longest note accepted (a paragraph, not a letter).
pub const MAX_NOTE_CHARS: usize = 1000;

/// What is wrong with a record, as written on the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionRequest {
    pub record: RecordKindName,
    pub record_id: String,
    pub note: String,
    #[serde(with = "time::serde::rfc3339")]
    pub written_at: OffsetDateTime,
    pub written_by: Actor,
    /// The last time the note's words were changed after it was written, and by whom. Shown
    /// under the note, so a reader knows the words are not the first ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited: Option<NoteEdit>,
}

/// Who last changed a note's words, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteEdit {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub by: Actor,
}

/// Which note: its record and the moment it was first written, which an edit never changes.
/// (Two notes on one record are never written in the same millisecond by one person.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteKey {
    pub record: RecordKindName,
    pub record_id: String,
    pub written_at: OffsetDateTime,
    pub written_by: Actor,
}

impl CorrectionRequest {
    pub fn key(&self) -> NoteKey {
        NoteKey {
            record: self.record,
            record_id: self.record_id.clone(),
            written_at: self.written_at,
            written_by: self.written_by.clone(),
        }
    }

    fn is(&self, key: &NoteKey) -> bool {
        self.record == key.record
            && self.record_id == key.record_id
            && self.written_at == key.written_at
            && self.written_by == key.written_by
    }

    /// When the note's words were last set: written, or edited since.
    pub fn last_changed(&self) -> OffsetDateTime {
        self.edited.as_ref().map_or(self.written_at, |e| e.at)
    }
}

/// A change to a note already kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteChange {
    /// New words (checked as a new note's are).
    Edit(String),
    Remove,
}

/// What a change did, for the access log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteChanged {
    Edited,
    Removed,
    /// The new words are the old ones: nothing to save or log.
    Unchanged,
}

/// Why a change was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ChangeRefused {
    #[error("the note is no longer kept on this device")]
    Gone,
    #[error("the new words are not a note: {0:?}")]
    Note(NoteProblem),
}

/// The one rule for changing a kept note: the words are checked as a new note's are, an edit
/// keeps who wrote it and when and records who changed it, and a removal takes it out.
pub fn change_note(
    all: &mut Vec<CorrectionRequest>,
    key: &NoteKey,
    change: NoteChange,
    by: Actor,
    at: OffsetDateTime,
) -> Result<NoteChanged, ChangeRefused> {
    let index = all
        .iter()
        .position(|n| n.is(key))
        .ok_or(ChangeRefused::Gone)?;
    match change {
        NoteChange::Remove => {
            all.remove(index);
            Ok(NoteChanged::Removed)
        }
        NoteChange::Edit(text) => {
            let words = check_note(&text).map_err(ChangeRefused::Note)?;
            let note = &mut all[index];
            if note.note == words {
                return Ok(NoteChanged::Unchanged);
            }
            note.note = words;
            note.edited = Some(NoteEdit { at, by });
            Ok(NoteChanged::Edited)
        }
    }
}

/// Why a note is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteProblem {
    Empty,
    TooLong { max: usize },
}

/// The note as it will be kept (trimmed), or why it cannot be.
pub fn check_note(text: &str) -> Result<String, NoteProblem> {
    let note = text.trim();
    if note.is_empty() {
        return Err(NoteProblem::Empty);
    }
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(NoteProblem::TooLong {
            max: MAX_NOTE_CHARS,
        });
    }
    Ok(note.to_owned())
}

/// The requests about one record, oldest first.
pub fn for_record<'a>(
    all: &'a [CorrectionRequest],
    record: RecordKindName,
    record_id: &str,
) -> Vec<&'a CorrectionRequest> {
    all.iter()
        .filter(|c| c.record == record && c.record_id == record_id)
        .collect()
}

/// The one rule for notes when an incoming book (a file's) replaces the device's: every note
/// written on the device stays (a note is the only copy of it, like a record typed in), and an
/// incoming note the device already has (the same note, by [`NoteKey`]) is not added twice: of
/// the two, the words changed last are kept, so restoring an older backup does not bring back
/// the words an edit replaced. The result is oldest first. Returns how many incoming notes were
/// new.
pub fn keep_device_notes(
    incoming: &mut Vec<CorrectionRequest>,
    current: &[CorrectionRequest],
) -> usize {
    let mut all = current.to_vec();
    incoming.retain(|note| {
        let key = note.key();
        match all.iter_mut().find(|mine| mine.is(&key)) {
            Some(mine) => {
                if note.last_changed() > mine.last_changed() {
                    *mine = note.clone();
                }
                false
            }
            None => true,
        }
    });
    let added = incoming.len();
    all.append(incoming);
    // Stable: notes written at the same moment keep the device's order, then the file's.
    all.sort_by_key(|note| note.written_at);
    *incoming = all;
    added
}

/// The FHIR resource type a note's record is exported as.
pub fn resource_type(record: RecordKindName) -> &'static str {
    match record {
        RecordKindName::Vaccination => "Immunization",
        RecordKindName::Prescription => "MedicationRequest",
    }
}

/// The kind of record a Task's focus names, when the book has such records.
pub fn record_kind(resource_type: &str) -> Option<RecordKindName> {
    [RecordKindName::Vaccination, RecordKindName::Prescription]
        .into_iter()
        .find(|kind| self::resource_type(*kind) == resource_type)
}

/// Who wrote a note, as the Task's `requester`: a staff member by name and key slot (as the
/// access log's `AuditEvent`s name them; a restored backup signs the note as before), the person
/// by their citizen ID.
fn requester(by: &Actor, citizen_id: &CitizenId) -> Value {
    match by {
        Actor::Staff { slot, name } => json!({
            "display": name,
            "identifier": {"system": STAFF_SLOT_SYSTEM, "value": slot.to_string()},
        }),
        Actor::Person => json!({
            "type": "Patient",
            "identifier": {"system": NATIONAL_ID_SYSTEM, "value": citizen_id.as_str()},
            "display": "patient",
        }),
        Actor::Unknown => json!({"display": "unknown"}),
    }
}

/// One request as a FHIR `Task` (see the module comment for why a Task).
pub fn correction_task(request: &CorrectionRequest, citizen_id: &CitizenId, n: usize) -> Value {
    let mut task = json!({
        "resourceType": "Task",
        "id": format!("correction-{}-{n}", citizen_id.as_str()),
        "status": "requested",
        "intent": "proposal",
        "code": {"coding": [{
            "system": "http://hl7.org/fhir/CodeSystem/task-code",
            "code": "change",
            "display": "Change the focal resource",
        }]},
        "focus": {
            "type": resource_type(request.record),
            "identifier": {"system": RECORD_ID_SYSTEM, "value": request.record_id},
        },
        "for": {"identifier": {"system": NATIONAL_ID_SYSTEM, "value": citizen_id.as_str()}},
        "authoredOn": request.written_at.format(&Rfc3339).unwrap_or_default(),
        "lastModified": request.last_changed().format(&Rfc3339).unwrap_or_default(),
        "requester": requester(&request.written_by, citizen_id),
        "description": request.note,
    });
    if let Some(edit) = &request.edited {
        task["extension"] = json!([{
            "url": crate::fhir::ext::NOTE_EDITED_BY,
            "valueReference": requester(&edit.by, citizen_id),
        }]);
    }
    task
}

/// One book's correction requests as Bundle entries (Task resources), in the order written.
pub fn correction_entries(citizen_id: &CitizenId, requests: &[CorrectionRequest]) -> Vec<Value> {
    requests
        .iter()
        .enumerate()
        .map(|(n, request)| {
            let task = correction_task(request, citizen_id, n);
            json!({
                "fullUrl": format!("{FULL_URL_BASE}Task/{}", task["id"].as_str().unwrap_or_default()),
                "resource": task,
            })
        })
        .collect()
}

/// Books exported as one Bundle (as `fhir::export_books`), with each book's correction
/// requests as Task entries after its records.
pub fn export_with_corrections(books: &[(&HealthBook, &[CorrectionRequest])]) -> Value {
    let owned: Vec<HealthBook> = books.iter().map(|(b, _)| (*b).clone()).collect();
    let mut bundle = serde_json::to_value(export_books(&owned)).unwrap_or(Value::Null);
    if let Some(entries) = bundle.get_mut("entry").and_then(Value::as_array_mut) {
        for (book, requests) in books {
            entries.extend(correction_entries(book.citizen_id(), requests));
        }
    }
    bundle
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{self, BookShape};
    use time::macros::datetime;

    fn request(record_id: &str) -> CorrectionRequest {
        CorrectionRequest {
            record: RecordKindName::Vaccination,
            record_id: record_id.into(),
            note: "Sai ngày tiêm: đúng là 12/03/2024".into(),
            written_at: datetime!(2026-12-01 10:40 +7),
            written_by: Actor::Staff {
                slot: 1,
                name: "Lan".into(),
            },
            edited: None,
        }
    }

    #[test]
    fn a_note_is_trimmed_and_must_say_something_short() {
        assert_eq!(check_note("  sai liều  "), Ok("sai liều".into()));
        assert_eq!(check_note(" \n "), Err(NoteProblem::Empty));
        assert_eq!(
            check_note(&"a".repeat(MAX_NOTE_CHARS + 1)),
            Err(NoteProblem::TooLong {
                max: MAX_NOTE_CHARS
            })
        );
        assert!(check_note(&"ơ".repeat(MAX_NOTE_CHARS)).is_ok());
    }

    #[test]
    fn a_record_lists_only_its_own_requests() {
        let all = [request("a"), request("b"), request("a")];
        assert_eq!(for_record(&all, RecordKindName::Vaccination, "a").len(), 2);
        assert!(for_record(&all, RecordKindName::Prescription, "a").is_empty());
    }

    #[test]
    fn requests_are_exported_as_change_tasks_on_their_record() {
        let book = generate::book(5, &BookShape::records(10));
        let id = book.vaccinations[0].id.as_str().to_owned();
        let requests = [request(&id)];
        let bundle = export_with_corrections(&[(&book, &requests)]);
        let tasks: Vec<&Value> = bundle["entry"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| &e["resource"])
            .filter(|r| r["resourceType"] == "Task")
            .collect();
        assert_eq!(tasks.len(), 1);
        let task = tasks[0];
        assert_eq!(task["code"]["coding"][0]["code"], "change");
        assert_eq!(task["status"], "requested");
        assert_eq!(task["focus"]["type"], "Immunization");
        assert_eq!(task["focus"]["identifier"]["value"], id.as_str());
        assert_eq!(
            task["for"]["identifier"]["value"],
            book.citizen_id().as_str()
        );
        assert_eq!(task["description"], "Sai ngày tiêm: đúng là 12/03/2024");
        assert_eq!(task["requester"]["display"], "Lan");
        // The book itself is exported as before.
        assert!(bundle["entry"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["resource"]["resourceType"] == "Patient"));
    }

    fn notes_of(book: &HealthBook) -> Vec<CorrectionRequest> {
        vec![
            request(book.vaccinations[0].id.as_str()),
            CorrectionRequest {
                record: RecordKindName::Prescription,
                record_id: book.prescriptions[0].id.as_str().to_owned(),
                note: "Thiếu liều buổi tối".into(),
                written_at: datetime!(2026-12-01 20:05 +7),
                written_by: Actor::Person,
                edited: None,
            },
            CorrectionRequest {
                written_by: Actor::Unknown,
                written_at: datetime!(2026-11-30 8:00 UTC),
                ..request(book.vaccinations[1].id.as_str())
            },
        ]
    }

    fn restore(bundle: &Value) -> crate::fhir::BooksImport {
        crate::fhir::import_file(
            bundle.to_string().as_bytes(),
            Some("backup.json"),
            crate::fhir::ImportLimits::default(),
        )
        .expect("the backup imports")
    }

    #[test]
    fn a_restored_backup_brings_back_every_note_of_every_book() {
        let (a, b) = (
            generate::book(7, &BookShape::records(10)),
            generate::book(8, &BookShape::records(10)),
        );
        let (notes_a, notes_b) = (notes_of(&a), notes_of(&b)[..1].to_vec());
        let bundle = export_with_corrections(&[(&a, &notes_a), (&b, &notes_b)]);
        let restored = restore(&bundle);
        assert_eq!(restored.corrections_of(a.citizen_id()), notes_a.as_slice());
        assert_eq!(restored.corrections_of(b.citizen_id()), notes_b.as_slice());
        assert!(
            !restored
                .report
                .skipped
                .iter()
                .any(|s| s.resource_type == "Task"),
            "{:?}",
            restored.report.skipped
        );
    }

    #[test]
    fn a_note_on_a_record_of_someone_else_is_left_out_and_reported() {
        use crate::fhir::SkipReason;
        let (a, b) = (
            generate::book(9, &BookShape::records(6)),
            generate::book(10, &BookShape::records(6)),
        );
        // Only a's book is in the file; one note names b, one names a but b's record.
        let mut bundle = export_with_corrections(&[(&a, &[])]);
        let about_b = correction_task(&request(b.vaccinations[0].id.as_str()), b.citizen_id(), 0);
        let mut wrong_record = correction_task(&request("not-in-the-book"), a.citizen_id(), 1);
        wrong_record["focus"]["type"] = json!("Immunization");
        let mut by_reference =
            correction_task(&request(a.vaccinations[0].id.as_str()), a.citizen_id(), 2);
        by_reference["for"] = json!({"reference": "Patient/someone-else"});
        let entries = bundle["entry"].as_array_mut().unwrap();
        for task in [about_b, wrong_record, by_reference] {
            entries.push(json!({"resource": task}));
        }
        let restored = restore(&bundle);
        assert!(restored.corrections_of(a.citizen_id()).is_empty());
        assert!(restored.corrections_of(b.citizen_id()).is_empty());
        let reasons: Vec<&SkipReason> = restored
            .report
            .skipped
            .iter()
            .filter(|s| s.resource_type == "Task")
            .map(|s| &s.reason)
            .collect();
        assert!(
            matches!(reasons[0], SkipReason::OtherPatient { .. }),
            "{reasons:?}"
        );
        assert_eq!(reasons[1], &SkipReason::NoMatchingRecord);
        assert_eq!(
            reasons[2],
            &SkipReason::OtherPatient {
                reference: "Patient/someone-else".into()
            }
        );
        assert_eq!(reasons.len(), 3);
    }

    #[test]
    fn a_note_named_twice_in_a_file_is_kept_once() {
        let book = generate::book(11, &BookShape::records(6));
        let note = request(book.vaccinations[0].id.as_str());
        let bundle = export_with_corrections(&[(&book, &[note.clone(), note.clone()])]);
        let restored = restore(&bundle);
        assert_eq!(restored.corrections_of(book.citizen_id()), &[note]);
    }

    #[test]
    fn an_import_keeps_every_device_note_and_adds_only_new_ones() {
        let book = generate::book(12, &BookShape::records(6));
        let [older, newer, file_only] = [
            datetime!(2026-11-01 9:00 +7),
            datetime!(2026-12-01 9:00 +7),
            datetime!(2026-11-15 9:00 +7),
        ]
        .map(|at| CorrectionRequest {
            written_at: at,
            ..request(book.vaccinations[0].id.as_str())
        });
        let device = vec![older.clone(), newer.clone()];
        // The backup holds one of the device's notes and one the device no longer has.
        let mut incoming = vec![newer.clone(), file_only.clone()];
        let added = keep_device_notes(&mut incoming, &device);
        assert_eq!(added, 1);
        assert_eq!(incoming, vec![older, file_only, newer]);
        // Importing the same file again adds nothing.
        let again = incoming.clone();
        let mut twice = again.clone();
        assert_eq!(keep_device_notes(&mut twice, &again), 0);
        assert_eq!(twice, again);
    }

    fn lan() -> Actor {
        Actor::Staff {
            slot: 2,
            name: "Lan".into(),
        }
    }

    #[test]
    fn an_edit_keeps_the_author_and_records_who_changed_the_words() {
        let mut all = vec![request("v1"), request("v2")];
        let key = all[1].key();
        let at = datetime!(2026-12-02 8:00 +7);
        let changed = change_note(
            &mut all,
            &key,
            NoteChange::Edit("  Sai lô vắc xin  ".into()),
            lan(),
            at,
        );
        assert_eq!(changed, Ok(NoteChanged::Edited));
        assert_eq!(all[1].note, "Sai lô vắc xin");
        assert_eq!(all[1].written_by, request("v2").written_by);
        assert_eq!(all[1].written_at, request("v2").written_at);
        assert_eq!(all[1].edited, Some(NoteEdit { at, by: lan() }));
        assert_eq!(all[1].last_changed(), at);
        // The other note is untouched, and the edited one is still found by its key.
        assert_eq!(all[0], request("v1"));
        assert_eq!(all[1].key(), key);
    }

    #[test]
    fn an_edit_is_checked_as_a_new_note_and_the_same_words_change_nothing() {
        let mut all = vec![request("v1")];
        let key = all[0].key();
        let at = datetime!(2026-12-02 8:00 +7);
        assert_eq!(
            change_note(&mut all, &key, NoteChange::Edit(" ".into()), lan(), at),
            Err(ChangeRefused::Note(NoteProblem::Empty))
        );
        let same = format!(" {} ", request("v1").note);
        assert_eq!(
            change_note(&mut all, &key, NoteChange::Edit(same), lan(), at),
            Ok(NoteChanged::Unchanged)
        );
        assert_eq!(all, vec![request("v1")]);
    }

    #[test]
    fn a_removed_note_is_gone_and_cannot_be_changed_again() {
        let mut all = vec![request("v1"), request("v2")];
        let key = all[0].key();
        let at = datetime!(2026-12-02 8:00 +7);
        assert_eq!(
            change_note(&mut all, &key, NoteChange::Remove, lan(), at),
            Ok(NoteChanged::Removed)
        );
        assert_eq!(all, vec![request("v2")]);
        assert_eq!(
            change_note(&mut all, &key, NoteChange::Remove, lan(), at),
            Err(ChangeRefused::Gone)
        );
        assert_eq!(
            change_note(&mut all, &key, NoteChange::Edit("x".into()), lan(), at),
            Err(ChangeRefused::Gone)
        );
    }

    #[test]
    fn an_older_backup_does_not_bring_back_the_words_an_edit_replaced() {
        let book = generate::book(12, &BookShape::records(6));
        let first = request(book.vaccinations[0].id.as_str());
        let mut device = vec![first.clone()];
        let key = first.key();
        let at = datetime!(2026-12-02 8:00 +7);
        change_note(
            &mut device,
            &key,
            NoteChange::Edit("Sai liều".into()),
            lan(),
            at,
        )
        .unwrap();
        // The backup was written before the edit.
        let mut incoming = vec![first.clone()];
        assert_eq!(keep_device_notes(&mut incoming, &device), 0);
        assert_eq!(incoming, device);
        // A newer backup (edited since on another device) brings its words.
        let mut newer = device[0].clone();
        newer.note = "Sai liều và sai ngày".into();
        newer.edited = Some(NoteEdit {
            at: datetime!(2026-12-03 8:00 +7),
            by: Actor::Person,
        });
        let mut incoming = vec![newer.clone()];
        assert_eq!(keep_device_notes(&mut incoming, &device), 0);
        assert_eq!(incoming, vec![newer]);
    }

    #[test]
    fn an_edited_note_comes_back_from_a_backup_with_who_edited_it() {
        let book = generate::book(12, &BookShape::records(6));
        let mut notes = vec![request(book.vaccinations[0].id.as_str())];
        let key = notes[0].key();
        let at = datetime!(2026-12-02 8:00 +7);
        change_note(
            &mut notes,
            &key,
            NoteChange::Edit("Sai liều".into()),
            lan(),
            at,
        )
        .unwrap();
        let bundle = export_with_corrections(&[(&book, &notes)]);
        let task = bundle["entry"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| &e["resource"])
            .find(|r| r["resourceType"] == "Task")
            .unwrap();
        assert_eq!(task["lastModified"], "2026-12-02T08:00:00+07:00");
        assert_eq!(task["authoredOn"], "2026-12-01T10:40:00+07:00");
        let restored = restore(&bundle);
        assert_eq!(restored.corrections_of(book.citizen_id()), notes.as_slice());
        // A note never edited comes back without an edit.
        let plain = vec![request(book.vaccinations[0].id.as_str())];
        let restored = restore(&export_with_corrections(&[(&book, &plain)]));
        assert_eq!(restored.corrections_of(book.citizen_id()), plain.as_slice());
    }
}
