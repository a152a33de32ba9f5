//! The device's audit log: who did what to which book, when, in a chain that shows tampering.
//!
//! Each [`AuditEntry`] is stored with a tag: an HMAC-SHA256, under a device key only the app
//! holds, over the entry's content and the previous entry's tag ([`AuditEntry::mac_input`]).
//! Changing, removing, inserting or reordering an entry breaks the chain at that point, which
//! [`verify`] reports as a [`ChainVerdict`]. The app computes the HMACs (WebCrypto is
//! asynchronous and keyed outside this crate) and hands them in; every rule lives here.
//!
//! The book an entry is about is named by a [`BookMention`]: the citizen ID and a random salt,
//! while the tag covers only their commitment (an HMAC of salt and ID). "Done with this patient"
//! drops the mention from that book's entries ([`AuditEntry::anonymised`]): the chain still
//! verifies, and what stays (a commitment whose salt is gone) says nothing about the person.
//!
//! - [`entry`]: the entry, its actor and action, and the bytes that are tagged.
//! - [`chain`]: verifying the log.
//! - [`visits`]: the patient's "Who opened this book" list.
//! - [`fhir`]: export as FHIR R4 `AuditEvent` entries in a Bundle.

pub mod chain;
pub mod entry;
pub mod fhir;
pub mod visits;

#[cfg(test)]
mod tests;

pub use chain::{inputs, verify, BreakKind, ChainVerdict, MacInputs, Recomputed};
pub use entry::{Actor, AuditAction, AuditEntry, BookMention, RecordKindName, StoredEntry};
pub use fhir::audit_bundle;
pub use visits::{book_visits, Visit};

/// Lower-case hex of bytes (tags and commitments are kept as text in the stored JSON).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
