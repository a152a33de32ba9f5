use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};

/// Opens the browser's print dialog (paper, or "Save as PDF" to share from a phone). `before`
/// runs first, e.g. to render every item of a paged list.
#[component]
pub fn PrintButton(#[prop(optional)] before: Option<Callback<()>>) -> impl IntoView {
    let i18n = use_i18n();
    let print = move |_| {
        if let Some(before) = before {
            before.run(());
        }
        // Let the view render what `before` asked for, then print.
        leptos::task::spawn_local(async move {
            leptos::task::tick().await;
            match web_sys::window() {
                Some(w) => {
                    if let Err(e) = w.print() {
                        crate::console_warn!("print refused: {e:?}");
                    }
                }
                None => crate::console_warn!("no window to print"),
            }
        });
    };
    view! {
        <button type="button" class="secondary no-print" on:click=print>
            {i18n.text(Msg::Print)}
        </button>
    }
}
