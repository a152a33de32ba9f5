//! A FHIR Bundle (collection, searchset, transaction, or a Bundle of Bundles) to books.
//!
//! Keeps what it understands and reports the rest: one bad resource never fails the whole
//! bundle; only a missing or unusable Patient does.

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde_json::Value;
use thiserror::Error;
use time::OffsetDateTime;

use super::resources::*;
use super::*;
use crate::ids::CitizenIdError;
use crate::model::{BookSource, Facility, HealthBook, Profile, Provenance, RecordOrigin};

mod immunization;
mod medication_request;
mod patient;
mod values;

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

#[derive(Debug, Clone, PartialEq, Eq, Error)]
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
    #[error("the Patient cannot be used: {problem:?}")]
    InvalidPatient {
        id: Option<String>,
        problem: PatientProblem,
    },
}

/// Why a Patient cannot become a book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatientProblem {
    Malformed { detail: String },
    NoCitizenId,
    CitizenId(CitizenIdError),
    NoName,
    NoBirthDate,
    InvalidBirthDate { value: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// The resource does not have the FHIR shape (a field of the wrong type).
    Malformed {
        detail: String,
    },
    /// A resource type the book has no place for.
    Unsupported,
    /// An entry with no resource (a transaction's DELETE, for instance).
    NoResource,
    /// Belongs to no Patient in the bundle.
    NoPatient,
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
}

#[derive(Debug, Clone, PartialEq, Eq)]
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
}

/// A bundle with exactly one Patient.
pub fn import_book(bytes: &[u8], options: &ImportOptions) -> Result<BookImport, ImportError> {
    let root = read_bundle(bytes, options.limits)?;
    let mut reader = Reader::new(options);
    reader.collect(&root, 0, 0);
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
    let mut reader = Reader::new(options);
    for resource in resources {
        reader.add(resource, None, 0, 0);
    }
    reader.one_book()
}

/// A bundle with one or more Patients (the "every book on this device" file). Patients that
/// cannot be imported are reported and left out, unless none can be.
pub fn import_books(bytes: &[u8], options: &ImportOptions) -> Result<BooksImport, ImportError> {
    let root = read_bundle(bytes, options.limits)?;
    let mut reader = Reader::new(options);
    reader.collect(&root, 0, 0);
    reader.parse_all();
    if reader.patient_entries.is_empty() {
        return Err(ImportError::NoPatient);
    }
    let books = reader.build_books()?;
    Ok(BooksImport {
        books,
        report: reader.report,
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
        )
    }
}

