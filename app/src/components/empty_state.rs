use leptos::prelude::*;

use super::{Icon, IconKind};

/// What a screen shows when there is nothing to show yet: a plain-language title, what to do
/// about it, and optionally one action.
#[component]
pub fn EmptyState(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] body: Signal<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <section class="empty-state" data-testid="empty-state">
            <Icon kind=IconKind::Book />
            <h2>{move || title.get()}</h2>
            <p>{move || body.get()}</p>
            {children.map(|c| c())}
        </section>
    }
}
