//! The prescription list screen: the prescriptions of a book arranged once per book load (newest
//! first, with the years and facilities the filters offer, and the folded text search runs over),
//! and what the person asked the list for.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

use time::Date;

use crate::model::{Diagnosis, HealthBook, Prescription, RecordId, RecordOrigin};
use crate::text::fold_for_search;

/// What the person asked the list for. The shell keeps it in the address (`?q=&year=&facility=`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PrescriptionFilters {
    /// As typed, spaces included: the search box shows it back, and trimming it while the person
    /// types would eat the space before their next word.
    pub text: String,
    pub year: Option<i32>,
    /// A [`FacilityChoice::key`].
    pub facility: Option<String>,
}

impl PrescriptionFilters {
    /// Whether anything narrows the list (blank search text does not).
    pub fn is_narrowed(&self) -> bool {
        !self.text.trim().is_empty() || self.year.is_some() || self.facility.is_some()
    }
}

/// What one row of the list shows.
#[derive(Debug, Clone, PartialEq)]
pub struct PrescriptionSummary {
    pub id: RecordId,
    pub issued_on: Date,
    pub facility: String,
    pub diagnoses: Vec<Diagnosis>,
    pub medicine_count: usize,
    /// The medicines the row names, so the list says what a prescription holds.
    pub medicines: MedicineNames,
    pub current: bool,
    pub origin: RecordOrigin,
}

/// A row names at most this many medicines. A fourth name would push the row past two lines on
/// a phone, and "+1" would take the room of the one name it hides.
pub const MEDICINES_NAMED_IN_ROW: usize = 3;

/// The medicines a row names: all of them when they fit, otherwise the first two and how many
/// more ("Paracetamol, Amoxicillin +3"). Never "+1": naming the third takes no more room.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MedicineNames {
    /// In the order the doctor wrote them.
    pub named: Vec<String>,
    /// How many medicines are not named.
    pub more: usize,
}

impl MedicineNames {
    pub fn of(prescription: &Prescription) -> Self {
        let names: Vec<&str> = prescription
            .medicines
            .iter()
            .map(|m| m.name.trim())
            .filter(|name| !name.is_empty())
            .collect();
        let shown = if names.len() <= MEDICINES_NAMED_IN_ROW {
            names.len()
        } else {
            MEDICINES_NAMED_IN_ROW - 1
        };
        MedicineNames {
            named: names[..shown].iter().map(|n| (*n).to_owned()).collect(),
            more: prescription.medicines.len() - shown,
        }
    }
}

/// A facility the list can be narrowed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacilityChoice {
    /// What `?facility=` holds: the facility code, or the name when the record has no code.
    pub key: String,
    pub name: String,
}

struct Entry {
    /// Where the prescription is in the book.
    at: usize,
    current: bool,
    facility_key: String,
}

/// Refers to the shared book rather than copying its prescriptions: a book can hold thousands.
pub struct PrescriptionIndex {
    book: Arc<HealthBook>,
    /// Newest first.
    entries: Vec<Entry>,
    years: Vec<i32>,
    facilities: Vec<FacilityChoice>,
    /// Per entry: medicine names, active ingredients, diagnosis codes and texts, folded. Built on
    /// the first search rather than with the list, so opening the screen never waits for it; once
    /// built it serves every keystroke until the book is loaded again.
    search_text: OnceLock<Vec<String>>,
}

