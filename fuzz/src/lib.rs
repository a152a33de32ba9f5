//! The rules every fuzzer of the core checks, shared by path with the native tests
//! (`health-book/tests/oracles/`), and the import limits the bundle target runs under.

#[path = "../../health-book/tests/oracles/mod.rs"]
pub mod oracles;

use health_book::fhir::{ImportLimits, ImportOptions};

/// Small caps, so the size and depth refusals are reached by inputs AFL can grow to (its inputs
/// stay under a megabyte), as the native mutation fuzzer does.
pub fn bundle_options() -> ImportOptions {
    ImportOptions {
        limits: ImportLimits {
            max_bytes: 64 * 1024,
            max_depth: 24,
            ..ImportLimits::default()
        },
        ..ImportOptions::default()
    }
}
