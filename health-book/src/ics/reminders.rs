//! The reminder calendar: one daily repeating event per dose time of each active medicine (until
//! its last day), one event per coming re-examination, each with an alarm.
//!
//! Dose times are floating local times (no time zone), so 7:00 rings at 7:00 wherever the phone
//! is. UIDs are stable (book, prescription, medicine, time of day), so importing a newer export
//! updates the events instead of doubling them. Doses "as directed" have no time and no event.

use time::{Date, OffsetDateTime, UtcOffset};

use super::writer::Writer;
use crate::calendar::{add_days, days_between};
use crate::medication::active_medicines;
use crate::medicine_plan::{slots_of, DoseSlot};
use crate::model::{HealthBook, MealRelation};
use crate::views::coming_up::{ComingUpView, ReExamination, ReExaminationSource};

/// The calendar's product identifier (RFC 5545 PRODID).
pub const PRODID: &str = "-//So Suc Khoe//Care plan//VI";
/// The domain part of every UID.
pub const UID_DOMAIN: &str = "so-suc-khoe.invalid";
/// A re-examination's alarm rings at 9:00 the day before (15 hours before the day starts).
pub const RE_EXAMINATION_ALARM: &str = "-PT15H";
/// A timed appointment's alarm: two hours before.
pub const APPOINTMENT_ALARM: &str = "-PT2H";

/// One dose time of one medicine, for the wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DoseReminder<'a> {
    pub medicine: &'a str,
    pub amount: Option<&'a str>,
    pub unit: Option<&'a str>,
    pub slot: DoseSlot,
    pub with_meals: Option<MealRelation>,
    pub instructions: Option<&'a str>,
}

/// The words of the events, in the reader's language (the app's translation tables).
pub trait ReminderWording {
    /// Title and description of a dose's event.
    fn dose(&self, dose: &DoseReminder<'_>) -> (String, String);
    /// Title and description of a re-examination's event.
    fn re_examination(&self, visit: &ReExamination) -> (String, String);
}

/// The whole calendar as iCalendar text (UTF-8, CRLF lines). `now` stamps the events
/// (DTSTAMP); doses start today, re-examinations already missed are left out.
pub fn reminders_calendar(
    book: &HealthBook,
    today: Date,
    now: OffsetDateTime,
    wording: &dyn ReminderWording,
) -> String {
    let mut w = Writer::new();
    let stamp = utc_stamp(now);
    let book_tag = book_tag(book);
    w.begin("VCALENDAR")
        .raw("VERSION", "2.0")
        .raw("PRODID", PRODID)
        .raw("CALSCALE", "GREGORIAN")
        .raw("METHOD", "PUBLISH");
    for a in active_medicines(book, today) {
        let days = days_between(today, a.last_day) + 1;
        let (slots, _) = slots_of(&a.medicine.dosage);
        for slot in slots {
            let Some((hour, minute)) = slot.reminder_time() else {
                continue;
            };
            let dose = DoseReminder {
                medicine: &a.medicine.name,
                amount: a.medicine.dosage.amount_per_dose.as_deref(),
                unit: a.medicine.unit.as_deref(),
                slot,
                with_meals: a.medicine.dosage.with_meals,
                instructions: a.medicine.dosage.text.as_deref(),
            };
            let (summary, description) = wording.dose(&dose);
            let uid = format!(
                "dose-{book_tag}-{}-{}-{}@{UID_DOMAIN}",
                uid_part(a.prescription.id.as_str()),
                uid_part(&a.medicine.name),
                slot_tag(slot)
            );
            w.begin("VEVENT")
                .text("UID", &uid)
                .raw("DTSTAMP", &stamp)
                .raw(
                    "DTSTART",
                    &format!("{}T{hour:02}{minute:02}00", ics_date(today)),
                )
                .raw("DURATION", "PT15M")
                .raw("RRULE", &format!("FREQ=DAILY;COUNT={days}"))
                .text("SUMMARY", &summary)
                .text("DESCRIPTION", &description)
                .raw("TRANSP", "TRANSPARENT");
            alarm(&mut w, "PT0S", &summary);
            w.end("VEVENT");
        }
    }
    for visit in ComingUpView::new(book, today).re_examinations() {
        if visit.due.is_overdue() {
            continue;
        }
        let (summary, description) = wording.re_examination(visit);
        let (kind, id, at) = match &visit.source {
            ReExaminationSource::Prescription { id, .. } => ("rx", id, None),
            ReExaminationSource::Appointment { id, at, .. } => ("appointment", id, *at),
        };
        let uid = format!(
            "visit-{book_tag}-{kind}-{}@{UID_DOMAIN}",
            uid_part(id.as_str())
        );
        w.begin("VEVENT").text("UID", &uid).raw("DTSTAMP", &stamp);
        let trigger = match at {
            Some(at) => {
                w.raw("DTSTART", &utc_stamp(at)).raw("DURATION", "PT1H");
                APPOINTMENT_ALARM
            }
            None => {
                w.raw("DTSTART;VALUE=DATE", &ics_date(visit.on))
                    .raw("DTEND;VALUE=DATE", &ics_date(add_days(visit.on, 1)));
                RE_EXAMINATION_ALARM
            }
        };
        w.text("SUMMARY", &summary)
            .text("DESCRIPTION", &description);
        if let Some(f) = &visit.facility {
            w.text("LOCATION", &f.name);
        }
        alarm(&mut w, trigger, &summary);
        w.end("VEVENT");
    }
    w.end("VCALENDAR");
    w.finish()
}

fn alarm(w: &mut Writer, trigger: &str, text: &str) {
    w.begin("VALARM")
        .raw("ACTION", "DISPLAY")
        .raw("TRIGGER", trigger)
        .text("DESCRIPTION", text)
        .end("VALARM");
}

fn ics_date(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day())
}

