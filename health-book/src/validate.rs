//! Checks a book, or one of its parts, and lists what is wrong with it.
//!
//! Each finding names the field (a path such as `vaccinations[3].date`), how serious it is, and a
//! typed kind: the app translates kinds into the reader's language, so nothing here is a sentence
//! meant for people. Errors are values the book should not keep (a dose dated before birth);
//! warnings are likely slips the person or staff should look at (a citizen ID whose birth year
//! disagrees with the date of birth) but that may be right.
//!
//! Nothing reads the clock: `today` comes in through [`ValidationContext`].

use std::collections::HashMap;

use time::Date;

use crate::calendar::add_days;
use crate::checkin::ScanWarning;
use crate::ids::{
    CitizenId, CitizenIdError, CitizenIdMismatch, InsuranceCode, InsuranceCodeError,
    PrescriptionCode, PrescriptionCodeError,
};
use crate::model::{
    HealthBook, HealthInsuranceCard, Prescription, PrescriptionKind, Profile, Sex, Vaccination,
};
use crate::tables::beneficiary_groups::BenefitLevel;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Field path from the validated value: `profile.citizen_id`, `vaccinations[3].date`,
    /// `prescriptions[0].medicines[2].name`.
    pub path: String,
    pub severity: Severity,
    pub kind: FindingKind,
}

impl Finding {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// What is wrong, for the app to translate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FindingKind {
    /// A name, vaccine or medicine with nothing in it.
    Empty,
    /// Text not in Unicode NFC: search and the check-in QR would treat it as another name.
    NotNfc,
    /// The citizen ID no longer passes the rules (for instance after a table correction).
    CitizenIdInvalid(CitizenIdError),
    /// The citizen ID's birth year or sex disagrees with the profile.
    CitizenIdDisagrees(CitizenIdMismatch),
    /// What a card says that the person should know, never a refusal (issue 12).
    Card(CardWarning),
    InsuranceCodeInvalid(InsuranceCodeError),
    /// The insurance card's validity ends before it starts.
    ValidityReversed {
        valid_from: Date,
        valid_to: Date,
    },
    PrescriptionCodeInvalid(PrescriptionCodeError),
    /// The prescription's type letter and its recorded kind differ.
    PrescriptionKindDisagrees {
        code_says: PrescriptionKind,
        recorded: PrescriptionKind,
    },
    /// A date earlier than the person's birth.
    BeforeBirth {
        date: Date,
        date_of_birth: Date,
    },
    /// A date later than today, beyond the allowed clock skew.
    InFuture {
        date: Date,
        today: Date,
    },
    /// A count that must be at least 1 is 0.
    Zero,
    /// The dose number is larger than the number of doses in the series.
    DoseAboveSeries {
        dose_number: u32,
        series_doses: u32,
    },
    /// The next dose is due on or before the dose itself.
    NextDoseNotAfterDose {
        date: Date,
        next_dose_due: Date,
    },
    /// The follow-up visit is before the prescription was issued.
    BeforeIssue {
        issued_on: Date,
        date: Date,
    },
    /// A prescription without medicines.
    NoMedicines,
    /// A diagnosis code that is not shaped like an ICD-10 code ("J06.9").
    NotIcd10 {
        code: String,
    },
    /// Two records of the book share an id; the one at `first` came first. Refresh replaces
    /// records by id, so one of them would be lost.
    DuplicateRecordId {
        first: String,
    },
    // Typed-in records (issue 15)
    /// A form field that must hold a whole number holds this text.
    NotANumber {
        text: String,
    },
    /// A form field that must hold a date holds this text.
    NotADate {
        text: String,
    },
}

