//! Today's date on this device. The domain crate never reads a clock; the shell passes it in.

use time::{Date, Month, OffsetDateTime, UtcOffset};

/// The device's local calendar date (what the person calls "today").
pub fn today() -> Date {
    now().date()
}

/// Now, in the device's local offset (Vietnam is UTC+7 all year).
pub fn now() -> OffsetDateTime {
    let js = js_sys::Date::new_0();
    let local_minutes = -(js.get_timezone_offset() as i32);
    let offset = UtcOffset::from_whole_seconds(local_minutes * 60).unwrap_or(UtcOffset::UTC);
    let millis = js.get_time() as i128;
    OffsetDateTime::from_unix_timestamp_nanos(millis * 1_000_000)
        .map(|t| t.to_offset(offset))
        .unwrap_or_else(|_| {
            // js Date is always within time's range; keep a valid value rather than panic.
            Date::from_calendar_date(2026, Month::January, 1)
                .map(|d| d.midnight().assume_utc())
                .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        })
}
