//! MedicationRequests (grouped by prescription) to medicines and prescriptions.

use super::*;
use crate::ids::PrescriptionCode;
use crate::model::{self, Diagnosis, Facility, Prescriber, PrescriptionKind, RecordId};

impl Reader<'_> {
    pub(super) fn medicine(&mut self, mr: &MedicationRequest) -> Option<model::Medicine> {
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

    pub(super) fn prescription(&mut self, members: &[usize]) -> Option<model::Prescription> {
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
