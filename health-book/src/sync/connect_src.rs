//! Whether a page's Content-Security-Policy lets it connect to a sync server.
//!
//! The app runs its sync in a Web Worker, whose fetches the page's `<meta>` policy does not
//! govern (a worker takes its policy from its own script's response headers). So the page asks
//! this before it hands a server to the worker, and a server its own policy would block is
//! refused as the browser would have refused it. The rule is the `connect-src` source matching
//! of CSP Level 3 for the cases an address can meet, and errs towards refusing: a source it does
//! not understand (a nonce, a hash, a path that is not a folder) allows nothing.

use super::server_address::ServerAddress;

/// Whether every policy in `policies` (the `content` of each CSP meta element) lets a page of
/// `page_origin` (`https://host[:port]`) connect to `server`.
pub fn allows_connect<'a>(
    policies: impl IntoIterator<Item = &'a str>,
    page_origin: &str,
    server: &ServerAddress,
) -> bool {
    let Some(target) = Url::parse(server.as_str()) else {
        return false;
    };
    let page = Url::parse(page_origin);
    policies.into_iter().all(|policy| {
        match directive(policy, "connect-src").or_else(|| directive(policy, "default-src")) {
            Some(sources) => sources
                .split_ascii_whitespace()
                .any(|source| matches(source, &target, page.as_ref())),
            None => true,
        }
    })
}

/// The sources of the first directive called `name` (later ones are ignored, as browsers do).
fn directive<'p>(policy: &'p str, name: &str) -> Option<&'p str> {
    policy.split(';').find_map(|part| {
        let part = part.trim();
        let (key, sources) = part.split_once(char::is_whitespace).unwrap_or((part, ""));
        key.eq_ignore_ascii_case(name).then_some(sources)
    })
}

/// A URL's parts that source matching looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Url {
    scheme: String,
    host: String,
    port: u16,
    path: String,
}

impl Url {
    fn parse(text: &str) -> Option<Url> {
        let (scheme, rest) = text.split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        let (authority, path) = rest.find('/').map_or((rest, "/"), |i| rest.split_at(i));
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) => (host, port.parse().ok()?),
            None => (authority, default_port(&scheme)?),
        };
        Some(Url {
            scheme,
            host: host.to_ascii_lowercase(),
            port,
            path: path.to_string(),
        })
    }
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    }
}

/// A source's scheme allows the target's: the same, or `http` allowing its secure upgrade.
fn scheme_allows(source: &str, target: &str) -> bool {
    source == target || (source == "http" && target == "https")
}

fn matches(source: &str, target: &Url, page: Option<&Url>) -> bool {
    // Keywords, schemes and hosts are case-insensitive; paths are not.
    let lower = source.to_ascii_lowercase();
    match lower.as_str() {
        "'self'" => page.is_some_and(|page| {
            scheme_allows(&page.scheme, &target.scheme)
                && page.host == target.host
                && (page.port == target.port || (page.scheme == "http" && target.port == 443))
        }),
        "*" => matches!(target.scheme.as_str(), "http" | "https"),
        _ if lower.starts_with('\'') => false,
        _ if lower.ends_with(':') && !lower.contains('/') => {
            scheme_allows(&lower[..lower.len() - 1], &target.scheme)
        }
        _ => host_source(source, target),
    }
}

