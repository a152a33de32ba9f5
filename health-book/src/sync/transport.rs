//! What the sync needs from HTTP, timers, randomness and the clock ([`Transport`]), and the
//! progress it reports through it: the browser and the native tests each provide one.

use std::future::Future;

use serde::{Deserialize, Serialize};
use thiserror::Error;
use time::OffsetDateTime;

/// A GET the sync asks the transport for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub url: String,
    /// `If-None-Match`, for a conditional read.
    pub if_none_match: Option<String>,
    /// The most bytes of a successful answer's body the transport may read (what is left of the
    /// sync's total, or one answer's cap, whichever is smaller). See [`Request::body_limit`].
    pub max_bytes: usize,
}

/// An error answer is only read for its OperationOutcome text: a few kilobytes are plenty.
pub const ERROR_BODY_LIMIT: usize = 64 * 1024;

impl Request {
    /// The most bytes the transport may read of the body of an answer with `status`: checked
    /// against `Content-Length` before reading, then counted while the body streams in. Over it,
    /// the transport stops reading and returns [`TransportError::TooLarge`].
    pub fn body_limit(&self, status: u16) -> usize {
        if (200..300).contains(&status) {
            self.max_bytes
        } else {
            self.max_bytes.min(ERROR_BODY_LIMIT)
        }
    }
}

/// What came back. Header values the browser may hide from another origin (`Date`, `ETag`,
/// `Retry-After` need `Access-Control-Expose-Headers`) are optional.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Response {
    pub status: u16,
    pub etag: Option<String>,
    pub retry_after: Option<String>,
    pub date: Option<String>,
    pub body: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum TransportError {
    #[error("the server could not be reached")]
    Network,
    #[error("the server did not answer in time")]
    Timeout,
    #[error("cancelled")]
    Cancelled,
    /// The body was longer than [`Request::body_limit`] for its status; reading stopped there.
    #[error("the answer (HTTP {status}) is longer than allowed")]
    TooLarge { status: u16 },
    /// The server answered with a redirect. It is not followed: the bearer token would go along
    /// to wherever it points.
    #[error("the server redirected the request")]
    Redirected,
}

/// Where a sync is, for the progress line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    Connecting,
    LookingUp,
    FetchingRecords,
    CheckingDeletions,
    FetchingReferences,
    Mapping,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub phase: Phase,
    /// Resources received so far.
    pub resources: usize,
    /// Set while waiting to try a request again (the attempt about to be made).
    pub retry_attempt: Option<u32>,
}

/// HTTP and the browser, as the sync needs them. The bearer token, if any, is the transport's
/// business: it never passes through here.
pub trait Transport {
    fn get(&self, request: &Request) -> impl Future<Output = Result<Response, TransportError>>;
    /// Waits `ms`; ends early with `Cancelled` when the person cancels.
    fn sleep(&self, ms: u32) -> impl Future<Output = Result<(), TransportError>>;
    /// A random number in `[0, 1)`, for the retry jitter.
    fn jitter(&self) -> f64;
    fn now(&self) -> OffsetDateTime;
    fn progress(&self, progress: Progress);
}
