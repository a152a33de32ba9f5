//! On-device storage of health books in IndexedDB. Nothing else in the app touches IndexedDB.
//!
//! # API
//!
//! [`BookStore`] (cheap to clone; screens get it from context):
//! [`save_book`](BookStore::save_book),
//! [`save_book_with_setting`](BookStore::save_book_with_setting) (both in one transaction),
//! [`save_books`](BookStore::save_books) (every book of a file in one transaction),
//! [`load_book`](BookStore::load_book),
//! [`list_books`](BookStore::list_books),
//! [`delete_book`](BookStore::delete_book),
//! [`delete_book_with_settings`](BookStore::delete_book_with_settings) (one transaction),
//! [`setting`](BookStore::setting),
//! [`put_setting`](BookStore::put_setting), [`delete_setting`](BookStore::delete_setting).
//! Encryption at rest ([`VaultError`] for what can go wrong):
//! [`vault`](BookStore::vault), [`enable_encryption`](BookStore::enable_encryption),
//! [`unlock`](BookStore::unlock), [`lock`](BookStore::lock),
//! [`change_secret`](BookStore::change_secret), [`add_staff`](BookStore::add_staff),
//! [`remove_staff`](BookStore::remove_staff),
//! [`switch_to_shared`](BookStore::switch_to_shared),
//! [`set_idle_lock`](BookStore::set_idle_lock).
//! The audit log (`audit.rs`, `recorded.rs`; rules in `health_book::audit`):
//! [`record`](BookStore::record) (a read, alone), writes with their entries in the same
//! transaction ([`save_book_recorded`](BookStore::save_book_recorded),
//! [`save_books_recorded`](BookStore::save_books_recorded),
//! [`save_book_with_setting_recorded`](BookStore::save_book_with_setting_recorded),
//! [`put_setting_recorded`](BookStore::put_setting_recorded),
//! [`delete_book_recorded`](BookStore::delete_book_recorded), which also drops the person from
//! every entry), [`audit_log`](BookStore::audit_log) (entries and the chain's verdict),
//! [`book_visits`](BookStore::book_visits).
//! Failures are [`StorageError`] variants, one per thing the user may need to be told. Values
//! that cannot be read are skipped and reported ([`SkippedRecord`]), never fatal.
//! [`persistence`] asks for persistent storage and reports usage for the Settings screen.
//!
//! # Schema (version 4)
//!
//! | store | key | value |
//! |---|---|---|
//! | `books` | citizen ID | envelope of the header: profile, provenance, saved-at, record counts, appointments and referrals |
//! | `vaccinations` | `[citizen ID, record ID]` | envelope of `{pos, record}` |
//! | `prescriptions` | `[citizen ID, record ID]` | envelope of `{pos, record}` |
//! | `settings` | setting name | envelope of the setting's value |
//! | `audit` | the entry's place (0, 1, 2, ...) | envelope of the tagged entry (`audit.rs`) |
//!
//! An envelope is `{f: format, b: body}`; format 1 is JSON text, format 2 AES-GCM sealed bytes
//! (see `codec.rs`). All
//! records of a book form one key range (`[id]` to `[id, []]`), which is how a book is loaded
//! and deleted without an index. There are no indexes: name search runs in memory over the
//! headers (`summary.rs`), because a name index would be plaintext.
//!
//! # Encryption at rest (`vault.rs`, `keys.rs`)
//!
//! Once a secret is set (always on a shared device) every value is format 2, sealed under the
//! book's own key (headers, records) or the device data key (settings), with its identity as
//! additional data, and every key above is replaced by an HMAC-SHA256 of the ID under a device
//! key (books: the citizen ID's; records: `[book's, record's]`; settings: `s.` + the name's),
//! so the database does not say who is on the device. In clear stay only `vault.meta` (mode,
//! key slots, failed attempts, idle time: `health_book::device::VaultMeta`) and
//! `vault.book.<book>` (each book key wrapped by the data key; deleted with its book, in the
//! same transaction, so the book's lingering deleted rows can never be read). The data key is
//! wrapped once per key slot (PBKDF2-HMAC-SHA256, 600,000 rounds, AES-KW), so a new staff
//! member or a changed passphrase rewrites `vault.meta` and no record. Opened with a secret set,
//! the store is locked: every call returns [`StorageError::Locked`] until
//! [`unlock`](BookStore::unlock); [`lock`](BookStore::lock) drops the keys. Turning encryption
//! on ([`enable_encryption`](BookStore::enable_encryption)) reads everything, seals it with no
//! transaction open, and replaces the whole database (with the slots) in one strict
//! transaction: a page closed before that commit reopens with the old readable data and no
//! secret (setting it again starts over), after it with everything encrypted.
//!
//! # Versions and migrations
//!
//! The IndexedDB version is the schema version ([`SCHEMA_VERSION`]). Opening runs each step
//! from the stored version up, one function per step in `schema.rs`, all inside the browser's
//! single version-change transaction; a failing step aborts it and leaves the previous version
//! with its data. A new database runs the same steps from 0.
//!
//! - v1: one store `books`, key citizen ID, value the whole book as JSON text.
//! - v1 → v2: each v1 book becomes a header and one row per record. A v1 value that does not
//!   parse is kept unchanged under its key (reported by the migration and by every later
//!   `list_books`), never dropped.
//! - v2 → v3: each book header envelope gets a random address key (`address_key.rs`), the name
//!   the book goes by in addresses instead of its citizen ID.
//! - v3 → v4: the `audit` store (empty).
//!
//! The version-change transaction cannot be given strict durability. That is safe: if a crash
//! loses the committed upgrade, the database is back at v1 with its v1 data and the upgrade runs
//! again; every later write is strict, and a strict commit also flushes what came before it.
//!
//! Another tab on an older version: our open waits for it to close; if it does not (the
//! `blocked` event), `open` returns [`StorageError::Blocked`] and the upgrade finishes by itself
//! once that tab lets go. A connection of ours closes itself when another tab upgrades or deletes
//! the database, and calls then return [`StorageError::VersionChange`] (reload).
//!
//! # Durability and failures
//!
//! Writes use strict durability. A book save is one transaction (header, records, removal of
//! records the book no longer has), so a failure at any point leaves the previous book. Quota
//! errors are recognised as QuotaExceededError on the request or the transaction, and a bare
//! AbortError while the origin's storage estimate is nearly full. A connection the browser
//! drops is reopened once per call before [`StorageError::ConnectionLost`] is reported.
//! Opening after a crash can fail with UnknownError: retried once, then
//! [`OpenFailure::Backend`].

mod audit;
mod book_store;
// The marker that outlives an eviction (issue 18)
mod books_held;
mod codec;
mod connection;
mod encoding;
mod error;
mod estimate;
mod handle;
mod keys;
mod migration;
pub mod persistence;
mod recorded;
mod schema;
mod setting_update;
mod slot_changes;
mod slot_keys;
mod summary;
mod test_faults;
mod transactions;
mod vault;
// The book's name in addresses (issue 20)
mod address_key;

pub use audit::{AuditEvent, AuditLog};
#[doc(hidden)]
pub use book_store::{LoadedBook, LoadedProfile, StoredBook};
pub use error::{OpenFailure, RecordKind, RecordLocation, SkipReason, SkippedRecord, StorageError};
pub use handle::BookStore;
#[doc(hidden)]
pub use handle::Fault;
pub use persistence::{
    persistence_status, request_persistence, storage_estimate, Persistence, StorageEstimate,
};
pub use schema::{MigrationReport, DB_NAME, SCHEMA_VERSION};
pub use setting_update::SettingUpdate;
pub use summary::{BookList, BookSummary, Query};
pub use vault::{Unlocked, VaultError};
