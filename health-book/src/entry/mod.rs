//! Records typed in on the device: a member of staff adding a vaccination or a prescription on a
//! patient's behalf (Shared mode), or the person adding their own (self-reported). The forms hold
//! text as typed; this module turns it into a record or says exactly what is wrong, and decides
//! which records the device may correct or remove (only its own entries, never synced data).

pub mod edit;
pub mod fields;
pub mod prescription;
pub mod vaccination;

use time::OffsetDateTime;

use crate::device::DeviceMode;
use crate::model::{RecordId, RecordOrigin};

pub use edit::{remove_entry, save_entry, Entry, EntryError};
pub use prescription::{DiagnosisForm, MedicineForm, PrescriptionForm};
pub use vaccination::{suggest_dose, DoseSuggestion, VaccinationForm};

/// Who is typing the record in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Author {
    /// The unlocked staff member of a shared device, on the patient's behalf.
    Staff { name: String, device: DeviceMode },
    /// The person themself, on their own device.
    Person,
}

impl Author {
    /// The record's provenance: entered by this staff member on this kind of device, or
    /// self-reported, at `at`.
    pub fn origin(&self, at: OffsetDateTime) -> RecordOrigin {
        match self {
            Author::Staff { name, device } => RecordOrigin::EnteredByStaff {
                staff: Some(name.clone()),
                device: Some(*device),
                at,
            },
            Author::Person => RecordOrigin::SelfReported { at },
        }
    }
}

/// A new device record's ID, from random bytes the caller draws: "device-" and 16 hex digits,
/// apart from the IDs servers give.
pub fn new_record_id(random: [u8; 8]) -> RecordId {
    let hex: String = random.iter().map(|b| format!("{b:02x}")).collect();
    RecordId(format!("device-{hex}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn staff_and_person_entries_carry_their_provenance() {
        let at = datetime!(2026-12-01 10:32 +7);
        let staff = Author::Staff {
            name: "Y tá Lan".into(),
            device: DeviceMode::Shared,
        };
        assert_eq!(
            staff.origin(at),
            RecordOrigin::EnteredByStaff {
                staff: Some("Y tá Lan".into()),
                device: Some(DeviceMode::Shared),
                at
            }
        );
        assert_eq!(Author::Person.origin(at), RecordOrigin::SelfReported { at });
        assert!(staff.origin(at).is_device_entry() && !staff.origin(at).is_verified());
    }

    #[test]
    fn device_record_ids_are_hex_after_a_prefix() {
        assert_eq!(
            new_record_id([0, 1, 2, 0xab, 0xcd, 0xef, 0x10, 0xff]).as_str(),
            "device-000102abcdef10ff"
        );
    }
}
