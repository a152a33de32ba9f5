use health_book::checkin::CheckInField;
use health_book::validate::FindingKind;
use time::Date;

/// Every message the app shows. Add a variant here, then its text in `vi.rs` and `en.rs` (the
/// compiler lists what is missing). Variants with data let each language put the values where
/// its grammar wants them; dates are formatted by the language's own rules.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    // App shell
    AppName,
    AppTagline,
    SkipToContent,
    MainNavigation,
    NavHome,
    NavVaccinations,
    NavPrescriptions,
    NavCheckIn,
    NavSettings,
    Loading,
    /// A screen fetched on first use (issue 17) could not be fetched.
    ScreenNotLoaded,
    PageNotFound,
    BackToHome,
    Back,
    ShowMore {
        shown: usize,
        total: usize,
    },
    Print,

    // Empty states
    NoBookTitle,
    NoBookBody,
    NoBookAction,
    NoBookOpenTitle,
    NoBookOpenBody,
    /// The books this device held were evicted by the browser (`health_book::eviction`).
    BooksEvictedTitle,
    BooksEvictedBody {
        books: u32,
        since: Date,
    },
    RestoreFromBackup,
    Dismiss,

    // Settings
    SettingsTitle,
    LanguageHeading,
    LanguageHint,
    PreferenceNotSaved,
    TextSizeHeading,
    LargeText,
    LargeTextHint,
    StorageHeading,
    StoragePersisted,
    StorageNotPersisted,
    StorageUsage {
        used: String,
        available: String,
    },
    StorageUnknown,
    KeepDataAction,
    PersistenceRefused,

    // Whose book: the header and the book list
    SwitchBook,
    BooksTitle,
    BooksOnDevice {
        count: usize,
    },
    SearchBooksLabel,
    SearchBooksHint,
    NoBooksMatch,
    BornIn {
        year: i32,
    },
    LastUpdated {
        on: Date,
    },
    RecordCounts {
        vaccinations: usize,
        prescriptions: usize,
    },
    OpenThisBook,
    CurrentlyOpen,
    CloseBook,
    DeleteBook,
    ConfirmDeleteBook {
        name: String,
    },
    ConfirmDelete,
    Cancel,
    BookDeleted {
        name: String,
    },
    AddBookHeading,

    // Import
    ImportTitle,
    ImportHint,
    ImportChooseFile,
    ImportDropHere,
    /// The name of the import's progress bar.
    ImportProgressLabel,
    /// How much of the file the data worker has read.
    ImportProgressRead {
        percent: u32,
    },
    /// How many records of the file have reached the page.
    ImportProgressRecords {
        count: usize,
    },
    ImportPreviewTitle,
    ImportPreviewPerson {
        name: String,
        citizen_id: String,
    },
    ImportPreviewCounts {
        vaccinations: usize,
        prescriptions: usize,
    },
    ImportWillReplace {
        current_vaccinations: usize,
        current_prescriptions: usize,
    },
    ImportWillAdd,
    ImportKeepsStaffRecords {
        count: usize,
    },
    /// How many things in a book from a file need checking before it is saved.
    ImportFindings {
        count: usize,
    },
    /// One thing the core's validation found.
    Finding(FindingKind),
    ImportConfirm,
    ImportDone {
        name: String,
    },
    /// Vaccines of the file the app's table does not know (kept as written).
    ImportUnknownVaccines {
        names: String,
    },
    ImportSkipped {
        count: usize,
    },
    ImportSkippedItem {
        resource: String,
        reason: String,
    },
    ImportErrNotJson,
    ImportErrNotBundle,
    ImportErrTooLarge {
        limit_mb: usize,
    },
    ImportErrTooDeep,
    ImportErrNoPatient,
    ImportErrBadPatient,
    ImportErrRead,
    ImportErrEmpty,
    ImportErrUnsupportedType,
    ImportErrSeveralPatients,
    ImportErrSaveFailed,
    /// The data worker, which reads files, could not start (offline before its files were kept).
    ImportErrWorkerUnavailable,
    /// The data worker stopped, or went silent, during the import.
    ImportErrWorkerStopped,
    /// The data worker sent nothing for longer than an import may take, and was stopped.
    ImportErrWorkerSilent,
    /// How many correction notes a backup brings back that the device does not have.
    ImportRestoresCorrections {
        count: usize,
    },
    SkipMalformed,
    SkipUnsupported,
    SkipNotCompleted,
    SkipMissingData,
    SkipDuplicate,
    SkipNotReferenced,
    SkipInvalidPatient,
    ExportHeading,
    ExportHint,
    ExportThisBook,
    ExportAllBooks,
    ExportFailed,

    // The person's card (Home)
    DateOfBirth,
    AgeYears {
        years: u32,
    },
    AgeMonths {
        months: u32,
    },
    Sex,
    Male,
    Female,
    CitizenIdLabel,
    ShowNumber,
    HideNumber,
    OldIdLabel,
    InsuranceCardLabel,
    InsuranceNone,
    InsuranceValid,
    InsuranceValidUntil {
        on: Date,
    },
    InsuranceExpiresIn {
        days: u32,
        on: Date,
    },
    InsuranceExpired {
        on: Date,
    },
    InsuranceNotYetValid {
        from: Date,
    },
    InsuranceBenefit {
        level: u8,
    },
    RegisteredFacility,
    Allergies,
    ChronicConditions,
    NoneRecorded,
    BloodGroupLabel,
    EmergencyContactLabel,
    AddressLabel,
    PhoneLabel,
    DataAsOf {
        on: Date,
    },
    DataEnteredOnDevice,
    OpenCheckInQr,
    NextVaccinationHeading,
    NoUpcomingVaccination,
    ActiveMedicinesHeading,
    ActiveMedicinesCount {
        count: usize,
    },
    NoActiveMedicines,
    SeeAll,
    ValidationWarnings {
        count: usize,
    },
    CitizenIdDisagrees,

    // Vaccinations
    VaccinationsTimeline,
    VaccinationsByDisease,
    VaccinationsSchedule,
    ViewsLabel,
    NoVaccinations,
    VaccinationCount {
        count: usize,
    },
    DoseOf {
        k: u32,
        n: u32,
    },
    DoseNumber {
        k: u32,
    },
    DoseKthAgainst {
        k: u32,
    },
    LotLabel,
    FacilityLabel,
    ManufacturerLabel,
    AdministeredByLabel,
    VaccineLabel,
    DiseasesLabel,
    DateLabel,
    NextDoseDue {
        on: Date,
    },
    Unverified,
    RecordSourceLabel,
    ScheduleIntro,
    ScheduleDone {
        on: Date,
    },
    ScheduleDue {
        from: Date,
        until: Date,
    },
    ScheduleOverdue {
        since: Date,
        days: i64,
    },
    ScheduleNotYetDue {
        from: Date,
    },
    /// A slot whose window closed with nothing in the book (the hepatitis B birth dose).
    ScheduleNotRecorded,
    ScheduleSummary {
        done: usize,
        due: usize,
        overdue: usize,
    },
    AtAge {
        label: String,
    },
    VaccinationNotFound,
    PrintVaccinationsTitle,
    PrintedOn {
        on: Date,
    },
    AgeAtBirth,
    AgeInMonths {
        months: u32,
    },
    AgeInMonthsAndDays {
        months: u32,
        days: u32,
    },
    PrintHistoryHint,
    VaccinationDetailTitle,

    // Prescriptions
    PrescriptionsAll,
    PrescriptionsActive,
    NoPrescriptions,
    PrescriptionCount {
        count: usize,
    },
    SearchPrescriptionsLabel,
    SearchPrescriptionsHint,
    FilterYear,
    FilterFacility,
    AllYears,
    AllFacilities,
    NoPrescriptionsMatch,
    PrescriptionCurrent,
    PrescriptionEnded,
    MedicineCount {
        count: usize,
    },
    PrescriptionCodeLabel,
    PrescriptionKindLabel,
    KindBasic,
    KindNarcotic,
    KindPsychotropic,
    KindTraditional,
    IssuedAtLabel,
    PrescriberLabel,
    DiagnosesLabel,
    MedicinesLabel,
    AdviceLabel,
    ReExaminationOn {
        on: Date,
    },
    ActiveIngredientLabel,
    QuantityLabel,
    DayOf {
        day: u32,
        of: u32,
    },
    UntilDate {
        on: Date,
    },
    PrescriptionNotFound,
    Dosage(Box<DosageText>),

    // Check-in
    CheckInHint,
    CheckInIdFallback,
    FullScreen,
    ExitFullScreen,
    BrightnessHint,
    ScreenKeptOn,
    InsuranceQrHeading,
    InsuranceQrHint,
    CheckInQrLabel {
        name: String,
    },
    InsuranceQrLabel,
    MinimalCheckIn,
    MinimalCheckInHint,
    CheckInVariantHeading,
    CannotMakeCodeTitle,
    CheckInInvalidId,
    CheckInFixHint,
    /// The citizen ID's first three digits are not a province code (a birth registered abroad).
    CitizenIdUnknownPrefix {
        code: String,
    },
    /// A legacy insurance card's group is not in the table yet.
    InsuranceGroupUnknown {
        code: String,
    },
    /// A legacy insurance card's level is not its group's default.
    InsuranceLevelUnusual {
        group: String,
        level: u8,
        expected: u8,
    },

    // Errors a person can meet
    ErrStorageQuota,
    ErrStorageOpen,
    ErrStorageBlocked,
    ErrStorageConnection,
    ErrStorageCorrupt,
    /// A stored value in a format newer than this version knows (the device was used with a
    /// newer version of the app).
    ErrStorageNewerVersion,
    ErrStorageOther,
    SkippedRecords {
        count: usize,
    },
    TryAgain,
    Reload,

    // Offline, install and updates
    UpdateReady,
    UpdateApplying,
    UpdateFailed,
    ConnectionOffline,
    ConnectionServerDown,
    InstallHeading,
    InstallBenefits,
    InstallAction,
    InstallIosSteps,
    InstallIosKeepsData,
    InstallDone,
    InstallFromBrowserMenu,
    InstallPromptFailed,
    InstallOpenInSafari,

    // Prescriptions (more)
    PrescriptionIssuedOn {
        on: Date,
    },
    PrescriptionMatches {
        count: usize,
        total: usize,
    },
    NoPrescriptionsHint,
    ClearPrescriptionFilters,
    PrescriptionNotFoundHint,
    ActiveMedicinesHint,
    PatientNameLabel,
    PrescriptionStatusLabel,

    // Sync
    SyncSettingsHeading,
    SyncSettingsHint,
    SyncServerUrlLabel,
    SyncTokenLabel,
    SyncTokenSaved,
    SyncTokenRemove,
    SyncTimeoutLabel,
    SyncAutoRefreshLabel,
    SyncAutoRefreshOff,
    SyncAutoRefreshHours {
        hours: u32,
    },
    SyncAutoRefreshDays {
        days: u32,
    },
    SyncSaveSettings,
    SyncSettingsSaved,
    SyncTestConnection,
    SyncTesting,
    SyncConnected {
        software: String,
        fhir_version: String,
    },
    SyncServerFeatures {
        everything: bool,
        history: bool,
    },
    SyncConnectionFailed {
        reason: String,
    },
    SyncAddTitle,
    SyncAddHint {
        server: String,
    },
    SyncAddNoServer,
    SyncAddNoServerLink,
    SyncCitizenIdLabel,
    SyncFind,
    SyncInvalidCitizenId,
    SyncFetchedTitle,
    SyncSaveBook,
    SyncAddFromServer,
    SyncPhaseConnecting,
    SyncPhaseLookingUp,
    SyncProgressRecords {
        count: usize,
    },
    SyncPhaseMapping,
    SyncRetrying {
        attempt: u32,
    },
    SyncCancelled,
    SyncSectionHeading,
    SyncLastSynced {
        at: time::OffsetDateTime,
    },
    SyncNeverSynced,
    SyncLastFailure {
        at: time::OffsetDateTime,
        reason: String,
    },
    SyncRefresh,
    SyncUpToDate,
    SyncUpdated {
        added: usize,
        changed: usize,
        removed: usize,
    },
    SyncServerUnreachable,
    SyncBookUnchanged,
    SyncErrNoServer,
    SyncErrNetwork,
    SyncErrTimeout,
    SyncErrServer {
        status: u16,
    },
    SyncErrBusy {
        retry_after_seconds: Option<u32>,
    },
    SyncErrUnauthorized,
    SyncErrRefused {
        status: u16,
        message: Option<String>,
    },
    SyncErrNotFhir,
    SyncErrNotR4 {
        version: String,
    },
    SyncErrNoMatch,
    SyncErrSeveralMatches {
        count: usize,
    },
    SyncErrPatientGone,
    SyncErrWrongPerson,
    SyncErrForeignLink,
    SyncErrTooLarge,
    SyncErrBadData,
    SyncErrNotSaved,
    SyncErrAlreadyRunning,
    SyncWillReplace {
        current_vaccinations: usize,
        current_prescriptions: usize,
    },

    // File import: only this person's records, and limits beyond bytes (issue 13)
    ImportErrStringTooLong {
        limit_kb: usize,
    },
    ImportErrTooManyEntries {
        limit: usize,
    },
    ImportErrTooManyRecords {
        limit: usize,
    },
    SkipOtherPatient,
    SkipNoPatientReference,
    /// Skipped resources past the ones the preview names.
    ImportSkippedMore {
        count: usize,
    },
    // Sync: only this person's data, bounded answers, safe transport (issue 13, sync half)
    SyncErrNotConfigured,
    SyncErrAnswerTooLarge {
        limit_mb: usize,
    },
    SyncErrSyncTooLarge {
        limit_mb: usize,
    },
    SyncErrRedirected,
    SyncErrChangedMeanwhile,
    // The sync runs in the data worker (issue 17)
    SyncErrWorkerUnavailable,
    SyncErrWorkerStopped,
    SyncErrUnreadableReply,
    /// The data worker stopped answering during a sync, and was stopped.
    SyncErrWorkerSilent,
    SyncForeignLeftOut {
        count: usize,
    },
    // Scanning a chip citizen ID card (issue 16)
    ScanCardAction,
    ScanTitle,
    ScanHint,
    ScanTorchOn,
    ScanTorchOff,
    ScanChoosePhoto,
    ScanPhotoHint,
    ScanCameraDenied,
    ScanNoCamera,
    ScanCameraUnsupported,
    ScanCameraBusy,
    ScanCameraFailed,
    ScanStillScanning,
    ScanNotACard,
    ScanInvalidCard {
        field: CheckInField,
    },
    ScanNoCodeInPhoto,
    ScanPhotoNotImage,
    ScanPhotoFailed,
    ScanOpening,
    ScanNewPersonTitle,
    ScanNewPersonBody {
        name: String,
        citizen_id: String,
    },
    ScanAddFromServer,
    ScanCreateFromCard,
    ScanAgain,
    ScanWarningNoOldIdSlot,
    ScanWarningIssueDate {
        raw: String,
    },
    CardFormTitle,
    CardFormHint,
    CardFormFullName,
    CardFormIssuedOn,
    CardFormSave,
    CardFormCitizenIdInvalid,
    CardFormOldIdInvalid,
    CardFormNotADate,
    CardFormAlreadyOnDevice,
    CardFormOpenExisting,

    // Shared devices: whose book is open, and removing everything from the device (issue 14)
    /// The open book's birth year, next to the name in the header.
    OpenBookBirthYear {
        birth_year: i32,
    },
    /// What assistive technology announces for the header's open-book banner.
    OpenBookAccessibleName {
        name: String,
        birth_year: i32,
    },
    WipeHeading,
    WipeExplained,
    WipeAction,
    /// `books`: how many books are on the device, when they could be counted.
    WipeConfirmBody {
        books: Option<usize>,
    },
    WipeNeedsNetwork,
    WipeOfflineNow,
    WipeConfirm,
    WipeInProgress,
    WipeErrBlocked,
    WipeErrFailed,
    WipeErrReload,
    // ---- encryption at rest and the device lock (vault) ----
    ErrStorageLocked,
    ErrStorageNotAuthentic,
    ErrStorageCrypto,
    VaultChooseModeTitle,
    VaultModePersonal,
    VaultModePersonalHint,
    VaultModeShared,
    VaultModeSharedHint,
    VaultStaffName,
    VaultPassphrase,
    VaultPassphraseAgain,
    VaultPinOrPassphrase,
    VaultForgottenWarning,
    VaultPinWeakWarning,
    VaultStart,
    VaultContinueWithoutSecret,
    VaultEncrypting,
    VaultUnlockTitle,
    /// On a shared device's unlock screen: no name is listed, the passphrase says who it is.
    VaultUnlockSharedHint,
    /// After a shared device is unlocked: whose passphrase opened it.
    VaultUnlockedAs {
        name: String,
    },
    VaultPassphraseInUse,
    VaultStaffNameUnreadable,
    VaultUnlock,
    VaultUnlocking,
    VaultWrongSecret,
    VaultWipeOnly,
    VaultWipe,
    VaultLock,
    VaultPassphraseTooShort,
    VaultPinTooShort,
    VaultConfirmationDiffers,
    VaultNameEmpty,
    VaultNameTaken,
    VaultSlotRefused,
    VaultDeviceSection,
    VaultAddStaff,
    VaultRemoveStaff,
    VaultYourPassphrase,
    VaultNewPassphrase,
    VaultChangeSecret,
    VaultIdleMinutes,
    VaultSaved,
    VaultSave,
    VaultSwitchToShared,
    VaultYourPin,
    VaultDoneWithPatient,
    VaultDoneConfirmYes,
    VaultDoneConfirm {
        name: String,
    },
    VaultSetSecret,
    VaultTryAgainIn {
        seconds: i64,
    },

    // --- Domain facts (issue 12): phase-ins, the province at registration, card warnings ---
    /// A phase-in dose not in the book: due from `from` if the programme has reached the
    /// child's province.
    ScheduleDependsOnRollout {
        from: Date,
    },
    /// Under a phase-in row: where and since when the programme offers it.
    SchedulePhaseIn {
        rollout: String,
    },
    /// Beside the schedule summary: phase-in doses, not counted as overdue.
    ScheduleSummaryDependsOnRollout {
        count: usize,
    },
    /// The label of the province a citizen ID's code names (not where the person lives).
    ProvinceAtRegistrationLabel,
    /// Why that province may differ from today's: the 2025 merger did not renumber IDs.
    ProvinceAtRegistrationHint,
    // Tablet layout and rows that say what they hold (issue 20)
    /// The medicines a prescription row does not name: "+N".
    MedicinesMore {
        count: usize,
    },
    /// A prescription row's link: its date and the medicines the row names.
    PrescriptionRowLabel {
        on: Date,
        medicines: String,
    },
    OpenBookOf {
        name: String,
    },
    ExportBookOf {
        name: String,
    },
    DeleteBookOf {
        name: String,
    },
    ShowCheckInQr,
    CheckInQrOf {
        name: String,
    },
    ChoosePrescriptionHint,
    ChooseVaccinationHint,
    // The book list's detail beside it (issue 20, tablet2)
    ChooseBookHint,
    BookNotOnDevice,
    BookNotOnDeviceHint,
    BookHoldsHeading,

    // --- Audit log (issue 15): Settings' log and each book's "Who opened this book" ---
    AuditHeading,
    AuditHint,
    AuditEmpty,
    AuditExport,
    /// The chain checked.
    AuditIntact {
        entries: usize,
    },
    /// The chain is broken at entry `position` (from 0).
    AuditBroken {
        position: usize,
        kind: health_book::audit::BreakKind,
    },
    /// A read (a book opened, the QR shown) could not be written to the log.
    AuditNotRecorded,
    /// One entry in plain words; `book` names the person in Settings' device-wide list.
    AuditEntryText {
        actor: health_book::audit::Actor,
        mode: health_book::device::DeviceMode,
        action: health_book::audit::AuditAction,
        at: time::OffsetDateTime,
        book: Option<String>,
    },
    BookVisitsHeading,
    BookVisitsHint,
    BookVisitsEmpty,
    // Correction requests ("Report an error", issue 15)
    CorrectionsHeading,
    CorrectionsNone,
    CorrectionsPrintHint,
    /// Under a note: who wrote it and when.
    CorrectionSigned {
        by: health_book::audit::Actor,
        at: time::OffsetDateTime,
    },
    ReportErrorAction,
    ReportErrorLabel,
    ReportErrorSave,
    ReportErrorEmpty,
    ReportErrorTooLong {
        max: usize,
    },
    /// Under a note whose words were changed: who changed them and when.
    CorrectionEditedBy {
        by: health_book::audit::Actor,
        at: time::OffsetDateTime,
    },
    CorrectionEditAction,
    CorrectionEditLabel,
    CorrectionEditSave,
    CorrectionRemoveAction,
    CorrectionRemoveConfirm,
    CorrectionRemoveYes,
    CorrectionGone,
    // ---- device lock: turning encryption off, resuming a migration, first run (vault2) ----
    VaultSharedStaysEncrypted,
    VaultTurnOffTitle,
    VaultTurnOffExplain,
    VaultTurnOffStart,
    VaultTurnOffConfirm,
    VaultTurningOff,
    VaultTurnedOff,
    VaultCancel,
    /// Unlocking: the passphrase opens several staff members' slots (an older version's).
    VaultPassphraseShared,
    VaultResumeTitle,
    VaultResumeExplain,
    VaultResumeSubmit,
    VaultResuming,
    VaultResumeCancel,
    VaultFinishDecryptNotice,
    FirstRunTitle,
    FirstRunExplain,
    FirstRunPersonal,
    FirstRunPersonalHint,
    FirstRunShared,
    FirstRunSharedHint,
    FirstRunContinue,
    // Standard FHIR resources and the International Patient Summary (issue 19)
    SkipNotCurrent,
    SkipNoneKnown,
    SkipNoMatchingRecord,
    ExportIps,
    ExportIpsOf {
        name: String,
    },
    // Care plan: coming up, today's medicines, reminders (issue 19)
    ComingUpHeading,
    ComingUpNone,
    ComingUpOverdueCount {
        count: usize,
    },
    ReExaminationAt {
        facility: String,
    },
    ReExaminationTitle,
    DueOverdue {
        days: u32,
    },
    DueToday,
    DueInDays {
        days: u32,
    },
    ReferralTitle {
        from: String,
        to: String,
    },
    ReferralValidUntil {
        on: Date,
    },
    ReferralUndated,
    ReferralExpired {
        on: Date,
    },
    ReferralIssuedOn {
        on: Date,
    },
    FromPrescriptionCode {
        code: String,
    },
    AppointmentBookedFor {
        time: String,
    },
    ReasonLabel,
    MedicinePlanHeading,
    MedicinePlanHint,
    DoseSlotName {
        slot: health_book::medicine_plan::DoseSlot,
    },
    MealRelationName {
        meals: health_book::MealRelation,
    },
    DoseAmount {
        amount: String,
        unit: String,
    },
    DoseTaken,
    DoseSkipped,
    DoseSpreadHint,
    DoseAsDirectedHint,
    DosesOpen {
        count: usize,
    },
    PlanWithoutDuration {
        count: usize,
    },
    RunsOutCourse {
        medicine: String,
        days: u32,
    },
    RunsOutRenew {
        medicine: String,
        days: u32,
    },
    RemindersHeading,
    RemindersExport,
    RemindersExportHint,
    ReminderDoseTitle {
        medicine: String,
    },
    ReminderVisitTitle,
    ReminderVisitAt {
        facility: String,
    },
    OpenMedicinePlan,
    NotifyHeading,
    NotifyOfferHint,
    NotifyTurnOn,
    NotifyIsOn,
    NotifyTurnOff,
    NotifyDenied,
    NotifyNotRemembered,
    NotifyDoseTitle,
    PaperTwinHeading,
    PaperTwinHint,
    PaperTwinTitle,
    LastVaccinationsHeading,
    NextVisitsHeading,
    MoreInBook {
        count: usize,
    },
    PaperDose {
        number: u32,
    },
    OpenPaperTwin,
    // The data worker (issue 17): the wasm QR reader runs there
    ScanReaderUnavailable,
    // ---- resilience (issue 18): another tab upgraded the database ----
    StorageSuperseded,
    StorageSupersededReloading,
    // Provenance on every record (issue 15)
    /// Where a record came from, in a sentence: the health system, a file, staff (name, device,
    /// time) or the person themself.
    RecordProvenance(health_book::RecordOrigin),
    /// Why a record carries the "not verified" mark, by where it came from.
    UnverifiedWhy(health_book::RecordOrigin),
    // Records typed in on the device (issue 15)
    EntryAddVaccination,
    EntryAddPrescription,
    EntryEditVaccination,
    EntryEditPrescription,
    EntryByStaff {
        staff: String,
    },
    EntryBySelf,
    EntryVaccine,
    EntryChooseVaccine,
    EntryProtectsAgainst,
    EntryDoseNumber,
    EntrySeriesDoses,
    EntryDoseSuggested {
        dose_number: u32,
        series_doses: Option<u32>,
    },
    EntryVaccinationDate,
    EntryLot,
    EntryFacilityName,
    EntryFacilityCode,
    EntrySave,
    EntryPrescriptionCode,
    EntryIssuedOn,
    EntryPrescriber,
    EntryDiagnoses,
    EntryIcd10,
    EntryDiagnosisText,
    EntryAddDiagnosis,
    EntryMedicines,
    EntryMedicineName,
    EntryAmount,
    EntryUnit,
    EntryTimesPerDay,
    EntryTimesOfDay,
    EntryMeals,
    EntryMealsUnsaid,
    EntryDays,
    EntryAddMedicine,
    EntryRemoveRow,
    EntryAdvice,
    EntryReExamination,
    EntryFix,
    EntryEdit,
    EntryRemove,
    EntryConfirmRemove,
    EntryRemoved,
    EntryErrNotDeviceRecord,
    EntryErrGone,
    TimeOfDayName(health_book::TimeOfDay),
    MealName(health_book::MealRelation),
}

/// A dosage instruction, to be written out as a full sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct DosageText {
    pub amount: Option<String>,
    pub unit: Option<String>,
    pub times_per_day: Option<u32>,
    pub times_of_day: Vec<health_book::TimeOfDay>,
    pub meals: Option<health_book::MealRelation>,
    pub route: Option<String>,
    pub days: Option<u32>,
    pub note: Option<String>,
}
