//! The import preview: each book of the file, what saving it would do, what needs checking,
//! and what the file held that was left out.

use health_book::validate::Finding;
use health_book::views::import_preview::{PendingBook, Replaced, SkippedPreview};
use leptos::prelude::*;

use crate::i18n::errors::skip_reason_msg;
use crate::i18n::{use_i18n, Msg};

#[component]
pub fn PreviewBook(pending: PendingBook) -> impl IntoView {
    let i18n = use_i18n();
    let name = pending.book.profile.full_name.clone();
    let citizen_id = pending.book.profile.citizen_id.masked();
    let vaccinations = pending.book.vaccinations.len();
    let prescriptions = pending.book.prescriptions.len();
    let kept = pending.kept_device_records;
    // The preview counts what the file brings by kind, and a backup's correction notes are one.
    let restored_notes = pending.added_corrections;
    let findings = pending.findings;
    view! {
        <li>
            <p><strong>{i18n.text(Msg::ImportPreviewPerson { name: name.clone(), citizen_id: citizen_id.clone() })}</strong></p>
            <p>{i18n.text(Msg::ImportPreviewCounts { vaccinations, prescriptions })}</p>
            <p class="notice warning">
                {move || match pending.replaces {
                    Some(Replaced { vaccinations: current_vaccinations, prescriptions: current_prescriptions }) => {
                        i18n.t(Msg::ImportWillReplace { current_vaccinations, current_prescriptions })
                    }
                    None => i18n.t(Msg::ImportWillAdd),
                }}
            </p>
            <Show when=move || { restored_notes > 0 }>
                <p data-testid="import-restored-notes">
                    {i18n.text(Msg::ImportRestoresCorrections { count: restored_notes })}
                </p>
            </Show>
            <Show when=move || { kept > 0 }>
                <p>{i18n.text(Msg::ImportKeepsStaffRecords { count: kept })}</p>
            </Show>
            <FindingList findings />
        </li>
    }
}

/// What needs checking in a book before it is saved (from the core's validation), so a person
/// can look at the file or the record first. Saving stays possible: the file is the record.
#[component]
fn FindingList(findings: Vec<Finding>) -> impl IntoView {
    let i18n = use_i18n();
    let count = findings.len();
    (count > 0).then(|| {
        view! {
            <div class="notice warning" data-testid="import-findings">
                <p>{i18n.text(Msg::ImportFindings { count })}</p>
                <ul>
                    {findings
                        .into_iter()
                        .map(|f| {
                            let class = if f.is_error() { "finding error" } else { "finding" };
                            let msg = Msg::Finding(f.kind);
                            view! {
                                <li class=class>
                                    {i18n.text(msg.clone())}
                                    " "
                                    <code class="muted">{f.path}</code>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

#[component]
pub fn UnknownVaccines(names: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    (!names.is_empty()).then(|| {
        let names = names.join(", ");
        view! {
            <p class="notice warning" role="note" data-testid="import-unknown-vaccines">
                {i18n.text(Msg::ImportUnknownVaccines { names: names.clone() })}
            </p>
        }
    })
}

#[component]
pub fn SkippedList(skipped: SkippedPreview) -> impl IntoView {
    let i18n = use_i18n();
    let SkippedPreview {
        total: count,
        listed,
        more,
    } = skipped;
    (count > 0).then(|| {
        view! {
            <div class="skipped" data-testid="import-skipped">
                <p>{i18n.text(Msg::ImportSkipped { count })}</p>
                <ul>
                    {listed
                        .into_iter()
                        .map(|s| {
                            let resource = match &s.id {
                                Some(id) => format!("{}/{}", s.resource_type, id),
                                None => s.resource_type.clone(),
                            };
                            let reason = skip_reason_msg(&s.reason);
                            view! {
                                <li>{move || i18n.t(Msg::ImportSkippedItem { resource: resource.clone(), reason: i18n.t(reason.clone()) })}</li>
                            }
                        })
                        .collect_view()}
                </ul>
                <Show when=move || { more > 0 }>
                    <p class="muted">{i18n.text(Msg::ImportSkippedMore { count: more })}</p>
                </Show>
            </div>
        }
    })
}