impl PrescriptionIndex {
    pub fn new(book: Arc<HealthBook>, today: Date) -> Self {
        let prescriptions = &book.prescriptions;
        let mut newest_first: Vec<usize> = (0..prescriptions.len()).collect();
        newest_first.sort_by_key(|&at| std::cmp::Reverse(prescriptions[at].issued_at));
        let mut years = BTreeSet::new();
        // Key to the name on the newest prescription, so a renamed facility shows its new name.
        let mut facility_names: BTreeMap<String, String> = BTreeMap::new();
        let entries: Vec<Entry> = newest_first
            .into_iter()
            .map(|at| {
                let prescription = &prescriptions[at];
                years.insert(prescription.issued_on().year());
                let facility_key = facility_key(prescription);
                facility_names
                    .entry(facility_key.clone())
                    .or_insert_with(|| prescription.facility.name.clone());
                Entry {
                    at,
                    current: prescription.is_current(today),
                    facility_key,
                }
            })
            .collect();
        let mut facilities: Vec<FacilityChoice> = facility_names
            .into_iter()
            .map(|(key, name)| FacilityChoice { key, name })
            .collect();
        facilities.sort_by_cached_key(|f| (fold_for_search(&f.name), f.key.clone()));
        PrescriptionIndex {
            book,
            entries,
            years: years.into_iter().rev().collect(),
            facilities,
            search_text: OnceLock::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Years with a prescription, newest first.
    pub fn years(&self) -> &[i32] {
        &self.years
    }

    /// Facilities that issued a prescription, by name.
    pub fn facilities(&self) -> &[FacilityChoice] {
        &self.facilities
    }

    pub fn summary(&self, position: usize) -> Option<PrescriptionSummary> {
        let entry = self.entries.get(position)?;
        let p = self.prescription(entry);
        Some(PrescriptionSummary {
            id: p.id.clone(),
            issued_on: p.issued_on(),
            facility: p.facility.name.clone(),
            diagnoses: p.diagnoses.clone(),
            medicine_count: p.medicines.len(),
            medicines: MedicineNames::of(p),
            current: entry.current,
            origin: p.recorded_by.clone(),
        })
    }

    /// Positions (newest first) of the prescriptions that pass every filter. Every word of the
    /// search must begin a word of the prescription, in any order, with or without Vietnamese
    /// accents: "para" finds "Paracetamol", "viem hong" finds "Viêm họng", and "hong" does not
    /// find "không" (Vietnamese syllables are short, so mid-word matches would be mostly noise).
    pub fn matching(&self, filters: &PrescriptionFilters) -> Vec<usize> {
        let folded = fold_for_search(&filters.text);
        let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        let search_text = (!words.is_empty()).then(|| self.search_text());
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                filters
                    .year
                    .is_none_or(|y| self.prescription(e).issued_on().year() == y)
            })
            .filter(|(_, e)| {
                filters
                    .facility
                    .as_deref()
                    .is_none_or(|f| e.facility_key == f)
            })
            .filter(|(i, _)| {
                search_text.is_none_or(|texts| words.iter().all(|w| begins_a_word(&texts[*i], w)))
            })
            .map(|(i, _)| i)
            .collect()
    }

    fn prescription(&self, entry: &Entry) -> &Prescription {
        &self.book.prescriptions[entry.at]
    }

    fn search_text(&self) -> &[String] {
        self.search_text.get_or_init(|| {
            self.entries
                .iter()
                .map(|e| searchable_text(self.prescription(e)))
                .collect()
        })
    }
}

/// Whether `word` occurs in `text` at the start of a word (after a space, a line break or a
/// punctuation mark, so "06.9" is not found in "j06.9" but "j06" is).
fn begins_a_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        text[..at]
            .chars()
            .next_back()
            .is_none_or(|before| !before.is_alphanumeric())
    })
}

fn facility_key(p: &Prescription) -> String {
    p.facility
        .code
        .clone()
        .unwrap_or_else(|| p.facility.name.clone())
}

