//! Browser capabilities, one file each, with feature detection and typed errors.

pub mod books_held_marker;
pub mod callbacks;
pub mod clock;
pub mod console;
pub mod crypto;
pub mod deployment;
pub mod device_wipe;
pub mod file_io;
pub mod idle;
pub mod local_preferences;
pub mod near_viewport;
pub mod side_by_side;
// Offline, install and updates
pub mod install_prompt;
pub mod reachability;
pub mod service_worker;
pub mod wake_lock;
// Scanning a chip citizen ID card
pub mod camera;
pub mod qr_reader;
// Care plan: the in-app dose reminder (issue 19)
pub mod notifications;
// The data worker (second wasm module, loaded on first use)
pub mod byte_stream;
pub mod data_worker;
// resilience (issue 18): the service worker keeps the previous version until this one starts
pub mod sw_started;
