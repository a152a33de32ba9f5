//! `ServiceRequest` (a referral) to a referral slip of the book.

use super::super::care_resources::{ServiceRequest, REFERRAL_CATEGORY_CODE};
use super::*;
use crate::model::{self, RecordId, ReferralStatus};

/// Whether a ServiceRequest is a referral: categorised "Patient referral", or sent to another
/// facility (a performer) with no category at all. Other orders (a lab test) are not slips.
pub(super) fn is_referral(s: &ServiceRequest) -> bool {
    let coded = s
        .category
        .iter()
        .flat_map(|c| &c.coding)
        .any(|c| c.code.as_deref() == Some(REFERRAL_CATEGORY_CODE));
    coded || (s.category.is_empty() && !s.performer.is_empty())
}

fn status(code: Option<&str>) -> Option<ReferralStatus> {
    Some(match code.unwrap_or("active") {
        "completed" => ReferralStatus::Completed,
        "revoked" => ReferralStatus::Revoked,
        "entered-in-error" => return None,
        // draft, active, on-hold, unknown.
        _ => ReferralStatus::Active,
    })
}

impl Reader<'_> {
    pub(super) fn referral(
        &mut self,
        s: &ServiceRequest,
        entry: usize,
    ) -> Result<model::Referral, SkipReason> {
        if !is_referral(s) {
            return Err(SkipReason::Unsupported);
        }
        let status = status(s.status.as_deref()).ok_or(SkipReason::NotCompleted {
            status: "entered-in-error".into(),
        })?;
        let issued_text = s
            .authored_on
            .as_ref()
            .or(s.occurrence_period.as_ref().and_then(|p| p.start.as_ref()))
            .ok_or(SkipReason::NoDate)?;
        let issued_on = parse_date(issued_text).ok_or(SkipReason::InvalidDate {
            value: issued_text.clone(),
        })?;
        let valid_until = s
            .occurrence_period
            .as_ref()
            .and_then(|p| p.end.as_deref())
            .and_then(parse_date);
        let unnamed = || Facility {
            code: None,
            name: String::new(),
        };
        let from = s
            .requester
            .as_ref()
            .and_then(|r| self.facility_or_display(r))
            .unwrap_or_else(unnamed);
        let to = s
            .performer
            .iter()
            .find_map(|r| self.facility_or_display(r))
            .unwrap_or_else(unnamed);
        let id = identifier_value(&s.identifier, RECORD_ID_SYSTEM)
            .or_else(|| s.id.clone())
            .unwrap_or_else(|| format!("servicerequest-{entry}"));
        let code = s
            .identifier
            .iter()
            .find(|i| i.system.as_deref() != Some(RECORD_ID_SYSTEM))
            .and_then(|i| i.value.clone());
        Ok(model::Referral {
            id: RecordId(id),
            code,
            issued_on,
            from,
            to,
            reason: s.reason_code.iter().find_map(concept_text),
            valid_until,
            status,
            recorded_by: self.origin(&s.extension),
        })
    }
}
