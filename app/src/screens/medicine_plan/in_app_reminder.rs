use std::time::Duration;

use health_book::medicine_plan::{next_reminder, DayPlan};
use leptos::prelude::*;

use crate::browser::notifications::{self, NotificationSupport};
use crate::browser::{clock, local_preferences};
use crate::i18n::{use_i18n, Msg};
use crate::t;

/// The person's choice, kept on this device: off until they turn it on.
const PREFERENCE_KEY: &str = "ssk.dose-notifications";

/// "Remind me on this device": a system notification at the next dose time while the app is
/// open. Offered only where notifications work for the installed app; the calendar file is the
/// reminder that works everywhere, app closed or not.
#[component]
pub fn InAppReminder(plan: Memo<DayPlan>) -> impl IntoView {
    let i18n = use_i18n();
    let support = RwSignal::new(notifications::support());
    if support.get_untracked() == NotificationSupport::Unavailable {
        return ().into_any();
    }
    let chosen = local_preferences::read(PREFERENCE_KEY)
        .ok()
        .flatten()
        .as_deref()
        == Some("on");
    let chosen = RwSignal::new(chosen);
    let enabled = move || chosen.get() && support.get() == NotificationSupport::Granted;
    let save_failed = RwSignal::new(false);
    let choose = move |on: bool| {
        save_failed
            .set(local_preferences::write(PREFERENCE_KEY, if on { "on" } else { "off" }).is_err());
        chosen.set(on);
    };
    let turn_on = move |_| {
        leptos::task::spawn_local(async move {
            let answer = match support.get_untracked() {
                NotificationSupport::Granted => NotificationSupport::Granted,
                _ => notifications::request_permission().await,
            };
            support.set(answer);
            if answer == NotificationSupport::Granted {
                choose(true);
            }
        });
    };

    // One timer for the next dose time; a fired one counts `rang`, which schedules the next.
    let rang = RwSignal::new(0_u32);
    let timer = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        rang.track();
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        timer.set_value(None);
        if !enabled() {
            return;
        }
        let now = clock::now();
        let Some(next) = plan.with(|p| next_reminder(p, now.time())) else {
            return;
        };
        let wait = (next.at - now.time()).max(time::Duration::ZERO);
        let wait = Duration::from_millis(u64::try_from(wait.whole_milliseconds()).unwrap_or(0));
        let title = i18n.t(Msg::NotifyDoseTitle);
        let body = next.medicines.join(", ");
        let handle = set_timeout_with_handle(
            move || {
                if let Err(error) = notifications::show(&title, &body) {
                    crate::console_warn!("dose reminder refused: {error}");
                }
                rang.update(|n| *n += 1);
            },
            wait,
        );
        match handle {
            Ok(handle) => timer.set_value(Some(handle)),
            Err(_) => crate::console_warn!("dose reminder: no timer"),
        }
    });
    on_cleanup(move || {
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
    });

    view! {
        <section class="card no-print" aria-labelledby="in-app-reminder-heading">
            <h2 id="in-app-reminder-heading">{t!(i18n, NotifyHeading)}</h2>
            <Show
                when=enabled
                fallback=move || view! {
                    <p class="hint">{t!(i18n, NotifyOfferHint)}</p>
                    <button type="button" class="secondary" data-testid="notify-on" on:click=turn_on>
                        {t!(i18n, NotifyTurnOn)}
                    </button>
                }
            >
                <p class="notice ok" role="status">{t!(i18n, NotifyIsOn)}</p>
                <button type="button" class="secondary" on:click=move |_| choose(false)>
                    {t!(i18n, NotifyTurnOff)}
                </button>
            </Show>
            <Show when=move || support.get() == NotificationSupport::Denied>
                <p class="notice warning" role="status">{t!(i18n, NotifyDenied)}</p>
            </Show>
            <Show when=move || save_failed.get()>
                <p class="notice warning" role="status">{t!(i18n, NotifyNotRemembered)}</p>
            </Show>
        </section>
    }
    .into_any()
}
