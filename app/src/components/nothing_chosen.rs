use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};

/// What the detail side of a [`super::ListAndDetail`] says while the address names no item.
/// Shown only side by side (style/main.css): on a phone the list stands alone.
#[component]
pub fn NothingChosen(hint: Msg) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="nothing-chosen muted">{i18n.text(hint.clone())}</p>
    }
}
