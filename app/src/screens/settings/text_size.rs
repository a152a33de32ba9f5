use leptos::prelude::*;

use crate::context::use_preferences;
use crate::i18n::{use_i18n, Msg};
use crate::t;

/// Large text for elderly users; on top of the phone's own font size, never instead of it.
#[component]
pub fn TextSizeCard() -> impl IntoView {
    let i18n = use_i18n();
    let prefs = use_preferences();
    let save_failed = RwSignal::new(false);
    view! {
        <section class="card" aria-labelledby="text-size-heading">
            <h2 id="text-size-heading">{t!(i18n, TextSizeHeading)}</h2>
            <label class="switch">
                <input
                    type="checkbox"
                    prop:checked=move || prefs.large_text()
                    on:change:target=move |ev| save_failed.set(prefs.set_large_text(ev.target().checked()).is_err())
                />
                <span>{t!(i18n, LargeText)}</span>
            </label>
            <p class="hint">{t!(i18n, LargeTextHint)}</p>
            <Show when=move || save_failed.get()>
                <p class="notice warning" role="status">{i18n.text(Msg::PreferenceNotSaved)}</p>
            </Show>
        </section>
    }
}
