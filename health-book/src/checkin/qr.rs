//! QR symbols that real scanners read back as the text that was put in.
//!
//! Built segment by segment with `qrcode::bits::Bits`, never with `QrCode::new`: the crate's
//! automatic mode choice may put UTF-8 Vietnamese into Shift-JIS Kanji mode, which zbar and jsQR
//! decode as garbage, and plain byte mode without an ECI designator makes zbar guess a legacy
//! charset ("Thái Nguyên" came back as "Th獺i Nguy礙n"). So text is one byte-mode segment behind
//! ECI 26 (UTF-8), in the smallest version that fits the chosen error correction level.
//!
//! The result is a module matrix; [`QrMatrix::svg_path`] gives the dark modules as one SVG path
//! for the app to put in its own `<svg>`, black on white, with a four-module quiet zone.

use qrcode::bits::Bits;
use qrcode::types::QrError;
use qrcode::{Color, EcLevel, QrCode, Version};
use thiserror::Error;

use crate::ids::InsuranceCode;

/// Light modules around the symbol, as the QR standard asks.
pub const QUIET_ZONE: usize = 4;

/// ECI designator for UTF-8.
const ECI_UTF8: u32 = 26;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ErrorCorrection {
    /// About 7% of the symbol can be lost.
    Low,
    /// About 15%: the default, a fair trade between density and robustness on a phone screen.
    #[default]
    Medium,
    Quartile,
    High,
}

impl ErrorCorrection {
    fn level(self) -> EcLevel {
        match self {
            ErrorCorrection::Low => EcLevel::L,
            ErrorCorrection::Medium => EcLevel::M,
            ErrorCorrection::Quartile => EcLevel::Q,
            ErrorCorrection::High => EcLevel::H,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum QrEncodeError {
    #[error("{bytes} bytes do not fit in a QR code at this error correction level")]
    TooLong { bytes: usize },
    #[error("only ASCII text can be encoded without a character set")]
    NotAscii,
    #[error("the QR encoder refused the data")]
    Encoder,
}

/// A QR symbol: `size` × `size` modules, row by row, `true` for dark. No quiet zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    pub size: usize,
    pub modules: Vec<bool>,
    /// QR version, 1 to 40.
    pub version: u8,
}

impl QrMatrix {
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.size && y < self.size && self.modules[y * self.size + x]
    }

    /// Width and height including the quiet zone: the `viewBox` is `0 0 n n`.
    pub fn size_with_quiet_zone(&self) -> usize {
        self.size + 2 * QUIET_ZONE
    }

    /// The dark modules as an SVG path `d`, in module units, offset by the quiet zone: each run of
    /// dark modules in a row is one rectangle, `M{x} {y}h{n}v1h-{n}z`.
    pub fn svg_path(&self) -> String {
        let mut d = String::with_capacity(self.size * self.size);
        for y in 0..self.size {
            let mut x = 0;
            while x < self.size {
                if !self.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < self.size && self.is_dark(x, y) {
                    x += 1;
                }
                let run = x - start;
                d.push_str(&format!(
                    "M{} {}h{}v1h-{}z",
                    start + QUIET_ZONE,
                    y + QUIET_ZONE,
                    run,
                    run
                ));
            }
        }
        d
    }

    /// A complete inline `<svg>` element (no XML declaration), black on white, scaling to its box.
    pub fn svg_element(&self) -> String {
        let n = self.size_with_quiet_zone();
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {n} {n}\" shape-rendering=\"crispEdges\"><rect width=\"{n}\" height=\"{n}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{}\"/></svg>",
            self.svg_path()
        )
    }

    fn from_code(code: &QrCode, version: u8) -> QrMatrix {
        QrMatrix {
            size: code.width(),
            modules: code
                .to_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect(),
            version,
        }
    }
}

/// The data bits of `data` as one ECI 26 byte segment (or a plain byte segment) in `version`.
pub(crate) fn segment_bits(
    data: &[u8],
    eci: bool,
    version: i16,
    level: EcLevel,
) -> Result<Bits, QrError> {
    let mut bits = Bits::new(Version::Normal(version));
    if eci {
        bits.push_eci_designator(ECI_UTF8)?;
    }
    bits.push_byte_data(data)?;
    bits.push_terminator(level)?;
    Ok(bits)
}

fn encode_bytes(
    data: &[u8],
    eci: bool,
    error_correction: ErrorCorrection,
) -> Result<QrMatrix, QrEncodeError> {
    let level = error_correction.level();
    for version in 1..=40i16 {
        match segment_bits(data, eci, version, level) {
            Ok(bits) => {
                let code = QrCode::with_bits(bits, level).map_err(|_| QrEncodeError::Encoder)?;
                return Ok(QrMatrix::from_code(&code, version as u8));
            }
            Err(QrError::DataTooLong) => continue,
            Err(_) => return Err(QrEncodeError::Encoder),
        }
    }
    Err(QrEncodeError::TooLong { bytes: data.len() })
}

/// Any text, as UTF-8 behind an ECI designator.
pub fn encode_utf8(
    text: &str,
    error_correction: ErrorCorrection,
) -> Result<QrMatrix, QrEncodeError> {
    encode_bytes(text.as_bytes(), true, error_correction)
}

