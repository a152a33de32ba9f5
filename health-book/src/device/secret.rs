//! What a secret must be before the device accepts it.

use serde::{Deserialize, Serialize};

/// The fewest characters of a passphrase (staff, or a personal passphrase).
pub const MIN_PASSPHRASE_CHARS: usize = 8;
/// The fewest digits of a personal PIN.
pub const MIN_PIN_DIGITS: usize = 6;

/// What kind of secret a key slot holds; Settings warns that a PIN alone is weaker against
/// someone who copies the device's storage (a million guesses are quickly tried offline).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretKind {
    Pin,
    Passphrase,
}

/// Why a secret was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SecretProblem {
    #[error("a passphrase needs at least {min} characters")]
    PassphraseTooShort { min: usize },
    #[error("a PIN needs at least {min} digits")]
    PinTooShort { min: usize },
    #[error("the two entries differ")]
    ConfirmationDiffers,
}

fn meaningful_chars(secret: &str) -> usize {
    // Spaces around a passphrase are easy to type by accident and hard to see: they do not count.
    secret.trim().chars().count()
}

/// A staff member's passphrase: at least 8 characters.
pub fn check_staff_passphrase(secret: &str) -> Result<(), SecretProblem> {
    if meaningful_chars(secret) < MIN_PASSPHRASE_CHARS {
        return Err(SecretProblem::PassphraseTooShort {
            min: MIN_PASSPHRASE_CHARS,
        });
    }
    Ok(())
}

/// A personal secret: all digits makes it a PIN (at least 6), anything else a passphrase (at
/// least 8 characters).
pub fn check_personal_secret(secret: &str) -> Result<SecretKind, SecretProblem> {
    let trimmed = secret.trim();
    if !trimmed.is_empty() && trimmed.chars().all(|c| c.is_ascii_digit()) {
        if trimmed.len() < MIN_PIN_DIGITS {
            return Err(SecretProblem::PinTooShort {
                min: MIN_PIN_DIGITS,
            });
        }
        return Ok(SecretKind::Pin);
    }
    check_staff_passphrase(secret).map(|()| SecretKind::Passphrase)
}

/// A new secret typed twice must match.
pub fn check_confirmation(secret: &str, again: &str) -> Result<(), SecretProblem> {
    if secret == again {
        Ok(())
    } else {
        Err(SecretProblem::ConfirmationDiffers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_passphrases_need_eight_characters_not_counting_outer_spaces() {
        assert!(check_staff_passphrase("bảy chữ").is_err());
        assert_eq!(
            check_staff_passphrase("  1234567  "),
            Err(SecretProblem::PassphraseTooShort { min: 8 })
        );
        // Characters, not bytes: Vietnamese letters are several bytes each.
        assert_eq!(check_staff_passphrase("trạm y tế"), Ok(()));
    }

    #[test]
    fn personal_secret_is_a_pin_of_six_digits_or_a_passphrase() {
        assert_eq!(check_personal_secret("123456"), Ok(SecretKind::Pin));
        assert_eq!(
            check_personal_secret("12345"),
            Err(SecretProblem::PinTooShort { min: 6 })
        );
        assert_eq!(
            check_personal_secret("mẹ và bé"),
            Ok(SecretKind::Passphrase)
        );
        assert_eq!(
            check_personal_secret("abc12"),
            Err(SecretProblem::PassphraseTooShort { min: 8 })
        );
        assert!(check_personal_secret("").is_err());
    }

    #[test]
    fn confirmation_must_match() {
        assert_eq!(check_confirmation("a", "a"), Ok(()));
        assert_eq!(
            check_confirmation("a", "b"),
            Err(SecretProblem::ConfirmationDiffers)
        );
    }
}
