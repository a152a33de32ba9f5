use thiserror::Error;

use crate::tables::beneficiary_groups::{self, BeneficiaryGroup, BenefitLevel};
use crate::tables::provinces::{self, Province};

/// A health insurance (BHYT) card code, in either form in circulation:
///
/// - legacy, 15 characters `XX Y ZZ NNNNNNNNNN`: beneficiary group, benefit level, province code,
///   social insurance number;
/// - since April 2021, the 10-digit social insurance number alone.
///
/// Parsing ignores white space and hyphens and reads letters in either case, so "dn 4 01
/// 0123456789" is the same code as "DN4010123456789".
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InsuranceCode {
    form: InsuranceCodeForm,
    /// Upper case, no separators.
    compact: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InsuranceCodeForm {
    Legacy {
        /// `None` for a group code the table does not know yet (groups are added by law): the
        /// card is still read, and `validate` warns.
        group: Option<&'static BeneficiaryGroup>,
        benefit_level: BenefitLevel,
    },
    SocialInsuranceNumber,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InsuranceCodeError {
    #[error("an insurance code has 15 characters (legacy) or 10 digits, this one has {0}")]
    WrongLength(usize),
    #[error("a beneficiary group is two letters, not {0:?}")]
    InvalidBeneficiaryGroup(String),
    #[error("the benefit level is a digit from 1 to 5, not {0:?}")]
    InvalidBenefitLevel(char),
    #[error("the province part of an insurance code is two digits from 01 to 99")]
    InvalidProvinceCode,
    #[error("the social insurance number is 10 digits")]
    SocialInsuranceNumberNotDigits,
}

impl InsuranceCode {
    pub fn parse(input: &str) -> Result<Self, InsuranceCodeError> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .flat_map(char::to_uppercase)
            .collect();
        let chars: Vec<char> = compact.chars().collect();
        match chars.len() {
            10 => {
                if !chars.iter().all(char::is_ascii_digit) {
                    return Err(InsuranceCodeError::SocialInsuranceNumberNotDigits);
                }
                Ok(InsuranceCode {
                    form: InsuranceCodeForm::SocialInsuranceNumber,
                    compact,
                })
            }
            15 => {
                let group_code: String = chars[..2].iter().collect();
                if !chars[..2].iter().all(char::is_ascii_uppercase) {
                    return Err(InsuranceCodeError::InvalidBeneficiaryGroup(group_code));
                }
                let group = beneficiary_groups::by_code(&group_code);
                let benefit_level = BenefitLevel::from_digit(chars[2])
                    .ok_or(InsuranceCodeError::InvalidBenefitLevel(chars[2]))?;
                let province = &chars[3..5];
                if !province.iter().all(char::is_ascii_digit) || province == ['0', '0'] {
                    return Err(InsuranceCodeError::InvalidProvinceCode);
                }
                if !chars[5..].iter().all(char::is_ascii_digit) {
                    return Err(InsuranceCodeError::SocialInsuranceNumberNotDigits);
                }
                Ok(InsuranceCode {
                    form: InsuranceCodeForm::Legacy {
                        group,
                        benefit_level,
                    },
                    compact,
                })
            }
            n => Err(InsuranceCodeError::WrongLength(n)),
        }
    }

    pub fn form(&self) -> InsuranceCodeForm {
        self.form
    }

    /// Upper case, no separators: "DN4010123456789" or "0123456789".
    pub fn as_str(&self) -> &str {
        &self.compact
    }

    /// The group of a legacy code, when the table knows it.
    pub fn beneficiary_group(&self) -> Option<&'static BeneficiaryGroup> {
        match self.form {
            InsuranceCodeForm::Legacy { group, .. } => group,
            InsuranceCodeForm::SocialInsuranceNumber => None,
        }
    }

    /// The two letters of a legacy code, known to the table or not.
    pub fn beneficiary_group_code(&self) -> Option<&str> {
        match self.form {
            InsuranceCodeForm::Legacy { .. } => Some(&self.compact[..2]),
            InsuranceCodeForm::SocialInsuranceNumber => None,
        }
    }

    pub fn benefit_level(&self) -> Option<BenefitLevel> {
        match self.form {
            InsuranceCodeForm::Legacy { benefit_level, .. } => Some(benefit_level),
            InsuranceCodeForm::SocialInsuranceNumber => None,
        }
    }

    /// Two-digit province code of a legacy code.
    pub fn province_code(&self) -> Option<&str> {
        match self.form {
            InsuranceCodeForm::Legacy { .. } => Some(&self.compact[3..5]),
            InsuranceCodeForm::SocialInsuranceNumber => None,
        }
    }

    /// The province of a legacy code, when the code is an administrative one (social insurance
    /// also uses codes of its own, e.g. for the armed forces, which have no province).
    pub fn province(&self) -> Option<&'static Province> {
        self.province_code().and_then(provinces::by_two_digit_code)
    }

    /// The 10-digit social insurance number, present in both forms.
    pub fn social_insurance_number(&self) -> &str {
        &self.compact[self.compact.len() - 10..]
    }

    /// Grouped the way the card prints it: "DN 4 01 0123456789".
    pub fn printed(&self) -> String {
        match self.form {
            InsuranceCodeForm::Legacy { .. } => format!(
                "{} {} {} {}",
                &self.compact[..2],
                &self.compact[2..3],
                &self.compact[3..5],
                &self.compact[5..]
            ),
            InsuranceCodeForm::SocialInsuranceNumber => self.compact.clone(),
        }
    }
}

