use health_book::views::books::Query;
use health_book::CitizenId;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::components::{current_row, IpsExportButton, NoBookYet, StorageErrorNotice};
use crate::context::corrections::corrections_of;
use crate::context::{use_book_store, use_open_book, OpenBook};
use crate::i18n::{use_i18n, I18n, Msg};
use crate::paths;
use crate::storage::{AuditEvent, BookSummary, StorageError};
use crate::t;
use health_book::audit::AuditAction;
use health_book::corrections::export_with_corrections;

/// The books on this device: find one by name (with or without accents) or citizen ID, open it,
/// or remove it. On a shared tablet this is where each new patient starts.
#[component]
pub fn Books() -> impl IntoView {
    let i18n = use_i18n();
    let open = use_open_book();
    let query = RwSignal::new(String::new());
    let action_error = RwSignal::new(None::<StorageError>);
    let notice = RwSignal::new(None::<Msg>);

    view! {
        <h1 class="screen-title">{t!(i18n, BooksTitle)}</h1>
        <Show when=move || notice.get().is_some()>
            <p class="notice ok" role="status">{move || notice.get().map(|m| i18n.t(m))}</p>
        </Show>
        {move || action_error.get().map(|error| view! { <StorageErrorNotice error /> })}
        <div class="toolbar">
            <label class="search">
                <span class="label">{t!(i18n, SearchBooksLabel)}</span>
                <input
                    type="search"
                    autocomplete="off"
                    placeholder=i18n.text(Msg::SearchBooksHint)
                    prop:value=move || query.get()
                    on:input:target=move |ev| query.set(ev.target().value())
                />
            </label>
            <A href=paths::BOOKS_IMPORT attr:class="button secondary">{t!(i18n, ImportTitle)}</A>
            <A href=paths::BOOKS_SYNC attr:class="button secondary">{t!(i18n, SyncAddFromServer)}</A>
            <A href=paths::BOOKS_SCAN attr:class="button secondary">{t!(i18n, ScanCardAction)}</A>
        </div>
        <Transition fallback=move || view! { <p role="status">{t!(i18n, Loading)}</p> }>
            {move || Suspend::new(async move {
                // The summaries already in memory, ranked by the core on each keystroke: no
                // storage read while typing (and storage keeps no plaintext name index).
                let typed = query.get();
                match open.books().await {
                    Err(error) => view! { <StorageErrorNotice error /> }.into_any(),
                    Ok(all) if all.is_empty() => view! { <NoBookYet /> }.into_any(),
                    Ok(all) => {
                        let found = Query::parse(&typed).filter(&all);
                        view! {
                        <p class="muted">{move || i18n.t(Msg::BooksOnDevice { count: all.len() })}</p>
                        <Show when={ let empty = found.is_empty(); move || empty }>
                            <p class="notice">{t!(i18n, NoBooksMatch)}</p>
                        </Show>
                        <ul class="book-list" aria-label=i18n.text(Msg::BooksTitle)>
                            {found
                                .into_iter()
                                .map(|summary| view! { <BookRow summary action_error notice /> })
                                .collect_view()}
                        </ul>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn BookRow(
    summary: BookSummary,
    action_error: RwSignal<Option<StorageError>>,
    notice: RwSignal<Option<Msg>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = use_open_book();
    let store = use_book_store();
    let navigate = use_navigate();
    let confirming = RwSignal::new(false);
    let id = summary.citizen_id.clone();
    let is_open = {
        let id = id.clone();
        move || open.id().as_ref() == Some(&id)
    };
    let name = summary.full_name.clone();
    let last_updated = summary.last_updated.date();
    let (vaccinations, prescriptions) = (
        summary.vaccination_count as usize,
        summary.prescription_count as usize,
    );

    // Opens the book, then the screen the person asked for: Home, or straight to the check-in
    // QR at the reception desk (one tap from the list instead of two).
    let open_then = open_then(open, navigate, id.clone(), action_error);
    let open_action = {
        let open_then = open_then.clone();
        move |_| open_then(paths::HOME)
    };
    let check_in_action = move |_| open_then(paths::CHECK_IN);
    let delete_action = {
        let id = id.clone();
        let name = name.clone();
        move |_| {
            let id = id.clone();
            let name = name.clone();
            leptos::task::spawn_local(async move {
                match open.delete(&id, AuditAction::BookRemoved).await {
                    Ok(()) => {
                        notice.set(Some(Msg::BookDeleted { name }));
                        open.changed();
                    }
                    Err(error) => action_error.set(Some(error)),
                }
                confirming.set(false);
            });
        }
    };

    // One book as a FHIR Bundle file (the same format as the backup of every book).
    let export_failed = RwSignal::new(false);
    let export_action = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            leptos::task::spawn_local(async move {
                let loaded = async {
                    let store = store.store().await?;
                    // Logged before the file exists: no export leaves the device unlogged.
                    let exported = AuditEvent::about(&id, AuditAction::Exported);
                    store.record(exported).await?;
                    let corrections = corrections_of(&store, &id).await?;
                    Ok::<_, StorageError>(store.load_book(&id).await?.map(|l| (l, corrections)))
                }
                .await;
                match loaded {
                    Ok(Some((loaded, corrections))) => {
                        let json =
                            export_with_corrections(&[(&loaded.book, &corrections)]).to_string();
                        let written =
                            crate::browser::file_io::download_book_json("", id.as_str(), &json);
                        if let Err(e) = &written {
                            crate::console_warn!("export: {e}");
                        }
                        export_failed.set(written.is_err());
                    }
                    Ok(None) => open.changed(),
                    Err(error) => action_error.set(Some(error)),
                }
            });
        }
    };

    view! {
        <li class="card book-row" data-testid="book-row">
            <h2 class="book-name">{match summary.address_key.clone() {
                // Its detail, beside the list on a tablet; the address names the book by its
                // device key, never by the citizen ID.
                Some(key) => {
                    let href = paths::book(&key);
                    view! {
                        <A href=href.clone() attr:aria-current=current_row(href)>{summary.full_name.clone()}</A>
                    }
                        .into_any()
                }
                None => summary.full_name.clone().into_any(),
            }}</h2>
            <p class="muted">
                {i18n.text(Msg::BornIn { year: summary.birth_year })}
                " · "
                <span class="digits">{summary.masked_citizen_id.clone()}</span>
                " · "
                {i18n.text(Msg::LastUpdated { on: last_updated })}
            </p>
            <p class="muted">{i18n.text(Msg::RecordCounts { vaccinations, prescriptions })}</p>
            <div class="row-actions">
                {
                    let is_open = is_open.clone();
                    move || if is_open() {
                        view! { <span class="badge">{t!(i18n, CurrentlyOpen)}</span> }.into_any()
                    } else {
                        view! { <span></span> }.into_any()
                    }
                }
                // Every row has the same buttons: each names whose book it acts on.
                <button type="button" on:click=open_action aria-label=action_label(i18n, &name, |name| Msg::OpenBookOf { name })>
                    {t!(i18n, OpenThisBook)}
                </button>
                <button type="button" class="secondary" on:click=check_in_action aria-label=action_label(i18n, &name, |name| Msg::CheckInQrOf { name })>
                    {t!(i18n, ShowCheckInQr)}
                </button>
                <button type="button" class="secondary" on:click=export_action aria-label=action_label(i18n, &name, |name| Msg::ExportBookOf { name })>
                    {t!(i18n, ExportThisBook)}
                </button>
                <IpsExportButton id=id.clone() name=name.clone() action_error />
                <button type="button" class="secondary" on:click=move |_| confirming.set(true) aria-label=action_label(i18n, &name, |name| Msg::DeleteBookOf { name })>
                    {t!(i18n, DeleteBook)}
                </button>
            </div>
            <Show when=move || export_failed.get()>
                <p class="notice error" role="alert">{t!(i18n, ExportFailed)}</p>
            </Show>
            <Show when=move || confirming.get()>
                <div class="confirm" role="alertdialog" aria-live="assertive">
                    <p>{
                        let name = name.clone();
                        move || i18n.t(Msg::ConfirmDeleteBook { name: name.clone() })
                    }</p>
                    <button type="button" class="danger" on:click=delete_action.clone()>{t!(i18n, ConfirmDelete)}</button>
                    <button type="button" class="secondary" on:click=move |_| confirming.set(false)>{t!(i18n, Cancel)}</button>
                </div>
            </Show>
        </li>
    }
}

/// Opens a person's book, then the screen the person asked for (`then`); a storage failure goes
/// to `error`. Shared by the rows and the book's detail, so both open a book the same way.
pub(super) fn open_then(
    open: OpenBook,
    navigate: impl Fn(&str, NavigateOptions) + Clone + 'static,
    id: CitizenId,
    error: RwSignal<Option<StorageError>>,
) -> impl Fn(&'static str) + Clone + 'static {
    move |then: &'static str| {
        let id = id.clone();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match open.open(id).await {
                Ok(()) => navigate(then, Default::default()),
                Err(e) => error.set(Some(e)),
            }
        });
    }
}

/// The accessible name of an action repeated for every person (a row's buttons, the book's
/// detail): `msg` names whose book it acts on.
pub(super) fn action_label(
    i18n: I18n,
    name: &str,
    msg: fn(String) -> Msg,
) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let name = name.to_owned();
    move || i18n.t(msg(name.clone()))
}
