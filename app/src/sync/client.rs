//! The sync's HTTP: `fetch` with an `AbortController` per request, aborted by a timer (the time
//! limit) or by the person (Cancel), and pauses between retries that Cancel also ends.
//!
//! It runs in the data worker (`crate::worker::sync`), so a server's pages are fetched, parsed and
//! mapped off the page; `fetch` and the timers are those of the global scope, so the same code
//! also runs on a page (the browser tests drive it there).
//!
//! A body is never read whole on trust: `Content-Length` is checked against the request's limit
//! first, then the stream is counted chunk by chunk and the request aborted once it goes over, so
//! a server sending too much cannot fill the phone's memory. Redirects are not followed
//! (`redirect: "manual"`): the bearer token would go along to wherever they point.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use health_book::sync::{Progress, Request, Response, Transport, TransportError};
use time::OffsetDateTime;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::settings::BearerToken;
use crate::browser::callbacks::Timer;
use crate::browser::clock;

/// Cancels a running sync: aborts the request in flight and ends a pause between retries.
#[derive(Default)]
pub struct CancelHandle {
    cancelled: Cell<bool>,
    request: RefCell<Option<web_sys::AbortController>>,
    wake: RefCell<Option<js_sys::Function>>,
}

impl CancelHandle {
    pub fn cancel(&self) {
        self.cancelled.set(true);
        if let Some(controller) = self.request.borrow_mut().take() {
            controller.abort();
        }
        if let Some(wake) = self.wake.borrow_mut().take() {
            if wake.call0(&JsValue::NULL).is_err() {
                crate::console_warn!("sync: could not end the pause");
            }
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.get()
    }
}

pub struct FetchTransport {
    token: Option<BearerToken>,
    timeout_ms: u32,
    cancel: Rc<CancelHandle>,
    on_progress: Box<dyn Fn(Progress)>,
}

impl FetchTransport {
    /// `token` must be the one saved for the server this transport talks to
    /// (`settings::load_token` only gives it for that server).
    pub fn new(
        token: Option<BearerToken>,
        timeout_ms: u32,
        cancel: Rc<CancelHandle>,
        on_progress: impl Fn(Progress) + 'static,
    ) -> Self {
        FetchTransport {
            token,
            timeout_ms,
            cancel,
            on_progress: Box::new(on_progress),
        }
    }

    async fn fetch(&self, request: &Request) -> Result<Response, TransportError> {
        if self.cancel.is_cancelled() {
            return Err(TransportError::Cancelled);
        }
        let controller = web_sys::AbortController::new().map_err(|_| TransportError::Network)?;
        let headers = web_sys::Headers::new().map_err(|_| TransportError::Network)?;
        let set = |name: &str, value: &str| {
            headers
                .set(name, value)
                .map_err(|_| TransportError::Network)
        };
        set("Accept", "application/fhir+json")?;
        if let Some(token) = &self.token {
            set("Authorization", &token.header_value())?;
        }
        if let Some(tag) = &request.if_none_match {
            set("If-None-Match", tag)?;
        }
        let init = web_sys::RequestInit::new();
        init.set_method("GET");
        init.set_headers(&headers);
        init.set_signal(Some(&controller.signal()));
        init.set_mode(web_sys::RequestMode::Cors);
        init.set_credentials(web_sys::RequestCredentials::Omit);
        init.set_redirect(web_sys::RequestRedirect::Manual);
        // The service worker passes no-store requests to the network, and the HTTP cache keeps
        // nothing of the person's record (public/sw.js).
        init.set_cache(web_sys::RequestCache::NoStore);

        let timed_out = Rc::new(Cell::new(false));
        let timer = Timer::new({
            let (controller, timed_out) = (controller.clone(), timed_out.clone());
            move || {
                timed_out.set(true);
                controller.abort();
            }
        });
        if timer.start_once(self.timeout_ms).is_err() {
            return Err(TransportError::Network);
        }
        *self.cancel.request.borrow_mut() = Some(controller.clone());

        let answer = async {
            let response = JsFuture::from(global_fetch(&request.url, &init)).await?;
            let response: web_sys::Response = response.dyn_into()?;
            if response.type_() == web_sys::ResponseType::Opaqueredirect {
                return Ok(Answer::Redirected);
            }
            // The body is read under the same time limit and Cancel.
            let limit = request.body_limit(response.status());
            Ok::<_, JsValue>(match read_body(&response, limit).await? {
                Some(body) => Answer::Read(response, body),
                None => Answer::TooLarge(response.status()),
            })
        }
        .await;
        drop(timer);
        self.cancel.request.borrow_mut().take();

        match answer {
            Ok(Answer::Read(response, body)) => {
                let header = |name: &str| response.headers().get(name).ok().flatten();
                Ok(Response {
                    status: response.status(),
                    etag: header("etag"),
                    retry_after: header("retry-after"),
                    date: header("date"),
                    body,
                })
            }
            Ok(Answer::TooLarge(status)) => {
                // Stops the download of the rest.
                controller.abort();
                Err(TransportError::TooLarge { status })
            }
            Ok(Answer::Redirected) => Err(TransportError::Redirected),
            Err(_) if self.cancel.is_cancelled() => Err(TransportError::Cancelled),
            Err(_) if timed_out.get() => Err(TransportError::Timeout),
            // A refused connection, no network, a CORS refusal, or a Content-Security-Policy
            // block all look the same to the page.
            Err(_) => Err(TransportError::Network),
        }
    }

