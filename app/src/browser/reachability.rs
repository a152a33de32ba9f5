//! Can the app reach its server right now? `navigator.onLine` only says whether the device has a
//! network interface up (it is `true` on a Wi-Fi with no internet, or with the server down), so
//! this probes a real URL: today the app's own origin, later the FHIR sync server's `/metadata`.
//!
//! Probes run at start, when the browser says it went online, when the app comes back to the
//! foreground, and on a timer: every [`UseReachabilityOptions::recheck_ms`] while reachable, and
//! with a doubling back-off while not. While the browser says it is offline nothing is probed (a
//! probe would fail anyway); the `online` event starts probing again.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::sync::Arc;

use health_book::sync::server_address::ServerAddress;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use thiserror::Error;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::callbacks::{CallbackError, EventListener, Timer};

/// Probed when no sync server is configured: a small file of the app's own origin. The query
/// string and `cache: 'no-store'` make the service worker pass it to the network (public/sw.js).
pub const APP_ORIGIN_PROBE: &str = "/manifest.webmanifest?probe";

/// What to probe.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ProbeTarget {
    /// The server the app was loaded from.
    #[default]
    AppOrigin,
    /// A FHIR server: its capability statement, which every conformant server serves.
    FhirServer(ServerAddress),
}

impl ProbeTarget {
    pub fn url(&self) -> String {
        match self {
            ProbeTarget::AppOrigin => APP_ORIGIN_PROBE.to_owned(),
            ProbeTarget::FhirServer(server) => server.metadata_url(),
        }
    }
}

/// Why the server is not reachable.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProbeError {
    /// The browser reports no network at all (`navigator.onLine` is false).
    #[error("the device has no network")]
    BrowserOffline,
    /// The request failed before any answer: no route, DNS, refused connection, or (for another
    /// origin) a CORS refusal, which browsers deliberately make look the same.
    #[error("the server could not be reached")]
    Network,
    /// No answer within the time limit.
    #[error("the server did not answer within {0} ms")]
    Timeout(u32),
    /// The server answered, but with a server error (5xx): it is there but not working.
    #[error("the server answered with HTTP {0}")]
    ServerError(u16),
    /// Not in a browser window, or the browser has no `fetch`.
    #[error("this browser cannot probe a server")]
    Unsupported,
    /// A listener or timer could not be set up, so the state would not follow changes.
    #[error(transparent)]
    Callback(#[from] CallbackError),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Reachability {
    /// The first probe has not answered yet.
    #[default]
    Checking,
    Reachable,
    Unreachable(ProbeError),
}

pub struct UseReachabilityOptions {
    /// What to probe; a change probes again at once.
    pub target: Signal<ProbeTarget>,
    /// Time limit of one probe.
    pub timeout_ms: u32,
    /// Pause between probes while the server is reachable.
    pub recheck_ms: u32,
    /// First pause after a failed probe; it doubles after each further failure...
    pub retry_first_ms: u32,
    /// ...up to this.
    pub retry_max_ms: u32,
}

impl Default for UseReachabilityOptions {
    fn default() -> Self {
        Self {
            target: Signal::stored(ProbeTarget::AppOrigin),
            timeout_ms: 8_000,
            recheck_ms: 120_000,
            retry_first_ms: 5_000,
            retry_max_ms: 300_000,
        }
    }
}

/// The reachability state, shareable as a context.
#[derive(Clone)]
pub struct UseReachabilityReturn {
    pub state: Signal<Reachability>,
    /// True only after a probe succeeded (not while checking).
    pub is_reachable: Signal<bool>,
    /// Probe now (for example after the person changed the server in Settings).
    pub check_now: Arc<dyn Fn() + Send + Sync>,
}

pub fn use_reachability() -> UseReachabilityReturn {
    use_reachability_with_options(UseReachabilityOptions::default())
}

