//! App-wide state, each piece a newtype context with `provide_x` / `use_x`.

mod audit;
mod book_store;
mod card_handoff;
pub mod corrections;
mod open_book;
mod preferences;
mod vault;

pub use audit::record_read;
pub use book_store::{provide_book_store, use_book_store, BookStoreContext};
pub use card_handoff::{provide_card_handoff, use_card_handoff, CardHandoff};
pub use open_book::{
    provide_open_book, use_open_book, OpenBook, OpenResource, OpenedBook, OpenedProfile,
};
pub use preferences::{provide_preferences, use_preferences, Preferences};
pub use vault::{provide_vault, use_vault, Vault, VaultState};
