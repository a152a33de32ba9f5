//! Browser capabilities, one file each, with feature detection and typed errors.

pub mod local_preferences;
