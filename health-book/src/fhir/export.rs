//! A book (or several) to a FHIR `collection` Bundle. See the mapping in the module above.

use serde_json::{Number, Value};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

use super::resources::*;
use super::*;
use crate::device::DeviceMode;
use crate::model::{self, BookSource, HealthBook, MealRelation, RecordOrigin, TimeOfDay};

mod profile;
// Care plan (issue 19)
mod care;

pub(crate) fn date_text(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// RFC 3339, or nothing for the rare value RFC 3339 cannot write (years past 9999, offsets with
/// seconds), which storage cannot hold either.
pub(crate) fn timestamp_text(at: OffsetDateTime) -> Option<String> {
    at.format(&Rfc3339).ok()
}

fn string_ext(url: &str, value: &str) -> Extension {
    Extension {
        url: url.into(),
        value_string: Some(value.into()),
        ..Extension::default()
    }
}

fn code_ext(url: &str, value: &str) -> Extension {
    Extension {
        url: url.into(),
        value_code: Some(value.into()),
        ..Extension::default()
    }
}

fn reference(resource_type: &str, id: &str) -> Reference {
    Reference {
        reference: Some(format!("{resource_type}/{id}")),
        display: None,
    }
}

fn record_id(id: &model::RecordId) -> Identifier {
    Identifier {
        system: Some(RECORD_ID_SYSTEM.into()),
        value: Some(id.0.clone()),
        ..Identifier::default()
    }
}

pub(crate) fn origin_kind(origin: &RecordOrigin) -> &'static str {
    match origin {
        RecordOrigin::Synced { .. } => "synced",
        RecordOrigin::Imported => "imported",
        RecordOrigin::EnteredByStaff { .. } => "entered-by-staff",
        RecordOrigin::SelfReported { .. } => "self-reported",
    }
}

pub(crate) fn device_mode_code(mode: DeviceMode) -> &'static str {
    match mode {
        DeviceMode::Shared => "shared",
        DeviceMode::Personal => "personal",
    }
}

fn at_ext(at: OffsetDateTime) -> Option<Extension> {
    timestamp_text(at).map(|at| Extension {
        url: "at".into(),
        value_date_time: Some(at),
        ..Extension::default()
    })
}

fn origin_ext(origin: &RecordOrigin) -> Extension {
    let mut parts = vec![code_ext("kind", origin_kind(origin))];
    match origin {
        RecordOrigin::Synced { source } => parts.push(Extension {
            url: "source".into(),
            value_uri: Some(source.clone()),
            ..Extension::default()
        }),
        RecordOrigin::Imported => {}
        RecordOrigin::EnteredByStaff { staff, device, at } => {
            if let Some(staff) = staff {
                parts.push(string_ext("staff", staff));
            }
            if let Some(device) = device {
                parts.push(code_ext("device", device_mode_code(*device)));
            }
            parts.extend(at_ext(*at));
        }
        RecordOrigin::SelfReported { at } => parts.extend(at_ext(*at)),
    }
    Extension {
        url: ext::RECORD_ORIGIN.into(),
        extension: parts,
        ..Extension::default()
    }
}

fn provenance_ext(p: &model::Provenance) -> Extension {
    let mut parts = Vec::new();
    match &p.source {
        BookSource::Server {
            base_url,
            patient_id,
        } => {
            parts.push(code_ext("source-kind", "server"));
            parts.push(Extension {
                url: "base-url".into(),
                value_uri: Some(base_url.clone()),
                ..Extension::default()
            });
            parts.push(string_ext("patient-id", patient_id));
        }
        BookSource::Imported { file_name } => {
            parts.push(code_ext("source-kind", "imported"));
            if let Some(name) = file_name {
                parts.push(string_ext("file-name", name));
            }
        }
        BookSource::EnteredOnDevice => parts.push(code_ext("source-kind", "entered-on-device")),
    }
    let stamp = |url: &str, at: Option<OffsetDateTime>| {
        at.and_then(timestamp_text).map(|v| Extension {
            url: url.into(),
            value_date_time: Some(v),
            ..Extension::default()
        })
    };
    parts.extend(stamp("source-updated-at", p.source_updated_at));
    if let Some(v) = &p.source_version {
        parts.push(string_ext("source-version", v));
    }
    parts.extend(stamp("last-synced-at", p.last_synced_at));
    Extension {
        url: ext::BOOK_PROVENANCE.into(),
        extension: parts,
        ..Extension::default()
    }
}

