use health_book::checkin::ScanWarning;
use health_book::CitizenId;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::context::use_card_handoff;
use crate::i18n::errors::scan_warning_msg;
use crate::i18n::{use_i18n, Msg};
use crate::paths;
use crate::t;

/// A card whose book is not on the device: whose card it is, what the reader should check, and
/// the two ways to start the book side by side.
#[component]
pub fn NewPersonOffer(
    citizen_id: CitizenId,
    name: String,
    warnings: Vec<ScanWarning>,
    on_create: Callback<()>,
    on_again: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let handoff = use_card_handoff();
    let navigate = use_navigate();
    let masked = citizen_id.masked();
    // The ID is handed over in memory only as the person chooses this way.
    let add_from_server = move |_| {
        handoff.hand(citizen_id.clone());
        navigate(paths::BOOKS_SYNC, Default::default());
    };
    view! {
        <section class="card" aria-labelledby="new-person-heading" data-testid="scan-new-person">
            <h2 id="new-person-heading">{t!(i18n, ScanNewPersonTitle)}</h2>
            <p>{i18n.text(Msg::ScanNewPersonBody { name: name.clone(), citizen_id: masked.clone() })}</p>
            {(!warnings.is_empty()).then(|| view! {
                <ul class="notice warning" data-testid="scan-warnings">
                    {warnings
                        .iter()
                        .map(|w| {
                            let msg = scan_warning_msg(w);
                            view! { <li>{i18n.text(msg.clone())}</li> }
                        })
                        .collect_view()}
                </ul>
            })}
            <div class="row-actions side-by-side">
                <button type="button" on:click=add_from_server>{t!(i18n, ScanAddFromServer)}</button>
                <button type="button" on:click=move |_| on_create.run(())>{t!(i18n, ScanCreateFromCard)}</button>
            </div>
            <button type="button" class="secondary" on:click=move |_| on_again.run(())>{t!(i18n, ScanAgain)}</button>
        </section>
    }
}
