use leptos::prelude::*;

use crate::components::EmptyState;
use crate::i18n::{use_i18n, Msg};
use crate::t;

#[component]
pub fn CheckIn() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1 class="screen-title">{t!(i18n, NavCheckIn)}</h1>
        <EmptyState
            title=Signal::derive(move || i18n.t(Msg::NoBookTitle))
            body=Signal::derive(move || i18n.t(Msg::NoBookBody))
        />
    }
}
