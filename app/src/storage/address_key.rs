//! Where a book's [`AddressKey`] is kept: in clear on its stored header envelope (field `k`),
//! beside the body, the way its save time is (`s`).
//!
//! In clear because a save must keep the key the book already has, and inside a write
//! transaction nothing can be decrypted (nothing but IndexedDB may be awaited there): the save
//! reads the stored envelope's `k` in the same transaction that replaces it. The key is random
//! and says nothing about the person, so it needs no sealing; moving it to another header can
//! only make an address open another book of the same device, which the device then shows in
//! full, whose book it is in the banner included.

use health_book::ids::ADDRESS_KEY_BYTES;
use health_book::AddressKey;
use wasm_bindgen::JsValue;

use super::error::StorageError;
use crate::browser::crypto::WebCrypto;

const FIELD_ADDRESS_KEY: &str = "k";

/// A new random key for a book stored for the first time on this device.
pub(crate) fn fresh_address_key() -> Result<AddressKey, StorageError> {
    let bytes = WebCrypto::detect()
        .and_then(|crypto| crypto.random_bytes(ADDRESS_KEY_BYTES))
        .map_err(|e| StorageError::Crypto {
            detail: e.to_string(),
        })?;
    let bytes: [u8; ADDRESS_KEY_BYTES] = bytes.try_into().map_err(|_| StorageError::Crypto {
        detail: "the random generator gave a short answer".into(),
    })?;
    Ok(AddressKey::from_random(bytes))
}

/// Marks a header envelope with its book's key. Synchronous, so it can run inside a
/// transaction (a save, the schema upgrade).
pub(crate) fn stamp_address_key(header: &JsValue, key: &AddressKey) -> Result<(), JsValue> {
    js_sys::Reflect::set(
        header,
        &JsValue::from_str(FIELD_ADDRESS_KEY),
        &JsValue::from_str(key.as_str()),
    )
    .map(|_| ())
}

/// The key a stored header envelope carries; `None` for a damaged or foreign value.
pub(crate) fn stored_address_key(header: &JsValue) -> Option<AddressKey> {
    if !header.is_object() {
        return None;
    }
    js_sys::Reflect::get(header, &JsValue::from_str(FIELD_ADDRESS_KEY))
        .ok()?
        .as_string()
        .and_then(|text| AddressKey::parse(&text).ok())
}
