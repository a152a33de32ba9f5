//! Installing the app to the home screen.
//!
//! Chromium browsers offer installation with a `beforeinstallprompt` event: the app keeps it and
//! shows its own "Install app" button, which calls the event's `prompt()`. iOS has no such event:
//! Safari installs through Share, then Add to Home Screen, so the app explains that instead. An
//! installed app matters most on iOS, where Safari deletes a website's data after seven days
//! without use but keeps a home-screen app's.
//!
//! Start this early (in `App`): the browser fires `beforeinstallprompt` once, soon after load.

use std::future::Future;

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use thiserror::Error;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::callbacks::{CallbackError, EventListener};

/// What the app can offer on this device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstallState {
    /// Running as an installed app, or installed from this page just now.
    Installed,
    /// The browser handed over its install prompt: an "Install app" button can open it.
    Promptable,
    /// iOS Safari: install by hand with Share, then Add to Home Screen.
    IosSafari,
    /// Another browser on iOS (an in-app browser such as Zalo's or Facebook's, Chrome, Firefox):
    /// Safari is the sure way to add the app to the Home Screen.
    IosOtherBrowser,
    /// The browser offers nothing the app can open (yet, or at all): its own menu may still.
    Unavailable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstallOutcome {
    Accepted,
    Dismissed,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InstallPromptError {
    /// No prompt is held (never offered, or already used: each event opens one prompt).
    #[error("the browser has not offered an install prompt")]
    NotOffered,
    #[error("the install prompt failed: {0}")]
    PromptFailed(String),
    /// The prompt finished with an answer the app does not know.
    #[error("the install prompt answered {0:?}")]
    UnknownOutcome(String),
    #[error(transparent)]
    Callback(#[from] CallbackError),
}

/// The install capability, shareable as a context (it is `Copy`).
#[derive(Clone, Copy)]
pub struct UseInstallPromptReturn {
    held_prompt: RwSignal<Option<web_sys::Event>, LocalStorage>,
    installed: RwSignal<bool>,
    platform: InstallPlatform,
    /// Setting up the listeners failed; the state then never becomes `Promptable`.
    pub listen_error: Signal<Option<InstallPromptError>>,
}

impl UseInstallPromptReturn {
    pub fn state(&self) -> Signal<InstallState> {
        let (held_prompt, installed, platform) = (self.held_prompt, self.installed, self.platform);
        Signal::derive(move || {
            if installed.get() {
                InstallState::Installed
            } else if held_prompt.with(Option::is_some) {
                InstallState::Promptable
            } else {
                match platform {
                    InstallPlatform::IosSafari => InstallState::IosSafari,
                    InstallPlatform::IosOtherBrowser => InstallState::IosOtherBrowser,
                    InstallPlatform::Other => InstallState::Unavailable,
                }
            }
        })
    }

    /// Open the browser's install dialog. Call it from the person's tap: `prompt()` runs at once,
    /// while the tap still counts as a user gesture; the future then waits for the answer.
    pub fn prompt(
        &self,
    ) -> impl Future<Output = Result<InstallOutcome, InstallPromptError>> + 'static {
        let installed = self.installed;
        // An event opens one prompt only: take it out whatever happens next.
        let held = self.held_prompt.try_update(Option::take).flatten();
        let started = held
            .ok_or(InstallPromptError::NotOffered)
            .and_then(|event| {
                let prompt = js_sys::Reflect::get(&event, &JsValue::from_str("prompt"))
                    .ok()
                    .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                    .ok_or_else(|| {
                        InstallPromptError::PromptFailed("the event has no prompt()".to_owned())
                    })?;
                let answer = prompt
                    .call0(&event)
                    .map_err(|e| InstallPromptError::PromptFailed(format!("{e:?}")))?;
                let user_choice = js_sys::Reflect::get(&event, &JsValue::from_str("userChoice"))
                    .map_err(|e| InstallPromptError::PromptFailed(format!("{e:?}")))?;
                Ok((answer, user_choice))
            });
        async move {
            let (answer, user_choice) = started?;
            // `prompt()` resolves with the choice in current Chromium; older versions only
            // resolve `userChoice`.
            let answer = await_if_promise(answer).await?;
            let choice = match outcome_of(&answer) {
                Some(outcome) => outcome,
                None => outcome_of(&await_if_promise(user_choice).await?)
                    .ok_or_else(|| InstallPromptError::UnknownOutcome(format!("{answer:?}")))?,
            };
            let outcome = match choice.as_str() {
                "accepted" => InstallOutcome::Accepted,
                "dismissed" => InstallOutcome::Dismissed,
                other => return Err(InstallPromptError::UnknownOutcome(other.to_owned())),
            };
            if outcome == InstallOutcome::Accepted {
                installed.set(true);
            }
            Ok(outcome)
        }
    }
}

async fn await_if_promise(value: JsValue) -> Result<JsValue, InstallPromptError> {
    match value.dyn_into::<js_sys::Promise>() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .map_err(|e| InstallPromptError::PromptFailed(format!("{e:?}"))),
        Err(value) => Ok(value),
    }
}

