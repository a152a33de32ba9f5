use health_book::audit::RecordKindName;
use health_book::corrections::{check_note, for_record, NoteProblem};
use health_book::CitizenId;
use leptos::prelude::*;

use crate::components::{note_problem_msg, CorrectionNote, PrintButton, StorageErrorNotice};
use crate::context::corrections::{add_correction, corrections_of};
use crate::context::use_book_store;
use crate::i18n::use_i18n;
use crate::storage::StorageError;
use crate::t;

/// "Report an error" on one record: what is wrong, in the person's or the staff member's own
/// words, kept with the record (apart from synced data), listed under it and printed with it
/// for the facility that must fix its source.
#[component]
pub fn CorrectionRequests(
    citizen_id: CitizenId,
    record: RecordKindName,
    record_id: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_book_store();
    let saved = RwSignal::new(0_u32);
    let writing = RwSignal::new(false);
    let text = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<NoteProblem>);
    let failed = RwSignal::new(None::<StorageError>);
    let list_citizen = StoredValue::new(citizen_id.clone());
    let notes = LocalResource::new({
        let (citizen_id, record_id) = (citizen_id.clone(), record_id.clone());
        move || {
            saved.track();
            let (citizen_id, record_id) = (citizen_id.clone(), record_id.clone());
            async move {
                let store = store.store().await?;
                let all = corrections_of(&store, &citizen_id).await?;
                Ok::<_, StorageError>(
                    for_record(&all, record, &record_id)
                        .into_iter()
                        .cloned()
                        .collect::<Vec<_>>(),
                )
            }
        }
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let note = match check_note(&text.get_untracked()) {
            Ok(note) => note,
            Err(p) => {
                problem.set(Some(p));
                return;
            }
        };
        problem.set(None);
        let (citizen_id, record_id) = (citizen_id.clone(), record_id.clone());
        leptos::task::spawn_local(async move {
            let result = async {
                let store = store.store().await?;
                add_correction(&store, &citizen_id, record, &record_id, note).await
            }
            .await;
            match result {
                Ok(()) => {
                    text.set(String::new());
                    writing.set(false);
                    failed.set(None);
                    saved.update(|n| *n += 1);
                }
                // The typed note stays in the field, so nothing is lost.
                Err(error) => failed.set(Some(error)),
            }
        });
    };
    view! {
        <section class="card corrections" aria-labelledby="corrections-heading" data-testid="corrections">
            <h2 id="corrections-heading">{t!(i18n, CorrectionsHeading)}</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match notes.await {
                        Err(error) => view! { <StorageErrorNotice error /> }.into_any(),
                        Ok(notes) if notes.is_empty() => {
                            view! { <p class="muted">{t!(i18n, CorrectionsNone)}</p> }.into_any()
                        }
                        Ok(notes) => view! {
                            <ul class="correction-notes">
                                {notes.into_iter().map(|note| view! {
                                    <CorrectionNote
                                        citizen_id=list_citizen.get_value()
                                        note
                                        on_changed=Callback::new(move |()| saved.update(|n| *n += 1))
                                    />
                                }).collect_view()}
                            </ul>
                            <p class="hint no-print">{t!(i18n, CorrectionsPrintHint)}</p>
                            <div class="no-print"><PrintButton /></div>
                        }.into_any(),
                    }
                })}
            </Transition>
            <Show
                when=move || writing.get()
                fallback=move || view! {
                    <button type="button" class="secondary no-print" data-testid="report-error" on:click=move |_| writing.set(true)>
                        {t!(i18n, ReportErrorAction)}
                    </button>
                }
            >
                <form class="no-print" on:submit=save.clone()>
                    <label for="correction-text">{t!(i18n, ReportErrorLabel)}</label>
                    <textarea
                        id="correction-text"
                        data-testid="correction-text"
                        rows="3"
                        prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))
                    ></textarea>
                    {move || problem.get().map(|p| view! {
                        <p class="notice error" role="alert">{i18n.text(note_problem_msg(p))}</p>
                    })}
                    {move || failed.get().map(|error| view! { <StorageErrorNotice error /> })}
                    <button type="submit" data-testid="correction-save">{t!(i18n, ReportErrorSave)}</button>
                </form>
            </Show>
        </section>
    }
}