struct Reader<'a> {
    options: &'a ImportOptions,
    entries: Vec<Entry<'a>>,
    parsed: Vec<Parsed>,
    index: HashMap<(usize, String), usize>,
    global_index: HashMap<String, usize>,
    scopes: usize,
    current_scope: usize,
    used: Vec<bool>,
    patient_entries: Vec<usize>,
    report: ImportReport,
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
    fn new(options: &'a ImportOptions) -> Reader<'a> {
        Reader {
            options,
            entries: Vec::new(),
            parsed: Vec::new(),
            index: HashMap::new(),
            global_index: HashMap::new(),
            scopes: 0,
            current_scope: 0,
            used: Vec::new(),
            patient_entries: Vec::new(),
            report: ImportReport::default(),
        }
    }

    /// The one book of what was collected: exactly one Patient is expected.
    fn one_book(mut self) -> Result<BookImport, ImportError> {
        self.parse_all();
        match self.patient_entries.len() {
            0 => return Err(ImportError::NoPatient),
            1 => {}
            count => return Err(ImportError::SeveralPatients { count }),
        }
        let books = self.build_books()?;
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

    fn collect(&mut self, bundle: &'a Value, depth: usize, scope: usize) {
        let Some(entries) = bundle.get("entry").and_then(Value::as_array) else {
            return;
        };
        for entry in entries {
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

    fn parse_all(&mut self) {
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
                _ => Ok(Parsed::Bad),
            };
            let (resource_type, id) = (e.resource_type.clone(), e.id.clone());
            let parsed = match parsed {
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
    }

    /// The entry a reference points at: by `fullUrl`, by `Type/id`, or by the `Type/id` at the
    /// end of an absolute URL (version suffix ignored).
    fn resolve(&self, reference: Option<&Reference>) -> Option<usize> {
        let r = reference?.reference.as_deref()?.trim();
        let lookup = |key: &str| {
            self.index
                .get(&(self.current_scope, key.to_string()))
                .or_else(|| self.global_index.get(key))
                .copied()
        };
        if let Some(i) = lookup(r) {
            return Some(i);
        }
        let r = r.split("/_history/").next().unwrap_or(r);
        let mut parts = r.rsplit('/');
        let id = parts.next()?;
        let resource_type = parts.next()?;
        lookup(&format!("{resource_type}/{id}"))
    }

    fn organization(&mut self, reference: Option<&Reference>) -> Option<Facility> {
        match self.resolve(reference) {
            Some(i) => {
                let Parsed::Organization(org) = &self.parsed[i] else {
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

    fn patient_of(&self, reference: Option<&Reference>) -> Option<usize> {
        match self.resolve(reference) {
            Some(i) if self.patient_entries.contains(&i) => Some(i),
            _ if self.patient_entries.len() == 1 => self.patient_entries.first().copied(),
            _ => None,
        }
    }

    fn build_books(&mut self) -> Result<Vec<HealthBook>, ImportError> {
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
        let valid: Vec<usize> = profiles.iter().map(|(i, ..)| *i).collect();
        let mut books: Vec<HealthBook> = profiles
            .into_iter()
            .map(|(_, profile, provenance)| HealthBook {
                profile,
                vaccinations: Vec::new(),
                prescriptions: Vec::new(),
                provenance,
            })
            .collect();

        // Vaccinations, remembering which entry became which record.
        let mut vaccination_at: HashMap<usize, (usize, usize)> = HashMap::new();
        let mut prescription_groups: Vec<(usize, String, Vec<usize>)> = Vec::new();
        let mut recommendations: Vec<usize> = Vec::new();
        for i in 0..self.entries.len() {
            let reference = match &self.parsed[i] {
                Parsed::Immunization(r) => r.patient.clone(),
                Parsed::Recommendation(r) => r.patient.clone(),
                Parsed::MedicationRequest(r) => r.subject.clone(),
                _ => continue,
            };
            self.current_scope = self.entries[i].scope;
            let (resource_type, id) = (
                self.entries[i].resource_type.clone(),
                self.entries[i].id.clone(),
            );
            let Some(patient) = self.patient_of(reference.as_ref()) else {
                self.skip(&resource_type, id.as_deref(), SkipReason::NoPatient);
                continue;
            };
            let Some(book_index) = valid.iter().position(|&p| p == patient) else {
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
                            let book = &mut books[book_index];
                            if book.vaccinations.iter().any(|o| o.id == v.id) {
                                self.skip(&resource_type, id.as_deref(), SkipReason::Duplicate);
                            } else {
                                vaccination_at.insert(i, (book_index, book.vaccinations.len()));
                                book.vaccinations.push(v);
                            }
                        }
                        Err(reason) => self.skip(&resource_type, id.as_deref(), reason),
                    }
                }
                Parsed::Recommendation(_) => recommendations.push(i),
                Parsed::MedicationRequest(mr) => {
                    if let Some(status) = mr.status.as_deref().filter(|s| *s == "entered-in-error")
                    {
                        let status = status.to_string();
                        self.skip(
                            &resource_type,
                            id.as_deref(),
                            SkipReason::NotCompleted { status },
                        );
                        continue;
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
                    match prescription_groups
                        .iter_mut()
                        .find(|(b, k, _)| *b == book_index && *k == key)
                    {
                        Some((_, _, members)) => members.push(i),
                        None => prescription_groups.push((book_index, key, vec![i])),
                    }
                }
                _ => {}
            }
        }

        for i in recommendations {
            self.recommendation(i, &vaccination_at, &valid, &mut books);
        }
        for (book_index, _, members) in prescription_groups {
            if let Some(p) = self.prescription(&members) {
                let book = &mut books[book_index];
                if book.prescriptions.iter().any(|o| o.id == p.id) {
                    let id = self.entries[members[0]].id.clone();
                    self.skip("MedicationRequest", id.as_deref(), SkipReason::Duplicate);
                } else {
                    book.prescriptions.push(p);
                }
            }
        }
        for i in 0..self.entries.len() {
            if self.parsed[i].is_support() && !self.used[i] {
                let (t, id) = (
                    self.entries[i].resource_type.clone(),
                    self.entries[i].id.clone(),
                );
                self.skip(&t, id.as_deref(), SkipReason::NotReferenced);
            }
        }
        Ok(books)
    }

    fn origin(&self, extensions: &[Extension]) -> RecordOrigin {
        extensions
            .iter()
            .find(|e| e.url == ext::RECORD_ORIGIN)
            .and_then(record_origin)
            .unwrap_or_else(|| self.options.default_origin.clone())
    }
}
