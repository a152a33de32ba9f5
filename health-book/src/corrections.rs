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

fn resource_type(record: RecordKindName) -> &'static str {
    match record {
        RecordKindName::Vaccination => "Immunization",
        RecordKindName::Prescription => "MedicationRequest",
    }
}

/// One request as a FHIR `Task` (see the module comment for why a Task).
pub fn correction_task(request: &CorrectionRequest, citizen_id: &CitizenId, n: usize) -> Value {
    let requester = match &request.written_by {
        Actor::Staff { name, .. } => name.clone(),
        Actor::Person => "patient".to_owned(),
        Actor::Unknown => "unknown".to_owned(),
    };
    json!({
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
        "requester": {"display": requester},
        "description": request.note,
    })
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
}
