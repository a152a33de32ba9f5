use leptos::prelude::*;

use crate::browser::reachability::{ProbeError, Reachability, UseReachabilityReturn};
use crate::i18n::{use_i18n, Msg};

/// A small status in the header when the server cannot be reached ("Ngoại tuyến"). Silent while
/// reachable or still checking: being online is the normal case, not news.
#[component]
pub fn ConnectionStatus() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_context::<UseReachabilityReturn>().map(|r| r.state);
    let message = move || match state.map(|s| s.get())? {
        Reachability::Unreachable(ProbeError::ServerError(_)) => Some(Msg::ConnectionServerDown),
        Reachability::Unreachable(
            ProbeError::BrowserOffline | ProbeError::Network | ProbeError::Timeout(_),
        ) => Some(Msg::ConnectionOffline),
        // The browser cannot probe at all: there is nothing true to say about the connection.
        Reachability::Unreachable(ProbeError::Unsupported | ProbeError::Callback(_))
        | Reachability::Checking
        | Reachability::Reachable => None,
    };
    view! {
        // Always in the page (empty when there is nothing to say), so changes are announced.
        <span class="connection-status" role="status" data-testid="connection-status">
            {move || message().map(|msg| i18n.t(msg))}
        </span>
    }
}
