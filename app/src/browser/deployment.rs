//! What the deployment that served this copy of the app says about itself, read from index.html.
//!
//! A release build names no health-system server: a deployment names its own by adding
//! `<meta name="ssk-fhir-server" content="https://...">` to index.html (and that origin to the
//! Content-Security-Policy's `connect-src` when it is not HTTPS), at deploy time. The local
//! development server is named the same way by the command that serves it
//! (`e2e/support/static-server.mjs --dev-fhir-server URL`). See README "Sync server".

use health_book::sync::connect_src;
use health_book::sync::server_address::ServerAddress;
use wasm_bindgen::JsCast;

/// The `name` of the meta element that carries the deployment's FHIR server.
pub const FHIR_SERVER_META: &str = "ssk-fhir-server";

/// The FHIR server the deployment names, if any (as written; the caller checks its shape).
pub fn fhir_server() -> Option<String> {
    let document = web_sys::window()?.document()?;
    let meta = document
        .query_selector(&format!("meta[name=\"{FHIR_SERVER_META}\"]"))
        .ok()??;
    let content = meta.get_attribute("content")?;
    let content = content.trim();
    (!content.is_empty()).then(|| content.to_string())
}

/// Whether this page's Content-Security-Policy (its `<meta http-equiv>` policies) lets it connect
/// to `server`. The sync runs in the data worker, which that policy does not cover, so the page
/// asks this before it hands a server over (`health_book::sync::connect_src`). A policy sent as
/// a response header cannot be read from the page; a host that sends one for index.html should
/// send it for the worker's files too.
pub fn connect_allowed(server: &ServerAddress) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let Ok(origin) = window.location().origin() else {
        return false;
    };
    let Some(document) = window.document() else {
        return false;
    };
    let Ok(metas) = document.query_selector_all("meta[http-equiv=\"Content-Security-Policy\" i]")
    else {
        return false;
    };
    let policies: Vec<String> = (0..metas.length())
        .filter_map(|i| metas.item(i))
        .filter_map(|node| node.dyn_into::<web_sys::Element>().ok())
        .filter_map(|meta| meta.get_attribute("content"))
        .collect();
    connect_src::allows_connect(policies.iter().map(String::as_str), &origin, server)
}
