use leptos::prelude::*;

use crate::browser::device_wipe::{self, WipeError};
use crate::browser::reachability::UseReachabilityReturn;
use crate::context::use_open_book;
use crate::i18n::errors::wipe_error_msg;
use crate::i18n::{use_i18n, Msg};
use crate::t;

/// "Remove everything from this device": every database, cache and stored preference of the app,
/// after a confirmation that says what is lost and that the app needs the network to open again
/// (see `browser/device_wipe.rs` for why the offline shell goes too). On success the page is
/// replaced by a fresh first-run screen; on failure nothing is hidden: the message says what to do.
#[component]
pub fn WipeCard() -> impl IntoView {
    let i18n = use_i18n();
    let open = use_open_book();
    let reachable = use_context::<UseReachabilityReturn>().map(|r| r.is_reachable);
    let confirming = RwSignal::new(false);
    let wiping = RwSignal::new(false);
    let failure = RwSignal::new(None::<WipeError>);
    // How many books go: `None` while they are counted, or when storage cannot list them (the
    // wipe is then the more needed, so it is still offered).
    let book_count = move || {
        open.books()
            .map(|listed| listed.as_ref().ok().map(Vec::len))
            .flatten()
    };
    let wipe = move |_| {
        wiping.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let wiped = device_wipe::wipe_device().await;
            if let Err(error) = wiped.and_then(|()| device_wipe::reload_to_first_run()) {
                crate::console_warn!("wipe: {error}");
                failure.set(Some(error));
                wiping.set(false);
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="wipe-heading" data-testid="wipe-card">
            <h2 id="wipe-heading">{t!(i18n, WipeHeading)}</h2>
            <p>{t!(i18n, WipeExplained)}</p>
            <Show when=move || !confirming.get()>
                <button type="button" class="danger" on:click=move |_| confirming.set(true)>
                    {t!(i18n, WipeAction)}
                </button>
            </Show>
            <Show when=move || confirming.get()>
                <div class="confirm" role="alertdialog" aria-labelledby="wipe-heading" aria-describedby="wipe-confirm-body">
                    <p id="wipe-confirm-body">{move || i18n.t(Msg::WipeConfirmBody { books: book_count() })}</p>
                    <p>{t!(i18n, WipeNeedsNetwork)}</p>
                    <Show when=move || reachable.is_some_and(|r| !r.get())>
                        <p><strong>{t!(i18n, WipeOfflineNow)}</strong></p>
                    </Show>
                    <button type="button" class="danger" on:click=wipe disabled=move || wiping.get()>
                        {move || i18n.t(if wiping.get() { Msg::WipeInProgress } else { Msg::WipeConfirm })}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| confirming.set(false) disabled=move || wiping.get()>
                        {t!(i18n, Cancel)}
                    </button>
                </div>
            </Show>
            {move || failure.get().map(|error| view! {
                <p class="notice error" role="alert" data-testid="wipe-error">{i18n.text(wipe_error_msg(&error))}</p>
            })}
        </section>
    }
}
