//! Dates, numbers and other values written the way each language writes them.

use time::{Date, OffsetDateTime};

use super::Locale;

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "09/03/2024" in Vietnamese (day first, as on Vietnamese documents), "9 Mar 2024" in English.
pub fn date(locale: Locale, d: Date) -> String {
    match locale {
        Locale::Vi => format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year()),
        Locale::En => format!(
            "{} {} {}",
            d.day(),
            MONTHS_EN[usize::from(u8::from(d.month())) - 1],
            d.year()
        ),
    }
}

/// Date and time of day, in the time's own offset.
pub fn date_time(locale: Locale, t: OffsetDateTime) -> String {
    format!(
        "{} {:02}:{:02}",
        date(locale, t.date()),
        t.hour(),
        t.minute()
    )
}

/// Bytes as a person reads them ("12,3 MB" / "12.3 MB").
pub fn bytes(locale: Locale, n: f64) -> String {
    let (value, unit) = if n >= 1e9 {
        (n / 1e9, "GB")
    } else if n >= 1e6 {
        (n / 1e6, "MB")
    } else if n >= 1e3 {
        (n / 1e3, "KB")
    } else {
        (n, "B")
    };
    let text = format!("{value:.1}");
    match locale {
        Locale::Vi => format!("{} {unit}", text.replace('.', ",")),
        Locale::En => format!("{text} {unit}"),
    }
}
