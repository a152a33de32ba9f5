//! FHIR R4 JSON exchange: a book to a Bundle and back.
//!
//! # Mapping
//!
//! | Book | FHIR |
//! |---|---|
//! | profile | `Patient`: identifiers with the VN Core systems (CCCD `national_id`, whose `period.start` is the card's issue date; old CMND `citizen_id`; BHYT `insurance_number`, whose `period` is the card's validity and whose [`ext::INSURANCE_FACILITY`] extension references the registration facility), `name[0].text` (family and given also written for other tools), `birthDate`, `gender`, `address[0].text`, `telecom` phone, `contact[0]` emergency contact |
//! | allergy | `AllergyIntolerance` (`code.text`, `clinicalStatus` active, `patient`); import skips resolved, inactive, refuted and entered-in-error ones and "no known allergy" statements, each reported |
//! | chronic condition | `Condition` with `category` problem-list-item (import also takes LOINC 75326-9 "Problem", as IPS documents write it, or no category when no prescription uses it as a diagnosis), `code.text`, `subject` |
//! | blood group | `Observation` LOINC 882-1, `valueCodeableConcept` the SNOMED CT group ([`blood_group`]) with its text ("AB+"); import also reads the written forms of other systems |
//! | older backups | the Patient extensions [`ext::BLOOD_GROUP`], [`ext::ALLERGY`], [`ext::CHRONIC_CONDITION`] are still read (never written); a fact in both forms is listed once |
//! | medicine someone reports taking | `MedicationStatement` (what an IPS lists) is read as the `MedicationRequest` it stands for: one prescription each, dated from `effective[x]` or `dateAsserted` (a month completed to its first day) |
//! | vaccination | `Immunization` (`vaccineCode`, `occurrenceDateTime`, `lotNumber`, `manufacturer.display`, `performer` with an `Organization` actor for the facility and a function-`AP` actor for the person who administered it, `protocolApplied[0]` dose number, series doses and target diseases) |
//! | vaccination's next dose | `ImmunizationRecommendation` whose `supportingImmunization` is that Immunization and whose `dateCriterion` (LOINC 30980-7) is the due date |
//! | prescription | one `MedicationRequest` per medicine, grouped by `groupIdentifier` = prescription code; `authoredOn` the issue time; `requester` the prescriber (`Practitioner`); `reasonCode` the ICD-10 diagnoses; `note[0]` the advice; the facility in the [`ext::PRESCRIPTION_FACILITY`] extension (import also takes it from an `Organization` `performer` or `requester`, or the `Encounter`'s `serviceProvider`); the type letter's kind and the follow-up date as extensions |
//! | medicine | `medicationCodeableConcept.text` the name (import also reads a referenced `Medication`), `dispenseRequest.quantity` and `.expectedSupplyDuration` (days), `dosageInstruction[0]`: `text`, `route.text`, `timing.repeat.frequency` per day, `timing.repeat.when` (MORN, NOON, AFT, EVE, HS for the time of day; AC, PC, C for meals), the amount per dose as written in [`ext::DOSE_AMOUNT`]; active ingredient, strength and form as extensions |
//! | record id | identifier [`RECORD_ID_SYSTEM`] (import falls back to the resource id) |
//! | `RecordOrigin` | extension [`ext::RECORD_ORIGIN`] on every record; without it, import uses the caller's default; a file's "synced" is never believed ([`import_file`]) |
//! | `Provenance` | extension [`ext::BOOK_PROVENANCE`] on the Patient; without it, import takes `meta.versionId`/`meta.lastUpdated` and the caller's source |
//!
//! Extensions live under `https://so-suc-khoe.example/fhir/StructureDefinition/`.
//!
//! [`ips`] writes the same resources as an International Patient Summary `document`; import
//! reads `document` Bundles like any other (their `Composition` is the table of contents).
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
//! While reading, a file is refused when a resource the book reads holds a string longer than
//! [`ImportLimits::max_string_bytes`] (64 KiB), when it has more than
//! [`ImportLimits::max_entries`] entries (50,000), or when one book would get more than
//! [`ImportLimits::max_records_per_book`] records (10,000). The reasons for each number are on
//! its constant. [`import_resources`] (a sync's parsed resources, no text) checks none of them:
//! its caller bounds what it reads.
//!
//! # Whose records
//!
//! A record (Immunization, ImmunizationRecommendation, MedicationRequest, MedicationStatement,
//! AllergyIntolerance, problem-list Condition, blood-group Observation) belongs to the Patient
//! its `patient`/`subject` reference resolves to in the file, and to no one else: a record is
//! never given to the file's only Patient because it is the only one. References resolve by an
//! entry's `fullUrl` (so `urn:uuid:` references of transaction Bundles work), by a relative
//! `Type/id`, or by the `Type/id` at the end of an absolute URL (version suffix ignored) when
//! the entry it finds has no RESTful `fullUrl` on another server. A reference that resolves to
//! no Patient of the file (`Patient/someone-else`) is skipped as [`SkipReason::OtherPatient`]. A
//! record with no reference, only a display name, or a reference to a Patient contained in the
//! record itself (`#p1`: a copy, not the file's person) names no one in the file and is skipped
//! as [`SkipReason::NoPatientReference`]; FHIR R4 requires the reference on all three. Each
//! skip is listed in the import preview with its reason.
//!
//! # Duplicates
//!
//! The same record twice (same record ID in one book; the same MedicationRequest twice in one
//! prescription) is kept once and reported as [`SkipReason::Duplicate`]. Every check is a hash
//! look-up, so a file of duplicates costs time in proportion to its size.

