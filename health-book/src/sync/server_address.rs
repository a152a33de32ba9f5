//! The address of a FHIR server, e.g. `http://127.0.0.1:8103/fhir/R4`: the one place that says
//! what a well-formed address is and how two spellings of one address compare.
//! (The app's Content-Security-Policy decides which origins may actually be reached.)

use std::fmt;

use thiserror::Error;

/// A base URL checked for shape, without surrounding spaces or a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ServerAddress(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ServerAddressError {
    #[error("the server address is empty")]
    Empty,
    #[error("the server address must start with http:// or https://")]
    NotHttp,
    #[error("the server address has no host name")]
    NoHost,
    #[error("the server address must not contain spaces, a query or a fragment")]
    Malformed,
}

impl ServerAddress {
    pub fn parse(input: &str) -> Result<Self, ServerAddressError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(ServerAddressError::Empty);
        }
        let rest = trimmed
            .strip_prefix("https://")
            .or_else(|| trimmed.strip_prefix("http://"))
            .ok_or(ServerAddressError::NotHttp)?;
        if rest
            .chars()
            .any(|c| c.is_whitespace() || c == '?' || c == '#')
        {
            return Err(ServerAddressError::Malformed);
        }
        if rest.split('/').next().is_none_or(str::is_empty) {
            return Err(ServerAddressError::NoHost);
        }
        Ok(Self(normalise(trimmed)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `[base]/metadata`: the capability statement (FHIR R4 RESTful API, "capabilities").
    pub fn metadata_url(&self) -> String {
        format!("{}/metadata", self.0)
    }
}

impl fmt::Display for ServerAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The spelling an address is stored and compared in: no surrounding spaces, no trailing slash.
/// Applies to text that may not parse (a field being typed, an address saved by an older version).
pub fn normalise(address: &str) -> String {
    address.trim().trim_end_matches('/').to_owned()
}

/// Whether two spellings name the same server (`http://a.vn/fhir/` and ` http://a.vn/fhir`).
pub fn same_server(a: &str, b: &str) -> bool {
    normalise(a) == normalise(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fhir_server_address_is_checked_and_probed_at_its_metadata() {
        let server = ServerAddress::parse(" http://127.0.0.1:8103/fhir/R4/ ").unwrap();
        assert_eq!(server.as_str(), "http://127.0.0.1:8103/fhir/R4");
        assert_eq!(
            server.metadata_url(),
            "http://127.0.0.1:8103/fhir/R4/metadata"
        );
        assert_eq!(ServerAddress::parse(""), Err(ServerAddressError::Empty));
        assert_eq!(
            ServerAddress::parse("ftp://example.vn"),
            Err(ServerAddressError::NotHttp)
        );
        assert_eq!(
            ServerAddress::parse("https:///fhir"),
            Err(ServerAddressError::NoHost)
        );
        assert_eq!(
            ServerAddress::parse("https://a.vn/fhir?x=1"),
            Err(ServerAddressError::Malformed)
        );
    }

    #[test]
    fn spellings_of_one_server_compare_equal() {
        assert!(same_server("http://a.vn/fhir/", " http://a.vn/fhir"));
        assert!(!same_server("http://a.vn/fhir", "http://b.vn/fhir"));
        assert_eq!(normalise("  https://a.vn// "), "https://a.vn");
    }
}
