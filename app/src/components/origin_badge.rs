use health_book::RecordOrigin;
use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};

/// A clear mark on every record the health system did not send (from a file, entered by staff,
/// self-reported): "Chưa xác minh". Verified records carry no mark, so the mark stands out.
#[component]
pub fn OriginBadge(origin: RecordOrigin) -> impl IntoView {
    let i18n = use_i18n();
    (!origin.is_verified()).then(|| {
        let why = Msg::UnverifiedWhy(origin.clone());
        let kind = crate::i18n::status::origin_kind(&origin);
        view! {
            <span class="badge unverified" data-origin=kind title=i18n.text(why.clone())>
                {i18n.text(Msg::Unverified)}
            </span>
        }
    })
}
