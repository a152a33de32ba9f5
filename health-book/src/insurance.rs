//! Whether a health insurance card covers today.

use time::Date;

use crate::model::HealthInsuranceCard;

/// A card expiring within this many days is shown as expiring soon [project choice].
pub const EXPIRY_WARNING_DAYS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InsuranceStatus {
    /// Valid from a later date.
    NotYetValid { from: Date },
    /// Valid today; `until` when the card has an end date.
    Valid { until: Option<Date> },
    /// Valid today and expires in `days_left` days (0: today is the last day).
    ExpiresSoon { on: Date, days_left: u32 },
    /// No longer valid since the day after `on`.
    Expired { on: Date },
}

impl HealthInsuranceCard {
    pub fn status(&self, today: Date) -> InsuranceStatus {
        self.status_with_warning(today, EXPIRY_WARNING_DAYS)
    }

    pub fn status_with_warning(&self, today: Date, warning_days: i64) -> InsuranceStatus {
        if let Some(from) = self.valid_from {
            if today < from {
                return InsuranceStatus::NotYetValid { from };
            }
        }
        match self.valid_to {
            None => InsuranceStatus::Valid { until: None },
            Some(on) if today > on => InsuranceStatus::Expired { on },
            Some(on) => {
                let days_left = (on - today).whole_days();
                if days_left < warning_days {
                    InsuranceStatus::ExpiresSoon {
                        on,
                        days_left: days_left as u32,
                    }
                } else {
                    InsuranceStatus::Valid { until: Some(on) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn card(from: Option<Date>, to: Option<Date>) -> HealthInsuranceCard {
        HealthInsuranceCard {
            code: "GD4191922334455".into(),
            valid_from: from,
            valid_to: to,
            registered_facility: None,
        }
    }

    #[test]
    fn each_status() {
        let c = card(Some(date!(2026 - 01 - 01)), Some(date!(2026 - 12 - 31)));
        assert_eq!(
            c.status(date!(2025 - 12 - 31)),
            InsuranceStatus::NotYetValid {
                from: date!(2026 - 01 - 01)
            }
        );
        assert_eq!(
            c.status(date!(2026 - 01 - 01)),
            InsuranceStatus::Valid {
                until: Some(date!(2026 - 12 - 31))
            }
        );
        assert_eq!(
            c.status(date!(2026 - 12 - 01)),
            InsuranceStatus::Valid {
                until: Some(date!(2026 - 12 - 31))
            }
        );
        assert_eq!(
            c.status(date!(2026 - 12 - 02)),
            InsuranceStatus::ExpiresSoon {
                on: date!(2026 - 12 - 31),
                days_left: 29
            }
        );
        assert_eq!(
            c.status(date!(2026 - 12 - 31)),
            InsuranceStatus::ExpiresSoon {
                on: date!(2026 - 12 - 31),
                days_left: 0
            }
        );
        assert_eq!(
            c.status(date!(2027 - 01 - 01)),
            InsuranceStatus::Expired {
                on: date!(2026 - 12 - 31)
            }
        );
        assert_eq!(
            card(None, None).status(date!(2027 - 01 - 01)),
            InsuranceStatus::Valid { until: None }
        );
    }
}
