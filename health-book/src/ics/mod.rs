//! iCalendar (RFC 5545) files the phone's own calendar imports, so reminders ring with no
//! network and no app running: [`writer`] writes content lines (escaping, folding, CRLF);
//! [`reminders`] turns the medicine plan and the re-examination dates into events.

pub mod reminders;
pub mod writer;

pub use reminders::{reminders_calendar, DoseReminder, ReminderWording};
