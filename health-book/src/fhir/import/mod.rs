//! A FHIR Bundle (collection, searchset, transaction, or a Bundle of Bundles) to books.
//!
//! Keeps what it understands and reports the rest: one bad resource never fails the whole
//! bundle; only a missing or unusable Patient does.

use std::collections::{HashMap, HashSet};

use serde::de::DeserializeOwned;
use serde_json::Value;
use thiserror::Error;
use time::OffsetDateTime;

use super::resources::*;
use super::*;
use crate::corrections::CorrectionRequest;
use crate::ids::CitizenIdError;
use crate::model::{BookSource, Facility, HealthBook, Profile, Provenance, RecordOrigin};
use crate::CitizenId;

mod from_file;
mod immunization;
mod limits;
mod medication_request;
mod medication_statement;
mod patient;
mod profile_records;
mod references;
#[cfg(test)]
mod tests;
mod values;
// Care plan (issue 19)
mod appointment;
mod service_request;
// Correction notes (issue 15 follow-up)
mod task;

pub use from_file::{distrust_file, import_file};
use immunization::DueCandidates;
use limits::string_over;
use values::*;

/// How to read a bundle that does not say where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOptions {
    /// Where the book came from, when the bundle carries no book provenance of this app.
    pub source: BookSource,
    /// Origin of records that carry no record-origin extension (a server's own data: `Synced`).
    pub default_origin: RecordOrigin,
    /// When the bundle was fetched, for `Provenance::last_synced_at`.
    pub fetched_at: Option<OffsetDateTime>,
    pub limits: ImportLimits,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            source: BookSource::Imported { file_name: None },
            default_origin: RecordOrigin::Imported,
            fetched_at: None,
            limits: ImportLimits::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error, serde::Serialize, serde::Deserialize)]
pub enum ImportError {
    #[error("the file has {size} bytes, more than the {limit} allowed")]
    TooLarge { size: usize, limit: usize },
    #[error("the JSON nests deeper than {limit} levels")]
    TooDeep { limit: usize },
    #[error("not JSON (line {line}, column {column})")]
    NotJson { line: usize, column: usize },
    #[error("not a FHIR Bundle")]
    NotABundle { found: Option<String> },
    #[error("bundle type {found} cannot be imported")]
    UnsupportedBundleType { found: String },
    #[error("the bundle has no Patient")]
    NoPatient,
    #[error("the bundle has {count} Patients where one was expected")]
    SeveralPatients { count: usize },
    // The kind only: the problem can hold the birth date or citizen ID as written, and this text
    // reaches console lines.
    #[error("the Patient cannot be used: {}", problem.kind())]
    InvalidPatient {
        id: Option<String>,
        problem: PatientProblem,
    },
    /// A resource the book reads holds a string over [`ImportLimits::max_string_bytes`].
    #[error("a {resource_type} holds a string of {size} bytes, more than the {limit} allowed")]
    StringTooLong {
        resource_type: String,
        size: usize,
        limit: usize,
    },
    /// More entries than [`ImportLimits::max_entries`], inner Bundles' included.
    #[error("the file has more than {limit} entries")]
    TooManyEntries { limit: usize },
    /// One book would get more records than [`ImportLimits::max_records_per_book`].
    #[error("a book would have {count} records, more than the {limit} allowed")]
    TooManyRecords { count: usize, limit: usize },
}

/// Why a Patient cannot become a book.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PatientProblem {
    Malformed { detail: String },
    NoCitizenId,
    CitizenId(CitizenIdError),
    NoName,
    NoBirthDate,
    InvalidBirthDate { value: String },
}

