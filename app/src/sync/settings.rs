//! What the sync keeps in the storage settings: the server, the optional bearer token, and per
//! book the copy of the server's resources and how the last attempt went.

use health_book::sync::SnapshotJson;
use health_book::CitizenId;
use serde::{Deserialize, Serialize};

use crate::browser::deployment;
use crate::storage::{BookStore, StorageError};
pub use health_book::sync::server_address::same_server;
use health_book::sync::server_address::{normalise, ServerAddress, ServerAddressError};

const SERVER_SETTING: &str = "sync_server";
const TOKEN_SETTING: &str = "sync_token";
const SNAPSHOT_PREFIX: &str = "sync_snapshot:";
const STATUS_PREFIX: &str = "sync_status:";

/// Choices for "refresh automatically when the book is older than", in hours (0: never).
pub const AUTO_REFRESH_CHOICES: [u32; 5] = [0, 1, 6, 24, 168];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncSettings {
    /// FHIR R4 base URL; empty when no server is configured (a fresh install of a deployment
    /// that names none).
    pub server_url: String,
    /// Time limit of one request, in seconds.
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u32,
    /// Refresh the open book when the server becomes reachable and the book is older than this
    /// many hours; 0 turns it off.
    #[serde(default = "default_auto_refresh")]
    pub auto_refresh_hours: u32,
}

fn default_timeout() -> u32 {
    30
}

fn default_auto_refresh() -> u32 {
    24
}

/// No server: a citizen ID is never sent anywhere until someone chooses one.
impl Default for SyncSettings {
    fn default() -> Self {
        SyncSettings {
            server_url: String::new(),
            timeout_seconds: default_timeout(),
            auto_refresh_hours: default_auto_refresh(),
        }
    }
}

impl SyncSettings {
    /// Before anything is saved: the server the deployment names in index.html, or none.
    pub fn for_deployment() -> Self {
        SyncSettings {
            server_url: deployment::fhir_server().unwrap_or_default(),
            ..SyncSettings::default()
        }
    }

    /// Whether a server address is set at all (a wrong one is still "configured": its error
    /// names the address).
    pub fn is_configured(&self) -> bool {
        !self.server_url.trim().is_empty()
    }

    pub fn server(&self) -> Result<ServerAddress, ServerAddressError> {
        ServerAddress::parse(&self.server_url)
    }

    /// Bounds a person can choose from: long enough for a slow rural connection, short enough
    /// that a dead server is noticed.
    pub fn timeout_ms(&self) -> u32 {
        self.timeout_seconds.clamp(2, 120) * 1000
    }
}

pub async fn load_settings(store: &BookStore) -> Result<SyncSettings, StorageError> {
    Ok(store
        .setting(SERVER_SETTING)
        .await?
        .unwrap_or_else(SyncSettings::for_deployment))
}

pub async fn save_settings(store: &BookStore, settings: &SyncSettings) -> Result<(), StorageError> {
    store.put_setting(SERVER_SETTING, settings).await
}

/// The bearer token: a secret. Never logged, never shown back in full, and only sent to the
/// server it was saved for (see `client.rs`). Kept behind these two functions so the device lock
/// can encrypt it without touching the callers.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BearerToken(String);

impl BearerToken {
    /// `None` for an empty or blank entry (no token).
    pub fn new(text: &str) -> Option<BearerToken> {
        let text = text.trim();
        (!text.is_empty()).then(|| BearerToken(text.to_string()))
    }

    pub(crate) fn header_value(&self) -> String {
        format!("Bearer {}", self.0)
    }
}

impl std::fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BearerToken(••••)")
    }
}

/// The token with the server it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct StoredToken {
    server_url: String,
    token: BearerToken,
}

/// The token saved for `server_url`, if any. A token saved for another server is not given out.
pub async fn load_token(
    store: &BookStore,
    server_url: &str,
) -> Result<Option<BearerToken>, StorageError> {
    // Decrypted by the store once a secret is set (storage/codec.rs).
    let stored: Option<StoredToken> = store.setting(TOKEN_SETTING).await?;
    Ok(stored
        .filter(|s| same_server(&s.server_url, server_url))
        .map(|s| s.token))
}

/// Whether a token is saved (for any server), to say so in Settings without showing it.
pub async fn has_token(store: &BookStore) -> Result<bool, StorageError> {
    Ok(store.setting::<StoredToken>(TOKEN_SETTING).await?.is_some())
}

pub async fn save_token(
    store: &BookStore,
    server_url: &str,
    token: Option<&BearerToken>,
) -> Result<(), StorageError> {
    // Encrypted by the store once a secret is set (storage/codec.rs).
    match token {
        Some(token) => {
            let stored = StoredToken {
                server_url: normalise(server_url),
                token: token.clone(),
            };
            store.put_setting(TOKEN_SETTING, &stored).await
        }
        None => store.delete_setting(TOKEN_SETTING).await,
    }
}

pub fn snapshot_key(citizen_id: &CitizenId) -> String {
    format!("{SNAPSHOT_PREFIX}{}", citizen_id.as_str())
}

/// The copy as its JSON text: the page hands it to the worker as it is, without reading it.
pub async fn load_snapshot(
    store: &BookStore,
    citizen_id: &CitizenId,
) -> Result<Option<SnapshotJson>, StorageError> {
    store.setting(&snapshot_key(citizen_id)).await
}

/// How the last sync of a book went (the rule of what an attempt records is the core's,
/// [`health_book::views::sync_status::SyncStatus::after`]); the reason in the app's words.
pub type SyncStatus = health_book::views::sync_status::SyncStatus<super::SyncFailure>;

fn status_key(citizen_id: &CitizenId) -> String {
    format!("{STATUS_PREFIX}{}", citizen_id.as_str())
}

pub async fn load_status(
    store: &BookStore,
    citizen_id: &CitizenId,
) -> Result<SyncStatus, StorageError> {
    Ok(store
        .setting(&status_key(citizen_id))
        .await?
        .unwrap_or_default())
}

pub async fn save_status(
    store: &BookStore,
    citizen_id: &CitizenId,
    status: &SyncStatus,
) -> Result<(), StorageError> {
    store.put_setting(&status_key(citizen_id), status).await
}

/// The settings the sync keeps about a book (its copy of the server's resources is health data
/// too): deleted with the book, in the same transaction.
pub fn book_settings(citizen_id: &CitizenId) -> [String; 2] {
    [snapshot_key(citizen_id), status_key(citizen_id)]
}
