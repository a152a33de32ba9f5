//! The page's side of the data worker (`crate::worker`): starts it on first use, waits for its
//! "ready", then pairs each reply with its request.
//!
//! One worker for the page's whole life once started; if it fails to load or stops, every open
//! request ends with an error and the next request starts a new one.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Event, MessageEvent, Worker};

use super::callbacks::Timer;
use crate::worker::protocol::{Envelope, Payload, Reply, Request, WorkerError, UNSOLICITED};

/// Trunk's loader for the worker bin (unhashed; precached by the service worker).
const LOADER: &str = "/data-worker_loader.js";

/// An open request: its promise's resolve and reject functions, who gets its intermediate
/// replies (progress), and where its final reply is put, read once by the message handler (a
/// reply of megabytes is not parsed a second time).
struct Waiting {
    resolve: Function,
    reject: Function,
    on_reply: Box<dyn FnMut(Reply)>,
    answer: Answer,
}

/// The final reply of one request, or why it could not be read.
type Answer = Rc<RefCell<Option<Result<Reply, WorkerError>>>>;

/// The open requests, by request id.
type Pending = Rc<RefCell<HashMap<u32, Waiting>>>;

struct Connection {
    worker: Worker,
    /// Resolves on the worker's `Ready`, rejects if it fails to start.
    ready: Promise,
    pending: Pending,
    next_id: Cell<u32>,
    /// Set by the error handler: the next request replaces this connection (never from inside
    /// its own handler, which must not be dropped while it runs).
    stopped: Rc<Cell<bool>>,
    stop: Stop,
    // Held so the handlers live as long as the worker; dropped with it.
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

/// What ends a connection: its worker terminated, every open request (and the wait for "ready")
/// failed. Shared by the error handler and the watchdog of [`request_watched`].
#[derive(Clone)]
struct Stop {
    worker: Worker,
    pending: Pending,
    stopped: Rc<Cell<bool>>,
    ready_reject: Function,
}

/// Why a connection was stopped, as its open requests are rejected with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StopReason {
    /// Its error or messageerror event, or the page ended it (a Cancel not acknowledged).
    Stopped,
    /// A watchdog found it silent.
    NoReply,
}

/// The rejection value of a request whose worker went silent (any other is "stopped").
const NO_REPLY: &str = "no-reply";

impl StopReason {
    fn to_js(self) -> JsValue {
        match self {
            StopReason::Stopped => JsValue::NULL,
            StopReason::NoReply => JsValue::from_str(NO_REPLY),
        }
    }

    fn from_js(value: &JsValue) -> WorkerError {
        match value.as_string().as_deref() {
            Some(NO_REPLY) => WorkerError::NoReply,
            _ => WorkerError::Stopped,
        }
    }
}

impl Stop {
    fn run(&self, reason: StopReason) {
        self.worker.terminate();
        self.stopped.set(true);
        let reason = reason.to_js();
        settle(&self.ready_reject, &reason);
        let waiting: Vec<_> = self.pending.borrow_mut().drain().collect();
        for (_, waiting) in waiting {
            settle(&waiting.reject, &reason);
        }
    }
}

thread_local! {
    static CONNECTION: RefCell<Option<Rc<Connection>>> = const { RefCell::new(None) };
}

/// Starts the worker now, so its module is loaded by the time the first request comes (the scan
/// screen calls it when the browser has no `BarcodeDetector`).
pub fn warm_up() {
    if let Err(e) = connection() {
        crate::console_warn!("data worker: {e}");
    }
}

/// Sends one request (with `data` transferred, not copied) and waits for its reply.
pub async fn request(body: Request, data: Option<Payload>) -> Result<Reply, WorkerError> {
    request_streamed(body, data, |_| {}).await
}

/// Sends one request and waits for its final reply, passing each intermediate one (progress) to
/// `on_reply` as it comes.
pub async fn request_streamed(
    body: Request,
    data: Option<Payload>,
    on_reply: impl FnMut(Reply) + 'static,
) -> Result<Reply, WorkerError> {
    let connection = connection()?;
    JsFuture::from(connection.ready.clone())
        .await
        .map_err(|reason| match StopReason::from_js(&reason) {
            WorkerError::NoReply => WorkerError::NoReply,
            _ => WorkerError::Unavailable,
        })?;
    let id = connection.next_id.get();
    connection
        .next_id
        .set(id.wrapping_add(1).max(UNSOLICITED + 1));
    let (message, transfer) = Envelope { id, body, data }.to_js()?;
    let pending = connection.pending.clone();
    let answer = Answer::default();
    let mut on_reply = Some(Box::new(on_reply) as Box<dyn FnMut(Reply)>);
    let answered = Promise::new(&mut |resolve, reject| {
        if let Some(on_reply) = on_reply.take() {
            let waiting = Waiting {
                resolve,
                reject,
                on_reply,
                answer: answer.clone(),
            };
            pending.borrow_mut().insert(id, waiting);
        }
    });
    if let Err(e) = connection
        .worker
        .post_message_with_transfer(&message, &transfer)
    {
        connection.pending.borrow_mut().remove(&id);
        return Err(WorkerError::BadMessage(format!("{e:?}")));
    }
    JsFuture::from(answered)
        .await
        .map_err(|reason| StopReason::from_js(&reason))?;
    let answer = answer.borrow_mut().take();
    match answer.unwrap_or(Err(WorkerError::Stopped))? {
        Reply::Failed(e) => Err(e),
        reply => Ok(reply),
    }
}

