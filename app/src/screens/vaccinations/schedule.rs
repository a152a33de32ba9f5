use std::sync::Arc;

use health_book::schedule::{childhood_schedule, DoseStatus};
use health_book::views::vaccinations::ScheduleSummary;
use health_book::HealthBook;
use leptos::prelude::*;
use time::Date;

use crate::i18n::status::{age_msg, dose_status_msg};
use crate::i18n::{domain_names, use_i18n, Msg};

/// The national childhood schedule for this child: every dose with its status, counted from the
/// date of birth and the doses recorded.
#[component]
pub fn ScheduleView(book: Arc<HealthBook>, today: Date) -> impl IntoView {
    let i18n = use_i18n();
    let doses = childhood_schedule(
        book.profile.date_of_birth,
        book.profile.sex,
        today,
        &book.vaccinations,
    );
    let ScheduleSummary {
        done,
        due,
        overdue,
        depends_on_rollout,
    } = ScheduleSummary::of(&doses);
    view! {
        <p class="hint">{i18n.text(Msg::ScheduleIntro)}</p>
        <p class="schedule-summary" data-testid="schedule-summary">
            {i18n.text(Msg::ScheduleSummary { done, due, overdue })}
        </p>
        {(depends_on_rollout > 0).then(|| view! {
            <p class="hint" data-testid="schedule-depends-on-rollout">
                {i18n.text(Msg::ScheduleSummaryDependsOnRollout { count: depends_on_rollout })}
            </p>
        })}
        <ol class="record-list schedule" data-testid="schedule">
            {doses
                .into_iter()
                .map(|dose| {
                    let series = dose.row.series;
                    let k = dose.row.dose;
                    let n = health_book::tables::schedule::doses_in_series(series);
                    let age = age_msg(dose.row.due);
                    let status = dose.status;
                    let class = status_class(status);
                    let phase_in = dose.row.phase_in;
                    view! {
                        <li class=format!("card record schedule-dose {class}") data-testid="scheduled-dose" data-status=class>
                            <h2 class="record-title">
                                {move || domain_names::series(i18n.locale(), series)}
                                " · "
                                {i18n.text(if n > 1 { Msg::DoseOf { k, n } } else { Msg::DoseNumber { k } })}
                            </h2>
                            <p class="muted">{move || i18n.t(Msg::AtAge { label: i18n.t(age.clone()) })}</p>
                            <p class=format!("status {class}")>{i18n.text(dose_status_msg(status, today))}</p>
                            {phase_in.map(|p| view! {
                                <p class="muted small" data-testid="phase-in">
                                    {move || i18n.t(Msg::SchedulePhaseIn { rollout: domain_names::phase_in(i18n.locale(), p).to_owned() })}
                                </p>
                            })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

/// The CSS class (and `data-status`) of a dose's status.
fn status_class(status: DoseStatus) -> &'static str {
    match status {
        DoseStatus::Done(_) => "done",
        DoseStatus::Due { .. } => "due",
        DoseStatus::Overdue { .. } => "overdue",
        DoseStatus::NotYetDue { .. } => "later",
        DoseStatus::NotRecorded { .. } => "not-recorded",
        DoseStatus::DependsOnRollout { .. } => "depends-on-province",
    }
}
