//! Reading the text of a form field: what was typed, or exactly what is wrong with it.

use time::{Date, Month};

use crate::validate::{Finding, FindingKind, Severity};

/// The problems of one form, in the order of its fields.
#[derive(Debug, Default)]
pub(crate) struct Problems(pub(crate) Vec<Finding>);

impl Problems {
    pub(crate) fn error(&mut self, path: impl Into<String>, kind: FindingKind) {
        self.0.push(Finding {
            path: path.into(),
            severity: Severity::Error,
            kind,
        });
    }

    /// The errors the book's own rules find in the record, except those already named.
    pub(crate) fn checked(mut self, findings: Vec<Finding>) -> Result<(), Vec<Finding>> {
        for f in findings.into_iter().filter(Finding::is_error) {
            if !self.0.iter().any(|p| p.path == f.path && p.kind == f.kind) {
                self.0.push(f);
            }
        }
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }

    /// Text that must be there, trimmed.
    pub(crate) fn required(&mut self, path: &str, text: &str) -> String {
        let text = text.trim();
        if text.is_empty() {
            self.error(path, FindingKind::Empty);
        }
        text.to_owned()
    }

    /// A whole number of at least 1, or nothing when left empty.
    pub(crate) fn count(&mut self, path: &str, text: &str) -> Option<u32> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        match text.parse::<u32>() {
            Ok(0) => {
                self.error(path, FindingKind::Zero);
                None
            }
            Ok(n) => Some(n),
            Err(_) => {
                self.error(
                    path,
                    FindingKind::NotANumber {
                        text: text.to_owned(),
                    },
                );
                None
            }
        }
    }

    /// A date as a date input gives it (`YYYY-MM-DD`), or nothing when left empty.
    pub(crate) fn date(&mut self, path: &str, text: &str) -> Option<Date> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let date = parse_iso_date(text);
        if date.is_none() {
            self.error(
                path,
                FindingKind::NotADate {
                    text: text.to_owned(),
                },
            );
        }
        date
    }

    /// A date that must be there.
    pub(crate) fn required_date(&mut self, path: &str, text: &str) -> Option<Date> {
        if text.trim().is_empty() {
            self.error(path, FindingKind::Empty);
            return None;
        }
        self.date(path, text)
    }
}

/// Text left empty is no value.
pub(crate) fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn parse_iso_date(text: &str) -> Option<Date> {
    let mut parts = text.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let month = Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn numbers_and_dates_say_what_is_wrong() {
        let mut p = Problems::default();
        assert_eq!(p.count("a", " 3 "), Some(3));
        assert_eq!(p.count("b", ""), None);
        assert_eq!(p.count("c", "0"), None);
        assert_eq!(p.count("d", "hai"), None);
        assert_eq!(p.date("e", "2026-12-01"), Some(date!(2026 - 12 - 01)));
        assert_eq!(p.date("f", "2026-02-30"), None);
        assert_eq!(p.required_date("g", " "), None);
        let kinds: Vec<_> = p.0.iter().map(|f| (f.path.as_str(), &f.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                ("c", &FindingKind::Zero),
                ("d", &FindingKind::NotANumber { text: "hai".into() }),
                (
                    "f",
                    &FindingKind::NotADate {
                        text: "2026-02-30".into()
                    }
                ),
                ("g", &FindingKind::Empty),
            ]
        );
    }
}
