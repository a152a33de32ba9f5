//! The card scan screen: what to do with the text read from a QR, given the books on the device,
//! and the profile a member of staff confirms before a book is created from a chip card.
//!
//! The camera and the decoder live in the shell; everything they hand over is a decoded text.
//! This module decides: open the person's book, offer the two ways to start one (from the health
//! system, or from the card itself), or say why the code is not taken and keep scanning.

use time::macros::format_description;
use time::Date;

use crate::checkin::{CheckInParseError, CheckInPayload, ScanWarning, ScannedCard};
use crate::ids::{CitizenId, CitizenIdError, OldIdNumber, OldIdNumberError};
use crate::model::{BookSource, HealthBook, Profile, Provenance, Sex};
use crate::text::nfc;
use crate::validate::{validate_profile, Finding, ValidationContext};
use crate::views::books::ListedBook;

/// What a scanned text leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanOutcome {
    /// The card's person has a book on this device: open it.
    OpenBook { citizen_id: CitizenId },
    /// No book for this person yet: offer adding it from the health system (by its citizen ID)
    /// or creating it from the card (the draft, for staff to confirm).
    NewPerson {
        citizen_id: CitizenId,
        draft: ProfileDraft,
        /// What the reader should know about how the card was read.
        warnings: Vec<ScanWarning>,
    },
    /// Not a chip-card QR at all (a web address, a payment code): scanning goes on.
    NotACard,
    /// Laid out like a chip-card QR, but a field breaks the card's rules: scanning goes on.
    Invalid(CheckInParseError),
}

impl ScanOutcome {
    /// Whether the camera should keep looking for another code.
    pub fn keeps_scanning(&self) -> bool {
        matches!(self, ScanOutcome::NotACard | ScanOutcome::Invalid(_))
    }
}

/// Reads a decoded QR text against the books on the device.
pub fn read_scan<B: ListedBook>(text: &str, books: &[B]) -> ScanOutcome {
    let card = match CheckInPayload::parse_card(text) {
        Ok(card) => card,
        // Too long or too few `|` fields: no card reader would take it for a card.
        Err(CheckInParseError::TooLong(_) | CheckInParseError::TooFewFields(_)) => {
            return ScanOutcome::NotACard
        }
        Err(error) => return ScanOutcome::Invalid(error),
    };
    let ScannedCard { payload, warnings } = card;
    let citizen_id = payload.citizen_id.clone();
    if books.iter().any(|b| b.citizen_id() == &citizen_id) {
        return ScanOutcome::OpenBook { citizen_id };
    }
    ScanOutcome::NewPerson {
        citizen_id,
        draft: ProfileDraft::from_card(&payload),
        warnings,
    }
}

/// The profile form, as text fields a person edits: pre-filled from the card, checked on confirm.
/// Dates are ISO `yyyy-mm-dd`, what an `<input type="date">` holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileDraft {
    pub full_name: String,
    pub date_of_birth: String,
    pub sex: Sex,
    pub citizen_id: String,
    pub old_id_number: String,
    pub address: String,
    pub card_issued_on: String,
}

/// A field of the profile form, to put a problem next to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DraftField {
    FullName,
    DateOfBirth,
    Sex,
    CitizenId,
    OldIdNumber,
    Address,
    CardIssuedOn,
}

/// Why the form cannot be saved as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftError {
    CitizenId(CitizenIdError),
    OldIdNumber(OldIdNumberError),
    /// Not a date (empty, or not `yyyy-mm-dd`).
    NotADate(DraftField),
    /// The profile's own rules (a name left empty, a birth date in the future).
    Rule(Finding),
    /// The citizen ID was edited to one whose book is already on the device: saving would
    /// replace that book, so the form refuses and the screen offers to open it instead.
    AlreadyOnDevice(CitizenId),
}

impl DraftError {
    pub fn field(&self) -> DraftField {
        match self {
            DraftError::CitizenId(_) | DraftError::AlreadyOnDevice(_) => DraftField::CitizenId,
            DraftError::OldIdNumber(_) => DraftField::OldIdNumber,
            DraftError::NotADate(field) => *field,
            DraftError::Rule(finding) => field_of_path(&finding.path),
        }
    }
}

/// A profile that passed the checks, with the warnings staff should look at before saving.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmedProfile {
    pub profile: Profile,
    /// Likely slips that may still be right (the ID's birth year disagrees with the date).
    pub warnings: Vec<Finding>,
}

fn field_of_path(path: &str) -> DraftField {
    match path {
        "date_of_birth" => DraftField::DateOfBirth,
        "sex" => DraftField::Sex,
        "citizen_id" => DraftField::CitizenId,
        "old_id_number" => DraftField::OldIdNumber,
        "address" => DraftField::Address,
        "card_issued_on" => DraftField::CardIssuedOn,
        // The rules check nothing else the form holds; the name is the remaining field.
        _ => DraftField::FullName,
    }
}

