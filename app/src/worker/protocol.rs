//! Messages between the page and the data worker.
//!
//! Each message is a plain object `{ id, body, data? }`: `body` is the JSON of a [`Request`] or a
//! [`Reply`] (serde, so both sides read the same types), `id` pairs a reply with its request, and
//! bulk bytes (camera pixels, later file contents) travel in `data` as a transferred
//! `ArrayBuffer`, never through JSON; a file the person chose travels there as the `File` itself
//! (structured-cloned: the page never reads its bytes).
//!
//! A large body (a sync's book and its copy of the server's resources, megabytes) travels as its
//! UTF-8 bytes in a transferred `ArrayBuffer` under `bodyBytes` instead of `body`: no JS string
//! to build, clone and convert back, and the receiver parses it once with `serde_json`.

use health_book::import_pieces::BookPiece;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use wasm_bindgen::{JsCast, JsValue};

pub use super::import::{ImportFailure, ImportRead, ImportSummary};

/// What the page asks of the worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Request {
    /// The texts of the QR codes in `width * height` RGBA pixels (the message's `data`).
    DecodeQr { width: u32, height: u32 },
    /// Read, map and check the FHIR file in the message's `data` (`crate::worker::import`);
    /// answered by `ImportRead` and `ImportPiece` replies, then `Imported`.
    ImportFile,
    /// Run a sync with a FHIR server (`crate::worker::sync`); answered by `SyncProgress` replies,
    /// then `Synced`.
    Sync(Box<crate::sync::job::SyncJob>),
    /// Cancel the sync running now; answered by `SyncCancelling` at once, and the sync's own
    /// request then ends with `Cancelled`.
    CancelSync,
}

/// What the worker answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reply {
    /// Posted once, as soon as the module runs: a message posted to a worker before its wasm has
    /// started is lost, so the page sends nothing until it has seen this.
    Ready,
    DecodedQr {
        texts: Vec<String>,
    },
    /// How much of the file has been read so far.
    ImportRead(ImportRead),
    /// The next piece of the file's books (in order: see `health_book::import_pieces`).
    ImportPiece(BookPiece),
    /// The import's end: once every piece is sent, what the preview says besides the books, or
    /// why the file was refused.
    Imported(Result<ImportSummary, ImportFailure>),
    SyncProgress(health_book::sync::Progress),
    Synced(Result<crate::sync::job::SyncDone, crate::sync::SyncFailure>),
    SyncCancelling,
    Failed(WorkerError),
}

impl Reply {
    /// Whether this reply ends its request (progress and pieces of a result do not; `Ready`
    /// answers no request).
    pub fn is_final(&self) -> bool {
        !matches!(
            self,
            Reply::Ready | Reply::ImportRead(_) | Reply::ImportPiece(_) | Reply::SyncProgress(_)
        )
    }

    /// The reply's kind, for a console line about a reply that was not expected: its contents
    /// (books, QR texts holding citizen IDs) never go to the console.
    pub fn kind(&self) -> &'static str {
        match self {
            Reply::Ready => "Ready",
            Reply::DecodedQr { .. } => "DecodedQr",
            Reply::ImportRead(_) => "ImportRead",
            Reply::ImportPiece(_) => "ImportPiece",
            Reply::Imported(_) => "Imported",
            Reply::SyncProgress(_) => "SyncProgress",
            Reply::Synced(_) => "Synced",
            Reply::SyncCancelling => "SyncCancelling",
            Reply::Failed(_) => "Failed",
        }
    }
}

/// Why the worker could not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Error)]
pub enum WorkerError {
    /// The worker's files could not be loaded or started (offline before they were stored).
    #[error("the data worker could not start")]
    Unavailable,
    /// The worker stopped while a request was open.
    #[error("the data worker stopped")]
    Stopped,
    /// The worker sent nothing for longer than its request allows (a worker can end without an
    /// error event, or hang), so the page stopped it.
    #[error("the data worker did not answer in time")]
    NoReply,
    /// A message that is not one of this protocol's (two builds of the app side by side).
    #[error("the message could not be read: {0}")]
    BadMessage(String),
    /// A request that needs bytes came without them.
    #[error("the request carried no data")]
    MissingData,
}

/// The reply's `id` for messages that answer no request (only [`Reply::Ready`]).
pub const UNSOLICITED: u32 = 0;

const ID: &str = "id";
const BODY: &str = "body";
const DATA: &str = "data";
const BODY_BYTES: &str = "bodyBytes";

