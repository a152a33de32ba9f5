//! What the form fields share: a new record's id, and the problems the core named for a field.

use health_book::entry::new_record_id;
use health_book::validate::Finding;
use health_book::RecordId;

use crate::i18n::Msg;

/// A new device record's id. Ids need to be unique in the book, not secret: `Math.random` is
/// always there (the Web Crypto API is not, outside secure contexts).
pub fn fresh_record_id() -> RecordId {
    let mut bytes = [0u8; 8];
    for b in &mut bytes {
        *b = (js_sys::Math::random() * 256.0) as u8;
    }
    new_record_id(bytes)
}

/// The problems whose path is `path` (or inside it: `facility` covers `facility.name`).
pub fn problems_at(problems: &[Finding], path: &str) -> Vec<Msg> {
    problems
        .iter()
        .filter(|f| {
            f.path == path
                || f.path
                    .strip_prefix(path)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
        .map(|f| Msg::Finding(f.kind.clone()))
        .collect()
}