pub mod blood_group;
mod export;
mod import;
pub mod ips;
mod profile_resources;
pub mod resources;
// Care plan (issue 19)
pub mod care_resources;

pub use export::{export_book, export_book_json, export_books, export_books_json};
// The export of every book, written book by book (issue 17).
mod export_stream;
pub use export_stream::BundleWriter;
pub use import::{
    distrust_file, import_book, import_books, import_file, import_resources, BookImport,
    BooksImport, ImportError, ImportNote, ImportOptions, ImportReport, PatientProblem, SkipReason,
    SkippedResource,
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
/// `Condition.category` of a problem-list entry (a chronic condition), and the LOINC "Problem"
/// category the International Patient Summary's examples use for the same.
pub const PROBLEM_LIST_ITEM: &str = "problem-list-item";
pub const LOINC_PROBLEM: &str = "75326-9";
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
    /// On a correction note's `Task`: who last changed its words (`valueReference`, written as
    /// the `requester` is), beside `lastModified`, when. FHIR's Task has no element for it.
    pub const NOTE_EDITED_BY: &str =
        "https://so-suc-khoe.example/fhir/StructureDefinition/note-edited-by";
}

/// Most bytes a file may have. The largest realistic book (5,000 prescriptions, in `bench/`) is
/// about 12 MB; a phone parses 20 MB in well under a second and holds it comfortably.
pub const MAX_IMPORT_BYTES: usize = 20 * 1024 * 1024;
/// The longest the data worker importing a file may send the page nothing before it is taken
/// for dead and the import ends with its own message. It reports every megabyte it reads and
/// sends the books piece by piece; its longest quiet step is mapping the whole file once read,
/// about a second for the largest file allowed on a laptop, which a slow phone takes many times
/// over.
pub const IMPORT_WORKER_SILENCE_MS: u32 = 60_000;
/// Deepest nesting of arrays and objects: FHIR resources nest about 8 levels; a Bundle of
/// Bundles a few more. Deeper input is an attack on the parser's recursion, refused by a scan.
pub const MAX_IMPORT_DEPTH: usize = 64;
/// Longest string (in UTF-8 bytes) in a resource the book reads. The longest text a book holds
/// (an address, advice, a dosage note) is a few hundred bytes and a server's generated narrative
/// a few KB; 64 KiB is far above both, and keeps one string from swelling a book, its storage
/// and every screen that shows it. Resources the book does not read (a `Binary` holding a
/// scan, say), an Attachment's `data` (a photo) and the narrative `div` are not checked: the
/// book never reads them.
pub const MAX_IMPORT_STRING_BYTES: usize = 64 * 1024;
/// Most entries in a file, counting those of inner Bundles. The 12 MB bench book has about
/// 10,000; a real entry is at least a few hundred bytes, so 50,000 is more than 20 MB of real
/// records can hold, and only a file of near-empty entries made to create work reaches it.
pub const MAX_IMPORT_ENTRIES: usize = 50_000;
/// Most records (vaccinations plus prescriptions) one book may have. A lifetime of monthly
/// visits is about 1,000 prescriptions; the bench book has 5,060 records. Twice that is room for
/// any real person and still a book every screen lists in reasonable time.
pub const MAX_RECORDS_PER_BOOK: usize = 10_000;

/// Limits on an imported file: bytes and depth before parsing; strings, entries and records
/// per book while reading. Each refusal is its own [`ImportError`] variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportLimits {
    pub max_bytes: usize,
    pub max_depth: usize,
    pub max_string_bytes: usize,
    pub max_entries: usize,
    pub max_records_per_book: usize,
}

impl Default for ImportLimits {
    fn default() -> Self {
        ImportLimits {
            max_bytes: MAX_IMPORT_BYTES,
            max_depth: MAX_IMPORT_DEPTH,
            max_string_bytes: MAX_IMPORT_STRING_BYTES,
            max_entries: MAX_IMPORT_ENTRIES,
            max_records_per_book: MAX_RECORDS_PER_BOOK,
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
