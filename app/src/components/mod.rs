//! Pieces shared by several screens. Each takes plain typed data.

mod app_header;
mod book_gate;
mod bottom_nav;
mod empty_state;
mod evicted_books_notice;
mod field_errors;
mod icon;
mod list_and_detail;
mod nothing_chosen;
mod open_book_banner;
mod origin_badge;
mod print_button;
mod qr_code;
mod storage_error;
// Offline, install and updates
mod connection_status;
mod install_card;
mod update_banner;
// Encryption at rest and the device lock
mod done_with_patient;
mod lock_button;
mod secret_field;
// ---- device lock: running a lock action from a form (vault2) ----
mod vault_action;
// Sync
mod sync_panel;
mod sync_progress;
// Audit log (issue 15)
mod book_visits;
mod correction_note;
mod correction_request;
// The International Patient Summary (issue 19)
mod ips_export_button;

pub use app_header::AppHeader;
pub use book_gate::{with_open_book, with_open_profile, NoBookYet};
pub use book_visits::BookVisits;
pub use bottom_nav::BottomNav;
pub use connection_status::ConnectionStatus;
pub use correction_note::{note_problem_msg, CorrectionNote};
pub use correction_request::CorrectionRequests;
pub use done_with_patient::DoneWithPatient;
pub use empty_state::EmptyState;
pub use evicted_books_notice::EvictedBooksNotice;
pub use field_errors::FieldErrors;
pub use icon::{Icon, IconKind};
pub use install_card::InstallCard;
pub use ips_export_button::IpsExportButton;
pub use list_and_detail::{current_row, ListAndDetail};
pub use lock_button::LockButton;
pub use nothing_chosen::NothingChosen;
pub use open_book_banner::OpenBookBanner;
pub use origin_badge::OriginBadge;
pub use print_button::PrintButton;
pub use qr_code::QrCode;
pub use secret_field::SecretField;
pub use storage_error::StorageErrorNotice;
pub use sync_panel::SyncPanel;
pub use sync_progress::SyncProgress;
pub use update_banner::UpdateBanner;
pub use vault_action::run_vault_action;
// resilience (issue 18)
mod superseded_notice;
pub use superseded_notice::SupersededNotice;
