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

/// Where a record came from, in words.
pub fn origin_msg(origin: &RecordOrigin) -> Msg {
    match origin {
        RecordOrigin::Synced { .. } => Msg::SourceSynced,
        RecordOrigin::Imported => Msg::SourceImported,
        RecordOrigin::EnteredByStaff { .. } => Msg::SourceEnteredByStaff,
    }
}
