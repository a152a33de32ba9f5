//! Pieces shared by several screens. Each takes plain typed data.

mod app_header;
mod book_gate;
mod bottom_nav;
mod empty_state;
mod icon;
mod storage_error;

pub use app_header::AppHeader;
pub use book_gate::{with_open_book, NoBookYet};
pub use bottom_nav::BottomNav;
pub use empty_state::EmptyState;
pub use icon::{Icon, IconKind};
pub use storage_error::{storage_error_message, StorageErrorNotice};
