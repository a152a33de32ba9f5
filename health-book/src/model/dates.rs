//! Serde formats for dates: ISO 8601 calendar dates ("2024-03-09") and RFC 3339 timestamps,
//! the forms FHIR uses, so stored books and exported bundles read the same.

time::serde::format_description!(pub date, Date, "[year]-[month]-[day]");

pub use time::serde::rfc3339 as timestamp;
