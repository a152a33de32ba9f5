//! How registers, private vaccination chains and old paper cards write each vaccine: short codes,
//! names with extra words, and brand names. One row per vaccine of `tables::vaccines`; add a
//! spelling here when an import reports it as unknown.
//!
//! Entries are compared folded (lower case, no diacritics, no spaces or punctuation: see
//! `text::fold_compact`), after [`FILLER_WORDS`] and dose markers ("mũi 2") are dropped.
//! Brands are those registered and in use in Vietnam [uncertain: the list of brands on the market
//! changes; the Drug Administration's register is the reference].

use crate::text::{fold_compact, fold_for_search};

/// Words around a vaccine's name that say nothing about which vaccine it is, folded.
pub const FILLER_WORDS: &[&str] = &["vac xin", "vacxin", "vaccin", "vaccine", "tiem", "ngua"];

/// Words that introduce a dose number ("mũi 2", "liều 1", "dose 3"), folded.
const DOSE_WORDS: &[&str] = &["mui", "lieu", "dose"];

/// (project code of the vaccine, the ways it is written).
#[rustfmt::skip]
pub const ALIASES: &[(&str, &[&str])] = &[
    ("VGB", &["HepB", "Hep B", "VGB", "Viêm gan B sơ sinh", "VGB sơ sinh", "Viêm gan B trẻ em", "Engerix-B", "Euvax B", "Heberbiovac", "Heberbiovac HB", "Gene-HBvax", "Hepavax-Gene"]),
    ("BCG", &["BCG", "Lao", "Vắc xin phòng lao"]),
    ("DPT-VGB-Hib", &["DTP-HepB-Hib", "DPT-HepB-Hib", "DTwP-HepB-Hib", "DPT-VGB-Hib", "5 trong 1", "5in1", "5-in-1", "Pentavalent", "ComBE Five", "Quinvaxem", "SII Pentavac", "Pentavac"]),
    ("DPT-VGB-Hib-IPV", &["6 trong 1", "6in1", "6-in-1", "DTaP-IPV-HepB-Hib", "Hexaxim", "Infanrix Hexa", "Hexavalent"]),
    ("bOPV", &["OPV", "bOPV", "Bại liệt uống", "Polio uống"]),
    ("IPV", &["IPV", "Bại liệt tiêm", "IPOL", "Imovax Polio", "Poliorix"]),
    ("DPT", &["DPT", "DTP", "DTaP", "DTwP", "DPT4", "Bạch hầu ho gà uốn ván", "3 trong 1", "Adacel", "Boostrix"]),
    ("DPT-IPV-Hib", &["DTaP-IPV-Hib", "Pentaxim"]),
    ("VGB-NL", &["Viêm gan B người lớn", "HepB người lớn", "HepB adult"]),
    ("SOI", &["Sởi", "Measles", "MVVac", "MVVAC"]),
    ("MR", &["MR", "Sởi Rubella", "MRVac", "MRVAC"]),
    ("MMR", &["MMR", "Sởi quai bị Rubella", "MMR II", "Priorix", "Trimovax"]),
    ("VNNB", &["VNNB", "JE", "JEV", "Viêm não Nhật Bản B", "Jevax", "Imojev", "Jeev"]),
    ("UV", &["VAT", "TT", "Uốn ván", "Uốn ván hấp phụ"]),
    ("Td", &["Td", "Uốn ván bạch hầu", "Uốn ván bạch hầu hấp phụ", "Bạch hầu uốn ván"]),
    ("ROTA", &["Rota", "Rotavirus", "Tiêu chảy do Rota", "Rotavin", "Rotavin-M1", "Rotarix", "Rotateq", "RV1", "RV5"]),
    ("PCV", &["PCV", "PCV10", "PCV13", "Phế cầu", "Synflorix", "Prevenar 13", "Prevenar", "Vaxneuvance", "Pneumovax 23"]),
    ("THUY-DAU", &["Thủy đậu", "Thuỷ đậu", "Varicella", "Varivax", "Varilrix", "VariZIG"]),
    ("HPV", &["HPV", "Gardasil", "Gardasil 9", "Cervarix", "Ung thư cổ tử cung"]),
    ("CUM", &["Cúm", "Influenza", "Flu", "Vaxigrip", "Vaxigrip Tetra", "Influvac", "Influvac Tetra", "GC Flu", "Ivacflu-S"]),
    ("DAI", &["Dại", "Rabies", "Verorab", "Abhayrab", "Indirab", "Speeda"]),
    ("COVID-19-AZ", &["AstraZeneca", "Vaxzevria", "AZ", "Covishield"]),
    ("COVID-19-PF", &["Pfizer", "Comirnaty", "Pfizer-BioNTech", "BNT162b2"]),
    ("COVID-19-MD", &["Moderna", "Spikevax", "mRNA-1273"]),
    ("COVID-19-VC", &["Vero Cell", "Verocell", "Sinopharm", "BBIBP-CorV"]),
    ("COVID-19", &["COVID", "COVID-19", "Covid 19", "SARS-CoV-2"]),
];

