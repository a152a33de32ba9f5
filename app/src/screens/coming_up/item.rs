use health_book::views::coming_up::{
    ComingUpItem, Due, ReExamination, ReExaminationSource, ReferralSlip, Validity,
};
use leptos::prelude::*;

use crate::i18n::{format, use_i18n, Msg};
use crate::t;

/// One re-examination or referral slip, with how it stands against today.
#[component]
pub fn ComingUpRow(item: ComingUpItem) -> impl IntoView {
    let overdue = item.is_overdue();
    let class = if overdue {
        "coming-up-item overdue"
    } else {
        "coming-up-item"
    };
    let body = match item {
        ComingUpItem::ReExamination(visit) => view! { <Visit visit /> }.into_any(),
        ComingUpItem::Referral(slip) => view! { <Slip slip /> }.into_any(),
    };
    view! {
        <li class=class data-testid="coming-up-item" data-overdue=overdue.to_string()>
            {body}
        </li>
    }
}

fn due_msg(due: Due) -> (Msg, &'static str) {
    match due {
        Due::Overdue { days } => (Msg::DueOverdue { days }, "error"),
        Due::Today => (Msg::DueToday, "warning"),
        Due::Soon { in_days } => (Msg::DueInDays { days: in_days }, "warning"),
        Due::Later { in_days } => (Msg::DueInDays { days: in_days }, "ok"),
    }
}

#[component]
fn Visit(visit: ReExamination) -> impl IntoView {
    let i18n = use_i18n();
    let ReExamination {
        on,
        due,
        facility,
        reason,
        source,
    } = visit;
    let title = match facility {
        Some(f) => Msg::ReExaminationAt { facility: f.name },
        None => Msg::ReExaminationTitle,
    };
    let (due, class) = due_msg(due);
    let detail = match source {
        ReExaminationSource::Prescription { code, .. } => Some(Msg::FromPrescriptionCode { code }),
        ReExaminationSource::Appointment { at, .. } => at.map(|at| Msg::AppointmentBookedFor {
            time: format::date_time(i18n.locale(), at),
        }),
    };
    view! {
        <h3>{i18n.text(title.clone())}</h3>
        <p>
            <span class="date">{move || format::date(i18n.locale(), on)}</span>
            " "
            <span class=format!("rx-badge {class}") data-testid="due">{i18n.text(due.clone())}</span>
        </p>
        {reason.map(|r| view! { <p class="small"><span class="label">{t!(i18n, ReasonLabel)}</span>": "{r}</p> })}
        {detail.map(|msg| view! { <p class="muted small">{i18n.text(msg.clone())}</p> })}
    }
}

#[component]
fn Slip(slip: ReferralSlip) -> impl IntoView {
    let i18n = use_i18n();
    let ReferralSlip { referral, validity } = slip;
    let title = Msg::ReferralTitle {
        from: referral.from.name.clone(),
        to: referral.to.name.clone(),
    };
    let (validity, class) = match validity {
        Validity::Undated => (Msg::ReferralUndated, "ok"),
        Validity::Until { until, due } => (Msg::ReferralValidUntil { on: until }, due_msg(due).1),
        Validity::Expired { on } => (Msg::ReferralExpired { on }, "error"),
    };
    let issued_on = referral.issued_on;
    view! {
        <h3>{i18n.text(title.clone())}</h3>
        <p class=format!("notice {class}") data-testid="validity">{i18n.text(validity.clone())}</p>
        <p class="muted small">{t!(i18n, ReferralIssuedOn { on: issued_on })}</p>
        {referral.reason.map(|r| view! { <p class="small"><span class="label">{t!(i18n, ReasonLabel)}</span>": "{r}</p> })}
    }
}
