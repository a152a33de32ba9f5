//! The meaning of a Vietnamese electronic health book ("Sổ sức khỏe điện tử").
//!
//! Pure Rust with no browser dependency: the web app (`app/`) is a thin shell that stores these
//! types in IndexedDB and renders them. Everything that decides what a record *means* (is this
//! citizen ID valid, is this prescription still current, which vaccine is overdue, what does the
//! check-in QR say) lives here and is tested natively.
//!
//! Functions that depend on "now" take the date as an argument: the shell reads the clock.
//!
//! # Map
//!
//! - [`model`]: the book and its records (serde data, stored as is).
//! - [`ids`]: citizen ID, old identity card, insurance code, prescription code; each parses to a
//!   type that only holds a well-formed value, with a typed error otherwise.
//! - [`tables`]: code tables as data (provinces, beneficiary groups, vaccines, childhood schedule),
//!   each entry named in Vietnamese and English.
//! - [`validate`]: findings with a field path, a severity and a typed kind for the app to
//!   translate.
//! - [`schedule`]: childhood schedule status, adults' next doses, history by disease.
//! - [`medication`], [`insurance`], [`calendar`]: what a prescription, a card or a birth date
//!   means today.
//! - [`medicine_plan`]: today's doses by time of day, the taken/skipped history, what runs out.
//! - [`ics`]: the reminder calendar (iCalendar) of the medicine plan and re-examinations.
//! - [`checkin`]: the check-in payload in the chip card's QR layout and its QR matrix.
//! - [`fhir`]: FHIR R4 Bundle import and export.
//! - `generate` (cargo feature `generate`, and in this crate's tests): deterministic realistic
//!   books for tests and benchmarks.
//! - [`sync`]: sync with a FHIR R4 server (find by citizen ID, full and incremental fetch,
//!   retries), over a transport the app provides.
//! - [`device`]: the lock of a personal or shared device: key slots, secrets, failed attempts.
//! - [`eviction`]: noticing that the browser evicted the books (a marker outside the database).
//! - [`views`]: what each screen shows (lists, search, ranking, next and due), as plain data.
//! - [`audit`]: the device's tamper-evident audit log, the patient's access list, AuditEvent export.
//! - [`corrections`]: "Report an error" notes on records, exported as FHIR change Tasks.
//! - [`redact`]: diagnostic text with every personal value taken out, for the console.

pub mod audit;
pub mod calendar;
pub mod checkin;
pub mod corrections;
pub mod device;
pub mod entry;
pub mod eviction;
pub mod fhir;
#[cfg(any(test, feature = "generate"))]
pub mod generate;
pub mod ics;
pub mod ids;
pub mod import_pieces;
pub mod insurance;
pub mod medication;
pub mod medicine_plan;
pub mod model;
pub mod redact;
pub mod schedule;
pub mod sync;
pub mod tables;
pub mod tagged;
pub mod text;
pub mod validate;
pub mod views;

pub use ids::{
    AddressKey, CitizenId, CitizenIdError, CitizenIdMismatch, InsuranceCode, InsuranceCodeError,
    OldIdNumber, OldIdNumberError, PrescriptionCode, PrescriptionCodeError,
};
pub use model::*;
