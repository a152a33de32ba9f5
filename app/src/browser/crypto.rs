//! WebCrypto (SubtleCrypto): the only cryptography the app does, for encryption at rest.
//!
//! - A secret (passphrase or PIN) becomes a key-wrapping key with PBKDF2-HMAC-SHA256 over a
//!   random salt (600,000 rounds, see `health_book::device::slots`); it is AES-KW, never
//!   extractable.
//! - The device data key is AES-GCM-256. It is generated extractable only so it can be wrapped
//!   into key slots; every copy unwrapped for use is non-extractable, and an extractable copy is
//!   made only for one slot change (adding a staff member, changing a passphrase) and dropped.
//! - Book keys (AES-GCM-256) and the index key (HMAC-SHA256) are wrapped by the data key with
//!   AES-GCM and unwrapped non-extractable.
//! - [`seal`] is AES-GCM with a fresh random 96-bit nonce per call and the caller's additional
//!   authenticated data; its output is nonce ‖ ciphertext ‖ tag.
//!
//! Feature detection: [`WebCrypto::detect`] fails with [`CryptoError::Unsupported`] where
//! `crypto.subtle` is missing (an insecure context, a very old browser): there is no fallback
//! to weaker or homemade cryptography. Every call is asynchronous: never call one while an
//! IndexedDB transaction is open (it would commit by itself).

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use thiserror::Error;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::CryptoKey;

/// Bytes of an AES-GCM nonce.
pub const NONCE_BYTES: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CryptoError {
    /// No `crypto.subtle`: the page is not a secure context or the browser is too old.
    #[error("this browser offers no WebCrypto here (secure context needed)")]
    Unsupported,
    /// Authentication failed: a wrong secret (a key that does not unwrap) or changed bytes (a
    /// ciphertext whose tag does not verify). WebCrypto cannot tell the two apart.
    #[error("the data does not authenticate under this key")]
    NotAuthentic,
    /// Sealed bytes too short to hold a nonce and a tag.
    #[error("sealed data is truncated")]
    Truncated,
    /// Anything else, with the browser's own words for the logs.
    #[error("WebCrypto failed: {name}: {message}")]
    Failed { name: String, message: String },
}

impl CryptoError {
    fn from_js(value: &JsValue) -> CryptoError {
        let (name, message) = match value.dyn_ref::<web_sys::DomException>() {
            Some(e) => (e.name(), e.message()),
            None => match value.dyn_ref::<js_sys::Error>() {
                Some(e) => (String::from(e.name()), String::from(e.message())),
                None => ("Error".to_owned(), format!("{value:?}")),
            },
        };
        // OperationError is what AES-GCM and AES-KW raise when the tag or the integrity check
        // fails.
        if name == "OperationError" {
            CryptoError::NotAuthentic
        } else {
            CryptoError::Failed { name, message }
        }
    }
}

/// What a key is for, as WebCrypto names the usages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyUse {
    /// AES-KW key derived from a secret: wraps and unwraps the data key.
    SlotWrapping,
    /// The device data key: wraps the book and index keys, encrypts device-wide settings.
    Data,
    /// A book key: encrypts that book's header, records and settings.
    Book,
    /// The HMAC key that turns IDs into storage keys.
    Index,
}

impl KeyUse {
    fn usages(self) -> JsValue {
        let names: &[&str] = match self {
            KeyUse::SlotWrapping => &["wrapKey", "unwrapKey"],
            KeyUse::Data => &["encrypt", "decrypt", "wrapKey", "unwrapKey"],
            KeyUse::Book => &["encrypt", "decrypt"],
            KeyUse::Index => &["sign"],
        };
        names
            .iter()
            .map(|n| JsValue::from_str(n))
            .collect::<Array>()
            .into()
    }

    fn algorithm(self) -> Result<Object, CryptoError> {
        match self {
            KeyUse::SlotWrapping => object(&[("name", "AES-KW".into()), ("length", 256.into())]),
            KeyUse::Data | KeyUse::Book => {
                object(&[("name", "AES-GCM".into()), ("length", 256.into())])
            }
            KeyUse::Index => object(&[
                ("name", "HMAC".into()),
                ("hash", "SHA-256".into()),
                ("length", 256.into()),
            ]),
        }
    }
}

