//! The vaccination form: a vaccine from the code table (its diseases come with it), dose k of n
//! suggested from the schedule and the doses already in the book, date, lot, facility.

use time::Date;

use super::fields::{optional, Problems};
use crate::model::{Facility, HealthBook, RecordId, RecordOrigin, Vaccination};
use crate::schedule::series_of;
use crate::tables::schedule::doses_in_series;
use crate::tables::vaccines::{self, Vaccine};
use crate::validate::{validate_vaccination, Finding, FindingKind, ValidationContext};

/// The form as typed. Dates are `YYYY-MM-DD` (a date input's value); numbers are text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VaccinationForm {
    /// A code of [`vaccines::VACCINES`].
    pub vaccine_code: String,
    pub dose_number: String,
    pub series_doses: String,
    pub date: String,
    pub lot_number: String,
    pub facility_name: String,
    pub facility_code: String,
}

/// Which dose this probably is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DoseSuggestion {
    /// One more than the doses of the same series already in the book before this date.
    pub dose_number: u32,
    /// The doses the childhood schedule gives in that series; `None` for a series it does not
    /// have (influenza, COVID-19, rabies...).
    pub series_doses: Option<u32>,
}

/// Dose k of n for `vaccine` given on `date` (or after every dose in the book when the date is not
/// typed yet), not counting the record being corrected (`except`).
pub fn suggest_dose(
    vaccine: &Vaccine,
    vaccinations: &[Vaccination],
    date: Option<Date>,
    except: Option<&RecordId>,
) -> Option<DoseSuggestion> {
    let series = *vaccine.series.first()?;
    let before = vaccinations
        .iter()
        .filter(|v| Some(&v.id) != except)
        .filter(|v| date.is_none_or(|d| v.date < d))
        .filter(|v| series_of(v).contains(&series))
        .count() as u32;
    let in_schedule = doses_in_series(series);
    let series_doses = (in_schedule > 0).then_some(in_schedule);
    Some(DoseSuggestion {
        dose_number: series_doses.map_or(before + 1, |n| (before + 1).min(n)),
        series_doses,
    })
}

impl VaccinationForm {
    /// The form filled with a record, to correct it.
    pub fn of(v: &Vaccination) -> VaccinationForm {
        let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
        VaccinationForm {
            vaccine_code: vaccines::find(&v.vaccine)
                .map(|t| t.code.to_owned())
                .unwrap_or_default(),
            dose_number: number(v.dose_number),
            series_doses: number(v.series_doses),
            date: v.date.to_string(),
            lot_number: v.lot_number.clone().unwrap_or_default(),
            facility_name: v
                .facility
                .as_ref()
                .map(|f| f.name.clone())
                .unwrap_or_default(),
            facility_code: v
                .facility
                .as_ref()
                .and_then(|f| f.code.clone())
                .unwrap_or_default(),
        }
    }

    /// Dose k of n for the vaccine chosen, on the date typed (if it reads as one), not counting
    /// the record being corrected.
    pub fn suggested_dose(
        &self,
        vaccinations: &[Vaccination],
        except: Option<&RecordId>,
    ) -> Option<DoseSuggestion> {
        let date = Problems::default().date("date", &self.date);
        suggest_dose(self.vaccine()?, vaccinations, date, except)
    }

    /// Fills the dose fields with [`Self::suggested_dose`], when there is one.
    pub fn apply_suggested_dose(
        &mut self,
        vaccinations: &[Vaccination],
        except: Option<&RecordId>,
    ) {
        if let Some(s) = self.suggested_dose(vaccinations, except) {
            self.dose_number = s.dose_number.to_string();
            self.series_doses = s.series_doses.map(|n| n.to_string()).unwrap_or_default();
        }
    }

    /// The vaccine chosen, with the diseases it protects against.
    pub fn vaccine(&self) -> Option<&'static Vaccine> {
        vaccines::by_code(self.vaccine_code.trim())
    }

    /// The record, or every error in it (paths are the record's fields: `vaccine`, `date`,
    /// `dose_number`, `facility.name`...), checked with the book's own rules.
    pub fn to_record(
        &self,
        id: RecordId,
        recorded_by: RecordOrigin,
        book: &HealthBook,
        today: Date,
    ) -> Result<Vaccination, Vec<Finding>> {
        let mut p = Problems::default();
        let vaccine = self.vaccine();
        if vaccine.is_none() {
            p.error("vaccine", FindingKind::Empty);
        }
        let date = p.required_date("date", &self.date);
        let dose_number = p.count("dose_number", &self.dose_number);
        let series_doses = p.count("series_doses", &self.series_doses);
        let facility = facility(&mut p, &self.facility_name, &self.facility_code);
        let (Some(vaccine), Some(date)) = (vaccine, date) else {
            return Err(p.0);
        };
        let record = Vaccination {
            id,
            vaccine: vaccine.coding(),
            target_diseases: vaccine.diseases.iter().map(|d| d.coding()).collect(),
            dose_number,
            series_doses,
            date,
            lot_number: optional(&self.lot_number),
            manufacturer: None,
            facility,
            administered_by: None,
            next_dose_due: None,
            recorded_by,
        };
        let ctx = ValidationContext::new(today);
        p.checked(validate_vaccination(
            &record,
            book.profile.date_of_birth,
            &ctx,
        ))?;
        Ok(record)
    }
}

