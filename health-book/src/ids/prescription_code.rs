use thiserror::Error;

use crate::model::PrescriptionKind;

/// A national e-prescription code, 14 characters: a 12-character part made by the facility's
/// software (facility code and a sequence, e.g. "40618R001935"), a dash, and the type letter
/// (c, n, h, y). The split of the first part is not relied on [uncertain in the domain notes].
///
/// Facility software generates the first part in lower case in the field (Decision 808/QĐ-BYT,
/// Circulars 26/2025 and 55/2025): the code is kept exactly as received (only surrounding white
/// space is dropped), so what the book shows and sends matches the paper, and two codes are the
/// same code whatever the case of their letters.
#[derive(Debug, Clone)]
pub struct PrescriptionCode {
    /// As received, trimmed.
    code: String,
    kind: PrescriptionKind,
}

impl PartialEq for PrescriptionCode {
    fn eq(&self, other: &Self) -> bool {
        self.code.eq_ignore_ascii_case(&other.code)
    }
}

impl Eq for PrescriptionCode {}

impl std::hash::Hash for PrescriptionCode {
    // Agrees with `eq`: case-insensitive.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.code.to_ascii_lowercase().hash(state);
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PrescriptionCodeError {
    #[error("a prescription code has 14 characters, this one has {0}")]
    WrongLength(usize),
    #[error("character {position} of a prescription code must be a letter or digit")]
    InvalidCharacter { position: usize },
    #[error("a prescription code has a dash before its type letter")]
    MissingDash,
    #[error("{0:?} is not a prescription type letter (c, n, h or y)")]
    UnknownKind(char),
}

impl PrescriptionKind {
    /// The type letter at the end of a prescription code.
    pub fn from_letter(letter: char) -> Option<PrescriptionKind> {
        match letter.to_ascii_lowercase() {
            'c' => Some(PrescriptionKind::Basic),
            'n' => Some(PrescriptionKind::Narcotic),
            'h' => Some(PrescriptionKind::Psychotropic),
            'y' => Some(PrescriptionKind::Traditional),
            _ => None,
        }
    }

    pub fn letter(self) -> char {
        match self {
            PrescriptionKind::Basic => 'c',
            PrescriptionKind::Narcotic => 'n',
            PrescriptionKind::Psychotropic => 'h',
            PrescriptionKind::Traditional => 'y',
        }
    }
}

impl PrescriptionCode {
    /// Reads a code as printed or scanned; surrounding white space is ignored and letters may be in
    /// either case (and are kept in the case they came in).
    pub fn parse(input: &str) -> Result<Self, PrescriptionCodeError> {
        let chars: Vec<char> = input.trim().chars().collect();
        if chars.len() != 14 {
            return Err(PrescriptionCodeError::WrongLength(chars.len()));
        }
        if let Some(position) = chars[..12].iter().position(|c| !c.is_ascii_alphanumeric()) {
            return Err(PrescriptionCodeError::InvalidCharacter { position });
        }
        if chars[12] != '-' {
            return Err(PrescriptionCodeError::MissingDash);
        }
        let kind = PrescriptionKind::from_letter(chars[13])
            .ok_or(PrescriptionCodeError::UnknownKind(chars[13]))?;
        Ok(PrescriptionCode {
            code: chars.into_iter().collect(),
            kind,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.code
    }

    pub fn kind(&self) -> PrescriptionKind {
        self.kind
    }

    /// The 12 characters before the dash.
    pub fn serial(&self) -> &str {
        &self.code[..12]
    }

    /// Same code as `other` (a string as received), letters compared without case.
    pub fn matches(&self, other: &str) -> bool {
        self.code.eq_ignore_ascii_case(other.trim())
    }
}

impl std::fmt::Display for PrescriptionCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.code)
    }
}

impl std::str::FromStr for PrescriptionCode {
    type Err = PrescriptionCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PrescriptionCode::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn national_example_and_each_type_letter() {
        let code = PrescriptionCode::parse("40618R001935-c").unwrap();
        assert_eq!(code.kind(), PrescriptionKind::Basic);
        assert_eq!(code.serial(), "40618R001935");
        assert_eq!(
            PrescriptionCode::parse("40618R001935-n").unwrap().kind(),
            PrescriptionKind::Narcotic
        );
        assert_eq!(
            PrescriptionCode::parse("40618R001935-h").unwrap().kind(),
            PrescriptionKind::Psychotropic
        );
        // Issue 12 changed this fact: the code is kept as received (it used to be upper-cased).
        assert_eq!(
            PrescriptionCode::parse(" 40618r001935-Y\n")
                .unwrap()
                .as_str(),
            "40618r001935-Y"
        );
    }

    #[test]
    fn lower_case_codes_from_the_field_are_kept_and_compared_without_case() {
        let lower = PrescriptionCode::parse("79011ab3k9x2-c").unwrap();
        assert_eq!(lower.as_str(), "79011ab3k9x2-c");
        assert_eq!(lower.to_string(), "79011ab3k9x2-c");
        assert_eq!(lower.serial(), "79011ab3k9x2");
        let upper = PrescriptionCode::parse("79011AB3K9X2-C").unwrap();
        assert_eq!(upper.as_str(), "79011AB3K9X2-C");
        assert_eq!(lower, upper);
        assert!(lower.matches(" 79011AB3k9x2-c "));
        assert!(!lower.matches("79011ab3k9x3-c"));
        let set: std::collections::HashSet<PrescriptionCode> = [lower, upper].into_iter().collect();
        assert_eq!(set.len(), 1);
    }

    #[test]
    fn refusals_are_typed() {
        use PrescriptionCodeError::*;
        assert_eq!(
            PrescriptionCode::parse("40618R001935-x"),
            Err(UnknownKind('x'))
        );
        assert_eq!(
            PrescriptionCode::parse("40618R001935c"),
            Err(WrongLength(13))
        );
        assert_eq!(PrescriptionCode::parse("40618R0019355c"), Err(MissingDash));
        assert_eq!(
            PrescriptionCode::parse("40618R00 935-c"),
            Err(InvalidCharacter { position: 8 })
        );
        assert_eq!(
            PrescriptionCode::parse("40618Ư001935-c"),
            Err(InvalidCharacter { position: 5 })
        );
    }

    proptest! {
        #[test]
        fn never_panics(input in any::<String>()) {
            let _ = PrescriptionCode::parse(&input);
        }

        #[test]
        fn well_formed_codes_round_trip(serial in "[0-9A-Za-z]{12}", letter in "[cnhyCNHY]") {
            let code = PrescriptionCode::parse(&format!("{serial}-{letter}")).unwrap();
            prop_assert_eq!(code.kind().letter().to_string(), letter.to_lowercase());
            prop_assert_eq!(code.as_str(), format!("{serial}-{letter}"));
            prop_assert_eq!(PrescriptionCode::parse(code.as_str()), Ok(code.clone()));
            prop_assert_eq!(PrescriptionCode::parse(&code.as_str().to_uppercase()), Ok(code.clone()));
        }
    }
}