fn object(fields: &[(&str, JsValue)]) -> Result<Object, CryptoError> {
    let object = Object::new();
    for (name, value) in fields {
        Reflect::set(&object, &JsValue::from_str(name), value)
            .map_err(|e| CryptoError::from_js(&e))?;
    }
    Ok(object)
}

fn gcm(nonce: &[u8], aad: &[u8]) -> Result<Object, CryptoError> {
    object(&[
        ("name", "AES-GCM".into()),
        ("iv", Uint8Array::from(nonce).into()),
        ("additionalData", Uint8Array::from(aad).into()),
    ])
}

/// `crypto` and `crypto.subtle` of the window or worker, found once per use.
#[derive(Clone)]
pub struct WebCrypto {
    crypto: web_sys::Crypto,
    subtle: web_sys::SubtleCrypto,
}

impl WebCrypto {
    pub fn detect() -> Result<WebCrypto, CryptoError> {
        let global = js_sys::global();
        let crypto = Reflect::get(&global, &JsValue::from_str("crypto"))
            .ok()
            .filter(|c| c.is_object())
            .ok_or(CryptoError::Unsupported)?;
        // `crypto.subtle` is undefined outside secure contexts.
        let subtle = Reflect::get(&crypto, &JsValue::from_str("subtle"))
            .ok()
            .filter(|s| s.is_object())
            .ok_or(CryptoError::Unsupported)?;
        Ok(WebCrypto {
            crypto: crypto.unchecked_into(),
            subtle: subtle.unchecked_into(),
        })
    }

    /// Cryptographically random bytes (salts, nonces).
    pub fn random_bytes(&self, len: usize) -> Result<Vec<u8>, CryptoError> {
        let mut bytes = vec![0u8; len];
        self.crypto
            .get_random_values_with_u8_array(&mut bytes)
            .map_err(|e| CryptoError::from_js(&e))?;
        Ok(bytes)
    }

    /// The key-wrapping key of a slot: PBKDF2-HMAC-SHA256(secret, salt, iterations) as AES-KW.
    pub async fn derive_slot_key(
        &self,
        secret: &str,
        salt: &[u8],
        iterations: u32,
    ) -> Result<CryptoKey, CryptoError> {
        let raw = Uint8Array::from(secret.as_bytes());
        let base = key(self.subtle.import_key_with_str(
            "raw",
            &raw,
            "PBKDF2",
            false,
            &Array::of1(&"deriveKey".into()).into(),
        ))
        .await?;
        let params = object(&[
            ("name", "PBKDF2".into()),
            ("hash", "SHA-256".into()),
            ("salt", Uint8Array::from(salt).into()),
            ("iterations", iterations.into()),
        ])?;
        key(self.subtle.derive_key_with_object_and_object(
            &params,
            &base,
            &KeyUse::SlotWrapping.algorithm()?,
            false,
            &KeyUse::SlotWrapping.usages(),
        ))
        .await
    }

    /// A new random key. Extractable only so it can be wrapped: use it for that, then work with
    /// a non-extractable unwrapped copy.
    pub async fn generate(&self, kind: KeyUse) -> Result<CryptoKey, CryptoError> {
        key(self
            .subtle
            .generate_key_with_object(&kind.algorithm()?, true, &kind.usages()))
        .await
    }

    /// Wraps the data key under a slot key (AES-KW, raw format).
    pub async fn wrap_data_key(
        &self,
        data_key: &CryptoKey,
        slot_key: &CryptoKey,
    ) -> Result<Vec<u8>, CryptoError> {
        let kw = object(&[("name", "AES-KW".into())])?;
        bytes(
            self.subtle
                .wrap_key_with_object("raw", data_key, slot_key, &kw),
        )
        .await
    }

