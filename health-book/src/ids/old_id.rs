use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The identity card number (CMND) that preceded the CCCD.
///
/// Accepts 9 digits (the card issued until 2016) and also 12 digits: from 2012 some provinces
/// issued a 12-digit CMND, and people still write that number in the "old ID" box. A 12-digit
/// value is not checked against the province table because those cards predate it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OldIdNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OldIdNumberError {
    #[error("an old identity card number has 9 or 12 digits, this one has {0}")]
    WrongLength(usize),
    #[error("an old identity card number has only digits")]
    NotDigits,
}

impl OldIdNumber {
    /// Reads the number as typed; white space inside is ignored.
    pub fn parse(input: &str) -> Result<Self, OldIdNumberError> {
        let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(OldIdNumberError::NotDigits);
        }
        match digits.len() {
            9 | 12 => Ok(OldIdNumber(digits)),
            n => Err(OldIdNumberError::WrongLength(n)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for OldIdNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for OldIdNumber {
    type Err = OldIdNumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OldIdNumber::parse(s)
    }
}

impl TryFrom<String> for OldIdNumber {
    type Error = OldIdNumberError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        OldIdNumber::parse(&value)
    }
}

impl From<OldIdNumber> for String {
    fn from(value: OldIdNumber) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn nine_and_twelve_digits() {
        assert_eq!(
            OldIdNumber::parse("012345678").unwrap().as_str(),
            "012345678"
        );
        assert_eq!(
            OldIdNumber::parse("091 234 567").unwrap().as_str(),
            "091234567"
        );
        assert!(OldIdNumber::parse("019190001234").is_ok());
        assert_eq!(
            OldIdNumber::parse("12345678"),
            Err(OldIdNumberError::WrongLength(8))
        );
        assert_eq!(
            OldIdNumber::parse("1234567890"),
            Err(OldIdNumberError::WrongLength(10))
        );
        assert_eq!(
            OldIdNumber::parse("12345678x"),
            Err(OldIdNumberError::NotDigits)
        );
        assert!(serde_json::from_str::<OldIdNumber>("\"12\"").is_err());
    }

    proptest! {
        #[test]
        fn never_panics(input in any::<String>()) {
            let _ = OldIdNumber::parse(&input);
        }
    }
}
