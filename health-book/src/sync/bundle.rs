//! One page of a search, `$everything` or `_history` answer: its resources, which resource each
//! entry is about (history entries of a deletion carry no resource), and the `next` page.

use serde_json::Value;
use thiserror::Error;

use crate::fhir::{nesting_exceeds, ImportLimits};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PageError {
    #[error("the answer has {size} bytes, more than the {limit} allowed")]
    TooLarge { size: usize, limit: usize },
    #[error("the answer nests deeper than {limit} levels")]
    TooDeep { limit: usize },
    #[error("the answer is not JSON")]
    NotJson,
    #[error("the answer is not a Bundle")]
    NotABundle { found: Option<String> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct PageEntry {
    /// `Type/id` of the resource the entry is about.
    pub key: Option<String>,
    pub resource: Option<Value>,
    /// `request.method` of a history entry (`DELETE` for a deletion).
    pub method: Option<String>,
}

impl PageEntry {
    pub fn is_deletion(&self) -> bool {
        self.method.as_deref() == Some("DELETE")
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub entries: Vec<PageEntry>,
    pub next: Option<String>,
    pub total: Option<u64>,
}

/// `Type/id` at the end of a reference or URL: `Patient/1`, `http://x/fhir/Patient/1`, and
/// `Patient/1/_history/3` all give `Patient/1`. `None` for anything else (`urn:uuid:...`).
pub fn key_of_reference(reference: &str) -> Option<String> {
    let path = reference.split(['?', '#']).next()?;
    let path = path.split("/_history/").next()?;
    let mut parts = path.trim_end_matches('/').rsplit('/');
    let id = parts.next()?;
    let resource_type = parts.next()?;
    let is_type = resource_type
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_uppercase())
        && resource_type.chars().all(|c| c.is_ascii_alphabetic());
    (is_type && !id.is_empty()).then(|| format!("{resource_type}/{id}"))
}

/// `Type/id` of a resource.
pub fn key_of_resource(resource: &Value) -> Option<String> {
    let resource_type = resource.get("resourceType")?.as_str()?;
    let id = resource.get("id")?.as_str()?;
    Some(format!("{resource_type}/{id}"))
}

pub fn parse_page(bytes: &[u8], limits: ImportLimits) -> Result<Page, PageError> {
    if bytes.len() > limits.max_bytes {
        return Err(PageError::TooLarge {
            size: bytes.len(),
            limit: limits.max_bytes,
        });
    }
    if nesting_exceeds(bytes, limits.max_depth) {
        return Err(PageError::TooDeep {
            limit: limits.max_depth,
        });
    }
    let mut root: Value = serde_json::from_slice(bytes).map_err(|_| PageError::NotJson)?;
    let resource_type = root.get("resourceType").and_then(Value::as_str);
    if resource_type != Some("Bundle") {
        return Err(PageError::NotABundle {
            found: resource_type.map(str::to_string),
        });
    }
    let next = root
        .get("link")
        .and_then(Value::as_array)
        .and_then(|links| {
            links
                .iter()
                .find(|l| l.get("relation").and_then(Value::as_str) == Some("next"))
        })
        .and_then(|l| l.get("url"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let total = root.get("total").and_then(Value::as_u64);
    let entries = match root.get_mut("entry").map(Value::take) {
        Some(Value::Array(entries)) => entries
            .into_iter()
            .filter_map(|mut entry| {
                // Warnings a server adds to a search are not data.
                let mode = entry.pointer("/search/mode").and_then(Value::as_str);
                if mode == Some("outcome") {
                    return None;
                }
                let resource = entry
                    .get_mut("resource")
                    .map(Value::take)
                    .filter(Value::is_object);
                let method = entry
                    .pointer("/request/method")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                let key = resource
                    .as_ref()
                    .and_then(key_of_resource)
                    .or_else(|| {
                        entry
                            .pointer("/request/url")
                            .and_then(Value::as_str)
                            .and_then(key_of_reference)
                    })
                    .or_else(|| {
                        entry
                            .get("fullUrl")
                            .and_then(Value::as_str)
                            .and_then(key_of_reference)
                    });
                Some(PageEntry {
                    key,
                    resource,
                    method,
                })
            })
            .collect(),
        _ => Vec::new(),
    };
    Ok(Page {
        entries,
        next,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_come_from_references_in_any_form() {
        assert_eq!(key_of_reference("Patient/1").as_deref(), Some("Patient/1"));
        assert_eq!(
            key_of_reference("http://x/fhir/R4/Immunization/ab-c").as_deref(),
            Some("Immunization/ab-c")
        );
        assert_eq!(
            key_of_reference("Immunization/9/_history/3").as_deref(),
            Some("Immunization/9")
        );
        assert_eq!(key_of_reference("urn:uuid:0a1b").as_deref(), None);
        assert_eq!(key_of_reference("#contained").as_deref(), None);
        assert_eq!(key_of_reference("Patient?identifier=x").as_deref(), None);
    }

    #[test]
    fn a_history_page_keeps_deletions_and_the_next_link() {
        let page = json!({
            "resourceType": "Bundle", "type": "history", "total": 3,
            "link": [{ "relation": "self", "url": "s" }, { "relation": "next", "url": "http://x/next" }],
            "entry": [
                { "fullUrl": "http://x/Immunization/1", "request": { "method": "DELETE", "url": "Immunization/1" } },
                { "resource": { "resourceType": "Immunization", "id": "2" }, "request": { "method": "PUT", "url": "Immunization/2" } },
                { "resource": { "resourceType": "OperationOutcome" }, "search": { "mode": "outcome" } },
                "not an entry object"
            ]
        });
        let page = parse_page(page.to_string().as_bytes(), ImportLimits::default()).unwrap();
        assert_eq!(page.next.as_deref(), Some("http://x/next"));
        assert_eq!(page.total, Some(3));
        assert_eq!(page.entries.len(), 3);
        assert!(page.entries[0].is_deletion());
        assert_eq!(page.entries[0].key.as_deref(), Some("Immunization/1"));
        assert_eq!(page.entries[1].key.as_deref(), Some("Immunization/2"));
        assert!(page.entries[2].key.is_none() && page.entries[2].resource.is_none());
    }

    #[test]
    fn the_last_page_has_no_next_and_bad_answers_are_refused() {
        let last = parse_page(
            br#"{"resourceType":"Bundle","type":"searchset"}"#,
            ImportLimits::default(),
        )
        .unwrap();
        assert!(last.next.is_none() && last.entries.is_empty());
        assert_eq!(
            parse_page(b"<html>", ImportLimits::default()),
            Err(PageError::NotJson)
        );
        assert_eq!(
            parse_page(
                br#"{"resourceType":"OperationOutcome"}"#,
                ImportLimits::default()
            ),
            Err(PageError::NotABundle {
                found: Some("OperationOutcome".into())
            })
        );
        let limits = ImportLimits {
            max_bytes: 10,
            max_depth: 64,
            ..ImportLimits::default()
        };
        assert!(matches!(
            parse_page(&[b' '; 11], limits),
            Err(PageError::TooLarge { .. })
        ));
        let deep = "[".repeat(100);
        assert_eq!(
            parse_page(deep.as_bytes(), ImportLimits::default()),
            Err(PageError::TooDeep { limit: 64 })
        );
    }
}
