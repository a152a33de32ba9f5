use leptos::prelude::*;

use crate::i18n::{translate, Locale, Msg};

/// A label in Vietnamese with its English beside it: the page is read by staff anywhere.
#[component]
pub fn Both(msg: Msg) -> impl IntoView {
    let vi = translate(Locale::Vi, &msg).into_owned();
    let en = translate(Locale::En, &msg).into_owned();
    view! {
        <span lang="vi">{vi}</span>
        <span class="paper-en" lang="en">" / "{en}</span>
    }
}
