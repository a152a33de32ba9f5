//! Content lines of an iCalendar stream (RFC 5545 section 3.1): properties written as
//! `NAME;PARAM=V:value`, TEXT values escaped (3.3.11), lines folded at 75 octets without
//! splitting a UTF-8 character, every line ended with CRLF.

/// Octets a line may hold before it is folded (CRLF not counted).
pub const MAX_LINE_OCTETS: usize = 75;

/// An iCalendar stream being written.
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
}

impl Writer {
    pub fn new() -> Self {
        Writer::default()
    }

    /// A property whose value is written as given (dates, rules, durations: no escaping).
    pub fn raw(&mut self, name: &str, value: &str) -> &mut Self {
        self.line(&format!("{name}:{value}"));
        self
    }

    /// A TEXT property: the value escaped.
    pub fn text(&mut self, name: &str, value: &str) -> &mut Self {
        self.line(&format!("{name}:{}", escape_text(value)));
        self
    }

    pub fn begin(&mut self, component: &str) -> &mut Self {
        self.raw("BEGIN", component)
    }

    pub fn end(&mut self, component: &str) -> &mut Self {
        self.raw("END", component)
    }

    pub fn finish(self) -> String {
        self.out
    }

    fn line(&mut self, line: &str) {
        fold_into(&mut self.out, line);
    }
}

/// TEXT escaping: backslash, semicolon, comma, and line breaks (written as `\n`).
pub fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            // Other control characters are not allowed in TEXT.
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded: after at most 75 octets a CRLF and one space, never inside a UTF-8
/// character (Vietnamese letters are 2 or 3 octets).
fn fold_into(out: &mut String, line: &str) {
    let mut used = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if used + len > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            // The space that starts a continuation line counts towards its 75 octets.
            used = 1;
        }
        out.push(c);
        used += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape_text("Uống 1 viên; sau ăn, sáng\\tối\nhết"),
            "Uống 1 viên\\; sau ăn\\, sáng\\\\tối\\nhết"
        );
        assert_eq!(escape_text("a\r\nb\u{7}"), "a\\nb");
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let mut w = Writer::new();
        let value =
            "Tái khám tại Bệnh viện Đa khoa Trung ương Thái Nguyên, khoa Nội tiết – Đái tháo đường";
        w.text("SUMMARY", value);
        let out = w.finish();
        assert!(out.ends_with("\r\n"));
        let lines: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(lines.len() > 1, "{lines:?}");
        for (i, line) in lines.iter().enumerate() {
            assert!(
                line.len() <= MAX_LINE_OCTETS,
                "line {i} has {} octets",
                line.len()
            );
            if i > 0 {
                assert!(line.starts_with(' '));
            }
        }
        let unfolded: String = lines
            .iter()
            .enumerate()
            .map(|(i, l)| if i == 0 { *l } else { &l[1..] })
            .collect();
        assert_eq!(unfolded, format!("SUMMARY:{}", escape_text(value)));
    }
}