fn outcome_of(value: &JsValue) -> Option<String> {
    js_sys::Reflect::get(value, &JsValue::from_str("outcome"))
        .ok()?
        .as_string()
}

pub fn use_install_prompt() -> UseInstallPromptReturn {
    let held_prompt = RwSignal::new_local(None::<web_sys::Event>);
    let installed = RwSignal::new(running_installed());
    let listen_error = RwSignal::new(None::<InstallPromptError>);
    let platform = web_sys::window().map_or(InstallPlatform::Other, |window| {
        let navigator = window.navigator();
        match navigator.user_agent() {
            Ok(user_agent) => install_platform(&user_agent, navigator.max_touch_points()),
            // Browsers always have one; without it no platform-specific advice can be given.
            Err(_) => InstallPlatform::Other,
        }
    });

    let mut listeners = Vec::<EventListener>::new();
    if let Some(window) = web_sys::window() {
        let on_offer = move |event: web_sys::Event| {
            // Keep the event instead of letting the browser show its own mini-infobar now: the
            // app offers installation where it explains why (Settings).
            event.prevent_default();
            held_prompt.set(Some(event));
        };
        let on_installed = move |_| {
            held_prompt.set(None);
            installed.set(true);
        };
        match (
            EventListener::new(&window, "beforeinstallprompt", on_offer),
            EventListener::new(&window, "appinstalled", on_installed),
        ) {
            (Ok(offer), Ok(installed)) => listeners.extend([offer, installed]),
            (Err(err), _) | (_, Err(err)) => listen_error.set(Some(err.into())),
        }
    }
    // The listeners (and their closures) live until the owner is cleaned up.
    let owned = SendWrapper::new(listeners);
    on_cleanup(move || drop(owned.take()));

    UseInstallPromptReturn {
        held_prompt,
        installed,
        platform,
        listen_error: listen_error.into(),
    }
}

/// Whether the app runs as an installed app now (a home-screen window, not a browser tab).
pub fn running_installed() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    // iOS home-screen apps: the non-standard `navigator.standalone`.
    let ios_standalone =
        js_sys::Reflect::get(&window.navigator(), &JsValue::from_str("standalone"))
            .is_ok_and(|v| v.as_bool() == Some(true));
    let display_mode = |mode: &str| match window.match_media(&format!("(display-mode: {mode})")) {
        Ok(Some(query)) => query.matches(),
        // A browser that cannot evaluate the query has no such display mode.
        Ok(None) | Err(_) => false,
    };
    ios_standalone
        || ["standalone", "fullscreen", "minimal-ui"]
            .into_iter()
            .any(display_mode)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstallPlatform {
    IosSafari,
    IosOtherBrowser,
    Other,
}

/// Which install path a user agent has. iPadOS reports a Mac user agent, told apart by touch.
pub fn install_platform(user_agent: &str, max_touch_points: i32) -> InstallPlatform {
    let ios = ["iPhone", "iPad", "iPod"]
        .iter()
        .any(|d| user_agent.contains(d))
        || (user_agent.contains("Macintosh") && max_touch_points > 1);
    if !ios {
        return InstallPlatform::Other;
    }
    // Other iOS browsers keep Safari's token and add their own; in-app browsers often drop it.
    const OTHERS: [&str; 9] = [
        "CriOS",
        "FxiOS",
        "EdgiOS",
        "OPiOS",
        "GSA/",
        "FBAN",
        "FBAV",
        "Instagram",
        "Zalo",
    ];
    if user_agent.contains("Safari/") && !OTHERS.iter().any(|o| user_agent.contains(o)) {
        InstallPlatform::IosSafari
    } else {
        InstallPlatform::IosOtherBrowser
    }
}
