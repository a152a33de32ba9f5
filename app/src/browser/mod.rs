//! Browser capabilities, one file each, with feature detection and typed errors.

pub mod callbacks;
pub mod clock;
pub mod local_preferences;
