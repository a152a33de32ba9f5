//! A FHIR Bundle (collection, searchset, transaction, or a Bundle of Bundles) to books.
//!
//! Keeps what it understands and reports the rest: one bad resource never fails the whole
//! bundle; only a missing or unusable Patient does.

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde_json::Value;
use thiserror::Error;
use time::format_description::well_known::Rfc3339;
use time::macros::offset;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

use super::export::{blood_group_code, meal_code, origin_kind, time_of_day_code};
use super::resources::*;
use super::*;
use crate::ids::{CitizenId, CitizenIdError, OldIdNumber, PrescriptionCode};
use crate::model::{
    self, BookSource, Diagnosis, EmergencyContact, Facility, HealthBook, HealthInsuranceCard,
    MealRelation, Prescriber, PrescriptionKind, Profile, Provenance, RecordId, RecordOrigin, Sex,
    TimeOfDay, Vaccination,
};
use crate::tables::vaccines;
use crate::text::nfc;

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
        vaccine: model::Coding,
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
    let mut state = Reader::read(bytes, options)?;
    match state.patient_entries.len() {
        0 => return Err(ImportError::NoPatient),
        1 => {}
        count => return Err(ImportError::SeveralPatients { count }),
    }
    let books = state.build_books()?;
    let book = books.into_iter().next().ok_or(ImportError::NoPatient)?;
    Ok(BookImport {
        book,
        report: state.report,
    })
}

/// A bundle with one or more Patients (the "every book on this device" file). Patients that
/// cannot be imported are reported and left out, unless none can be.
pub fn import_books(bytes: &[u8], options: &ImportOptions) -> Result<BooksImport, ImportError> {
    let mut state = Reader::read(bytes, options)?;
    if state.patient_entries.is_empty() {
        return Err(ImportError::NoPatient);
    }
    let books = state.build_books()?;
    Ok(BooksImport {
        books,
        report: state.report,
    })
}

// ---------------------------------------------------------------------------------------------

