//! Vaccines the book knows by name: the national childhood programme (TCMR) and common adult
//! vaccines. Each carries the schedule series it counts toward and the diseases it protects
//! against, so a combination dose (5-in-1) counts for every series it covers.
//!
//! Codes are this project's short codes in the style of Vietnamese immunisation registers ("VGB",
//! "DPT-VGB-Hib") [uncertain: the VN Core vaccine value set's own codes are not yet published in a
//! form we could check]. Records coded in CVX are recognised through `cvx`.

use crate::model::Coding;
use crate::text::fold_for_search;

use super::vaccine_names::recognise;

/// System of this project's vaccine codes.
pub const VACCINE_CODE_SYSTEM: &str = "https://so-suc-khoe.example/fhir/CodeSystem/vaccine";
/// CDC vaccine codes, used by many FHIR sources.
pub const CVX_SYSTEM: &str = "http://hl7.org/fhir/sid/cvx";
/// System of the disease codes below.
pub const SNOMED_SYSTEM: &str = "http://snomed.info/sct";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Disease {
    HepatitisB,
    Tuberculosis,
    Diphtheria,
    Pertussis,
    Tetanus,
    Hib,
    Polio,
    Measles,
    Rubella,
    Mumps,
    JapaneseEncephalitis,
    Covid19,
    Influenza,
    Hpv,
    Rabies,
    Rotavirus,
    Pneumococcal,
    Varicella,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiseaseInfo {
    pub disease: Disease,
    /// SNOMED CT code, as used by WHO DDCC:VS and SMART Health Cards [uncertain for some].
    pub snomed: &'static str,
    pub name_vi: &'static str,
    pub name_en: &'static str,
}

const fn d(
    disease: Disease,
    snomed: &'static str,
    name_vi: &'static str,
    name_en: &'static str,
) -> DiseaseInfo {
    DiseaseInfo {
        disease,
        snomed,
        name_vi,
        name_en,
    }
}

/// In the order of `Disease`.
pub const DISEASES: &[DiseaseInfo] = &[
    d(Disease::HepatitisB, "66071002", "Viêm gan B", "Hepatitis B"),
    d(Disease::Tuberculosis, "56717001", "Lao", "Tuberculosis"),
    d(Disease::Diphtheria, "397430003", "Bạch hầu", "Diphtheria"),
    d(Disease::Pertussis, "27836007", "Ho gà", "Pertussis"),
    d(Disease::Tetanus, "76902006", "Uốn ván", "Tetanus"),
    d(
        Disease::Hib,
        "709410003",
        "Viêm phổi, viêm màng não do Hib",
        "Haemophilus influenzae type b",
    ),
    d(Disease::Polio, "398102009", "Bại liệt", "Poliomyelitis"),
    d(Disease::Measles, "14189004", "Sởi", "Measles"),
    d(Disease::Rubella, "36653000", "Rubella", "Rubella"),
    d(Disease::Mumps, "36989005", "Quai bị", "Mumps"),
    d(
        Disease::JapaneseEncephalitis,
        "52947006",
        "Viêm não Nhật Bản",
        "Japanese encephalitis",
    ),
    d(Disease::Covid19, "840539006", "COVID-19", "COVID-19"),
    d(Disease::Influenza, "6142004", "Cúm", "Influenza"),
    d(
        Disease::Hpv,
        "240532009",
        "Vi rút HPV (ung thư cổ tử cung)",
        "Human papillomavirus",
    ),
    d(Disease::Rabies, "14168008", "Dại", "Rabies"),
    d(
        Disease::Rotavirus,
        "18624000",
        "Tiêu chảy do vi rút Rota",
        "Rotavirus diarrhoea",
    ),
    d(
        Disease::Pneumococcal,
        "16814004",
        "Bệnh do phế cầu",
        "Pneumococcal disease",
    ),
    d(
        Disease::Varicella,
        "38907003",
        "Thủy đậu",
        "Chickenpox (varicella)",
    ),
];

impl Disease {
    pub fn info(self) -> &'static DiseaseInfo {
        &DISEASES[self as usize]
    }

    /// The disease a target-disease coding names (SNOMED code, or the name in either language).
    pub fn from_coding(coding: &Coding) -> Option<Disease> {
        let folded = fold_for_search(&coding.display);
        DISEASES
            .iter()
            .find(|info| {
                info.snomed == coding.code
                    || fold_for_search(info.name_vi) == folded
                    || fold_for_search(info.name_en) == folded
            })
            .map(|info| info.disease)
    }

    /// A SNOMED coding with the Vietnamese name, as records in this book carry it.
    pub fn coding(self) -> Coding {
        let info = self.info();
        Coding {
            system: Some(SNOMED_SYSTEM.into()),
            code: info.snomed.into(),
            display: info.name_vi.into(),
        }
    }
}

