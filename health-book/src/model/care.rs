//! What comes next in a person's care: re-examination appointments (FHIR `Appointment`) and
//! referral slips ("giấy chuyển tuyến", FHIR `ServiceRequest`).

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::{dates, Facility, RecordId, RecordOrigin};

/// The appointments and referrals of a book. Few per person, so they travel with the book's
/// header rather than one storage row each.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CareRecords {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub appointments: Vec<Appointment>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub referrals: Vec<Referral>,
}

impl CareRecords {
    pub fn is_empty(&self) -> bool {
        self.appointments.is_empty() && self.referrals.is_empty()
    }
}

/// A re-examination ("tái khám") or other visit booked at a facility.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appointment {
    pub id: RecordId,
    pub when: AppointmentTime,
    pub status: AppointmentStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facility: Option<Facility>,
    /// Why the visit is booked, as written ("Tái khám tăng huyết áp").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub recorded_by: RecordOrigin,
}

/// A re-examination is often given as a day only ("tái khám sau 30 ngày"); a booked slot has a
/// time too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum AppointmentTime {
    Day {
        #[serde(with = "dates::date")]
        on: Date,
    },
    At {
        #[serde(with = "dates::timestamp")]
        at: OffsetDateTime,
    },
}
crate::tag_first!(AppointmentTime, "kind");

impl AppointmentTime {
    /// The calendar day of the visit, in the time zone it was booked in.
    pub fn date(self) -> Date {
        match self {
            AppointmentTime::Day { on } => on,
            AppointmentTime::At { at } => at.date(),
        }
    }
}

/// The FHIR `Appointment.status` values a person needs told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
    /// Proposed or pending: a date the doctor gave, not yet a booked slot.
    Proposed,
    Booked,
    /// The visit took place (arrived, checked-in, fulfilled).
    Fulfilled,
    Cancelled,
    NoShow,
}

impl AppointmentStatus {
    /// Whether the visit is still ahead of the person (or missed without being cancelled).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            AppointmentStatus::Proposed | AppointmentStatus::Booked
        )
    }
}

/// A referral slip: sent from one facility to another, for a reason, valid for a time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    pub id: RecordId,
    /// The slip's number, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(with = "dates::date")]
    pub issued_on: Date,
    pub from: Facility,
    pub to: Facility,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Last day the slip can be used, as written on it. The rules for how long a slip is valid
    /// vary by case, so the book keeps the slip's own date and computes none.
    #[serde(
        default,
        with = "dates::date::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub valid_until: Option<Date>,
    pub status: ReferralStatus,
    pub recorded_by: RecordOrigin,
}

/// The FHIR `ServiceRequest.status` values a person needs told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    Active,
    /// Used: the receiving facility saw the person.
    Completed,
    /// Withdrawn or entered in error.
    Revoked,
}
