//! The service worker (`public/sw.js`): registration, whether this page is served by it (so it
//! works offline), and new versions.
//!
//! A new version installs in the background and then waits. It takes over only when the person
//! taps "reload" ([`UseServiceWorkerReturn::apply_update`]): this page asks the waiting worker to
//! activate, and reloads when it has taken control. Nothing else reloads the page, so the app never
//! changes under someone showing their check-in QR at a reception desk.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::sync::Arc;

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use thiserror::Error;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::callbacks::{CallbackError, EventListener, Timer};

/// Asks a waiting worker to activate; `public/sw.js` listens for the same string.
pub const SKIP_WAITING_MESSAGE: &str = "SKIP_WAITING";

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ServiceWorkerError {
    /// No service workers here: an old browser, a private mode that disables them, or a page not
    /// served over HTTPS (or localhost).
    #[error("this browser offers no service workers here")]
    Unsupported,
    #[error("registering {script_url} failed: {message}")]
    Register { script_url: String, message: String },
    /// Checking for a new version failed; normal while offline.
    #[error("checking for a new version failed: {0}")]
    UpdateCheck(String),
    /// `apply_update` was called with no new version waiting.
    #[error("no new version is waiting")]
    NothingWaiting,
    #[error("the new version could not be asked to take over: {0}")]
    PostMessage(String),
    #[error("the page could not reload: {0}")]
    Reload(String),
    #[error(transparent)]
    Callback(#[from] CallbackError),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistrationStatus {
    Pending,
    Registered,
    Failed(ServiceWorkerError),
}

pub struct UseServiceWorkerOptions {
    pub script_url: String,
    pub scope: String,
    /// How often a long-open app (an installed app can stay open for days) asks the server for a
    /// new version; also checked when the app returns to the foreground after this long. Browsers
    /// check by themselves on every navigation.
    pub update_check_ms: u32,
}

impl Default for UseServiceWorkerOptions {
    fn default() -> Self {
        Self {
            script_url: "/sw.js".to_owned(),
            scope: "/".to_owned(),
            update_check_ms: 3_600_000,
        }
    }
}

/// The service worker's state, shareable as a context.
#[derive(Clone)]
pub struct UseServiceWorkerReturn {
    pub registration: Signal<RegistrationStatus>,
    /// A service worker serves this page: it loads with no network.
    pub controlled: Signal<bool>,
    /// A new version is installed and waiting for [`Self::apply_update`].
    pub update_ready: Signal<bool>,
    /// The last failure that did not come back as a `Result` (an update check, the final reload);
    /// cleared by the next successful update check.
    pub last_error: Signal<Option<ServiceWorkerError>>,
    /// Ask the waiting version to take over; the page reloads once it has. Call it only from the
    /// person's tap.
    pub apply_update: Arc<dyn Fn() -> Result<(), ServiceWorkerError> + Send + Sync>,
    /// Ask the server for a new version now.
    pub check_for_update: Arc<dyn Fn() + Send + Sync>,
}

pub fn use_service_worker() -> UseServiceWorkerReturn {
    use_service_worker_with_options(UseServiceWorkerOptions::default())
}

pub fn use_service_worker_with_options(options: UseServiceWorkerOptions) -> UseServiceWorkerReturn {
    let registration = RwSignal::new(RegistrationStatus::Pending);
    let controlled = RwSignal::new(false);
    let update_ready = RwSignal::new(false);
    let last_error = RwSignal::new(None::<ServiceWorkerError>);
    let signals = Signals {
        registration,
        controlled,
        update_ready,
        last_error,
    };

    let worker = match container() {
        Some(container) => Some(Worker::start(container, signals, options)),
        None => {
            registration.set(RegistrationStatus::Failed(ServiceWorkerError::Unsupported));
            None
        }
    };
    let weak = SendWrapper::new(worker.as_ref().map(Rc::downgrade));
    let apply_update = {
        let weak = weak.clone();
        Arc::new(move || match weak.as_ref().and_then(Weak::upgrade) {
            Some(worker) => worker.apply_update(),
            None => Err(ServiceWorkerError::Unsupported),
        }) as Arc<dyn Fn() -> Result<(), ServiceWorkerError> + Send + Sync>
    };
    let check_for_update = Arc::new(move || {
        if let Some(worker) = weak.as_ref().and_then(Weak::upgrade) {
            worker.check_for_update();
        }
    }) as Arc<dyn Fn() + Send + Sync>;
    // The worker handle (listeners, timer, closures) lives until the owner is cleaned up; the
    // closures hold weak references only, so dropping it frees everything.
    let owned = SendWrapper::new(worker);
    on_cleanup(move || {
        if let Some(worker) = owned.take() {
            worker.stop();
        }
    });

    UseServiceWorkerReturn {
        registration: registration.into(),
        controlled: controlled.into(),
        update_ready: update_ready.into(),
        last_error: last_error.into(),
        apply_update,
        check_for_update,
    }
}

/// `navigator.serviceWorker`, where it exists (feature detection: the property is missing in
/// browsers without service workers and on insecure origins).
pub(crate) fn container() -> Option<web_sys::ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    let container = js_sys::Reflect::get(&navigator, &JsValue::from_str("serviceWorker")).ok()?;
    container.dyn_into::<web_sys::ServiceWorkerContainer>().ok()
}