/// A dose series of the schedule: the doses that count toward the same protection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Series {
    HepatitisB,
    Bcg,
    /// Diphtheria, pertussis, tetanus (DPT).
    Dtp,
    Hib,
    OralPolio,
    InactivatedPolio,
    Measles,
    MeaslesRubella,
    JapaneseEncephalitis,
    Tetanus,
    Covid19,
    Influenza,
    Hpv,
    Rabies,
    /// The tetanus-diphtheria booster of the childhood programme at 7 years.
    Td,
    Rotavirus,
    Pneumococcal,
    Varicella,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesInfo {
    pub series: Series,
    pub name_vi: &'static str,
    pub name_en: &'static str,
}

const fn s(series: Series, name_vi: &'static str, name_en: &'static str) -> SeriesInfo {
    SeriesInfo {
        series,
        name_vi,
        name_en,
    }
}

/// In the order of `Series`.
pub const SERIES: &[SeriesInfo] = &[
    s(Series::HepatitisB, "Viêm gan B", "Hepatitis B"),
    s(Series::Bcg, "Lao (BCG)", "Tuberculosis (BCG)"),
    s(
        Series::Dtp,
        "Bạch hầu - Ho gà - Uốn ván",
        "Diphtheria, pertussis, tetanus",
    ),
    s(Series::Hib, "Hib", "Hib"),
    s(
        Series::OralPolio,
        "Bại liệt uống (bOPV)",
        "Oral polio (bOPV)",
    ),
    s(
        Series::InactivatedPolio,
        "Bại liệt tiêm (IPV)",
        "Inactivated polio (IPV)",
    ),
    s(Series::Measles, "Sởi", "Measles"),
    s(Series::MeaslesRubella, "Sởi - Rubella", "Measles-rubella"),
    s(
        Series::JapaneseEncephalitis,
        "Viêm não Nhật Bản",
        "Japanese encephalitis",
    ),
    s(Series::Tetanus, "Uốn ván", "Tetanus"),
    s(Series::Covid19, "COVID-19", "COVID-19"),
    s(Series::Influenza, "Cúm", "Influenza"),
    s(Series::Hpv, "HPV", "HPV"),
    s(Series::Rabies, "Dại", "Rabies"),
    s(
        Series::Td,
        "Uốn ván - Bạch hầu (Td)",
        "Tetanus-diphtheria (Td)",
    ),
    s(Series::Rotavirus, "Vi rút Rota (uống)", "Rotavirus (oral)"),
    s(Series::Pneumococcal, "Phế cầu", "Pneumococcal"),
    s(Series::Varicella, "Thủy đậu", "Chickenpox (varicella)"),
];

impl Series {
    pub fn info(self) -> &'static SeriesInfo {
        &SERIES[self as usize]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vaccine {
    pub code: &'static str,
    pub name_vi: &'static str,
    pub name_en: &'static str,
    pub series: &'static [Series],
    pub diseases: &'static [Disease],
    /// CVX codes that name this vaccine (or its family) in other sources.
    pub cvx: &'static [&'static str],
    /// Part of the national childhood programme (free of charge).
    pub childhood_programme: bool,
}

