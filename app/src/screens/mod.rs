//! One file per screen.

mod books;
mod card_scan;
mod check_in;
pub mod entry;
mod home;
mod import;
mod not_found;
mod prescriptions;
mod settings;
mod sync_add;
mod unlock;
mod vaccinations;
// The book list's detail beside it (issue 20)
mod book_detail;
// ---- device lock: first run, interrupted encryption (vault2) ----
mod first_run;
mod resume_encryption;
// Care plan (issue 19)
mod coming_up;
mod medicine_plan;
mod paper_twin;

pub use book_detail::BookDetail;
pub use books::Books;
pub use card_scan::CardScan;
pub use check_in::CheckIn;
pub use coming_up::{ComingUp, ComingUpSection};
pub use first_run::FirstRunScreen;
pub use home::Home;
pub use import::Import;
pub use medicine_plan::MedicinePlan;
pub use not_found::NotFound;
pub use paper_twin::PaperTwin;
pub use prescriptions::{ActiveMedicines, PrescriptionDetail, Prescriptions};
pub use resume_encryption::ResumeEncryptionScreen;
pub use settings::Settings;
pub use sync_add::SyncAdd;
pub use unlock::UnlockScreen;
pub use vaccinations::{VaccinationDetail, Vaccinations};
