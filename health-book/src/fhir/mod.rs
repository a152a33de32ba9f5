//! FHIR R4 JSON exchange: a book to a Bundle and back.
//!
//! # Mapping
//!
//! | Book | FHIR |
//! |---|---|
//! | profile | `Patient`: identifiers with the VN Core systems (CCCD `national_id`, whose `period.start` is the card's issue date; old CMND `citizen_id`; BHYT `insurance_number`, whose `period` is the card's validity and whose [`ext::INSURANCE_FACILITY`] extension references the registration facility), `name[0].text` (family and given also written for other tools), `birthDate`, `gender`, `address[0].text`, `telecom` phone, `contact[0]` emergency contact; blood group, allergies and chronic conditions as extensions |
//! | vaccination | `Immunization` (`vaccineCode`, `occurrenceDateTime`, `lotNumber`, `manufacturer.display`, `performer` with an `Organization` actor for the facility and a function-`AP` actor for the person who administered it, `protocolApplied[0]` dose number, series doses and target diseases) |
//! | vaccination's next dose | `ImmunizationRecommendation` whose `supportingImmunization` is that Immunization and whose `dateCriterion` (LOINC 30980-7) is the due date |
//! | prescription | one `MedicationRequest` per medicine, grouped by `groupIdentifier` = prescription code; `authoredOn` the issue time; `requester` the prescriber (`Practitioner`); `reasonCode` the ICD-10 diagnoses; `note[0]` the advice; the facility in the [`ext::PRESCRIPTION_FACILITY`] extension (import also takes it from an `Organization` `performer` or `requester`, or the `Encounter`'s `serviceProvider`); the type letter's kind and the follow-up date as extensions |
//! | medicine | `medicationCodeableConcept.text` the name (import also reads a referenced `Medication`), `dispenseRequest.quantity` and `.expectedSupplyDuration` (days), `dosageInstruction[0]`: `text`, `route.text`, `timing.repeat.frequency` per day, `timing.repeat.when` (MORN, NOON, AFT, EVE, HS for the time of day; AC, PC, C for meals), the amount per dose as written in [`ext::DOSE_AMOUNT`]; active ingredient, strength and form as extensions |
//! | record id | identifier [`RECORD_ID_SYSTEM`] (import falls back to the resource id) |
//! | `RecordOrigin` | extension [`ext::RECORD_ORIGIN`] on every record; without it, import uses the caller's default |
//! | `Provenance` | extension [`ext::BOOK_PROVENANCE`] on the Patient; without it, import takes `meta.versionId`/`meta.lastUpdated` and the caller's source |
//!
//! Extensions live under `https://so-suc-khoe.example/fhir/StructureDefinition/`.
//!
//! # Several books in one file
//!
//! "Export every book on this device" writes one `collection` Bundle with several Patients, each
//! record pointing at its own Patient (`patient` or `subject`). Any FHIR tool reads it as is.
//! [`import_books`] reads it back, and also reads a Bundle whose entries are Bundles.
//! [`import_resources`] maps resources already parsed (a sync's copy of a server record) the
//! same way, with no text in between.
//!
//! # Limits
//!
//! Input is refused before parsing when larger than [`ImportLimits::max_bytes`] (20 MB by default)
//! or nested deeper than [`ImportLimits::max_depth`] (64), by a byte scan that needs no memory.

mod export;
mod import;
pub mod resources;

pub use export::{export_book, export_book_json, export_books, export_books_json};
pub use import::{
    import_book, import_books, import_resources, BookImport, BooksImport, ImportError, ImportNote,
    ImportOptions, ImportReport, PatientProblem, SkipReason, SkippedResource,
};

/// Identifier systems of the Vietnamese FHIR core guide (VN Core).
pub const NATIONAL_ID_SYSTEM: &str = "http://fhir.ehealth.gov.vn/core/sid/national_id";
pub const OLD_ID_SYSTEM: &str = "http://fhir.ehealth.gov.vn/core/sid/citizen_id";
pub const INSURANCE_NUMBER_SYSTEM: &str = "http://fhir.ehealth.gov.vn/core/sid/insurance_number";

/// This project's identifier systems [no national system is published for these].
pub const RECORD_ID_SYSTEM: &str = "https://so-suc-khoe.example/fhir/sid/record-id";
pub const PRESCRIPTION_CODE_SYSTEM: &str = "https://so-suc-khoe.example/fhir/sid/prescription-code";
pub const FACILITY_CODE_SYSTEM: &str = "https://so-suc-khoe.example/fhir/sid/facility-code";
pub const PRACTISING_CERTIFICATE_SYSTEM: &str =
    "https://so-suc-khoe.example/fhir/sid/practising-certificate";

pub const ICD10_SYSTEM: &str = "http://hl7.org/fhir/sid/icd-10";
pub const LOINC_SYSTEM: &str = "http://loinc.org";
/// LOINC "Date vaccine due".
pub const DATE_VACCINE_DUE: &str = "30980-7";
/// Base of the `fullUrl` of exported entries, so relative references resolve per the spec.
pub const FULL_URL_BASE: &str = "https://so-suc-khoe.example/fhir/";

/// Extension URLs.
pub mod ext {
    pub const RECORD_ORIGIN: &str =
        "https://so-suc-khoe.example/fhir/StructureDefinition/record-origin";
    pub const BOOK_PROVENANCE: &str =
        "https://so-suc-khoe.example/fhir/StructureDefinition/book-provenance";
    pub const BLOOD_GROUP: &str =
        "https://so-suc-khoe.example/fhir/StructureDefinition/blood-group";
    pub const ALLERGY: &str = "https://so-suc-khoe.example/fhir/StructureDefinition/allergy";
    pub const CHRONIC_CONDITION: &str =
        "https://so-suc-khoe.example/fhir/StructureDefinition/chronic-condition";
    pub const INSURANCE_FACILITY: &str =
        "https://so-suc-khoe.example/fhir/StructureDefinition/insurance-registered-facility";
    pub const PRESCRIPTION_KIND: &str =
        "https://so-suc-khoe.example/fhir/StructureDefinition/prescription-kind";
    pub const PRESCRIPTION_FACILITY: &str =
        "https://so-suc-khoe.example/fhir/StructureDefinition/prescription-facility";
    pub const RE_EXAMINATION: &str =
        "https://so-suc-khoe.example/fhir/StructureDefinition/re-examination-date";
    pub const WITHOUT_MEDICINE: &str =
        "https://so-suc-khoe.example/fhir/StructureDefinition/prescription-without-medicine";
    pub const ACTIVE_INGREDIENT: &str =
        "https://so-suc-khoe.example/fhir/StructureDefinition/active-ingredient";
    pub const STRENGTH: &str =
        "https://so-suc-khoe.example/fhir/StructureDefinition/medicine-strength";
    pub const FORM: &str = "https://so-suc-khoe.example/fhir/StructureDefinition/medicine-form";
    pub const DOSE_AMOUNT: &str =
        "https://so-suc-khoe.example/fhir/StructureDefinition/dose-amount";
}

/// Limits on input, checked before parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportLimits {
    pub max_bytes: usize,
    pub max_depth: usize,
}

impl Default for ImportLimits {
    fn default() -> Self {
        ImportLimits {
            max_bytes: 20 * 1024 * 1024,
            max_depth: 64,
        }
    }
}

/// Whether JSON text nests arrays and objects deeper than `limit`. Brackets inside strings do not
/// count. Works on any bytes: it only looks for quotes, backslashes and brackets.
pub fn nesting_exceeds(bytes: &[u8], limit: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in bytes {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests;
