//! Which key slot a typed secret opens, and the staff names sealed in the slots.
//!
//! The unlock screen names no one: the secret alone says who it is. The metadata's
//! [`derivations`](VaultMeta::derivations) say what to derive (the device salt once for every
//! newer slot, then each older slot's own salt); each derived key is tried against its slots'
//! wrapped data keys, and AES-KW's integrity check fails at once for the wrong one. Staff
//! display names are AES-GCM under the data key, bound to their slot, so only an unlocked
//! device can list the staff. Every call here is WebCrypto: none runs inside a transaction.

use health_book::device::{KdfParams, SlotId, StaffMember, StaffName, VaultMeta};
use web_sys::CryptoKey;

use crate::browser::crypto::{CryptoError, WebCrypto};

/// A slot a secret opened: its data key, and the key-wrapping key that opened it (to unwrap
/// it again extractable, for a slot change).
pub(super) struct OpenedSlot {
    pub id: SlotId,
    pub data: CryptoKey,
    pub wrapping: CryptoKey,
}

/// What trying a secret found.
pub(super) struct SlotSearch {
    pub opened: Option<OpenedSlot>,
    /// The key the device salt derives from the secret, when it was derived (a new or moved
    /// slot is wrapped with it, saving a second 600,000-round derivation).
    pub device_key: Option<CryptoKey>,
}

/// Tries `secret` against the slots `accept` allows, in the metadata's order, stopping at the
/// first that opens. `extractable` only for a slot change that must wrap the data key again.
pub(super) async fn find_slot(
    crypto: &WebCrypto,
    meta: &VaultMeta,
    secret: &str,
    extractable: bool,
    accept: impl Fn(SlotId) -> bool,
) -> Result<SlotSearch, CryptoError> {
    let mut device_key = None;
    for derivation in meta.derivations() {
        let slots: Vec<SlotId> = derivation
            .slots
            .iter()
            .copied()
            .filter(|id| accept(*id))
            .collect();
        if slots.is_empty() {
            continue;
        }
        let wrapping = derive(crypto, derivation.kdf, secret).await?;
        if Some(derivation.kdf) == meta.kdf.as_ref() {
            device_key = Some(wrapping.clone());
        }
        for id in slots {
            let Some(slot) = meta.slot(id) else { continue };
            match crypto
                .unwrap_data_key(&slot.wrapped_data_key, &wrapping, extractable)
                .await
            {
                Ok(data) => {
                    return Ok(SlotSearch {
                        opened: Some(OpenedSlot { id, data, wrapping }),
                        device_key,
                    })
                }
                // Not this slot's secret: the next one.
                Err(CryptoError::NotAuthentic) => {}
                Err(other) => return Err(other),
            }
        }
    }
    Ok(SlotSearch {
        opened: None,
        device_key,
    })
}

/// The slots besides `opened` that `secret` opens too, among those with their own salt: a
/// version before the device salt let staff members share a passphrase (every newer slot's
/// passphrase is refused when it opens another). One derivation each, so only while such
/// slots remain.
pub(super) async fn also_opened(
    crypto: &WebCrypto,
    meta: &VaultMeta,
    secret: &str,
    opened: SlotId,
) -> Result<Vec<SlotId>, CryptoError> {
    let mut also = Vec::new();
    for slot in meta.slots.iter().filter(|s| s.id != opened) {
        let Some(kdf) = &slot.kdf else { continue };
        let wrapping = derive(crypto, kdf, secret).await?;
        match crypto
            .unwrap_data_key(&slot.wrapped_data_key, &wrapping, false)
            .await
        {
            Ok(_) => also.push(slot.id),
            Err(CryptoError::NotAuthentic) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(also)
}

pub(super) async fn derive(
    crypto: &WebCrypto,
    kdf: &KdfParams,
    secret: &str,
) -> Result<CryptoKey, CryptoError> {
    crypto
        .derive_slot_key(secret, &kdf.salt, kdf.iterations)
        .await
}

/// The key the device salt derives from `secret`: the one a search already derived, or a new
/// derivation.
pub(super) async fn device_key(
    crypto: &WebCrypto,
    kdf: &KdfParams,
    secret: &str,
    derived: Option<CryptoKey>,
) -> Result<CryptoKey, CryptoError> {
    match derived {
        Some(key) => Ok(key),
        None => derive(crypto, kdf, secret).await,
    }
}

/// What a sealed staff name is bound to: its slot (a name moved to another slot does not open).
fn name_aad(slot: SlotId) -> Vec<u8> {
    format!("staffname/{}", slot.0).into_bytes()
}

pub(super) async fn seal_name(
    crypto: &WebCrypto,
    data: &CryptoKey,
    slot: SlotId,
    name: &str,
) -> Result<Vec<u8>, CryptoError> {
    crypto.seal(data, name.as_bytes(), &name_aad(slot)).await
}

/// Every staff name that opens, in slot order. A name that does not authenticate (changed
/// bytes) is left out and logged: its slot still unlocks, and Settings shows it as unreadable
/// (it can be removed).
pub(super) async fn open_names(
    crypto: &WebCrypto,
    data: &CryptoKey,
    meta: &VaultMeta,
) -> Vec<StaffMember> {
    let names = meta.staff_names();
    let aads: Vec<Vec<u8>> = names.iter().map(|(id, _)| name_aad(*id)).collect();
    let sealed: Vec<(&CryptoKey, &[u8], &[u8])> = names
        .iter()
        .zip(&aads)
        .filter_map(|((_, name), aad)| match name {
            StaffName::Sealed { sealed_name } => Some((data, sealed_name.as_slice(), &aad[..])),
            StaffName::Clear { .. } => None,
        })
        .collect();
    let mut opened = crypto.open_all(&sealed).await.into_iter();
    let mut staff = Vec::with_capacity(names.len());
    for (slot, name) in names {
        let display_name = match name {
            StaffName::Clear { display_name } => Ok(display_name.clone()),
            StaffName::Sealed { .. } => opened
                .next()
                .unwrap_or(Err(CryptoError::Truncated))
                .and_then(|bytes| String::from_utf8(bytes).map_err(|_| CryptoError::NotAuthentic)),
        };
        match display_name {
            Ok(display_name) => staff.push(StaffMember { slot, display_name }),
            Err(e) => crate::console_warn!("vault: a staff name does not open: {e}"),
        }
    }
    staff
}
