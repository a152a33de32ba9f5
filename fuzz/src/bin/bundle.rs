//! FHIR bundle import (file import and sync answers), then every screen's rule on what it gave.
fn main() {
    let options = health_book_fuzz::bundle_options();
    afl::fuzz!(|data: &[u8]| {
        health_book_fuzz::oracles::check_bundle(data, &options);
    });
}
