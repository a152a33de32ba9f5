//! What a status the core computes says to the person: one mapping each, used by every screen
//! that shows it.

use health_book::insurance::InsuranceStatus;
use health_book::schedule::DoseStatus;
use health_book::tables::schedule::AgeOffset;
use health_book::validate::CardWarning;
use health_book::views::vaccinations::DoseInSeries;
use health_book::{BloodGroup, PrescriptionKind, RecordOrigin};

use super::Msg;

/// A dose's status (Home's next vaccination and the childhood schedule).
pub fn dose_status_msg(status: DoseStatus, today: time::Date) -> Msg {
    match status {
        DoseStatus::Done(on) => Msg::ScheduleDone { on },
        DoseStatus::Due { from, until } => Msg::ScheduleDue { from, until },
        DoseStatus::Overdue { since } => Msg::ScheduleOverdue {
            since,
            days: (today - since).whole_days(),
        },
        DoseStatus::NotYetDue { from } => Msg::ScheduleNotYetDue { from },
        DoseStatus::NotRecorded { .. } => Msg::ScheduleNotRecorded,
        DoseStatus::DependsOnRollout { from } => Msg::ScheduleDependsOnRollout { from },
    }
}

/// What an insurance card's status says to the person (Home card and the check-in screen).
pub fn insurance_status_msg(status: InsuranceStatus) -> Msg {
    match status {
        InsuranceStatus::Valid { until: Some(on) } => Msg::InsuranceValidUntil { on },
        InsuranceStatus::Valid { until: None } => Msg::InsuranceValid,
        InsuranceStatus::ExpiresSoon { on, days_left } => Msg::InsuranceExpiresIn {
            days: days_left,
            on,
        },
        InsuranceStatus::Expired { on } => Msg::InsuranceExpired { on },
        InsuranceStatus::NotYetValid { from } => Msg::InsuranceNotYetValid { from },
    }
}

/// A blood group as printed on cards, the same in both languages (with a true minus sign).
pub fn blood_group_label(group: BloodGroup) -> &'static str {
    use BloodGroup::*;
    match group {
        APositive => "A+",
        ANegative => "A−",
        BPositive => "B+",
        BNegative => "B−",
        AbPositive => "AB+",
        AbNegative => "AB−",
        OPositive => "O+",
        ONegative => "O−",
    }
}

/// Where a record came from, in words: the health system, a file, staff (name, device, time)
/// or the person themself.
pub fn origin_msg(origin: &RecordOrigin) -> Msg {
    Msg::RecordProvenance(origin.clone())
}

/// Where a record came from, as the export's record-origin code (for `data-origin` on marks).
pub fn origin_kind(origin: &RecordOrigin) -> &'static str {
    match origin {
        RecordOrigin::Synced { .. } => "synced",
        RecordOrigin::Imported => "imported",
        RecordOrigin::EnteredByStaff { .. } => "entered-by-staff",
        RecordOrigin::SelfReported { .. } => "self-reported",
    }
}

/// What a card warning says to the person (Home, the check-in screen, the import preview and
/// the scan screen): warnings, never refusals (issue 12).
pub fn card_warning_msg(warning: &CardWarning) -> Msg {
    match warning {
        CardWarning::CitizenIdUnknownPrefix { code } => {
            Msg::CitizenIdUnknownPrefix { code: code.clone() }
        }
        CardWarning::BeneficiaryGroupUnknown { code } => {
            Msg::InsuranceGroupUnknown { code: code.clone() }
        }
        CardWarning::BenefitLevelUnusual {
            group,
            level,
            expected,
        } => Msg::InsuranceLevelUnusual {
            group: group.clone(),
            level: level.digit(),
            expected: expected.digit(),
        },
        CardWarning::Scan(warning) => super::errors::scan_warning_msg(warning),
    }
}

/// A dose number, with the series length when the record names it (the rule is the core's
/// [`DoseInSeries`]).
pub fn dose_msg(dose: Option<u32>, of: Option<u32>) -> Option<Msg> {
    DoseInSeries::from_numbers(dose, of).map(dose_in_series_msg)
}

pub fn dose_in_series_msg(dose: DoseInSeries) -> Msg {
    match dose {
        DoseInSeries::Of { k, n } => Msg::DoseOf { k, n },
        DoseInSeries::Number(k) => Msg::DoseNumber { k },
    }
}

/// The age a schedule row is due at.
pub fn age_msg(age: AgeOffset) -> Msg {
    match (age.months, age.days) {
        (0, 0) => Msg::AgeAtBirth,
        (months, 0) => Msg::AgeInMonths { months },
        (0, days) if days % 7 == 0 && days >= 28 => Msg::AgeInMonthsAndDays { months: 0, days },
        (months, days) => Msg::AgeInMonthsAndDays { months, days },
    }
}

/// A prescription's legal kind.
pub fn kind_msg(kind: PrescriptionKind) -> Msg {
    match kind {
        PrescriptionKind::Basic => Msg::KindBasic,
        PrescriptionKind::Narcotic => Msg::KindNarcotic,
        PrescriptionKind::Psychotropic => Msg::KindPsychotropic,
        PrescriptionKind::Traditional => Msg::KindTraditional,
    }
}
