//! Callbacks the browser calls repeatedly (event listeners, timers), owned by Rust.
//!
//! Each handle keeps its `Closure` alive exactly as long as the handle lives and unregisters it on
//! drop, so a capability that is set up again (a remounted component, a browser test) leaves no
//! listener or timer behind. This replaces `Closure::forget`, which leaks one closure per call.

use std::cell::RefCell;

use thiserror::Error;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CallbackError {
    /// `addEventListener` threw (it does not in current browsers; kept typed rather than ignored).
    #[error("could not listen for `{0}` events")]
    Listen(&'static str),
    /// No `window` (not in a browser document), so no timers.
    #[error("timers are not available outside a browser window")]
    NoWindow,
    /// `setTimeout`/`setInterval` threw.
    #[error("the browser refused to start a timer")]
    Timer,
}

/// An event listener, removed from its target when dropped.
pub struct EventListener {
    target: web_sys::EventTarget,
    event_type: &'static str,
    callback: Closure<dyn FnMut(web_sys::Event)>,
}

impl EventListener {
    pub fn new(
        target: &web_sys::EventTarget,
        event_type: &'static str,
        handler: impl FnMut(web_sys::Event) + 'static,
    ) -> Result<Self, CallbackError> {
        let callback = Closure::<dyn FnMut(web_sys::Event)>::new(handler);
        target
            .add_event_listener_with_callback(event_type, callback.as_ref().unchecked_ref())
            .map_err(|_| CallbackError::Listen(event_type))?;
        Ok(Self {
            target: target.clone(),
            event_type,
            callback,
        })
    }
}

impl EventListener {
    /// Calls `handler` each time the page comes back to the foreground (`visibilitychange` to
    /// visible): where a long-open app catches up after the phone was put away.
    pub fn on_page_visible(mut handler: impl FnMut() + 'static) -> Result<Self, CallbackError> {
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or(CallbackError::Listen("visibilitychange"))?;
        let watched = document.clone();
        Self::new(&document, "visibilitychange", move |_| {
            if watched.visibility_state() == web_sys::VisibilityState::Visible {
                handler();
            }
        })
    }
}

impl Drop for EventListener {
    fn drop(&mut self) {
        let removed = self.target.remove_event_listener_with_callback(
            self.event_type,
            self.callback.as_ref().unchecked_ref(),
        );
        if removed.is_err() {
            // The closure is freed right after this; a listener left behind would call a freed
            // closure and throw, so make the cause visible.
            crate::console_warn!("could not remove the `{}` listener", self.event_type);
        }
    }
}

/// A pending timer, by the handle `setTimeout`/`setInterval` returned, kept as the JS value
/// itself: a browser's is a small integer, but a replaced clock (Playwright's `page.clock`, a
/// test double) may hand out numbers past `i32` or objects, and clearing a handle narrowed to
/// `i32` would clear nothing (or another timer), leaving this one running after a stop or drop.
#[derive(Debug, Clone, PartialEq)]
enum Running {
    Once(JsValue),
    Repeating(JsValue),
}

/// A timer with one callback that can be started, restarted and stopped any number of times.
/// Starting it again replaces the pending run; dropping it stops it (`clearTimeout` or
/// `clearInterval` with the handle it was given). The one `Closure` lives as long as the timer:
/// nothing is leaked however often it is restarted.
pub struct Timer {
    callback: Closure<dyn FnMut()>,
    running: RefCell<Option<Running>>,
}

impl Timer {
    pub fn new(callback: impl FnMut() + 'static) -> Self {
        Self {
            callback: Closure::<dyn FnMut()>::new(callback),
            running: RefCell::new(None),
        }
    }

    /// Run the callback once, `delay_ms` from now (replacing any pending run).
    pub fn start_once(&self, delay_ms: u32) -> Result<(), CallbackError> {
        self.start(delay_ms, false)
    }

    /// Run the callback every `period_ms` (replacing any pending run).
    pub fn start_repeating(&self, period_ms: u32) -> Result<(), CallbackError> {
        self.start(period_ms, true)
    }

    fn start(&self, ms: u32, repeating: bool) -> Result<(), CallbackError> {
        self.stop();
        let callback = self.callback.as_ref().unchecked_ref();
        let started = if repeating {
            scope::set_interval(callback, clamp_delay(ms)).map(Running::Repeating)
        } else {
            scope::set_timeout(callback, clamp_delay(ms)).map(Running::Once)
        };
        *self.running.borrow_mut() = Some(started.map_err(|_| CallbackError::Timer)?);
        Ok(())
    }

    pub fn stop(&self) {
        let running = self.running.borrow_mut().take();
        match running {
            Some(Running::Once(handle)) => scope::clear_timeout(&handle),
            Some(Running::Repeating(handle)) => scope::clear_interval(&handle),
            None => {}
        }
    }
}

/// The timer functions of whichever global scope runs the code: the page's window, or the data
/// worker's scope (the sync's time limits and pauses run there, `crate::worker::sync`).
mod scope {
    use wasm_bindgen::prelude::wasm_bindgen;
    use wasm_bindgen::JsValue;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(catch, js_name = setTimeout)]
        pub fn set_timeout(handler: &js_sys::Function, ms: i32) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(catch, js_name = setInterval)]
        pub fn set_interval(handler: &js_sys::Function, ms: i32) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_name = clearTimeout)]
        pub fn clear_timeout(handle: &JsValue);
        #[wasm_bindgen(js_name = clearInterval)]
        pub fn clear_interval(handle: &JsValue);
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Browsers treat delays above 2^31-1 ms as 0 (an immediate, endless loop): cap them.
fn clamp_delay(ms: u32) -> i32 {
    i32::try_from(ms).unwrap_or(i32::MAX)
}
