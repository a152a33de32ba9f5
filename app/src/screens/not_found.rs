use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;
use crate::paths;
use crate::t;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1 class="screen-title">{t!(i18n, PageNotFound)}</h1>
        <p>
            <A href=paths::HOME>{t!(i18n, BackToHome)}</A>
        </p>
    }
}