/// Something on a card (the citizen ID card, the health insurance card, or a card's QR as read)
/// to show the person: a warning, never a reason to refuse a book, a check-in code or a sync.
/// One type for every screen that shows card data (Home, check-in, import, scan).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardWarning {
    /// The citizen ID's first three digits are not a province code: a birth registered abroad
    /// carries a country code (Decree 137/2015 art. 13), or the table lacks it.
    CitizenIdUnknownPrefix { code: String },
    /// A legacy card's beneficiary group is not in the table (groups are added by law).
    BeneficiaryGroupUnknown { code: String },
    /// A legacy card's benefit level is not the default for its group (Decision 1351/QĐ-BHXH):
    /// a likely typing slip, or a card worth checking at the desk.
    BenefitLevelUnusual {
        group: String,
        level: BenefitLevel,
        expected: BenefitLevel,
    },
    /// What reading a card's QR left out or read another way.
    Scan(ScanWarning),
}

/// The warning a citizen ID calls for: a prefix that is no province code. The one rule, for the
/// book's checks, Home and the check-in screen.
pub fn citizen_id_warning(id: &CitizenId) -> Option<CardWarning> {
    id.province()
        .is_none()
        .then(|| CardWarning::CitizenIdUnknownPrefix {
            code: id.province_code().to_string(),
        })
}

/// What the checks need to know about the world.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidationContext {
    pub today: Date,
    /// Dates up to this many days after `today` are accepted: phones with a wrong clock or time
    /// zone, and records entered just after midnight elsewhere.
    pub clock_skew_days: u32,
}

impl ValidationContext {
    pub fn new(today: Date) -> Self {
        ValidationContext {
            today,
            clock_skew_days: 1,
        }
    }

    fn latest_allowed(&self) -> Date {
        add_days(self.today, i64::from(self.clock_skew_days))
    }
}

struct Sink<'a> {
    prefix: &'a str,
    findings: Vec<Finding>,
}

impl Sink<'_> {
    fn push(&mut self, field: &str, severity: Severity, kind: FindingKind) {
        let path = match (self.prefix.is_empty(), field.is_empty()) {
            (true, _) => field.to_string(),
            (false, true) => self.prefix.to_string(),
            (false, false) => format!("{}.{}", self.prefix, field),
        };
        self.findings.push(Finding {
            path,
            severity,
            kind,
        });
    }

    fn error(&mut self, field: &str, kind: FindingKind) {
        self.push(field, Severity::Error, kind);
    }

    fn warning(&mut self, field: &str, kind: FindingKind) {
        self.push(field, Severity::Warning, kind);
    }

    fn date_in_life(
        &mut self,
        field: &str,
        date: Date,
        date_of_birth: Date,
        ctx: &ValidationContext,
    ) {
        if date < date_of_birth {
            self.error(
                field,
                FindingKind::BeforeBirth {
                    date,
                    date_of_birth,
                },
            );
        }
        if date > ctx.latest_allowed() {
            self.error(
                field,
                FindingKind::InFuture {
                    date,
                    today: ctx.today,
                },
            );
        }
    }

    fn text(&mut self, field: &str, text: &str) {
        if text.trim().is_empty() {
            self.error(field, FindingKind::Empty);
        } else if !crate::text::is_nfc(text) {
            self.warning(field, FindingKind::NotNfc);
        }
    }
}

/// Everything in a book. Paths start at the book: `profile.…`, `vaccinations[i].…`,
/// `prescriptions[i].…`.
pub fn validate_book(book: &HealthBook, ctx: &ValidationContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    let dob = book.profile.date_of_birth;
    findings.extend(profile_findings("profile", &book.profile, ctx));
    let mut seen: HashMap<&str, String> = HashMap::new();
    for (i, v) in book.vaccinations.iter().enumerate() {
        let prefix = format!("vaccinations[{i}]");
        duplicate_id(&mut seen, v.id.as_str(), &prefix, &mut findings);
        findings.extend(vaccination_findings(&prefix, v, dob, ctx));
    }
    for (i, p) in book.prescriptions.iter().enumerate() {
        let prefix = format!("prescriptions[{i}]");
        duplicate_id(&mut seen, p.id.as_str(), &prefix, &mut findings);
        findings.extend(prescription_findings(&prefix, p, dob, ctx));
    }
    findings
}

