use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};

/// The problems of one field, under it.
#[component]
pub fn FieldErrors(errors: Signal<Vec<Msg>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        errors
            .get()
            .into_iter()
            .map(|msg| view! { <span class="field-error" role="alert">{i18n.text(msg.clone())}</span> })
            .collect_view()
    }
}
