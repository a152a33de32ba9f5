use std::sync::Arc;

use health_book::ics::{reminders_calendar, DoseReminder, ReminderWording};
use health_book::views::coming_up::{ReExamination, ReExaminationSource};
use health_book::HealthBook;
use leptos::prelude::*;

use crate::browser::{clock, file_io};
use crate::i18n::{translate, use_i18n, Locale, Msg};
use crate::t;

/// The file the phone's calendar imports.
const FILE_NAME: &str = "so-suc-khoe-nhac-nho.ics";
const MIME: &str = "text/calendar;charset=utf-8";

/// "Download reminders": the medicine plan and the re-examinations as an iCalendar file, whose
/// alarms the phone's own calendar rings with no network and no app running.
#[component]
pub fn ReminderExport(book: Arc<HealthBook>) -> impl IntoView {
    let i18n = use_i18n();
    let failed = RwSignal::new(false);
    let export = move |_| {
        let wording = Wording(i18n.locale());
        let text = reminders_calendar(&book, clock::today(), clock::now(), &wording);
        match file_io::download(FILE_NAME, MIME, text.as_bytes()) {
            Ok(()) => failed.set(false),
            Err(error) => {
                crate::console_warn!("reminder export: {error:?}");
                failed.set(true);
            }
        }
    };
    view! {
        <section class="card no-print" aria-labelledby="reminders-heading">
            <h2 id="reminders-heading">{t!(i18n, RemindersHeading)}</h2>
            <p class="hint">{t!(i18n, RemindersExportHint)}</p>
            <button type="button" class="secondary" data-testid="export-reminders" on:click=export>
                {t!(i18n, RemindersExport)}
            </button>
            <Show when=move || failed.get()>
                <p class="notice error" role="alert">{t!(i18n, ExportFailed)}</p>
            </Show>
        </section>
    }
}

/// The events' words, in the language the person reads the app in.
struct Wording(Locale);

impl Wording {
    fn t(&self, msg: Msg) -> String {
        translate(self.0, &msg).into_owned()
    }
}

impl ReminderWording for Wording {
    fn dose(&self, dose: &DoseReminder<'_>) -> (String, String) {
        let title = self.t(Msg::ReminderDoseTitle {
            medicine: dose.medicine.to_owned(),
        });
        let mut parts: Vec<String> = Vec::new();
        if let Some(amount) = dose.amount {
            parts.push(self.t(Msg::DoseAmount {
                amount: amount.to_owned(),
                unit: dose.unit.unwrap_or_default().to_owned(),
            }));
        }
        if let Some(meals) = dose.with_meals {
            parts.push(self.t(Msg::MealRelationName { meals }));
        }
        parts.extend(dose.instructions.map(str::to_owned));
        (title, parts.join(" · "))
    }

    fn re_examination(&self, visit: &ReExamination) -> (String, String) {
        let title = match &visit.facility {
            Some(f) => self.t(Msg::ReminderVisitAt {
                facility: f.name.clone(),
            }),
            None => self.t(Msg::ReminderVisitTitle),
        };
        let mut parts: Vec<String> = visit.reason.iter().cloned().collect();
        if let ReExaminationSource::Prescription { code, .. } = &visit.source {
            parts.push(self.t(Msg::FromPrescriptionCode { code: code.clone() }));
        }
        (title, parts.join(" · "))
    }
}
