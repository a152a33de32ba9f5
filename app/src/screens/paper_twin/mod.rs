//! The paper twin: a large-print A5 page of the book with the check-in QR, in Vietnamese and
//! English side by side, for a person without a phone to carry to any facility. What the page
//! holds is the core's (`health_book::views::paper_summary`).

mod both;
mod page;

use leptos::prelude::*;

use crate::components::{with_open_book, PrintButton};
use crate::i18n::use_i18n;
use crate::t;

use page::PaperPage;

#[component]
pub fn PaperTwin() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1 class="screen-title no-print">{t!(i18n, PaperTwinHeading)}</h1>
        <p class="hint no-print">{t!(i18n, PaperTwinHint)}</p>
        <p class="no-print"><PrintButton /></p>
        {with_open_book(|loaded| view! { <PaperPage book=loaded.book /> })}
    }
}
