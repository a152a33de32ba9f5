//! Scanning a chip citizen ID card (`/books/scan`): the camera (or a photo) reads the card's QR;
//! the core decides whether the person's book opens, or which two ways to start one are offered.
//!
//! - `scanner`: the screen, camera viewfinder, torch, photo route and messages.
//! - `new_person`: the offer for a card whose book is not on the device.
//! - `card_form`: the profile from the card, for staff to check before the book is created.

mod card_form;
mod new_person;
mod scanner;

pub use scanner::CardScan;
