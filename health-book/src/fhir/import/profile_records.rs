//! The profile's standing facts from the standard resources: `AllergyIntolerance` to allergies,
//! a problem-list `Condition` to chronic conditions, the blood-group `Observation` (LOINC 882-1)
//! to the blood group. Each belongs to the Patient its reference names (the rule of
//! `references.rs`), and to no one else. They add to what the app's older Patient extensions
//! gave, so a backup written before still reads the same.

use super::super::blood_group::{self, ABO_RH_LOINC, SNOMED_SYSTEM};
use super::*;
use crate::model;

/// SNOMED CT concepts that say there is none: "No known allergy", "... drug allergy", "... food
/// allergy", "... environmental allergy", "No current problems or disability".
const NONE_KNOWN_SNOMED: [&str; 5] = [
    "716186003",
    "409137002",
    "429625007",
    "428607008",
    "160245001",
];
/// The International Patient Summary's own code system for "no information" and "none known".
const ABSENT_UNKNOWN_SYSTEM: &str = "http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips";
const CONDITION_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/condition-category";

/// Whether an Observation is the blood group (LOINC 882-1).
pub(super) fn is_blood_group(o: &Observation) -> bool {
    o.code.as_ref().is_some_and(|c| {
        c.coding.iter().any(|c| {
            c.system.as_deref() == Some(LOINC_SYSTEM) && c.code.as_deref() == Some(ABO_RH_LOINC)
        })
    })
}

/// Whether a concept says there is none ("no known allergies", "no known medications").
pub(super) fn states_none(concept: Option<&CodeableConcept>) -> bool {
    concept.is_some_and(|c| {
        c.coding
            .iter()
            .any(|c| match (c.system.as_deref(), c.code.as_deref()) {
                (Some(ABSENT_UNKNOWN_SYSTEM), Some(_)) => true,
                (Some(SNOMED_SYSTEM), Some(code)) => NONE_KNOWN_SNOMED.contains(&code),
                _ => false,
            })
    })
}

fn status_code(concept: Option<&CodeableConcept>) -> Option<&str> {
    concept?.coding.iter().find_map(|c| c.code.as_deref())
}

/// Why a fact of this clinical and verification status is not listed, if it is not.
fn not_listed(clinical: Option<&str>, verification: Option<&str>) -> Option<SkipReason> {
    match (clinical, verification) {
        (_, Some("entered-in-error")) => Some(SkipReason::NotCompleted {
            status: "entered-in-error".into(),
        }),
        (_, Some("refuted")) => Some(SkipReason::NotCurrent {
            status: "refuted".into(),
        }),
        (Some(s @ ("inactive" | "resolved")), _) => {
            Some(SkipReason::NotCurrent { status: s.into() })
        }
        _ => None,
    }
}

/// A problem-list entry: categorised as one (the FHIR code or the LOINC "Problem" the IPS uses),
/// or uncategorised and no prescription's diagnosis. An encounter diagnosis is not one.
fn is_problem(c: &ProblemCondition, used_as_diagnosis: bool) -> bool {
    let problem = c.category.iter().any(|cat| {
        cat.coding.iter().any(|code| {
            matches!(
                (code.system.as_deref(), code.code.as_deref()),
                (Some(CONDITION_CATEGORY), Some(PROBLEM_LIST_ITEM))
                    | (Some(LOINC_SYSTEM), Some(LOINC_PROBLEM))
            )
        })
    });
    problem || (c.category.is_empty() && !used_as_diagnosis)
}

enum Fact {
    Allergy(String),
    Condition(String),
    BloodGroup(model::BloodGroup),
}

