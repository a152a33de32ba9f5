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

pub use books::Books;
pub use card_scan::CardScan;
pub use check_in::CheckIn;
pub use home::Home;
pub use import::Import;
pub use not_found::NotFound;
pub use prescriptions::{ActiveMedicines, PrescriptionDetail, Prescriptions};
pub use settings::Settings;
pub use sync_add::SyncAdd;
pub use unlock::UnlockScreen;
pub use vaccinations::{VaccinationDetail, Vaccinations};
