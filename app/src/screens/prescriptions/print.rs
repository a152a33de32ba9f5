//! What only the printed prescription carries: whose it is. On screen the header banner names
//! the person; on paper (or a PDF shared from a phone) the page must say it by itself.

use health_book::Profile;
use leptos::prelude::*;

use crate::browser::clock;
use crate::i18n::{format, use_i18n};
use crate::t;

#[component]
pub fn PrintedFor(profile: Profile) -> impl IntoView {
    let i18n = use_i18n();
    let today = clock::today();
    let date_of_birth = profile.date_of_birth;
    view! {
        <section class="rx-print-only rx-printed-for" data-testid="printed-for">
            <dl class="rx-facts">
                <div>
                    <dt>{t!(i18n, PatientNameLabel)}</dt>
                    <dd class="rx-patient-name">{profile.full_name.clone()}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, CitizenIdLabel)}</dt>
                    <dd class="digits">{profile.citizen_id.to_string()}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, DateOfBirth)}</dt>
                    <dd>{move || format::date(i18n.locale(), date_of_birth)}</dd>
                </div>
            </dl>
            <p class="rx-muted">{t!(i18n, PrintedOn { on: today })}</p>
        </section>
    }
}