fn utc_stamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!(
        "{}T{:02}{:02}{:02}Z",
        ics_date(t.date()),
        t.hour(),
        t.minute(),
        t.second()
    )
}

fn slot_tag(slot: DoseSlot) -> &'static str {
    match slot {
        DoseSlot::Morning => "morning",
        DoseSlot::Noon => "noon",
        DoseSlot::Afternoon => "afternoon",
        DoseSlot::Evening => "evening",
        DoseSlot::Bedtime => "bedtime",
        DoseSlot::AsDirected => "as-directed",
    }
}

/// A UID part from any text: ASCII letters and digits kept, everything else as `_XX` hex bytes,
/// so the UID is the same for the same record on every export.
fn uid_part(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("_{b:02X}"));
        }
    }
    out
}

/// Tells two people's events apart on one phone (record IDs repeat across books) without
/// writing the citizen ID into the calendar: a 64-bit FNV-1a digest of it.
fn book_tag(book: &HealthBook) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in book.citizen_id().as_str().bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{self, BookShape};
    use crate::model::{Dosage, Medicine, RecordId, TimeOfDay};
    use time::macros::{date, datetime};

    struct Plain;
    impl ReminderWording for Plain {
        fn dose(&self, d: &DoseReminder<'_>) -> (String, String) {
            (
                format!("Uống {}", d.medicine),
                d.instructions.unwrap_or("").to_owned(),
            )
        }
        fn re_examination(&self, v: &ReExamination) -> (String, String) {
            (format!("Tái khám {}", v.on), String::new())
        }
    }

    fn book() -> HealthBook {
        let mut b = generate::book(21, &BookShape::records(1));
        let p = &mut b.prescriptions[0];
        p.id = RecordId("rx/1".into());
        p.issued_at = datetime!(2026-03-08 9:00 +7);
        p.re_examination_on = Some(date!(2026 - 03 - 20));
        let template = p.medicines[0].clone();
        p.medicines = vec![
            Medicine {
                name: "Amlodipin 5mg".into(),
                dosage: Dosage {
                    times_of_day: vec![TimeOfDay::Morning, TimeOfDay::Evening],
                    text: Some("Uống sau ăn; không nhai".into()),
                    ..Dosage::default()
                },
                duration_days: Some(10),
                ..template.clone()
            },
            Medicine {
                name: "Paracetamol".into(),
                dosage: Dosage::default(),
                duration_days: Some(10),
                ..template
            },
        ];
        b
    }

    #[test]
    fn daily_doses_repeat_until_the_last_day_and_visits_ring_the_day_before() {
        let text = reminders_calendar(
            &book(),
            date!(2026 - 03 - 10),
            datetime!(2026-03-10 8:00 +7),
            &Plain,
        );
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert_eq!(
            text.matches("BEGIN:VEVENT").count(),
            3,
            "two dose times, one visit"
        );
        // Issued 8 March for 10 days: the 10th to the 17th is 8 days.
        assert_eq!(text.matches("RRULE:FREQ=DAILY;COUNT=8").count(), 2);
        assert!(text.contains("DTSTART:20260310T070000\r\n"));
        assert!(text.contains("DTSTART:20260310T183000\r\n"));
        assert!(text.contains("DTSTART;VALUE=DATE:20260320\r\n"));
        assert!(text.contains("TRIGGER:-PT15H\r\n"));
        assert!(text.contains("DTSTAMP:20260310T010000Z\r\n"));
        assert!(text.contains("DESCRIPTION:Uống sau ăn\\; không nhai\r\n"));
        assert!(text.contains("UID:dose-"), "{text}");
        assert!(text.contains("-rx_2F1-Amlodipin_205mg-morning@"));
        assert!(!text.contains(book().citizen_id().as_str()));
    }

    #[test]
    fn uids_are_stable_across_exports() {
        let uids = |today, now| -> Vec<String> {
            reminders_calendar(&book(), today, now, &Plain)
                .split("\r\n")
                .filter(|l| l.starts_with("UID:"))
                .map(str::to_owned)
                .collect()
        };
        assert_eq!(
            uids(date!(2026 - 03 - 10), datetime!(2026-03-10 8:00 +7)),
            uids(date!(2026 - 03 - 12), datetime!(2026-03-12 20:00 +7)),
        );
    }

    #[test]
    fn a_missed_visit_has_no_event() {
        let text = reminders_calendar(
            &book(),
            date!(2026 - 03 - 21),
            datetime!(2026-03-21 8:00 +7),
            &Plain,
        );
        assert!(!text.contains("VALUE=DATE"));
    }
}