/// From this size a body crosses as bytes: below it a string costs nothing worth saving.
const BODY_AS_BYTES_FROM: usize = 64 * 1024;

/// What a message carries besides its JSON body.
#[derive(Debug, Clone)]
pub enum Payload {
    /// Bytes, transferred (the sender's buffer is emptied, nothing is copied).
    Bytes(js_sys::ArrayBuffer),
    /// A file the person chose, cloned as a handle (its bytes are read by the receiver).
    File(web_sys::File),
}

impl Payload {
    pub fn into_bytes(self) -> Option<js_sys::ArrayBuffer> {
        match self {
            Payload::Bytes(bytes) => Some(bytes),
            Payload::File(_) => None,
        }
    }

    pub fn into_file(self) -> Option<web_sys::File> {
        match self {
            Payload::File(file) => Some(file),
            Payload::Bytes(_) => None,
        }
    }

    fn from_js(value: JsValue) -> Option<Payload> {
        match value.dyn_into::<js_sys::ArrayBuffer>() {
            Ok(bytes) => Some(Payload::Bytes(bytes)),
            Err(value) => value.dyn_into::<web_sys::File>().ok().map(Payload::File),
        }
    }
}

/// One message as it crosses `postMessage`.
pub struct Envelope<T> {
    pub id: u32,
    pub body: T,
    pub data: Option<Payload>,
}

impl<T: Serialize> Envelope<T> {
    /// The object to post, and the list of buffers to transfer with it.
    pub fn to_js(&self) -> Result<(JsValue, js_sys::Array), WorkerError> {
        let body = serde_json::to_string(&self.body)
            .map_err(|e| WorkerError::BadMessage(e.to_string()))?;
        let object = js_sys::Object::new();
        let set = |key: &str, value: &JsValue| {
            js_sys::Reflect::set(&object, &JsValue::from_str(key), value)
                .map(|_| ())
                .map_err(|_| WorkerError::BadMessage(format!("cannot set {key}")))
        };
        set(ID, &JsValue::from(self.id))?;
        let transfer = js_sys::Array::new();
        if body.len() >= BODY_AS_BYTES_FROM {
            let bytes = js_sys::Uint8Array::from(body.as_bytes()).buffer();
            set(BODY_BYTES, &bytes)?;
            transfer.push(&bytes);
        } else {
            set(BODY, &JsValue::from_str(&body))?;
        }
        match &self.data {
            Some(Payload::Bytes(bytes)) => {
                set(DATA, bytes)?;
                transfer.push(bytes);
            }
            Some(Payload::File(file)) => set(DATA, file)?,
            None => {}
        }
        Ok((object.into(), transfer))
    }
}

impl<T: for<'de> Deserialize<'de>> Envelope<T> {
    /// Reads a posted object back.
    pub fn from_js(value: &JsValue) -> Result<Self, WorkerError> {
        let id = id_of(value).ok_or_else(|| WorkerError::BadMessage("no id".into()))?;
        let get = |key: &str| js_sys::Reflect::get(value, &JsValue::from_str(key)).ok();
        // Where, not what: serde's message can quote a value of the body (health data).
        let unreadable = |e: serde_json::Error| {
            WorkerError::BadMessage(format!(
                "{:?} error at line {} column {}",
                e.classify(),
                e.line(),
                e.column()
            ))
        };
        let body = match get(BODY).and_then(|v| v.as_string()) {
            Some(text) => serde_json::from_str(&text).map_err(unreadable)?,
            None => {
                let bytes = get(BODY_BYTES)
                    .and_then(|v| v.dyn_into::<js_sys::ArrayBuffer>().ok())
                    .ok_or_else(|| WorkerError::BadMessage("no body".into()))?;
                // As text, so both forms share one copy of the messages' deserializing code
                // (`from_slice` would compile a second one, about 10 KB gzip).
                let text = String::from_utf8(js_sys::Uint8Array::new(&bytes).to_vec())
                    .map_err(|_| WorkerError::BadMessage("a body that is not UTF-8".into()))?;
                serde_json::from_str(&text).map_err(unreadable)?
            }
        };
        let data = get(DATA).and_then(Payload::from_js);
        Ok(Envelope { id, body, data })
    }
}

/// The `id` of a posted object, read apart from its body: a reply whose body cannot be read still
/// ends its own request (with the error) instead of leaving it waiting.
pub fn id_of(value: &JsValue) -> Option<u32> {
    js_sys::Reflect::get(value, &JsValue::from_str(ID))
        .ok()
        .and_then(|v| v.as_f64())
        .filter(|id| id.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(id))
        .map(|id| id as u32)
}
