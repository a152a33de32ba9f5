use health_book::RecordOrigin;
use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};

/// A clear mark on records that staff entered on this device and the health system has not
/// confirmed. Verified records carry no mark, so the mark stands out.
#[component]
pub fn OriginBadge(origin: RecordOrigin) -> impl IntoView {
    let i18n = use_i18n();
    (!origin.is_verified() && matches!(origin, RecordOrigin::EnteredByStaff { .. })).then(|| {
        view! {
            <span class="badge unverified" title=move || i18n.t(Msg::UnverifiedExplained)>
                {move || i18n.t(Msg::Unverified)}
            </span>
        }
    })
}
