//! Vietnamese identifiers: citizen ID (CCCD), old identity card (CMND), health insurance code
//! (BHYT), national prescription code. Each is a type that can only hold a well-formed value;
//! parsing never panics and reports a typed reason.

mod address_key;
mod citizen_id;
mod insurance_code;
mod old_id;
mod prescription_code;

pub use address_key::{AddressKey, AddressKeyError, ADDRESS_KEY_BYTES};
pub use citizen_id::{CitizenId, CitizenIdError, CitizenIdMismatch};
pub use insurance_code::{InsuranceCode, InsuranceCodeError, InsuranceCodeForm};
pub use old_id::{OldIdNumber, OldIdNumberError};
pub use prescription_code::{PrescriptionCode, PrescriptionCodeError};
