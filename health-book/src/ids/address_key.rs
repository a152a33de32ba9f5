use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The name a book goes by in the app's addresses (`/books/<key>`) on this device: random, made
/// when the device first stores the book and kept with it for as long as it is stored.
///
/// Why not the citizen ID: an address sits in the browser's history, and on a shared tablet
/// anyone can read that history. This key says nothing about the person; it means something only
/// to the device that made it, which is all a deep link, Back or a reload needs. A book stored
/// again after removal gets a new key, so an old address then finds nothing.
///
/// 80 random bits, written as 16 characters of lowercase RFC 4648 base32 (`a-z`, `2-7`): short
/// enough for an address, far more than a device's books could ever collide on, and never the
/// shape of a citizen ID (12 digits), an old ID (9 digits) or a route's own word (`import`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AddressKey(String);

/// How many random bytes make a key.
pub const ADDRESS_KEY_BYTES: usize = 10;
const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
const LENGTH: usize = ADDRESS_KEY_BYTES * 8 / 5;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AddressKeyError {
    #[error("a book's address key has {LENGTH} characters, this one has {0}")]
    WrongLength(usize),
    #[error("a book's address key is written with a-z and 2-7 only")]
    NotBase32,
}

impl AddressKey {
    /// The key written from random bytes (the shell draws them from the browser's
    /// cryptographic generator; the core has no source of randomness).
    pub fn from_random(bytes: [u8; ADDRESS_KEY_BYTES]) -> AddressKey {
        let mut text = String::with_capacity(LENGTH);
        // Five bits at a time, most significant first: 80 bits are exactly 16 characters.
        let mut buffer = 0u32;
        let mut bits = 0u32;
        for byte in bytes {
            buffer = (buffer << 8) | u32::from(byte);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                text.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
            }
        }
        AddressKey(text)
    }

    /// Reads a key from an address segment or from storage. Upper case is not accepted: an
    /// address the app wrote is always lower case, so anything else was not written by it.
    pub fn parse(input: &str) -> Result<AddressKey, AddressKeyError> {
        let count = input.chars().count();
        if count != LENGTH {
            return Err(AddressKeyError::WrongLength(count));
        }
        if !input.bytes().all(|b| ALPHABET.contains(&b)) {
            return Err(AddressKeyError::NotBase32);
        }
        Ok(AddressKey(input.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for AddressKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for AddressKey {
    type Error = AddressKeyError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        AddressKey::parse(&value)
    }
}

impl From<AddressKey> for String {
    fn from(key: AddressKey) -> String {
        key.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{CitizenId, OldIdNumber};
    use proptest::prelude::*;

    #[test]
    fn random_bytes_are_written_as_rfc_4648_base32() {
        // RFC 4648 section 10: BASE32("fooba") = "MZXW6YTB", here twice and in lower case.
        let key = AddressKey::from_random(*b"foobafooba");
        assert_eq!(key.as_str(), "mzxw6ytbmzxw6ytb");
        assert_eq!(
            AddressKey::from_random([0; 10]).as_str(),
            "aaaaaaaaaaaaaaaa"
        );
        assert_eq!(
            AddressKey::from_random([0xff; 10]).as_str(),
            "7777777777777777"
        );
    }

    #[test]
    fn only_what_the_app_writes_is_read() {
        assert_eq!(
            AddressKey::parse("mzxw6ytb"),
            Err(AddressKeyError::WrongLength(8))
        );
        assert_eq!(
            AddressKey::parse("MZXW6YTBMZXW6YTB"),
            Err(AddressKeyError::NotBase32)
        );
        assert_eq!(
            AddressKey::parse("mzxw6ytbmzxw6yt1"),
            Err(AddressKeyError::NotBase32)
        );
        assert_eq!(
            AddressKey::parse("import"),
            Err(AddressKeyError::WrongLength(6))
        );
        // Multi-byte characters are counted as characters, never sliced.
        assert!(AddressKey::parse("mzxw6ytbmzxw6ytđ").is_err());
    }

    proptest! {
        #[test]
        fn every_key_reads_back_and_is_never_an_identity_number(bytes in any::<[u8; 10]>()) {
            let key = AddressKey::from_random(bytes);
            prop_assert_eq!(AddressKey::parse(key.as_str()), Ok(key.clone()));
            prop_assert!(CitizenId::parse(key.as_str()).is_err());
            prop_assert!(OldIdNumber::parse(key.as_str()).is_err());
            let json = serde_json::to_string(&key).expect("a key serializes");
            prop_assert_eq!(serde_json::from_str::<AddressKey>(&json).ok(), Some(key));
        }

        #[test]
        fn different_bytes_give_different_keys(a in any::<[u8; 10]>(), b in any::<[u8; 10]>()) {
            prop_assume!(a != b);
            prop_assert_ne!(AddressKey::from_random(a), AddressKey::from_random(b));
        }
    }
}
