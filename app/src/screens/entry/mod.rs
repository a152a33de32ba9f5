//! Records typed in on the device (issue 15): staff adding a vaccination or a prescription on a
//! patient's behalf in Shared mode, or a person adding their own (self-reported). The core turns
//! the form into a record and checks it (`health_book::entry`); these screens render it.

mod actions;
mod author;
mod field;
mod prescription_form;
mod save;
mod vaccination_form;

pub use actions::{AddEntryLink, EntryActions, EntryKind};
pub use prescription_form::PrescriptionEntry;
pub use save::{remove_typed_record, save_typed_record, EntryFailure};
pub use vaccination_form::VaccinationEntry;
