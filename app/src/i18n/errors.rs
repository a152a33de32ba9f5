//! Every failure a person can meet, as the sentence they read: one mapping per kind of error,
//! used by every screen that shows it. The technical detail goes to the console, never here.

use health_book::device::{DecryptProblem, SecretProblem, SlotProblem, UnlockOffer};
use health_book::fhir::{ImportError, ImportLimits, SkipReason};

use super::Msg;
use crate::browser::device_wipe::WipeError;
use crate::storage::{SkipReason as StoredSkipReason, SkippedRecord, StorageError, VaultError};
use crate::sync::SyncFailure;

/// The sentence a person reads for a storage failure: what happened to their data and what to do.
pub fn storage_error_msg(error: &StorageError) -> Msg {
    match error {
        StorageError::QuotaExceeded => Msg::ErrStorageQuota,
        StorageError::OpenFailed { .. } => Msg::ErrStorageOpen,
        StorageError::Blocked | StorageError::VersionChange => Msg::ErrStorageBlocked,
        StorageError::ConnectionLost => Msg::ErrStorageConnection,
        StorageError::Unreadable(SkippedRecord {
            reason: StoredSkipReason::NotAuthentic,
            ..
        }) => Msg::ErrStorageNotAuthentic,
        StorageError::Unreadable(SkippedRecord {
            reason: StoredSkipReason::NewerFormat { .. },
            ..
        }) => Msg::ErrStorageNewerVersion,
        StorageError::Unreadable(_) | StorageError::Corrupt { .. } => Msg::ErrStorageCorrupt,
        StorageError::ChangedMeanwhile => Msg::SyncErrChangedMeanwhile,
        StorageError::Serialization { .. }
        | StorageError::DuplicateRecordId { .. }
        | StorageError::Aborted { .. }
        | StorageError::Unexpected { .. } => Msg::ErrStorageOther,
        // ---- encryption at rest (vault) ----
        StorageError::Locked => Msg::ErrStorageLocked,
        StorageError::Crypto { .. } => Msg::ErrStorageCrypto,
    }
}

/// What a failed sync says to the person (sync panel, adding from a server, testing a server).
pub fn sync_failure_msg(failure: &SyncFailure) -> Msg {
    match failure {
        SyncFailure::NoServer => Msg::SyncErrNoServer,
        SyncFailure::Network => Msg::SyncErrNetwork,
        SyncFailure::Timeout => Msg::SyncErrTimeout,
        SyncFailure::Cancelled => Msg::SyncCancelled,
        SyncFailure::Server { status } => Msg::SyncErrServer { status: *status },
        SyncFailure::Busy {
            retry_after_seconds,
        } => Msg::SyncErrBusy {
            retry_after_seconds: *retry_after_seconds,
        },
        SyncFailure::Unauthorized => Msg::SyncErrUnauthorized,
        SyncFailure::Refused { status, message } => Msg::SyncErrRefused {
            status: *status,
            message: message.clone(),
        },
        SyncFailure::NotFhir => Msg::SyncErrNotFhir,
        SyncFailure::NotR4 { version } => Msg::SyncErrNotR4 {
            version: version.clone(),
        },
        SyncFailure::NoMatch => Msg::SyncErrNoMatch,
        SyncFailure::SeveralMatches { count } => Msg::SyncErrSeveralMatches { count: *count },
        SyncFailure::PatientGone => Msg::SyncErrPatientGone,
        SyncFailure::WrongPerson => Msg::SyncErrWrongPerson,
        SyncFailure::ForeignLink => Msg::SyncErrForeignLink,
        SyncFailure::TooLarge => Msg::SyncErrTooLarge,
        SyncFailure::BadData => Msg::SyncErrBadData,
        SyncFailure::NotSaved => Msg::SyncErrNotSaved,
        SyncFailure::AlreadyRunning => Msg::SyncErrAlreadyRunning,
        SyncFailure::NotConfigured => Msg::SyncErrNotConfigured,
        SyncFailure::AnswerTooLarge { limit_mb } => Msg::SyncErrAnswerTooLarge {
            limit_mb: *limit_mb,
        },
        SyncFailure::SyncTooLarge { limit_mb } => Msg::SyncErrSyncTooLarge {
            limit_mb: *limit_mb,
        },
        SyncFailure::Redirected => Msg::SyncErrRedirected,
        SyncFailure::ChangedMeanwhile => Msg::SyncErrChangedMeanwhile,
        SyncFailure::WorkerUnavailable => Msg::SyncErrWorkerUnavailable,
        SyncFailure::WorkerStopped => Msg::SyncErrWorkerStopped,
        SyncFailure::UnreadableReply => Msg::SyncErrUnreadableReply,
        SyncFailure::WorkerSilent => Msg::SyncErrWorkerSilent,
    }
}