pub(crate) fn blood_group_code(b: model::BloodGroup) -> &'static str {
    use model::BloodGroup::*;
    match b {
        APositive => "A+",
        ANegative => "A-",
        BPositive => "B+",
        BNegative => "B-",
        AbPositive => "AB+",
        AbNegative => "AB-",
        OPositive => "O+",
        ONegative => "O-",
    }
}

pub(crate) fn time_of_day_code(t: TimeOfDay) -> &'static str {
    match t {
        TimeOfDay::Morning => "MORN",
        TimeOfDay::Noon => "NOON",
        TimeOfDay::Afternoon => "AFT",
        TimeOfDay::Evening => "EVE",
        TimeOfDay::Bedtime => "HS",
    }
}

pub(crate) fn meal_code(m: MealRelation) -> &'static str {
    match m {
        MealRelation::BeforeMeals => "AC",
        MealRelation::AfterMeals => "PC",
        MealRelation::WithMeals => "C",
    }
}

/// Ids of one book's resources, and the shared Organizations and Practitioners.
struct Writer {
    prefix: String,
    entries: Vec<BundleEntry>,
    organizations: Vec<(model::Facility, String)>,
    practitioners: Vec<(model::Prescriber, String)>,
}

impl Writer {
    fn push(&mut self, resource_type: &str, id: &str, resource: Resource) {
        self.entries.push(BundleEntry {
            full_url: Some(format!("{FULL_URL_BASE}{resource_type}/{id}")),
            resource,
        });
    }

    fn organization(&mut self, facility: &model::Facility) -> Reference {
        if let Some((_, id)) = self.organizations.iter().find(|(f, _)| f == facility) {
            return reference("Organization", id);
        }
        let id = format!("{}-org-{}", self.prefix, self.organizations.len() + 1);
        self.organizations.push((facility.clone(), id.clone()));
        reference("Organization", &id)
    }

    fn practitioner(&mut self, prescriber: &model::Prescriber) -> Reference {
        if let Some((_, id)) = self.practitioners.iter().find(|(p, _)| p == prescriber) {
            return reference("Practitioner", id);
        }
        let id = format!("{}-prac-{}", self.prefix, self.practitioners.len() + 1);
        self.practitioners.push((prescriber.clone(), id.clone()));
        reference("Practitioner", &id)
    }

    fn finish(mut self) -> Vec<BundleEntry> {
        for (facility, id) in std::mem::take(&mut self.organizations) {
            let org = facility_resource(facility, &id);
            self.push("Organization", &id, Resource::Organization(org));
        }
        for (prescriber, id) in std::mem::take(&mut self.practitioners) {
            let identifier = prescriber
                .practitioner_code
                .iter()
                .map(|c| Identifier {
                    system: Some(PRACTISING_CERTIFICATE_SYSTEM.into()),
                    value: Some(c.clone()),
                    ..Identifier::default()
                })
                .collect();
            let name = vec![HumanName {
                text: Some(prescriber.name),
                ..HumanName::default()
            }];
            self.push(
                "Practitioner",
                &id,
                Resource::Practitioner(Practitioner {
                    id: Some(id.clone()),
                    identifier,
                    name,
                }),
            );
        }
        self.entries
    }
}

/// A facility as FHIR writes an Organization (and, with the same fields, a Location).
fn facility_resource(facility: model::Facility, id: &str) -> Organization {
    let identifier = facility
        .code
        .iter()
        .map(|c| Identifier {
            system: Some(FACILITY_CODE_SYSTEM.into()),
            value: Some(c.clone()),
            ..Identifier::default()
        })
        .collect();
    Organization {
        id: Some(id.to_owned()),
        identifier,
        name: Some(facility.name),
    }
}

