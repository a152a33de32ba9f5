//! The sync panel of a server book: when it last matched the server, and whether the app should
//! refresh it by itself now that the server is within reach.

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
