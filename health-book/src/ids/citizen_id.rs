use serde::{Deserialize, Serialize};
use thiserror::Error;
use time::Date;

use crate::model::Sex;
use crate::tables::provinces::{self, Province};

/// A 12-digit citizen identification number (CCCD): province code of birth registration (3 digits),
/// century/sex digit, 2-digit birth year, 6 random digits.
///
/// Any 12 digits can be held. The first three are a province code (Circular 07/2016/TT-BCA) for
/// a birth registered in Vietnam, but a country code for one registered abroad (Decree 137/2015
/// art. 13): an unknown prefix is a warning (`validate`), never a reason to refuse a person.
/// The same rules apply when a stored book is read back, so a book never holds a number the app
/// would refuse at the desk.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CitizenId(String);

#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum CitizenIdError {
    #[error("a citizen ID has 12 digits, this one has {0}")]
    WrongLength(usize),
    #[error("a citizen ID has only digits")]
    NotDigits,
}

/// Where the citizen ID and the profile disagree. A data-entry slip to point out, not a reason to
/// refuse the book: the card is the authority and the profile may be the wrong one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CitizenIdMismatch {
    BirthYear { id_says: i32, profile_says: i32 },
    Sex { id_says: Sex, profile_says: Sex },
}

impl CitizenId {
    /// Reads a citizen ID as typed or scanned: white space inside is ignored ("001 090 123456").
    pub fn parse(input: &str) -> Result<Self, CitizenIdError> {
        let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(CitizenIdError::NotDigits);
        }
        if digits.len() != 12 {
            return Err(CitizenIdError::WrongLength(digits.len()));
        }
        Ok(CitizenId(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The ID with all but the last 4 digits hidden, for lists on a screen others can see.
    pub fn masked(&self) -> String {
        format!("••••••••{}", &self.0[8..])
    }

    /// The ID in groups of three ("001 090 123 456"), easier to read aloud and to type at a
    /// desk whose scanner fails.
    pub fn grouped(&self) -> String {
        // Twelve ASCII digits, so every three-byte chunk is whole characters.
        let groups: Vec<&str> = (0..self.0.len())
            .step_by(3)
            .map(|start| &self.0[start..start + 3])
            .collect();
        groups.join(" ")
    }

    /// Three-digit province code of birth registration (a country code for a birth registered
    /// abroad).
    pub fn province_code(&self) -> &str {
        &self.0[..3]
    }

    /// The province of birth registration, as it was then (before the 2025 merger); `None` when
    /// the first three digits are not a province code (a birth registered abroad, or a code the
    /// table lacks).
    pub fn province(&self) -> Option<&'static Province> {
        provinces::by_code(self.province_code())
    }

    fn century_sex_digit(&self) -> u8 {
        self.0.as_bytes()[3] - b'0'
    }

    /// Sex encoded in the fourth digit: even for men, odd for women.
    pub fn sex(&self) -> Sex {
        if self.century_sex_digit().is_multiple_of(2) {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// Birth year: the century from the fourth digit (0/1 = 1900s, 2/3 = 2000s, ... 8/9 = 2300s)
    /// plus the fifth and sixth digits.
    pub fn birth_year(&self) -> i32 {
        let century = 1900 + i32::from(self.century_sex_digit() / 2) * 100;
        let bytes = self.0.as_bytes();
        century + i32::from(bytes[4] - b'0') * 10 + i32::from(bytes[5] - b'0')
    }

    /// Compares the birth year and sex encoded in the ID with the profile's.
    pub fn check_agreement(&self, date_of_birth: Date, sex: Sex) -> Vec<CitizenIdMismatch> {
        let mut mismatches = Vec::new();
        if self.birth_year() != date_of_birth.year() {
            mismatches.push(CitizenIdMismatch::BirthYear {
                id_says: self.birth_year(),
                profile_says: date_of_birth.year(),
            });
        }
        if self.sex() != sex {
            mismatches.push(CitizenIdMismatch::Sex {
                id_says: self.sex(),
                profile_says: sex,
            });
        }
        mismatches
    }
}

impl std::fmt::Display for CitizenId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for CitizenId {
    type Err = CitizenIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CitizenId::parse(s)
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn reads_the_parts_of_a_hanoi_man_born_1990() {
        let id = CitizenId::parse("001090123456").unwrap();
        assert_eq!(id.province_code(), "001");
        assert_eq!(id.province().map(|p| p.name_vi), Some("Hà Nội"));
        assert_eq!(id.sex(), Sex::Male);
        assert_eq!(id.birth_year(), 1990);
        assert_eq!(id.masked(), "••••••••3456");
        assert_eq!(id.grouped(), "001 090 123 456");
    }

    #[test]
    fn grouped_reads_back_as_the_same_id() {
        let id = CitizenId::parse("840190001234").unwrap();
        assert_eq!(id.grouped(), "840 190 001 234");
        // What a person copies from the screen is accepted as typed.
        assert_eq!(CitizenId::parse(&id.grouped()), Ok(id));
    }

    #[test]
    fn century_and_sex_digit() {
        let cases = [
            ("019185000001", Sex::Female, 1985),
            ("019205000001", Sex::Male, 2005),
            ("019312000001", Sex::Female, 2012),
            ("019400000001", Sex::Male, 2100),
            ("019701000001", Sex::Female, 2201),
            ("019899000001", Sex::Male, 2399),
        ];
        for (raw, sex, year) in cases {
            let id = CitizenId::parse(raw).unwrap();
            assert_eq!((id.sex(), id.birth_year()), (sex, year), "{raw}");
        }
    }

    #[test]
    fn accepts_spaced_input_and_refuses_bad_shapes() {
        assert_eq!(
            CitizenId::parse(" 019 190 001234 ").unwrap().as_str(),
            "019190001234"
        );
        assert_eq!(
            CitizenId::parse("01919000123"),
            Err(CitizenIdError::WrongLength(11))
        );
        assert_eq!(
            CitizenId::parse("0191900012345"),
            Err(CitizenIdError::WrongLength(13))
        );
        assert_eq!(
            CitizenId::parse("01919000123a"),
            Err(CitizenIdError::NotDigits)
        );
        assert_eq!(
            CitizenId::parse("０１９１９０００１２３４"),
            Err(CitizenIdError::NotDigits)
        );
        assert_eq!(CitizenId::parse(""), Err(CitizenIdError::WrongLength(0)));
    }

    // Issue 12 changed this fact: an unknown prefix used to be refused (UnknownProvince).
    #[test]
    fn an_unknown_prefix_is_held_without_a_province() {
        for raw in ["003190001234", "097190001234", "840190001234"] {
            let id = CitizenId::parse(raw).unwrap();
            assert_eq!(id.province(), None, "{raw}");
            assert_eq!(id.province_code(), &raw[..3]);
            assert_eq!(id.birth_year(), 1990);
        }
    }

    #[test]
    fn agreement_with_profile() {
        let id = CitizenId::parse("019185000001").unwrap();
        assert!(id
            .check_agreement(date!(1985 - 06 - 01), Sex::Female)
            .is_empty());
        assert_eq!(
            id.check_agreement(date!(1958 - 06 - 01), Sex::Male),
            vec![
                CitizenIdMismatch::BirthYear {
                    id_says: 1985,
                    profile_says: 1958
                },
                CitizenIdMismatch::Sex {
                    id_says: Sex::Female,
                    profile_says: Sex::Male
                },
            ]
        );
        // Same two year digits, wrong century: a man born 2085 would have digit 2.
        let id = CitizenId::parse("019085000001").unwrap();
        assert_eq!(
            id.check_agreement(date!(2085 - 01 - 01), Sex::Male).len(),
            1
        );
    }

    #[test]
    fn serde_refuses_a_bad_stored_id() {
        let ok: CitizenId = serde_json::from_str("\"019190001234\"").unwrap();
        assert_eq!(serde_json::to_string(&ok).unwrap(), "\"019190001234\"");
        // Issue 12: "000190001234" (unknown prefix) is now held; a wrong shape still is not.
        assert!(serde_json::from_str::<CitizenId>("\"000190001234\"").is_ok());
        assert!(serde_json::from_str::<CitizenId>("\"01919000123\"").is_err());
    }

    proptest! {
        #[test]
        fn never_panics(input in any::<String>()) {
            let _ = CitizenId::parse(&input);
        }

        #[test]
        fn any_known_province_and_digits_parse(
            province in proptest::sample::select(provinces::PROVINCES),
            rest in "[0-9]{9}",
        ) {
            let raw = format!("{}{}", province.code, rest);
            let id = CitizenId::parse(&raw).unwrap();
            prop_assert_eq!(id.as_str(), raw.as_str());
            prop_assert!((1900..2400).contains(&id.birth_year()));
        }
    }
}
