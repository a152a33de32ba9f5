use health_book::corrections::{
    ChangeRefused, CorrectionRequest, NoteChange, NoteChanged, NoteProblem,
};
use health_book::CitizenId;
use leptos::html;
use leptos::prelude::*;

use crate::components::StorageErrorNotice;
use crate::context::corrections::{change_correction, CorrectionChangeError};
use crate::context::use_book_store;
use crate::i18n::{use_i18n, Msg};
use crate::t;

/// The message for a note that cannot be kept as written (a new one or an edit).
pub fn note_problem_msg(problem: NoteProblem) -> Msg {
    match problem {
        NoteProblem::Empty => Msg::ReportErrorEmpty,
        NoteProblem::TooLong { max } => Msg::ReportErrorTooLong { max },
    }
}

/// What the note's row is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Reading,
    Editing,
    ConfirmingRemoval,
}

/// One kept correction note: its words, who wrote them and who changed them, and Edit and
/// Remove. The edit has its own field, so words typed for a new note are never replaced;
/// removal asks first. `on_changed` runs after a change is saved (or when the note turns out to
/// be gone), so the list reads the notes again.
#[component]
pub fn CorrectionNote(
    citizen_id: CitizenId,
    note: CorrectionRequest,
    on_changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_book_store();
    let mode = RwSignal::new(Mode::Reading);
    let draft = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<NoteProblem>);
    let failed = RwSignal::new(None::<CorrectionChangeError>);
    let busy = RwSignal::new(false);
    let field = NodeRef::<html::Textarea>::new();
    // Each time the edit opens, straight into its words, for keyboards and screen readers.
    Effect::new(move |_| {
        if let Some(el) = field.get() {
            if el.focus().is_err() {
                crate::console_warn!("could not focus the note being edited");
            }
        }
    });
    let id_part = note.written_at.unix_timestamp_nanos();
    let field_id = format!("correction-edit-{id_part}");
    let question_id = format!("correction-remove-{id_part}");
    let citizen_id = StoredValue::new(citizen_id);
    let signed = Msg::CorrectionSigned {
        by: note.written_by.clone(),
        at: note.written_at,
    };
    let edited = note
        .edited
        .clone()
        .map(|e| Msg::CorrectionEditedBy { by: e.by, at: e.at });
    let note = StoredValue::new(note);

    let apply = move |change: NoteChange| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let (citizen_id, key) = (citizen_id.get_value(), note.with_value(|n| n.key()));
        leptos::task::spawn_local(async move {
            let result = async {
                let store = store.store().await?;
                change_correction(&store, &citizen_id, &key, change).await
            }
            .await;
            busy.set(false);
            match result {
                Ok(NoteChanged::Unchanged) => mode.set(Mode::Reading),
                Ok(NoteChanged::Edited | NoteChanged::Removed) => {
                    mode.set(Mode::Reading);
                    on_changed.run(());
                }
                Err(CorrectionChangeError::Refused(ChangeRefused::Note(p))) => {
                    problem.set(Some(p));
                }
                // Gone, or storage failed: the edited words stay in the field.
                Err(error) => {
                    let gone = matches!(error, CorrectionChangeError::Refused(ChangeRefused::Gone));
                    failed.set(Some(error));
                    if gone {
                        on_changed.run(());
                    }
                }
            }
        });
    };
    let start = move |next: Mode| {
        problem.set(None);
        failed.set(None);
        if next == Mode::Editing {
            draft.set(note.with_value(|n| n.note.clone()));
        }
        mode.set(next);
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        apply(NoteChange::Edit(draft.get_untracked()));
    };

    view! {
        <li data-testid="correction-note">
            <Show
                when=move || mode.get() == Mode::Editing
                fallback=move || view! { <p class="correction-text">{note.with_value(|n| n.note.clone())}</p> }
            >
                <form class="no-print" on:submit=save data-testid="correction-edit-form">
                    <label for=field_id.clone()>{t!(i18n, CorrectionEditLabel)}</label>
                    <textarea
                        id=field_id.clone()
                        node_ref=field
                        data-testid="correction-edit-text"
                        rows="3"
                        prop:value=move || draft.get()
                        on:input=move |ev| draft.set(event_target_value(&ev))
                    ></textarea>
                    {move || problem.get().map(|p| view! {
                        <p class="notice error" role="alert">{i18n.text(note_problem_msg(p))}</p>
                    })}
                    <div class="actions">
                        <button type="submit" data-testid="correction-edit-save" disabled=move || busy.get()>
                            {t!(i18n, CorrectionEditSave)}
                        </button>
                        <button type="button" class="secondary" data-testid="correction-cancel" on:click=move |_| start(Mode::Reading)>
                            {t!(i18n, Cancel)}
                        </button>
                    </div>
                </form>
            </Show>
            <p class="hint">{i18n.text(signed)}</p>
            {edited.map(|msg| view! { <p class="hint" data-testid="correction-edited">{i18n.text(msg)}</p> })}
            {move || failed.get().map(|error| match error {
                CorrectionChangeError::Storage(error) => view! { <StorageErrorNotice error /> }.into_any(),
                CorrectionChangeError::Refused(_) => view! {
                    <p class="notice error" role="alert">{t!(i18n, CorrectionGone)}</p>
                }.into_any(),
            })}
            {move || match mode.get() {
                Mode::Reading => view! {
                    <div class="actions no-print">
                        <button type="button" class="secondary" data-testid="correction-edit" on:click=move |_| start(Mode::Editing)>
                            {t!(i18n, CorrectionEditAction)}
                        </button>
                        <button type="button" class="secondary" data-testid="correction-remove" on:click=move |_| start(Mode::ConfirmingRemoval)>
                            {t!(i18n, CorrectionRemoveAction)}
                        </button>
                    </div>
                }.into_any(),
                Mode::ConfirmingRemoval => view! {
                    <div class="notice no-print" role="alertdialog" aria-labelledby=question_id.clone()>
                        <p id=question_id.clone()>{t!(i18n, CorrectionRemoveConfirm)}</p>
                        <div class="actions">
                            <button type="button" class="danger" data-testid="correction-remove-yes" disabled=move || busy.get() on:click=move |_| apply(NoteChange::Remove)>
                                {t!(i18n, CorrectionRemoveYes)}
                            </button>
                            <button type="button" class="secondary" data-testid="correction-cancel" on:click=move |_| start(Mode::Reading)>
                                {t!(i18n, Cancel)}
                            </button>
                        </div>
                    </div>
                }.into_any(),
                Mode::Editing => ().into_any(),
            }}
        </li>
    }
}
