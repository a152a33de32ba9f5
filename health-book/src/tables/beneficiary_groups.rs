//! Health insurance (BHYT) beneficiary groups, the two letters that open a legacy 15-character card
//! code, and the benefit levels, the digit after them.
//!
//! Source: the code list attached to Decision 1351/QĐ-BHXH (2015) as widely reproduced
//! [uncertain: the list has been amended since]. Groups are added by law over time (Law 51/2024,
//! Decree 188/2025): a code not in this table is a warning to show, never a refusal; add its row
//! here.

/// Who pays the contribution for the group, as the decision arranges the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContributionSource {
    /// Employee and employer.
    EmployeeAndEmployer,
    /// The social insurance fund.
    SocialInsuranceFund,
    /// The state budget.
    StateBudget,
    /// The person, with state budget support.
    BudgetSupported,
    /// The household.
    Household,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BeneficiaryGroup {
    /// Two capital letters, e.g. "DN".
    pub code: &'static str,
    pub name_vi: &'static str,
    pub name_en: &'static str,
    pub paid_by: ContributionSource,
}

const fn g(
    code: &'static str,
    paid_by: ContributionSource,
    name_vi: &'static str,
    name_en: &'static str,
) -> BeneficiaryGroup {
    BeneficiaryGroup {
        code,
        name_vi,
        name_en,
        paid_by,
    }
}

use ContributionSource::*;