/// Folds a register's text for [`ALIASES`]: diacritics, case, punctuation, filler words and a
/// trailing dose marker go.
pub fn fold_name(text: &str) -> String {
    let spaced: String = fold_for_search(text)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let mut words: Vec<&str> = spaced.split_whitespace().collect();
    // "mũi 2", "liều 1": a dose number, not part of the name.
    if let [.., word, number] = words.as_slice() {
        if DOSE_WORDS.contains(word) && number.chars().all(|c| c.is_ascii_digit()) {
            words.truncate(words.len() - 2);
        }
    }
    let mut joined = words.join(" ");
    for filler in FILLER_WORDS {
        if let Some(rest) = joined.strip_prefix(filler) {
            if rest.is_empty() || rest.starts_with(' ') {
                joined = rest.trim_start().to_string();
            }
        }
    }
    fold_compact(&joined)
}

/// The project code of the vaccine a register's code or name means, through [`ALIASES`]. A code,
/// not the table's row: `tables::vaccines` looks it up, so the two files do not import each other.
pub fn recognise(text: &str) -> Option<&'static str> {
    let folded = fold_name(text);
    if folded.is_empty() {
        return None;
    }
    ALIASES
        .iter()
        .find(|(_, names)| names.iter().any(|n| fold_name(n) == folded))
        .map(|(code, _)| *code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::vaccines::{by_code, VACCINES};

    #[test]
    fn every_row_names_a_vaccine_and_no_spelling_means_two() {
        let mut seen: Vec<(String, &str)> = Vec::new();
        for (code, names) in ALIASES {
            assert!(by_code(code).is_some(), "{code}");
            for name in *names {
                let folded = fold_name(name);
                assert!(!folded.is_empty(), "{name}");
                if let Some((_, other)) = seen.iter().find(|(f, _)| *f == folded) {
                    assert_eq!(other, code, "{name:?} means both {other} and {code}");
                }
                seen.push((folded, code));
            }
        }
        for v in VACCINES {
            assert!(
                ALIASES.iter().any(|(code, _)| code == &v.code),
                "{} has no row",
                v.code
            );
        }
    }

    #[test]
    fn real_spellings_from_registers_and_cards() {
        let cases: &[(&str, &str)] = &[
            ("HepB", "VGB"),
            ("VGB", "VGB"),
            ("Viêm gan B sơ sinh", "VGB"),
            ("viem gan b so sinh", "VGB"),
            ("VIÊM GAN B SƠ SINH", "VGB"),
            ("Euvax B", "VGB"),
            ("Heberbiovac HB", "VGB"),
            ("DTP-HepB-Hib", "DPT-VGB-Hib"),
            ("DTP HepB Hib", "DPT-VGB-Hib"),
            ("Vắc xin 5 trong 1", "DPT-VGB-Hib"),
            ("Vaccine 5 trong 1 mũi 2", "DPT-VGB-Hib"),
            ("ComBE Five", "DPT-VGB-Hib"),
            ("COMBE FIVE", "DPT-VGB-Hib"),
            ("Quinvaxem", "DPT-VGB-Hib"),
            ("Pentaxim", "DPT-IPV-Hib"),
            ("Hexaxim", "DPT-VGB-Hib-IPV"),
            ("Infanrix Hexa", "DPT-VGB-Hib-IPV"),
            ("Infanrix-hexa", "DPT-VGB-Hib-IPV"),
            ("IPOL", "IPV"),
            ("MVVac", "SOI"),
            ("MRVac", "MR"),
            ("Jevax", "VNNB"),
            ("Imojev", "VNNB"),
            ("Rotateq", "ROTA"),
            ("RotaTeq", "ROTA"),
            ("Rotarix", "ROTA"),
            ("Rotavin-M1", "ROTA"),
            ("Rotavin", "ROTA"),
            ("Synflorix", "PCV"),
            ("Prevenar 13", "PCV"),
            ("Prevenar-13", "PCV"),
            ("Gardasil", "HPV"),
            ("Gardasil 9", "HPV"),
            ("Varivax", "THUY-DAU"),
            ("Vắc-xin Thủy đậu", "THUY-DAU"),
            ("Uốn ván - bạch hầu", "Td"),
            ("Sởi - Rubella", "MR"),
            ("Vero Cell", "COVID-19-VC"),
        ];
        for (text, code) in cases {
            assert_eq!(recognise(text), Some(*code), "{text:?}");
        }
    }

    #[test]
    fn what_no_row_names_stays_unknown() {
        for text in [
            "",
            "  ",
            "mũi 2",
            "Vắc xin",
            "Sốt xuất huyết",
            "Qdenga XYZ",
            "5 trong 2",
        ] {
            assert_eq!(recognise(text), None, "{text:?}");
        }
    }
}
