//! QR input the field will give the card scan: random text, adversarial card layouts, oversized
//! content, and pixels that are not a code at all. Property-style (proptest) over the same
//! oracles the fuzz targets use. Rows of RESILIENCE.md.

mod oracles;

use health_book::checkin::{
    payload::MAX_PAYLOAD_BYTES, read::decode_rgba, CheckInCode, CheckInParseError, CheckInPayload,
    CheckInVariant, ErrorCorrection,
};
use health_book::generate::{self, BookShape, LONGEST_REALISTIC_ADDRESS};
use health_book::views::card_scan::{read_scan, ScanOutcome};
use proptest::prelude::*;

const VALID: &str =
    "001090123456|012345678|Nguyễn Văn A|01011990|Nam|Số 5 Phố Huế, Hà Nội|15042021";

fn no_books() -> [oracles::OnDevice; 0] {
    []
}

/// One field of a card, hostile: markup, controls, direction overrides, zero-width and
/// combining characters, separators and very long runs.
fn hostile_field() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<img src=x onerror=\"window.__pwned=1\">".to_string()),
        Just("javascript:window.__pwned=1".to_string()),
        Just("\u{202e}maN\u{200b}\u{feff}".to_string()),
        Just("\0\u{7}\r\n\t".to_string()),
        Just("a\u{0301}\u{0301}\u{0301}\u{0301}".to_string()),
        Just("|||".to_string()),
        Just("9".repeat(5000)),
        "\\PC{0,40}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn any_text_is_read_or_refused(text in any::<String>()) {
        oracles::check_payload(text.as_bytes());
    }

    #[test]
    fn any_bytes_are_read_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        oracles::check_payload(&bytes);
    }

    /// A valid card with one field replaced: parsed (the text kept as text) or refused, and the
    /// scan screen agrees with the parser.
    #[test]
    fn a_card_with_one_hostile_field(field in 0usize..7, value in hostile_field()) {
        let mut fields: Vec<String> = VALID.split('|').map(str::to_owned).collect();
        fields[field] = value;
        let text = fields.join("|");
        oracles::check_payload(text.as_bytes());
        if let Ok(payload) = CheckInPayload::parse(&text) {
            prop_assert!(!payload.full_name.is_empty());
        }
    }
}

#[test]
fn oversized_qr_content_is_not_a_card_and_scanning_goes_on() {
    for text in [
        format!("{VALID}|{}", "x".repeat(MAX_PAYLOAD_BYTES)),
        "|".repeat(100_000),
        "A".repeat(3 * 1024 * 1024),
    ] {
        assert_eq!(
            CheckInPayload::parse(&text),
            Err(CheckInParseError::TooLong(text.len()))
        );
        let outcome = read_scan(&text, &no_books());
        assert_eq!(outcome, ScanOutcome::NotACard);
        assert!(outcome.keeps_scanning());
    }
}

#[test]
fn a_profile_too_long_for_a_code_is_refused_not_truncated() {
    let mut profile = generate::profile(3, &BookShape::records(0));
    profile.address = Some(LONGEST_REALISTIC_ADDRESS.repeat(40));
    match CheckInCode::build(&profile, CheckInVariant::Full, ErrorCorrection::High) {
        Err(refusal) => assert!(!refusal.to_string().is_empty()),
        Ok(code) => {
            // If it fits, it holds the whole address: a cut address would mislead the desk.
            let read = CheckInPayload::parse(&code.text).expect("its own code reads");
            assert_eq!(read.address, profile.address);
        }
    }
}

#[test]
fn pixels_that_are_no_code_read_as_nothing() {
    let mut rng = generate::SplitMix64::new(0x51C0DE);
    for (width, height) in [(1, 1), (64, 48), (320, 240)] {
        let noise: Vec<u8> = (0..width * height * 4)
            .map(|_| rng.below(256) as u8)
            .collect();
        assert!(decode_rgba(width, height, &noise).is_empty());
    }
    // Sizes a broken camera or canvas can report: no panic, no read past the pixels given.
    for (width, height) in [
        (0, 10),
        (10, 0),
        (usize::MAX, 2),
        (1 << 33, 1 << 33),
        (100, 100),
    ] {
        assert!(decode_rgba(width, height, &[0; 64]).is_empty());
    }
}
