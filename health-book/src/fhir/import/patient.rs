//! A Patient to the book's profile and provenance.

use super::*;
use crate::ids::{CitizenId, OldIdNumber};
use crate::model::{EmergencyContact, Facility, HealthInsuranceCard, Profile, Provenance, Sex};
use crate::text::nfc;

impl Reader<'_> {
    pub(super) fn profile(&mut self, p: &Patient) -> Result<(Profile, Provenance), PatientProblem> {
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
}
