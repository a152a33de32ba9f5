//! What the entry forms share: a new record's id, the record a correction names, the problems
//! the core named for a field, and a text field.

use health_book::entry::edit::can_change;
use health_book::entry::new_record_id;
use health_book::validate::Finding;
use health_book::{RecordId, RecordOrigin};
use leptos::prelude::*;

use crate::components::FieldErrors;
use crate::i18n::{use_i18n, Msg};

/// A new device record's id. Ids need to be unique in the book, not secret: `Math.random` is
/// always there (the Web Crypto API is not, outside secure contexts).
pub fn fresh_record_id() -> RecordId {
    let mut bytes = [0u8; 8];
    for b in &mut bytes {
        *b = (js_sys::Math::random() * 256.0) as u8;
    }
    new_record_id(bytes)
}

/// The problems whose path is `path` (or inside it: `facility` covers `facility.name`).
pub fn problems_at(problems: &[Finding], path: &str) -> Vec<Msg> {
    problems
        .iter()
        .filter(|f| {
            f.path == path
                || f.path
                    .strip_prefix(path)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
        .map(|f| Msg::Finding(f.kind.clone()))
        .collect()
}

/// What a correction's address names: nothing (a new record), the device's own record, or why it
/// cannot be corrected here.
pub fn record_to_correct<'a, R>(
    records: &'a [R],
    id: Option<&str>,
    id_origin: fn(&R) -> (&RecordId, &RecordOrigin),
) -> Result<Option<&'a R>, Msg> {
    let Some(id) = id else {
        return Ok(None);
    };
    match records.iter().find(|r| id_origin(r).0.as_str() == id) {
        Some(r) if can_change(id_origin(r).1) => Ok(Some(r)),
        Some(_) => Err(Msg::EntryErrNotDeviceRecord),
        None => Err(Msg::EntryErrGone),
    }
}

/// A labelled text (or date) input bound to one field of a form, with the field's problems
/// under it.
pub fn text_input<T: Send + Sync + 'static>(
    form: RwSignal<T>,
    name: &'static str,
    label: Msg,
    kind: &'static str,
    errors: Signal<Vec<Msg>>,
    get: fn(&T) -> String,
    set: fn(&mut T, String),
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="field">
            <span class="label">{i18n.text(label.clone())}</span>
            <input
                type=kind
                name=name
                autocomplete="off"
                aria-invalid=move || (!errors.get().is_empty()).to_string()
                prop:value=move || form.with(get)
                on:input:target=move |ev| form.update(|f| set(f, ev.target().value()))
            />
            <FieldErrors errors />
        </label>
    }
}

/// The problems at `path`, once the person has tried to save (a new form is not all red). The
/// path is read each time: a row's index changes when a row above it is removed.
pub fn shown_problems(
    tried: RwSignal<bool>,
    problems: Memo<Vec<Finding>>,
    path: impl Fn() -> String + Send + Sync + 'static,
) -> Signal<Vec<Msg>> {
    Signal::derive(move || {
        if tried.get() {
            problems.with(|p| problems_at(p, &path()))
        } else {
            Vec::new()
        }
    })
}
