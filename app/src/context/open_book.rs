use health_book::CitizenId;
use leptos::prelude::*;
use leptos::reactive::owner::WeakOwner;

use super::BookStoreContext;
use std::sync::Arc;

use health_book::{HealthBook, Profile};
use time::OffsetDateTime;

use crate::storage::{AuditEvent, BookStore, BookSummary, SkippedRecord, StorageError};
use health_book::audit::AuditAction;

/// The open book as screens get it: shared, never copied (a book can hold thousands of records,
/// and every screen and every re-render would otherwise clone it).
#[derive(Debug, Clone)]
pub struct OpenedBook {
    pub book: Arc<HealthBook>,
    /// When this device last saved the book.
    pub last_updated: OffsetDateTime,
    /// Stored records this version could not read (left in storage untouched).
    pub skipped: Arc<Vec<SkippedRecord>>,
}

/// The open book's profile alone, for what shows nothing else (the header, the check-in QR):
/// loaded without the book's records.
#[derive(Debug, Clone)]
pub struct OpenedProfile {
    pub profile: Arc<Profile>,
    /// When this device last saved the book.
    pub last_updated: OffsetDateTime,
}

/// What the open book's resources hold: `Ok(None)` when no book is open.
pub type OpenResource<T> = LocalResource<Result<Option<T>, StorageError>>;

/// Settings key of the book that was open when the app was last used.
const OPEN_BOOK_SETTING: &str = "open_book";

/// Whose book is open. Everything a screen shows is about this person, and the header always
/// names them, so on a shared tablet nobody reads the previous patient's book by mistake.
#[derive(Clone, Copy)]
pub struct OpenBook {
    store: BookStoreContext,
    /// `None` until the saved choice has been read.
    chosen: RwSignal<Option<Option<CitizenId>>>,
    /// Bumped after every write, so screens reload what changed.
    revision: RwSignal<u64>,
    /// The open book's profile, loaded from storage; `Ok(None)` when no book is open.
    profile: OpenResource<OpenedProfile>,
    /// The open book with its records, made on the first screen that asks for it: opening the
    /// check-in QR directly reads no record.
    book: StoredValue<Option<OpenResource<OpenedBook>>>,
    /// The owner this context was provided under, so the book's resource lives as long as the
    /// app, not as the screen that first asked for it (weak: the owner holds this context).
    owner: StoredValue<Option<WeakOwner>>,
    /// All books on this device, as light summaries.
    books: LocalResource<Result<Vec<BookSummary>, StorageError>>,
}

impl OpenBook {
    /// The open book with every record; screens that show only the person use [`Self::profile`].
    pub fn book(&self) -> OpenResource<OpenedBook> {
        if let Some(book) = self.book.get_value() {
            return book;
        }
        let (store, chosen, revision) = (self.store, self.chosen, self.revision);
        let owner = self
            .owner
            .with_value(|owner| owner.as_ref().and_then(WeakOwner::upgrade))
            .unwrap_or_default();
        let book = owner.with(|| {
            chosen_book_resource(store, chosen, revision, |store, id| async move {
                Ok(store.load_book(&id).await?.map(|loaded| OpenedBook {
                    book: Arc::new(loaded.book),
                    last_updated: loaded.last_updated,
                    skipped: Arc::new(loaded.skipped),
                }))
            })
        });
        self.book.set_value(Some(book));
        book
    }

    /// The open book's profile, read without its records.
    pub fn profile(&self) -> OpenResource<OpenedProfile> {
        self.profile
    }

    pub fn books(&self) -> LocalResource<Result<Vec<BookSummary>, StorageError>> {
        self.books
    }

    pub fn id(&self) -> Option<CitizenId> {
        self.chosen.get().flatten()
    }

    pub fn revision(&self) -> u64 {
        self.revision.get()
    }

    /// Open another person's book, and remember the choice for the next visit.
    pub async fn open(&self, id: CitizenId) -> Result<(), StorageError> {
        let store = self.store.store().await?;
        let opened = AuditEvent::about(&id, AuditAction::BookOpened);
        store
            .put_setting_recorded(OPEN_BOOK_SETTING, &Some(id.clone()), opened)
            .await?;
        self.chosen.set(Some(Some(id)));
        Ok(())
    }

    /// Close the open book (the next patient at a shared tablet starts from the book list).
    pub async fn close(&self) -> Result<(), StorageError> {
        let store = self.store.store().await?;
        store
            .put_setting(OPEN_BOOK_SETTING, &None::<CitizenId>)
            .await?;
        self.chosen.set(Some(None));
        Ok(())
    }