/// `[scheme://]host[:port][/path]`, where host may start with `*.` and port may be `*`.
fn host_source(source: &str, target: &Url) -> bool {
    let (scheme, rest) = match source.split_once("://") {
        Some((scheme, rest)) => (Some(scheme.to_ascii_lowercase()), rest),
        None => (None, source),
    };
    if scheme
        .as_deref()
        .is_some_and(|s| !scheme_allows(s, &target.scheme))
    {
        return false;
    }
    let (authority, path) = rest.find('/').map_or((rest, None), |i| {
        let (authority, path) = rest.split_at(i);
        (authority, Some(path))
    });
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    let host = host.to_ascii_lowercase();
    let host_ok = match host.strip_prefix("*.") {
        Some(suffix) => target.host.ends_with(&format!(".{suffix}")),
        None => host == target.host,
    };
    let port_ok = match port {
        Some("*") => true,
        Some(port) => port.parse() == Ok(target.port),
        // No port: the default one of the source's scheme (or of the target's, without one);
        // an `http` source also allows 443 for the upgraded request.
        None => {
            let scheme = scheme.as_deref().unwrap_or(&target.scheme);
            default_port(scheme) == Some(target.port)
                || (scheme == "http" && target.scheme == "https" && target.port == 443)
        }
    };
    // The sync asks for many paths under the base: only a folder that holds the base allows them.
    let path_ok = match path {
        None | Some("/") => true,
        Some(path) => path.ends_with('/') && format!("{}/", target.path).starts_with(path),
    };
    host_ok && port_ok && path_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    const RELEASE: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
        connect-src 'self' https:; worker-src 'self'; object-src 'none'";
    const APP: &str = "https://app.example.vn";

    fn allows(policy: &str, server: &str) -> bool {
        allows_connect([policy], APP, &ServerAddress::parse(server).unwrap())
    }

    #[test]
    fn the_release_policy_allows_any_https_server_and_no_plain_http_one() {
        assert!(allows(RELEASE, "https://fhir.example.vn/R4"));
        assert!(allows(RELEASE, "https://10.0.0.2:8443/fhir"));
        assert!(!allows(RELEASE, "http://127.0.0.1:8103/fhir/R4"));
        assert!(!allows(RELEASE, "http://fhir.example.vn/R4"));
    }

    #[test]
    fn a_deployment_that_names_its_server_allows_that_origin_alone() {
        let named = "connect-src 'self' http://127.0.0.1:8103";
        assert!(allows(named, "http://127.0.0.1:8103/fhir/R4"));
        assert!(!allows(named, "http://127.0.0.1:8104/fhir/R4"));
        assert!(!allows(named, "https://fhir.example.vn/R4"));
        let host_only = "connect-src fhir.example.vn *.moh.gov.vn";
        assert!(allows(host_only, "https://fhir.example.vn/R4"));
        assert!(allows(host_only, "https://hapi.moh.gov.vn/fhir"));
        assert!(!allows(host_only, "https://moh.gov.vn.evil.vn/fhir"));
        assert!(!allows(host_only, "https://fhir.example.vn:8443/R4"));
    }

    #[test]
    fn self_is_the_page_origin_and_default_src_stands_in_for_connect_src() {
        assert!(allows("default-src 'self'", "https://app.example.vn/fhir"));
        assert!(!allows(
            "default-src 'self'",
            "https://other.example.vn/fhir"
        ));
        assert!(!allows("connect-src 'none'", "https://app.example.vn/fhir"));
        // Only the first connect-src counts, and default-src is not looked at then.
        assert!(!allows(
            "connect-src 'none'; connect-src https:; default-src *",
            "https://fhir.example.vn/R4"
        ));
        assert!(allows("script-src 'self'", "http://anything.vn/fhir"));
    }

    #[test]
    fn a_path_source_allows_only_the_servers_under_its_folder() {
        let folder = "connect-src https://fhir.example.vn/R4/";
        assert!(allows(folder, "https://fhir.example.vn/R4"));
        assert!(allows(folder, "https://fhir.example.vn/R4/tenant"));
        assert!(!allows(folder, "https://fhir.example.vn/R5"));
        assert!(!allows(
            "connect-src https://fhir.example.vn/R4",
            "https://fhir.example.vn/R4"
        ));
    }

    #[test]
    fn every_policy_must_allow_and_unknown_sources_allow_nothing() {
        let server = ServerAddress::parse("https://fhir.example.vn/R4").unwrap();
        assert!(!allows_connect(
            [RELEASE, "connect-src 'self'"],
            APP,
            &server
        ));
        assert!(allows_connect(Vec::<&str>::new(), APP, &server));
        assert!(!allows(
            "connect-src 'nonce-abc'",
            "https://fhir.example.vn/R4"
        ));
        assert!(allows("connect-src *", "http://fhir.example.vn/R4"));
    }
}
