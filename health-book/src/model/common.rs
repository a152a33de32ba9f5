use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::dates;
use crate::device::DeviceMode;

/// Stable identifier of a record inside one book (the FHIR resource id when the record came from a
/// server, a generated one otherwise). Used to replace or delete exactly that record on refresh.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RecordId(pub String);

impl RecordId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A coded concept (vaccine, disease): a code from a code system and the text people read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coding {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    pub code: String,
    pub display: String,
}

/// A health facility: commune station, district or provincial hospital, clinic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facility {
    /// Facility code as written on insurance cards, e.g. "19-011" (province + 3 digits), or the
    /// national facility code of a prescription.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub name: String,
}

/// Who put a record into this book. Only a sync from the configured server makes a record
/// `Synced` (a file's claim is never believed, see `fhir::import_file`); every other record is
/// unverified. Records entered on this device (by staff or by the person) are the only copy of
/// them: a sync or an import never overwrites or drops one (`sync::merge::keep_device_records`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum RecordOrigin {
    /// Fetched from a health-system server (FHIR base URL).
    Synced { source: String },
    /// Read from a file the person or staff imported.
    Imported,
    /// Typed in on this device by a member of staff on the person's behalf.
    EnteredByStaff {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        staff: Option<String>,
        /// The kind of device it was typed on (records from older versions do not say).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        device: Option<DeviceMode>,
        #[serde(with = "dates::timestamp")]
        at: OffsetDateTime,
    },
    /// Typed in by the person themself on their own device.
    SelfReported {
        #[serde(with = "dates::timestamp")]
        at: OffsetDateTime,
    },
}
crate::tag_first!(RecordOrigin, "kind");

impl RecordOrigin {
    /// Whether the health system stands behind this record.
    pub fn is_verified(&self) -> bool {
        matches!(self, RecordOrigin::Synced { .. })
    }

    /// Typed in on a device (by staff or by the person): the book's own records, which only the
    /// device can correct or remove, and which no sync or import replaces.
    pub fn is_device_entry(&self) -> bool {
        matches!(
            self,
            RecordOrigin::EnteredByStaff { .. } | RecordOrigin::SelfReported { .. }
        )
    }
}
