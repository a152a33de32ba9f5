//! Vietnamese identifiers: citizen ID (CCCD), old identity card (CMND), health insurance code
//! (BHYT), national prescription code. Each is a type that can only hold a well-formed value.

mod citizen_id;

pub use citizen_id::{CitizenId, CitizenIdError, OldIdNumber};
