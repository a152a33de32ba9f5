use std::sync::Arc;

use health_book::views::coming_up::ComingUpView;
use health_book::HealthBook;
use leptos::prelude::*;
use leptos_router::components::A;

use super::item::ComingUpRow;
use crate::browser::clock;
use crate::i18n::{use_i18n, Msg};
use crate::{paths, t};

/// Home's "Coming up" card: the first few items and how many are overdue, with a link to all.
#[component]
pub fn ComingUpSection(book: Arc<HealthBook>) -> impl IntoView {
    let i18n = use_i18n();
    let view = ComingUpView::new(&book, clock::today());
    let overdue = view.overdue();
    let first = view.first().to_vec();
    view! {
        <section class="card coming-up" aria-labelledby="coming-up-heading" data-testid="coming-up">
            <h2 id="coming-up-heading">{t!(i18n, ComingUpHeading)}</h2>
            {(overdue > 0).then(|| view! {
                <p class="notice error" role="status">{t!(i18n, ComingUpOverdueCount { count: overdue })}</p>
            })}
            {if first.is_empty() {
                view! { <p class="muted">{t!(i18n, ComingUpNone)}</p> }.into_any()
            } else {
                view! {
                    <ul class="coming-up-list">
                        {first.into_iter().map(|item| view! { <ComingUpRow item /> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
            <p class="no-print">
                <A href=paths::COMING_UP>{i18n.text(Msg::SeeAll)}</A>
                " · "
                <A href=paths::MEDICINE_PLAN>{t!(i18n, OpenMedicinePlan)}</A>
                " · "
                <A href=paths::PAPER_TWIN>{t!(i18n, OpenPaperTwin)}</A>
            </p>
        </section>
    }
}
