//! One audit entry and the exact bytes its tag covers.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::device::DeviceMode;

/// Who acted, as the device knew them at that moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum Actor {
    /// The staff member whose passphrase unlocked a shared device.
    Staff { slot: u32, name: String },
    /// The person whose phone this is (a personal device, with or without a secret).
    Person,
    /// Nobody was unlocked (a shared device before any staff member exists).
    Unknown,
}
crate::tag_first!(Actor, "kind");

/// Which kind of record an entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKindName {
    Vaccination,
    Prescription,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum AuditAction {
    /// A book was opened (made the open book on this device).
    BookOpened,
    /// The check-in QR of a book was shown.
    CheckInQrViewed,
    /// A record was added, corrected or removed on the device (staff entry, self-report).
    RecordAdded {
        record: RecordKindName,
    },
    RecordEdited {
        record: RecordKindName,
    },
    RecordRemoved {
        record: RecordKindName,
    },
    /// A book was saved from a file.
    Imported,
    /// A book was refreshed from (or first fetched from) the health-system server.
    Synced,
    /// A book was written to a file.
    Exported,
    /// "Done with this patient": the book was removed from the device. Names nobody.
    SignedOut,
    /// A book was deleted from the book list. Names nobody either.
    BookRemoved,
    /// Wrong secrets before the unlock that wrote this entry: a locked device holds no key to
    /// write an entry with, so the count kept in clear is logged at the next unlock.
    UnlockFailed {
        count: u32,
        #[serde(with = "time::serde::rfc3339::option")]
        last_at: Option<OffsetDateTime>,
    },
    StaffAdded {
        name: String,
    },
    StaffRemoved {
        name: String,
    },
    /// A staff passphrase or the personal PIN/passphrase was changed.
    SecretChanged,
    /// The audit log itself was exported.
    LogExported,
    /// A correction note ("Báo lỗi") was written on a record of the book.
    CorrectionAdded {
        record: RecordKindName,
    },
    /// A correction note's words were changed.
    CorrectionEdited {
        record: RecordKindName,
    },
    /// A correction note was taken back.
    CorrectionRemoved {
        record: RecordKindName,
    },
}
crate::tag_first!(AuditAction, "kind");

impl AuditAction {
    /// Whether this action is about one book still on the device (and so carries a
    /// [`BookMention`]). A removal names nobody: the person is gone from the device.
    pub fn is_about_a_book(&self) -> bool {
        !matches!(
            self,
            AuditAction::UnlockFailed { .. }
                | AuditAction::StaffAdded { .. }
                | AuditAction::StaffRemoved { .. }
                | AuditAction::SecretChanged
                | AuditAction::LogExported
                | AuditAction::SignedOut
                | AuditAction::BookRemoved
        )
    }
}

/// The book an entry is about: the citizen ID with a random salt. Only the commitment to them
/// is tagged, so the mention can be dropped without breaking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookMention {
    pub citizen_id: String,
    /// Random, hex; never reused.
    pub salt: String,
}

impl BookMention {
    /// The bytes whose HMAC is the entry's `book_commitment`.
    pub fn commitment_input(&self) -> Vec<u8> {
        format!("ssk-audit-book\0{}\0{}\0", self.salt, self.citizen_id).into_bytes()
    }
}

/// One entry, as written and (encrypted or not) stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Position in the log, from 0; also the entry's storage key.
    pub seq: u64,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub actor: Actor,
    pub mode: DeviceMode,
    pub action: AuditAction,
    /// `None` once anonymised (or for entries about no book).
    pub book: Option<BookMention>,
    /// HMAC (hex) of the mention's [`BookMention::commitment_input`]; stays when the mention is
    /// dropped.
    pub book_commitment: Option<String>,
}

/// An entry with its tag (hex HMAC over [`AuditEntry::mac_input`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredEntry {
    pub entry: AuditEntry,
    pub tag: String,
}

/// What the tag covers: everything but the mention itself, and the previous tag.
#[derive(Serialize)]
struct Tagged<'a> {
    v: u32,
    seq: u64,
    at: i128,
    actor: &'a Actor,
    mode: DeviceMode,
    action: &'a AuditAction,
    book: Option<&'a str>,
    prev: &'a str,
}

impl AuditEntry {
    /// The tag of the entry before the first one.
    pub const GENESIS: &'static str = "";

    /// The bytes the entry's tag is the HMAC of, given the previous entry's tag
    /// ([`GENESIS`](Self::GENESIS) for the first). Deterministic: derived serde of plain
    /// structs, fields in declaration order, no maps.
    pub fn mac_input(&self, prev_tag: &str) -> Vec<u8> {
        let tagged = Tagged {
            v: 1,
            seq: self.seq,
            at: self.at.unix_timestamp_nanos(),
            actor: &self.actor,
            mode: self.mode,
            action: &self.action,
            book: self.book_commitment.as_deref(),
            prev: prev_tag,
        };
        let mut bytes = b"ssk-audit-entry\0".to_vec();
        // Serialising these plain structs cannot fail.
        bytes.extend(serde_json::to_vec(&tagged).unwrap_or_default());
        bytes
    }

    /// The entry with its book mention dropped ("Done with this patient"); the commitment and
    /// so the tag stay valid.
    pub fn anonymised(&self) -> AuditEntry {
        AuditEntry {
            book: None,
            ..self.clone()
        }
    }

    /// Whether this entry names the book of `citizen_id`.
    pub fn is_about(&self, citizen_id: &str) -> bool {
        self.book
            .as_ref()
            .is_some_and(|b| b.citizen_id == citizen_id)
    }
}
