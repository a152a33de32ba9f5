//! The prescription form: diagnoses with ICD-10 codes, medicines with a structured dosage
//! (amount, unit, times a day, times of day, before/after meals, number of days), advice and the
//! re-examination date, as written on the slip the patient brought.

use time::{Date, OffsetDateTime, Time, UtcOffset};

use super::fields::{optional, Problems};
use super::vaccination::facility;
use crate::ids::PrescriptionCode;
use crate::model::{
    Diagnosis, Dosage, HealthBook, MealRelation, Medicine, Prescriber, Prescription,
    PrescriptionKind, RecordId, RecordOrigin, TimeOfDay,
};
use crate::validate::{
    is_icd10_shaped, validate_prescription, Finding, FindingKind, ValidationContext,
};

/// Vietnam's time zone, for a slip that gives only a date.
const VIETNAM: UtcOffset = match UtcOffset::from_hms(7, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiagnosisForm {
    pub icd10: String,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MedicineForm {
    pub name: String,
    /// Per dose, as written ("1", "1/2").
    pub amount: String,
    /// "viên", "gói", "ml".
    pub unit: String,
    pub times_per_day: String,
    pub times_of_day: Vec<TimeOfDay>,
    pub meals: Option<MealRelation>,
    pub days: String,
}

/// The form as typed. Rows left wholly empty are not part of it; problems name rows by their
/// place in the form, blank ones counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrescriptionForm {
    /// The national prescription code when the slip has one.
    pub code: String,
    pub issued_on: String,
    pub facility_name: String,
    pub facility_code: String,
    pub prescriber: String,
    pub diagnoses: Vec<DiagnosisForm>,
    pub medicines: Vec<MedicineForm>,
    pub advice: String,
    pub re_examination_on: String,
}

impl DiagnosisForm {
    fn is_blank(&self) -> bool {
        self.icd10.trim().is_empty() && self.text.trim().is_empty()
    }
}

impl MedicineForm {
    fn is_blank(&self) -> bool {
        [
            &self.name,
            &self.amount,
            &self.unit,
            &self.times_per_day,
            &self.days,
        ]
        .iter()
        .all(|t| t.trim().is_empty())
            && self.times_of_day.is_empty()
            && self.meals.is_none()
    }

    fn of(m: &Medicine) -> MedicineForm {
        MedicineForm {
            name: m.name.clone(),
            amount: m.dosage.amount_per_dose.clone().unwrap_or_default(),
            unit: m.unit.clone().unwrap_or_default(),
            times_per_day: m
                .dosage
                .times_per_day
                .map(|n| n.to_string())
                .unwrap_or_default(),
            times_of_day: m.dosage.times_of_day.clone(),
            meals: m.dosage.with_meals,
            days: m.duration_days.map(|n| n.to_string()).unwrap_or_default(),
        }
    }
}

impl PrescriptionForm {
    /// The form filled with a record, to correct it.
    pub fn of(p: &Prescription) -> PrescriptionForm {
        PrescriptionForm {
            code: p.code.clone(),
            issued_on: p.issued_at.date().to_string(),
            facility_name: p.facility.name.clone(),
            facility_code: p.facility.code.clone().unwrap_or_default(),
            prescriber: p.prescriber.name.clone(),
            diagnoses: p
                .diagnoses
                .iter()
                .map(|d| DiagnosisForm {
                    icd10: d.icd10.clone(),
                    text: d.text.clone(),
                })
                .collect(),
            medicines: p.medicines.iter().map(MedicineForm::of).collect(),
            advice: p.advice.clone().unwrap_or_default(),
            re_examination_on: p
                .re_examination_on
                .map(|d| d.to_string())
                .unwrap_or_default(),
        }
    }

    /// The record, or every error in it (paths as the record's: `issued_at`, `facility.name`,
    /// `diagnoses[0].icd10`, `medicines[1].dosage.times_per_day`...), checked with the book's own
    /// rules. A typed-in diagnosis must have an ICD-10 code, and a prescription a medicine.
    pub fn to_record(
        &self,
        id: RecordId,
        recorded_by: RecordOrigin,
        book: &HealthBook,
        today: Date,
    ) -> Result<Prescription, Vec<Finding>> {
        let mut p = Problems::default();
        let issued_on = p.required_date("issued_at", &self.issued_on);
        let facility = facility(&mut p, &self.facility_name, &self.facility_code);
        if facility.is_none() {
            p.error("facility.name", FindingKind::Empty);
        }
        let prescriber = p.required("prescriber.name", &self.prescriber);
        let diagnoses = self
            .diagnoses
            .iter()
            .enumerate()
            .filter(|(_, d)| !d.is_blank())
            .map(|(i, d)| {
                let code = p.required(&format!("diagnoses[{i}].icd10"), &d.icd10);
                if !code.is_empty() && !is_icd10_shaped(&code) {
                    p.error(
                        format!("diagnoses[{i}].icd10"),
                        FindingKind::NotIcd10 { code: code.clone() },
                    );
                }
                Diagnosis {
                    icd10: code,
                    text: p.required(&format!("diagnoses[{i}].text"), &d.text),
                }
            })
            .collect();
        let medicines: Vec<Medicine> = self
            .medicines
            .iter()
            .enumerate()
            .filter(|(_, m)| !m.is_blank())
            .map(|(i, m)| Medicine {
                name: p.required(&format!("medicines[{i}].name"), &m.name),
                active_ingredient: None,
                strength: None,
                form: None,
                quantity: None,
                unit: optional(&m.unit),
                dosage: Dosage {
                    amount_per_dose: optional(&m.amount),
                    times_per_day: p.count(
                        &format!("medicines[{i}].dosage.times_per_day"),
                        &m.times_per_day,
                    ),
                    times_of_day: m.times_of_day.clone(),
                    with_meals: m.meals,
                    route: None,
                    text: None,
                },
                duration_days: p.count(&format!("medicines[{i}].duration_days"), &m.days),
            })
            .collect();
        if medicines.is_empty() {
            p.error("medicines", FindingKind::NoMedicines);
        }
        let re_examination_on = p.date("re_examination_on", &self.re_examination_on);
        let (Some(issued_on), Some(facility)) = (issued_on, facility) else {
            return Err(p.0);
        };
        let code = self.code.trim().to_owned();
        let kind = PrescriptionCode::parse(&code)
            .map(|c| c.kind())
            .unwrap_or(PrescriptionKind::Basic);
        let record = Prescription {
            id,
            code,
            kind,
            issued_at: issued_at(issued_on, &recorded_by),
            facility,
            prescriber: Prescriber {
                name: prescriber,
                practitioner_code: None,
            },
            diagnoses,
            medicines,
            advice: optional(&self.advice),
            re_examination_on,
            recorded_by,
        };
        let ctx = ValidationContext::new(today);
        p.checked(validate_prescription(
            &record,
            book.profile.date_of_birth,
            &ctx,
        ))?;
        Ok(record)
    }
}

/// The slip gives a date: the moment of entry when it is that day, else the start of that day in
/// Vietnam.
fn issued_at(on: Date, recorded_by: &RecordOrigin) -> OffsetDateTime {
    let at = match recorded_by {
        RecordOrigin::EnteredByStaff { at, .. } | RecordOrigin::SelfReported { at } => Some(*at),
        _ => None,
    };
    at.filter(|at| at.date() == on)
        .unwrap_or_else(|| on.with_time(Time::MIDNIGHT).assume_offset(VIETNAM))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{self, BookShape};
    use time::macros::{date, datetime};

    fn mine() -> RecordOrigin {
        RecordOrigin::SelfReported {
            at: datetime!(2026-12-01 20:00 +7),
        }
    }

    fn form() -> PrescriptionForm {
        PrescriptionForm {
            code: String::new(),
            issued_on: "2026-11-28".into(),
            facility_name: "Trạm Y tế xã Phú Đình".into(),
            facility_code: String::new(),
            prescriber: "BS. Nguyễn Văn Minh".into(),
            diagnoses: vec![
                DiagnosisForm {
                    icd10: "J02.9".into(),
                    text: "Viêm họng cấp".into(),
                },
                DiagnosisForm::default(),
            ],
            medicines: vec![MedicineForm {
                name: "Paracetamol 500mg".into(),
                amount: "1".into(),
                unit: "viên".into(),
                times_per_day: "3".into(),
                times_of_day: vec![TimeOfDay::Morning, TimeOfDay::Noon, TimeOfDay::Evening],
                meals: Some(MealRelation::AfterMeals),
                days: "5".into(),
            }],
            advice: "Uống nhiều nước".into(),
            re_examination_on: "2026-12-05".into(),
        }
    }

    fn book() -> HealthBook {
        generate::book(8, &BookShape::records(0))
    }

    #[test]
    fn a_filled_form_is_a_prescription_with_a_structured_dosage() {
        let p = form()
            .to_record(
                RecordId("device-2".into()),
                mine(),
                &book(),
                date!(2026 - 12 - 01),
            )
            .expect("valid");
        assert_eq!(p.diagnoses.len(), 1, "the blank row is not a diagnosis");
        assert_eq!(p.kind, PrescriptionKind::Basic);
        assert_eq!(p.issued_at, datetime!(2026-11-28 0:00 +7));
        let m = &p.medicines[0];
        assert_eq!(m.dosage.times_per_day, Some(3));
        assert_eq!(m.dosage.with_meals, Some(MealRelation::AfterMeals));
        assert_eq!(m.duration_days, Some(5));
        assert_eq!(p.re_examination_on, Some(date!(2026 - 12 - 05)));
        assert_eq!(
            PrescriptionForm::of(&p).medicines,
            vec![form().medicines[0].clone()]
        );
    }

    #[test]
    fn every_mistake_is_named_with_its_field() {
        let mut wrong = form();
        wrong.diagnoses[0].icd10 = "viêm họng".into();
        wrong.diagnoses[1].text = "Sốt".into();
        wrong.medicines[0].times_per_day = "ba".into();
        wrong.medicines.push(MedicineForm {
            days: "0".into(),
            ..MedicineForm::default()
        });
        wrong.re_examination_on = "2026-11-01".into();
        wrong.code = "12345abcdefg".into();
        let problems = wrong
            .to_record(RecordId("x".into()), mine(), &book(), date!(2026 - 12 - 01))
            .unwrap_err();
        let paths: Vec<_> = problems.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            vec![
                "diagnoses[0].icd10",
                "diagnoses[1].icd10",
                "medicines[0].dosage.times_per_day",
                "medicines[1].name",
                "medicines[1].duration_days",
                "code",
                "re_examination_on",
            ]
        );
        assert_eq!(
            problems[0].kind,
            FindingKind::NotIcd10 {
                code: "viêm họng".into()
            }
        );
        assert_eq!(
            problems[2].kind,
            FindingKind::NotANumber { text: "ba".into() }
        );

        let empty = PrescriptionForm::default()
            .to_record(RecordId("x".into()), mine(), &book(), date!(2026 - 12 - 01))
            .unwrap_err();
        let paths: Vec<_> = empty.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            vec!["issued_at", "facility.name", "prescriber.name", "medicines"]
        );
    }
}
