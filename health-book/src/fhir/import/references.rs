//! Whose records, and what a reference points at: by `fullUrl`, by `Type/id`, or by the
//! `Type/id` at the end of an absolute URL of the same server. A record belongs to the Patient its
//! reference resolves to in the file, and to no one else (see the module docs of `fhir`).

use super::*;

impl Reader<'_> {
    /// The entry a reference points at: by `fullUrl`, by `Type/id`, or by the `Type/id` at the
    /// end of an absolute URL (version suffix ignored) unless the entry it finds was read from
    /// another server (a RESTful `fullUrl` with another base is another resource).
    pub(super) fn resolve(&self, reference: Option<&Reference>) -> Option<usize> {
        let r = reference?.reference.as_deref()?.trim();
        let lookup = |key: &str| {
            self.index
                .get(&(self.current_scope, key.to_string()))
                .or_else(|| self.global_index.get(key))
                .copied()
        };
        if let Some(i) = lookup(r) {
            return Some(i);
        }
        let (base, tail) = rest_parts(r)?;
        let i = lookup(tail)?;
        let found_base = self.entries[i]
            .full_url
            .as_deref()
            .and_then(rest_parts)
            .and_then(|(b, _)| b);
        match (base, found_base) {
            (Some(wanted), Some(found)) if wanted != found => None,
            _ => Some(i),
        }
    }

    /// The Patient entry a record belongs to: the one its reference resolves to, and no other.
    pub(super) fn owner(&self, reference: Option<&Reference>) -> Result<usize, SkipReason> {
        let Some(text) = reference
            .and_then(|r| r.reference.as_deref())
            .map(str::trim)
            .filter(|r| !r.is_empty() && !r.starts_with('#'))
        else {
            return Err(SkipReason::NoPatientReference);
        };
        match self.resolve(reference) {
            Some(i) if self.entries[i].resource_type == "Patient" => Ok(i),
            _ => Err(SkipReason::OtherPatient {
                reference: text.to_string(),
            }),
        }
    }
}

/// `[base/]Type/id` of a RESTful reference or `fullUrl`, a version suffix ignored: the server's
/// base when the URL is absolute, and `Type/id`. `None` for what has no `Type/id` (`urn:uuid:`).
fn rest_parts(url: &str) -> Option<(Option<&str>, &str)> {
    let url = url.split("/_history/").next().unwrap_or(url);
    let id_at = url.rfind('/')?;
    let type_at = url[..id_at].rfind('/').map_or(0, |p| p + 1);
    let base = type_at
        .checked_sub(1)
        .map(|end| &url[..end])
        .filter(|b| b.contains("://"));
    Some((base, &url[type_at..]))
}
