//! Today's medicines as a plan: which doses of the active prescriptions fall at which time of
//! day, what the person marked taken or skipped, and which medicines run out soon.
//!
//! What the plan can derive from a prescription's dosage:
//! - times of day written on it ("sáng, chiều") are the doses' slots;
//! - only a count per day ("ngày 2 lần") is spread over the day by [`slots::spread`], the
//!   usual convention (morning and evening for two), and the plan says it was spread;
//! - only free text ("uống khi đau") gives no time: the plan holds one dose "as directed" per
//!   day with the prescriber's words, which the person marks like any other.
//! - A medicine without a duration is not in the plan: the book cannot tell whether it is still
//!   taken (the same rule as [`crate::medication::active_medicines`]).

pub mod day;
pub mod log;
pub mod next;
pub mod runs_out;
pub mod slots;

pub use day::{DayPlan, PlannedDose, SlotDoses};
pub use log::{DoseKey, DoseLog, DoseMark, Mark};
pub use next::{next_reminder, NextReminder};
pub use runs_out::{runs_out, RunsOut, RunsOutKind};
pub use slots::{slots_of, DoseSlot, SlotSource};