/// A file over the import size limit.
pub fn import_too_large_msg(limits: ImportLimits) -> Msg {
    Msg::ImportErrTooLarge {
        limit_mb: limits.max_bytes / (1024 * 1024),
    }
}

/// Why a file was refused as a whole.
pub fn import_error_msg(error: &ImportError, limits: ImportLimits) -> Msg {
    match error {
        ImportError::TooLarge { .. } => import_too_large_msg(limits),
        ImportError::TooDeep { .. } => Msg::ImportErrTooDeep,
        ImportError::NotJson { .. } => Msg::ImportErrNotJson,
        ImportError::NotABundle { .. } => Msg::ImportErrNotBundle,
        ImportError::UnsupportedBundleType { .. } => Msg::ImportErrUnsupportedType,
        ImportError::NoPatient => Msg::ImportErrNoPatient,
        ImportError::SeveralPatients { .. } => Msg::ImportErrSeveralPatients,
        ImportError::InvalidPatient { .. } => Msg::ImportErrBadPatient,
        ImportError::StringTooLong { limit, .. } => Msg::ImportErrStringTooLong {
            limit_kb: limit / 1024,
        },
        ImportError::TooManyEntries { limit } => Msg::ImportErrTooManyEntries { limit: *limit },
        ImportError::TooManyRecords { limit, .. } => Msg::ImportErrTooManyRecords { limit: *limit },
    }
}

/// Why one resource of an imported file was left out.
pub fn skip_reason_msg(reason: &SkipReason) -> Msg {
    match reason {
        SkipReason::Malformed { .. } => Msg::SkipMalformed,
        SkipReason::Unsupported | SkipReason::NoResource => Msg::SkipUnsupported,
        SkipReason::OtherPatient { .. } => Msg::SkipOtherPatient,
        SkipReason::NoPatientReference => Msg::SkipNoPatientReference,
        SkipReason::NotCompleted { .. } => Msg::SkipNotCompleted,
        SkipReason::NoVaccine
        | SkipReason::NoDate
        | SkipReason::InvalidDate { .. }
        | SkipReason::NoMedication
        | SkipReason::NoMatchingImmunization => Msg::SkipMissingData,
        SkipReason::NotReferenced => Msg::SkipNotReferenced,
        SkipReason::Duplicate => Msg::SkipDuplicate,
        // A record whose Patient was refused: the Patient's problem is the reason.
        SkipReason::InvalidPatient(_) | SkipReason::PatientNotImported => Msg::SkipInvalidPatient,
        // The profile's standing facts (issue 19)
        SkipReason::NotCurrent { .. } => Msg::SkipNotCurrent,
        SkipReason::NoneKnown => Msg::SkipNoneKnown,
        SkipReason::NoMatchingRecord => Msg::SkipNoMatchingRecord,
    }
}

// Scanning a chip citizen ID card (issue 16)

/// Why the camera gives no picture; every one of them also offers the photo route.
pub fn camera_error_msg(error: &crate::browser::camera::CameraError) -> Msg {
    use crate::browser::camera::CameraError;
    match error {
        CameraError::Unsupported => Msg::ScanCameraUnsupported,
        CameraError::Denied => Msg::ScanCameraDenied,
        CameraError::NoCamera => Msg::ScanNoCamera,
        CameraError::Busy => Msg::ScanCameraBusy,
        CameraError::Failed(_) => Msg::ScanCameraFailed,
    }
}

/// Why a QR code laid out like a card's is not taken: the field at fault.
pub fn card_parse_error_msg(error: &health_book::checkin::CheckInParseError) -> Msg {
    use health_book::checkin::{CheckInField, CheckInParseError};
    match error {
        CheckInParseError::TooLong(_) | CheckInParseError::TooFewFields(_) => Msg::ScanNotACard,
        CheckInParseError::CitizenId(_) => Msg::ScanInvalidCard {
            field: CheckInField::CitizenId,
        },
        CheckInParseError::OldIdNumber(_) => Msg::ScanInvalidCard {
            field: CheckInField::OldIdNumber,
        },
        CheckInParseError::EmptyName => Msg::ScanInvalidCard {
            field: CheckInField::FullName,
        },
        CheckInParseError::InvalidDate(field) => Msg::ScanInvalidCard { field: *field },
        CheckInParseError::UnknownSex => Msg::ScanInvalidCard {
            field: CheckInField::Sex,
        },
    }
}

