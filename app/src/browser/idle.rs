//! Idle and hidden-page detection, for the device lock: calls back once the person has not
//! touched, typed or scrolled for a while, or once the page has stayed hidden (another app, the
//! screen off) longer than a short grace period.
//!
//! Feature detection: without a `window`/`document` (not a browser page) nothing is watched and
//! [`UseIdle::is_supported`] is false. Listeners and timers are owned by the returned handle's
//! reactive owner and removed on cleanup (leaving the component), never leaked.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use send_wrapper::SendWrapper;

use super::callbacks::{CallbackError, EventListener, Timer};

/// Activity that counts as "someone is using the device".
const ACTIVITY: [&str; 5] = ["pointerdown", "keydown", "touchstart", "wheel", "scroll"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdleOptions {
    /// No activity for this long: idle.
    pub idle_ms: u32,
    /// Hidden for this long: idle too.
    pub hidden_grace_ms: u32,
}

/// What [`use_idle`] returns.
#[derive(Clone, Copy)]
pub struct UseIdle {
    pub is_supported: bool,
    /// Set when watching could not start (shown nowhere; the Lock button still works).
    pub error: Signal<Option<CallbackError>>,
}

/// Calls `on_idle` when the page has been idle or hidden too long, for as long as the calling
/// component is mounted and `active` is true. Activity restarts the idle timer.
pub fn use_idle(
    options: Signal<IdleOptions>,
    active: Signal<bool>,
    on_idle: impl Fn() + 'static,
) -> UseIdle {
    let error = RwSignal::new(None::<CallbackError>);
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return UseIdle {
            is_supported: false,
            error: error.into(),
        };
    };
    let on_idle: Rc<dyn Fn()> = Rc::new(on_idle);
    let idle_timer = Rc::new(Timer::new({
        let on_idle = on_idle.clone();
        move || on_idle()
    }));
    let hidden_timer = Rc::new(Timer::new({
        let on_idle = on_idle.clone();
        move || on_idle()
    }));
    let restart = {
        let idle_timer = idle_timer.clone();
        move || {
            if !active.get_untracked() {
                idle_timer.stop();
                return Ok(());
            }
            idle_timer.start_once(options.get_untracked().idle_ms)
        }
    };

    let mut listeners = Vec::new();
    let started: Result<(), CallbackError> = (|| {
        for event in ACTIVITY {
            let restart = restart.clone();
            listeners.push(EventListener::new(&document, event, move |_| {
                if let Err(e) = restart() {
                    error.set(Some(e));
                }
            })?);
        }
        let watched = document.clone();
        let (hidden_timer, restart) = (hidden_timer.clone(), restart.clone());
        listeners.push(EventListener::new(
            &document,
            "visibilitychange",
            move |_| {
                let hidden = watched.visibility_state() == web_sys::VisibilityState::Hidden;
                let result = if hidden && active.get_untracked() {
                    hidden_timer.start_once(options.get_untracked().hidden_grace_ms)
                } else {
                    hidden_timer.stop();
                    restart()
                };
                if let Err(e) = result {
                    error.set(Some(e));
                }
            },
        )?);
        Ok(())
    })();
    if let Err(e) = started {
        error.set(Some(e));
    }

    // (Re)start when watching turns on or the idle time changes; stop when it turns off.
    Effect::new(move |_| {
        options.track();
        active.track();
        if let Err(e) = restart() {
            error.set(Some(e));
        }
    });

    let held = SendWrapper::new(RefCell::new(Some((listeners, idle_timer, hidden_timer))));
    on_cleanup(move || {
        // Dropping removes the listeners and stops the timers.
        held.borrow_mut().take();
    });
    UseIdle {
        is_supported: true,
        error: error.into(),
    }
}
