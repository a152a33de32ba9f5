//! What the screens say of where a record came from.

/// The server a synced record came from, as a person reads it: its host ("fhir.example:8443"),
/// without the scheme and the path of the FHIR base URL.
pub fn server_host(base_url: &str) -> &str {
    let rest = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_of_a_base_url() {
        assert_eq!(server_host("https://fhir.example/r4"), "fhir.example");
        assert_eq!(server_host("http://127.0.0.1:8090/fhir/"), "127.0.0.1:8090");
        assert_eq!(server_host("fhir.example"), "fhir.example");
        assert_eq!(server_host(""), "");
    }
}
