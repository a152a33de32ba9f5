//! Why a sync failed: one variant per thing the person may need to be told.

use thiserror::Error;

use super::bundle::PageError;
use super::capability::CapabilityError;
use crate::fhir::ImportError;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SyncError {
    #[error("cancelled")]
    Cancelled,
    #[error("the server could not be reached")]
    Network,
    #[error("the server did not answer in time")]
    Timeout,
    #[error("the server failed (HTTP {status})")]
    Server {
        status: u16,
        message: Option<String>,
    },
    #[error("the server is busy (HTTP 429)")]
    RateLimited { retry_after_ms: Option<u32> },
    #[error("the server refused access (HTTP {status})")]
    Unauthorized { status: u16 },
    #[error("the server refused the request (HTTP {status})")]
    Refused {
        status: u16,
        message: Option<String>,
    },
    #[error("the server's answer is not usable FHIR: {detail}")]
    NotFhir { detail: String },
    #[error("the server is not a FHIR R4 server (FHIR {found})")]
    NotR4 { found: String },
    #[error("nobody with this citizen ID on the server")]
    NoMatch,
    #[error("{count} people with this citizen ID on the server")]
    SeveralMatches { count: usize },
    #[error("the server no longer has this person")]
    PatientGone,
    #[error("the server returned another person")]
    WrongPerson,
    #[error("the server's paging link points to another address")]
    ForeignLink,
    #[error("the server kept sending pages (more than {limit})")]
    TooManyPages { limit: usize },
    #[error("the server's data cannot be mapped into a book: {0}")]
    Import(ImportError),
    /// One answer was longer than a single answer may be (checked while it was read).
    #[error("one of the server's answers is larger than {limit} bytes")]
    AnswerTooLarge { limit: usize },
    /// All answers of this sync together were longer than one sync may download.
    #[error("the server sent more than {limit} bytes in one sync")]
    SyncTooLarge { limit: usize },
    /// The server answered with a redirect, which is not followed with the token.
    #[error("the server redirected the request elsewhere")]
    Redirected,
}

impl From<PageError> for SyncError {
    fn from(e: PageError) -> Self {
        SyncError::NotFhir {
            detail: e.to_string(),
        }
    }
}

impl From<CapabilityError> for SyncError {
    fn from(e: CapabilityError) -> Self {
        match e {
            CapabilityError::NotR4 { found } => SyncError::NotR4 { found },
            other => SyncError::NotFhir {
                detail: other.to_string(),
            },
        }
    }
}