fn patient(w: &mut Writer, book: &HealthBook, id: &str) -> Patient {
    let p = &book.profile;
    let mut identifier = vec![Identifier {
        system: Some(NATIONAL_ID_SYSTEM.into()),
        value: Some(p.citizen_id.as_str().into()),
        period: p.card_issued_on.map(|d| Period {
            start: Some(date_text(d)),
            end: None,
        }),
        ..Identifier::default()
    }];
    if let Some(old) = &p.old_id_number {
        identifier.push(Identifier {
            system: Some(OLD_ID_SYSTEM.into()),
            value: Some(old.as_str().into()),
            ..Identifier::default()
        });
    }
    if let Some(card) = &p.health_insurance {
        let period = (card.valid_from.is_some() || card.valid_to.is_some()).then(|| Period {
            start: card.valid_from.map(date_text),
            end: card.valid_to.map(date_text),
        });
        let extension = card
            .registered_facility
            .iter()
            .map(|f| Extension {
                url: ext::INSURANCE_FACILITY.into(),
                value_reference: Some(w.organization(f)),
                ..Extension::default()
            })
            .collect();
        identifier.push(Identifier {
            extension,
            system: Some(INSURANCE_NUMBER_SYSTEM.into()),
            value: Some(card.code.clone()),
            period,
        });
    }
    // Blood group, allergies and chronic conditions are their own resources (`profile.rs`), which
    // other systems read; the app's older Patient extensions for them are only read, never written.
    let extension = vec![provenance_ext(&book.provenance)];
    let mut words = p.full_name.split_whitespace();
    let family = words.next().map(str::to_string);
    let given: Vec<String> = words.map(str::to_string).collect();
    let phone = |value: &str| ContactPoint {
        system: Some("phone".into()),
        value: Some(value.into()),
    };
    Patient {
        id: Some(id.into()),
        meta: Some(Meta {
            version_id: book.provenance.source_version.clone(),
            last_updated: book.provenance.source_updated_at.and_then(timestamp_text),
            source: None,
        })
        .filter(|m| m.version_id.is_some() || m.last_updated.is_some()),
        extension,
        identifier,
        name: vec![HumanName {
            use_: Some("official".into()),
            text: Some(p.full_name.clone()),
            family,
            given: if given.is_empty() {
                Vec::new()
            } else {
                vec![given.join(" ")]
            },
        }],
        telecom: p.phone.iter().map(|v| phone(v)).collect(),
        gender: Some(match p.sex {
            model::Sex::Male => "male".into(),
            model::Sex::Female => "female".into(),
        }),
        birth_date: Some(date_text(p.date_of_birth)),
        address: p
            .address
            .iter()
            .map(|a| Address {
                text: Some(a.clone()),
                ..Address::default()
            })
            .collect(),
        contact: p
            .emergency_contact
            .iter()
            .map(|c| PatientContact {
                relationship: c
                    .relationship
                    .iter()
                    .map(|r| CodeableConcept {
                        coding: Vec::new(),
                        text: Some(r.clone()),
                    })
                    .collect(),
                name: Some(HumanName {
                    text: Some(c.name.clone()),
                    ..HumanName::default()
                }),
                telecom: vec![phone(&c.phone)],
            })
            .collect(),
    }
}

fn coding(c: &model::Coding) -> Coding {
    Coding {
        system: c.system.clone(),
        code: Some(c.code.clone()),
        display: Some(c.display.clone()),
    }
}

fn immunization(
    w: &mut Writer,
    v: &model::Vaccination,
    id: &str,
    patient_ref: &Reference,
) -> Immunization {
    let mut performer = Vec::new();
    if let Some(f) = &v.facility {
        performer.push(ImmunizationPerformer {
            function: None,
            actor: Some(w.organization(f)),
        });
    }
    if let Some(person) = &v.administered_by {
        performer.push(ImmunizationPerformer {
            function: Some(CodeableConcept {
                coding: vec![Coding {
                    system: Some("http://terminology.hl7.org/CodeSystem/v2-0443".into()),
                    code: Some("AP".into()),
                    display: Some("Administering Provider".into()),
                }],
                text: None,
            }),
            actor: Some(Reference {
                reference: None,
                display: Some(person.clone()),
            }),
        });
    }
    let protocol = ProtocolApplied {
        target_disease: v
            .target_diseases
            .iter()
            .map(|d| CodeableConcept {
                coding: vec![coding(d)],
                text: None,
            })
            .collect(),
        dose_number_positive_int: v.dose_number.map(Value::from),
        // doseNumber is required in protocolApplied: say "unknown" rather than leave it out.
        dose_number_string: v.dose_number.is_none().then(|| "unknown".into()),
        series_doses_positive_int: v.series_doses.map(Value::from),
        series_doses_string: None,
    };
    let has_protocol =
        v.dose_number.is_some() || v.series_doses.is_some() || !v.target_diseases.is_empty();
    Immunization {
        id: Some(id.into()),
        extension: vec![origin_ext(&v.recorded_by)],
        identifier: vec![record_id(&v.id)],
        status: Some("completed".into()),
        vaccine_code: Some(CodeableConcept {
            coding: vec![coding(&v.vaccine)],
            text: None,
        }),
        patient: Some(patient_ref.clone()),
        occurrence_date_time: Some(date_text(v.date)),
        lot_number: v.lot_number.clone(),
        manufacturer: v.manufacturer.as_ref().map(|m| Reference {
            reference: None,
            display: Some(m.clone()),
        }),
        location: None,
        performer,
        protocol_applied: if has_protocol {
            vec![protocol]
        } else {
            Vec::new()
        },
    }
}

