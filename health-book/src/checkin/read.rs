//! Reading QR codes out of pixels: camera frames and photos on browsers without a
//! `BarcodeDetector` (desktop Chromium on Linux, Firefox, older Safari).
//!
//! `rqrr` does the work (pure Rust, builds for wasm32 unchanged, no `image` dependency). The app
//! hands over the RGBA pixels a canvas gives; what the codes say is decided by
//! [`crate::views::card_scan`].

/// The texts of every QR code found in an RGBA image (`width * height * 4` bytes, row by row),
/// in the order they were found. A code whose bytes are not UTF-8 is read with replacement
/// characters, so the person is told it is not a card rather than shown nothing; a symbol that
/// cannot be decoded (blurred, half in view) is left out, and the next frame tries again.
pub fn decode_rgba(width: usize, height: usize, rgba: &[u8]) -> Vec<String> {
    // Checked: a broken camera or canvas can report any size, and a wrapped product would let
    // the reads below run past the pixels given.
    let needed = width.checked_mul(height).and_then(|n| n.checked_mul(4));
    if width == 0 || height == 0 || needed.is_none_or(|n| rgba.len() < n) {
        return Vec::new();
    }
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
        let i = (y * width + x) * 4;
        // Rec. 601 luma in integers: what the detector's threshold expects of a grey image.
        let (r, g, b) = (
            u32::from(rgba[i]),
            u32::from(rgba[i + 1]),
            u32::from(rgba[i + 2]),
        );
        ((r * 299 + g * 587 + b * 114) / 1000) as u8
    });
    image
        .detect_grids()
        .into_iter()
        .filter_map(|grid| {
            let mut bytes = Vec::new();
            grid.decode_to(&mut bytes).ok()?;
            Some(String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkin::qr::{encode_utf8, ErrorCorrection, QrMatrix, QUIET_ZONE};

    /// The symbol drawn as a camera would see it: `scale` pixels a module, dark grey on a light
    /// grey page (not pure black and white), placed at an offset inside a bigger frame.
    fn frame(qr: &QrMatrix, scale: usize, offset: usize) -> (usize, usize, Vec<u8>) {
        let side = qr.size_with_quiet_zone() * scale + 2 * offset;
        let (w, h) = (side + 37, side);
        let mut rgba = vec![0u8; w * h * 4];
        for y in 0..h {
            for x in 0..w {
                let mx = (x as isize - offset as isize) / scale as isize - QUIET_ZONE as isize;
                let my = (y as isize - offset as isize) / scale as isize - QUIET_ZONE as isize;
                let dark = mx >= 0 && my >= 0 && qr.is_dark(mx as usize, my as usize);
                let v = if dark { 30 } else { 220 };
                let i = (y * w + x) * 4;
                rgba[i..i + 4].copy_from_slice(&[v, v, v.saturating_add(10), 255]);
            }
        }
        (w, h, rgba)
    }

    #[test]
    fn reads_a_card_qr_with_vietnamese_text_back_exactly() {
        let text =
            "019319001234||Nguyễn Thị Ngọc Ánh|05072019|Nữ|Xóm Khuôn Tát, Định Hóa, Thái Nguyên|";
        let qr = encode_utf8(text, ErrorCorrection::Medium).unwrap();
        let (w, h, rgba) = frame(&qr, 4, 23);
        assert_eq!(decode_rgba(w, h, &rgba), vec![text.to_string()]);
    }

    #[test]
    fn a_frame_without_a_code_reads_nothing() {
        let (w, h) = (64, 48);
        assert!(decode_rgba(w, h, &vec![200; w * h * 4]).is_empty());
        assert!(decode_rgba(0, 0, &[]).is_empty());
        // Fewer bytes than the size says: nothing, not a panic.
        assert!(decode_rgba(w, h, &[0; 10]).is_empty());
    }
}