fn duplicate_id<'a>(
    seen: &mut HashMap<&'a str, String>,
    id: &'a str,
    path: &str,
    findings: &mut Vec<Finding>,
) {
    match seen.get(id) {
        Some(first) => findings.push(Finding {
            path: format!("{path}.id"),
            severity: Severity::Error,
            kind: FindingKind::DuplicateRecordId {
                first: first.clone(),
            },
        }),
        None => {
            seen.insert(id, format!("{path}.id"));
        }
    }
}

/// A profile on its own (the profile form): paths are the profile's fields, `citizen_id`.
pub fn validate_profile(profile: &Profile, ctx: &ValidationContext) -> Vec<Finding> {
    profile_findings("", profile, ctx)
}

/// One vaccination (the record form): paths are its fields, `date`.
pub fn validate_vaccination(
    vaccination: &Vaccination,
    date_of_birth: Date,
    ctx: &ValidationContext,
) -> Vec<Finding> {
    vaccination_findings("", vaccination, date_of_birth, ctx)
}

/// One prescription: paths are its fields, `code`, `medicines[0].name`.
pub fn validate_prescription(
    prescription: &Prescription,
    date_of_birth: Date,
    ctx: &ValidationContext,
) -> Vec<Finding> {
    prescription_findings("", prescription, date_of_birth, ctx)
}

/// Warnings where the citizen ID's birth year or sex disagrees with the profile's, at path
/// `citizen_id`. Never an error: the person may have mistyped either field.
pub fn citizen_id_agreement(citizen_id: &CitizenId, date_of_birth: Date, sex: Sex) -> Vec<Finding> {
    citizen_id
        .check_agreement(date_of_birth, sex)
        .into_iter()
        .map(|m| Finding {
            path: "citizen_id".into(),
            severity: Severity::Warning,
            kind: FindingKind::CitizenIdDisagrees(m),
        })
        .collect()
}

fn profile_findings(prefix: &str, p: &Profile, ctx: &ValidationContext) -> Vec<Finding> {
    let mut s = Sink {
        prefix,
        findings: Vec::new(),
    };
    s.text("full_name", &p.full_name);
    if p.date_of_birth > ctx.latest_allowed() {
        s.error(
            "date_of_birth",
            FindingKind::InFuture {
                date: p.date_of_birth,
                today: ctx.today,
            },
        );
    }
    match CitizenId::parse(p.citizen_id.as_str()) {
        Err(e) => s.error("citizen_id", FindingKind::CitizenIdInvalid(e)),
        Ok(id) => {
            if let Some(warning) = citizen_id_warning(&id) {
                s.warning("citizen_id", FindingKind::Card(warning));
            }
            for m in id.check_agreement(p.date_of_birth, p.sex) {
                s.warning("citizen_id", FindingKind::CitizenIdDisagrees(m));
            }
        }
    }
    if let Some(issued) = p.card_issued_on {
        s.date_in_life("card_issued_on", issued, p.date_of_birth, ctx);
    }
    if let Some(card) = &p.health_insurance {
        insurance_findings(&mut s, card);
    }
    if let Some(address) = &p.address {
        if !address.trim().is_empty() && !crate::text::is_nfc(address) {
            s.warning("address", FindingKind::NotNfc);
        }
    }
    if let Some(contact) = &p.emergency_contact {
        s.text("emergency_contact.name", &contact.name);
        if contact.phone.trim().is_empty() {
            s.error("emergency_contact.phone", FindingKind::Empty);
        }
    }
    s.findings
}

