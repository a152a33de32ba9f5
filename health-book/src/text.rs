//! Text helpers shared by search and storage.

use unicode_normalization::UnicodeNormalization;

/// Folds Vietnamese text for search: lower case, diacritics removed, "đ" to "d", runs of white
/// space collapsed, so "nguyen van a" finds "Nguyễn Văn A" and "NGUYỄN  VĂN A".
pub fn fold_for_search(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            _ => c,
        };
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// Folds a vaccine code or name as registers write it: [`fold_for_search`], then every run of
/// characters other than letters and digits dropped, so "DTP-HepB-Hib", "dtp hepb hib" and
/// "DTP/HepB/Hib" fold alike.
pub fn fold_compact(text: &str) -> String {
    fold_for_search(text)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Unicode NFC, the form names are stored and compared in (input methods on phones produce both
/// composed and decomposed Vietnamese).
pub fn nfc(text: &str) -> String {
    text.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese_names() {
        assert_eq!(fold_for_search("Nguyễn Văn A"), "nguyen van a");
        assert_eq!(
            fold_for_search("  ĐẶNG   Thị Ngọc Ánh "),
            "dang thi ngoc anh"
        );
        assert_eq!(fold_for_search("Hoàng Văn Dũng"), "hoang van dung");
        assert_eq!(
            fold_for_search("Định Hóa, Thái Nguyên"),
            "dinh hoa, thai nguyen"
        );
    }

    #[test]
    fn compact_folding_ignores_punctuation_and_spaces() {
        assert_eq!(fold_compact("DTP-HepB-Hib"), "dtphepbhib");
        assert_eq!(fold_compact("dtp hepb/hib"), "dtphepbhib");
        assert_eq!(fold_compact("Vắc-xin 5 trong 1"), "vacxin5trong1");
    }

    #[test]
    fn decomposed_and_composed_input_fold_alike() {
        let composed = "Nguyễn";
        let decomposed: String = composed.nfd().collect();
        assert_ne!(composed, decomposed);
        assert_eq!(fold_for_search(composed), fold_for_search(&decomposed));
        assert_eq!(nfc(&decomposed), composed);
    }
}
