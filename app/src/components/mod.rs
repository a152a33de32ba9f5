//! Pieces shared by several screens. Each takes plain typed data.

mod app_header;
mod bottom_nav;
mod empty_state;
mod icon;

pub use app_header::AppHeader;
pub use bottom_nav::BottomNav;
pub use empty_state::EmptyState;
pub use icon::{Icon, IconKind};
