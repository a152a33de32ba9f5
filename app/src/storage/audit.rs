//! The device's audit log in IndexedDB (store `audit`, schema v4); every rule it follows (what
//! is tagged, how the chain verifies, what the patient sees) is in `health_book::audit`.
//!
//! Each entry is stored under its place (0, 1, 2, ...) as an envelope like every other value:
//! JSON on a device without a secret, sealed under the data key once one is set, with
//! `audit/<place>` as its identity, so an entry moved to another place fails to decrypt. The
//! keys are counts and say nothing about who is on the device; the book an entry is about is
//! inside the sealed value. The chain key is a random HMAC-SHA256 key kept as the setting
//! `audit.key` (encrypted with the other settings once a secret is set, so turning encryption
//! on keeps the chain).
//!
//! Appending: the last entry is read, the new entries are tagged and sealed with no
//! transaction open ([`PreparedAudit`]), then written with `add` (which refuses a place that is
//! taken) in the same transaction as the action they record. An append from another tab in
//! between makes that whole transaction fail; it is then prepared again over the new last
//! entry, a few times. Reads (a book opened, the check-in QR shown) are appended alone
//! ([`BookStore::record`]).

use std::future::Future;

use health_book::audit::{
    self, Actor, AuditAction, AuditEntry, BookMention, ChainVerdict, Recomputed, StoredEntry, Visit,
};
use health_book::device::{staff_name, DeviceMode, SlotHolder, VaultMeta};
use health_book::CitizenId;
use indexed_db_futures::error::Error as IdbError;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use wasm_bindgen::JsValue;
use web_sys::CryptoKey;

use super::codec::{crypto_failure, unseal_plain, Identity, RecordCodec};
use super::error::StorageError;
use super::handle::BookStore;
use super::schema::{AUDIT, SETTINGS};
use super::transactions::{
    begin_read, collect_rows, finish_read, read_setting, request_rows, StoreRows,
};
use crate::browser::crypto::WebCrypto;

/// The setting that holds the chain key (hex).
pub(crate) const AUDIT_KEY_SETTING: &str = "audit.key";
/// How often an append is prepared again after another tab appended first.
const APPEND_ATTEMPTS: u32 = 3;
const KEY_BYTES: usize = 32;
const SALT_BYTES: usize = 16;

/// One thing to log: what happened, and to which book (if any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub action: AuditAction,
    pub book: Option<CitizenId>,
}

impl AuditEvent {
    /// Something done to one person's book.
    pub fn about(book: &CitizenId, action: AuditAction) -> AuditEvent {
        AuditEvent {
            action,
            book: Some(book.clone()),
        }
    }

    /// Something done to the device (staff, secrets, the log itself), or a removal, which
    /// names nobody.
    pub fn device(action: AuditAction) -> AuditEvent {
        AuditEvent { action, book: None }
    }
}

/// The whole log as read back: the entries that could be read, oldest first, and the verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditLog {
    pub entries: Vec<StoredEntry>,
    pub verdict: ChainVerdict,
}

/// Entries tagged and sealed before the transaction that writes them opens.
#[derive(Clone)]
pub(super) struct PreparedAudit {
    /// What the log looked like when this was prepared.
    head: Head,
    /// A new chain key (the first entry of the device), written with it.
    key_row: Option<(String, JsValue)>,
    /// New entries, by place.
    rows: Vec<(u64, JsValue)>,
    /// Stored entries whose book mention is dropped (the person signed out), by place.
    rewrites: Vec<(u64, JsValue)>,
}

/// The last place used and whether a chain key exists: what a concurrent append changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Head {
    last: Option<u64>,
    has_key: bool,
}

