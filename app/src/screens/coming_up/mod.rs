//! "Coming up": re-examinations and referral slips, overdue ones first and marked. The list and
//! its rules are the core's (`health_book::views::coming_up`).

mod home_section;
mod item;

use std::sync::Arc;

use health_book::views::coming_up::ComingUpView;
use health_book::HealthBook;
use leptos::prelude::*;

use crate::browser::clock;
use crate::components::with_open_book;
use crate::i18n::use_i18n;
use crate::t;

pub use home_section::ComingUpSection;
use item::ComingUpRow;

#[component]
pub fn ComingUp() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1 class="screen-title">{t!(i18n, ComingUpHeading)}</h1>
        {with_open_book(|loaded| view! { <ComingUpList book=loaded.book /> })}
    }
}

#[component]
fn ComingUpList(book: Arc<HealthBook>) -> impl IntoView {
    let i18n = use_i18n();
    let view = ComingUpView::new(&book, clock::today());
    if view.items.is_empty() {
        return view! { <p class="muted" data-testid="coming-up-none">{t!(i18n, ComingUpNone)}</p> }
            .into_any();
    }
    view! {
        <ul class="coming-up-list" aria-label=move || i18n.t(crate::i18n::Msg::ComingUpHeading)>
            {view.items.into_iter().map(|item| view! { <ComingUpRow item /> }).collect_view()}
        </ul>
    }
    .into_any()
}
