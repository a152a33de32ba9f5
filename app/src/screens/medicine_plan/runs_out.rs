use health_book::medicine_plan::{RunsOut, RunsOutKind};
use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};

/// The medicines that run out in the next few days.
#[component]
pub fn RunsOutNotices(warnings: Vec<RunsOut>) -> impl IntoView {
    let i18n = use_i18n();
    warnings
        .into_iter()
        .map(|w| {
            let msg = match w.kind {
                RunsOutKind::CourseEnds => Msg::RunsOutCourse {
                    medicine: w.medicine,
                    days: w.days_left,
                },
                RunsOutKind::RenewSoon => Msg::RunsOutRenew {
                    medicine: w.medicine,
                    days: w.days_left,
                },
            };
            view! {
                <p class="notice warning" role="status" data-testid="runs-out">
                    {i18n.text(msg.clone())}
                </p>
            }
        })
        .collect_view()
}
