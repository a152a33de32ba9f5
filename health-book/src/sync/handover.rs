//! A sync's outcome as it crosses from the app's data worker, which runs the sync, to the page,
//! which saves it.
//!
//! The page's share is kept to one quick parse, because it runs on the main thread:
//! - the copy of the server's resources travels as JSON text ([`SnapshotJson`]), which the page
//!   stores as it is and hands back to the next refresh as it is, never building its thousands of
//!   `serde_json::Value` trees (only the worker reads it, [`SnapshotJson::read`]);
//! - the book travels once, as mapped from the server, and the page merges it onto the book the
//!   sync started from ([`SyncedBook::into_outcome`]): the same [`merge_synced`] the worker would
//!   have run, instead of a second, merged copy of the whole book to parse;
//! - a sync that found nothing new sends neither book nor copy ([`Handover::Unchanged`]).

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use thiserror::Error;

use super::merge::{merge_synced, SyncSource};
use super::run::{SyncMode, SyncOutcome};
use super::snapshot::ServerSnapshot;
use crate::fhir::SkippedResource;
use crate::model::HealthBook;

/// The device's copy of the server's resources ([`ServerSnapshot`]) as JSON text, checked to be
/// JSON but not read into resources.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SnapshotJson(Box<RawValue>);

#[derive(Debug, Error)]
pub enum SnapshotJsonError {
    #[error("the copy of the server's resources could not be written as JSON: {0}")]
    Write(#[source] serde_json::Error),
    #[error("the copy of the server's resources is not readable: {0}")]
    Read(#[source] serde_json::Error),
}

impl SnapshotJson {
    pub fn write(snapshot: &ServerSnapshot) -> Result<SnapshotJson, SnapshotJsonError> {
        serde_json::value::to_raw_value(snapshot)
            .map(SnapshotJson)
            .map_err(SnapshotJsonError::Write)
    }

    /// The resources themselves (in the worker, which runs the sync).
    pub fn read(&self) -> Result<ServerSnapshot, SnapshotJsonError> {
        serde_json::from_str(self.0.get()).map_err(SnapshotJsonError::Read)
    }

    pub fn as_str(&self) -> &str {
        self.0.get()
    }
}

/// The same text is the same copy (the worker writes it in one way only).
impl PartialEq for SnapshotJson {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SnapshotJson {}

/// What the worker hands the page at the end of a sync of a book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Handover {
    /// The server had nothing new: the book and its copy on the device stay as they are, and
    /// there is nothing to save.
    Unchanged {
        received: usize,
        foreign: usize,
        mode: SyncMode,
    },
    /// A new book to save, with the copy of the resources it was mapped from.
    Changed(Box<SyncedBook>),
}

/// A changed book on its way to the page; [`SyncedBook::into_outcome`] makes it the
/// [`SyncOutcome`] the page saves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncedBook {
    pub snapshot: SnapshotJson,
    pub skipped: Vec<SkippedResource>,
    pub received: usize,
    pub foreign: usize,
    pub mode: SyncMode,
    /// The book as mapped from the server, before the device's records were merged in.
    incoming: HealthBook,
    source: SyncSource,
}

impl SyncOutcome {
    /// The outcome as the worker sends it.
    pub fn hand_over(self) -> Result<Handover, SnapshotJsonError> {
        let rebase = match self.rebase {
            Some(rebase) if !self.unchanged => rebase,
            _ => {
                return Ok(Handover::Unchanged {
                    received: self.received,
                    foreign: self.foreign,
                    mode: self.mode,
                })
            }
        };
        let (incoming, source) = *rebase;
        Ok(Handover::Changed(Box::new(SyncedBook {
            snapshot: SnapshotJson::write(&self.snapshot)?,
            skipped: self.skipped,
            received: self.received,
            foreign: self.foreign,
            mode: self.mode,
            incoming,
            source,
        })))
    }
}

impl SyncedBook {
    /// The outcome the worker had, merged again onto `started_from`: the book the page gave the
    /// worker for this sync (the stored book, `None` for a person not on the device yet).
    pub fn into_outcome(self, started_from: Option<&HealthBook>) -> SyncOutcome<SnapshotJson> {
        SyncOutcome {
            merged: merge_synced(self.incoming.clone(), started_from, &self.source),
            snapshot: self.snapshot,
            skipped: self.skipped,
            received: self.received,
            foreign: self.foreign,
            mode: self.mode,
            unchanged: false,
            rebase: Some(Box::new((self.incoming, self.source))),
        }
    }
}
