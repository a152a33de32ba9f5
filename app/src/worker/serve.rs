//! The worker's side: answers each request of the page in its own task, so a long one (a sync)
//! does not hold up a short one (a camera frame, a Cancel).
//! Each capability's work is in its own file beside this one; this file only dispatches.

use wasm_bindgen::prelude::Closure;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::protocol::{Envelope, Payload, Reply, Request, WorkerError, UNSOLICITED};

/// Sends the intermediate replies of one request (progress); its final reply is what
/// [`answer`] returns.
#[derive(Clone)]
pub struct Replies {
    scope: DedicatedWorkerGlobalScope,
    id: u32,
}

impl Replies {
    pub fn send(&self, reply: Reply) {
        post(&self.scope, self.id, reply);
    }
}

/// Starts answering messages, then tells the page it may send them.
pub fn run() {
    crate::browser::console::redact_panics();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        match Envelope::<Request>::from_js(&event.data()) {
            Ok(request) => {
                let replies = Replies {
                    scope: replies.clone(),
                    id: request.id,
                };
                wasm_bindgen_futures::spawn_local(async move {
                    let reply = answer(request.body, request.data, replies.clone()).await;
                    replies.send(reply);
                });
            }
            Err(e) => post(&replies, UNSOLICITED, Reply::Failed(e)),
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // Set once for the worker's whole life: the handler must live as long as the worker does.
    on_message.forget();
    post(&scope, UNSOLICITED, Reply::Ready);
}

/// The final reply to one request; its `Replies` handle sends the intermediate ones.
async fn answer(request: Request, data: Option<Payload>, replies: Replies) -> Reply {
    match request {
        Request::DecodeQr { width, height } => super::qr::decode(width, height, data),
        Request::ImportFile => super::import::run(data, replies).await,
        Request::Sync(job) => super::sync::run(*job, replies).await,
        Request::CancelSync => super::sync::cancel(),
    }
}

fn post(scope: &DedicatedWorkerGlobalScope, id: u32, body: Reply) {
    let envelope = Envelope {
        id,
        body,
        data: None,
    };
    let sent = envelope.to_js().and_then(|(message, transfer)| {
        scope
            .post_message_with_transfer(&message, &transfer)
            .map_err(|e| WorkerError::BadMessage(format!("{e:?}")))
    });
    if let Err(e) = sent {
        crate::console_warn!("data worker: reply not sent: {e}");
    }
}