    /// Delete a person's book with everything kept about it (its records, the sync's copy of
    /// the server's data, the choice of it as the open book, its mention in the audit log) in
    /// one transaction, logged as `action` (which names nobody).
    pub async fn delete(&self, id: &CitizenId, action: AuditAction) -> Result<(), StorageError> {
        let store = self.store.store().await?;
        let was_open = self.chosen.get_untracked().flatten().as_ref() == Some(id);
        let sync_settings = crate::sync::settings::book_settings(id);
        let corrections = super::corrections::corrections_setting(id);
        let mut settings: Vec<&str> = sync_settings.iter().map(String::as_str).collect();
        settings.push(&corrections);
        // The taken/skipped history is this person's health data too.
        let dose_log = crate::dose_log::setting_key(id);
        settings.push(&dose_log);
        if was_open {
            // No saved choice reads as "no book open", as the closed choice does.
            settings.push(OPEN_BOOK_SETTING);
        }
        store
            .delete_book_recorded(id, &settings, &[AuditEvent::device(action)])
            .await?;
        if was_open {
            self.chosen.set(Some(None));
        }
        Ok(())
    }

    /// Save a book new to this device and open it, in one transaction: no saved book that is
    /// not open, no open choice of a book that was not saved (a book created from a scanned card).
    pub async fn create_and_open(&self, book: &HealthBook) -> Result<(), StorageError> {
        let store = self.store.store().await?;
        let id = book.citizen_id().clone();
        let opened = [AuditEvent::about(&id, AuditAction::BookOpened)];
        store
            .save_book_with_setting_recorded(
                book,
                OPEN_BOOK_SETTING,
                &Some(id.clone()),
                None,
                &opened,
            )
            .await?;
        self.chosen.set(Some(Some(id)));
        self.changed();
        Ok(())
    }

    /// The device locked: forget which book is open, and reload (the reloads fail with
    /// "locked"), so nothing decrypted stays in memory.
    pub fn forget(&self) {
        self.chosen.set(None);
        self.changed();
    }

    /// The device unlocked: the same person working again returns to the book that was open;
    /// another staff member starts from the book list.
    pub async fn restore(&self, same_person: bool) {
        let choice = if same_person {
            saved_choice(self.store, self.books).await
        } else {
            None
        };
        self.chosen.set(Some(choice));
        self.changed();
    }

    /// Tell every screen that stored books changed (after a save, import or delete).
    pub fn changed(&self) {
        self.revision.update(|r| *r += 1);
    }
}

/// A resource of the chosen book, reloaded after every write: `Ok(None)` while no book is
/// chosen. The profile and the whole book differ only in what `load` reads.
fn chosen_book_resource<T, Load, Loading>(
    store: BookStoreContext,
    chosen: RwSignal<Option<Option<CitizenId>>>,
    revision: RwSignal<u64>,
    load: Load,
) -> OpenResource<T>
where
    T: 'static,
    Load: Fn(BookStore, CitizenId) -> Loading + Copy + 'static,
    Loading: std::future::Future<Output = Result<Option<T>, StorageError>> + 'static,
{
    LocalResource::new(move || {
        revision.track();
        let choice = chosen.get();
        async move {
            let Some(Some(id)) = choice else {
                return Ok(None);
            };
            load(store.store().await?, id).await
        }
    })
}

pub fn provide_open_book(store: BookStoreContext) -> OpenBook {
    let chosen = RwSignal::new(None::<Option<CitizenId>>);
    let revision = RwSignal::new(0_u64);

    let books = LocalResource::new(move || {
        revision.track();
        async move {
            let store = store.store().await?;
            Ok(store.list_books().await?.books)
        }
    });

    // The saved choice is read once (and again after an unlock).
    leptos::task::spawn_local(async move {
        chosen.set(Some(saved_choice(store, books).await));
    });

    let profile = chosen_book_resource(store, chosen, revision, |store, id| async move {
        Ok(store.load_profile(&id).await?.map(|loaded| OpenedProfile {
            profile: Arc::new(loaded.profile),
            last_updated: loaded.last_updated,
        }))
    });

    let ctx = OpenBook {
        store,
        chosen,
        revision,
        profile,
        book: StoredValue::new(None),
        owner: StoredValue::new(Owner::current().map(|owner| owner.downgrade())),
        books,
    };
    provide_context(ctx);
    ctx
}

/// The book to open: the saved choice; if none was saved and the device holds exactly one book
/// (a citizen's own phone), that book.
async fn saved_choice(
    store: BookStoreContext,
    books: LocalResource<Result<Vec<BookSummary>, StorageError>>,
) -> Option<CitizenId> {
    // An unreadable choice is not fatal: the person picks the book again from the list, and a
    // failed open of the store reaches every screen through the `books` resource anyway.
    let saved = match store.store().await {
        Ok(s) => match s.setting::<Option<CitizenId>>(OPEN_BOOK_SETTING).await {
            Ok(choice) => choice.flatten(),
            Err(e) => {
                crate::console_warn!("the open book could not be read back: {e}");
                None
            }
        },
        Err(_) => None,
    };
    match saved {
        Some(id) => Some(id),
        None => match books.await {
            Ok(summaries) if summaries.len() == 1 => Some(summaries[0].citizen_id.clone()),
            _ => None,
        },
    }
}

pub fn use_open_book() -> OpenBook {
    expect_context::<OpenBook>()
}
