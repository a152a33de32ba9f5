use health_book::views::book_identity::BookIdentity;
use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};

/// Whose book is open: name, birth year and the person's own colour, in the header of every
/// screen. On a shared tablet opening the previous patient's book is the worst mistake; the colour
/// changes with the person before anyone reads the name. The colour comes from the core
/// ([`health_book::views::book_identity`]); it is set through the CSS object model, which the
/// Content-Security-Policy allows (an inline `style` attribute it would refuse).
#[component]
pub fn OpenBookBanner(#[prop(into)] identity: Signal<Option<BookIdentity>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        identity.get().map(|who| {
            let BookIdentity {
                full_name,
                birth_year,
                colour,
            } = who;
            let label = {
                let full_name = full_name.clone();
                move || {
                    i18n.t(Msg::OpenBookAccessibleName {
                        name: full_name.clone(),
                        birth_year,
                    })
                }
            };
            view! {
                <div
                    class="open-book"
                    role="group"
                    data-testid="open-book"
                    data-hue=colour.hue_index.to_string()
                    aria-label=label
                    style:background-color=colour.background.css()
                    style:color=colour.text.css()
                >
                    <span class="open-book-name">{full_name}</span>
                    " "
                    <span class="open-book-year">
                        {i18n.text(Msg::OpenBookBirthYear { birth_year })}
                    </span>
                </div>
            }
        })
    }
}
