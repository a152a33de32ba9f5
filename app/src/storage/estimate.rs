//! The storage estimate as a plain value: a leaf both the error mapping (is the disk nearly
//! full?) and `persistence` (what Settings shows) use.

/// Space used by this site and the most it may use, as the browser estimates it (browsers round
/// and pad these numbers on purpose).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StorageEstimate {
    pub used_bytes: u64,
    pub quota_bytes: u64,
}

impl StorageEstimate {
    pub fn available_bytes(&self) -> u64 {
        self.quota_bytes.saturating_sub(self.used_bytes)
    }
}
