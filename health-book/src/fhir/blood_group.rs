//! The blood group as FHIR writes it: an `Observation` with LOINC 882-1 ("ABO and Rh group [Type]
//! in Blood") whose value is the SNOMED CT concept of that group. Each code once, here, for the
//! export and the import.

use crate::model::BloodGroup;

pub const SNOMED_SYSTEM: &str = "http://snomed.info/sct";
/// LOINC "ABO and Rh group [Type] in Blood".
pub const ABO_RH_LOINC: &str = "882-1";
pub const ABO_RH_DISPLAY: &str = "ABO and Rh group [Type] in Blood";

/// The SNOMED CT concept of each group and its English name [SNOMED CT, "Blood group ... Rh(D)
/// positive/negative (finding)"].
pub fn snomed(group: BloodGroup) -> (&'static str, &'static str) {
    use BloodGroup::*;
    match group {
        APositive => ("278149003", "Blood group A Rh(D) positive"),
        ANegative => ("278152006", "Blood group A Rh(D) negative"),
        BPositive => ("278150003", "Blood group B Rh(D) positive"),
        BNegative => ("278153001", "Blood group B Rh(D) negative"),
        AbPositive => ("278151004", "Blood group AB Rh(D) positive"),
        AbNegative => ("278154007", "Blood group AB Rh(D) negative"),
        OPositive => ("278147001", "Blood group O Rh(D) positive"),
        ONegative => ("278148006", "Blood group O Rh(D) negative"),
    }
}

const ALL: [BloodGroup; 8] = [
    BloodGroup::APositive,
    BloodGroup::ANegative,
    BloodGroup::BPositive,
    BloodGroup::BNegative,
    BloodGroup::AbPositive,
    BloodGroup::AbNegative,
    BloodGroup::OPositive,
    BloodGroup::ONegative,
];

/// The group of a SNOMED CT code.
pub fn from_snomed(code: &str) -> Option<BloodGroup> {
    ALL.into_iter().find(|g| snomed(*g).0 == code.trim())
}

/// The group of a written value, as other systems write it: "A+", "AB Rh-", "O Rh(D) positive",
/// "Blood group B Rh(D) negative", "A Pos", "nhóm máu O+". `None` when ABO or Rh is missing: the
/// book holds both or neither.
pub fn from_text(text: &str) -> Option<BloodGroup> {
    let upper = text.to_uppercase();
    let cleaned = upper
        .replace("NHÓM MÁU", " ")
        .replace("BLOOD GROUP", " ")
        .replace("RH(D)", " RH ")
        .replace("(FINDING)", " ");
    let words: Vec<&str> = cleaned
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let first = words.first()?;
    // "A+" / "AB-" written as one word, or "A" then a word for Rh.
    let abo_part = first.trim_end_matches(['+', '-']);
    let abo = match abo_part {
        "A" | "B" | "AB" | "O" | "0" => abo_part,
        _ => return None,
    };
    let rest = format!("{} {}", &first[abo_part.len()..], words[1..].join(" "));
    let negative = rest.contains('-') || rest.contains("NEG") || rest.contains("ÂM");
    let positive = rest.contains('+') || rest.contains("POS") || rest.contains("DƯƠNG");
    use BloodGroup::*;
    Some(match (abo, positive, negative) {
        (_, true, true) | (_, false, false) => return None,
        ("A", true, _) => APositive,
        ("A", _, true) => ANegative,
        ("B", true, _) => BPositive,
        ("B", _, true) => BNegative,
        ("AB", true, _) => AbPositive,
        ("AB", _, true) => AbNegative,
        (_, true, _) => OPositive,
        _ => ONegative,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_group_reads_back_from_its_snomed_code_and_its_name() {
        for g in ALL {
            let (code, display) = snomed(g);
            assert_eq!(from_snomed(code), Some(g));
            assert_eq!(from_text(display), Some(g), "{display}");
        }
    }

    #[test]
    fn written_forms_of_other_systems_are_read() {
        use BloodGroup::*;
        assert_eq!(from_text("A+"), Some(APositive));
        assert_eq!(from_text("ab-"), Some(AbNegative));
        assert_eq!(from_text("O Rh+"), Some(OPositive));
        assert_eq!(from_text("B Pos"), Some(BPositive));
        assert_eq!(from_text("Nhóm máu O âm tính"), Some(ONegative));
        assert_eq!(from_text("0 Rh negative"), Some(ONegative));
    }

    #[test]
    fn half_a_group_is_no_group() {
        assert_eq!(from_text("A"), None);
        assert_eq!(from_text("Rh+"), None);
        assert_eq!(from_text("A+-"), None);
        assert_eq!(from_text(""), None);
        assert_eq!(from_snomed("123"), None);
    }
}
