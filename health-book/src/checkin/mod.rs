//! The check-in QR: the person's identity in the layout of the chip citizen ID card's own QR, so
//! reception software that already reads the card reads this code too.
//!
//! - [`payload`]: the pipe-separated text, built from a profile and parsed back tolerantly.
//! - [`qr`]: the QR symbol, UTF-8 with an ECI designator so scanners decode Vietnamese correctly.
//! - [`read`]: QR codes read out of camera frames and photos (where the browser cannot).
//! - [`CheckInCode`]: both together, refused with a typed reason when they cannot be made.

pub mod payload;
pub mod qr;
pub mod read;

pub use payload::{
    CheckInField, CheckInParseError, CheckInPayload, CheckInRefusal, CheckInVariant, ScanWarning,
    ScannedCard,
};
pub use qr::{ErrorCorrection, QrEncodeError, QrMatrix, QUIET_ZONE};

use crate::model::Profile;

/// A check-in code ready to show: its text and its QR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckInCode {
    pub payload: CheckInPayload,
    /// The exact text in the QR.
    pub text: String,
    pub qr: QrMatrix,
}

impl CheckInCode {
    /// The code for a book's profile.
    pub fn build(
        profile: &Profile,
        variant: CheckInVariant,
        error_correction: ErrorCorrection,
    ) -> Result<CheckInCode, CheckInRefusal> {
        Self::from_payload(
            CheckInPayload::from_profile(profile, variant)?,
            error_correction,
        )
    }

    fn from_payload(
        payload: CheckInPayload,
        error_correction: ErrorCorrection,
    ) -> Result<CheckInCode, CheckInRefusal> {
        let text = payload.encode();
        let qr = qr::encode_utf8(&text, error_correction).map_err(CheckInRefusal::Qr)?;
        Ok(CheckInCode { payload, text, qr })
    }
}
