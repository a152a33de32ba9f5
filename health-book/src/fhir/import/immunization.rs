//! Immunization and ImmunizationRecommendation to vaccinations and their next-dose dates.

use std::collections::{BTreeSet, HashMap};

use time::Date;

use super::*;
use crate::model::{Facility, HealthBook, RecordId, Vaccination};
use crate::tables::vaccines;

impl Reader<'_> {
    pub(super) fn vaccination(
        &mut self,
        imm: &Immunization,
        entry: usize,
    ) -> Result<Vaccination, SkipReason> {
        // A status of entered-in-error or not-done was skipped before (`not_completed`).
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
    fn note_unknown_vaccine(&mut self, imm: &Immunization, vaccine: &crate::model::Coding) {
        if vaccines::find(vaccine).is_none() {
            self.report.notes.push(ImportNote::UnknownVaccine {
                immunization: imm.id.clone(),
                vaccine: vaccine.clone(),
            });
        }
    }

    /// A recommendation's due dates onto the vaccinations of its own person's book: the one it
    /// links to, else the latest of the same vaccine before the due date without one yet.
    pub(super) fn recommendation(
        &mut self,
        i: usize,
        vaccination_at: &HashMap<usize, (usize, usize)>,
        book_of: &HashMap<usize, usize>,
        books: &mut [HealthBook],
        candidates: &mut DueCandidates,
    ) {
        let Parsed::Recommendation(rec) = &self.parsed[i] else {
            return;
        };
        let rec = rec.clone();
        self.current_scope = self.entries[i].scope;
        let id = self.entries[i].id.clone();
        let book_index = self
            .owner(rec.patient.as_ref())
            .ok()
            .and_then(|p| book_of.get(&p).copied());
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
            // A link to another person's vaccination is no link.
            let supported = r
                .supporting_immunization
                .iter()
                .find_map(|s| self.resolve(Some(s)))
                .and_then(|e| vaccination_at.get(&e))
                .copied()
                .filter(|&(b, _)| Some(b) == book_index);
            let target = supported.or_else(|| {
                let b = book_index?;
                let code = r.vaccine_code.first().and_then(vaccine_coding)?;
                candidates.latest_before(b, &code.code, due).map(|k| (b, k))
            });
            match target {
                Some((b, k)) => {
                    if let Some(book) = books.get_mut(b) {
                        candidates.remove(b, book, k);
                        if let Some(v) = book.vaccinations.get_mut(k) {
                            v.next_dose_due = Some(due);
                        }
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
}

/// The vaccinations a recommendation without a link may give its due date to, per book and
/// vaccine code, ordered by date then position: finding the latest one before a due date is a
/// tree look-up, not a scan of the book.
pub(super) struct DueCandidates(HashMap<(usize, String), BTreeSet<(Date, usize)>>);

impl DueCandidates {
    pub(super) fn of(books: &[HealthBook]) -> DueCandidates {
        let mut by_code: HashMap<(usize, String), BTreeSet<(Date, usize)>> = HashMap::new();
        for (b, book) in books.iter().enumerate() {
            for (k, v) in book.vaccinations.iter().enumerate() {
                if v.next_dose_due.is_none() {
                    by_code
                        .entry((b, v.vaccine.code.clone()))
                        .or_default()
                        .insert((v.date, k));
                }
            }
        }
        DueCandidates(by_code)
    }

    /// The latest vaccination of `code` in book `b` before `due` still without a next dose
    /// (the last in the book among those of that day).
    fn latest_before(&self, b: usize, code: &str, due: Date) -> Option<usize> {
        let set = self.0.get(&(b, code.to_owned()))?;
        set.range(..(due, 0)).next_back().map(|&(_, k)| k)
    }

    /// Vaccination `k` of book `b` has its next dose now.
    fn remove(&mut self, b: usize, book: &HealthBook, k: usize) {
        if let Some(v) = book.vaccinations.get(k) {
            if let Some(set) = self.0.get_mut(&(b, v.vaccine.code.clone())) {
                set.remove(&(v.date, k));
            }
        }
    }
}