    async fn pause(&self, ms: u32) -> Result<(), TransportError> {
        if self.cancel.is_cancelled() {
            return Err(TransportError::Cancelled);
        }
        let resolve: Rc<RefCell<Option<js_sys::Function>>> = Rc::default();
        let promise = js_sys::Promise::new(&mut |ok, _| {
            *resolve.borrow_mut() = Some(ok);
        });
        let resolve_fn = resolve.borrow_mut().take();
        *self.cancel.wake.borrow_mut() = resolve_fn.clone();
        let timer = Timer::new(move || {
            if let Some(ok) = &resolve_fn {
                if ok.call0(&JsValue::NULL).is_err() {
                    crate::console_warn!("sync: could not end the pause");
                }
            }
        });
        if timer.start_once(ms).is_err() {
            return Err(TransportError::Network);
        }
        // The promise cannot reject: only the timer or Cancel resolves it.
        let waited = JsFuture::from(promise).await;
        drop(timer);
        self.cancel.wake.borrow_mut().take();
        match waited {
            Ok(_) if self.cancel.is_cancelled() => Err(TransportError::Cancelled),
            Ok(_) => Ok(()),
            Err(_) => Err(TransportError::Network),
        }
    }
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `fetch` of the global scope: a window's or a worker's (both have it, with the same
    /// arguments). Errors come back as a rejected promise, never as a throw.
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(input: &str, init: &web_sys::RequestInit) -> js_sys::Promise;
}

/// How one `fetch` ended, when it got an answer.
enum Answer {
    Read(web_sys::Response, Vec<u8>),
    /// The body (or its announced length) was over the limit for its status.
    TooLarge(u16),
    Redirected,
}

/// The body, or `None` as soon as it is known to be longer than `limit` bytes.
async fn read_body(response: &web_sys::Response, limit: usize) -> Result<Option<Vec<u8>>, JsValue> {
    let announced = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<usize>().ok());
    if announced.is_some_and(|n| n > limit) {
        return Ok(None);
    }
    let Some(stream) = response.body() else {
        return Ok(Some(Vec::new()));
    };
    // The announced length may be of the compressed body: the count read is what decides.
    crate::browser::byte_stream::read_all(&stream, limit, announced.unwrap_or(0), |_| {}).await
}

impl Transport for FetchTransport {
    fn get(
        &self,
        request: &Request,
    ) -> impl std::future::Future<Output = Result<Response, TransportError>> {
        self.fetch(request)
    }

    fn sleep(&self, ms: u32) -> impl std::future::Future<Output = Result<(), TransportError>> {
        self.pause(ms)
    }

    fn jitter(&self) -> f64 {
        js_sys::Math::random()
    }

    fn now(&self) -> OffsetDateTime {
        clock::now()
    }

    fn progress(&self, progress: Progress) {
        (self.on_progress)(progress);
    }
}