    /// Opens a slot: the data key, or [`CryptoError::NotAuthentic`] for a wrong secret.
    /// `extractable` only for a slot change that must wrap the key again.
    pub async fn unwrap_data_key(
        &self,
        wrapped: &[u8],
        slot_key: &CryptoKey,
        extractable: bool,
    ) -> Result<CryptoKey, CryptoError> {
        let kw = object(&[("name", "AES-KW".into())])?;
        key(self.subtle.unwrap_key_with_u8_array_and_object_and_object(
            "raw",
            wrapped,
            slot_key,
            &kw,
            &KeyUse::Data.algorithm()?,
            extractable,
            &KeyUse::Data.usages(),
        ))
        .await
    }

    /// Wraps a book or index key under the data key (AES-GCM; `aad` names what it belongs to).
    pub async fn wrap_key(
        &self,
        inner: &CryptoKey,
        data_key: &CryptoKey,
        aad: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        let nonce = self.random_bytes(NONCE_BYTES)?;
        let body =
            bytes(
                self.subtle
                    .wrap_key_with_object("raw", inner, data_key, &gcm(&nonce, aad)?),
            )
            .await?;
        Ok([nonce, body].concat())
    }

    /// Unwraps a key made by [`wrap_key`](Self::wrap_key), non-extractable.
    pub async fn unwrap_key(
        &self,
        wrapped: &[u8],
        data_key: &CryptoKey,
        aad: &[u8],
        kind: KeyUse,
    ) -> Result<CryptoKey, CryptoError> {
        let (nonce, body) = split_nonce(wrapped)?;
        key(self.subtle.unwrap_key_with_u8_array_and_object_and_object(
            "raw",
            body,
            data_key,
            &gcm(nonce, aad)?,
            &kind.algorithm()?,
            false,
            &kind.usages(),
        ))
        .await
    }

    /// AES-GCM encryption with a fresh random nonce: nonce ‖ ciphertext ‖ tag.
    pub async fn seal(
        &self,
        key: &CryptoKey,
        plaintext: &[u8],
        aad: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        let mut sealed = self.seal_all(&[(key, plaintext, aad)]).await;
        sealed.pop().unwrap_or(Err(CryptoError::Truncated))
    }

    /// Seals many values (key, plaintext, aad) in one batch, in order (see
    /// [`open_all`](Self::open_all)); each gets its own random nonce.
    pub async fn seal_all(
        &self,
        items: &[(&CryptoKey, &[u8], &[u8])],
    ) -> Vec<Result<Vec<u8>, CryptoError>> {
        // Each item's nonce, by position (`None` when none could be drawn).
        let mut nonces: Vec<Option<Vec<u8>>> = Vec::with_capacity(items.len());
        let started = items
            .iter()
            .map(|(key, plaintext, aad)| {
                let nonce = self.random_bytes(NONCE_BYTES);
                nonces.push(nonce.as_ref().ok().cloned());
                self.subtle
                    .encrypt_with_object_and_u8_array(&gcm(&nonce?, aad)?, key, plaintext)
                    .map_err(|e| CryptoError::from_js(&e))
            })
            .collect();
        settle_all(started)
            .await
            .into_iter()
            .zip(nonces)
            .map(|(body, nonce)| Ok([nonce.ok_or(CryptoError::Truncated)?, body?].concat()))
            .collect()
    }

    /// Opens what [`seal`](Self::seal) made, with the same `aad`; changed bytes, another key or
    /// another identity give [`CryptoError::NotAuthentic`].
    pub async fn open(
        &self,
        key: &CryptoKey,
        sealed: &[u8],
        aad: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        let mut opened = self.open_all(&[(key, sealed, aad)]).await;
        opened.pop().unwrap_or(Err(CryptoError::Truncated))
    }

    /// Opens many sealed values (key, sealed bytes, aad), in order. Every decryption is started
    /// before the first is awaited, so the browser runs them side by side instead of one
    /// promise round trip after another (a book of hundreds of records opens in one batch).
    pub async fn open_all(
        &self,
        items: &[(&CryptoKey, &[u8], &[u8])],
    ) -> Vec<Result<Vec<u8>, CryptoError>> {
        let started = items
            .iter()
            .map(|(key, sealed, aad)| {
                let (nonce, body) = split_nonce(sealed)?;
                self.subtle
                    .decrypt_with_object_and_u8_array(&gcm(nonce, aad)?, key, body)
                    .map_err(|e| CryptoError::from_js(&e))
            })
            .collect();
        settle_all(started).await
    }