/// As [`request_streamed`], for a long request: a worker that sends nothing for `silence_ms`
/// (not even "ready") is taken for dead without an error event (a crash can end a worker
/// silently, or hang) and stopped, so the request (and every other open one) ends with
/// [`WorkerError::NoReply`] instead of waiting forever; the next request starts a new worker.
/// `silence_ms` must be longer than the longest quiet step of the request.
///
/// The watchdog is a [`Timer`] owned by this call: it keeps its JS handle and is cleared when
/// the request ends, however it ends.
pub async fn request_watched(
    body: Request,
    data: Option<Payload>,
    silence_ms: u32,
    mut on_reply: impl FnMut(Reply) + 'static,
) -> Result<Reply, WorkerError> {
    // A one-off timer restarted by every reply: it fires `silence_ms` after the last word.
    let watchdog = Rc::new(Timer::new(move || {
        crate::console_warn!("data worker: silent for {silence_ms} ms, stopped");
        stop_connection(StopReason::NoReply);
    }));
    if let Err(e) = watchdog.start_once(silence_ms) {
        crate::console_warn!("data worker: no watchdog: {e}");
        return Err(WorkerError::Unavailable);
    }
    let rearm = watchdog.clone();
    let answer = request_streamed(body, data, move |reply| {
        if let Err(e) = rearm.start_once(silence_ms) {
            // The previous run was cleared: without a new one the request could wait forever.
            crate::console_warn!("data worker: watchdog not restarted: {e}");
            stop_connection(StopReason::NoReply);
        }
        on_reply(reply);
    })
    .await;
    watchdog.stop();
    answer
}

/// Ends the worker now (the page's decision, such as a Cancel it did not acknowledge): every
/// open request fails with [`WorkerError::Stopped`], and the next request starts a new worker.
pub fn terminate() {
    stop_connection(StopReason::Stopped);
}

fn stop_connection(reason: StopReason) {
    let current = CONNECTION.with(|slot| slot.borrow().clone());
    if let Some(connection) = current {
        connection.stop.run(reason);
    }
}

fn connection() -> Result<Rc<Connection>, WorkerError> {
    CONNECTION.with(|slot| {
        if let Some(connection) = slot.borrow().as_ref().filter(|c| !c.stopped.get()) {
            return Ok(connection.clone());
        }
        let connection = Rc::new(start()?);
        *slot.borrow_mut() = Some(connection.clone());
        Ok(connection)
    })
}

fn start() -> Result<Connection, WorkerError> {
    let worker = Worker::new(LOADER).map_err(|e| {
        crate::console_warn!("data worker: not started: {e:?}");
        WorkerError::Unavailable
    })?;
    let pending: Pending = Rc::default();
    let (mut ready_resolve, mut ready_reject) = (None, None);
    let ready = Promise::new(&mut |resolve, reject| {
        ready_resolve = Some(resolve);
        ready_reject = Some(reject);
    });
    let (ready_resolve, ready_reject) = ready_resolve
        .zip(ready_reject)
        .ok_or(WorkerError::Unavailable)?;
    let stopped = Rc::new(Cell::new(false));

    let on_message = {
        let pending = pending.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            match Envelope::<Reply>::from_js(&data) {
                Ok(Envelope {
                    id: UNSOLICITED,
                    body: Reply::Ready,
                    ..
                }) => settle(&ready_resolve, &JsValue::NULL),
                Ok(Envelope { id, body, .. }) if !body.is_final() => {
                    // Taken out while it runs, so that it may itself send a request.
                    let waiting = pending.borrow_mut().remove(&id);
                    match waiting {
                        Some(mut waiting) => {
                            (waiting.on_reply)(body);
                            pending.borrow_mut().insert(id, waiting);
                        }
                        None => crate::console_warn!("data worker: reply {id} to no request"),
                    }
                }
                Ok(Envelope { id, body, .. }) => answer(&pending, id, Ok(body)),
                // A reply that cannot be read (another build of the worker, a broken body) ends
                // its request with the error; its contents never go to the console.
                Err(e) => match crate::worker::protocol::id_of(&data) {
                    Some(id) => {
                        crate::console_warn!("data worker: reply {id} unreadable");
                        answer(&pending, id, Err(e));
                    }
                    None => crate::console_warn!("data worker: a reply without an id"),
                },
            }
        })
    };
    let stop = Stop {
        worker: worker.clone(),
        pending: pending.clone(),
        stopped: stopped.clone(),
        ready_reject,
    };
    let on_error = {
        let stop = stop.clone();
        Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            // The loader did not load (offline before the worker's files were stored), the
            // module stopped or a reply could not be read: fail whatever waits, and let the next request start afresh.
            event.prevent_default();
            crate::console_warn!("data worker: stopped ({})", event.type_());
            stop.run(StopReason::Stopped);
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // A reply that cannot be cloned back is lost: its request would wait for the watchdog.
    worker.set_onmessageerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(Connection {
        worker,
        ready,
        pending,
        next_id: Cell::new(UNSOLICITED + 1),
        stopped,
        stop,
        _on_message: on_message,
        _on_error: on_error,
    })
}

/// Ends request `id` with its final reply.
fn answer(pending: &Pending, id: u32, reply: Result<Reply, WorkerError>) {
    let waiting = pending.borrow_mut().remove(&id);
    match waiting {
        Some(waiting) => {
            *waiting.answer.borrow_mut() = Some(reply);
            settle(&waiting.resolve, &JsValue::NULL);
        }
        None => crate::console_warn!("data worker: reply {id} to no request"),
    }
}

/// Resolves or rejects a promise. Its functions never throw, so there is no error to report.
fn settle(function: &Function, value: &JsValue) {
    if function.call1(&JsValue::NULL, value).is_err() {
        crate::console_warn!("data worker: a promise could not be settled");
    }
}