#[rustfmt::skip]
pub const BENEFICIARY_GROUPS: &[BeneficiaryGroup] = &[
    g("DN", EmployeeAndEmployer, "Người lao động làm việc trong doanh nghiệp", "Employee of an enterprise"),
    g("HX", EmployeeAndEmployer, "Người lao động làm việc trong hợp tác xã", "Employee of a cooperative"),
    g("CH", EmployeeAndEmployer, "Người lao động trong cơ quan nhà nước, đơn vị sự nghiệp, lực lượng vũ trang", "Employee of a state agency, public service unit or the armed forces"),
    g("NN", EmployeeAndEmployer, "Người lao động trong cơ quan, tổ chức nước ngoài, tổ chức quốc tế", "Employee of a foreign or international organisation"),
    g("TK", EmployeeAndEmployer, "Người lao động trong các tổ chức khác", "Employee of another organisation"),
    g("HC", EmployeeAndEmployer, "Cán bộ, công chức, viên chức", "Civil servant or public employee"),
    g("XK", EmployeeAndEmployer, "Người hoạt động không chuyên trách ở xã, phường, thị trấn", "Part-time commune official"),
    g("HT", SocialInsuranceFund, "Người hưởng lương hưu, trợ cấp mất sức lao động hằng tháng", "Pensioner or recipient of monthly incapacity allowance"),
    g("TB", SocialInsuranceFund, "Người hưởng trợ cấp tai nạn lao động, bệnh nghề nghiệp hằng tháng", "Recipient of monthly occupational accident or disease allowance"),
    g("NO", SocialInsuranceFund, "Người lao động nghỉ việc hưởng chế độ ốm đau dài ngày", "Employee on long-term sickness benefit"),
    g("CT", SocialInsuranceFund, "Người từ đủ 80 tuổi trở lên hưởng trợ cấp tuất hằng tháng", "Person aged 80 or over receiving monthly survivor allowance"),
    g("XB", SocialInsuranceFund, "Cán bộ xã đã nghỉ việc hưởng trợ cấp bảo hiểm xã hội hằng tháng", "Retired commune official on monthly social insurance allowance"),
    g("TN", SocialInsuranceFund, "Người đang hưởng trợ cấp thất nghiệp", "Recipient of unemployment benefit"),
    g("CS", SocialInsuranceFund, "Công nhân cao su nghỉ việc hưởng trợ cấp hằng tháng", "Retired rubber worker on monthly allowance"),
    g("QN", StateBudget, "Sĩ quan, quân nhân chuyên nghiệp, hạ sĩ quan, binh sĩ quân đội", "Military officer or soldier"),
    g("CA", StateBudget, "Sĩ quan, hạ sĩ quan, chiến sĩ công an nhân dân", "Police officer"),
    g("CY", StateBudget, "Người làm công tác cơ yếu", "Cipher service staff"),
    g("XN", StateBudget, "Cán bộ xã đã nghỉ việc hưởng trợ cấp hằng tháng từ ngân sách", "Retired commune official on monthly allowance from the state budget"),
    g("MS", StateBudget, "Người đã thôi hưởng trợ cấp mất sức lao động hưởng trợ cấp hằng tháng", "Former incapacity allowance recipient on monthly allowance"),
    g("CC", StateBudget, "Người có công với cách mạng", "Person with meritorious services to the revolution"),
    g("CK", StateBudget, "Người có công với cách mạng (nhóm khác)", "Person with meritorious services (other group)"),
    g("CB", StateBudget, "Cựu chiến binh", "Veteran"),
    g("KC", StateBudget, "Người tham gia kháng chiến và bảo vệ Tổ quốc", "Participant in the resistance or national defence"),
    g("HD", StateBudget, "Đại biểu Quốc hội, Hội đồng nhân dân đương nhiệm", "Serving member of the National Assembly or a People's Council"),
    g("TE", StateBudget, "Trẻ em dưới 6 tuổi", "Child under 6"),
    g("BT", StateBudget, "Người hưởng trợ cấp bảo trợ xã hội hằng tháng", "Recipient of monthly social protection allowance"),
    g("HN", StateBudget, "Người thuộc hộ gia đình nghèo", "Member of a poor household"),
    g("DT", StateBudget, "Người dân tộc thiểu số sống ở vùng kinh tế - xã hội khó khăn", "Ethnic minority person in a disadvantaged area"),
    g("DK", StateBudget, "Người sống ở vùng kinh tế - xã hội đặc biệt khó khăn", "Resident of an extremely disadvantaged area"),
    g("XD", StateBudget, "Người sống ở xã đảo, huyện đảo", "Resident of an island commune or district"),
    g("TS", StateBudget, "Thân nhân của liệt sĩ", "Relative of a martyr"),
    g("TC", StateBudget, "Thân nhân của người có công với cách mạng", "Relative of a person with meritorious services"),
    g("TQ", StateBudget, "Thân nhân của quân nhân", "Relative of a service member"),
    g("TA", StateBudget, "Thân nhân của công an nhân dân", "Relative of a police officer"),
    g("TY", StateBudget, "Thân nhân của người làm công tác cơ yếu", "Relative of cipher service staff"),
    g("HG", StateBudget, "Người đã hiến bộ phận cơ thể người", "Organ donor"),
    g("LS", StateBudget, "Người nước ngoài học tập tại Việt Nam có học bổng ngân sách", "Foreign student on a Vietnamese state scholarship"),
    g("PV", StateBudget, "Người phục vụ người có công với cách mạng", "Carer of a person with meritorious services"),
    g("CN", BudgetSupported, "Người thuộc hộ gia đình cận nghèo", "Member of a near-poor household"),
    g("HS", BudgetSupported, "Học sinh", "Pupil"),
    g("SV", BudgetSupported, "Sinh viên", "Student"),
    g("GB", BudgetSupported, "Hộ gia đình nông, lâm, ngư, diêm nghiệp có mức sống trung bình", "Farming, forestry, fishing or salt household of average living standard"),
    g("GD", Household, "Người tham gia bảo hiểm y tế theo hộ gia đình", "Household-based participant"),
];

pub fn by_code(code: &str) -> Option<&'static BeneficiaryGroup> {
    BENEFICIARY_GROUPS.iter().find(|g| g.code == code)
}

/// The benefit level digit of a legacy card code: how much of the cost insurance pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BenefitLevel {
    L1,
    L2,
    L3,
    L4,
    L5,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BenefitLevelInfo {
    pub level: BenefitLevel,
    pub digit: u8,
    /// Share of the covered cost paid by insurance, in percent.
    pub coverage_percent: u8,
    /// Whether high-cost services are capped.
    pub capped: bool,
    /// Whether services outside the standard scope are covered too.
    pub covers_outside_scope: bool,
    pub name_vi: &'static str,
    pub name_en: &'static str,
}

