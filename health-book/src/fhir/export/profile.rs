//! The profile's standing facts as the standard resources other systems read: each allergy an
//! `AllergyIntolerance`, each chronic condition a problem-list `Condition`, the blood group an
//! `Observation` (LOINC 882-1 valued with its SNOMED CT group).

use super::super::blood_group::{self, ABO_RH_DISPLAY, ABO_RH_LOINC, SNOMED_SYSTEM};
use super::*;

const ALLERGY_CLINICAL: &str = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical";
const CONDITION_CLINICAL: &str = "http://terminology.hl7.org/CodeSystem/condition-clinical";
const CONDITION_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/condition-category";
const OBSERVATION_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";

fn coded(system: &str, code: &str, display: Option<&str>) -> CodeableConcept {
    CodeableConcept {
        coding: vec![Coding {
            system: Some(system.into()),
            code: Some(code.into()),
            display: display.map(str::to_string),
        }],
        text: None,
    }
}

fn text_only(text: &str) -> CodeableConcept {
    CodeableConcept {
        coding: Vec::new(),
        text: Some(text.into()),
    }
}

/// The profile's allergies, chronic conditions and blood group, in that order.
pub(super) fn profile_entries(w: &mut Writer, profile: &model::Profile, patient_ref: &Reference) {
    let prefix = w.prefix.clone();
    for (i, allergy) in profile.allergies.iter().enumerate() {
        let id = format!("{prefix}-allergy-{}", i + 1);
        let resource = AllergyIntolerance {
            id: Some(id.clone()),
            clinical_status: Some(coded(ALLERGY_CLINICAL, "active", None)),
            code: Some(text_only(allergy)),
            patient: Some(patient_ref.clone()),
            ..AllergyIntolerance::default()
        };
        w.push(
            "AllergyIntolerance",
            &id,
            Resource::AllergyIntolerance(Box::new(resource)),
        );
    }
    for (i, condition) in profile.chronic_conditions.iter().enumerate() {
        let id = format!("{prefix}-condition-{}", i + 1);
        let resource = ProblemCondition {
            id: Some(id.clone()),
            clinical_status: Some(coded(CONDITION_CLINICAL, "active", None)),
            category: vec![coded(
                CONDITION_CATEGORY,
                PROBLEM_LIST_ITEM,
                Some("Problem List Item"),
            )],
            code: Some(text_only(condition)),
            subject: Some(patient_ref.clone()),
            ..ProblemCondition::default()
        };
        w.push("Condition", &id, Resource::Condition(Box::new(resource)));
    }
    if let Some(group) = profile.blood_group {
        let id = format!("{prefix}-blood-group");
        let (code, display) = blood_group::snomed(group);
        let resource = Observation {
            id: Some(id.clone()),
            status: Some("final".into()),
            category: vec![coded(OBSERVATION_CATEGORY, "laboratory", None)],
            code: Some(coded(LOINC_SYSTEM, ABO_RH_LOINC, Some(ABO_RH_DISPLAY))),
            subject: Some(patient_ref.clone()),
            value_codeable_concept: Some(CodeableConcept {
                coding: vec![Coding {
                    system: Some(SNOMED_SYSTEM.into()),
                    code: Some(code.into()),
                    display: Some(display.into()),
                }],
                text: Some(blood_group_code(group).into()),
            }),
            ..Observation::default()
        };
        w.push(
            "Observation",
            &id,
            Resource::Observation(Box::new(resource)),
        );
    }
}
