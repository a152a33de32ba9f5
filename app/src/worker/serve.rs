//! The worker's side: answers each request of the page, one at a time, in order.

use wasm_bindgen::prelude::Closure;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::protocol::{Envelope, Reply, Request, WorkerError, UNSOLICITED};

/// Starts answering messages, then tells the page it may send them.
pub fn run() {
    crate::browser::console::redact_panics();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let (id, reply) = match Envelope::<Request>::from_js(&event.data()) {
            Ok(request) => (request.id, answer(request.body, request.data)),
            Err(e) => (UNSOLICITED, Reply::Failed(e)),
        };
        post(&replies, id, reply);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // Set once for the worker's whole life: the handler must live as long as the worker does.
    on_message.forget();
    post(&scope, UNSOLICITED, Reply::Ready);
}

fn answer(request: Request, data: Option<js_sys::ArrayBuffer>) -> Reply {
    match request {
        Request::DecodeQr { width, height } => match data {
            Some(pixels) => Reply::DecodedQr {
                texts: health_book::checkin::read::decode_rgba(
                    width as usize,
                    height as usize,
                    &js_sys::Uint8Array::new(&pixels).to_vec(),
                ),
            },
            None => Reply::Failed(WorkerError::MissingData),
        },
    }
}

fn post(scope: &DedicatedWorkerGlobalScope, id: u32, body: Reply) {
    let envelope = Envelope {
        id,
        body,
        data: None,
    };
    let sent = envelope.to_js().and_then(|(message, _)| {
        scope
            .post_message(&message)
            .map_err(|e| WorkerError::BadMessage(format!("{e:?}")))
    });
    if let Err(e) = sent {
        crate::console_warn!("data worker: reply not sent: {e}");
    }
}