impl PreparedAudit {
    /// The stores a transaction that writes this needs, besides its own.
    pub(super) fn stores(&self, own: &[&'static str]) -> Vec<&'static str> {
        let mut stores = own.to_vec();
        if self.key_row.is_some() && !stores.contains(&SETTINGS) {
            stores.push(SETTINGS);
        }
        stores.push(AUDIT);
        stores
    }

    /// Issues the writes inside the caller's transaction.
    pub(super) fn issue(&self, tx: &Transaction<'_>) -> Result<(), IdbError> {
        if let Some((name, value)) = &self.key_row {
            tx.object_store(SETTINGS)?
                .add(value.clone())
                .with_key(name.as_str())
                .without_key_type()
                .primitive()?;
        }
        let store = tx.object_store(AUDIT)?;
        for (place, value) in &self.rewrites {
            store
                .put(value.clone())
                .with_key(place_key(*place))
                .without_key_type()
                .primitive()?;
        }
        for (place, value) in &self.rows {
            store
                .add(value.clone())
                .with_key(place_key(*place))
                .without_key_type()
                .primitive()?;
        }
        Ok(())
    }
}

fn place_key(place: u64) -> JsValue {
    // Places stay far below 2^53.
    JsValue::from_f64(place as f64)
}

fn place_of(key: &JsValue) -> Option<u64> {
    key.as_f64()
        .filter(|f| f.fract() == 0.0 && *f >= 0.0)
        .map(|f| f as u64)
}

/// The identity an entry is sealed under: its place.
fn entry_identity(place: u64) -> String {
    format!("audit/{place}")
}

/// The identity of a stored row by its key (the encryption migration).
pub(super) fn audit_identity(key: &JsValue) -> String {
    match place_of(key) {
        Some(place) => entry_identity(place),
        None => format!("audit/{key:?}"),
    }
}

fn unreadable_setting(reason: super::error::SkipReason) -> StorageError {
    super::error::unreadable_setting(AUDIT_KEY_SETTING, reason)
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    text.len()
        .is_multiple_of(2)
        .then(|| {
            (0..text.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
                .collect()
        })
        .flatten()
}

impl BookStore {
    /// Appends one entry in its own small transaction: for reads, which write nothing else.
    pub async fn record(&self, event: AuditEvent) -> Result<(), StorageError> {
        self.record_all(std::slice::from_ref(&event)).await
    }

    /// Appends entries in one small transaction (an export of several books).
    pub async fn record_all(&self, events: &[AuditEvent]) -> Result<(), StorageError> {
        let codec = self.codec()?;
        self.appending(&codec, events, None, |audit| async move {
            let stores = audit.as_ref().map(|a| a.stores(&[])).unwrap_or_default();
            self.with_db(|db| {
                self.write_tx(db, &stores, |tx| {
                    audit.as_ref().map_or(Ok(()), |a| a.issue(tx))
                })
            })
            .await
        })
        .await
    }

    /// The log, with the result of verifying its chain.
    pub async fn audit_log(&self) -> Result<AuditLog, StorageError> {
        let codec = self.codec()?;
        let crypto = WebCrypto::detect().map_err(crypto_failure)?;
        let stored = self.read_entries(&codec).await?;
        let entries: Vec<Option<StoredEntry>> = stored.into_iter().map(|(_, e)| e).collect();
        let verdict = match self.stored_chain_key(&codec, &crypto).await? {
            Some(key) => {
                let recomputed = recompute(&crypto, &key, &entries).await;
                audit::verify(&entries, &recomputed)
            }
            // Entries without the key that tagged them cannot be trusted.
            None if !entries.is_empty() => ChainVerdict::Broken {
                position: 0,
                kind: audit::BreakKind::Altered,
            },
            None => ChainVerdict::Intact { entries: 0 },
        };
        Ok(AuditLog {
            entries: entries.into_iter().flatten().collect(),
            verdict,
        })
    }

    /// "Who opened this book": the entries that still name it, newest first.
    pub async fn book_visits(&self, citizen_id: &CitizenId) -> Result<Vec<Visit>, StorageError> {
        let log = self.audit_log().await?;
        Ok(audit::book_visits(&log.entries, citizen_id.as_str()))
    }

    /// Prepares `events` (and, with `anonymise`, drops that person's mention from every stored
    /// entry), runs `write` with them, and prepares again if another tab appended meanwhile.
    pub(super) async fn appending<F, Fut>(
        &self,
        codec: &RecordCodec,
        events: &[AuditEvent],
        anonymise: Option<&CitizenId>,
        mut write: F,
    ) -> Result<(), StorageError>
    where
        F: FnMut(Option<PreparedAudit>) -> Fut,
        Fut: Future<Output = Result<(), StorageError>>,
    {
        if events.is_empty() && anonymise.is_none() {
            return write(None).await;
        }
        let mut attempt = 1;
        loop {
            let prepared = self.prepare_audit(codec, events, anonymise).await?;
            let head = prepared.head;
            match write(Some(prepared)).await {
                Ok(()) => return Ok(()),
                Err(e) => {
                    if attempt >= APPEND_ATTEMPTS || self.head(codec).await? == head {
                        return Err(e);
                    }
                    attempt += 1;
                }
            }
        }
    }

    async fn prepare_audit(
        &self,
        codec: &RecordCodec,
        events: &[AuditEvent],
        anonymise: Option<&CitizenId>,
    ) -> Result<PreparedAudit, StorageError> {
        let crypto = WebCrypto::detect().map_err(crypto_failure)?;
        let stored_key = self.stored_chain_key(codec, &crypto).await?;
        let head_has_key = stored_key.is_some();
        let (key, key_row) = match stored_key {
            Some(key) => (Some(key), None),
            // Dropping mentions needs no key: tags stay as they are.
            None if events.is_empty() => (None, None),
            None => {
                let raw = crypto.random_bytes(KEY_BYTES).map_err(crypto_failure)?;
                let key = crypto.import_mac_key(&raw).await.map_err(crypto_failure)?;
                // A named setting: turning encryption off puts it back under its own key.
                let (name, sealed) = codec
                    .seal_setting(AUDIT_KEY_SETTING, &audit::hex(&raw))
                    .await?;
                (Some(key), Some((name, sealed)))
            }
        };

        // The last entry (its place and tag), and with `anonymise` the entries to rewrite.
        let mut rewrites = Vec::new();
        let (last, prev_tag) = match anonymise {
            Some(person) => {
                let stored = self.read_entries(codec).await?;
                for (place, entry) in &stored {
                    if let Some(entry) =
                        entry.as_ref().filter(|e| e.entry.is_about(person.as_str()))
                    {
                        let anonymised = StoredEntry {
                            entry: entry.entry.anonymised(),
                            tag: entry.tag.clone(),
                        };
                        rewrites.push((*place, seal_entry(codec, *place, &anonymised).await?));
                    }
                }
                match stored.last() {
                    Some((place, entry)) => (Some(*place), entry.as_ref().map(|e| e.tag.clone())),
                    None => (None, None),
                }
            }
            None => match self.read_last(codec).await? {
                Some((place, entry)) => (Some(place), entry.map(|e| e.tag)),
                None => (None, None),
            },
        };

        let mut rows = Vec::with_capacity(events.len());
        if let Some(key) = key {
            let by = self.actor(codec).await?;
            let chain = Chain { last, prev_tag };
            rows = tag_entries(codec, &crypto, &key, by, chain, events).await?;
        }
        Ok(PreparedAudit {
            head: Head {
                last,
                has_key: head_has_key,
            },
            key_row,
            rows,
            rewrites,
        })
    }

    /// Who is acting now (what a correction request is signed with).
    pub async fn current_actor(&self) -> Result<Actor, StorageError> {
        let codec = self.codec()?;
        Ok(self.actor(&codec).await?.0)
    }

    /// Who is acting, by the stored vault metadata (see [`actor_of`]).
    async fn actor(&self, codec: &RecordCodec) -> Result<(Actor, DeviceMode), StorageError> {
        Ok(actor_of(self.vault().await?.as_ref(), codec))
    }

    /// The chain key, or `None` when the device has none yet.
    async fn stored_chain_key(
        &self,
        codec: &RecordCodec,
        crypto: &WebCrypto,
    ) -> Result<Option<CryptoKey>, StorageError> {
        let name = codec.setting_name(AUDIT_KEY_SETTING).await?;
        let Some(raw) = self.with_db(|db| read_setting(db, &name)).await? else {
            return Ok(None);
        };
        let text: String = codec
            .unseal(&raw, Identity::Setting { key: &name })
            .await
            .map_err(unreadable_setting)?;
        let bytes = from_hex(&text).ok_or_else(|| {
            unreadable_setting(super::error::SkipReason::Malformed {
                detail: "the audit key is not hex".into(),
            })
        })?;
        let key = crypto
            .import_mac_key(&bytes)
            .await
            .map_err(crypto_failure)?;
        Ok(Some(key))
    }

    async fn head(&self, codec: &RecordCodec) -> Result<Head, StorageError> {
        let name = codec.setting_name(AUDIT_KEY_SETTING).await?;
        let has_key = self.with_db(|db| read_setting(db, &name)).await?.is_some();
        let keys = self.with_db(read_places).await?;
        Ok(Head {
            last: keys.iter().filter_map(place_of).max(),
            has_key,
        })
    }

    /// The last stored entry, by place (`None` inside when it cannot be read).
    async fn read_last(
        &self,
        codec: &RecordCodec,
    ) -> Result<Option<(u64, Option<StoredEntry>)>, StorageError> {
        let Some((key, value)) = self.with_db(read_last_row).await? else {
            return Ok(None);
        };
        let Some(place) = place_of(&key) else {
            return Ok(None);
        };
        let entry = self.open_entry(codec, place, &value).await;
        Ok(Some((place, entry)))
    }

    /// Every stored entry in place order (`None` for one that cannot be read).
    async fn read_entries(
        &self,
        codec: &RecordCodec,
    ) -> Result<Vec<(u64, Option<StoredEntry>)>, StorageError> {
        let rows = self.with_db(read_audit_rows).await?;
        let rows: Vec<(u64, JsValue)> = rows
            .into_iter()
            .filter_map(|(key, value)| place_of(&key).map(|place| (place, value)))
            .collect();
        let identities: Vec<String> = rows.iter().map(|(p, _)| entry_identity(*p)).collect();
        let items: Vec<(&JsValue, Identity<'_>)> = rows
            .iter()
            .zip(&identities)
            .map(|((_, value), identity)| (value, Identity::Setting { key: identity }))
            .collect();
        let opened = codec.unseal_all::<StoredEntry>(&items).await;
        Ok(rows
            .iter()
            .zip(opened)
            .map(|((place, _), entry)| (*place, entry.ok()))
            .collect())
    }

    async fn open_entry(
        &self,
        codec: &RecordCodec,
        place: u64,
        value: &JsValue,
    ) -> Option<StoredEntry> {
        let identity = entry_identity(place);
        codec
            .unseal(value, Identity::Setting { key: &identity })
            .await
            .ok()
    }
}

/// Who is acting under `meta` (`None`: no secret is set): the unlocked staff member on a
/// shared device, the person on a personal one.
pub(super) fn actor_of(meta: Option<&VaultMeta>, codec: &RecordCodec) -> (Actor, DeviceMode) {
    let Some(meta) = meta else {
        return (Actor::Person, DeviceMode::Personal);
    };
    let (slot, staff) = match codec {
        RecordCodec::Sealed(keys) => (meta.slot(keys.slot.get()), keys.staff.borrow().clone()),
        _ => (None, Vec::new()),
    };
    let actor = match slot {
        Some(slot) => match &slot.holder {
            // The name as opened at unlock (it is stored sealed).
            SlotHolder::Staff(_) => Actor::Staff {
                slot: slot.id.0,
                name: staff_name(&staff, slot.id).unwrap_or_default().to_owned(),
            },
            SlotHolder::Personal { .. } => Actor::Person,
        },
        None => Actor::Unknown,
    };
    (actor, meta.mode)
}

/// Where new entries go: after place `last`, whose tag is `prev_tag`.
struct Chain {
    last: Option<u64>,
    prev_tag: Option<String>,
}

/// Tags and seals new entries by `by`, chained after `chain`, as (place, stored value).
async fn tag_entries(
    codec: &RecordCodec,
    crypto: &WebCrypto,
    key: &CryptoKey,
    by: (Actor, DeviceMode),
    chain: Chain,
    events: &[AuditEvent],
) -> Result<Vec<(u64, JsValue)>, StorageError> {
    let (actor, mode) = by;
    let now = crate::browser::clock::now();
    let first = chain.last.map_or(0, |l| l + 1);
    let mut prev_tag = chain.prev_tag;
    let mut rows = Vec::with_capacity(events.len());
    for (place, event) in (first..).zip(events) {
        let book = match &event.book {
            Some(id) => Some(BookMention {
                citizen_id: id.as_str().to_owned(),
                salt: audit::hex(&crypto.random_bytes(SALT_BYTES).map_err(crypto_failure)?),
            }),
            None => None,
        };
        let book_commitment = match &book {
            Some(mention) => Some(audit::hex(
                &crypto
                    .mac(key, &mention.commitment_input())
                    .await
                    .map_err(crypto_failure)?,
            )),
            None => None,
        };
        let entry = AuditEntry {
            seq: place,
            at: now,
            actor: actor.clone(),
            mode,
            action: event.action.clone(),
            book,
            book_commitment,
        };
        // An unreadable last entry leaves the chain broken there; new entries still chain
        // from the start, and verification reports the damage.
        let prev = prev_tag.as_deref().unwrap_or(AuditEntry::GENESIS);
        let tag = audit::hex(
            &crypto
                .mac(key, &entry.mac_input(prev))
                .await
                .map_err(crypto_failure)?,
        );
        let stored = StoredEntry {
            entry,
            tag: tag.clone(),
        };
        rows.push((place, seal_entry(codec, place, &stored).await?));
        prev_tag = Some(tag);
    }
    Ok(rows)
}

async fn seal_entry(
    codec: &RecordCodec,
    place: u64,
    entry: &StoredEntry,
) -> Result<JsValue, StorageError> {
    let identity = entry_identity(place);
    codec
        .seal(entry, Identity::Setting { key: &identity })
        .await
}

/// Appends `events`, by `by`, to the rows of a plain device as a migration read them (every
/// store, see `transactions::read_all`): chained after the last stored entry, under the stored
/// chain key (a new one joins the settings rows when there is none). The migration then seals
/// them with everything else and stores them in its one write, so what it sets up (the first
/// staff member of a shared device) is logged in the transaction that sets it up.
pub(super) async fn append_to_plain_rows(
    rows: &mut Vec<StoreRows>,
    by: (Actor, DeviceMode),
    events: &[AuditEvent],
) -> Result<(), StorageError> {
    let plain = RecordCodec::PlainJson;
    let crypto = WebCrypto::detect().map_err(crypto_failure)?;
    let stored_key = rows
        .iter()
        .filter(|s| s.store == SETTINGS)
        .flat_map(|s| &s.rows)
        .find(|(key, _)| key.as_string().as_deref() == Some(AUDIT_KEY_SETTING))
        .map(|(_, value)| unseal_plain::<String>(value).map_err(unreadable_setting))
        .transpose()?;
    let raw = match stored_key {
        Some(text) => from_hex(&text).ok_or_else(|| {
            unreadable_setting(super::error::SkipReason::Malformed {
                detail: "the audit key is not hex".into(),
            })
        })?,
        None => {
            let raw = crypto.random_bytes(KEY_BYTES).map_err(crypto_failure)?;
            let (name, value) = plain
                .seal_setting(AUDIT_KEY_SETTING, &audit::hex(&raw))
                .await?;
            rows_of(rows, SETTINGS).push((JsValue::from_str(&name), value));
            raw
        }
    };
    let key = crypto.import_mac_key(&raw).await.map_err(crypto_failure)?;
    let log = rows_of(rows, AUDIT);
    let last = log
        .iter()
        .filter_map(|(key, value)| place_of(key).map(|place| (place, value)))
        .max_by_key(|(place, _)| *place);
    let chain = Chain {
        last: last.map(|(place, _)| place),
        prev_tag: last
            .and_then(|(_, value)| unseal_plain::<StoredEntry>(value).ok())
            .map(|e| e.tag),
    };
    let tagged = tag_entries(&plain, &crypto, &key, by, chain, events).await?;
    log.extend(
        tagged
            .into_iter()
            .map(|(place, value)| (place_key(place), value)),
    );
    Ok(())
}

/// The rows of `store` in a read of every store (added, empty, if the read had none).
fn rows_of<'a>(
    rows: &'a mut Vec<StoreRows>,
    store: &'static str,
) -> &'a mut Vec<(JsValue, JsValue)> {
    let at = match rows.iter().position(|s| s.store == store) {
        Some(at) => at,
        None => {
            rows.push(StoreRows {
                store,
                rows: Vec::new(),
            });
            rows.len() - 1
        }
    };
    &mut rows[at].rows
}

/// Recomputes every HMAC the chain needs, in one batch.
async fn recompute(
    crypto: &WebCrypto,
    key: &CryptoKey,
    entries: &[Option<StoredEntry>],
) -> Vec<Option<Recomputed>> {
    let inputs = audit::inputs(entries);
    let mut flat: Vec<&[u8]> = Vec::new();
    for (tag, commitment) in inputs.iter().flatten() {
        flat.push(tag);
        if let Some(commitment) = commitment {
            flat.push(commitment);
        }
    }
    let mut macs = crypto.mac_all(key, &flat).await.into_iter();
    inputs
        .iter()
        .map(|input| {
            let (_, commitment) = input.as_ref()?;
            let tag = macs.next()?.ok().map(|m| audit::hex(&m));
            let commitment = match commitment {
                Some(_) => macs.next()?.ok().map(|m| audit::hex(&m)),
                None => None,
            };
            Some(Recomputed {
                tag: tag?,
                commitment,
            })
        })
        .collect()
}

async fn read_audit_rows(
    db: indexed_db_futures::database::Database,
) -> Result<Vec<(JsValue, JsValue)>, StorageError> {
    let tx = begin_read(&db, &[AUDIT])?;
    let rows = async { collect_rows(request_rows(&tx.object_store(AUDIT)?, None)?).await }.await;
    finish_read(tx, rows).await
}

async fn read_places(
    db: indexed_db_futures::database::Database,
) -> Result<Vec<JsValue>, StorageError> {
    let tx = begin_read(&db, &[AUDIT])?;
    let keys = async {
        tx.object_store(AUDIT)?
            .get_all_keys::<JsValue>()
            .primitive()?
            .await?
            .collect::<Result<Vec<_>, _>>()
    }
    .await;
    finish_read(tx, keys).await
}

/// The row with the highest place, read in one transaction.
async fn read_last_row(
    db: indexed_db_futures::database::Database,
) -> Result<Option<(JsValue, JsValue)>, StorageError> {
    let tx = begin_read(&db, &[AUDIT])?;
    let row = async {
        let store = tx.object_store(AUDIT)?;
        let keys: Vec<JsValue> = store
            .get_all_keys::<JsValue>()
            .primitive()?
            .await?
            .collect::<Result<_, _>>()?;
        let Some(last) = keys
            .into_iter()
            .filter(|k| place_of(k).is_some())
            .max_by(|a, b| {
                place_of(a)
                    .unwrap_or_default()
                    .cmp(&place_of(b).unwrap_or_default())
            })
        else {
            return Ok(None);
        };
        let value = store
            .get::<JsValue, JsValue, _>(last.clone())
            .primitive()?
            .await?;
        Ok(value.map(|v| (last, v)))
    }
    .await;
    finish_read(tx, row).await
}
