//! The limit on strings, checked on the parsed resources the book reads (the byte and depth
//! limits are checked on the text before parsing, the entry and record limits while reading).

use serde_json::Value;

/// Fields the book never reads that servers fill with large text on purpose: an Attachment's
/// base64 `data` (a Patient's photo, a scan) and a resource's XHTML narrative `div`.
const UNREAD_LARGE_FIELDS: &[&str] = &["data", "div"];

/// The size of the first string (value or key) in `value` longer than `limit` bytes, outside
/// [`UNREAD_LARGE_FIELDS`]. Recursion is bounded: the text was refused before parsing when it
/// nests deeper than the depth limit.
pub(super) fn string_over(value: &Value, limit: usize) -> Option<usize> {
    match value {
        Value::String(s) => (s.len() > limit).then_some(s.len()),
        Value::Array(items) => items.iter().find_map(|v| string_over(v, limit)),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            if k.len() > limit {
                Some(k.len())
            } else if UNREAD_LARGE_FIELDS.contains(&k.as_str()) {
                None
            } else {
                string_over(v, limit)
            }
        }),
        _ => None,
    }
}
