//! The health book and its records, as stored on the device and exchanged with servers.
//!
//! These are plain serde data: no behaviour that needs a browser, no reactive state.

mod book;
mod care;
mod common;
pub mod dates;
mod prescription;
mod profile;
mod vaccination;

pub use book::*;
pub use care::*;
pub use common::*;
pub use prescription::*;
pub use profile::*;
pub use vaccination::*;