impl Reader<'_> {
    pub(super) fn profile_records(
        &mut self,
        book_of: &HashMap<usize, usize>,
        books: &mut [HealthBook],
    ) {
        // Books whose blood group came from an Observation: that one wins over the older
        // extension; a second, different one is reported.
        let mut grouped: HashSet<usize> = HashSet::new();
        // How many allergies and conditions of each book came from the older extensions: a file
        // that wrote both forms lists each fact once. Facts from resources are all kept, the
        // same words twice included (two entries are two records).
        let from_extensions: Vec<(usize, usize)> = books
            .iter()
            .map(|b| {
                (
                    b.profile.allergies.len(),
                    b.profile.chronic_conditions.len(),
                )
            })
            .collect();
        for i in 0..self.entries.len() {
            let (resource_type, id) = (
                self.entries[i].resource_type.clone(),
                self.entries[i].id.clone(),
            );
            let (reference, fact, reason) = match &self.parsed[i] {
                Parsed::Allergy(a) => {
                    let reason = not_listed(
                        status_code(a.clinical_status.as_ref()),
                        status_code(a.verification_status.as_ref()),
                    )
                    .or_else(|| states_none(a.code.as_ref()).then_some(SkipReason::NoneKnown));
                    let fact = a.code.as_ref().and_then(concept_text).map(Fact::Allergy);
                    (a.patient.clone(), fact, reason)
                }
                Parsed::Condition(_) => {
                    let Ok(c) = parse_as::<ProblemCondition>(self.entries[i].value) else {
                        continue;
                    };
                    if !is_problem(&c, self.used[i]) {
                        continue;
                    }
                    let reason = not_listed(
                        status_code(c.clinical_status.as_ref()),
                        status_code(c.verification_status.as_ref()),
                    )
                    .or_else(|| states_none(c.code.as_ref()).then_some(SkipReason::NoneKnown));
                    let fact = c.code.as_ref().and_then(concept_text).map(Fact::Condition);
                    (c.subject, fact, reason)
                }
                Parsed::BloodGroup(o) => {
                    let reason = o
                        .status
                        .as_deref()
                        .filter(|s| matches!(*s, "entered-in-error" | "cancelled"))
                        .map(|s| SkipReason::NotCompleted { status: s.into() });
                    let fact = blood_group_value(o).map(Fact::BloodGroup);
                    (o.subject.clone(), fact, reason)
                }
                _ => continue,
            };
            // Whatever happens next, the resource is accounted for (not "not referenced").
            let used_before = std::mem::replace(&mut self.used[i], true);
            self.current_scope = self.entries[i].scope;
            let book_index = match self.owner(reference.as_ref()) {
                Ok(patient) => match book_of.get(&patient) {
                    Some(&b) => b,
                    None => {
                        self.skip(
                            &resource_type,
                            id.as_deref(),
                            SkipReason::PatientNotImported,
                        );
                        continue;
                    }
                },
                Err(reason) => {
                    // A diagnosis a prescription already used is not a problem-list entry lost.
                    if !used_before {
                        self.skip(&resource_type, id.as_deref(), reason);
                    }
                    continue;
                }
            };
            if let Some(reason) = reason {
                if !used_before {
                    self.skip(&resource_type, id.as_deref(), reason);
                }
                continue;
            }
            let profile = &mut books[book_index].profile;
            let added = match fact {
                None => {
                    let detail = match resource_type.as_str() {
                        "Observation" => "no blood group in its value",
                        _ => "no code or text",
                    };
                    self.skip(
                        &resource_type,
                        id.as_deref(),
                        SkipReason::Malformed {
                            detail: detail.into(),
                        },
                    );
                    continue;
                }
                Some(Fact::Allergy(text)) => {
                    add_once(&mut profile.allergies, from_extensions[book_index].0, text)
                }
                Some(Fact::Condition(text)) => add_once(
                    &mut profile.chronic_conditions,
                    from_extensions[book_index].1,
                    text,
                ),
                Some(Fact::BloodGroup(group)) => {
                    let first = grouped.insert(book_index);
                    let same = profile.blood_group == Some(group);
                    if first {
                        profile.blood_group = Some(group);
                    }
                    first || same
                }
            };
            if !added {
                self.skip(&resource_type, id.as_deref(), SkipReason::Duplicate);
            }
        }
    }
}

/// The group an Observation's value names: a SNOMED CT group, else its written form.
fn blood_group_value(o: &Observation) -> Option<model::BloodGroup> {
    let concept = o.value_codeable_concept.as_ref();
    concept
        .into_iter()
        .flat_map(|c| c.coding.iter())
        .filter(|c| c.system.as_deref() == Some(SNOMED_SYSTEM))
        .find_map(|c| c.code.as_deref().and_then(blood_group::from_snomed))
        .or_else(|| {
            let texts = concept
                .into_iter()
                .flat_map(|c| {
                    c.text
                        .iter()
                        .chain(c.coding.iter().filter_map(|c| c.display.as_ref()))
                })
                .chain(o.value_string.iter());
            texts.into_iter().find_map(|t| blood_group::from_text(t))
        })
}

/// Adds a fact unless one of the first `from_extensions` of the list (read from the older
/// extensions) has the same words, case and spacing aside.
fn add_once(list: &mut Vec<String>, from_extensions: usize, text: String) -> bool {
    let key = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let new = key(&text);
    if list[..from_extensions].iter().any(|s| key(s) == new) {
        return false;
    }
    list.push(text);
    true
}