/// What the reader should know about how a card was read.
pub fn scan_warning_msg(warning: &health_book::checkin::ScanWarning) -> Msg {
    use health_book::checkin::ScanWarning;
    match warning {
        ScanWarning::NoOldIdSlot => Msg::ScanWarningNoOldIdSlot,
        ScanWarning::UnreadableIssueDate { raw } => Msg::ScanWarningIssueDate { raw: raw.clone() },
    }
}

/// A photo that gave no code.
pub fn qr_read_error_msg(error: &crate::browser::qr_reader::QrReadError) -> Msg {
    use crate::browser::qr_reader::QrReadError;
    match error {
        QrReadError::NotAnImage => Msg::ScanPhotoNotImage,
        QrReadError::Failed(_) => Msg::ScanPhotoFailed,
        QrReadError::Reader(_) => Msg::ScanReaderUnavailable,
    }
}

/// Why the profile form from a card cannot be saved as it is.
pub fn draft_error_msg(error: &health_book::views::card_scan::DraftError) -> Msg {
    use health_book::views::card_scan::DraftError;
    match error {
        DraftError::CitizenId(_) => Msg::CardFormCitizenIdInvalid,
        DraftError::OldIdNumber(_) => Msg::CardFormOldIdInvalid,
        DraftError::NotADate(_) => Msg::CardFormNotADate,
        DraftError::Rule(finding) => Msg::Finding(finding.kind.clone()),
        DraftError::AlreadyOnDevice(_) => Msg::CardFormAlreadyOnDevice,
    }
}

// ---- Shared devices (issue 14) ------------------------------------------------------------------

/// What "Remove everything from this device" says when it could not finish.
pub fn wipe_error_msg(error: &WipeError) -> Msg {
    match error {
        WipeError::Blocked { .. } => Msg::WipeErrBlocked,
        WipeError::Reload(_) => Msg::WipeErrReload,
        WipeError::NoWindow
        | WipeError::DeleteDatabase { .. }
        | WipeError::ListDatabases(_)
        | WipeError::WebStorage(_)
        | WipeError::Caches(_)
        | WipeError::ServiceWorker(_) => Msg::WipeErrFailed,
    }
}

// ---- encryption at rest and the device lock (vault) ----

/// The sentence a person reads when setting, using or changing a secret fails.
pub fn vault_error_msg(error: &VaultError, now: time::OffsetDateTime) -> Msg {
    match error {
        VaultError::Storage(e) => storage_error_msg(e),
        VaultError::Crypto(_) => Msg::ErrStorageCrypto,
        VaultError::WrongSecret { offer } => match offer {
            UnlockOffer::Try => Msg::VaultWrongSecret,
            UnlockOffer::WaitUntil(until) => wait_msg(*until, now),
            UnlockOffer::WipeOnly => Msg::VaultWipeOnly,
        },
        VaultError::TooSoon { until } => wait_msg(*until, now),
        VaultError::WipeOnly => Msg::VaultWipeOnly,
        VaultError::PassphraseShared { .. } => Msg::VaultPassphraseShared,
        VaultError::NotSetUp | VaultError::AlreadySetUp | VaultError::Slot(_) => {
            slot_problem_msg(error)
        }
        VaultError::NotUnlocked => Msg::ErrStorageLocked,
        VaultError::Secret(problem) => secret_problem_msg(*problem),
        VaultError::Decrypt(DecryptProblem::SharedStaysEncrypted) => Msg::VaultSharedStaysEncrypted,
    }
}

fn wait_msg(until: time::OffsetDateTime, now: time::OffsetDateTime) -> Msg {
    Msg::VaultTryAgainIn {
        seconds: (until - now).whole_seconds().max(1),
    }
}

fn slot_problem_msg(error: &VaultError) -> Msg {
    match error {
        VaultError::Slot(SlotProblem::NameEmpty) => Msg::VaultNameEmpty,
        VaultError::Slot(SlotProblem::NameTaken) => Msg::VaultNameTaken,
        VaultError::Slot(SlotProblem::PassphraseInUse) => Msg::VaultPassphraseInUse,
        _ => Msg::VaultSlotRefused,
    }
}

pub fn secret_problem_msg(problem: SecretProblem) -> Msg {
    match problem {
        SecretProblem::PassphraseTooShort { .. } => Msg::VaultPassphraseTooShort,
        SecretProblem::PinTooShort { .. } => Msg::VaultPinTooShort,
        SecretProblem::ConfirmationDiffers => Msg::VaultConfirmationDiffers,
    }
}