fn quantity_days(days: u32) -> Quantity {
    Quantity {
        value: Some(Number::from(days)),
        unit: Some("days".into()),
        system: Some("http://unitsofmeasure.org".into()),
        code: Some("d".into()),
    }
}

fn dosage(m: &model::Medicine) -> Vec<Dosage> {
    let d = &m.dosage;
    let mut when: Vec<String> = d
        .times_of_day
        .iter()
        .map(|t| time_of_day_code(*t).to_string())
        .collect();
    when.extend(d.with_meals.map(|m| meal_code(m).to_string()));
    let timing = (d.times_per_day.is_some() || !when.is_empty()).then(|| Timing {
        repeat: Some(TimingRepeat {
            bounds_duration: None,
            frequency: d.times_per_day.map(Value::from),
            period: d.times_per_day.map(|_| Number::from(1)),
            period_unit: d.times_per_day.map(|_| "d".into()),
            when,
        }),
    });
    let out = Dosage {
        extension: d
            .amount_per_dose
            .iter()
            .map(|a| string_ext(ext::DOSE_AMOUNT, a))
            .collect(),
        text: d.text.clone(),
        timing,
        route: d.route.as_ref().map(|r| CodeableConcept {
            coding: Vec::new(),
            text: Some(r.clone()),
        }),
        dose_and_rate: Vec::new(),
    };
    if out == Dosage::default() {
        Vec::new()
    } else {
        vec![out]
    }
}

fn medication_requests(
    w: &mut Writer,
    p: &model::Prescription,
    index: usize,
    patient_ref: &Reference,
) -> Vec<(String, MedicationRequest)> {
    let mut extension = vec![
        origin_ext(&p.recorded_by),
        code_ext(
            ext::PRESCRIPTION_KIND,
            p.kind.letter().encode_utf8(&mut [0; 4]),
        ),
    ];
    extension.push(Extension {
        url: ext::PRESCRIPTION_FACILITY.into(),
        value_reference: Some(w.organization(&p.facility)),
        ..Extension::default()
    });
    if let Some(d) = p.re_examination_on {
        extension.push(Extension {
            url: ext::RE_EXAMINATION.into(),
            value_date: Some(date_text(d)),
            ..Extension::default()
        });
    }
    let requester = w.practitioner(&p.prescriber);
    let common = MedicationRequest {
        id: None,
        extension,
        identifier: vec![record_id(&p.id)],
        status: Some("completed".into()),
        intent: Some("order".into()),
        medication_codeable_concept: None,
        medication_reference: None,
        subject: Some(patient_ref.clone()),
        encounter: None,
        authored_on: timestamp_text(p.issued_at),
        requester: Some(requester),
        performer: None,
        reason_code: p
            .diagnoses
            .iter()
            .map(|d| CodeableConcept {
                coding: vec![Coding {
                    system: Some(ICD10_SYSTEM.into()),
                    code: Some(d.icd10.clone()),
                    display: Some(d.text.clone()),
                }],
                text: None,
            })
            .collect(),
        reason_reference: Vec::new(),
        group_identifier: Some(Identifier {
            system: Some(PRESCRIPTION_CODE_SYSTEM.into()),
            value: Some(p.code.clone()),
            ..Identifier::default()
        }),
        note: p
            .advice
            .iter()
            .map(|a| Annotation {
                text: Some(a.clone()),
            })
            .collect(),
        dosage_instruction: Vec::new(),
        dispense_request: None,
    };
    if p.medicines.is_empty() {
        // A prescription needs at least one request to exist in FHIR: a marked placeholder.
        let mut r = common;
        let id = format!("{}-mr-{}-0", w.prefix, index + 1);
        r.id = Some(id.clone());
        r.extension.push(Extension {
            url: ext::WITHOUT_MEDICINE.into(),
            value_boolean: true,
            ..Extension::default()
        });
        r.medication_codeable_concept = Some(CodeableConcept {
            coding: Vec::new(),
            text: Some("-".into()),
        });
        return vec![(id, r)];
    }
    p.medicines
        .iter()
        .enumerate()
        .map(|(j, m)| {
            let mut r = common.clone();
            let id = format!("{}-mr-{}-{}", w.prefix, index + 1, j + 1);
            r.id = Some(id.clone());
            r.extension.extend(
                m.active_ingredient
                    .iter()
                    .map(|v| string_ext(ext::ACTIVE_INGREDIENT, v)),
            );
            r.extension
                .extend(m.strength.iter().map(|v| string_ext(ext::STRENGTH, v)));
            r.extension
                .extend(m.form.iter().map(|v| string_ext(ext::FORM, v)));
            r.medication_codeable_concept = Some(CodeableConcept {
                coding: Vec::new(),
                text: Some(m.name.clone()),
            });
            r.dosage_instruction = dosage(m);
            let quantity = (m.quantity.is_some() || m.unit.is_some()).then(|| Quantity {
                value: m.quantity.map(Number::from),
                unit: m.unit.clone(),
                system: None,
                code: None,
            });
            let supply = m.duration_days.map(quantity_days);
            r.dispense_request =
                (quantity.is_some() || supply.is_some()).then_some(DispenseRequest {
                    quantity,
                    expected_supply_duration: supply,
                });
            (id, r)
        })
        .collect()
}