/// One line per searchable field, each folded on its own: folding joins runs of white space, so
/// the line breaks added afterwards keep a word from matching across two fields.
fn searchable_text(p: &Prescription) -> String {
    let medicines = p
        .medicines
        .iter()
        .flat_map(|m| std::iter::once(m.name.as_str()).chain(m.active_ingredient.as_deref()));
    let diagnoses = p
        .diagnoses
        .iter()
        .flat_map(|d| [d.icd10.as_str(), d.text.as_str()]);
    medicines
        .chain(diagnoses)
        .map(fold_for_search)
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{self, BookShape};

    fn index(n: usize) -> PrescriptionIndex {
        let book = generate::book(5, &BookShape::adult_with_history(n as u32 / 10));
        PrescriptionIndex::new(Arc::new(book), generate::DEFAULT_AS_OF)
    }

    fn filters(text: &str) -> PrescriptionFilters {
        PrescriptionFilters {
            text: text.into(),
            ..Default::default()
        }
    }

    fn with_medicines(names: &[&str]) -> Prescription {
        let index = index(10);
        let mut p = index.book.prescriptions[0].clone();
        let template = p.medicines[0].clone();
        p.medicines = names
            .iter()
            .map(|name| crate::model::Medicine {
                name: (*name).into(),
                ..template.clone()
            })
            .collect();
        p
    }

    #[test]
    fn a_row_names_up_to_three_medicines_then_two_and_how_many_more() {
        let names = |list: &[&str]| MedicineNames::of(&with_medicines(list));
        assert_eq!(names(&[]), MedicineNames::default());
        assert_eq!(
            names(&["Paracetamol 500mg", "Amoxicillin 500mg", "Vitamin C"]),
            MedicineNames {
                named: vec![
                    "Paracetamol 500mg".into(),
                    "Amoxicillin 500mg".into(),
                    "Vitamin C".into()
                ],
                more: 0
            }
        );
        assert_eq!(
            names(&["A", "B", "C", "D"]),
            MedicineNames {
                named: vec!["A".into(), "B".into()],
                more: 2
            }
        );
        assert_eq!(names(&["A", "B", "C", "D", "E", "F"]).more, 4);
        // A medicine written without a name is counted, never shown as an empty name.
        assert_eq!(
            names(&["A", "  ", "C"]),
            MedicineNames {
                named: vec!["A".into(), "C".into()],
                more: 1
            }
        );
    }

    #[test]
    fn summaries_carry_the_medicine_names() {
        let index = index(100);
        for i in 0..index.len() {
            let s = index.summary(i).expect("a summary per entry");
            assert_eq!(s.medicines.named.len() + s.medicines.more, s.medicine_count);
            assert!(s.medicines.more == 0 || s.medicines.more >= 2);
        }
    }

    #[test]
    fn newest_first_with_years_descending() {
        let index = index(100);
        let dates: Vec<Date> = (0..index.len())
            .filter_map(|i| index.summary(i))
            .map(|s| s.issued_on)
            .collect();
        assert!(dates.windows(2).all(|w| w[0] >= w[1]));
        assert!(index.years().windows(2).all(|w| w[0] > w[1]));
        assert_eq!(
            index.matching(&PrescriptionFilters::default()).len(),
            index.len()
        );
    }

    #[test]
    fn search_ignores_accents_and_needs_every_word() {
        let index = index(200);
        let with_accents = index.matching(&filters("Viêm họng"));
        assert!(!with_accents.is_empty());
        assert_eq!(index.matching(&filters("viem hong")), with_accents);
        assert_eq!(index.matching(&filters("  VIEM   HONG ")), with_accents);
        assert!(index.matching(&filters("viem hong zzz")).is_empty());
        assert_eq!(
            index.matching(&filters("PARA")),
            index.matching(&filters("paracetamol"))
        );
        for i in with_accents {
            let diagnoses = index.summary(i).map(|s| s.diagnoses).unwrap_or_default();
            assert!(diagnoses.iter().any(|d| d.text == "Viêm họng cấp"));
        }
    }

    #[test]
    fn words_match_from_their_start() {
        assert!(begins_a_word("viem da day, khong dac hieu", "khong"));
        assert!(!begins_a_word("viem da day, khong dac hieu", "hong"));
        assert!(begins_a_word("paracetamol 500mg\nj06.9", "j06"));
        assert!(begins_a_word("paracetamol 500mg\nj06.9", "500"));
        assert!(!begins_a_word("paracetamol 500mg\nj06.9", "cetamol"));
    }

    #[test]
    fn filters_compose() {
        let index = index(200);
        let year = index.years()[1];
        let by_year = index.matching(&PrescriptionFilters {
            year: Some(year),
            ..Default::default()
        });
        assert!(by_year
            .iter()
            .all(|&i| index.summary(i).is_some_and(|s| s.issued_on.year() == year)));
        let facility = index.facilities()[0].key.clone();
        let both = PrescriptionFilters {
            year: Some(year),
            facility: Some(facility),
            text: "paracetamol".into(),
        };
        let matched = index.matching(&both);
        assert!(matched.iter().all(|i| by_year.contains(i)));
        assert!(matched.len() <= by_year.len());
    }
}
