use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::browser::service_worker::{ServiceWorkerError, UseServiceWorkerReturn};
use crate::i18n::{use_i18n, Msg};
use crate::paths;
use crate::t;

/// "A new version is ready: reload". It does not block anything, and the reload happens only when
/// the person taps. It stays away from the check-in screen, where it would cover the QR that a
/// receptionist is scanning; it shows again on the next screen.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let service_worker = use_context::<UseServiceWorkerReturn>();
    let update_ready = service_worker.as_ref().map(|sw| sw.update_ready);
    let last_error = service_worker.as_ref().map(|sw| sw.last_error);
    let applying = RwSignal::new(false);
    let apply_failed = RwSignal::new(false);

    let on_check_in = move || location.pathname.get() == paths::CHECK_IN;
    let visible = move || update_ready.is_some_and(|ready| ready.get()) && !on_check_in();
    let failed = move || {
        apply_failed.get()
            || last_error.is_some_and(|e| matches!(e.get(), Some(ServiceWorkerError::Reload(_))))
    };
    let message = move || {
        i18n.t(if failed() {
            Msg::UpdateFailed
        } else if applying.get() {
            Msg::UpdateApplying
        } else {
            Msg::UpdateReady
        })
    };
    let apply = move |_| {
        let Some(service_worker) = &service_worker else {
            return;
        };
        match (service_worker.apply_update)() {
            Ok(()) => {
                apply_failed.set(false);
                applying.set(true);
            }
            Err(err) => {
                crate::console_warn!("update not applied: {err}");
                apply_failed.set(true);
            }
        }
    };

    view! {
        // The live region is always there, so screen readers announce the banner when it appears.
        <div class="update-banner-region no-print" role="status">
            <Show when=visible>
                <div class="update-banner" data-testid="update-banner">
                    <span>{message}</span>
                    <button type="button" on:click=apply.clone() disabled=move || applying.get() && !failed()>
                        {t!(i18n, Reload)}
                    </button>
                </div>
            </Show>
        </div>
    }
}
