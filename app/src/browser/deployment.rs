//! What the deployment that served this copy of the app says about itself, read from index.html.
//!
//! A release build names no health-system server: a deployment names its own by adding
//! `<meta name="ssk-fhir-server" content="https://...">` to index.html (and that origin to the
//! Content-Security-Policy's `connect-src` when it is not HTTPS), at deploy time. The local
//! development server is named the same way by the command that serves it
//! (`e2e/support/static-server.mjs --dev-fhir-server URL`). See README "Sync server".

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