impl Vaccine {
    /// A coding with this project's code and the Vietnamese name.
    pub fn coding(&self) -> Coding {
        Coding {
            system: Some(VACCINE_CODE_SYSTEM.into()),
            code: self.code.into(),
            display: self.name_vi.into(),
        }
    }

    pub fn counts_for(&self, series: Series) -> bool {
        self.series.contains(&series)
    }
}

use Disease as D;
use Series as S;

#[rustfmt::skip]
pub const VACCINES: &[Vaccine] = &[
    Vaccine { code: "VGB", name_vi: "Viêm gan B", name_en: "Hepatitis B", series: &[S::HepatitisB], diseases: &[D::HepatitisB], cvx: &["08", "45"], childhood_programme: true },
    Vaccine { code: "BCG", name_vi: "Lao (BCG)", name_en: "BCG (tuberculosis)", series: &[S::Bcg], diseases: &[D::Tuberculosis], cvx: &["19"], childhood_programme: true },
    Vaccine { code: "DPT-VGB-Hib", name_vi: "Bạch hầu - Ho gà - Uốn ván - Viêm gan B - Hib (5 trong 1)", name_en: "DTP-HepB-Hib (5-in-1)", series: &[S::Dtp, S::HepatitisB, S::Hib], diseases: &[D::Diphtheria, D::Pertussis, D::Tetanus, D::HepatitisB, D::Hib], cvx: &["102", "198"], childhood_programme: true },
    Vaccine { code: "DPT-VGB-Hib-IPV", name_vi: "6 trong 1 (Bạch hầu - Ho gà - Uốn ván - Bại liệt - Viêm gan B - Hib)", name_en: "DTaP-IPV-HepB-Hib (6-in-1)", series: &[S::Dtp, S::HepatitisB, S::Hib, S::InactivatedPolio], diseases: &[D::Diphtheria, D::Pertussis, D::Tetanus, D::Polio, D::HepatitisB, D::Hib], cvx: &["146"], childhood_programme: false },
    Vaccine { code: "DPT-IPV-Hib", name_vi: "5 trong 1 (Bạch hầu - Ho gà - Uốn ván - Bại liệt - Hib)", name_en: "DTaP-IPV-Hib (5-in-1, Pentaxim)", series: &[S::Dtp, S::Hib, S::InactivatedPolio], diseases: &[D::Diphtheria, D::Pertussis, D::Tetanus, D::Polio, D::Hib], cvx: &["120"], childhood_programme: false },
    Vaccine { code: "bOPV", name_vi: "Bại liệt uống (bOPV)", name_en: "Oral polio (bOPV)", series: &[S::OralPolio], diseases: &[D::Polio], cvx: &["178", "02", "182"], childhood_programme: true },
    Vaccine { code: "IPV", name_vi: "Bại liệt tiêm (IPV)", name_en: "Inactivated polio (IPV)", series: &[S::InactivatedPolio], diseases: &[D::Polio], cvx: &["10", "89"], childhood_programme: true },
    Vaccine { code: "DPT", name_vi: "Bạch hầu - Ho gà - Uốn ván (DPT)", name_en: "DTP", series: &[S::Dtp], diseases: &[D::Diphtheria, D::Pertussis, D::Tetanus], cvx: &["01", "20", "107"], childhood_programme: true },
    Vaccine { code: "SOI", name_vi: "Sởi", name_en: "Measles", series: &[S::Measles], diseases: &[D::Measles], cvx: &["05"], childhood_programme: true },
    Vaccine { code: "MR", name_vi: "Sởi - Rubella (MR)", name_en: "Measles-rubella (MR)", series: &[S::MeaslesRubella], diseases: &[D::Measles, D::Rubella], cvx: &["04"], childhood_programme: true },
    Vaccine { code: "MMR", name_vi: "Sởi - Quai bị - Rubella (MMR)", name_en: "Measles-mumps-rubella (MMR)", series: &[S::Measles, S::MeaslesRubella], diseases: &[D::Measles, D::Mumps, D::Rubella], cvx: &["03"], childhood_programme: false },
    Vaccine { code: "VNNB", name_vi: "Viêm não Nhật Bản", name_en: "Japanese encephalitis", series: &[S::JapaneseEncephalitis], diseases: &[D::JapaneseEncephalitis], cvx: &["39", "134", "129"], childhood_programme: true },
    Vaccine { code: "UV", name_vi: "Uốn ván (VAT)", name_en: "Tetanus toxoid", series: &[S::Tetanus], diseases: &[D::Tetanus], cvx: &["35", "112"], childhood_programme: true },
    // Td is the programme's booster at 7 years (Circular 10/2024/TT-BYT) and also protects in
    // pregnancy, so it counts for both series.
    Vaccine { code: "Td", name_vi: "Uốn ván - Bạch hầu (Td)", name_en: "Tetanus-diphtheria (Td)", series: &[S::Td, S::Tetanus], diseases: &[D::Tetanus, D::Diphtheria], cvx: &["09", "113", "138", "139"], childhood_programme: true },
    // Phased in by province (see `tables::schedule::ROTAVIRUS_PHASE_IN`); Rotavin-M1 is the
    // programme's domestic vaccine, Rotarix and RotaTeq the ones sold by private chains.
    Vaccine { code: "ROTA", name_vi: "Vi rút Rota (uống)", name_en: "Rotavirus (oral)", series: &[S::Rotavirus], diseases: &[D::Rotavirus], cvx: &["116", "119", "122"], childhood_programme: true },
    // Phased in from 2026 (see `tables::schedule::PNEUMOCOCCAL_PHASE_IN`).
    Vaccine { code: "PCV", name_vi: "Phế cầu (PCV)", name_en: "Pneumococcal conjugate (PCV)", series: &[S::Pneumococcal], diseases: &[D::Pneumococcal], cvx: &["100", "133", "152", "177", "215", "216"], childhood_programme: true },
    Vaccine { code: "THUY-DAU", name_vi: "Thủy đậu", name_en: "Chickenpox (varicella)", series: &[S::Varicella], diseases: &[D::Varicella], cvx: &["21"], childhood_programme: false },
    Vaccine { code: "VGB-NL", name_vi: "Viêm gan B (người lớn)", name_en: "Hepatitis B (adult)", series: &[S::HepatitisB], diseases: &[D::HepatitisB], cvx: &["43", "189"], childhood_programme: false },
    Vaccine { code: "COVID-19-AZ", name_vi: "COVID-19 AstraZeneca", name_en: "COVID-19 AstraZeneca (Vaxzevria)", series: &[S::Covid19], diseases: &[D::Covid19], cvx: &["210"], childhood_programme: false },
    Vaccine { code: "COVID-19-PF", name_vi: "COVID-19 Pfizer-BioNTech (Comirnaty)", name_en: "COVID-19 Pfizer-BioNTech (Comirnaty)", series: &[S::Covid19], diseases: &[D::Covid19], cvx: &["208", "217", "218", "219"], childhood_programme: false },
    Vaccine { code: "COVID-19-MD", name_vi: "COVID-19 Moderna (Spikevax)", name_en: "COVID-19 Moderna (Spikevax)", series: &[S::Covid19], diseases: &[D::Covid19], cvx: &["207", "221"], childhood_programme: false },
    Vaccine { code: "COVID-19-VC", name_vi: "COVID-19 Vero Cell (Sinopharm)", name_en: "COVID-19 Sinopharm (BBIBP-CorV)", series: &[S::Covid19], diseases: &[D::Covid19], cvx: &["510"], childhood_programme: false },
    Vaccine { code: "COVID-19", name_vi: "COVID-19", name_en: "COVID-19", series: &[S::Covid19], diseases: &[D::Covid19], cvx: &["213"], childhood_programme: false },
    Vaccine { code: "CUM", name_vi: "Cúm mùa", name_en: "Seasonal influenza", series: &[S::Influenza], diseases: &[D::Influenza], cvx: &["88", "141", "150", "158", "161"], childhood_programme: false },
    Vaccine { code: "HPV", name_vi: "HPV (ung thư cổ tử cung)", name_en: "HPV", series: &[S::Hpv], diseases: &[D::Hpv], cvx: &["137", "62", "118", "165"], childhood_programme: false },
    Vaccine { code: "DAI", name_vi: "Dại", name_en: "Rabies", series: &[S::Rabies], diseases: &[D::Rabies], cvx: &["18", "40", "90"], childhood_programme: false },
];