struct Entry {
    /// Which bundle the entry was in: references resolve within their own bundle first, so the
    /// inner Bundles of a Bundle of Bundles may reuse ids.
    scope: usize,
    full_url: Option<String>,
    resource_type: String,
    id: Option<String>,
    value: Value,
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

struct Reader<'o> {
    options: &'o ImportOptions,
    entries: Vec<Entry>,
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

impl<'o> Reader<'o> {
    fn read(bytes: &[u8], options: &'o ImportOptions) -> Result<Reader<'o>, ImportError> {
        let limits = options.limits;
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
        let mut reader = Reader {
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
        };
        reader.collect(root, 0, 0);
        reader.parse_all();
        Ok(reader)
    }

    fn skip(&mut self, resource_type: &str, id: Option<&str>, reason: SkipReason) {
        self.report.skipped.push(SkippedResource {
            resource_type: resource_type.to_string(),
            id: id.map(str::to_string),
            reason,
        });
    }

    fn collect(&mut self, bundle: Value, depth: usize, scope: usize) {
        let Value::Object(mut bundle) = bundle else {
            return;
        };
        let Some(Value::Array(entries)) = bundle.remove("entry") else {
            return;
        };
        for entry in entries {
            let Value::Object(mut entry) = entry else {
                self.skip("", None, SkipReason::NoResource);
                continue;
            };
            let full_url = entry
                .get("fullUrl")
                .and_then(Value::as_str)
                .map(str::to_string);
            let Some(resource) = entry.remove("resource").filter(Value::is_object) else {
                self.skip("", None, SkipReason::NoResource);
                continue;
            };
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
                continue;
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
                "Patient" => parse_as(&e.value).map(|p| Parsed::Patient(Box::new(p))),
                "Immunization" => parse_as(&e.value).map(|p| Parsed::Immunization(Box::new(p))),
                "ImmunizationRecommendation" => parse_as(&e.value).map(Parsed::Recommendation),
                "MedicationRequest" => {
                    parse_as(&e.value).map(|p| Parsed::MedicationRequest(Box::new(p)))
                }
                "Condition" => parse_as(&e.value).map(Parsed::Condition),
                "Organization" => parse_as(&e.value).map(Parsed::Organization),
                "Practitioner" => parse_as(&e.value).map(Parsed::Practitioner),
                "Encounter" => parse_as(&e.value).map(Parsed::Encounter),
                "Medication" => parse_as(&e.value).map(Parsed::Medication),
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
                    detail: parse_as::<Patient>(&self.entries[i].value)
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

    fn profile(&mut self, p: &Patient) -> Result<(Profile, Provenance), PatientProblem> {
        let patient_id = p.id.clone();
        let national = p
            .identifier
            .iter()
            .find(|id| id.system.as_deref() == Some(NATIONAL_ID_SYSTEM));
        let raw_id = national
            .and_then(|id| id.value.as_deref())
            .ok_or(PatientProblem::NoCitizenId)?;
        let citizen_id = CitizenId::parse(raw_id).map_err(PatientProblem::CitizenId)?;
        let name = p
            .name
            .iter()
            .find(|n| n.use_.as_deref() == Some("official"))
            .or_else(|| p.name.first());
        let full_name = nfc(&name.map(name_text).unwrap_or_default());
        if full_name.trim().is_empty() {
            return Err(PatientProblem::NoName);
        }
        let raw_birth = p.birth_date.as_deref().ok_or(PatientProblem::NoBirthDate)?;
        let (date_of_birth, completed) =
            parse_birth_date(raw_birth).ok_or_else(|| PatientProblem::InvalidBirthDate {
                value: raw_birth.to_string(),
            })?;
        if completed {
            self.report.notes.push(ImportNote::BirthDateCompleted {
                patient: patient_id.clone(),
                given: raw_birth.into(),
            });
        }
        let sex = match p.gender.as_deref() {
            Some("male") => Sex::Male,
            Some("female") => Sex::Female,
            _ => {
                self.report.notes.push(ImportNote::SexFromCitizenId {
                    patient: patient_id.clone(),
                });
                citizen_id.sex()
            }
        };
        let old_id_number = match identifier_value(&p.identifier, OLD_ID_SYSTEM) {
            None => None,
            Some(raw) => match OldIdNumber::parse(&raw) {
                Ok(old) => Some(old),
                Err(_) => {
                    self.report.notes.push(ImportNote::OldIdNumberDropped {
                        patient: patient_id.clone(),
                    });
                    None
                }
            },
        };
        let card_issued_on = national
            .and_then(|id| id.period.as_ref())
            .and_then(|p| p.start.as_deref())
            .and_then(parse_date);
        let health_insurance = match p
            .identifier
            .iter()
            .find(|id| id.system.as_deref() == Some(INSURANCE_NUMBER_SYSTEM))
        {
            None => None,
            Some(id) => {
                let facility_ref = id
                    .extension
                    .iter()
                    .find(|e| e.url == ext::INSURANCE_FACILITY)
                    .and_then(|e| e.value_reference.clone());
                let registered_facility = self.organization(facility_ref.as_ref()).or_else(|| {
                    facility_ref
                        .and_then(|r| r.display)
                        .map(|name| Facility { code: None, name })
                });
                Some(HealthInsuranceCard {
                    code: id.value.clone().unwrap_or_default(),
                    valid_from: id
                        .period
                        .as_ref()
                        .and_then(|p| p.start.as_deref())
                        .and_then(parse_date),
                    valid_to: id
                        .period
                        .as_ref()
                        .and_then(|p| p.end.as_deref())
                        .and_then(parse_date),
                    registered_facility,
                })
            }
        };
        let phone = p
            .telecom
            .iter()
            .find(|t| t.system.as_deref().is_none_or(|s| s == "phone"))
            .and_then(|t| t.value.clone());
        let address = p.address.first().map(|a| {
            a.text.clone().unwrap_or_else(|| {
                a.line
                    .iter()
                    .cloned()
                    .chain(a.district.clone())
                    .chain(a.city.clone())
                    .chain(a.state.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
        });
        let emergency_contact = p.contact.iter().find_map(|c| {
            let phone = c.telecom.iter().find_map(|t| t.value.clone())?;
            Some(EmergencyContact {
                name: c.name.as_ref().map(name_text).unwrap_or_default(),
                relationship: c.relationship.first().and_then(concept_text),
                phone,
            })
        });
        let strings = |url: &str| -> Vec<String> {
            p.extension
                .iter()
                .filter(|e| e.url == url)
                .filter_map(|e| e.value_string.clone())
                .collect()
        };
        let blood_group = p
            .extension
            .iter()
            .find(|e| e.url == ext::BLOOD_GROUP)
            .and_then(|e| e.value_code.as_deref())
            .and_then(blood_group);
        let profile = Profile {
            full_name,
            date_of_birth,
            sex,
            citizen_id,
            old_id_number,
            card_issued_on,
            health_insurance,
            address,
            phone,
            blood_group,
            allergies: strings(ext::ALLERGY),
            chronic_conditions: strings(ext::CHRONIC_CONDITION),
            emergency_contact,
        };
        let provenance = p
            .extension
            .iter()
            .find(|e| e.url == ext::BOOK_PROVENANCE)
            .and_then(provenance)
            .unwrap_or_else(|| Provenance {
                source: self.options.source.clone(),
                source_updated_at: p
                    .meta
                    .as_ref()
                    .and_then(|m| m.last_updated.as_deref())
                    .and_then(parse_instant),
                source_version: p.meta.as_ref().and_then(|m| m.version_id.clone()),
                last_synced_at: self.options.fetched_at,
            });
        Ok((profile, provenance))
    }

    fn origin(&self, extensions: &[Extension]) -> RecordOrigin {
        extensions
            .iter()
            .find(|e| e.url == ext::RECORD_ORIGIN)
            .and_then(record_origin)
            .unwrap_or_else(|| self.options.default_origin.clone())
    }

    fn vaccination(&mut self, imm: &Immunization, entry: usize) -> Result<Vaccination, SkipReason> {
        if let Some(status) = imm
            .status
            .as_deref()
            .filter(|s| *s == "entered-in-error" || *s == "not-done")
        {
            return Err(SkipReason::NotCompleted {
                status: status.to_string(),
            });
        }
        let vaccine = imm
            .vaccine_code
            .as_ref()
            .and_then(vaccine_coding)
            .ok_or(SkipReason::NoVaccine)?;
        let raw_date = imm
            .occurrence_date_time
            .as_deref()
            .ok_or(SkipReason::NoDate)?;
        let date = parse_date(raw_date).ok_or_else(|| SkipReason::InvalidDate {
            value: raw_date.to_string(),
        })?;
        let protocol = imm.protocol_applied.first();
        let dose_number = protocol.and_then(|p| {
            positive_int(
                p.dose_number_positive_int.as_ref(),
                p.dose_number_string.as_deref(),
            )
        });
        let series_doses = protocol.and_then(|p| {
            positive_int(
                p.series_doses_positive_int.as_ref(),
                p.series_doses_string.as_deref(),
            )
        });
        let target_diseases = imm
            .protocol_applied
            .iter()
            .flat_map(|p| p.target_disease.iter())
            .filter_map(concept_coding)
            .collect();
        let mut facility = None;
        let mut administered_by = None;
        for performer in &imm.performer {
            let actor = performer.actor.as_ref();
            let is_administering = performer
                .function
                .as_ref()
                .is_some_and(|f| f.coding.iter().any(|c| c.code.as_deref() == Some("AP")));
            if let Some(org) = self.organization(actor) {
                facility.get_or_insert(org);
            } else if let Some((name, _)) = self.practitioner_name(actor) {
                administered_by.get_or_insert(name);
            } else if let Some(display) = actor.and_then(|a| a.display.clone()) {
                let points_at_org = actor
                    .and_then(|a| a.reference.as_deref())
                    .is_some_and(|r| r.contains("Organization/"));
                if points_at_org && !is_administering {
                    facility.get_or_insert(Facility {
                        code: None,
                        name: display,
                    });
                } else {
                    administered_by.get_or_insert(display);
                }
            }
        }
        if facility.is_none() {
            facility = imm
                .location
                .as_ref()
                .and_then(|l| l.display.clone())
                .map(|name| Facility { code: None, name });
        }
        let manufacturer = match self.organization(imm.manufacturer.as_ref()) {
            Some(org) => Some(org.name),
            None => imm.manufacturer.as_ref().and_then(|m| m.display.clone()),
        };
        let id = identifier_value(&imm.identifier, RECORD_ID_SYSTEM)
            .or_else(|| imm.id.clone())
            .unwrap_or_else(|| format!("immunization-{entry}"));
        self.note_unknown_vaccine(imm, &vaccine);
        Ok(Vaccination {
            id: RecordId(id),
            vaccine,
            target_diseases,
            dose_number,
            series_doses,
            date,
            lot_number: imm.lot_number.clone(),
            manufacturer,
            facility,
            administered_by,
            next_dose_due: None,
            recorded_by: self.origin(&imm.extension),
        })
    }

    /// Reports a vaccine the table and its aliases (`tables::vaccine_names`) do not recognise.
    fn note_unknown_vaccine(&mut self, imm: &Immunization, vaccine: &model::Coding) {
        if vaccines::find(vaccine).is_none() {
            self.report.notes.push(ImportNote::UnknownVaccine {
                immunization: imm.id.clone(),
                vaccine: vaccine.clone(),
            });
        }
    }

    fn recommendation(
        &mut self,
        i: usize,
        vaccination_at: &HashMap<usize, (usize, usize)>,
        valid: &[usize],
        books: &mut [HealthBook],
    ) {
        let Parsed::Recommendation(rec) = &self.parsed[i] else {
            return;
        };
        let rec = rec.clone();
        self.current_scope = self.entries[i].scope;
        let id = self.entries[i].id.clone();
        let book_index = self
            .patient_of(rec.patient.as_ref())
            .and_then(|p| valid.iter().position(|&v| v == p));
        for r in &rec.recommendation {
            let due = r
                .date_criterion
                .iter()
                .find(|c| {
                    c.code.as_ref().is_some_and(|cc| {
                        cc.coding
                            .iter()
                            .any(|c| c.code.as_deref() == Some(DATE_VACCINE_DUE))
                    })
                })
                .or_else(|| r.date_criterion.first())
                .and_then(|c| c.value.as_deref())
                .and_then(parse_date);
            let Some(due) = due else {
                self.skip(
                    "ImmunizationRecommendation",
                    id.as_deref(),
                    SkipReason::NoDate,
                );
                continue;
            };
            let supported = r
                .supporting_immunization
                .iter()
                .find_map(|s| self.resolve(Some(s)))
                .and_then(|e| vaccination_at.get(&e));
            let target = supported.copied().or_else(|| {
                // No link: the latest vaccination of the same vaccine without a next dose yet.
                let b = book_index?;
                let code = r.vaccine_code.first().and_then(vaccine_coding)?;
                books[b]
                    .vaccinations
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| {
                        v.vaccine.code == code.code && v.next_dose_due.is_none() && v.date < due
                    })
                    .max_by_key(|(_, v)| v.date)
                    .map(|(k, _)| (b, k))
            });
            match target {
                Some((b, k)) => {
                    if let Some(v) = books
                        .get_mut(b)
                        .and_then(|book| book.vaccinations.get_mut(k))
                    {
                        v.next_dose_due = Some(due);
                    }
                }
                None => self.skip(
                    "ImmunizationRecommendation",
                    id.as_deref(),
                    SkipReason::NoMatchingImmunization,
                ),
            }
        }
    }

    fn medicine(&mut self, mr: &MedicationRequest) -> Option<model::Medicine> {
        let medication = match self.resolve(mr.medication_reference.as_ref()) {
            Some(i) => match &self.parsed[i] {
                Parsed::Medication(m) => {
                    self.used[i] = true;
                    Some(m.clone())
                }
                _ => None,
            },
            None => None,
        };
        let name = mr
            .medication_codeable_concept
            .as_ref()
            .and_then(concept_text)
            .or_else(|| {
                medication
                    .as_ref()
                    .and_then(|m| m.code.as_ref())
                    .and_then(concept_text)
            })
            .or_else(|| {
                mr.medication_reference
                    .as_ref()
                    .and_then(|r| r.display.clone())
            })?;
        let string_ext = |url: &str| {
            mr.extension
                .iter()
                .find(|e| e.url == url)
                .and_then(|e| e.value_string.clone())
        };
        let quantity = mr
            .dispense_request
            .as_ref()
            .and_then(|d| d.quantity.as_ref());
        let supply = mr
            .dispense_request
            .as_ref()
            .and_then(|d| d.expected_supply_duration.as_ref());
        let dosage = mr.dosage_instruction.first();
        let bounds = dosage
            .and_then(|d| d.timing.as_ref())
            .and_then(|t| t.repeat.as_ref())
            .and_then(|r| r.bounds_duration.as_ref());
        Some(model::Medicine {
            name,
            active_ingredient: string_ext(ext::ACTIVE_INGREDIENT).or_else(|| {
                medication
                    .as_ref()
                    .and_then(|m| m.ingredient.first())
                    .and_then(|i| i.item_codeable_concept.as_ref())
                    .and_then(concept_text)
            }),
            strength: string_ext(ext::STRENGTH),
            form: string_ext(ext::FORM).or_else(|| {
                medication
                    .as_ref()
                    .and_then(|m| m.form.as_ref())
                    .and_then(concept_text)
            }),
            quantity: quantity.and_then(|q| q.value.as_ref()).and_then(number_u32),
            unit: quantity.and_then(|q| q.unit.clone().or_else(|| q.code.clone())),
            dosage: dosage.map(model_dosage).unwrap_or_default(),
            duration_days: supply.and_then(days).or_else(|| bounds.and_then(days)),
        })
    }

    fn prescription(&mut self, members: &[usize]) -> Option<model::Prescription> {
        let requests: Vec<(usize, MedicationRequest)> = members
            .iter()
            .filter_map(|&i| match &self.parsed[i] {
                Parsed::MedicationRequest(mr) => Some((i, (**mr).clone())),
                _ => None,
            })
            .collect();
        let (first_index, first) = requests.first()?.clone();
        self.current_scope = self.entries[first_index].scope;
        let first_id = self.entries[first_index].id.clone();
        let Some(issued_at) = first.authored_on.as_deref().and_then(parse_instant) else {
            for (i, _) in &requests {
                let id = self.entries[*i].id.clone();
                self.skip("MedicationRequest", id.as_deref(), SkipReason::NoDate);
            }
            return None;
        };
        let mut medicines = Vec::new();
        for (i, mr) in &requests {
            let marked_empty = mr
                .extension
                .iter()
                .any(|e| e.url == ext::WITHOUT_MEDICINE && e.value_boolean);
            if marked_empty {
                continue;
            }
            match self.medicine(mr) {
                Some(m) => medicines.push(m),
                None => {
                    let id = self.entries[*i].id.clone();
                    self.skip("MedicationRequest", id.as_deref(), SkipReason::NoMedication);
                }
            }
        }
        let only_unusable = medicines.is_empty()
            && !requests.iter().any(|(_, mr)| {
                mr.extension
                    .iter()
                    .any(|e| e.url == ext::WITHOUT_MEDICINE && e.value_boolean)
            });
        if only_unusable {
            return None;
        }
        let code = first
            .group_identifier
            .as_ref()
            .and_then(|g| g.value.clone())
            .unwrap_or_default();
        let kind = first
            .extension
            .iter()
            .find(|e| e.url == ext::PRESCRIPTION_KIND)
            .and_then(|e| e.value_code.as_deref())
            .and_then(|c| c.chars().next())
            .and_then(PrescriptionKind::from_letter)
            .or_else(|| PrescriptionCode::parse(&code).ok().map(|c| c.kind()))
            .unwrap_or(PrescriptionKind::Basic);
        let facility_ref = first
            .extension
            .iter()
            .find(|e| e.url == ext::PRESCRIPTION_FACILITY)
            .and_then(|e| e.value_reference.clone());
        let encounter_provider = match self.resolve(first.encounter.as_ref()) {
            Some(i) => match &self.parsed[i] {
                Parsed::Encounter(e) => {
                    self.used[i] = true;
                    e.service_provider.clone()
                }
                _ => None,
            },
            None => None,
        };
        let facility = self
            .organization(facility_ref.as_ref())
            .or_else(|| self.organization(first.performer.as_ref()))
            .or_else(|| self.organization(encounter_provider.as_ref()))
            .or_else(|| self.organization(first.requester.as_ref()))
            .unwrap_or(Facility {
                code: None,
                name: String::new(),
            });
        let prescriber = match self.practitioner_name(first.requester.as_ref()) {
            Some((name, practitioner_code)) => Prescriber {
                name,
                practitioner_code,
            },
            None => Prescriber {
                name: first
                    .requester
                    .as_ref()
                    .filter(|r| {
                        !r.reference
                            .as_deref()
                            .unwrap_or("")
                            .contains("Organization/")
                    })
                    .and_then(|r| r.display.clone())
                    .unwrap_or_default(),
                practitioner_code: None,
            },
        };
        let mut diagnoses: Vec<Diagnosis> =
            first.reason_code.iter().filter_map(diagnosis).collect();
        for r in &first.reason_reference {
            if let Some(i) = self.resolve(Some(r)) {
                if let Parsed::Condition(c) = &self.parsed[i] {
                    if let Some(d) = c.code.as_ref().and_then(diagnosis) {
                        diagnoses.push(d);
                    }
                    self.used[i] = true;
                }
            }
        }
        let id = identifier_value(&first.identifier, RECORD_ID_SYSTEM)
            .or_else(|| Some(code.clone()).filter(|c| !c.is_empty()))
            .or(first_id)
            .unwrap_or_else(|| format!("medicationrequest-{first_index}"));
        Some(model::Prescription {
            id: RecordId(id),
            code,
            kind,
            issued_at,
            facility,
            prescriber,
            diagnoses,
            medicines,
            advice: first.note.first().and_then(|n| n.text.clone()),
            re_examination_on: first
                .extension
                .iter()
                .find(|e| e.url == ext::RE_EXAMINATION)
                .and_then(|e| e.value_date.as_deref())
                .and_then(parse_date),
            recorded_by: self.origin(&first.extension),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Small readers

fn identifier_value(identifiers: &[Identifier], system: &str) -> Option<String> {
    identifiers
        .iter()
        .find(|i| i.system.as_deref() == Some(system))
        .and_then(|i| i.value.clone())
}

/// A name as people write it: `text`, or family then given names (Vietnamese order).
fn name_text(name: &HumanName) -> String {
    match &name.text {
        Some(text) => text.clone(),
        None => name
            .family
            .iter()
            .chain(name.given.iter())
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" "),
    }
}

fn concept_text(cc: &CodeableConcept) -> Option<String> {
    cc.text
        .clone()
        .or_else(|| cc.coding.iter().find_map(|c| c.display.clone()))
        .or_else(|| cc.coding.iter().find_map(|c| c.code.clone()))
}

fn concept_coding(cc: &CodeableConcept) -> Option<model::Coding> {
    match cc.coding.first() {
        Some(c) => {
            let code = c.code.clone().unwrap_or_default();
            let display = c
                .display
                .clone()
                .or_else(|| cc.text.clone())
                .unwrap_or_else(|| code.clone());
            Some(model::Coding {
                system: c.system.clone(),
                code,
                display,
            })
        }
        None => cc.text.clone().map(|t| model::Coding {
            system: None,
            code: t.clone(),
            display: t,
        }),
    }
}

fn vaccine_coding(cc: &CodeableConcept) -> Option<model::Coding> {
    if cc.coding.is_empty() {
        // Text only: recognise it in the vaccine table when possible.
        let text = cc.text.clone()?;
        let probe = model::Coding {
            system: None,
            code: String::new(),
            display: text.clone(),
        };
        return Some(
            vaccines::find(&probe)
                .map(|v| v.coding())
                .unwrap_or(model::Coding {
                    system: None,
                    code: text.clone(),
                    display: text,
                }),
        );
    }
    // Several codings (a register code beside a brand, say): the first one the vaccine table or
    // its aliases recognise, else the first as written.
    let recognised = cc.coding.iter().position(|c| {
        vaccines::find(&model::Coding {
            system: c.system.clone(),
            code: c.code.clone().unwrap_or_default(),
            display: c.display.clone().unwrap_or_default(),
        })
        .is_some()
    });
    match recognised {
        Some(i) if i > 0 => concept_coding(&CodeableConcept {
            coding: cc.coding[i..].to_vec(),
            ..cc.clone()
        }),
        _ => concept_coding(cc),
    }
}

fn diagnosis(cc: &CodeableConcept) -> Option<Diagnosis> {
    let coding = cc
        .coding
        .iter()
        .find(|c| c.system.as_deref() == Some(ICD10_SYSTEM))
        .or_else(|| cc.coding.first());
    match coding {
        Some(c) => Some(Diagnosis {
            icd10: c.code.clone().unwrap_or_default(),
            text: c
                .display
                .clone()
                .or_else(|| cc.text.clone())
                .unwrap_or_default(),
        }),
        None => cc.text.clone().map(|text| Diagnosis {
            icd10: String::new(),
            text,
        }),
    }
}

fn positive_int(value: Option<&Value>, text: Option<&str>) -> Option<u32> {
    value
        .and_then(|v| v.as_u64())
        .and_then(|n| u32::try_from(n).ok())
        .or_else(|| text?.trim().parse().ok())
}

fn number_u32(n: &serde_json::Number) -> Option<u32> {
    if let Some(u) = n.as_u64() {
        return u32::try_from(u).ok();
    }
    let f = n.as_f64()?;
    (f >= 0.0 && f.fract() == 0.0 && f <= f64::from(u32::MAX)).then_some(f as u32)
}

/// A duration quantity in whole days (days or weeks).
fn days(q: &Quantity) -> Option<u32> {
    let n = number_u32(q.value.as_ref()?)?;
    match q.code.as_deref().or(q.unit.as_deref()).unwrap_or("d") {
        "d" | "day" | "days" | "ngày" => Some(n),
        "wk" | "week" | "weeks" | "tuần" => n.checked_mul(7),
        _ => None,
    }
}

fn model_dosage(d: &Dosage) -> model::Dosage {
    let repeat = d.timing.as_ref().and_then(|t| t.repeat.as_ref());
    let per_day = repeat.is_some_and(|r| {
        r.period.as_ref().and_then(number_u32).unwrap_or(1) == 1
            && r.period_unit.as_deref().unwrap_or("d") == "d"
    });
    let times_per_day = repeat
        .and_then(|r| r.frequency.as_ref())
        .and_then(|f| f.as_u64())
        .and_then(|n| u32::try_from(n).ok())
        .filter(|_| per_day);
    let when: &[String] = repeat.map(|r| r.when.as_slice()).unwrap_or(&[]);
    let times_of_day = when.iter().filter_map(|w| time_of_day(w)).collect();
    let with_meals = when.iter().find_map(|w| meal(w));
    let amount = d
        .extension
        .iter()
        .find(|e| e.url == ext::DOSE_AMOUNT)
        .and_then(|e| e.value_string.clone())
        .or_else(|| {
            d.dose_and_rate
                .first()
                .and_then(|r| r.dose_quantity.as_ref())
                .and_then(|q| q.value.as_ref())
                .map(|n| n.to_string())
        });
    model::Dosage {
        amount_per_dose: amount,
        times_per_day,
        times_of_day,
        with_meals,
        route: d.route.as_ref().and_then(concept_text),
        text: d.text.clone(),
    }
}

fn time_of_day(code: &str) -> Option<TimeOfDay> {
    [
        TimeOfDay::Morning,
        TimeOfDay::Noon,
        TimeOfDay::Afternoon,
        TimeOfDay::Evening,
        TimeOfDay::Bedtime,
    ]
    .into_iter()
    .find(|t| time_of_day_code(*t) == code)
}

fn meal(code: &str) -> Option<MealRelation> {
    match code {
        "ACM" | "ACD" | "ACV" => Some(MealRelation::BeforeMeals),
        "PCM" | "PCD" | "PCV" => Some(MealRelation::AfterMeals),
        "CM" | "CD" | "CV" => Some(MealRelation::WithMeals),
        _ => [
            MealRelation::BeforeMeals,
            MealRelation::AfterMeals,
            MealRelation::WithMeals,
        ]
        .into_iter()
        .find(|m| meal_code(*m) == code),
    }
}

fn blood_group(code: &str) -> Option<model::BloodGroup> {
    use model::BloodGroup::*;
    [
        APositive, ANegative, BPositive, BNegative, AbPositive, AbNegative, OPositive, ONegative,
    ]
    .into_iter()
    .find(|b| blood_group_code(*b) == code)
}

fn part<'a>(e: &'a Extension, url: &str) -> Option<&'a Extension> {
    e.extension.iter().find(|p| p.url == url)
}

fn record_origin(e: &Extension) -> Option<RecordOrigin> {
    let kind = part(e, "kind")?.value_code.as_deref()?;
    let origin = match kind {
        "synced" => RecordOrigin::Synced {
            source: part(e, "source")
                .and_then(|p| p.value_uri.clone().or_else(|| p.value_string.clone()))
                .unwrap_or_default(),
        },
        "imported" => RecordOrigin::Imported,
        "entered-by-staff" => RecordOrigin::EnteredByStaff {
            staff: part(e, "staff").and_then(|p| p.value_string.clone()),
            at: part(e, "at")
                .and_then(|p| p.value_date_time.as_deref())
                .and_then(parse_instant)?,
        },
        _ => return None,
    };
    debug_assert_eq!(origin_kind(&origin), kind);
    Some(origin)
}

fn provenance(e: &Extension) -> Option<Provenance> {
    let text = |url: &str| {
        part(e, url).and_then(|p| p.value_string.clone().or_else(|| p.value_uri.clone()))
    };
    let stamp = |url: &str| {
        part(e, url)
            .and_then(|p| p.value_date_time.as_deref())
            .and_then(parse_instant)
    };
    let source = match part(e, "source-kind")?.value_code.as_deref()? {
        "server" => BookSource::Server {
            base_url: text("base-url").unwrap_or_default(),
            patient_id: text("patient-id").unwrap_or_default(),
        },
        "imported" => BookSource::Imported {
            file_name: text("file-name"),
        },
        "entered-on-device" => BookSource::EnteredOnDevice,
        _ => return None,
    };
    Some(Provenance {
        source,
        source_updated_at: stamp("source-updated-at"),
        source_version: text("source-version"),
        last_synced_at: stamp("last-synced-at"),
    })
}

fn ymd(text: &str) -> Option<(i32, Option<u8>, Option<u8>)> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let s = b.get(r)?;
        if s.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(s).ok()?.parse().ok()
        } else {
            None
        }
    };
    let year = i32::try_from(digits(0..4)?).ok()?;
    match b.len() {
        4 => Some((year, None, None)),
        7 if b[4] == b'-' => Some((year, Some(digits(5..7)? as u8), None)),
        n if n >= 10 && b[4] == b'-' && b[7] == b'-' && (n == 10 || b[10] == b'T') => {
            Some((year, Some(digits(5..7)? as u8), Some(digits(8..10)? as u8)))
        }
        _ => None,
    }
}

/// `YYYY-MM-DD`, or the date part of a dateTime as written (its own time zone).
pub(crate) fn parse_date(text: &str) -> Option<Date> {
    let (y, m, d) = ymd(text.trim())?;
    Date::from_calendar_date(y, Month::try_from(m?).ok()?, d?).ok()
}

/// A birth date, completing "1950" and "1950-03" to the first day (elderly people often have no
/// recorded day); the flag says it was completed.
fn parse_birth_date(text: &str) -> Option<(Date, bool)> {
    let (y, m, d) = ymd(text.trim())?;
    let date =
        Date::from_calendar_date(y, Month::try_from(m.unwrap_or(1)).ok()?, d.unwrap_or(1)).ok()?;
    Some((date, d.is_none()))
}

/// An RFC 3339 instant; a bare date is midnight in Vietnam.
pub(crate) fn parse_instant(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim();
    OffsetDateTime::parse(text, &Rfc3339).ok().or_else(|| {
        let date = parse_date(text).filter(|_| text.len() == 10)?;
        Some(PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_offset(offset!(+7)))
    })
}
