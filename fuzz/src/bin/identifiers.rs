//! Citizen ID, insurance code, old ID number, prescription code and the search box's reading of
//! them; the first byte picks which.
fn main() {
    afl::fuzz!(|data: &[u8]| {
        health_book_fuzz::oracles::check_identifier(data);
    });
}