fn insurance_findings(s: &mut Sink<'_>, card: &HealthInsuranceCard) {
    match InsuranceCode::parse(&card.code) {
        Err(e) => s.error(
            "health_insurance.code",
            FindingKind::InsuranceCodeInvalid(e),
        ),
        Ok(code) => {
            if let Some(warning) = insurance_group_warning(&code) {
                s.warning("health_insurance.code", FindingKind::Card(warning));
            }
        }
    }
    if let (Some(valid_from), Some(valid_to)) = (card.valid_from, card.valid_to) {
        if valid_from > valid_to {
            s.error(
                "health_insurance.valid_to",
                FindingKind::ValidityReversed {
                    valid_from,
                    valid_to,
                },
            );
        }
    }
}

/// What a legacy card's group and level call for: an unknown group, or a level that is not its
/// group's default. Shared by the book's checks, Home and the check-in screen.
pub fn insurance_group_warning(code: &InsuranceCode) -> Option<CardWarning> {
    let group_code = code.beneficiary_group_code()?;
    let level = code.benefit_level()?;
    match code.beneficiary_group() {
        None => Some(CardWarning::BeneficiaryGroupUnknown {
            code: group_code.to_string(),
        }),
        Some(group) if group.default_benefit_level() != level => {
            Some(CardWarning::BenefitLevelUnusual {
                group: group.code.to_string(),
                level,
                expected: group.default_benefit_level(),
            })
        }
        Some(_) => None,
    }
}

fn vaccination_findings(
    prefix: &str,
    v: &Vaccination,
    dob: Date,
    ctx: &ValidationContext,
) -> Vec<Finding> {
    let mut s = Sink {
        prefix,
        findings: Vec::new(),
    };
    if v.vaccine.code.trim().is_empty() && v.vaccine.display.trim().is_empty() {
        s.error("vaccine", FindingKind::Empty);
    }
    s.date_in_life("date", v.date, dob, ctx);
    if v.dose_number == Some(0) {
        s.error("dose_number", FindingKind::Zero);
    }
    if v.series_doses == Some(0) {
        s.error("series_doses", FindingKind::Zero);
    }
    if let (Some(dose_number), Some(series_doses)) = (v.dose_number, v.series_doses) {
        if series_doses > 0 && dose_number > series_doses {
            s.error(
                "dose_number",
                FindingKind::DoseAboveSeries {
                    dose_number,
                    series_doses,
                },
            );
        }
    }
    if let Some(next) = v.next_dose_due {
        if next <= v.date {
            s.warning(
                "next_dose_due",
                FindingKind::NextDoseNotAfterDose {
                    date: v.date,
                    next_dose_due: next,
                },
            );
        }
    }
    s.findings
}

fn prescription_findings(
    prefix: &str,
    p: &Prescription,
    dob: Date,
    ctx: &ValidationContext,
) -> Vec<Finding> {
    let mut s = Sink {
        prefix,
        findings: Vec::new(),
    };
    // A paper slip typed in on the device may have no national code; one it has must be valid.
    let uncoded_entry = p.code.trim().is_empty() && p.recorded_by.is_device_entry();
    match PrescriptionCode::parse(&p.code) {
        Err(_) if uncoded_entry => {}
        Err(e) => s.error("code", FindingKind::PrescriptionCodeInvalid(e)),
        Ok(code) if code.kind() != p.kind => s.warning(
            "kind",
            FindingKind::PrescriptionKindDisagrees {
                code_says: code.kind(),
                recorded: p.kind,
            },
        ),
        Ok(_) => {}
    }
    let issued_on = p.issued_at.date();
    s.date_in_life("issued_at", issued_on, dob, ctx);
    if let Some(date) = p.re_examination_on {
        if date < issued_on {
            s.error(
                "re_examination_on",
                FindingKind::BeforeIssue { issued_on, date },
            );
        }
    }
    if p.medicines.is_empty() {
        s.warning("medicines", FindingKind::NoMedicines);
    }
    for (i, m) in p.medicines.iter().enumerate() {
        if m.name.trim().is_empty() {
            s.error(&format!("medicines[{i}].name"), FindingKind::Empty);
        }
        if m.duration_days == Some(0) {
            s.warning(&format!("medicines[{i}].duration_days"), FindingKind::Zero);
        }
        if m.dosage.times_per_day == Some(0) {
            s.warning(
                &format!("medicines[{i}].dosage.times_per_day"),
                FindingKind::Zero,
            );
        }
    }
    for (i, d) in p.diagnoses.iter().enumerate() {
        if !is_icd10_shaped(&d.icd10) {
            s.warning(
                &format!("diagnoses[{i}].icd10"),
                FindingKind::NotIcd10 {
                    code: d.icd10.clone(),
                },
            );
        }
    }
    s.findings
}

