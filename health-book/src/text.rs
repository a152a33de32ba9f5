//! Text helpers shared by search and storage.
//!
//! Normalization is canonical only (NFC, NFD), built here from `unicode-normalization`'s
//! per-character functions: its string iterators choose between the canonical and the
//! compatibility tables at run time, so using them links the compatibility tables (about 28 KB
//! gzip of the app's wasm) that nothing here needs. The tests check the result against the
//! crate's own `nfc()` and `nfd()`.

use unicode_normalization::char::{
    canonical_combining_class, compose, decompose_canonical, is_combining_mark,
};

/// Folds Vietnamese text for search: lower case, diacritics removed, "đ" to "d", runs of white
/// space collapsed, so "nguyen van a" finds "Nguyễn Văn A" and "NGUYỄN  VĂN A".
pub fn fold_for_search(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in nfd_chars(text) {
        if is_combining_mark(c) {
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
    compose_canonical(nfd_chars(text)).into_iter().collect()
}

/// Unicode NFD (canonical decomposition).
pub fn nfd(text: &str) -> String {
    nfd_chars(text).into_iter().collect()
}

/// Whether `text` is already in NFC (validation warns about text that is not).
pub fn is_nfc(text: &str) -> bool {
    // Plain ASCII is NFC; most identifiers and numbers need no tables.
    text.is_ascii()
        || compose_canonical(nfd_chars(text))
            .into_iter()
            .eq(text.chars())
}

/// Canonical decomposition, then the canonical ordering of each run of combining marks (UAX #15).
fn nfd_chars(text: &str) -> Vec<char> {
    let mut chars = Vec::with_capacity(text.len());
    for c in text.chars() {
        decompose_canonical(c, |d| chars.push(d));
    }
    let mut start = 0;
    while start < chars.len() {
        if canonical_combining_class(chars[start]) == 0 {
            start += 1;
            continue;
        }
        let end = chars[start..]
            .iter()
            .position(|&c| canonical_combining_class(c) == 0)
            .map_or(chars.len(), |n| start + n);
        // Stable: marks of the same class keep their order.
        chars[start..end].sort_by_key(|&c| canonical_combining_class(c));
        start = end;
    }
    chars
}

/// Canonical composition of decomposed, canonically ordered text (UAX #15): each character joins
/// the last starter unless a character between them blocks it (a starter, or a mark of the same
/// or a higher class).
fn compose_canonical(decomposed: Vec<char>) -> Vec<char> {
    let mut out: Vec<char> = Vec::with_capacity(decomposed.len());
    let mut starter: Option<usize> = None;
    // The class of the last character kept after the starter; `None` right after it.
    let mut last_class: Option<u8> = None;
    for c in decomposed {
        let class = canonical_combining_class(c);
        if let Some(at) = starter {
            let blocked = last_class.is_some_and(|last| last == 0 || last >= class);
            if !blocked {
                if let Some(composed) = compose(out[at], c) {
                    out[at] = composed;
                    continue;
                }
            }
        }
        if class == 0 {
            starter = Some(out.len());
            last_class = None;
        } else {
            last_class = Some(class);
        }
        out.push(c);
    }
    out
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
        let decomposed = nfd(composed);
        assert_ne!(composed, decomposed);
        assert_eq!(fold_for_search(composed), fold_for_search(&decomposed));
        assert_eq!(nfc(&decomposed), composed);
    }

    /// The canonical forms equal the crate's own iterators (which the app's build avoids).
    mod against_unicode_normalization {
        use super::super::{is_nfc, nfc, nfd};
        use proptest::prelude::*;
        use unicode_normalization::UnicodeNormalization;

        fn agrees(text: &str) {
            assert_eq!(nfc(text), text.nfc().collect::<String>(), "nfc of {text:?}");
            assert_eq!(nfd(text), text.nfd().collect::<String>(), "nfd of {text:?}");
            assert_eq!(
                is_nfc(text),
                unicode_normalization::is_nfc(text),
                "is_nfc of {text:?}"
            );
        }

        #[test]
        fn on_vietnamese_hangul_and_reordered_marks() {
            for text in [
                "",
                "Nguyễn Thị Ngọc Ánh",
                "Nguye\u{302}\u{303}n",
                // Marks out of canonical order: dot below (220) typed after the circumflex (230).
                "e\u{302}\u{323}",
                "ĐẶNG Thị, Định Hóa, Thái Nguyên",
                "\u{1100}\u{1161}\u{11A8}한국어",
                "A\u{30A}\u{301}\u{327}",
                // A composition exclusion and a singleton: NFC must not produce them.
                "\u{0958}\u{212B}\u{2126}",
                // Compatibility characters stay as they are in canonical forms.
                "ﬁ ½ ｶ ①",
                "\u{301}leading mark",
            ] {
                agrees(text);
            }
        }

        proptest! {
            #[test]
            fn on_any_text(text in "\\PC{0,24}") {
                agrees(&text);
            }

            #[test]
            fn on_latin_with_marks(text in "[a-zA-Z\u{300}-\u{36F}\u{1EA0}-\u{1EF9}ăâđêôơưĂÂĐÊÔƠƯ ]{0,24}") {
                agrees(&text);
            }
        }
    }
}
