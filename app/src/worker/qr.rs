//! QR codes in the data worker: the texts of the codes in one camera frame, read with rqrr (the
//! page uses the browser's `BarcodeDetector` where there is one and asks the worker otherwise).

use super::protocol::{Payload, Reply, WorkerError};

/// The texts of the QR codes in `width * height` RGBA `pixels`.
pub fn decode(width: u32, height: u32, pixels: Option<Payload>) -> Reply {
    match pixels.and_then(Payload::into_bytes) {
        Some(pixels) => Reply::DecodedQr {
            texts: health_book::checkin::read::decode_rgba(
                width as usize,
                height as usize,
                &js_sys::Uint8Array::new(&pixels).to_vec(),
            ),
        },
        None => Reply::Failed(WorkerError::MissingData),
    }
}