#[derive(Clone, Copy)]
struct Signals {
    registration: RwSignal<RegistrationStatus>,
    controlled: RwSignal<bool>,
    update_ready: RwSignal<bool>,
    last_error: RwSignal<Option<ServiceWorkerError>>,
}

struct Worker {
    container: web_sys::ServiceWorkerContainer,
    registration: RefCell<Option<web_sys::ServiceWorkerRegistration>>,
    signals: Signals,
    update_check_ms: u32,
    /// When the last update check started (ms since the epoch), for the foreground check.
    last_check_at: Cell<f64>,
    /// Set by the person's tap, read when the new worker takes control: the only path to a reload.
    reload_requested: Cell<bool>,
    stopped: Cell<bool>,
    listeners: RefCell<Vec<EventListener>>,
    /// Follows the worker being installed right now (replaced by the next one).
    installing_listener: RefCell<Option<EventListener>>,
    update_timer: RefCell<Option<Timer>>,
}

impl Worker {
    fn start(
        container: web_sys::ServiceWorkerContainer,
        signals: Signals,
        options: UseServiceWorkerOptions,
    ) -> Rc<Self> {
        signals.controlled.set(container.controller().is_some());
        let worker = Rc::new(Worker {
            container,
            registration: RefCell::new(None),
            signals,
            update_check_ms: options.update_check_ms,
            last_check_at: Cell::new(js_sys::Date::now()),
            reload_requested: Cell::new(false),
            stopped: Cell::new(false),
            listeners: RefCell::new(Vec::new()),
            installing_listener: RefCell::new(None),
            update_timer: RefCell::new(None),
        });
        if let Err(err) = worker.listen() {
            signals
                .registration
                .set(RegistrationStatus::Failed(err.into()));
            return worker;
        }
        // Registering starts the install, which downloads every file of the build: only once
        // the first screen is up (a first visit on a slow network has nothing to spare).
        let weak = Rc::downgrade(&worker);
        super::sw_started::after_start(move || {
            if let Some(worker) = weak.upgrade().filter(|w| !w.stopped.get()) {
                worker.register(options);
            }
        });
        worker
    }

    fn register(self: &Rc<Self>, options: UseServiceWorkerOptions) {
        let weak = Rc::downgrade(self);
        let registering = self.container.register_with_options(&options.script_url, &{
            let registration_options = web_sys::RegistrationOptions::new();
            registration_options.set_scope(&options.scope);
            registration_options
        });
        leptos::task::spawn_local(async move {
            let result = JsFuture::from(registering).await;
            let Some(worker) = weak.upgrade() else { return };
            if worker.stopped.get() {
                return;
            }
            match result.map(|r| r.dyn_into::<web_sys::ServiceWorkerRegistration>()) {
                Ok(Ok(registration)) => worker.registered(registration),
                Ok(Err(other)) => worker.signals.registration.set(RegistrationStatus::Failed(
                    ServiceWorkerError::Register {
                        script_url: options.script_url,
                        message: format!("unexpected result {other:?}"),
                    },
                )),
                Err(err) => worker.signals.registration.set(RegistrationStatus::Failed(
                    ServiceWorkerError::Register {
                        script_url: options.script_url,
                        message: js_message(&err),
                    },
                )),
            }
        });
    }

    fn listen(self: &Rc<Self>) -> Result<(), CallbackError> {
        let on_controller_change = {
            let weak = Rc::downgrade(self);
            move |_| {
                if let Some(worker) = weak.upgrade() {
                    worker.controller_changed();
                }
            }
        };
        let on_visible = {
            let weak = Rc::downgrade(self);
            move || {
                let Some(worker) = weak.upgrade() else { return };
                let elapsed = js_sys::Date::now() - worker.last_check_at.get();
                if elapsed >= f64::from(worker.update_check_ms) {
                    worker.check_for_update();
                }
            }
        };
        let mut listeners = self.listeners.borrow_mut();
        listeners.push(EventListener::new(
            &self.container,
            "controllerchange",
            on_controller_change,
        )?);
        listeners.push(EventListener::on_page_visible(on_visible)?);
        Ok(())
    }