/// The vaccine with this project code.
pub fn by_code(code: &str) -> Option<&'static Vaccine> {
    VACCINES.iter().find(|v| v.code.eq_ignore_ascii_case(code))
}

/// The vaccine a record's coding names: by project code, by CVX code, by its name in either
/// language (imported records sometimes carry only text such as "Sởi"), or by a code, name or
/// brand registers use (`tables::vaccine_names`).
pub fn find(coding: &Coding) -> Option<&'static Vaccine> {
    let is_cvx = coding.system.as_deref() == Some(CVX_SYSTEM);
    if !is_cvx {
        if let Some(v) = by_code(coding.code.trim()) {
            return Some(v);
        }
    }
    if is_cvx || coding.system.is_none() {
        let code = coding.code.trim();
        if let Some(v) = VACCINES.iter().find(|v| v.cvx.contains(&code)) {
            return Some(v);
        }
    }
    let folded = fold_for_search(&coding.display);
    let by_name = (!folded.is_empty())
        .then(|| {
            VACCINES.iter().find(|v| {
                fold_for_search(v.name_vi) == folded || fold_for_search(v.name_en) == folded
            })
        })
        .flatten();
    by_name
        .or_else(|| recognise(&coding.display).and_then(by_code))
        .or_else(|| {
            (!is_cvx)
                .then(|| recognise(&coding.code).and_then(by_code))
                .flatten()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_line_up_with_their_enums() {
        for (i, info) in DISEASES.iter().enumerate() {
            assert_eq!(info.disease as usize, i);
        }
        for (i, info) in SERIES.iter().enumerate() {
            assert_eq!(info.series as usize, i);
        }
        for (i, v) in VACCINES.iter().enumerate() {
            assert!(
                VACCINES[i + 1..]
                    .iter()
                    .all(|o| !o.code.eq_ignore_ascii_case(v.code)),
                "{}",
                v.code
            );
            assert!(!v.series.is_empty() && !v.diseases.is_empty(), "{}", v.code);
        }
    }

    #[test]
    fn five_in_one_counts_for_three_series() {
        let v = by_code("dpt-vgb-hib").unwrap();
        assert!(
            v.counts_for(Series::Dtp)
                && v.counts_for(Series::HepatitisB)
                && v.counts_for(Series::Hib)
        );
        assert!(!v.counts_for(Series::OralPolio));
    }

    #[test]
    fn finds_by_code_cvx_or_name() {
        let coding = |system: Option<&str>, code: &str, display: &str| Coding {
            system: system.map(str::to_string),
            code: code.into(),
            display: display.into(),
        };
        assert_eq!(
            find(&coding(Some(VACCINE_CODE_SYSTEM), "BCG", "")).map(|v| v.code),
            Some("BCG")
        );
        assert_eq!(
            find(&coding(Some(CVX_SYSTEM), "208", "Pfizer")).map(|v| v.code),
            Some("COVID-19-PF")
        );
        assert_eq!(find(&coding(None, "x", "sởi")).map(|v| v.code), Some("SOI"));
        assert_eq!(
            find(&coding(Some("urn:other"), "08", "Unknown brand")),
            None
        );
        assert_eq!(find(&coding(None, "", "")), None);
    }

    #[test]
    fn disease_codings_are_recognised() {
        for info in DISEASES {
            assert_eq!(
                Disease::from_coding(&info.disease.coding()),
                Some(info.disease)
            );
        }
    }
}