/// A facility, when named (a code alone names nothing a person can read).
pub(super) fn facility(p: &mut Problems, name: &str, code: &str) -> Option<Facility> {
    let code = optional(code);
    if name.trim().is_empty() && code.is_none() {
        return None;
    }
    Some(Facility {
        name: p.required("facility.name", name),
        code,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{self, BookShape};
    use time::macros::{date, datetime};

    fn staff() -> RecordOrigin {
        RecordOrigin::EnteredByStaff {
            staff: Some("Y tá Lan".into()),
            device: None,
            at: datetime!(2026-12-01 10:32 +7),
        }
    }

    fn book() -> HealthBook {
        let mut book = generate::book(7, &BookShape::records(0));
        book.profile.date_of_birth = date!(2026 - 01 - 10);
        book
    }

    fn form() -> VaccinationForm {
        VaccinationForm {
            vaccine_code: "DPT-VGB-Hib".into(),
            dose_number: "1".into(),
            series_doses: "4".into(),
            date: "2026-03-10".into(),
            lot_number: " L-2026-01 ".into(),
            facility_name: "Trạm Y tế xã Phú Đình".into(),
            facility_code: "19-011".into(),
        }
    }

    #[test]
    fn a_filled_form_is_a_record_with_the_vaccines_diseases() {
        let v = form()
            .to_record(
                RecordId("device-1".into()),
                staff(),
                &book(),
                date!(2026 - 12 - 01),
            )
            .expect("valid");
        assert_eq!(v.vaccine.code, "DPT-VGB-Hib");
        assert_eq!(v.target_diseases.len(), 5);
        assert_eq!((v.dose_number, v.series_doses), (Some(1), Some(4)));
        assert_eq!(v.lot_number.as_deref(), Some("L-2026-01"));
        assert_eq!(v.facility.unwrap().code.as_deref(), Some("19-011"));
        assert_eq!(v.recorded_by, staff());
        assert_eq!(
            VaccinationForm::of(
                &form()
                    .to_record(
                        RecordId("x".into()),
                        staff(),
                        &book(),
                        date!(2026 - 12 - 01)
                    )
                    .unwrap()
            )
            .date,
            "2026-03-10"
        );
    }

    #[test]
    fn every_mistake_is_named_with_its_field() {
        let today = date!(2026 - 12 - 01);
        let empty = VaccinationForm::default()
            .to_record(RecordId("x".into()), staff(), &book(), today)
            .unwrap_err();
        let paths: Vec<_> = empty.iter().map(|f| (f.path.as_str(), &f.kind)).collect();
        assert_eq!(
            paths,
            vec![
                ("vaccine", &FindingKind::Empty),
                ("date", &FindingKind::Empty)
            ]
        );

        let wrong = VaccinationForm {
            dose_number: "5".into(),
            date: "2025-12-31".into(),
            facility_name: " ".into(),
            ..form()
        }
        .to_record(RecordId("x".into()), staff(), &book(), today)
        .unwrap_err();
        let kinds: Vec<_> = wrong.iter().map(|f| (f.path.as_str(), &f.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                ("facility.name", &FindingKind::Empty),
                (
                    "date",
                    &FindingKind::BeforeBirth {
                        date: date!(2025 - 12 - 31),
                        date_of_birth: date!(2026 - 01 - 10)
                    }
                ),
                (
                    "dose_number",
                    &FindingKind::DoseAboveSeries {
                        dose_number: 5,
                        series_doses: 4
                    }
                ),
            ]
        );
    }

    #[test]
    fn the_dose_suggested_follows_the_doses_in_the_book() {
        let mut book = book();
        let five_in_one = vaccines::by_code("DPT-VGB-Hib").unwrap();
        let first = form()
            .to_record(RecordId("a".into()), staff(), &book, date!(2026 - 12 - 01))
            .unwrap();
        assert_eq!(
            suggest_dose(five_in_one, &book.vaccinations, None, None),
            Some(DoseSuggestion {
                dose_number: 1,
                series_doses: Some(4)
            })
        );
        book.vaccinations.push(first.clone());
        // A DPT booster counts toward the same series.
        let dpt = vaccines::by_code("DPT").unwrap();
        assert_eq!(
            suggest_dose(dpt, &book.vaccinations, Some(date!(2026 - 04 - 10)), None),
            Some(DoseSuggestion {
                dose_number: 2,
                series_doses: Some(4)
            })
        );
        // Not the record being corrected, nor a dose given later.
        assert_eq!(
            suggest_dose(five_in_one, &book.vaccinations, None, Some(&first.id))
                .map(|s| s.dose_number),
            Some(1)
        );
        assert_eq!(
            suggest_dose(
                five_in_one,
                &book.vaccinations,
                Some(date!(2026 - 03 - 01)),
                None
            )
            .map(|s| s.dose_number),
            Some(1)
        );
        // The form applies it from the vaccine and the date typed.
        let mut typed = VaccinationForm {
            vaccine_code: "DPT".into(),
            date: "2026-04-10".into(),
            ..VaccinationForm::default()
        };
        typed.apply_suggested_dose(&book.vaccinations, None);
        assert_eq!(
            (typed.dose_number.as_str(), typed.series_doses.as_str()),
            ("2", "4")
        );
        // A series the childhood schedule does not have counts on, with no total.
        let flu = vaccines::by_code("CUM").unwrap();
        assert_eq!(
            suggest_dose(flu, &book.vaccinations, None, None),
            Some(DoseSuggestion {
                dose_number: 1,
                series_doses: None
            })
        );
    }
}
