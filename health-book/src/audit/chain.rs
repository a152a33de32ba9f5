//! Verifying the chain: which entry, if any, was changed, removed, inserted or moved.

use serde::{Deserialize, Serialize};

use super::entry::{AuditEntry, StoredEntry};

/// What the app computed for one stored entry (HMACs, hex), from [`inputs`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recomputed {
    /// HMAC of the entry's [`AuditEntry::mac_input`] over the previous *stored* tag.
    pub tag: String,
    /// HMAC of the mention's commitment input, when the entry still has a mention.
    pub commitment: Option<String>,
}

/// How the chain is broken at the first entry that does not check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakKind {
    /// The entry's content or tag differs from what was written (an edit, or an entry put in
    /// that this device never wrote).
    Altered,
    /// Entries before this one are gone.
    Missing,
    /// The entry sits at another place than the one it was written at.
    OutOfOrder,
    /// The stored value cannot be read (damaged, or it fails to decrypt).
    Unreadable,
}

/// The result of verifying the whole log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum ChainVerdict {
    /// Every entry checks; `entries` of them.
    Intact { entries: usize },
    /// The first entry that does not check, by its place in the log (from 0).
    Broken { position: usize, kind: BreakKind },
}
crate::tag_first!(ChainVerdict, "result");

/// The bytes to HMAC for one stored entry: its tag input, and its mention's commitment input.
pub type MacInputs = (Vec<u8>, Option<Vec<u8>>);

/// The bytes to HMAC for each stored entry, in stored order: its tag input over the previous
/// stored entry's tag, and its mention's commitment input. `None` for an unreadable entry.
/// An unreadable predecessor leaves the genesis tag as "previous" (verification stops there
/// anyway).
pub fn inputs(entries: &[Option<StoredEntry>]) -> Vec<Option<MacInputs>> {
    let mut prev = AuditEntry::GENESIS;
    let mut out = Vec::with_capacity(entries.len());
    for stored in entries {
        match stored {
            Some(stored) => {
                out.push(Some((
                    stored.entry.mac_input(prev),
                    stored.entry.book.as_ref().map(|b| b.commitment_input()),
                )));
                prev = &stored.tag;
            }
            None => {
                out.push(None);
                prev = AuditEntry::GENESIS;
            }
        }
    }
    out
}

/// Checks every entry, in stored order, against what the app recomputed (`recomputed[i]` for
/// `entries[i]`; `None` where the entry was unreadable). The first entry that fails decides.
pub fn verify(entries: &[Option<StoredEntry>], recomputed: &[Option<Recomputed>]) -> ChainVerdict {
    for (position, stored) in entries.iter().enumerate() {
        let broken = |kind| ChainVerdict::Broken { position, kind };
        let (Some(stored), Some(Some(again))) = (stored, recomputed.get(position)) else {
            return broken(BreakKind::Unreadable);
        };
        let expected = position as u64;
        if stored.entry.seq > expected {
            return broken(BreakKind::Missing);
        }
        if stored.entry.seq < expected {
            return broken(BreakKind::OutOfOrder);
        }
        if stored.tag != again.tag {
            return broken(BreakKind::Altered);
        }
        if stored.entry.book.is_some()
            && (again.commitment.is_none() || stored.entry.book_commitment != again.commitment)
        {
            return broken(BreakKind::Altered);
        }
    }
    ChainVerdict::Intact {
        entries: entries.len(),
    }
}

impl ChainVerdict {
    pub fn is_intact(&self) -> bool {
        matches!(self, ChainVerdict::Intact { .. })
    }
}
