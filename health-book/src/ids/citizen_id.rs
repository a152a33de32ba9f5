use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A 12-digit citizen identification number (CCCD): province code of birth registration (3 digits),
/// century/sex digit, 2-digit birth year, 6 random digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CitizenId(String);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CitizenIdError {
    #[error("a citizen ID has 12 digits, this one has {0}")]
    WrongLength(usize),
    #[error("a citizen ID has only digits")]
    NotDigits,
}

impl CitizenId {
    pub fn parse(input: &str) -> Result<Self, CitizenIdError> {
        let trimmed: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if !trimmed.chars().all(|c| c.is_ascii_digit()) {
            return Err(CitizenIdError::NotDigits);
        }
        if trimmed.len() != 12 {
            return Err(CitizenIdError::WrongLength(trimmed.len()));
        }
        Ok(CitizenId(trimmed))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The ID with all but the last 4 digits hidden, for lists on a screen others can see.
    pub fn masked(&self) -> String {
        format!("••••••••{}", &self.0[8..])
    }
}

impl std::fmt::Display for CitizenId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CitizenId {
    type Error = CitizenIdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        CitizenId::parse(&value)
    }
}

impl From<CitizenId> for String {
    fn from(value: CitizenId) -> Self {
        value.0
    }
}

/// The 9-digit identity card number (CMND) that preceded the CCCD.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OldIdNumber(pub String);
