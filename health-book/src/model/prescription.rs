use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::{dates, Facility, RecordId, RecordOrigin};

/// A national e-prescription ("đơn thuốc điện tử").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prescription {
    pub id: RecordId,
    /// National prescription code, e.g. "40618R001935-c". Kept as issued;
    /// `crate::ids::PrescriptionCode` parses it.
    pub code: String,
    pub kind: PrescriptionKind,
    #[serde(with = "dates::timestamp")]
    pub issued_at: OffsetDateTime,
    pub facility: Facility,
    pub prescriber: Prescriber,
    #[serde(default)]
    pub diagnoses: Vec<Diagnosis>,
    #[serde(default)]
    pub medicines: Vec<Medicine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advice: Option<String>,
    /// Date of the follow-up visit ("tái khám").
    #[serde(
        default,
        with = "dates::date::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub re_examination_on: Option<Date>,
    pub recorded_by: RecordOrigin,
}

/// The type letter at the end of a prescription code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrescriptionKind {
    /// `c`: ordinary medicines.
    Basic,
    /// `n`: narcotic medicines.
    Narcotic,
    /// `h`: psychotropic medicines and precursors.
    Psychotropic,
    /// `y`: traditional medicine.
    Traditional,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prescriber {
    pub name: String,
    /// Practising certificate code ("mã chứng chỉ hành nghề").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub practitioner_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnosis {
    /// ICD-10 code, e.g. "J06.9".
    pub icd10: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Medicine {
    /// Brand or generic name as prescribed ("Paracetamol 500mg").
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_ingredient: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strength: Option<String>,
    /// Dosage form ("viên nén", "siro").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    pub dosage: Dosage,
    /// For how many days from the date of issue the medicine is taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_days: Option<u32>,
}

/// How to take a medicine, structured so the app can write it out as a full sentence in the
/// reader's language; `text` keeps the prescriber's own words when they came as free text.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Dosage {
    /// Amount per dose in `Medicine::unit`, as written ("1", "1/2", "5 ml").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_per_dose: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times_per_day: Option<u32>,
    #[serde(default)]
    pub times_of_day: Vec<TimeOfDay>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_meals: Option<MealRelation>,
    /// Route ("uống" = by mouth).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    /// Free-text instructions from the prescriber.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeOfDay {
    Morning,
    Noon,
    Afternoon,
    Evening,
    Bedtime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MealRelation {
    BeforeMeals,
    AfterMeals,
    WithMeals,
}
