use health_book::views::book_identity::BookIdentity;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;
use crate::paths;
use crate::t;

/// The top bar: the app's name, whose book is open (always visible, so on a shared tablet nobody
/// reads the previous patient's book by mistake) and the way to another book.
#[component]
pub fn AppHeader(#[prop(into)] open_book: Signal<Option<BookIdentity>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="app-header">
            <a class="skip-link" href="#main">{t!(i18n, SkipToContent)}</a>
            <span class="app-name">{t!(i18n, AppName)}</span>
            <crate::components::ConnectionStatus />
            <crate::components::OpenBookBanner identity=open_book />
            <A href=paths::BOOKS attr:class="switch-book">{t!(i18n, SwitchBook)}</A>
            <crate::components::DoneWithPatient />
            <crate::components::LockButton />
        </header>
    }
}
