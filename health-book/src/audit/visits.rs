//! The patient's view of the log: "Who opened this book".

use time::OffsetDateTime;

use super::entry::{Actor, AuditAction, StoredEntry};
use crate::device::DeviceMode;

/// One line of a book's access list, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    pub at: OffsetDateTime,
    pub actor: Actor,
    pub mode: DeviceMode,
    pub action: AuditAction,
}

/// The entries about one book, newest first. Only entries that still name it count: after
/// "Done with this patient" the book's entries name nobody.
pub fn book_visits(entries: &[StoredEntry], citizen_id: &str) -> Vec<Visit> {
    let mut visits: Vec<Visit> = entries
        .iter()
        .filter(|stored| stored.entry.is_about(citizen_id))
        .map(|stored| Visit {
            at: stored.entry.at,
            actor: stored.entry.actor.clone(),
            mode: stored.entry.mode,
            action: stored.entry.action.clone(),
        })
        .collect();
    visits.sort_by_key(|visit| std::cmp::Reverse(visit.at));
    visits
}
