//! Sync with a FHIR R4 server: the logic, without a browser.
//!
//! - [`run`]: the sync ([`Syncer`]): find a person by citizen ID, fetch their record, refresh it,
//!   over a [`Transport`] the app implements with `fetch` (and the tests with a fake server).
//! - [`capability`]: what the server's CapabilityStatement offers.
//! - [`connect_src`]: whether the page's Content-Security-Policy lets it reach a server.
//! - [`plan`]: full or incremental, and the URLs.
//! - [`bundle`]: pages of search, `$everything` and `_history` answers, and their `next` links.
//! - [`snapshot`]: the device's copy of the person's server resources, patched by a refresh and
//!   mapped again by [`crate::fhir::import_resources`].
//! - [`handover`]: the outcome as the app's data worker hands it to the page.
//! - [`merge`]: the new book, keeping what staff entered on the device.
//! - [`retry`]: which failures are retried, and the backoff.
//!
//! Nothing here stores anything: the app saves the new book and the snapshot together, in one
//! transaction, only after the whole sync succeeded, so a failed or cancelled sync leaves the
//! previous book as it was.

pub mod bundle;
pub mod capability;
pub mod connect_src;
mod error;
pub mod handover;
pub mod merge;
pub mod plan;
pub mod retry;
pub mod run;
pub mod server_address;
pub mod snapshot;
mod transport;
// Care plan (issue 19)
mod care;

pub use capability::Capabilities;
pub use handover::{Handover, SnapshotJson, SnapshotJsonError, SyncedBook};
pub use merge::{merge_synced, Merged, RecordChanges, SyncSource};
pub use retry::{RetryPolicy, CANCEL_ACK_MS, WORKER_SILENCE_MARGIN_MS};
pub use run::{
    FoundPatient, Phase, Progress, Request, Response, ServerInfo, SyncError, SyncMode, SyncOutcome,
    Syncer, Transport, TransportError,
};
pub use snapshot::ServerSnapshot;

/// The record types a book is made of, each listed by `patient=`.
pub const SYNCED_TYPES: [&str; 3] = [
    "Immunization",
    "ImmunizationRecommendation",
    "MedicationRequest",
];

/// Types the records point at for details (facility, prescriber, diagnosis, visit, medicine,
/// the place of an appointment).
pub const SUPPORT_TYPES: [&str; 6] = [
    "Organization",
    "Practitioner",
    "Condition",
    "Encounter",
    "Medication",
    "Location",
];

/// The person's standing facts (issue 19): allergies, problem-list conditions and the blood
/// group, each listed by `patient=` like the records. A Condition is also a detail records point
/// at (a diagnosis), so it stays in [`SUPPORT_TYPES`] too; the admission rule is the same.
pub const PROFILE_TYPES: [&str; 3] = ["AllergyIntolerance", "Condition", "Observation"];

/// Re-examination appointments and referrals (issue 19): records of the person like
/// [`SYNCED_TYPES`], but searched one by one only where the server says it can (many servers
/// hold no Appointment), so a server without them still syncs.
pub const CARE_TYPES: [&str; 2] = ["Appointment", "ServiceRequest"];

#[cfg(test)]
mod tests;
