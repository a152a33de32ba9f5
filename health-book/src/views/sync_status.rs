//! The sync panel of a server book: when it last matched the server, how the last attempt went,
//! and whether the app should refresh it by itself now that the server is within reach.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::model::HealthBook;

/// One automatic refresh per book at most this often, whatever the connection does.
pub const AUTO_REFRESH_PAUSE: Duration = Duration::minutes(10);

/// When the book was last known to match the server: the later of the book's own sync stamp and
/// the last successful sync (when the server had nothing new the book is not saved again, so the
/// second can be later).
pub fn last_synced(
    book: &HealthBook,
    last_success_at: Option<OffsetDateTime>,
) -> Option<OffsetDateTime> {
    match (book.provenance.last_synced_at, last_success_at) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// How the last sync of a book went, for "last synced at" and the reason of a failure, as kept
/// with the book. `R` is the reason as the app words it (its `SyncFailure`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncStatus<R> {
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub last_attempt_at: Option<OffsetDateTime>,
    /// The last sync that succeeded. When the server had nothing new, the book is not saved
    /// again, so this can be later than the book's `last_synced_at`.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub last_success_at: Option<OffsetDateTime>,
    // A named default: a plain `default` would ask `R: Default` of every reason type.
    #[serde(default = "Option::default")]
    pub last_failure: Option<FailureRecord<R>>,
}

impl<R> Default for SyncStatus<R> {
    fn default() -> Self {
        SyncStatus {
            last_attempt_at: None,
            last_success_at: None,
            last_failure: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailureRecord<R> {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub reason: R,
}

/// How one sync attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt<R> {
    /// Ended at this time with the book up to date.
    Succeeded {
        at: OffsetDateTime,
    },
    /// The person cancelled: nothing to remember, the previous status stands.
    Cancelled,
    Failed(R),
}

impl<R: Clone> SyncStatus<R> {
    /// The status to store after an attempt that started at `started`, or `None` when there is
    /// nothing to record. A failure keeps the last success (the book still is that old) and
    /// replaces any earlier failure; a success clears the failure.
    pub fn after(&self, started: OffsetDateTime, attempt: Attempt<R>) -> Option<SyncStatus<R>> {
        let (last_success_at, last_failure) = match attempt {
            Attempt::Cancelled => return None,
            Attempt::Succeeded { at } => (Some(at), None),
            Attempt::Failed(reason) => (
                self.last_success_at,
                Some(FailureRecord {
                    at: started,
                    reason,
                }),
            ),
        };
        Some(SyncStatus {
            last_attempt_at: Some(started),
            last_success_at,
            last_failure,
        })
    }

    /// When the book was last known to match the server.
    pub fn last_synced(&self, book: &HealthBook) -> Option<OffsetDateTime> {
        last_synced(book, self.last_success_at)
    }
}

/// Whether a reachable server's book should be refreshed without being asked: automatic refresh
/// is on (`auto_refresh_hours` > 0), the book is at least that old (or was never synced), and no
/// attempt was made in the last [`AUTO_REFRESH_PAUSE`].
pub fn should_auto_refresh(
    last_synced: Option<OffsetDateTime>,
    last_attempt_at: Option<OffsetDateTime>,
    auto_refresh_hours: u32,
    now: OffsetDateTime,
) -> bool {
    if auto_refresh_hours == 0 {
        return false;
    }
    let stale =
        last_synced.is_none_or(|at| now - at >= Duration::hours(i64::from(auto_refresh_hours)));
    let tried_lately = last_attempt_at.is_some_and(|at| now - at < AUTO_REFRESH_PAUSE);
    stale && !tried_lately
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{self, BookShape};
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-01-15 12:00 UTC);

    #[test]
    fn last_synced_is_the_later_of_the_book_and_the_status() {
        let mut book = generate::book(1, &BookShape::records(1));
        book.provenance.last_synced_at = None;
        assert_eq!(last_synced(&book, None), None);
        assert_eq!(last_synced(&book, Some(NOW)), Some(NOW));
        book.provenance.last_synced_at = Some(NOW - Duration::hours(1));
        assert_eq!(last_synced(&book, None), Some(NOW - Duration::hours(1)));
        assert_eq!(last_synced(&book, Some(NOW)), Some(NOW));
        assert_eq!(
            last_synced(&book, Some(NOW - Duration::days(2))),
            Some(NOW - Duration::hours(1))
        );
    }

    #[test]
    fn an_attempt_is_recorded_as_success_or_failure_and_a_cancel_not_at_all() {
        let started = NOW - Duration::minutes(1);
        let earlier = SyncStatus::<&str> {
            last_attempt_at: Some(NOW - Duration::days(1)),
            last_success_at: Some(NOW - Duration::days(2)),
            last_failure: None,
        };
        assert_eq!(earlier.after(started, Attempt::Cancelled), None);

        let failed = earlier.after(started, Attempt::Failed("network")).unwrap();
        assert_eq!(failed.last_attempt_at, Some(started));
        assert_eq!(
            failed.last_success_at, earlier.last_success_at,
            "the book is as old as before"
        );
        assert_eq!(
            failed.last_failure,
            Some(FailureRecord {
                at: started,
                reason: "network"
            })
        );

        let again = failed.after(NOW, Attempt::Failed("timeout")).unwrap();
        assert_eq!(again.last_failure.map(|f| f.reason), Some("timeout"));

        let ok = failed
            .after(started, Attempt::Succeeded { at: NOW })
            .unwrap();
        assert_eq!(ok.last_attempt_at, Some(started));
        assert_eq!(ok.last_success_at, Some(NOW));
        assert_eq!(ok.last_failure, None, "a success clears the failure");

        let first = SyncStatus::<&str>::default()
            .after(started, Attempt::Failed("busy"))
            .unwrap();
        assert_eq!(first.last_success_at, None);
    }

    #[test]
    fn the_stored_form_is_unchanged_and_old_records_still_read() {
        let status = SyncStatus {
            last_attempt_at: Some(NOW),
            last_success_at: None,
            last_failure: Some(FailureRecord {
                at: NOW,
                reason: "network".to_string(),
            }),
        };
        let text = serde_json::to_string(&status).unwrap();
        assert_eq!(
            text,
            r#"{"last_attempt_at":"2026-01-15T12:00:00Z","last_success_at":null,"last_failure":{"at":"2026-01-15T12:00:00Z","reason":"network"}}"#
        );
        assert_eq!(
            serde_json::from_str::<SyncStatus<String>>("{}").unwrap(),
            SyncStatus::default()
        );
    }

    #[test]
    fn refreshes_by_itself_only_when_on_stale_and_not_tried_lately() {
        let old = Some(NOW - Duration::hours(25));
        assert!(should_auto_refresh(old, None, 24, NOW));
        assert!(should_auto_refresh(None, None, 24, NOW));
        assert!(!should_auto_refresh(old, None, 0, NOW), "off");
        assert!(
            !should_auto_refresh(Some(NOW - Duration::hours(23)), None, 24, NOW),
            "fresh"
        );
        assert!(
            !should_auto_refresh(old, Some(NOW - Duration::minutes(9)), 24, NOW),
            "paused"
        );
        assert!(should_auto_refresh(
            old,
            Some(NOW - Duration::minutes(10)),
            24,
            NOW
        ));
    }
}