fn read_iso(text: &str) -> Option<Date> {
    Date::parse(text.trim(), format_description!("[year]-[month]-[day]")).ok()
}

/// NFC, white space runs made one space, trimmed: the form of every name the book keeps.
fn tidy(text: &str) -> String {
    nfc(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

impl ProfileDraft {
    /// The form as the card fills it.
    pub fn from_card(card: &CheckInPayload) -> ProfileDraft {
        ProfileDraft {
            full_name: card.full_name.clone(),
            // `Date`'s display is ISO `yyyy-mm-dd`, what the date input holds.
            date_of_birth: card.date_of_birth.to_string(),
            sex: card.sex,
            citizen_id: card.citizen_id.as_str().to_owned(),
            old_id_number: card
                .old_id_number
                .as_ref()
                .map(|o| o.as_str().to_owned())
                .unwrap_or_default(),
            address: card.address.clone().unwrap_or_default(),
            card_issued_on: card
                .card_issued_on
                .map(|d| d.to_string())
                .unwrap_or_default(),
        }
    }

    /// Checks the form with the same rules as every other profile: every field that does not
    /// read at once, then the profile rules. A citizen ID whose book is among `books` is
    /// refused: a new book never replaces one on the device.
    pub fn confirm<B: ListedBook>(
        &self,
        ctx: &ValidationContext,
        books: &[B],
    ) -> Result<ConfirmedProfile, Vec<DraftError>> {
        let mut errors = Vec::new();
        let citizen_id = match CitizenId::parse(&self.citizen_id) {
            Ok(id) if books.iter().any(|b| b.citizen_id() == &id) => {
                errors.push(DraftError::AlreadyOnDevice(id));
                None
            }
            Ok(id) => Some(id),
            Err(e) => {
                errors.push(DraftError::CitizenId(e));
                None
            }
        };
        let old_id_number = match self.old_id_number.trim() {
            "" => None,
            raw => OldIdNumber::parse(raw)
                .map_err(|e| errors.push(DraftError::OldIdNumber(e)))
                .ok(),
        };
        let date_of_birth = read_iso(&self.date_of_birth);
        if date_of_birth.is_none() {
            errors.push(DraftError::NotADate(DraftField::DateOfBirth));
        }
        let card_issued_on = match self.card_issued_on.trim() {
            "" => None,
            raw => {
                let date = read_iso(raw);
                if date.is_none() {
                    errors.push(DraftError::NotADate(DraftField::CardIssuedOn));
                }
                date
            }
        };
        let address = Some(tidy(&self.address)).filter(|a| !a.is_empty());
        let full_name = tidy(&self.full_name);
        // The profile rules need a whole profile: they run once every field reads.
        let (Some(citizen_id), Some(date_of_birth), true) =
            (citizen_id, date_of_birth, errors.is_empty())
        else {
            return Err(errors);
        };
        let profile = Profile {
            full_name,
            date_of_birth,
            sex: self.sex,
            citizen_id,
            old_id_number,
            card_issued_on,
            health_insurance: None,
            address,
            phone: None,
            blood_group: None,
            allergies: Vec::new(),
            chronic_conditions: Vec::new(),
            emergency_contact: None,
        };
        let (rule_errors, warnings): (Vec<Finding>, Vec<Finding>) = validate_profile(&profile, ctx)
            .into_iter()
            .partition(Finding::is_error);
        if !rule_errors.is_empty() {
            return Err(rule_errors.into_iter().map(DraftError::Rule).collect());
        }
        Ok(ConfirmedProfile { profile, warnings })
    }
}

/// A new book holding only the confirmed profile, marked as created on this device: nothing in
/// it is vouched for by the health system until a sync fetches the person's record.
pub fn new_book_from_card(confirmed: ConfirmedProfile) -> HealthBook {
    HealthBook {
        profile: confirmed.profile,
        vaccinations: Vec::new(),
        prescriptions: Vec::new(),
        care: Default::default(),
        provenance: Provenance {
            source: BookSource::EnteredOnDevice,
            source_updated_at: None,
            source_version: None,
            last_synced_at: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::NGUYEN_THI_NGOC_ANH;
    use crate::text::fold_for_search;
    use crate::validate::FindingKind;
    use crate::CitizenIdMismatch;
    use time::macros::date;

    struct OnDevice {
        id: CitizenId,
        folded: String,
    }

    impl ListedBook for OnDevice {
        fn citizen_id(&self) -> &CitizenId {
            &self.id
        }
        fn folded_name(&self) -> &str {
            &self.folded
        }
    }

    fn on_device(id: &str, name: &str) -> OnDevice {
        OnDevice {
            id: CitizenId::parse(id).expect("a well-formed test ID"),
            folded: fold_for_search(name),
        }
    }

    const PRECOMPOSED: &str =
        "019319001234||Nguyễn Thị Ngọc Ánh|05072019|Nữ|Xóm Khuôn Tát, Định Hóa, Thái Nguyên|";
    const DECOMPOSED_NAME: &str = "Nguye\u{0302}\u{0303}n Thi\u{0323} Ngo\u{0323}c A\u{0301}nh";

    const NONE: &[OnDevice] = &[];

    fn ctx() -> ValidationContext {
        ValidationContext::new(date!(2026 - 01 - 15))
    }

    #[test]
    fn a_card_whose_book_is_on_the_device_opens_it() {
        let books = [
            on_device("001090123456", "Nguyễn Văn A"),
            on_device("019319001234", NGUYEN_THI_NGOC_ANH),
        ];
        let outcome = read_scan(PRECOMPOSED, &books);
        assert_eq!(
            outcome,
            ScanOutcome::OpenBook {
                citizen_id: CitizenId::parse("019319001234").unwrap()
            }
        );
        assert!(!outcome.keeps_scanning());
    }

    #[test]
    fn a_new_person_gets_a_draft_from_the_card_with_diacritics_intact() {
        let books = [on_device("001090123456", "Nguyễn Văn A")];
        let decomposed = PRECOMPOSED.replace(NGUYEN_THI_NGOC_ANH, DECOMPOSED_NAME);
        assert_ne!(
            decomposed, PRECOMPOSED,
            "the test input really is decomposed"
        );
        let drafts: Vec<ProfileDraft> = [PRECOMPOSED, decomposed.as_str()]
            .into_iter()
            .map(|text| match read_scan(text, &books) {
                ScanOutcome::NewPerson {
                    citizen_id,
                    draft,
                    warnings,
                } => {
                    assert_eq!(citizen_id.as_str(), "019319001234");
                    assert!(warnings.is_empty());
                    draft
                }
                other => panic!("expected a new person, got {other:?}"),
            })
            .collect();
        assert_eq!(drafts[0], drafts[1]);
        let draft = &drafts[0];
        assert_eq!(draft.full_name, NGUYEN_THI_NGOC_ANH);
        assert_eq!(draft.date_of_birth, "2019-07-05");
        assert_eq!(draft.sex, Sex::Female);
        assert_eq!(draft.citizen_id, "019319001234");
        assert_eq!(draft.old_id_number, "");
        assert_eq!(draft.address, "Xóm Khuôn Tát, Định Hóa, Thái Nguyên");
        assert_eq!(draft.card_issued_on, "");
    }

    #[test]
    fn the_parsers_warnings_reach_the_screen() {
        let outcome = read_scan(
            "001090123456|Nguyễn Văn A|01011990|Nam|Số 5 Phố Huế, Hà Nội|1504202",
            &[] as &[OnDevice],
        );
        let ScanOutcome::NewPerson {
            warnings, draft, ..
        } = outcome
        else {
            panic!("expected a new person: {outcome:?}");
        };
        assert_eq!(
            warnings,
            vec![
                ScanWarning::NoOldIdSlot,
                ScanWarning::UnreadableIssueDate {
                    raw: "1504202".into()
                }
            ]
        );
        assert_eq!(draft.card_issued_on, "");
        assert_eq!(draft.full_name, "Nguyễn Văn A");
    }

    #[test]
    fn other_codes_are_refused_and_scanning_goes_on() {
        let none: &[OnDevice] = &[];
        for text in [
            "https://example.com/pay?x=1",
            "",
            "a|b|c",
            &"9".repeat(5000),
        ] {
            let outcome = read_scan(text, none);
            assert_eq!(outcome, ScanOutcome::NotACard, "{text:.20}");
            assert!(outcome.keeps_scanning());
        }
        let invalid = read_scan("00109012345|||01011990|Nam|", none);
        assert_eq!(
            invalid,
            ScanOutcome::Invalid(CheckInParseError::CitizenId(CitizenIdError::WrongLength(
                11
            )))
        );
        assert!(invalid.keeps_scanning());
        assert!(matches!(
            read_scan("001090123456||A|31021990|Nam|", none),
            ScanOutcome::Invalid(CheckInParseError::InvalidDate(_))
        ));
    }

    fn card_draft() -> ProfileDraft {
        match read_scan(PRECOMPOSED, &[] as &[OnDevice]) {
            ScanOutcome::NewPerson { draft, .. } => draft,
            other => panic!("expected a new person, got {other:?}"),
        }
    }

    #[test]
    fn a_confirmed_draft_is_a_book_created_on_the_device() {
        let confirmed = card_draft()
            .confirm(&ctx(), NONE)
            .expect("the card's draft is valid");
        assert!(confirmed.warnings.is_empty(), "{:?}", confirmed.warnings);
        let book = new_book_from_card(confirmed);
        assert_eq!(book.provenance.source, BookSource::EnteredOnDevice);
        assert_eq!(book.provenance.last_synced_at, None);
        assert!(book.vaccinations.is_empty() && book.prescriptions.is_empty());
        let p = &book.profile;
        assert_eq!(p.full_name, NGUYEN_THI_NGOC_ANH);
        assert_eq!(p.date_of_birth, date!(2019 - 07 - 05));
        assert_eq!(p.sex, Sex::Female);
        assert_eq!(p.citizen_id.as_str(), "019319001234");
        assert_eq!(p.old_id_number, None);
        assert_eq!(
            p.address.as_deref(),
            Some("Xóm Khuôn Tát, Định Hóa, Thái Nguyên")
        );
    }

    #[test]
    fn edits_by_staff_are_tidied_and_checked_by_the_profile_rules() {
        let mut draft = card_draft();
        draft.full_name = format!("  {DECOMPOSED_NAME}  ");
        draft.old_id_number = "012345678".into();
        draft.card_issued_on = "2021-04-15".into();
        draft.address = " ".into();
        let confirmed = draft.confirm(&ctx(), NONE).unwrap();
        assert_eq!(confirmed.profile.full_name, NGUYEN_THI_NGOC_ANH);
        assert_eq!(
            confirmed.profile.old_id_number.as_ref().map(|o| o.as_str()),
            Some("012345678")
        );
        assert_eq!(
            confirmed.profile.card_issued_on,
            Some(date!(2021 - 04 - 15))
        );
        assert_eq!(confirmed.profile.address, None);

        // A sex that disagrees with the ID's century/sex digit: a warning, saved anyway.
        let mut slip = card_draft();
        slip.sex = Sex::Male;
        let confirmed = slip.confirm(&ctx(), NONE).unwrap();
        assert_eq!(
            confirmed
                .warnings
                .iter()
                .map(|f| &f.kind)
                .collect::<Vec<_>>(),
            vec![&FindingKind::CitizenIdDisagrees(CitizenIdMismatch::Sex {
                id_says: Sex::Female,
                profile_says: Sex::Male
            })]
        );
    }

    #[test]
    fn every_field_that_does_not_read_is_reported_at_once() {
        let mut draft = card_draft();
        draft.citizen_id = "01919000123".into();
        draft.old_id_number = "12".into();
        draft.date_of_birth = "".into();
        draft.card_issued_on = "15/04/2021".into();
        let errors = draft.confirm(&ctx(), NONE).unwrap_err();
        assert_eq!(
            errors,
            vec![
                DraftError::CitizenId(CitizenIdError::WrongLength(11)),
                DraftError::OldIdNumber(OldIdNumberError::WrongLength(2)),
                DraftError::NotADate(DraftField::DateOfBirth),
                DraftError::NotADate(DraftField::CardIssuedOn),
            ]
        );
        assert_eq!(
            errors.iter().map(DraftError::field).collect::<Vec<_>>(),
            vec![
                DraftField::CitizenId,
                DraftField::OldIdNumber,
                DraftField::DateOfBirth,
                DraftField::CardIssuedOn
            ]
        );
    }

    #[test]
    fn a_new_book_never_replaces_one_on_the_device() {
        let mut draft = card_draft();
        draft.citizen_id = "001 090 123456".into();
        let books = [on_device("001090123456", "Nguyễn Văn A")];
        let errors = draft.confirm(&ctx(), &books).unwrap_err();
        assert_eq!(
            errors,
            vec![DraftError::AlreadyOnDevice(
                CitizenId::parse("001090123456").unwrap()
            )]
        );
        assert_eq!(errors[0].field(), DraftField::CitizenId);
    }

    #[test]
    fn the_profile_rules_refuse_an_empty_name_and_a_future_birth() {
        let mut draft = card_draft();
        draft.full_name = "  ".into();
        draft.date_of_birth = "2027-01-01".into();
        let errors = draft.confirm(&ctx(), NONE).unwrap_err();
        let fields: Vec<DraftField> = errors.iter().map(DraftError::field).collect();
        assert_eq!(fields, vec![DraftField::FullName, DraftField::DateOfBirth]);
        assert!(matches!(
            &errors[0],
            DraftError::Rule(Finding {
                kind: FindingKind::Empty,
                ..
            })
        ));
        assert!(matches!(
            &errors[1],
            DraftError::Rule(Finding {
                kind: FindingKind::InFuture { .. },
                ..
            })
        ));
    }
}