/// A letter, two digits, then optionally a dot and one or two more characters ("A09", "J06.9",
/// "E11.65", "U07.1"). Vietnamese software also writes the code without the dot ("J069").
pub fn is_icd10_shaped(code: &str) -> bool {
    let b = code.trim().as_bytes();
    if b.len() < 3
        || !b[0].is_ascii_uppercase()
        || !b[1].is_ascii_digit()
        || !b[2].is_ascii_alphanumeric()
    {
        return false;
    }
    let rest = &b[3..];
    let rest = rest.strip_prefix(b".").unwrap_or(rest);
    rest.len() <= 2
        && rest.iter().all(u8::is_ascii_alphanumeric)
        && !(b.len() > 3 && b[3] == b'.' && rest.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{self, BookShape};
    use crate::model::*;
    use time::macros::{date, datetime};

    fn ctx() -> ValidationContext {
        ValidationContext::new(date!(2026 - 01 - 15))
    }

    fn kinds(findings: &[Finding]) -> Vec<(&str, Severity, &FindingKind)> {
        findings
            .iter()
            .map(|f| (f.path.as_str(), f.severity, &f.kind))
            .collect()
    }

    fn a_book() -> HealthBook {
        generate::book(42, &BookShape::records(20))
    }

    #[test]
    fn generated_books_have_no_errors() {
        for seed in 0..30 {
            for shape in [
                BookShape::records(30),
                BookShape::child(20),
                BookShape::adult_with_history(5),
            ] {
                let b = generate::book(seed, &shape);
                let errors: Vec<_> = validate_book(&b, &ctx())
                    .into_iter()
                    .filter(Finding::is_error)
                    .collect();
                assert!(errors.is_empty(), "seed {seed}: {errors:?}");
            }
        }
    }

    #[test]
    fn citizen_id_disagreeing_with_birth_year_and_sex_is_a_warning() {
        let mut b = a_book();
        b.profile.citizen_id = CitizenId::parse("019185001234").unwrap(); // woman born 1985
        b.profile.date_of_birth = date!(1958 - 03 - 02);
        b.profile.sex = Sex::Male;
        let findings = validate_book(&b, &ctx());
        let on_id: Vec<_> = findings
            .iter()
            .filter(|f| f.path == "profile.citizen_id")
            .collect();
        assert_eq!(on_id.len(), 2, "{findings:?}");
        assert!(on_id.iter().all(|f| f.severity == Severity::Warning));
        assert!(on_id.iter().any(|f| f.kind
            == FindingKind::CitizenIdDisagrees(CitizenIdMismatch::BirthYear {
                id_says: 1985,
                profile_says: 1958
            })));
        let standalone =
            citizen_id_agreement(&b.profile.citizen_id, b.profile.date_of_birth, Sex::Female);
        assert_eq!(standalone.len(), 1);
        assert_eq!(standalone[0].path, "citizen_id");
    }

    #[test]
    fn insurance_code_and_validity() {
        let mut b = a_book();
        b.profile.health_insurance = Some(HealthInsuranceCard {
            code: "XX4190123456789".into(),
            valid_from: Some(date!(2026 - 01 - 01)),
            valid_to: Some(date!(2025 - 12 - 31)),
            registered_facility: None,
        });
        let f = validate_book(&b, &ctx());
        // Issue 12 changed this fact: an unknown group is a warning, no longer an error.
        assert!(kinds(&f).contains(&(
            "profile.health_insurance.code",
            Severity::Warning,
            &FindingKind::Card(CardWarning::BeneficiaryGroupUnknown { code: "XX".into() })
        )));
        assert!(f
            .iter()
            .all(|f| f.path != "profile.health_insurance.code" || !f.is_error()));
        assert!(f
            .iter()
            .any(|f| f.path == "profile.health_insurance.valid_to"
                && matches!(f.kind, FindingKind::ValidityReversed { .. })));
        // Both card forms pass. (Issue 12: poor households are at level 2, so the legacy
        // example, formerly "HN 1", is "HN 2".)
        for code in ["HN 2 19 1922334455", "1922334455"] {
            b.profile.health_insurance = Some(HealthInsuranceCard {
                code: code.into(),
                valid_from: Some(date!(2026 - 01 - 01)),
                valid_to: Some(date!(2026 - 12 - 31)),
                registered_facility: None,
            });
            assert!(validate_profile(&b.profile, &ctx())
                .iter()
                .all(|f| !f.path.starts_with("health_insurance")));
        }
    }

    #[test]
    fn a_level_other_than_the_groups_default_is_a_warning() {
        let mut b = a_book();
        b.profile.health_insurance = Some(HealthInsuranceCard {
            code: "HN1191922334455".into(),
            valid_from: None,
            valid_to: None,
            registered_facility: None,
        });
        let f = validate_profile(&b.profile, &ctx());
        assert!(kinds(&f).contains(&(
            "health_insurance.code",
            Severity::Warning,
            &FindingKind::Card(CardWarning::BenefitLevelUnusual {
                group: "HN".into(),
                level: BenefitLevel::L1,
                expected: BenefitLevel::L2
            })
        )));
    }

    #[test]
    fn a_citizen_id_registered_abroad_is_a_warning_not_an_error() {
        let mut b = a_book();
        let year = b.profile.date_of_birth.year();
        let digit = match (year >= 2000, b.profile.sex) {
            (false, Sex::Male) => 0,
            (false, _) => 1,
            (true, Sex::Male) => 2,
            (true, _) => 3,
        };
        b.profile.citizen_id =
            CitizenId::parse(&format!("840{digit}{:02}123456", year % 100)).unwrap();
        let f = validate_book(&b, &ctx());
        assert!(kinds(&f).contains(&(
            "profile.citizen_id",
            Severity::Warning,
            &FindingKind::Card(CardWarning::CitizenIdUnknownPrefix { code: "840".into() })
        )));
        assert!(f
            .iter()
            .all(|f| f.path != "profile.citizen_id" || !f.is_error()));
    }

    #[test]
    fn vaccination_dates_and_doses() {
        let mut b = a_book();
        b.profile.date_of_birth = date!(1990 - 05 - 20);
        b.profile.citizen_id = CitizenId::parse(&format!(
            "019{}90123456",
            if b.profile.sex == Sex::Male { 0 } else { 1 }
        ))
        .unwrap();
        let mut v = b.vaccinations[0].clone();
        v.date = date!(1990 - 05 - 19);
        v.dose_number = Some(3);
        v.series_doses = Some(2);
        v.next_dose_due = Some(date!(1990 - 05 - 01));
        b.vaccinations.insert(3, v.clone());
        let f = validate_book(&b, &ctx());
        let at3: Vec<_> = f
            .iter()
            .filter(|f| f.path.starts_with("vaccinations[3]."))
            .collect();
        assert!(at3.iter().any(|f| f.path == "vaccinations[3].date"
            && f.kind
                == FindingKind::BeforeBirth {
                    date: date!(1990 - 05 - 19),
                    date_of_birth: date!(1990 - 05 - 20)
                }));
        assert!(at3.iter().any(|f| f.path == "vaccinations[3].dose_number"
            && f.kind
                == FindingKind::DoseAboveSeries {
                    dose_number: 3,
                    series_doses: 2
                }));
        assert!(at3
            .iter()
            .any(|f| f.path == "vaccinations[3].next_dose_due" && f.severity == Severity::Warning));
        // The copy kept the original's id.
        assert!(f
            .iter()
            .any(|f| f.path == "vaccinations[3].id" || f.path == "vaccinations[0].id"));

        // The future, with one day of clock skew allowed.
        v.date = date!(2026 - 01 - 16);
        v.dose_number = Some(1);
        v.next_dose_due = None;
        assert!(validate_vaccination(&v, b.profile.date_of_birth, &ctx()).is_empty());
        v.date = date!(2026 - 01 - 17);
        assert_eq!(
            validate_vaccination(&v, b.profile.date_of_birth, &ctx())[0].kind,
            FindingKind::InFuture {
                date: date!(2026 - 01 - 17),
                today: date!(2026 - 01 - 15)
            }
        );
        v.dose_number = Some(0);
        assert!(validate_vaccination(&v, b.profile.date_of_birth, &ctx())
            .iter()
            .any(|f| f.path == "dose_number"));
    }

    #[test]
    fn prescription_code_kind_dates_and_medicines() {
        let b = a_book();
        let mut p = b.prescriptions[0].clone();
        p.code = "40618R001935-c".into();
        p.kind = PrescriptionKind::Narcotic;
        p.issued_at = datetime!(2025-03-10 09:15 +7);
        p.re_examination_on = Some(date!(2025 - 03 - 01));
        p.medicines[0].name = "  ".into();
        p.diagnoses = vec![Diagnosis {
            icd10: "viêm họng".into(),
            text: "Viêm họng".into(),
        }];
        let f = validate_prescription(&p, b.profile.date_of_birth, &ctx());
        let k = kinds(&f);
        assert!(k.contains(&(
            "kind",
            Severity::Warning,
            &FindingKind::PrescriptionKindDisagrees {
                code_says: PrescriptionKind::Basic,
                recorded: PrescriptionKind::Narcotic
            }
        )));
        assert!(k.contains(&(
            "re_examination_on",
            Severity::Error,
            &FindingKind::BeforeIssue {
                issued_on: date!(2025 - 03 - 10),
                date: date!(2025 - 03 - 01)
            }
        )));
        assert!(k.contains(&("medicines[0].name", Severity::Error, &FindingKind::Empty)));
        assert!(k.iter().any(|(path, ..)| *path == "diagnoses[0].icd10"));
        p.code = "40618R001935".into();
        assert!(validate_prescription(&p, b.profile.date_of_birth, &ctx())
            .iter()
            .any(|f| f.kind
                == FindingKind::PrescriptionCodeInvalid(PrescriptionCodeError::WrongLength(12))));
    }

    #[test]
    fn decomposed_name_is_a_warning() {
        let mut b = a_book();
        b.profile.full_name = "Nguye\u{0302}\u{0303}n Văn A".into();
        let f = validate_profile(&b.profile, &ctx());
        assert!(kinds(&f).contains(&("full_name", Severity::Warning, &FindingKind::NotNfc)));
        b.profile.full_name = " ".into();
        assert!(kinds(&validate_profile(&b.profile, &ctx())).contains(&(
            "full_name",
            Severity::Error,
            &FindingKind::Empty
        )));
    }

    #[test]
    fn icd10_shapes() {
        for ok in ["A09", "J06.9", "E11.65", "U07.1", "J069", "I10"] {
            assert!(is_icd10_shaped(ok), "{ok}");
        }
        for bad in ["", "J0", "j06.9", "06.9", "J06.", "J06.123", "Viêm"] {
            assert!(!is_icd10_shaped(bad), "{bad}");
        }
    }
}