pub fn use_reachability_with_options(options: UseReachabilityOptions) -> UseReachabilityReturn {
    let state = RwSignal::new(Reachability::Checking);
    let is_reachable = Signal::derive(move || state.get() == Reachability::Reachable);
    let prober = Prober::start(state, options);
    let check_now = {
        let prober = SendWrapper::new(Rc::downgrade(&prober));
        Arc::new(move || {
            if let Some(prober) = prober.upgrade() {
                prober.probe_now();
            }
        }) as Arc<dyn Fn() + Send + Sync>
    };
    // The prober (its listeners, its timer and the closures they own) lives until the owner is
    // cleaned up; the closures only hold weak references to it, so dropping it frees everything.
    let owned = SendWrapper::new(prober);
    on_cleanup(move || owned.take().stop());
    UseReachabilityReturn {
        state: state.into(),
        is_reachable,
        check_now,
    }
}

struct Prober {
    state: RwSignal<Reachability>,
    target: Signal<ProbeTarget>,
    timeout_ms: u32,
    recheck_ms: u32,
    retry_first_ms: u32,
    retry_max_ms: u32,
    /// Failed probes in a row, for the back-off.
    failures: Cell<u32>,
    /// Bumped by every probe and every `offline` event: an answer from an older probe is stale.
    generation: Cell<u64>,
    stopped: Cell<bool>,
    timer: RefCell<Option<Timer>>,
    listeners: RefCell<Vec<EventListener>>,
    target_effect: RefCell<Option<Effect<LocalStorage>>>,
}

impl Prober {
    fn start(state: RwSignal<Reachability>, options: UseReachabilityOptions) -> Rc<Self> {
        let prober = Rc::new(Prober {
            state,
            target: options.target,
            timeout_ms: options.timeout_ms,
            recheck_ms: options.recheck_ms,
            retry_first_ms: options.retry_first_ms,
            retry_max_ms: options.retry_max_ms,
            failures: Cell::new(0),
            generation: Cell::new(0),
            stopped: Cell::new(false),
            timer: RefCell::new(None),
            listeners: RefCell::new(Vec::new()),
            target_effect: RefCell::new(None),
        });
        let Some(window) = web_sys::window() else {
            state.set(Reachability::Unreachable(ProbeError::Unsupported));
            return prober;
        };
        if let Err(err) = prober.listen(&window) {
            state.set(Reachability::Unreachable(err.into()));
            return prober;
        }
        // Runs at once (the first probe) and again whenever the target changes.
        let target = prober.target;
        let probe_now = prober.callback(Self::probe_now);
        *prober.target_effect.borrow_mut() = Some(Effect::new(move |_| {
            target.track();
            probe_now();
        }));
        prober
    }

    /// A callback for the browser that calls `method` while the prober lives (it holds only a
    /// weak reference, so the prober's own listeners and timer do not keep it alive).
    fn callback(self: &Rc<Self>, method: fn(&Rc<Self>)) -> impl Fn() + 'static {
        let weak = Rc::downgrade(self);
        move || {
            if let Some(prober) = weak.upgrade() {
                method(&prober);
            }
        }
    }

    fn listen(self: &Rc<Self>, window: &web_sys::Window) -> Result<(), CallbackError> {
        *self.timer.borrow_mut() = Some(Timer::new(self.callback(Self::probe_now)));
        let on_online = self.callback(Self::probe_now);
        let on_offline = self.callback(|prober| prober.went_offline());
        let mut listeners = self.listeners.borrow_mut();
        listeners.push(EventListener::new(window, "online", move |_| on_online())?);
        listeners.push(EventListener::new(window, "offline", move |_| {
            on_offline()
        })?);
        listeners.push(EventListener::on_page_visible(
            self.callback(Self::probe_now),
        )?);
        Ok(())
    }

    fn probe_now(self: &Rc<Self>) {
        if self.stopped.get() {
            return;
        }
        self.stop_timer();
        let generation = self.generation.get() + 1;
        self.generation.set(generation);
        if browser_says_offline() {
            self.went_offline();
            return;
        }
        let url = self.target.get_untracked().url();
        let timeout_ms = self.timeout_ms;
        let weak: Weak<Prober> = Rc::downgrade(self);
        leptos::task::spawn_local(async move {
            let result = probe(&url, timeout_ms).await;
            if let Some(prober) = weak.upgrade() {
                if !prober.stopped.get() && prober.generation.get() == generation {
                    prober.record(result);
                }
            }
        });
    }

    /// The browser says the network is gone: no probe can succeed until it says `online` again.
    fn went_offline(&self) {
        self.generation.set(self.generation.get() + 1);
        self.stop_timer();
        self.state
            .set(Reachability::Unreachable(ProbeError::BrowserOffline));
    }

    fn record(&self, result: Result<(), ProbeError>) {
        let next_ms = match &result {
            Ok(()) => {
                self.failures.set(0);
                self.recheck_ms
            }
            Err(_) => {
                let failures = self.failures.get().saturating_add(1);
                self.failures.set(failures);
                backoff_ms(self.retry_first_ms, self.retry_max_ms, failures)
            }
        };
        let state = match result {
            Ok(()) => Reachability::Reachable,
            Err(err) => Reachability::Unreachable(err),
        };
        // Only a change notifies the header (the periodic "still reachable" is not news).
        if self.state.get_untracked() != state {
            self.state.set(state);
        }
        if let Some(timer) = self.timer.borrow().as_ref() {
            if let Err(err) = timer.start_once(next_ms) {
                self.state.set(Reachability::Unreachable(err.into()));
            }
        }
    }

    fn stop_timer(&self) {
        if let Some(timer) = self.timer.borrow().as_ref() {
            timer.stop();
        }
    }

    fn stop(&self) {
        self.stopped.set(true);
        self.timer.borrow_mut().take();
        self.listeners.borrow_mut().clear();
        if let Some(effect) = self.target_effect.borrow_mut().take() {
            effect.dispose();
        }
    }
}

