use health_book::device::{staff_name, DeviceMode};
use health_book::entry::Author;

use crate::context::{Vault, VaultState};
use crate::i18n::Msg;

/// Who is typing a record in: the unlocked staff member of a shared device, or else the person
/// on their own device.
pub fn current_author(vault: &Vault) -> Author {
    match vault.state() {
        VaultState::Unlocked { meta, slot, staff } if meta.mode == DeviceMode::Shared => {
            match staff_name(&staff, slot) {
                Some(name) => Author::Staff {
                    name: name.to_owned(),
                    device: DeviceMode::Shared,
                },
                None => Author::Person,
            }
        }
        _ => Author::Person,
    }
}

/// The line at the top of a form saying who is entering the record, and how it will be marked.
pub fn author_line(author: &Author) -> Msg {
    match author {
        Author::Staff { name, .. } => Msg::EntryByStaff {
            staff: name.clone(),
        },
        Author::Person => Msg::EntryBySelf,
    }
}