#[rustfmt::skip]
pub const BENEFIT_LEVELS: [BenefitLevelInfo; 5] = [
    BenefitLevelInfo { level: BenefitLevel::L1, digit: 1, coverage_percent: 100, capped: false, covers_outside_scope: false, name_vi: "100% chi phí, không giới hạn", name_en: "100% of costs, uncapped" },
    BenefitLevelInfo { level: BenefitLevel::L2, digit: 2, coverage_percent: 100, capped: true, covers_outside_scope: false, name_vi: "100% chi phí, có giới hạn dịch vụ kỹ thuật cao", name_en: "100% of costs, high-tech services capped" },
    BenefitLevelInfo { level: BenefitLevel::L3, digit: 3, coverage_percent: 95, capped: true, covers_outside_scope: false, name_vi: "95% chi phí", name_en: "95% of costs" },
    BenefitLevelInfo { level: BenefitLevel::L4, digit: 4, coverage_percent: 80, capped: true, covers_outside_scope: false, name_vi: "80% chi phí", name_en: "80% of costs" },
    BenefitLevelInfo { level: BenefitLevel::L5, digit: 5, coverage_percent: 100, capped: false, covers_outside_scope: true, name_vi: "100% chi phí, kể cả ngoài phạm vi được hưởng", name_en: "100% of costs, including services outside the standard scope" },
];

/// The benefit level each group's card carries by default (Decision 1351/QĐ-BHXH); every group
/// not listed here is at level 4.
pub const DEFAULT_BENEFIT_LEVELS: &[(BenefitLevel, &[&str])] = &[
    (BenefitLevel::L1, &["CC", "TE"]),
    (
        BenefitLevel::L2,
        &["CK", "CB", "KC", "HN", "DT", "DK", "XD", "BT", "TS"],
    ),
    (BenefitLevel::L3, &["HT", "TC", "CN"]),
    (BenefitLevel::L5, &["QN", "CA", "CY"]),
];

impl BeneficiaryGroup {
    /// The benefit level a card of this group carries by default.
    pub fn default_benefit_level(&self) -> BenefitLevel {
        DEFAULT_BENEFIT_LEVELS
            .iter()
            .find(|(_, codes)| codes.contains(&self.code))
            .map_or(BenefitLevel::L4, |(level, _)| *level)
    }
}

impl BenefitLevel {
    pub fn from_digit(digit: char) -> Option<BenefitLevel> {
        BENEFIT_LEVELS
            .iter()
            .find(|l| char::from(b'0' + l.digit) == digit)
            .map(|l| l.level)
    }

    pub fn info(self) -> &'static BenefitLevelInfo {
        &BENEFIT_LEVELS[self as usize]
    }

    pub fn digit(self) -> u8 {
        self.info().digit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_two_capitals_and_unique() {
        for (i, g) in BENEFICIARY_GROUPS.iter().enumerate() {
            assert!(
                g.code.len() == 2 && g.code.bytes().all(|b| b.is_ascii_uppercase()),
                "{}",
                g.code
            );
            assert!(
                BENEFICIARY_GROUPS[i + 1..].iter().all(|o| o.code != g.code),
                "duplicate {}",
                g.code
            );
        }
        for code in ["DN", "HC", "HT", "TE", "HS", "GD", "HN", "CN", "QN", "CA"] {
            assert!(
                by_code(code).is_some(),
                "{code} from the domain notes is missing"
            );
        }
        assert!(by_code("ZZ").is_none());
    }

    #[test]
    fn default_levels_follow_decision_1351() {
        let level = |code: &str| by_code(code).map(BeneficiaryGroup::default_benefit_level);
        assert_eq!(level("TE"), Some(BenefitLevel::L1));
        assert_eq!(level("HN"), Some(BenefitLevel::L2), "poor households");
        assert_eq!(level("CN"), Some(BenefitLevel::L3), "near-poor households");
        assert_eq!(level("HT"), Some(BenefitLevel::L3));
        assert_eq!(level("QN"), Some(BenefitLevel::L5));
        assert_eq!(level("DN"), Some(BenefitLevel::L4));
        assert_eq!(level("GD"), Some(BenefitLevel::L4));
        for (_, codes) in DEFAULT_BENEFIT_LEVELS {
            for code in *codes {
                assert!(by_code(code).is_some(), "{code} has a level but no row");
            }
        }
    }

    #[test]
    fn benefit_levels_line_up_with_their_digits() {
        for (i, info) in BENEFIT_LEVELS.iter().enumerate() {
            assert_eq!(info.level as usize, i);
            assert_eq!(info.digit as usize, i + 1);
        }
        assert_eq!(
            BenefitLevel::from_digit('4').map(|l| l.info().coverage_percent),
            Some(80)
        );
        assert_eq!(
            BenefitLevel::from_digit('3').map(|l| l.info().coverage_percent),
            Some(95)
        );
        assert_eq!(BenefitLevel::from_digit('0'), None);
        assert_eq!(BenefitLevel::from_digit('6'), None);
    }
}