impl std::fmt::Display for InsuranceCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.printed())
    }
}

impl std::str::FromStr for InsuranceCode {
    type Err = InsuranceCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        InsuranceCode::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn legacy_code_with_group_level_and_province() {
        let code = InsuranceCode::parse("DN4010123456789").unwrap();
        assert_eq!(code.beneficiary_group().map(|g| g.code), Some("DN"));
        assert_eq!(code.benefit_level(), Some(BenefitLevel::L4));
        assert_eq!(
            code.benefit_level().map(|l| l.info().coverage_percent),
            Some(80)
        );
        assert_eq!(code.province_code(), Some("01"));
        assert_eq!(code.province().map(|p| p.name_vi), Some("Hà Nội"));
        assert_eq!(code.social_insurance_number(), "0123456789");
        assert_eq!(code.printed(), "DN 4 01 0123456789");
    }

    #[test]
    fn spaced_lowercase_input_is_the_same_code() {
        let a = InsuranceCode::parse("te 1 19 1922334455").unwrap();
        let b = InsuranceCode::parse("TE11919-22334455").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "TE1191922334455");
        assert_eq!(
            a.beneficiary_group().map(|g| g.name_en),
            Some("Child under 6")
        );
        assert_eq!(a.province().map(|p| p.name_vi), Some("Thái Nguyên"));
    }

    #[test]
    fn ten_digit_form_since_2021() {
        let code = InsuranceCode::parse("19 2233 4455").unwrap();
        assert_eq!(code.form(), InsuranceCodeForm::SocialInsuranceNumber);
        assert_eq!(code.beneficiary_group(), None);
        assert_eq!(code.benefit_level(), None);
        assert_eq!(code.social_insurance_number(), "1922334455");
    }

    // Issue 12 changed this fact: an unknown group used to be refused (UnknownBeneficiaryGroup).
    #[test]
    fn an_unknown_group_is_read_and_kept() {
        let code = InsuranceCode::parse("ZZ4010123456789").unwrap();
        assert_eq!(code.beneficiary_group(), None);
        assert_eq!(code.beneficiary_group_code(), Some("ZZ"));
        assert_eq!(code.benefit_level(), Some(BenefitLevel::L4));
        assert_eq!(code.social_insurance_number(), "0123456789");
        assert_eq!(code.printed(), "ZZ 4 01 0123456789");
        assert_eq!(
            InsuranceCode::parse("1922334455")
                .unwrap()
                .beneficiary_group_code(),
            None
        );
    }

    #[test]
    fn refusals_are_typed() {
        use InsuranceCodeError::*;
        assert_eq!(
            InsuranceCode::parse("Z94010123456789"),
            Err(InvalidBeneficiaryGroup("Z9".into()))
        );
        assert_eq!(
            InsuranceCode::parse("DN6010123456789"),
            Err(InvalidBenefitLevel('6'))
        );
        assert_eq!(
            InsuranceCode::parse("DN4000123456789"),
            Err(InvalidProvinceCode)
        );
        assert_eq!(
            InsuranceCode::parse("DN40A0123456789"),
            Err(InvalidProvinceCode)
        );
        assert_eq!(
            InsuranceCode::parse("DN401012345678X"),
            Err(SocialInsuranceNumberNotDigits)
        );
        assert_eq!(
            InsuranceCode::parse("012345678A"),
            Err(SocialInsuranceNumberNotDigits)
        );
        assert_eq!(InsuranceCode::parse("DN401012345678"), Err(WrongLength(14)));
        assert_eq!(InsuranceCode::parse(""), Err(WrongLength(0)));
    }

    proptest! {
        #[test]
        fn never_panics(input in any::<String>()) {
            let _ = InsuranceCode::parse(&input);
        }

        #[test]
        fn any_group_level_province_number_parses(
            group in proptest::sample::select(beneficiary_groups::BENEFICIARY_GROUPS),
            level in 1u8..=5,
            province in 1u8..=99,
            number in "[0-9]{10}",
        ) {
            let raw = format!("{} {} {:02} {}", group.code.to_lowercase(), level, province, number);
            let code = InsuranceCode::parse(&raw).unwrap();
            prop_assert_eq!(code.beneficiary_group().map(|g| g.code), Some(group.code));
            prop_assert_eq!(code.benefit_level().map(|l| l.digit()), Some(level));
            prop_assert_eq!(code.social_insurance_number(), number.as_str());
            prop_assert_eq!(InsuranceCode::parse(&code.printed()), Ok(code.clone()));
        }
    }
}
