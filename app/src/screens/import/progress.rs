//! The import's progress bar: how much of the file the data worker has read, then how many of
//! its records have reached the page.

use leptos::prelude::*;

use super::read::ImportProgress;
use crate::i18n::{use_i18n, Msg};

#[component]
pub fn ImportProgressBar(progress: RwSignal<ImportProgress>) -> impl IntoView {
    let i18n = use_i18n();
    let percent = move || {
        let p = progress.get();
        p.bytes_read
            .saturating_mul(100)
            .checked_div(p.total_bytes)
            .map_or(0, |percent| percent.min(100) as u32)
    };
    let records = move || progress.get().records;
    view! {
        <div class="import-progress" data-testid="import-progress">
            <div
                class="progress-track"
                role="progressbar"
                aria-label=i18n.text(Msg::ImportProgressLabel)
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=move || percent().to_string()
                aria-valuetext=move || i18n.t(Msg::ImportProgressRead { percent: percent() })
            >
                <div class="progress-fill" style:width=move || format!("{}%", percent())></div>
            </div>
            <p role="status">
                {move || i18n.t(Msg::ImportProgressRead { percent: percent() })}
                <Show when=move || { records() > 0 }>
                    " · " {move || i18n.t(Msg::ImportProgressRecords { count: records() })}
                </Show>
            </p>
        </div>
    }
}
