//! The chip citizen ID card's QR layout, seven fields separated by `|`:
//!
//! `CCCD (12 digits)|old CMND (9 digits, may be empty)|FULL NAME|date of birth ddmmyyyy|Nam or Nữ|permanent address|issue date ddmmyyyy`
//!
//! Encoding writes text in Unicode NFC with white space runs collapsed, and refuses a field that
//! contains the separator. Parsing is tolerant of what real codes and readers produce: an empty
//! CMND, a missing issue date, extra trailing fields, white space around fields, a byte-order
//! mark, decomposed Vietnamese, "NAM"/"nữ" in any case.

use thiserror::Error;
use time::{Date, Month};

use crate::ids::{CitizenId, CitizenIdError, OldIdNumber, OldIdNumberError};
use crate::model::{Profile, Sex};
use crate::text::{fold_for_search, nfc};

use super::qr::QrEncodeError;

/// Separator between fields.
pub const SEPARATOR: char = '|';

/// Longest text `parse` reads; a QR holds at most 2,953 bytes, so anything longer is not a scan.
pub const MAX_PAYLOAD_BYTES: usize = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CheckInVariant {
    /// Every field the card's QR has.
    #[default]
    Full,
    /// The address left empty: a less dense code, and less shown to whoever scans it.
    Minimal,
}

/// The fields of the layout, to say which one a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckInField {
    CitizenId,
    OldIdNumber,
    FullName,
    DateOfBirth,
    Sex,
    Address,
    IssueDate,
}

/// The content of a check-in code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckInPayload {
    pub citizen_id: CitizenId,
    pub old_id_number: Option<OldIdNumber>,
    /// NFC, single spaces.
    pub full_name: String,
    pub date_of_birth: Date,
    pub sex: Sex,
    /// NFC, single spaces; `None` when empty.
    pub address: Option<String>,
    pub card_issued_on: Option<Date>,
}

/// Why no check-in code can be made. The app shows a message for each.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CheckInRefusal {
    #[error("no name")]
    MissingName,
    #[error("the {0:?} field contains the separator '|'")]
    ContainsSeparator(CheckInField),
    #[error("the QR code cannot be made: {0}")]
    Qr(QrEncodeError),
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CheckInParseError {
    #[error("the text is longer than any QR code holds ({0} bytes)")]
    TooLong(usize),
    #[error("a check-in code has at least 6 fields separated by '|', this one has {0}")]
    TooFewFields(usize),
    #[error("the citizen ID is not valid: {0}")]
    CitizenId(CitizenIdError),
    #[error("the old identity card number is not valid: {0}")]
    OldIdNumber(OldIdNumberError),
    #[error("the name is empty")]
    EmptyName,
    #[error("the {0:?} field is not a date written ddmmyyyy")]
    InvalidDate(CheckInField),
    #[error("the sex field is neither Nam nor Nữ")]
    UnknownSex,
}

