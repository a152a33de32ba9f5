//! Names from the health-book code tables (vaccines, diseases, series), in the reader's language.
//! The tables carry both languages; a code the tables do not know shows as the record wrote it.

use health_book::schedule::DiseaseKey;
use health_book::tables::provinces::Province;
use health_book::tables::schedule::PhaseIn;
use health_book::tables::vaccines::{self, Series};
use health_book::Coding;

use super::Locale;

pub fn vaccine(locale: Locale, coding: &Coding) -> String {
    match vaccines::find(coding) {
        Some(v) => match locale {
            Locale::Vi => v.name_vi.to_owned(),
            Locale::En => v.name_en.to_owned(),
        },
        None => coding.display.clone(),
    }
}

pub fn series(locale: Locale, series: Series) -> &'static str {
    let info = series.info();
    match locale {
        Locale::Vi => info.name_vi,
        Locale::En => info.name_en,
    }
}

pub fn disease(locale: Locale, key: &DiseaseKey) -> String {
    match key {
        DiseaseKey::Known(d) => {
            let info = d.info();
            match locale {
                Locale::Vi => info.name_vi.to_owned(),
                Locale::En => info.name_en.to_owned(),
            }
        }
        DiseaseKey::Other(coding) => coding.display.clone(),
    }
}

pub fn disease_coding(locale: Locale, coding: &Coding) -> String {
    match vaccines::Disease::from_coding(coding) {
        Some(d) => disease(locale, &DiseaseKey::Known(d)),
        None => coding.display.clone(),
    }
}

/// Where and since when a phase-in of the schedule is offered.
pub fn phase_in(locale: Locale, phase_in: &PhaseIn) -> &'static str {
    match locale {
        Locale::Vi => phase_in.where_vi,
        Locale::En => phase_in.where_en,
    }
}

/// A province's name as the citizen ID table writes it (the name at registration).
pub fn province(locale: Locale, province: &Province) -> &'static str {
    match locale {
        Locale::Vi => province.name_vi,
        Locale::En => province.name_en,
    }
}