pub(super) fn book_entries(book: &HealthBook, prefix: &str) -> Vec<BundleEntry> {
    let mut w = Writer {
        prefix: prefix.into(),
        entries: Vec::new(),
        organizations: Vec::new(),
        practitioners: Vec::new(),
    };
    let patient_id = prefix.to_string();
    let patient_resource = patient(&mut w, book, &patient_id);
    w.push(
        "Patient",
        &patient_id,
        Resource::Patient(Box::new(patient_resource)),
    );
    let patient_ref = reference("Patient", &patient_id);
    profile::profile_entries(&mut w, &book.profile, &patient_ref);
    for (i, v) in book.vaccinations.iter().enumerate() {
        let id = format!("{prefix}-imm-{}", i + 1);
        let imm = immunization(&mut w, v, &id, &patient_ref);
        w.push("Immunization", &id, Resource::Immunization(Box::new(imm)));
        if let Some(due) = v.next_dose_due {
            let rec_id = format!("{prefix}-rec-{}", i + 1);
            let rec = ImmunizationRecommendation {
                id: Some(rec_id.clone()),
                patient: Some(patient_ref.clone()),
                // R4 requires when the recommendation was made (1..1). The book keeps no such
                // date; the next dose is decided when a dose is given, so the dose's date is the
                // truthful one. The importer does not need it (files written before have none).
                date: Some(date_text(v.date)),
                recommendation: vec![Recommendation {
                    vaccine_code: vec![CodeableConcept { coding: vec![coding(&v.vaccine)], text: None }],
                    forecast_status: Some(CodeableConcept {
                        coding: vec![Coding {
                            system: Some("http://terminology.hl7.org/CodeSystem/immunization-recommendation-status".into()),
                            code: Some("due".into()),
                            display: None,
                        }],
                        text: None,
                    }),
                    date_criterion: vec![DateCriterion {
                        code: Some(CodeableConcept {
                            coding: vec![Coding {
                                system: Some(LOINC_SYSTEM.into()),
                                code: Some(DATE_VACCINE_DUE.into()),
                                display: Some("Date vaccine due".into()),
                            }],
                            text: None,
                        }),
                        value: Some(date_text(due)),
                    }],
                    supporting_immunization: vec![reference("Immunization", &id)],
                }],
            };
            w.push(
                "ImmunizationRecommendation",
                &rec_id,
                Resource::ImmunizationRecommendation(Box::new(rec)),
            );
        }
    }
    for (i, p) in book.prescriptions.iter().enumerate() {
        for (id, r) in medication_requests(&mut w, p, i, &patient_ref) {
            w.push(
                "MedicationRequest",
                &id,
                Resource::MedicationRequest(Box::new(r)),
            );
        }
    }
    care::care_entries(&mut w, book, &patient_ref);
    w.finish()
}

/// One book as a `collection` Bundle.
pub fn export_book(book: &HealthBook) -> Bundle {
    export_books(std::slice::from_ref(book))
}

/// Several books as one `collection` Bundle with one Patient each.
pub fn export_books(books: &[HealthBook]) -> Bundle {
    let entry = books
        .iter()
        .enumerate()
        .flat_map(|(i, b)| book_entries(b, &format!("p{}", i + 1)))
        .collect();
    Bundle {
        type_: "collection".into(),
        timestamp: None,
        entry,
    }
}

fn to_json(bundle: &Bundle) -> String {
    // These structs hold only strings, integers and booleans under string keys: serde_json cannot
    // fail on them.
    serde_json::to_string(bundle).expect("FHIR bundle structs always serialize")
}

pub fn export_book_json(book: &HealthBook) -> String {
    to_json(&export_book(book))
}

pub fn export_books_json(books: &[HealthBook]) -> String {
    to_json(&export_books(books))
}
