use leptos::prelude::*;

use crate::i18n::{use_i18n, Locale, Msg};
use crate::t;

/// Vietnamese or English, remembered on this device.
#[component]
pub fn LanguageCard() -> impl IntoView {
    let i18n = use_i18n();
    let save_failed = RwSignal::new(false);
    view! {
        <section class="card" aria-labelledby="language-heading">
            <h2 id="language-heading">{t!(i18n, LanguageHeading)}</h2>
            <p class="hint">{t!(i18n, LanguageHint)}</p>
            <div class="segmented" role="radiogroup" aria-labelledby="language-heading">
                {Locale::ALL
                    .into_iter()
                    .map(|locale| {
                        view! {
                            <label class="segment">
                                <input
                                    type="radio"
                                    name="language"
                                    value=locale.tag()
                                    prop:checked=move || i18n.locale() == locale
                                    on:change=move |_| {
                                        save_failed.set(i18n.set_locale(locale).is_err());
                                    }
                                />
                                <span lang=locale.tag()>{locale.native_name()}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
            <Show when=move || save_failed.get()>
                <p class="notice warning" role="status">{i18n.text(Msg::PreferenceNotSaved)}</p>
            </Show>
        </section>
    }
}
