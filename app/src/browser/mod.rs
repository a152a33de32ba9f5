//! Browser capabilities, one file each, with feature detection and typed errors.

pub mod callbacks;
pub mod clock;
pub mod deployment;
pub mod file_io;
pub mod local_preferences;
pub mod near_viewport;
pub mod side_by_side;
// Offline, install and updates
pub mod install_prompt;
pub mod reachability;
pub mod service_worker;
pub mod wake_lock;
