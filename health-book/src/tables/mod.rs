//! Code tables as data, one module each. When a circular changes a list, edit the table; the rest
//! of the crate reads it. Every entry carries a Vietnamese and an English display name.

pub mod beneficiary_groups;
pub mod provinces;
pub mod schedule;
pub mod vaccine_names;
pub mod vaccines;
