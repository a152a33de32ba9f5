//! Check-in: the citizen ID as a QR in the chip card's own layout, which reception scanners and
//! software already read, made on the device from the stored profile with no network.

use health_book::checkin::{qr, CheckInCode, CheckInRefusal, CheckInVariant, ErrorCorrection};
use health_book::ids::InsuranceCode;
use health_book::validate::{citizen_id_warning, insurance_group_warning};
use health_book::{HealthInsuranceCard, Profile};
use leptos::prelude::*;

use crate::browser::clock;
use crate::browser::wake_lock::use_wake_lock;
use crate::components::{with_open_profile, QrCode};
use crate::context::{record_read, use_book_store, use_preferences};
use crate::i18n::status::{card_warning_msg, insurance_status_msg};
use crate::i18n::{use_i18n, Msg};
use crate::storage::AuditEvent;
use crate::t;
use health_book::audit::AuditAction;

/// Medium error correction: survives a scratched screen protector and glare while keeping the
/// code large enough for long Vietnamese addresses to scan first time.
const ERROR_CORRECTION: ErrorCorrection = ErrorCorrection::Medium;

#[component]
pub fn CheckIn() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1 class="screen-title">{t!(i18n, NavCheckIn)}</h1>
        {with_open_profile(|loaded| view! { <CheckInCodes profile=loaded.profile /> })}
    }
}

#[component]
fn CheckInCodes(profile: std::sync::Arc<Profile>) -> impl IntoView {
    let i18n = use_i18n();
    let prefs = use_preferences();
    let wake_lock = use_wake_lock();
    let full_screen = RwSignal::new(false);
    let profile = Profile::clone(&profile);
    let name = profile.full_name.clone();
    let birth_year = profile.date_of_birth.year();
    let insurance = profile.health_insurance.clone();
    let not_logged = record_read(
        use_book_store(),
        AuditEvent::about(&profile.citizen_id, AuditAction::CheckInQrViewed),
    );

    // Rebuilt only when the variant changes; the profile is fixed for this view.
    let code = Memo::new(move |_| {
        let variant = if prefs.minimal_check_in() {
            CheckInVariant::Minimal
        } else {
            CheckInVariant::Full
        };
        CheckInCode::build(&profile, variant, ERROR_CORRECTION)
    });

    view! {
        {move || match code.get() {
            Err(refusal) => view! { <CannotMakeCode refusal /> }.into_any(),
            Ok(code) => {
                let name = name.clone();
                let label_name = name.clone();
                let digits = code.payload.citizen_id.grouped();
                // A prefix that is no province code is shown, never refused (issue 12): the
                // core's finding, the same one Home and the book's checks show.
                let prefix_warning = citizen_id_warning(&code.payload.citizen_id).map(|w| card_warning_msg(&w));
                view! {
                    <section
                        class="card check-in"
                        class:full-screen=move || full_screen.get()
                        aria-labelledby="check-in-name"
                    >
                        <p class="hint no-full-screen">{t!(i18n, CheckInHint)}</p>
                        <Show when=move || not_logged.with(Option::is_some)>
                            <p class="notice warning no-full-screen" role="note">{t!(i18n, AuditNotRecorded)}</p>
                        </Show>
                        <div class="qr-frame">
                            <QrCode
                                matrix=code.qr.clone()
                                label=Signal::derive(move || i18n.t(Msg::CheckInQrLabel { name: label_name.clone() }))
                                test_id="check-in-qr"
                            />
                        </div>
                        <p class="fallback-label">{t!(i18n, CheckInIdFallback)}</p>
                        <p class="id-digits" data-testid="check-in-id">{digits}</p>
                        {prefix_warning.map(|msg| view! {
                            <p class="notice warning no-full-screen" role="note" data-testid="check-in-id-warning">
                                {i18n.text(msg.clone())}
                            </p>
                        })}
                        <p id="check-in-name" class="person-hint">
                            <strong>{name}</strong>
                            " · "
                            {i18n.text(Msg::BornIn { year: birth_year })}
                        </p>
                        <div class="check-in-actions">
                            <button
                                type="button"
                                aria-pressed=move || full_screen.get().to_string()
                                on:click=move |_| toggle_full_screen(full_screen)
                            >
                                {move || i18n.t(if full_screen.get() { Msg::ExitFullScreen } else { Msg::FullScreen })}
                            </button>
                        </div>
                        <p class="muted small">{t!(i18n, BrightnessHint)}</p>
                        <Show when=move || wake_lock.is_active.get()>
                            <p class="muted small" data-testid="wake-lock">{t!(i18n, ScreenKeptOn)}</p>
                        </Show>
                    </section>
                }
                    .into_any()
            }
        }}
        <InsuranceCodeCard insurance />
        <section class="card no-full-screen">
            <label class="switch">
                <input
                    type="checkbox"
                    prop:checked=move || prefs.minimal_check_in()
                    on:change:target=move |ev| {
                        if let Err(e) = prefs.set_minimal_check_in(ev.target().checked()) {
                            crate::console_warn!("check-in variant not saved: {e}");
                        }
                    }
                />
                <span>{t!(i18n, MinimalCheckIn)}</span>
            </label>
            <p class="hint">{t!(i18n, MinimalCheckInHint)}</p>
        </section>
    }
}

