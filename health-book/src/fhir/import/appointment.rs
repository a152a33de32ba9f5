//! `Appointment` to a re-examination of the book.

use super::super::care_resources::Appointment;
use super::*;
use crate::model::{self, AppointmentStatus, AppointmentTime, RecordId};

impl Reader<'_> {
    /// The patient an Appointment is for: the participant whose actor is a Patient of the file,
    /// else the first naming a Patient at all (so another person's is reported as such). Others
    /// are the facility and the practitioner: Appointments list people among participants.
    pub(super) fn appointment_patient(&self, a: &Appointment) -> Option<Reference> {
        let actors = || a.participant.iter().filter_map(|p| p.actor.as_ref());
        actors()
            .find(|r| {
                self.resolve(Some(r))
                    .is_some_and(|i| self.entries[i].resource_type == "Patient")
            })
            .or_else(|| {
                actors().find(|r| {
                    r.reference
                        .as_deref()
                        .is_some_and(|t| t.contains("Patient/"))
                })
            })
            .cloned()
    }
}

/// An Appointment's status in the book's words; `None` for one entered in error.
fn status(code: Option<&str>) -> Option<AppointmentStatus> {
    Some(match code.unwrap_or("proposed") {
        "booked" => AppointmentStatus::Booked,
        "arrived" | "fulfilled" | "checked-in" => AppointmentStatus::Fulfilled,
        "cancelled" => AppointmentStatus::Cancelled,
        "noshow" => AppointmentStatus::NoShow,
        "entered-in-error" => return None,
        // proposed, pending, waitlist, and codes this version does not know.
        _ => AppointmentStatus::Proposed,
    })
}

impl Reader<'_> {
    pub(super) fn appointment(
        &mut self,
        a: &Appointment,
        entry: usize,
    ) -> Result<model::Appointment, SkipReason> {
        let status = status(a.status.as_deref()).ok_or(SkipReason::NotCompleted {
            status: "entered-in-error".into(),
        })?;
        let invalid = |value: &String| SkipReason::InvalidDate {
            value: value.clone(),
        };
        let when = match (&a.start, a.requested_period.first()) {
            // A day alone (not valid for `start`, but written by some systems) is a day.
            (Some(start), _) if start.trim().len() == 10 => AppointmentTime::Day {
                on: parse_date(start).ok_or_else(|| invalid(start))?,
            },
            (Some(start), _) => AppointmentTime::At {
                at: parse_instant(start).ok_or_else(|| invalid(start))?,
            },
            (None, Some(period)) => {
                let text = period.start.as_ref().ok_or(SkipReason::NoDate)?;
                AppointmentTime::Day {
                    on: parse_date(text).ok_or_else(|| invalid(text))?,
                }
            }
            (None, None) => return Err(SkipReason::NoDate),
        };
        let facility = a
            .participant
            .iter()
            .filter_map(|p| p.actor.as_ref())
            .find_map(|r| self.facility_or_display(r));
        let reason = a
            .reason_code
            .iter()
            .find_map(concept_text)
            .or_else(|| a.description.clone());
        let id = identifier_value(&a.identifier, RECORD_ID_SYSTEM)
            .or_else(|| a.id.clone())
            .unwrap_or_else(|| format!("appointment-{entry}"));
        Ok(model::Appointment {
            id: RecordId(id),
            when,
            status,
            facility,
            reason,
            recorded_by: self.origin(&a.extension),
        })
    }

    /// The facility a reference names: an Organization or Location of the file, else the
    /// reference's display text when it does not point at a person.
    pub(super) fn facility_or_display(&mut self, r: &Reference) -> Option<Facility> {
        if let Some(f) = self.organization(Some(r)) {
            return Some(f);
        }
        let target = r.reference.as_deref().unwrap_or("");
        let names_a_place =
            target.is_empty() || target.contains("Organization/") || target.contains("Location/");
        r.display
            .clone()
            .filter(|d| names_a_place && !d.trim().is_empty())
            .map(|name| Facility { code: None, name })
    }
}