    fn registered(self: &Rc<Self>, registration: web_sys::ServiceWorkerRegistration) {
        let on_update_found = {
            let weak = Rc::downgrade(self);
            move |_| {
                if let Some(worker) = weak.upgrade() {
                    worker.follow_installing();
                }
            }
        };
        match EventListener::new(&registration, "updatefound", on_update_found) {
            Ok(listener) => self.listeners.borrow_mut().push(listener),
            Err(err) => {
                self.signals
                    .registration
                    .set(RegistrationStatus::Failed(err.into()));
                return;
            }
        }
        *self.registration.borrow_mut() = Some(registration);
        self.signals
            .registration
            .set(RegistrationStatus::Registered);
        // An install may already be under way (it started before this code ran).
        self.follow_installing();
        self.refresh_update_ready();
        if self.update_check_ms > 0 {
            let weak = Rc::downgrade(self);
            let timer = Timer::new(move || {
                if let Some(worker) = weak.upgrade() {
                    worker.check_for_update();
                }
            });
            match timer.start_repeating(self.update_check_ms) {
                Ok(()) => *self.update_timer.borrow_mut() = Some(timer),
                Err(err) => self.signals.last_error.set(Some(err.into())),
            }
        }
    }

    /// Watch the worker being installed: once installed it waits, and the banner can offer it.
    fn follow_installing(self: &Rc<Self>) {
        let installing = self
            .registration
            .borrow()
            .as_ref()
            .and_then(|r| r.installing());
        let Some(installing) = installing else { return };
        let weak = Rc::downgrade(self);
        let listener = EventListener::new(&installing, "statechange", move |_| {
            if let Some(worker) = weak.upgrade() {
                worker.refresh_update_ready();
            }
        });
        match listener {
            Ok(listener) => *self.installing_listener.borrow_mut() = Some(listener),
            Err(err) => self.signals.last_error.set(Some(err.into())),
        }
    }

    /// A new version is ready when one waits *and* an older one controls this page (on the first
    /// visit the installed worker activates by itself: nothing to offer).
    fn refresh_update_ready(&self) {
        let waiting = self
            .registration
            .borrow()
            .as_ref()
            .and_then(|r| r.waiting())
            .is_some();
        let ready = waiting && self.container.controller().is_some();
        if self.signals.update_ready.get_untracked() != ready {
            self.signals.update_ready.set(ready);
        }
    }

    fn controller_changed(&self) {
        self.signals
            .controlled
            .set(self.container.controller().is_some());
        self.refresh_update_ready();
        if !self.reload_requested.get() {
            // The first install claiming this page, or another tab of the app applying an update:
            // this page keeps running as it is (everything it needs is already loaded).
            return;
        }
        let reloaded = web_sys::window()
            .ok_or_else(|| ServiceWorkerError::Reload("no window".to_owned()))
            .and_then(|w| {
                w.location()
                    .reload()
                    .map_err(|e| ServiceWorkerError::Reload(js_message(&e)))
            });
        if let Err(err) = reloaded {
            self.reload_requested.set(false);
            self.signals.last_error.set(Some(err));
        }
    }

    fn apply_update(&self) -> Result<(), ServiceWorkerError> {
        let waiting = self
            .registration
            .borrow()
            .as_ref()
            .and_then(|r| r.waiting())
            .ok_or(ServiceWorkerError::NothingWaiting)?;
        let message = js_sys::Object::new();
        js_sys::Reflect::set(
            &message,
            &JsValue::from_str("type"),
            &JsValue::from_str(SKIP_WAITING_MESSAGE),
        )
        .map_err(|e| ServiceWorkerError::PostMessage(js_message(&e)))?;
        self.reload_requested.set(true);
        waiting.post_message(&message).map_err(|e| {
            self.reload_requested.set(false);
            ServiceWorkerError::PostMessage(js_message(&e))
        })
    }

    fn check_for_update(self: &Rc<Self>) {
        let offline = web_sys::window().is_some_and(|w| !w.navigator().on_line());
        let registration = self.registration.borrow().clone();
        let Some(registration) = registration else {
            return;
        };
        if offline {
            // The check would fail; the browser checks again on the next navigation online.
            return;
        }
        self.last_check_at.set(js_sys::Date::now());
        let checking = match registration.update() {
            Ok(promise) => promise,
            Err(err) => {
                self.signals
                    .last_error
                    .set(Some(ServiceWorkerError::UpdateCheck(js_message(&err))));
                return;
            }
        };
        let last_error = self.signals.last_error;
        leptos::task::spawn_local(async move {
            match JsFuture::from(checking).await {
                Ok(_) => last_error.set(None),
                Err(err) => last_error.set(Some(ServiceWorkerError::UpdateCheck(js_message(&err)))),
            }
        });
    }

    fn stop(&self) {
        self.stopped.set(true);
        self.update_timer.borrow_mut().take();
        self.installing_listener.borrow_mut().take();
        self.listeners.borrow_mut().clear();
    }
}

/// A readable message from a thrown JS value (an `Error`, a `DOMException`, or anything else).
fn js_message(value: &JsValue) -> String {
    if let Some(error) = value.dyn_ref::<js_sys::Error>() {
        return String::from(error.message());
    }
    if let Some(exception) = value.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", exception.name(), exception.message());
    }
    value.as_string().unwrap_or_else(|| format!("{value:?}"))
}
