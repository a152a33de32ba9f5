use serde::{Deserialize, Serialize};
use time::Date;

use super::{dates, Facility};
use crate::ids::{CitizenId, OldIdNumber};

/// Who the book belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// Full name as on the citizen ID card, with diacritics, Unicode NFC ("Nguyễn Thị Ngọc Ánh").
    pub full_name: String,
    #[serde(with = "dates::date")]
    pub date_of_birth: Date,
    pub sex: Sex,
    pub citizen_id: CitizenId,
    /// The 9-digit identity card number that preceded the CCCD, when the person had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_id_number: Option<OldIdNumber>,
    /// Issue date of the chip card, printed as the last field of the card's QR.
    #[serde(
        default,
        with = "dates::date::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub card_issued_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_insurance: Option<HealthInsuranceCard>,
    /// Permanent address as on the card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blood_group: Option<BloodGroup>,
    #[serde(default)]
    pub allergies: Vec<String>,
    #[serde(default)]
    pub chronic_conditions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emergency_contact: Option<EmergencyContact>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

/// Health insurance (BHYT) card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthInsuranceCard {
    /// Card code: the legacy 15-character form or the 10-digit social insurance number. Kept as
    /// printed; `crate::ids::InsuranceCode` parses it (legacy data may not parse and is still shown).
    pub code: String,
    #[serde(
        default,
        with = "dates::date::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub valid_from: Option<Date>,
    #[serde(
        default,
        with = "dates::date::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub valid_to: Option<Date>,
    /// The facility of initial registration ("nơi đăng ký khám chữa bệnh ban đầu").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered_facility: Option<Facility>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BloodGroup {
    #[serde(rename = "A+")]
    APositive,
    #[serde(rename = "A-")]
    ANegative,
    #[serde(rename = "B+")]
    BPositive,
    #[serde(rename = "B-")]
    BNegative,
    #[serde(rename = "AB+")]
    AbPositive,
    #[serde(rename = "AB-")]
    AbNegative,
    #[serde(rename = "O+")]
    OPositive,
    #[serde(rename = "O-")]
    ONegative,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmergencyContact {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationship: Option<String>,
    pub phone: String,
}