/// The pause after `failures` failed probes in a row: `first`, doubling, at most `max`.
pub fn backoff_ms(first: u32, max: u32, failures: u32) -> u32 {
    let doublings = failures.saturating_sub(1).min(31);
    first.saturating_mul(1u32 << doublings).min(max)
}

fn browser_says_offline() -> bool {
    web_sys::window().is_some_and(|w| !w.navigator().on_line())
}

/// One request: any answer below 500 means the server is there (a FHIR server may well answer
/// 401 before sign-in is configured); a 5xx means it is there but broken.
async fn probe(url: &str, timeout_ms: u32) -> Result<(), ProbeError> {
    let window = web_sys::window().ok_or(ProbeError::Unsupported)?;
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    init.set_cache(web_sys::RequestCache::NoStore);
    init.set_credentials(web_sys::RequestCredentials::Omit);
    init.set_mode(web_sys::RequestMode::Cors);
    if let Some(signal) = timeout_signal(timeout_ms) {
        init.set_signal(Some(&signal));
    }
    let has_fetch = js_sys::Reflect::has(&window, &JsValue::from_str("fetch"))
        .map_err(|_| ProbeError::Unsupported)?;
    if !has_fetch {
        return Err(ProbeError::Unsupported);
    }
    let answer = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await;
    match answer {
        Ok(response) => {
            let response: web_sys::Response =
                response.dyn_into().map_err(|_| ProbeError::Unsupported)?;
            match response.status() {
                status if status >= 500 => Err(ProbeError::ServerError(status)),
                _ => Ok(()),
            }
        }
        Err(err) => {
            let name = err
                .dyn_ref::<web_sys::DomException>()
                .map(|e| e.name())
                .unwrap_or_default();
            if name == "TimeoutError" || name == "AbortError" {
                Err(ProbeError::Timeout(timeout_ms))
            } else {
                Err(ProbeError::Network)
            }
        }
    }
}

/// `AbortSignal.timeout(ms)` where the browser has it (Safari before 16 does not: there the
/// probe simply has no time limit of its own).
fn timeout_signal(timeout_ms: u32) -> Option<web_sys::AbortSignal> {
    let abort_signal =
        js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("AbortSignal")).ok()?;
    let has_timeout = js_sys::Reflect::get(&abort_signal, &JsValue::from_str("timeout"))
        .is_ok_and(|f| f.is_function());
    has_timeout.then(|| web_sys::AbortSignal::timeout_with_u32(timeout_ms))
}
