use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;
use crate::paths;
use crate::t;

/// The top bar: the app's name, whose book is open (always visible, so on a shared tablet nobody
/// reads the previous patient's book by mistake) and the way to another book.
#[component]
pub fn AppHeader(#[prop(into)] open_book: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="app-header">
            <a class="skip-link" href="#main">{t!(i18n, SkipToContent)}</a>
            <span class="app-name">{t!(i18n, AppName)}</span>
            <crate::components::ConnectionStatus />
            <Show when=move || open_book.get().is_some()>
                <span class="open-book" data-testid="open-book">
                    <span class="visually-hidden">{t!(i18n, OpenBookLabel)} ": "</span>
                    {move || open_book.get().unwrap_or_default()}
                </span>
            </Show>
            <A href=paths::BOOKS attr:class="switch-book">{t!(i18n, SwitchBook)}</A>
            <crate::components::DoneWithPatient />
            <crate::components::LockButton />
        </header>
    }
}
