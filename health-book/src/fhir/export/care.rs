//! Appointments and referral slips to `Appointment` and `ServiceRequest` resources, the types
//! other systems read for re-examinations and referrals.

use time::Duration;

use super::super::care_resources::{
    Appointment, AppointmentParticipant, ServiceRequest, REFERRAL_CATEGORY_CODE, SNOMED_SYSTEM,
};
use super::*;
use crate::model::{AppointmentStatus, AppointmentTime, ReferralStatus};

/// A booked time is written with an end (R4 wants both or neither); the book keeps no length,
/// so the visit is given this many minutes.
const BOOKED_MINUTES: i64 = 30;

fn text_concept(text: &str) -> CodeableConcept {
    CodeableConcept {
        coding: Vec::new(),
        text: Some(text.into()),
    }
}

fn appointment_status(status: AppointmentStatus, when: AppointmentTime) -> &'static str {
    match status {
        // R4 (app-3): only a proposed, cancelled or waitlisted appointment may lack a start.
        // A day without a time is therefore written as proposed, with the day requested.
        AppointmentStatus::Booked if matches!(when, AppointmentTime::Day { .. }) => "proposed",
        AppointmentStatus::Booked => "booked",
        AppointmentStatus::Proposed => "proposed",
        AppointmentStatus::Fulfilled => "fulfilled",
        AppointmentStatus::Cancelled => "cancelled",
        AppointmentStatus::NoShow => "noshow",
    }
}

