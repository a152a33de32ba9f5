//! What each screen shows, one module per screen: plain data computed from the book and from
//! "today" or "now" passed in, so every rule a screen displays (listed, filtered, searched,
//! ranked, counted, due, overdue, next) is tested natively. The app renders these and holds no
//! rule of its own.

pub mod book_identity;
pub mod books;
pub mod card_scan;
pub mod coming_up;
pub mod home;
pub mod id_cards;
pub mod import_preview;
pub mod paper_summary;
pub mod prescriptions;
pub mod provenance;
pub mod sync_status;
pub mod vaccinations;
