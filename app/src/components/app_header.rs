use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::t;

/// The top bar: the app's name. The open person's name joins it once books exist on the device,
/// so whose book is open is always visible (shared tablets at health stations).
#[component]
pub fn AppHeader(#[prop(into)] open_book: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="app-header">
            <a class="skip-link" href="#main">{t!(i18n, SkipToContent)}</a>
            <span class="app-name">{t!(i18n, AppName)}</span>
            <Show when=move || open_book.get().is_some()>
                <span class="open-book" data-testid="open-book">
                    {move || open_book.get().unwrap_or_default()}
                </span>
            </Show>
        </header>
    }
}
