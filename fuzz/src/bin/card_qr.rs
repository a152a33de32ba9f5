//! The chip card's QR text, as the check-in parser and the card scan screen read it.
fn main() {
    afl::fuzz!(|data: &[u8]| {
        health_book_fuzz::oracles::check_payload(data);
    });
}