    /// An HMAC-SHA256 key from raw bytes, non-extractable (the audit log's chain key, kept as
    /// a setting: sealed by the data key once a secret is set).
    pub async fn import_mac_key(&self, raw: &[u8]) -> Result<CryptoKey, CryptoError> {
        key(self.subtle.import_key_with_object(
            "raw",
            &Uint8Array::from(raw),
            &KeyUse::Index.algorithm()?,
            false,
            &KeyUse::Index.usages(),
        ))
        .await
    }

    /// HMAC-SHA256 of `data` under the index key.
    pub async fn mac(&self, key: &CryptoKey, data: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let mut macs = self.mac_all(key, &[data]).await;
        macs.pop().unwrap_or(Err(CryptoError::Truncated))
    }

    /// HMAC-SHA256 of many inputs under one key, in one batch, in order.
    pub async fn mac_all(
        &self,
        key: &CryptoKey,
        items: &[&[u8]],
    ) -> Vec<Result<Vec<u8>, CryptoError>> {
        let started = items
            .iter()
            .map(|data| {
                self.subtle
                    .sign_with_str_and_u8_array("HMAC", key, data)
                    .map_err(|e| CryptoError::from_js(&e))
            })
            .collect();
        settle_all(started).await
    }
}

/// Awaits operations that were all started already, in order, as one `Promise.allSettled`: a
/// book of hundreds of records is one wait for the page, not hundreds of promise round trips.
async fn settle_all(
    started: Vec<Result<Promise, CryptoError>>,
) -> Vec<Result<Vec<u8>, CryptoError>> {
    let pending = Array::new();
    for promise in started.iter().flatten() {
        pending.push(promise);
    }
    let settled = match JsFuture::from(Promise::all_settled(&pending)).await {
        Ok(settled) => Array::from(&settled),
        // allSettled itself never rejects; if it did, every item failed alike.
        Err(e) => {
            let error = CryptoError::from_js(&e);
            return started.iter().map(|_| Err(error.clone())).collect();
        }
    };
    let mut outcomes = settled.iter();
    started
        .into_iter()
        .map(|promise| {
            promise.as_ref().map_err(Clone::clone)?;
            let outcome = outcomes.next().ok_or(CryptoError::Truncated)?;
            let field = |name: &str| Reflect::get(&outcome, &name.into()).unwrap_or_default();
            if field("status").as_string().as_deref() == Some("fulfilled") {
                Ok(Uint8Array::new(&field("value")).to_vec())
            } else {
                Err(CryptoError::from_js(&field("reason")))
            }
        })
        .collect()
}

fn split_nonce(sealed: &[u8]) -> Result<(&[u8], &[u8]), CryptoError> {
    // A nonce and at least the 16-byte tag.
    if sealed.len() < NONCE_BYTES + 16 {
        return Err(CryptoError::Truncated);
    }
    Ok(sealed.split_at(NONCE_BYTES))
}

async fn settle(promise: Result<Promise, JsValue>) -> Result<JsValue, CryptoError> {
    let promise = promise.map_err(|e| CryptoError::from_js(&e))?;
    JsFuture::from(promise)
        .await
        .map_err(|e| CryptoError::from_js(&e))
}

async fn key(promise: Result<Promise, JsValue>) -> Result<CryptoKey, CryptoError> {
    settle(promise)
        .await?
        .dyn_into::<CryptoKey>()
        .map_err(|v| CryptoError::Failed {
            name: "TypeError".into(),
            message: format!("not a CryptoKey: {v:?}"),
        })
}

async fn bytes(promise: Result<Promise, JsValue>) -> Result<Vec<u8>, CryptoError> {
    let buffer = settle(promise).await?;
    Ok(Uint8Array::new(&buffer).to_vec())
}
