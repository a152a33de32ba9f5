use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{dates, CareRecords, Prescription, Profile, Vaccination};
use crate::CitizenId;

/// One person's health book: who they are, the vaccinations they received and the prescriptions
/// they were given, and where this copy came from.
///
/// A book is keyed by its citizen ID, never by phone number (the 2021 national app merged people who
/// shared a phone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthBook {
    pub profile: Profile,
    #[serde(default)]
    pub vaccinations: Vec<Vaccination>,
    #[serde(default)]
    pub prescriptions: Vec<Prescription>,
    /// Re-examination appointments and referrals (issue 19). Absent in older books and backups.
    #[serde(default, skip_serializing_if = "CareRecords::is_empty")]
    pub care: CareRecords,
    pub provenance: Provenance,
}

impl HealthBook {
    pub fn citizen_id(&self) -> &CitizenId {
        &self.profile.citizen_id
    }
}

/// Where this copy of the book came from and how fresh it is: the "data as of" stamp.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    pub source: BookSource,
    /// When the source last changed this person's record, as the source reported it.
    #[serde(
        default,
        with = "dates::timestamp::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub source_updated_at: Option<OffsetDateTime>,
    /// The source's version tag (FHIR `meta.versionId` or HTTP ETag), for conditional refresh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_version: Option<String>,
    /// When this device last fetched the book from its source successfully.
    #[serde(
        default,
        with = "dates::timestamp::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_synced_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum BookSource {
    /// Filled from a FHIR R4 server.
    Server {
        base_url: String,
        patient_id: String,
    },
    /// Read from a FHIR Bundle file.
    Imported {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        file_name: Option<String>,
    },
    /// Created on this device (by the person, or by staff on their behalf).
    EnteredOnDevice,
}
crate::tag_first!(BookSource, "kind");
