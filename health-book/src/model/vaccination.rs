use serde::{Deserialize, Serialize};
use time::Date;

use super::{dates, Coding, Facility, RecordId, RecordOrigin};

/// One vaccine dose given to the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vaccination {
    pub id: RecordId,
    /// Vaccine (code from the VN Core vaccine value set where known, and its name).
    pub vaccine: Coding,
    /// Disease(s) this dose protects against.
    #[serde(default)]
    pub target_diseases: Vec<Coding>,
    /// Which dose of the series this is (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dose_number: Option<u32>,
    /// How many doses the series has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series_doses: Option<u32>,
    #[serde(with = "dates::date")]
    pub date: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufacturer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facility: Option<Facility>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub administered_by: Option<String>,
    #[serde(
        default,
        with = "dates::date::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub next_dose_due: Option<Date>,
    pub recorded_by: RecordOrigin,
}
