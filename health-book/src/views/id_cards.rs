//! The person's cards where their data is shown (Home, and a card just scanned): the province
//! the citizen ID was registered in, labelled as such, and the warnings the cards call for, so a
//! screen only renders them (issue 12).

use crate::checkin::ScannedCard;
use crate::ids::{CitizenId, InsuranceCode};
use crate::model::Profile;
use crate::tables::provinces::Province;
use crate::validate::{citizen_id_warning, insurance_group_warning, CardWarning};

/// The province a citizen ID's first three digits name: where the birth was *registered*, under
/// the province's name at registration. The 2025 merger into 34 provinces did not renumber IDs,
/// so this is not where the person lives, nor a province that still exists under that name:
/// screens label it "province at registration", never "province".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProvinceAtRegistration(pub &'static Province);

impl ProvinceAtRegistration {
    pub fn of(id: &CitizenId) -> Option<Self> {
        id.province().map(ProvinceAtRegistration)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdCardsView {
    /// `None` for a prefix that is no province code (a birth registered abroad): the warnings
    /// say so.
    pub province_at_registration: Option<ProvinceAtRegistration>,
    /// Citizen ID first, then the insurance card, then what reading a card's QR reported.
    pub warnings: Vec<CardWarning>,
}

impl IdCardsView {
    /// The cards of a stored profile.
    pub fn new(profile: &Profile) -> Self {
        let insurance = profile
            .health_insurance
            .as_ref()
            .and_then(|card| InsuranceCode::parse(&card.code).ok())
            .and_then(|code| insurance_group_warning(&code));
        IdCardsView {
            province_at_registration: ProvinceAtRegistration::of(&profile.citizen_id),
            warnings: citizen_id_warning(&profile.citizen_id)
                .into_iter()
                .chain(insurance)
                .collect(),
        }
    }

    /// A chip card as read from its QR (which carries no insurance card): the citizen ID's
    /// warning and what the reader left out.
    pub fn of_scanned(card: &ScannedCard) -> Self {
        let id = &card.payload.citizen_id;
        IdCardsView {
            province_at_registration: ProvinceAtRegistration::of(id),
            warnings: citizen_id_warning(id)
                .into_iter()
                .chain(card.warnings.iter().cloned().map(CardWarning::Scan))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkin::{CheckInPayload, ScanWarning};
    use crate::generate::{self, BookShape};
    use crate::model::HealthInsuranceCard;
    use crate::tables::beneficiary_groups::BenefitLevel;

    fn profile(citizen_id: &str, insurance: Option<&str>) -> Profile {
        let mut p = generate::profile(7, &BookShape::records(1));
        p.citizen_id = CitizenId::parse(citizen_id).expect("a well-formed test ID");
        p.health_insurance = insurance.map(|code| HealthInsuranceCard {
            code: code.into(),
            valid_from: None,
            valid_to: None,
            registered_facility: None,
        });
        p
    }

    #[test]
    fn a_known_prefix_names_the_province_at_registration_and_warns_of_nothing() {
        let view = IdCardsView::new(&profile("019090123456", Some("HT3190123456789")));
        assert_eq!(
            view.province_at_registration.map(|p| p.0.name_vi),
            Some("Thái Nguyên")
        );
        assert_eq!(view.warnings, vec![]);
    }

    #[test]
    fn an_id_registered_abroad_and_an_unusual_card_are_warned_of() {
        let view = IdCardsView::new(&profile("840090123456", Some("HN1191922334455")));
        assert_eq!(view.province_at_registration, None);
        assert_eq!(
            view.warnings,
            vec![
                CardWarning::CitizenIdUnknownPrefix { code: "840".into() },
                CardWarning::BenefitLevelUnusual {
                    group: "HN".into(),
                    level: BenefitLevel::L1,
                    expected: BenefitLevel::L2,
                },
            ]
        );
        let unknown_group = IdCardsView::new(&profile("019090123456", Some("XX4190123456789")));
        assert_eq!(
            unknown_group.warnings,
            vec![CardWarning::BeneficiaryGroupUnknown { code: "XX".into() }]
        );
        // The 10-digit card code carries no group: nothing to warn of.
        assert!(
            IdCardsView::new(&profile("019090123456", Some("1922334455")))
                .warnings
                .is_empty()
        );
    }

    #[test]
    fn a_scanned_card_carries_what_the_reader_reported() {
        let card = CheckInPayload::parse_card("840090123456||Nguyễn Văn A|01011990|Nam||1504202")
            .expect("read with a warning");
        let view = IdCardsView::of_scanned(&card);
        assert_eq!(
            view.warnings,
            vec![
                CardWarning::CitizenIdUnknownPrefix { code: "840".into() },
                CardWarning::Scan(ScanWarning::UnreadableIssueDate {
                    raw: "1504202".into()
                }),
            ]
        );
    }
}