/// The book's appointments and referrals, with the Locations the appointments take place at.
pub(super) fn care_entries(w: &mut Writer, book: &HealthBook, patient: &Reference) {
    let mut locations: Vec<(model::Facility, String)> = Vec::new();
    for (i, a) in book.care.appointments.iter().enumerate() {
        let id = format!("{}-appt-{}", w.prefix, i + 1);
        let mut participant = vec![AppointmentParticipant {
            actor: Some(patient.clone()),
            status: Some("accepted".into()),
        }];
        if let Some(f) = &a.facility {
            let location = match locations.iter().find(|(l, _)| l == f) {
                Some((_, id)) => id.clone(),
                None => {
                    let id = format!("{}-loc-{}", w.prefix, locations.len() + 1);
                    locations.push((f.clone(), id.clone()));
                    id
                }
            };
            participant.push(AppointmentParticipant {
                actor: Some(Reference {
                    display: Some(f.name.clone()),
                    ..reference("Location", &location)
                }),
                status: Some("accepted".into()),
            });
        }
        let (start, end, requested_period) = match a.when {
            AppointmentTime::At { at } => (
                timestamp_text(at),
                timestamp_text(at + Duration::minutes(BOOKED_MINUTES)),
                Vec::new(),
            ),
            AppointmentTime::Day { on } => (
                None,
                None,
                vec![Period {
                    start: Some(date_text(on)),
                    end: Some(date_text(on)),
                }],
            ),
        };
        let resource = Appointment {
            id: Some(id.clone()),
            extension: vec![origin_ext(&a.recorded_by)],
            identifier: vec![record_id(&a.id)],
            status: Some(appointment_status(a.status, a.when).into()),
            reason_code: a.reason.iter().map(|r| text_concept(r)).collect(),
            description: None,
            start,
            end,
            requested_period,
            participant,
        };
        w.push(
            "Appointment",
            &id,
            Resource::Appointment(Box::new(resource)),
        );
    }
    for (i, r) in book.care.referrals.iter().enumerate() {
        let id = format!("{}-ref-{}", w.prefix, i + 1);
        let mut identifier = vec![record_id(&r.id)];
        identifier.extend(r.code.iter().map(|code| Identifier {
            value: Some(code.clone()),
            ..Identifier::default()
        }));
        let resource = ServiceRequest {
            id: Some(id.clone()),
            extension: vec![origin_ext(&r.recorded_by)],
            identifier,
            status: Some(
                match r.status {
                    ReferralStatus::Active => "active",
                    ReferralStatus::Completed => "completed",
                    ReferralStatus::Revoked => "revoked",
                }
                .into(),
            ),
            intent: Some("order".into()),
            category: vec![CodeableConcept {
                coding: vec![Coding {
                    system: Some(SNOMED_SYSTEM.into()),
                    code: Some(REFERRAL_CATEGORY_CODE.into()),
                    display: Some("Patient referral".into()),
                }],
                text: None,
            }],
            subject: Some(patient.clone()),
            authored_on: Some(date_text(r.issued_on)),
            occurrence_period: Some(Period {
                start: Some(date_text(r.issued_on)),
                end: r.valid_until.map(date_text),
            }),
            requester: Some(w.organization(&r.from)),
            performer: vec![w.organization(&r.to)],
            reason_code: r.reason.iter().map(|t| text_concept(t)).collect(),
        };
        w.push(
            "ServiceRequest",
            &id,
            Resource::ServiceRequest(Box::new(resource)),
        );
    }
    for (facility, id) in locations {
        let location = facility_resource(facility, &id);
        w.push("Location", &id, Resource::Location(location));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};
    use time::macros::{date, datetime};

    use crate::fhir::{export_book_json, import_book, ImportOptions, SkipReason};
    use crate::generate::{self, BookShape};
    use crate::model::{
        Appointment, AppointmentStatus, AppointmentTime, Facility, HealthBook, RecordId,
        RecordOrigin, Referral, ReferralStatus,
    };

    fn facility(code: &str, name: &str) -> Facility {
        Facility {
            code: Some(code.into()),
            name: name.into(),
        }
    }

    fn book() -> HealthBook {
        let mut b = generate::book(31, &BookShape::records(2));
        b.care.appointments = vec![
            Appointment {
                id: RecordId("ap-day".into()),
                when: AppointmentTime::Day {
                    on: date!(2026 - 04 - 02),
                },
                status: AppointmentStatus::Proposed,
                facility: Some(facility("19-011", "Trạm Y tế xã Phú Đình")),
                reason: Some("Tái khám tăng huyết áp".into()),
                recorded_by: RecordOrigin::Imported,
            },
            Appointment {
                id: RecordId("ap-booked".into()),
                when: AppointmentTime::At {
                    at: datetime!(2026-04-10 8:30 +7),
                },
                status: AppointmentStatus::Booked,
                facility: Some(facility("19-011", "Trạm Y tế xã Phú Đình")),
                reason: None,
                recorded_by: RecordOrigin::Imported,
            },
        ];
        b.care.referrals = vec![Referral {
            id: RecordId("ref-1".into()),
            code: Some("CT-2026-0042".into()),
            issued_on: date!(2026 - 03 - 20),
            from: facility("19-011", "Trạm Y tế xã Phú Đình"),
            to: facility("19-001", "Bệnh viện Trung ương Thái Nguyên"),
            reason: Some("Đái tháo đường type 2".into()),
            valid_until: Some(date!(2026 - 04 - 03)),
            status: ReferralStatus::Active,
            recorded_by: RecordOrigin::Imported,
        }];
        b
    }

    fn resources<'a>(bundle: &'a Value, kind: &str) -> Vec<&'a Value> {
        bundle["entry"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| &e["resource"])
            .filter(|r| r["resourceType"] == kind)
            .collect()
    }

    #[test]
    fn appointments_and_referrals_round_trip_as_standard_resources() {
        let b = book();
        let text = export_book_json(&b);
        let bundle: Value = serde_json::from_str(&text).unwrap();
        let appointments = resources(&bundle, "Appointment");
        assert_eq!(appointments.len(), 2);
        assert_eq!(appointments[0]["status"], "proposed");
        assert_eq!(appointments[0]["requestedPeriod"][0]["start"], "2026-04-02");
        assert_eq!(appointments[1]["status"], "booked");
        assert_eq!(appointments[1]["start"], "2026-04-10T08:30:00+07:00");
        assert!(
            appointments[1]["end"].is_string(),
            "R4: start and end together"
        );
        assert_eq!(
            resources(&bundle, "Location").len(),
            1,
            "one Location, shared"
        );
        let referral = resources(&bundle, "ServiceRequest")[0];
        assert_eq!(referral["category"][0]["coding"][0]["code"], "3457005");
        assert_eq!(referral["occurrencePeriod"]["end"], "2026-04-03");
        assert!(referral["performer"][0]["reference"]
            .as_str()
            .unwrap()
            .starts_with("Organization/"));

        let back = import_book(text.as_bytes(), &ImportOptions::default()).unwrap();
        assert!(back.report.skipped.is_empty(), "{:?}", back.report.skipped);
        assert_eq!(back.book.care, b.care);
    }

    #[test]
    fn another_person_s_appointment_or_a_lab_order_is_not_this_book_s() {
        let b = book();
        let mut bundle: Value = serde_json::from_str(&export_book_json(&b)).unwrap();
        let entries = bundle["entry"].as_array_mut().unwrap();
        entries.push(json!({"resource": {
            "resourceType": "Appointment", "id": "someone-elses", "status": "booked",
            "start": "2026-04-11T08:00:00+07:00", "end": "2026-04-11T08:30:00+07:00",
            "participant": [{"actor": {"reference": "Patient/someone-else"}, "status": "accepted"}]
        }}));
        entries.push(json!({"resource": {
            "resourceType": "ServiceRequest", "id": "lab", "status": "active", "intent": "order",
            "category": [{"coding": [{"system": "http://snomed.info/sct", "code": "108252007"}]}],
            "subject": {"reference": "Patient/p1"}, "authoredOn": "2026-03-01"
        }}));
        let text = serde_json::to_string(&bundle).unwrap();
        let back = import_book(text.as_bytes(), &ImportOptions::default()).unwrap();
        assert_eq!(back.book.care, b.care);
        let skipped: Vec<(&str, &SkipReason)> = back
            .report
            .skipped
            .iter()
            .map(|s| (s.id.as_deref().unwrap_or(""), &s.reason))
            .collect();
        assert!(skipped
            .iter()
            .any(|(id, r)| *id == "someone-elses" && matches!(r, SkipReason::OtherPatient { .. })));
        assert!(skipped
            .iter()
            .any(|(id, r)| *id == "lab" && matches!(r, SkipReason::Unsupported)));
    }
}