impl PatientProblem {
    /// What is wrong, without the values that are wrong (they are the person's data).
    pub fn kind(&self) -> &'static str {
        match self {
            PatientProblem::Malformed { .. } => "malformed",
            PatientProblem::NoCitizenId => "no citizen ID",
            PatientProblem::CitizenId(_) => "invalid citizen ID",
            PatientProblem::NoName => "no name",
            PatientProblem::NoBirthDate => "no birth date",
            PatientProblem::InvalidBirthDate { .. } => "invalid birth date",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SkipReason {
    /// The resource does not have the FHIR shape (a field of the wrong type).
    Malformed {
        detail: String,
    },
    /// A resource type the book has no place for.
    Unsupported,
    /// An entry with no resource (a transaction's DELETE, for instance).
    NoResource,
    /// Its patient reference names a Patient that is not in the file (another person's record,
    /// `Patient/someone-else`), or a resource that is no Patient.
    OtherPatient {
        reference: String,
    },
    /// Names no Patient of the file: no patient reference, only a display name, or a Patient
    /// contained in the record itself. Never given to the file's Patient on a guess.
    NoPatientReference,
    /// Belongs to a Patient that could not be imported.
    PatientNotImported,
    /// Status `entered-in-error` or `not-done`.
    NotCompleted {
        status: String,
    },
    NoVaccine,
    NoDate,
    InvalidDate {
        value: String,
    },
    NoMedication,
    /// A recommendation for which no vaccination of the book could be found.
    NoMatchingImmunization,
    /// An Organization, Practitioner, Condition, Encounter or Medication no imported record uses.
    NotReferenced,
    /// The same record twice.
    Duplicate,
    /// A Patient of a multi-book file that could not be imported.
    InvalidPatient(PatientProblem),
    // The profile's standing facts (issue 19)
    /// An allergy or condition that is resolved, inactive or refuted: not the person's now.
    NotCurrent {
        status: String,
    },
    /// A statement that there is none ("no known allergy"): nothing to list.
    NoneKnown,
    /// A correction note whose record is not in its person's book (another person's record, or
    /// one the file does not hold).
    NoMatchingRecord,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SkippedResource {
    pub resource_type: String,
    pub id: Option<String>,
    pub reason: SkipReason,
}

/// Something kept, but not exactly as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportNote {
    /// A partial birth date ("1950", "1950-03") completed to the first day.
    BirthDateCompleted {
        patient: Option<String>,
        given: String,
    },
    /// No usable gender: the sex was taken from the citizen ID.
    SexFromCitizenId { patient: Option<String> },
    /// An old identity card number that does not parse, left out.
    OldIdNumberDropped { patient: Option<String> },
    /// A vaccine neither the vaccine table nor its aliases know: kept as written, shown as an
    /// unknown vaccine.
    UnknownVaccine {
        immunization: Option<String>,
        vaccine: crate::model::Coding,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportReport {
    pub skipped: Vec<SkippedResource>,
    pub notes: Vec<ImportNote>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookImport {
    pub book: HealthBook,
    pub report: ImportReport,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BooksImport {
    pub books: Vec<HealthBook>,
    pub report: ImportReport,
    /// The correction notes of each book, by citizen ID, in the file's order (`Task` entries
    /// on a record of that same person's book; others are in the report).
    pub corrections: HashMap<CitizenId, Vec<CorrectionRequest>>,
}

impl BooksImport {
    /// The correction notes the file holds on a book's records.
    pub fn corrections_of(&self, citizen_id: &CitizenId) -> &[CorrectionRequest] {
        self.corrections.get(citizen_id).map_or(&[], Vec::as_slice)
    }
}

/// A bundle with exactly one Patient.
pub fn import_book(bytes: &[u8], options: &ImportOptions) -> Result<BookImport, ImportError> {
    let root = read_bundle(bytes, options.limits)?;
    let mut reader = Reader::new(options, Some(options.limits));
    reader.collect_file(&root)?;
    reader.one_book()
}

/// Resources already parsed, each on its own (a sync's copy of a person's server record): the
/// same mapping as [`import_book`], without writing them into a Bundle's text and reading it back.
/// References resolve by `Type/id` (relative, or at the end of an absolute URL), as a server's do.
/// There is no text, so [`ImportLimits`] do not apply: the caller checked what it parsed.
pub fn import_resources<'a>(
    resources: impl IntoIterator<Item = &'a Value>,
    options: &ImportOptions,
) -> Result<BookImport, ImportError> {
    let mut reader = Reader::new(options, None);
    for resource in resources {
        reader.add(resource, None, 0, 0);
    }
    reader.one_book()
}

/// A bundle with one or more Patients (the "every book on this device" file). Patients that
/// cannot be imported are reported and left out, unless none can be.
pub fn import_books(bytes: &[u8], options: &ImportOptions) -> Result<BooksImport, ImportError> {
    let root = read_bundle(bytes, options.limits)?;
    let mut reader = Reader::new(options, Some(options.limits));
    reader.collect_file(&root)?;
    reader.parse_all()?;
    if reader.patient_entries.is_empty() {
        return Err(ImportError::NoPatient);
    }
    let books = reader.build_books(ReadNotes::Yes)?;
    let mut corrections: HashMap<CitizenId, Vec<CorrectionRequest>> = HashMap::new();
    for (book_index, note) in std::mem::take(&mut reader.notes) {
        corrections
            .entry(books[book_index].citizen_id().clone())
            .or_default()
            .push(note);
    }
    Ok(BooksImport {
        books,
        report: reader.report,
        corrections,
    })
}

// ---------------------------------------------------------------------------------------------

struct Entry<'a> {
    /// Which bundle the entry was in: references resolve within their own bundle first, so the
    /// inner Bundles of a Bundle of Bundles may reuse ids.
    scope: usize,
    full_url: Option<String>,
    resource_type: String,
    id: Option<String>,
    value: &'a Value,
}

enum Parsed {
    Patient(Box<Patient>),
    Immunization(Box<Immunization>),
    Recommendation(ImmunizationRecommendation),
    MedicationRequest(Box<MedicationRequest>),
    Condition(Condition),
    Organization(Organization),
    Practitioner(Practitioner),
    Encounter(Encounter),
    Medication(Medication),
    // The profile's standing facts (issue 19); a Condition stays `Condition` (it may be a
    // prescription's diagnosis as well as a problem-list entry).
    Allergy(Box<AllergyIntolerance>),
    BloodGroup(Box<Observation>),
    /// A statement that there is none ("no known medications").
    NoneKnown,
    /// A document's Composition: its table of contents, whose entries are read on their own.
    Index,
    Appointment(Box<super::care_resources::Appointment>),
    ServiceRequest(Box<super::care_resources::ServiceRequest>),
    /// A correction note on a record (a Task coded `change`).
    Correction(Box<task::Task>),
    /// Where an appointment takes place; read like an Organization (identifier, name).
    Location(Organization),
    Bad,
}

impl Parsed {
    fn is_support(&self) -> bool {
        matches!(
            self,
            Parsed::Condition(_)
                | Parsed::Organization(_)
                | Parsed::Practitioner(_)
                | Parsed::Encounter(_)
                | Parsed::Medication(_)
                | Parsed::Location(_)
        )
    }
}

struct Reader<'a> {
    options: &'a ImportOptions,
    /// The limits of a file's import; `None` for resources given on their own.
    limits: Option<ImportLimits>,
    /// Why reading stopped, when a limit was reached while collecting.
    refusal: Option<ImportError>,
    /// Entries seen so far, inner Bundles' included.
    entry_count: usize,
    entries: Vec<Entry<'a>>,
    parsed: Vec<Parsed>,
    index: HashMap<(usize, String), usize>,
    global_index: HashMap<String, usize>,
    scopes: usize,
    current_scope: usize,
    used: Vec<bool>,
    patient_entries: Vec<usize>,
    report: ImportReport,
    /// Correction notes read, with the index of their book.
    notes: Vec<(usize, CorrectionRequest)>,
}

/// Whether a build keeps correction notes (a file of books) or reports them left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReadNotes {
    Yes,
    No,
}

const ALLOWED_BUNDLE_TYPES: &[&str] = &[
    "collection",
    "searchset",
    "transaction",
    "batch",
    "document",
    "transaction-response",
    "batch-response",
    "history",
];

fn parse_as<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
    T::deserialize(value).map_err(|e| e.to_string())
}

/// The text of a file: within the limits, JSON, and a Bundle of a type that can be imported.
fn read_bundle(bytes: &[u8], limits: ImportLimits) -> Result<Value, ImportError> {
    if bytes.len() > limits.max_bytes {
        return Err(ImportError::TooLarge {
            size: bytes.len(),
            limit: limits.max_bytes,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if nesting_exceeds(bytes, limits.max_depth) {
        return Err(ImportError::TooDeep {
            limit: limits.max_depth,
        });
    }
    let root: Value = serde_json::from_slice(bytes).map_err(|e| ImportError::NotJson {
        line: e.line(),
        column: e.column(),
    })?;
    let resource_type = root.get("resourceType").and_then(Value::as_str);
    if resource_type != Some("Bundle") {
        return Err(ImportError::NotABundle {
            found: resource_type.map(str::to_string),
        });
    }
    if let Some(t) = root.get("type") {
        let t = t.as_str().unwrap_or("");
        if !ALLOWED_BUNDLE_TYPES.contains(&t) {
            return Err(ImportError::UnsupportedBundleType {
                found: t.to_string(),
            });
        }
    }
    Ok(root)
}

impl<'a> Reader<'a> {
    fn new(options: &'a ImportOptions, limits: Option<ImportLimits>) -> Reader<'a> {
        Reader {
            options,
            limits,
            refusal: None,
            entry_count: 0,
            entries: Vec::new(),
            parsed: Vec::new(),
            index: HashMap::new(),
            global_index: HashMap::new(),
            scopes: 0,
            current_scope: 0,
            used: Vec::new(),
            patient_entries: Vec::new(),
            report: ImportReport::default(),
            notes: Vec::new(),
        }
    }

    /// The one book of what was collected: exactly one Patient is expected.
    fn one_book(mut self) -> Result<BookImport, ImportError> {
        self.parse_all()?;
        match self.patient_entries.len() {
            0 => return Err(ImportError::NoPatient),
            1 => {}
            count => return Err(ImportError::SeveralPatients { count }),
        }
        // One book is a server's copy or a single document: notes are a backup's.
        let books = self.build_books(ReadNotes::No)?;
        let book = books.into_iter().next().ok_or(ImportError::NoPatient)?;
        Ok(BookImport {
            book,
            report: self.report,
        })
    }

    fn skip(&mut self, resource_type: &str, id: Option<&str>, reason: SkipReason) {
        self.report.skipped.push(SkippedResource {
            resource_type: resource_type.to_string(),
            id: id.map(str::to_string),
            reason,
        });
    }

    /// Every entry of a file's Bundle, or the limit it reached.
    fn collect_file(&mut self, root: &'a Value) -> Result<(), ImportError> {
        self.collect(root, 0, 0);
        self.refusal.take().map_or(Ok(()), Err)
    }

    fn collect(&mut self, bundle: &'a Value, depth: usize, scope: usize) {
        let Some(entries) = bundle.get("entry").and_then(Value::as_array) else {
            return;
        };
        if let Some(limits) = self.limits {
            self.entry_count += entries.len();
            if self.entry_count > limits.max_entries {
                self.refusal.get_or_insert(ImportError::TooManyEntries {
                    limit: limits.max_entries,
                });
            }
        }
        for entry in entries {
            if self.refusal.is_some() {
                return;
            }
            let Some(entry) = entry.as_object() else {
                self.skip("", None, SkipReason::NoResource);
                continue;
            };
            let full_url = entry
                .get("fullUrl")
                .and_then(Value::as_str)
                .map(str::to_string);
            match entry.get("resource") {
                Some(resource) => self.add(resource, full_url, depth, scope),
                None => self.skip("", None, SkipReason::NoResource),
            }
        }
    }

    /// One resource of a bundle, or one given on its own.
    fn add(&mut self, resource: &'a Value, full_url: Option<String>, depth: usize, scope: usize) {
        if !resource.is_object() {
            self.skip("", None, SkipReason::NoResource);
            return;
        }
        let resource_type = resource
            .get("resourceType")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        // A Bundle of Bundles ("every book" files from other tools): read the inner entries.
        if resource_type == "Bundle" && depth < 4 {
            self.scopes += 1;
            let inner = self.scopes;
            self.collect(resource, depth + 1, inner);
            return;
        }
        let id = resource
            .get("id")
            .and_then(Value::as_str)
            .map(str::to_string);
        self.entries.push(Entry {
            scope,
            full_url,
            resource_type,
            id,
            value: resource,
        });
    }

    /// Parses every collected entry of a type the book reads; a file's import is refused when
    /// one of them holds an over-long string.
    fn parse_all(&mut self) -> Result<(), ImportError> {
        for i in 0..self.entries.len() {
            let e = &self.entries[i];
            let mut keys = Vec::new();
            keys.extend(e.full_url.clone());
            keys.extend(
                e.id.as_ref()
                    .map(|id| format!("{}/{}", e.resource_type, id)),
            );
            for key in keys {
                self.index.entry((e.scope, key.clone())).or_insert(i);
                self.global_index.entry(key).or_insert(i);
            }
            let parsed = match e.resource_type.as_str() {
                "Patient" => parse_as(e.value).map(|p| Parsed::Patient(Box::new(p))),
                "Immunization" => parse_as(e.value).map(|p| Parsed::Immunization(Box::new(p))),
                "ImmunizationRecommendation" => parse_as(e.value).map(Parsed::Recommendation),
                "MedicationRequest" => {
                    parse_as(e.value).map(|p| Parsed::MedicationRequest(Box::new(p)))
                }
                "Condition" => parse_as(e.value).map(Parsed::Condition),
                "Organization" => parse_as(e.value).map(Parsed::Organization),
                "Practitioner" => parse_as(e.value).map(Parsed::Practitioner),
                "Encounter" => parse_as(e.value).map(Parsed::Encounter),
                "Medication" => parse_as(e.value).map(Parsed::Medication),
                "AllergyIntolerance" => parse_as(e.value).map(|a| Parsed::Allergy(Box::new(a))),
                // Only the blood group: other observations (results, vital signs) have no place.
                "Observation" => parse_as::<Observation>(e.value).map(|o| {
                    if profile_records::is_blood_group(&o) {
                        Parsed::BloodGroup(Box::new(o))
                    } else {
                        Parsed::Bad
                    }
                }),
                // A medicine the person takes, as an International Patient Summary lists it:
                // read as the request it stands for.
                "MedicationStatement" => parse_as::<MedicationStatement>(e.value).map(|s| {
                    if profile_records::states_none(s.medication_codeable_concept.as_ref()) {
                        Parsed::NoneKnown
                    } else {
                        Parsed::MedicationRequest(Box::new(s.into()))
                    }
                }),
                "Composition" => Ok(Parsed::Index),
                "Appointment" => parse_as(e.value).map(|a| Parsed::Appointment(Box::new(a))),
                "ServiceRequest" => parse_as(e.value).map(|s| Parsed::ServiceRequest(Box::new(s))),
                "Location" => parse_as(e.value).map(Parsed::Location),
                "Task" => parse_as::<task::Task>(e.value).map(|t| {
                    if task::is_correction(&t) {
                        Parsed::Correction(Box::new(t))
                    } else {
                        Parsed::Bad
                    }
                }),
                _ => Ok(Parsed::Bad),
            };
            let read = !matches!(parsed, Ok(Parsed::Bad | Parsed::Index));
            if let Some(limit) = self.limits.map(|l| l.max_string_bytes).filter(|_| read) {
                if let Some(size) = string_over(e.value, limit) {
                    return Err(ImportError::StringTooLong {
                        resource_type: e.resource_type.clone(),
                        size,
                        limit,
                    });
                }
            }
            let (resource_type, id) = (e.resource_type.clone(), e.id.clone());
            let parsed = match parsed {
                Ok(Parsed::Index) => Parsed::Bad,
                Ok(Parsed::NoneKnown) => {
                    self.skip(&resource_type, id.as_deref(), SkipReason::NoneKnown);
                    Parsed::Bad
                }
                Ok(Parsed::Bad) => {
                    self.skip(&resource_type, id.as_deref(), SkipReason::Unsupported);
                    Parsed::Bad
                }
                Ok(p) => p,
                Err(detail) => {
                    if resource_type == "Patient" {
                        // Still a Patient: it counts, and fails as one.
                        self.patient_entries.push(i);
                    } else {
                        self.skip(
                            &resource_type,
                            id.as_deref(),
                            SkipReason::Malformed { detail },
                        );
                    }
                    Parsed::Bad
                }
            };
            if matches!(parsed, Parsed::Patient(_)) {
                self.patient_entries.push(i);
            }
            self.parsed.push(parsed);
            self.used.push(false);
        }
        Ok(())
    }

    fn organization(&mut self, reference: Option<&Reference>) -> Option<Facility> {
        match self.resolve(reference) {
            Some(i) => {
                let (Parsed::Organization(org) | Parsed::Location(org)) = &self.parsed[i] else {
                    return None;
                };
                let code = org
                    .identifier
                    .iter()
                    .find(|id| id.system.as_deref() == Some(FACILITY_CODE_SYSTEM))
                    .or_else(|| org.identifier.first())
                    .and_then(|id| id.value.clone());
                let name = org.name.clone().unwrap_or_default();
                self.used[i] = true;
                Some(Facility { code, name })
            }
            None => None,
        }
    }

    fn practitioner_name(
        &mut self,
        reference: Option<&Reference>,
    ) -> Option<(String, Option<String>)> {
        let i = self.resolve(reference)?;
        let Parsed::Practitioner(p) = &self.parsed[i] else {
            return None;
        };
        let name = p.name.first().map(name_text).unwrap_or_default();
        let code = p
            .identifier
            .iter()
            .find(|id| id.system.as_deref() == Some(PRACTISING_CERTIFICATE_SYSTEM))
            .or_else(|| p.identifier.first())
            .and_then(|id| id.value.clone());
        self.used[i] = true;
        Some((name, code))
    }

    fn build_books(&mut self, read_notes: ReadNotes) -> Result<Vec<HealthBook>, ImportError> {
        let mut profiles: Vec<(usize, Profile, Provenance)> = Vec::new();
        let mut first_problem = None;
        for &i in &self.patient_entries.clone() {
            self.current_scope = self.entries[i].scope;
            let id = self.entries[i].id.clone();
            let result = match &self.parsed[i] {
                Parsed::Patient(p) => {
                    let p = p.clone();
                    self.profile(&p)
                }
                _ => Err(PatientProblem::Malformed {
                    detail: parse_as::<Patient>(self.entries[i].value)
                        .err()
                        .unwrap_or_default(),
                }),
            };
            match result {
                Ok((profile, provenance)) => profiles.push((i, profile, provenance)),
                Err(problem) => {
                    if first_problem.is_none() {
                        first_problem = Some((id.clone(), problem.clone()));
                    }
                    self.skip(
                        "Patient",
                        id.as_deref(),
                        SkipReason::InvalidPatient(problem),
                    );
                }
            }
        }
        if profiles.is_empty() || self.patient_entries.len() == 1 && first_problem.is_some() {
            return Err(match first_problem {
                Some((id, problem)) => ImportError::InvalidPatient { id, problem },
                None => ImportError::NoPatient,
            });
        }
        // Which book each Patient entry fills. The same person twice (two files' exports put
        // together) is one book: saving two books under one citizen ID would keep only one.
        let mut book_of: HashMap<usize, usize> = HashMap::new();
        let mut book_of_citizen: HashMap<String, usize> = HashMap::new();
        let mut books: Vec<HealthBook> = Vec::new();
        for (i, profile, provenance) in profiles {
            let citizen = profile.citizen_id.as_str().to_owned();
            if let Some(&b) = book_of_citizen.get(&citizen) {
                book_of.insert(i, b);
                let id = self.entries[i].id.clone();
                self.skip("Patient", id.as_deref(), SkipReason::Duplicate);
                continue;
            }
            book_of_citizen.insert(citizen, books.len());
            book_of.insert(i, books.len());
            books.push(HealthBook {
                profile,
                vaccinations: Vec::new(),
                prescriptions: Vec::new(),
                care: Default::default(),
                provenance,
            });
        }

        // Vaccinations, remembering which entry became which record. Every duplicate check is a
        // hash look-up: a file of duplicates costs time in proportion to its size.
        let mut vaccination_at: HashMap<usize, (usize, usize)> = HashMap::new();
        let mut vaccination_ids: HashSet<(usize, String)> = HashSet::new();
        let mut group_of: HashMap<(usize, String), usize> = HashMap::new();
        let mut prescription_groups: Vec<(usize, Vec<usize>)> = Vec::new();
        let mut requests_seen: HashSet<(usize, usize, String)> = HashSet::new();
        let mut recommendations: Vec<usize> = Vec::new();
        for i in 0..self.entries.len() {
            let reference = match &self.parsed[i] {
                Parsed::Immunization(r) => r.patient.clone(),
                Parsed::Recommendation(r) => r.patient.clone(),
                Parsed::MedicationRequest(r) => r.subject.clone(),
                Parsed::Appointment(a) => self.appointment_patient(a),
                Parsed::ServiceRequest(s) => s.subject.clone(),
                _ => continue,
            };
            self.current_scope = self.entries[i].scope;
            let (resource_type, id) = (
                self.entries[i].resource_type.clone(),
                self.entries[i].id.clone(),
            );
            // A record that was never real is reported as such, whoever it names.
            if let Some(status) = not_completed(&self.parsed[i]) {
                self.skip(
                    &resource_type,
                    id.as_deref(),
                    SkipReason::NotCompleted { status },
                );
                continue;
            }
            let patient = match self.owner(reference.as_ref()) {
                Ok(patient) => patient,
                Err(reason) => {
                    self.skip(&resource_type, id.as_deref(), reason);
                    continue;
                }
            };
            let Some(&book_index) = book_of.get(&patient) else {
                self.skip(
                    &resource_type,
                    id.as_deref(),
                    SkipReason::PatientNotImported,
                );
                continue;
            };
            match &self.parsed[i] {
                Parsed::Immunization(imm) => {
                    let imm = imm.clone();
                    match self.vaccination(&imm, i) {
                        Ok(v) => {
                            if vaccination_ids.insert((book_index, v.id.as_str().to_owned())) {
                                let book = &mut books[book_index];
                                vaccination_at.insert(i, (book_index, book.vaccinations.len()));
                                book.vaccinations.push(v);
                            } else {
                                self.skip(&resource_type, id.as_deref(), SkipReason::Duplicate);
                            }
                        }
                        Err(reason) => self.skip(&resource_type, id.as_deref(), reason),
                    }
                }
                Parsed::Recommendation(_) => recommendations.push(i),
                Parsed::Appointment(a) => {
                    let a = a.clone();
                    match self.appointment(&a, i) {
                        Ok(a)
                            if books[book_index]
                                .care
                                .appointments
                                .iter()
                                .any(|b| b.id == a.id) =>
                        {
                            self.skip(&resource_type, id.as_deref(), SkipReason::Duplicate)
                        }
                        Ok(a) => books[book_index].care.appointments.push(a),
                        Err(reason) => self.skip(&resource_type, id.as_deref(), reason),
                    }
                }
                Parsed::ServiceRequest(r) => {
                    let r = r.clone();
                    match self.referral(&r, i) {
                        Ok(r)
                            if books[book_index]
                                .care
                                .referrals
                                .iter()
                                .any(|b| b.id == r.id) =>
                        {
                            self.skip(&resource_type, id.as_deref(), SkipReason::Duplicate)
                        }
                        Ok(r) => books[book_index].care.referrals.push(r),
                        Err(reason) => self.skip(&resource_type, id.as_deref(), reason),
                    }
                }
                Parsed::MedicationRequest(mr) => {
                    // The same request twice (by fullUrl or id, within its own Bundle) is one
                    // medicine, not two.
                    let entry = &self.entries[i];
                    let identity = entry.full_url.clone().or_else(|| {
                        entry
                            .id
                            .as_ref()
                            .map(|id| format!("MedicationRequest/{id}"))
                    });
                    if let Some(identity) = identity {
                        if !requests_seen.insert((book_index, entry.scope, identity)) {
                            self.skip(&resource_type, id.as_deref(), SkipReason::Duplicate);
                            continue;
                        }
                    }
                    let key = identifier_value(&mr.identifier, RECORD_ID_SYSTEM)
                        .map(|v| format!("record:{v}"))
                        .or_else(|| {
                            mr.group_identifier
                                .as_ref()
                                .and_then(|g| g.value.clone())
                                .map(|v| format!("code:{v}"))
                        })
                        .unwrap_or_else(|| format!("entry:{i}"));
                    match group_of.get(&(book_index, key.clone())) {
                        Some(&g) => prescription_groups[g].1.push(i),
                        None => {
                            group_of.insert((book_index, key), prescription_groups.len());
                            prescription_groups.push((book_index, vec![i]));
                        }
                    }
                }
                _ => {}
            }
        }

        let mut due_candidates = DueCandidates::of(&books);
        for i in recommendations {
            self.recommendation(
                i,
                &vaccination_at,
                &book_of,
                &mut books,
                &mut due_candidates,
            );
        }
        let mut prescription_ids: HashSet<(usize, String)> = HashSet::new();
        for (book_index, members) in prescription_groups {
            if let Some(p) = self.prescription(&members) {
                if prescription_ids.insert((book_index, p.id.as_str().to_owned())) {
                    books[book_index].prescriptions.push(p);
                } else {
                    let id = self.entries[members[0]].id.clone();
                    self.skip("MedicationRequest", id.as_deref(), SkipReason::Duplicate);
                }
            }
        }
        self.profile_records(&book_of, &mut books);
        self.read_notes(read_notes, &books, &book_of);
        for i in 0..self.entries.len() {
            if self.parsed[i].is_support() && !self.used[i] {
                let (t, id) = (
                    self.entries[i].resource_type.clone(),
                    self.entries[i].id.clone(),
                );
                self.skip(&t, id.as_deref(), SkipReason::NotReferenced);
            }
        }
        if let Some(limit) = self.limits.map(|l| l.max_records_per_book) {
            let most = books
                .iter()
                .map(|b| b.vaccinations.len() + b.prescriptions.len())
                .max()
                .unwrap_or(0);
            if most > limit {
                return Err(ImportError::TooManyRecords { count: most, limit });
            }
        }
        Ok(books)
    }

    /// The correction notes on the books' records, once the books are complete; the same note
    /// twice is kept once.
    fn read_notes(
        &mut self,
        read_notes: ReadNotes,
        books: &[HealthBook],
        book_of: &HashMap<usize, usize>,
    ) {
        for i in 0..self.entries.len() {
            let result = match &self.parsed[i] {
                Parsed::Correction(_) if read_notes == ReadNotes::No => {
                    Err(SkipReason::Unsupported)
                }
                Parsed::Correction(task) => {
                    self.current_scope = self.entries[i].scope;
                    self.correction(task, books, book_of)
                }
                _ => continue,
            };
            let reason = match result {
                Ok(note) if self.notes.contains(&note) => SkipReason::Duplicate,
                Ok(note) => {
                    self.notes.push(note);
                    continue;
                }
                Err(reason) => reason,
            };
            let id = self.entries[i].id.clone();
            self.skip("Task", id.as_deref(), reason);
        }
    }

    fn origin(&self, extensions: &[Extension]) -> RecordOrigin {
        extensions
            .iter()
            .find(|e| e.url == ext::RECORD_ORIGIN)
            .and_then(record_origin)
            .unwrap_or_else(|| self.options.default_origin.clone())
    }
}

/// The status of a record that was never real (entered in error, or not done), if it is one.
fn not_completed(parsed: &Parsed) -> Option<String> {
    let status = match parsed {
        Parsed::Immunization(imm) => imm
            .status
            .as_deref()
            .filter(|s| *s == "entered-in-error" || *s == "not-done"),
        // `not-taken` only comes from a MedicationStatement read as a request.
        Parsed::MedicationRequest(mr) => mr
            .status
            .as_deref()
            .filter(|s| *s == "entered-in-error" || *s == "not-taken"),
        _ => None,
    };
    status.map(str::to_string)
}