/// ASCII text as a plain byte segment: every reader decodes it, and it is a little smaller.
pub fn encode_ascii(
    text: &str,
    error_correction: ErrorCorrection,
) -> Result<QrMatrix, QrEncodeError> {
    if !text.is_ascii() {
        return Err(QrEncodeError::NotAscii);
    }
    encode_bytes(text.as_bytes(), false, error_correction)
}

/// The health insurance code alone, compact upper case ("DN4010123456789").
pub fn insurance_code(
    code: &InsuranceCode,
    error_correction: ErrorCorrection,
) -> Result<QrMatrix, QrEncodeError> {
    encode_ascii(code.as_str(), error_correction)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{LONGEST_REALISTIC_ADDRESS, NGUYEN_THI_NGOC_ANH};

    #[test]
    fn vietnamese_text_is_an_eci_utf8_byte_segment() {
        let text = format!("019190001234||{NGUYEN_THI_NGOC_ANH}|05072019|Nữ||");
        let qr = encode_utf8(&text, ErrorCorrection::Medium).unwrap();
        let bits = segment_bits(text.as_bytes(), true, i16::from(qr.version), EcLevel::M)
            .unwrap()
            .into_bytes();
        // 0111 = ECI, 00011010 = 26 (UTF-8), 0100 = byte mode: never Kanji (1000).
        assert_eq!(bits[0], 0b0111_0001);
        assert_eq!(bits[1] >> 4, 0b1010);
        assert_eq!(bits[1] & 0x0f, 0b0100);
        // The byte count that follows is the UTF-8 length.
        let count = if qr.version < 10 {
            usize::from(bits[2])
        } else {
            usize::from(bits[2]) << 8 | usize::from(bits[3])
        };
        assert_eq!(count, text.len());
    }

    #[test]
    fn smallest_version_that_fits() {
        let short = encode_utf8("019190001234", ErrorCorrection::Medium).unwrap();
        assert_eq!(short.version, 1);
        assert_eq!(short.size, 21);
        let text = format!("019190001234|091234567|{NGUYEN_THI_NGOC_ANH}|05072001|Nữ|{LONGEST_REALISTIC_ADDRESS}|15042021");
        let qr = encode_utf8(&text, ErrorCorrection::Medium).unwrap();
        assert_eq!(qr.size, 17 + 4 * usize::from(qr.version));
        let smaller = segment_bits(text.as_bytes(), true, i16::from(qr.version) - 1, EcLevel::M);
        assert!(
            smaller.is_err(),
            "version {} is not the smallest",
            qr.version
        );
        // Higher error correction needs at least as large a symbol.
        let high = encode_utf8(&text, ErrorCorrection::High).unwrap();
        assert!(high.version > qr.version);
    }

    #[test]
    fn too_long_and_not_ascii_are_typed() {
        let huge = "Ữ".repeat(1200);
        assert_eq!(
            encode_utf8(&huge, ErrorCorrection::Low),
            Err(QrEncodeError::TooLong { bytes: 3600 })
        );
        assert_eq!(
            encode_ascii("Dũng", ErrorCorrection::Low),
            Err(QrEncodeError::NotAscii)
        );
    }

    #[test]
    fn finder_patterns_and_svg_path() {
        let qr = encode_utf8("Hoàng Văn Dũng", ErrorCorrection::Medium).unwrap();
        // Top-left finder: dark ring, light ring, dark 3x3 centre.
        for i in 0..7 {
            assert!(qr.is_dark(i, 0) && qr.is_dark(0, i) && qr.is_dark(6, i) && qr.is_dark(i, 6));
        }
        assert!(!qr.is_dark(1, 1) && qr.is_dark(3, 3) && !qr.is_dark(7, 0));
        let d = qr.svg_path();
        assert!(d.starts_with("M4 4h7v1h-7z"), "{}", &d[..30]);
        let dark_in_path: usize = d
            .split('z')
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.split('h')
                    .nth(1)
                    .and_then(|n| n.split('v').next())
                    .and_then(|n| n.parse::<usize>().ok())
                    .unwrap()
            })
            .sum();
        assert_eq!(dark_in_path, qr.modules.iter().filter(|m| **m).count());
        let svg = qr.svg_element();
        assert!(svg.starts_with("<svg ") && !svg.contains("<?xml"));
        assert!(svg.contains(&format!("viewBox=\"0 0 {0} {0}\"", qr.size + 8)));
    }

    #[test]
    fn insurance_code_qr() {
        let code = InsuranceCode::parse("dn 4 01 0123456789").unwrap();
        let qr = insurance_code(&code, ErrorCorrection::Medium).unwrap();
        let bits = segment_bits(b"DN4010123456789", false, i16::from(qr.version), EcLevel::M)
            .unwrap()
            .into_bytes();
        assert_eq!(bits[0] >> 4, 0b0100, "plain byte mode");
        // Version 1 at M holds 14 bytes; the legacy code has 15.
        assert_eq!(qr.version, 2);
    }
}
