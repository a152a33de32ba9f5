//! The meaning of a Vietnamese electronic health book ("Sổ sức khỏe điện tử").
//!
//! Pure Rust with no browser dependency: the web app (`app/`) is a thin shell that stores these
//! types in IndexedDB and renders them. Everything that decides what a record *means* (is this
//! citizen ID valid, is this prescription still current, which vaccine is overdue, what does the
//! check-in QR say) lives here and is tested natively.
//!
//! Functions that depend on "now" take the date as an argument: the shell reads the clock.

pub mod calendar;
pub mod checkin;
pub mod fhir;
pub mod generate;
pub mod ids;
pub mod insurance;
pub mod medication;
pub mod model;
pub mod schedule;
pub mod tables;
pub mod text;
pub mod validate;

pub use ids::{
    CitizenId, CitizenIdError, CitizenIdMismatch, InsuranceCode, InsuranceCodeError, OldIdNumber,
    OldIdNumberError, PrescriptionCode, PrescriptionCodeError,
};
pub use model::*;