/// The full-screen mode enlarges the code over everything else; where the browser allows, the
/// page itself goes full screen too (hiding the status bar that steals scanning space).
fn toggle_full_screen(state: RwSignal<bool>) {
    let entering = !state.get_untracked();
    state.set(entering);
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let result = if entering {
        match document.document_element() {
            Some(root) => root.request_fullscreen(),
            None => Ok(()),
        }
    } else if document.fullscreen_element().is_some() {
        document.exit_fullscreen();
        Ok(())
    } else {
        Ok(())
    };
    if let Err(e) = result {
        // The enlarged view still works without the browser's full screen.
        crate::console_warn!("full screen refused: {e:?}");
    }
}

#[component]
fn CannotMakeCode(refusal: CheckInRefusal) -> impl IntoView {
    let i18n = use_i18n();
    crate::console_warn!("no check-in code: {refusal}");
    // A stored profile always holds a valid citizen ID (its type refuses any other), so what is
    // left to refuse (an empty name, a '|' in a field, a code too long) keeps the message it had.
    let reason = Msg::CheckInInvalidId;
    view! {
        <section class="card notice error" role="alert" data-testid="check-in-refused">
            <h2>{t!(i18n, CannotMakeCodeTitle)}</h2>
            <p>{i18n.text(reason.clone())}</p>
            <p>{t!(i18n, CheckInFixHint)}</p>
        </section>
    }
}

/// The health insurance code alone, for desks that still key on it, with its validity.
#[component]
fn InsuranceCodeCard(insurance: Option<HealthInsuranceCard>) -> impl IntoView {
    let i18n = use_i18n();
    let card = insurance?;
    let code = InsuranceCode::parse(&card.code).ok()?;
    let matrix = match qr::insurance_code(&code, ERROR_CORRECTION) {
        Ok(m) => m,
        Err(e) => {
            crate::console_warn!("insurance QR not made: {e}");
            return None;
        }
    };
    let status = insurance_status_msg(card.status(clock::today()));
    let warning = insurance_group_warning(&code).map(|w| card_warning_msg(&w));
    Some(view! {
        <section class="card insurance-qr no-full-screen" aria-labelledby="insurance-qr-heading">
            <h2 id="insurance-qr-heading">{t!(i18n, InsuranceQrHeading)}</h2>
            <p class="hint">{t!(i18n, InsuranceQrHint)}</p>
            <div class="qr-frame small">
                <QrCode
                    matrix
                    label=i18n.text(Msg::InsuranceQrLabel)
                    test_id="insurance-qr"
                />
            </div>
            <p class="id-digits" data-testid="insurance-code-text">{code.printed()}</p>
            <p data-testid="insurance-validity">{i18n.text(status.clone())}</p>
            {warning.map(|msg| view! {
                <p class="notice warning" role="note" data-testid="insurance-warning">{i18n.text(msg.clone())}</p>
            })}
        </section>
    })
}
