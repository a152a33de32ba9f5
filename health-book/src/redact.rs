//! What may be written to a console: diagnostic text with anything that could name a person taken
//! out.
//!
//! The console of a shared tablet is readable by anyone who opens the developer tools, and error
//! messages carry values from deep down: a stored key is a citizen ID, a serde error quotes the
//! value it could not read (a name, a birth date). The app writes diagnostics only through
//! [`redact_personal`], so no citizen ID, insurance number, phone number, birth date or quoted
//! name reaches the console whatever an error's text holds. What remains (which operation failed,
//! error names, HTTP statuses, small counts) is what support staff need.

/// Stands where a value was taken out.
pub const REDACTED: &str = "[…]";

/// Digits that make a number personal: four or more together (a year, and anything longer: citizen
/// IDs, insurance numbers, phone numbers, dates). Counts below 1000 and HTTP statuses stay.
const MIN_PERSONAL_DIGITS: usize = 4;

/// `text` with every quoted value and every long number replaced by [`REDACTED`].
///
/// - Anything between double quotes (how `Debug` shows a `String`, and how serde quotes the value
///   it rejected) is removed, quotes kept, so the shape of the message stays readable.
/// - A run of digits joined by the separators people write inside numbers and dates
///   (`-`, `/`, `.`, `:`, a single space: "001 090 123 456", "12/05/1990") is removed when it holds
///   [`MIN_PERSONAL_DIGITS`] digits or more.
/// - Letters glued to such a number are part of it (an insurance code "DN4010123456789").
pub fn redact_personal(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' {
            out.push('"');
            match chars[i + 1..].iter().position(|&c| c == '"') {
                Some(len) => {
                    if len > 0 {
                        out.push_str(REDACTED);
                    }
                    out.push('"');
                    i += len + 2;
                }
                // An unterminated quote: everything after it may be the value.
                None => {
                    out.push_str(REDACTED);
                    i = chars.len();
                }
            }
            continue;
        }
        if c.is_ascii_digit() {
            let end = number_end(&chars, i);
            let digits = chars[i..end].iter().filter(|c| c.is_ascii_digit()).count();
            if digits >= MIN_PERSONAL_DIGITS {
                // Letters right before the number belong to it (an insurance code's prefix).
                while out.ends_with(|c: char| c.is_alphabetic()) {
                    out.pop();
                }
                out.push_str(REDACTED);
                // ...and so do letters right after it.
                i = end;
                while i < chars.len() && chars[i].is_alphanumeric() {
                    i += 1;
                }
            } else {
                out.extend(&chars[i..end]);
                i = end;
            }
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// The end of the number starting at `start`: digits, with single separators between them.
fn number_end(chars: &[char], start: usize) -> usize {
    let mut end = start;
    let mut i = start;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            i += 1;
            end = i;
        } else if matches!(chars[i], '-' | '/' | '.' | ':' | ' ')
            && chars.get(i + 1).is_some_and(char::is_ascii_digit)
        {
            i += 1;
        } else {
            break;
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citizen_ids_are_removed_however_written() {
        assert_eq!(
            redact_personal("storage: book 001090123456 (damaged)"),
            "storage: book […] (damaged)"
        );
        assert_eq!(redact_personal("id 001 090 123 456."), "id […].");
        assert_eq!(
            redact_personal("vaccination imm-1 of book 079185000001"),
            "vaccination imm-1 of book […]"
        );
    }

    #[test]
    fn dates_insurance_codes_and_phone_numbers_are_removed() {
        assert_eq!(redact_personal("born 1990-05-12, ok"), "born […], ok");
        assert_eq!(redact_personal("born 12/05/1990"), "born […]");
        assert_eq!(
            redact_personal("card DN4010123456789 expired"),
            "card […] expired"
        );
        assert_eq!(redact_personal("phone 0912.345.678"), "phone […]");
    }

    #[test]
    fn quoted_values_are_removed_keeping_the_shape() {
        assert_eq!(
            redact_personal(r#"invalid type: string "Nguyễn Văn A", expected u32"#),
            r#"invalid type: string "[…]", expected u32"#
        );
        assert_eq!(
            redact_personal(r#"InvalidBirthDate { value: "1990-13-45" }"#),
            r#"InvalidBirthDate { value: "[…]" }"#
        );
        assert_eq!(redact_personal(r#"empty "" stays"#), r#"empty "" stays"#);
        assert_eq!(redact_personal(r#"cut "Trần Thị"#), r#"cut "[…]"#);
    }

    #[test]
    fn what_support_staff_need_stays() {
        for kept in [
            "sync: the server failed (HTTP 503)",
            "sync: refresh Incremental, 412 resources received",
            "could not listen for `visibilitychange` events",
            "storage: a stored value could not be read: setting open_book (format 3)",
            "imm-2 at line 12, column 7",
        ] {
            assert_eq!(redact_personal(kept), kept);
        }
    }
}