/// NFC with every run of white space (line breaks included) made one space, trimmed.
fn clean(text: &str) -> String {
    nfc(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn no_separator(text: &str, field: CheckInField) -> Result<(), CheckInRefusal> {
    if text.contains(SEPARATOR) {
        Err(CheckInRefusal::ContainsSeparator(field))
    } else {
        Ok(())
    }
}

fn write_date(date: Date) -> String {
    format!(
        "{:02}{:02}{:04}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

/// Reads `ddmmyyyy`, or the same with `/`, `-` or `.` between the parts (`dd/mm/yyyy`, `d/m/yyyy`
/// as some readers re-print it). A year first (`yyyy-mm-dd`) is refused: it is not the card's.
fn read_date(field: &str, which: CheckInField) -> Result<Date, CheckInParseError> {
    let invalid = || CheckInParseError::InvalidDate(which);
    let compact = match field.find(['/', '-', '.']) {
        None => field.to_string(),
        Some(_) => {
            let parts: Vec<&str> = field.split(['/', '-', '.']).collect();
            match parts.as_slice() {
                [d, m, y]
                    if (1..=2).contains(&d.len()) && (1..=2).contains(&m.len()) && y.len() == 4 =>
                {
                    format!("{d:0>2}{m:0>2}{y}")
                }
                _ => return Err(invalid()),
            }
        }
    };
    let field = compact.as_str();
    let b = field.as_bytes();
    if b.len() != 8 || !b.iter().all(u8::is_ascii_digit) {
        return Err(invalid());
    }
    let n = |range: std::ops::Range<usize>| field[range].parse::<u16>().unwrap_or(0);
    let month =
        Month::try_from(n(2..4) as u8).map_err(|_| CheckInParseError::InvalidDate(which))?;
    Date::from_calendar_date(i32::from(n(4..8)), month, n(0..2) as u8)
        .map_err(|_| CheckInParseError::InvalidDate(which))
}

impl CheckInPayload {
    /// The code's content for a profile. The profile's types already guarantee a valid citizen
    /// ID, old CMND, date of birth and sex; what is left to refuse is an empty name and a field
    /// that would break the layout.
    pub fn from_profile(
        profile: &Profile,
        variant: CheckInVariant,
    ) -> Result<CheckInPayload, CheckInRefusal> {
        let full_name = clean(&profile.full_name);
        if full_name.is_empty() {
            return Err(CheckInRefusal::MissingName);
        }
        no_separator(&full_name, CheckInField::FullName)?;
        let address = match variant {
            CheckInVariant::Minimal => None,
            CheckInVariant::Full => profile
                .address
                .as_deref()
                .map(clean)
                .filter(|a| !a.is_empty()),
        };
        if let Some(a) = &address {
            no_separator(a, CheckInField::Address)?;
        }
        Ok(CheckInPayload {
            citizen_id: profile.citizen_id.clone(),
            old_id_number: profile.old_id_number.clone(),
            full_name,
            date_of_birth: profile.date_of_birth,
            sex: profile.sex,
            address,
            card_issued_on: profile.card_issued_on,
        })
    }

    /// The text of the code, always seven fields.
    pub fn encode(&self) -> String {
        let fields = [
            self.citizen_id.as_str().to_string(),
            self.old_id_number
                .as_ref()
                .map(|o| o.as_str().to_string())
                .unwrap_or_default(),
            self.full_name.clone(),
            write_date(self.date_of_birth),
            match self.sex {
                Sex::Male => "Nam".to_string(),
                Sex::Female => "Nữ".to_string(),
            },
            self.address.clone().unwrap_or_default(),
            self.card_issued_on.map(write_date).unwrap_or_default(),
        ];
        fields.join("|")
    }

    /// Reads a scanned card or check-in code; what was read but left out is dropped silently (see
    /// [`CheckInPayload::parse_card`] for the warnings).
    pub fn parse(text: &str) -> Result<CheckInPayload, CheckInParseError> {
        Self::parse_card(text).map(|card| card.payload)
    }

    /// Reads a scanned card or check-in code tolerantly: empty CMND, extra trailing fields,
    /// dates with separators, the 6-field layout without the CMND slot, and an unreadable issue
    /// date (not needed at the desk: left out, with a warning).
    pub fn parse_card(text: &str) -> Result<ScannedCard, CheckInParseError> {
        if text.len() > MAX_PAYLOAD_BYTES {
            return Err(CheckInParseError::TooLong(text.len()));
        }
        let text = text.trim_start_matches('\u{feff}').trim();
        let mut fields: Vec<&str> = text.split(SEPARATOR).map(str::trim).collect();
        if fields.len() < 6 {
            return Err(CheckInParseError::TooFewFields(fields.len()));
        }
        let mut warnings = Vec::new();
        if is_layout_without_old_id(&fields) {
            fields.insert(1, "");
            warnings.push(ScanWarning::NoOldIdSlot);
        }
        let citizen_id = CitizenId::parse(fields[0]).map_err(CheckInParseError::CitizenId)?;
        let old_id_number = match fields[1] {
            "" => None,
            raw => Some(OldIdNumber::parse(raw).map_err(CheckInParseError::OldIdNumber)?),
        };
        let full_name = clean(fields[2]);
        if full_name.is_empty() {
            return Err(CheckInParseError::EmptyName);
        }
        let date_of_birth = read_date(fields[3], CheckInField::DateOfBirth)?;
        let sex = match fold_for_search(fields[4]).as_str() {
            "nam" => Sex::Male,
            "nu" => Sex::Female,
            _ => return Err(CheckInParseError::UnknownSex),
        };
        let address = Some(clean(fields[5])).filter(|a| !a.is_empty());
        let card_issued_on = match fields.get(6).copied().unwrap_or("") {
            "" => None,
            raw => match read_date(raw, CheckInField::IssueDate) {
                Ok(date) => Some(date),
                Err(_) => {
                    warnings.push(ScanWarning::UnreadableIssueDate { raw: raw.into() });
                    None
                }
            },
        };
        Ok(ScannedCard {
            payload: CheckInPayload {
                citizen_id,
                old_id_number,
                full_name,
                date_of_birth,
                sex,
                address,
                card_issued_on,
            },
            warnings,
        })
    }
}

/// A card or check-in code read, with what the reader should know about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannedCard {
    pub payload: CheckInPayload,
    pub warnings: Vec<ScanWarning>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanWarning {
    /// The issue date could not be read and was left out; everything else was kept.
    UnreadableIssueDate { raw: String },
    /// The code had 6 fields without the old CMND slot [uncertain: reported by reception
    /// software], and was read that way.
    NoOldIdSlot,
}

/// The 6-field layout `CCCD|name|dob|sex|address|issue date`, told apart from the usual one
/// cut short (`CCCD|CMND|name|dob|sex|address`) only when it cannot be that: the second field
/// is a name (not empty, not digits), the third a date and the fourth a sex.
fn is_layout_without_old_id(fields: &[&str]) -> bool {
    fields.len() == 6
        && !fields[1].is_empty()
        && !fields[1].chars().all(|c| c.is_ascii_digit())
        && read_date(fields[2], CheckInField::DateOfBirth).is_ok()
        && matches!(fold_for_search(fields[3]).as_str(), "nam" | "nu")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{
        self, BookShape, HOANG_VAN_DUNG, LONGEST_REALISTIC_ADDRESS, NGUYEN_THI_NGOC_ANH,
    };
    use proptest::prelude::*;
    use time::macros::date;

    const CARD: &str =
        "001090123456|012345678|Nguyễn Văn A|01011990|Nam|Số 5 Phố Huế, Hà Nội|15042021";

    #[test]
    fn reads_the_card_layout() {
        let p = CheckInPayload::parse(CARD).unwrap();
        assert_eq!(p.citizen_id.as_str(), "001090123456");
        assert_eq!(
            p.old_id_number.as_ref().map(|o| o.as_str()),
            Some("012345678")
        );
        assert_eq!(p.full_name, "Nguyễn Văn A");
        assert_eq!(p.date_of_birth, date!(1990 - 01 - 01));
        assert_eq!(p.sex, Sex::Male);
        assert_eq!(p.address.as_deref(), Some("Số 5 Phố Huế, Hà Nội"));
        assert_eq!(p.card_issued_on, Some(date!(2021 - 04 - 15)));
        assert_eq!(p.encode(), CARD);
    }

    #[test]
    fn tolerates_what_real_codes_carry() {
        // Empty CMND, no issue date, decomposed name, padding, BOM, upper-case sex, newline.
        let decomposed = "Nguye\u{0302}\u{0303}n Thi\u{0323} Ngo\u{0323}c A\u{0301}nh";
        let text = format!(
            "\u{feff} 019190001234 ||  {decomposed} | 05072019 | NỮ | Xóm Khuôn Tát,\n Định Hóa \n"
        );
        let p = CheckInPayload::parse(&text).unwrap();
        assert_eq!(p.old_id_number, None);
        assert_eq!(p.full_name, NGUYEN_THI_NGOC_ANH);
        assert_eq!(p.sex, Sex::Female);
        assert_eq!(p.address.as_deref(), Some("Xóm Khuôn Tát, Định Hóa"));
        assert_eq!(p.card_issued_on, None);
        // Extra trailing fields, as newer cards may add.
        let p = CheckInPayload::parse(&format!("{CARD}|extra|more")).unwrap();
        assert_eq!(p.card_issued_on, Some(date!(2021 - 04 - 15)));
        // Empty issue date field.
        assert_eq!(
            CheckInPayload::parse("001090123456||Nguyễn Văn A|01011990|nam||")
                .unwrap()
                .card_issued_on,
            None
        );
    }

    #[test]
    fn dates_with_separators() {
        for (dob, issued) in [
            ("01/01/1990", "15/04/2021"),
            ("01-01-1990", "15-04-2021"),
            ("01.01.1990", "15.04.2021"),
            ("1/1/1990", "15/4/2021"),
        ] {
            let text = format!("001090123456|012345678|Nguyễn Văn A|{dob}|Nam|Hà Nội|{issued}");
            let card = CheckInPayload::parse_card(&text).unwrap();
            assert_eq!(card.payload.date_of_birth, date!(1990 - 01 - 01), "{dob}");
            assert_eq!(
                card.payload.card_issued_on,
                Some(date!(2021 - 04 - 15)),
                "{issued}"
            );
            assert!(card.warnings.is_empty());
        }
        for bad in [
            "1990/01/01",
            "01/01/90",
            "01//1990",
            "32/01/1990",
            "01/13/1990",
        ] {
            let text = format!("001090123456||A|{bad}|Nam|");
            assert_eq!(
                CheckInPayload::parse(&text),
                Err(CheckInParseError::InvalidDate(CheckInField::DateOfBirth)),
                "{bad}"
            );
        }
    }

    #[test]
    fn six_fields_without_the_old_id_slot_when_it_cannot_be_the_usual_layout() {
        let card = CheckInPayload::parse_card(
            "001090123456|Nguyễn Văn A|01011990|Nam|Số 5 Phố Huế, Hà Nội|15042021",
        )
        .unwrap();
        assert_eq!(card.warnings, vec![ScanWarning::NoOldIdSlot]);
        let p = card.payload;
        assert_eq!(p.old_id_number, None);
        assert_eq!(p.full_name, "Nguyễn Văn A");
        assert_eq!(p.date_of_birth, date!(1990 - 01 - 01));
        assert_eq!(p.address.as_deref(), Some("Số 5 Phố Huế, Hà Nội"));
        assert_eq!(p.card_issued_on, Some(date!(2021 - 04 - 15)));
        // The usual layout cut after the address stays the usual layout.
        let usual =
            CheckInPayload::parse_card("001090123456|012345678|Nguyễn Văn A|01011990|Nam|Hà Nội")
                .unwrap();
        assert!(usual.warnings.is_empty());
        assert_eq!(usual.payload.full_name, "Nguyễn Văn A");
        let usual =
            CheckInPayload::parse_card("001090123456||Nguyễn Văn A|01011990|Nam|Hà Nội").unwrap();
        assert!(usual.warnings.is_empty());
        // An unknown prefix (a birth registered abroad) is read, not refused.
        assert!(CheckInPayload::parse("840090123456||Nguyễn Văn A|01011990|Nam|").is_ok());
    }

    #[test]
    fn typed_parse_errors() {
        use CheckInParseError::*;
        assert_eq!(CheckInPayload::parse(""), Err(TooFewFields(1)));
        assert_eq!(
            CheckInPayload::parse("001090123456|x|y"),
            Err(TooFewFields(3))
        );
        assert_eq!(
            CheckInPayload::parse("00109012345|||01011990|Nam|"),
            Err(CitizenId(CitizenIdError::WrongLength(11)))
        );
        assert_eq!(
            CheckInPayload::parse("001090123456|12|A|01011990|Nam|"),
            Err(OldIdNumber(OldIdNumberError::WrongLength(2)))
        );
        assert_eq!(
            CheckInPayload::parse("001090123456|| |01011990|Nam|"),
            Err(EmptyName)
        );
        assert_eq!(
            CheckInPayload::parse("001090123456||A|31021990|Nam|"),
            Err(InvalidDate(CheckInField::DateOfBirth))
        );
        assert_eq!(
            CheckInPayload::parse("001090123456||A|1990-01-01|Nam|"),
            Err(InvalidDate(CheckInField::DateOfBirth))
        );
        assert_eq!(
            CheckInPayload::parse("001090123456||A|01011990|M|"),
            Err(UnknownSex)
        );
        // Issue 12 changed this fact: an unreadable issue date is left out with a warning (it
        // used to refuse the whole code).
        let card = CheckInPayload::parse_card("001090123456||A|01011990|Nam||1504202").unwrap();
        assert_eq!(card.payload.card_issued_on, None);
        assert_eq!(card.payload.full_name, "A");
        assert_eq!(
            card.warnings,
            vec![ScanWarning::UnreadableIssueDate {
                raw: "1504202".into()
            }]
        );
        assert_eq!(CheckInPayload::parse(&"1".repeat(5000)), Err(TooLong(5000)));
    }

    #[test]
    fn minimal_leaves_the_address_out() {
        let mut profile =
            generate::profile(3, &BookShape::records(0).named(HOANG_VAN_DUNG, Sex::Male));
        profile.address = Some(LONGEST_REALISTIC_ADDRESS.into());
        let full = CheckInPayload::from_profile(&profile, CheckInVariant::Full)
            .unwrap()
            .encode();
        let minimal = CheckInPayload::from_profile(&profile, CheckInVariant::Minimal)
            .unwrap()
            .encode();
        assert!(full.contains(LONGEST_REALISTIC_ADDRESS));
        assert!(!minimal.contains("Thái Nguyên"));
        assert_eq!(minimal.split('|').count(), 7);
        assert_eq!(minimal.split('|').nth(5), Some(""));
        assert!(minimal.contains(HOANG_VAN_DUNG));
    }

    #[test]
    fn refusals_are_typed() {
        // The profile's own types refuse a missing or malformed citizen ID before any code is
        // asked for (these were draft refusals when the payload was built from strings).
        assert_eq!(CitizenId::parse("  "), Err(CitizenIdError::WrongLength(0)));
        assert_eq!(
            CitizenId::parse("12345"),
            Err(CitizenIdError::WrongLength(5))
        );
        let mut ok = generate::profile(7, &BookShape::records(0));
        ok.citizen_id = CitizenId::parse("019080001234").unwrap();
        ok.old_id_number = None;
        ok.full_name = "Hoàng Văn Dũng".into();
        ok.date_of_birth = date!(1980 - 02 - 03);
        ok.sex = Sex::Male;
        ok.address = None;
        ok.card_issued_on = None;
        assert!(CheckInPayload::from_profile(&ok, CheckInVariant::Full).is_ok());
        let piped = Profile {
            address: Some("Tổ 5 | Phường X".into()),
            ..ok.clone()
        };
        assert_eq!(
            CheckInPayload::from_profile(&piped, CheckInVariant::Full),
            Err(CheckInRefusal::ContainsSeparator(CheckInField::Address))
        );
        // The Minimal variant does not carry the address, so its separator does not matter.
        assert!(CheckInPayload::from_profile(&piped, CheckInVariant::Minimal).is_ok());
        let no_name = Profile {
            full_name: " \n ".into(),
            ..ok
        };
        assert_eq!(
            CheckInPayload::from_profile(&no_name, CheckInVariant::Full),
            Err(CheckInRefusal::MissingName)
        );
    }

    #[test]
    fn the_text_of_a_typed_profile() {
        let mut profile = generate::profile(11, &BookShape::records(0));
        profile.citizen_id = CitizenId::parse("001090123456").unwrap();
        profile.old_id_number = Some(OldIdNumber::parse("012345678").unwrap());
        profile.full_name = "Nguyễn  Văn A".into();
        profile.date_of_birth = date!(1990 - 01 - 01);
        profile.sex = Sex::Male;
        profile.address = Some(" Số 5 Phố Huế,\n Hà Nội ".into());
        profile.card_issued_on = Some(date!(2021 - 04 - 15));
        let payload = CheckInPayload::from_profile(&profile, CheckInVariant::Full).unwrap();
        assert_eq!(payload.encode(), CARD);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn parse_never_panics(text in any::<String>()) {
            let _ = CheckInPayload::parse(&text);
        }

        #[test]
        fn parse_never_panics_on_pipe_shaped_text(fields in proptest::collection::vec("[0-9A-Za-zễữ ]{0,14}", 0..10)) {
            let _ = CheckInPayload::parse(&fields.join("|"));
        }

        #[test]
        fn generated_profiles_round_trip(seed in any::<u64>(), minimal in any::<bool>()) {
            let profile = generate::profile(seed, &BookShape::records(0));
            let variant = if minimal { CheckInVariant::Minimal } else { CheckInVariant::Full };
            let payload = CheckInPayload::from_profile(&profile, variant).unwrap();
            let parsed = CheckInPayload::parse(&payload.encode()).unwrap();
            prop_assert_eq!(&parsed, &payload);
            prop_assert_eq!(&parsed.citizen_id, &profile.citizen_id);
            prop_assert_eq!(&parsed.full_name, &profile.full_name);
            prop_assert_eq!(parsed.date_of_birth, profile.date_of_birth);
            prop_assert_eq!(parsed.sex, profile.sex);
            prop_assert_eq!(parsed.card_issued_on, profile.card_issued_on);
            prop_assert_eq!(parsed.address, if minimal { None } else { profile.address.clone() });
        }
    }
}
