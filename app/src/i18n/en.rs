use std::borrow::Cow;

use health_book::checkin::CheckInField;
use health_book::medicine_plan::DoseSlot;
use health_book::validate::FindingKind;
use health_book::{MealRelation, TimeOfDay};

use super::format::date;
use super::msg::DosageText;
use super::{Locale, Msg};
use health_book::device::DeviceMode;
use health_book::views::provenance::server_host;
use health_book::RecordOrigin;

/// What the book's validation found, in English.
fn finding(kind: &FindingKind) -> String {
    match kind {
        FindingKind::Card(warning) => {
            translate(&super::status::card_warning_msg(warning)).into_owned()
        }
        FindingKind::Empty => "This field is empty.".into(),
        FindingKind::NotNfc => {
            "The text is not in standard Unicode form (NFC); search may miss it.".into()
        }
        FindingKind::CitizenIdInvalid(_) => "The citizen ID is not valid.".into(),
        FindingKind::CitizenIdDisagrees(_) => {
            "The citizen ID does not match the birth year or sex.".into()
        }
        FindingKind::InsuranceCodeInvalid(_) => "The health insurance code is not valid.".into(),
        FindingKind::ValidityReversed {
            valid_from,
            valid_to,
        } => {
            format!(
                "The card ends ({}) before it starts ({}).",
                d(valid_to),
                d(valid_from)
            )
        }
        FindingKind::PrescriptionCodeInvalid(_) => "The prescription code is not valid.".into(),
        FindingKind::PrescriptionKindDisagrees { .. } => {
            "The prescription type does not match its code.".into()
        }
        FindingKind::BeforeBirth {
            date,
            date_of_birth,
        } => {
            format!(
                "The date {} is before the date of birth ({}).",
                d(date),
                d(date_of_birth)
            )
        }
        FindingKind::InFuture { date, .. } => format!("The date {} is in the future.", d(date)),
        FindingKind::Zero => "The number must be at least 1.".into(),
        FindingKind::DoseAboveSeries {
            dose_number,
            series_doses,
        } => {
            format!("Dose {dose_number}, but the series has only {series_doses} doses.")
        }
        FindingKind::NextDoseNotAfterDose { next_dose_due, .. } => {
            format!(
                "The next dose ({}) is not after this dose.",
                d(next_dose_due)
            )
        }
        FindingKind::BeforeIssue { date, issued_on } => {
            format!(
                "The follow-up visit {} is before the prescription was issued ({}).",
                d(date),
                d(issued_on)
            )
        }
        FindingKind::NoMedicines => "The prescription has no medicines.".into(),
        FindingKind::NotIcd10 { code } => {
            format!("The diagnosis code “{code}” is not an ICD-10 code.")
        }
        FindingKind::DuplicateRecordId { first } => {
            format!("Same record ID as {first}; one of them could be lost on refresh.")
        }
        // Typed-in records (issue 15)
        FindingKind::NotANumber { text } => format!("“{text}” is not a whole number."),
        FindingKind::NotADate { text } => format!("“{text}” is not a valid date."),
    }
}

fn d(on: &time::Date) -> String {
    date(Locale::En, *on)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

pub fn translate(msg: &Msg) -> Cow<'static, str> {
    use Msg::*;
    let text: &'static str = match msg {
        AppName => "So Suc Khoe",
        AppTagline => "Your electronic health book, even with no network",
        SkipToContent => "Skip to main content",
        MainNavigation => "Main navigation",
        NavHome => "Home",
        NavVaccinations => "Vaccinations",
        NavPrescriptions => "Prescriptions",
        NavCheckIn => "Check-in",
        NavSettings => "Settings",
        Loading => "Loading…",
        ScreenNotLoaded => "This screen could not be loaded yet. Check the connection and try again; the rest of the book still works.",
        PageNotFound => "This page could not be found.",
        BackToHome => "Back to home",
        Back => "Back",
        ShowMore { shown, total } => return format!("Show more ({shown} of {total} shown)").into(),
        Print => "Print",

        NoBookTitle => "No health book on this device yet",
        NoBookBody => "Add your book, or a relative's, to see the profile, vaccinations and prescriptions, even with no network.",
        NoBookAction => "Add a health book",
        BooksEvictedTitle => "The browser removed the app's data",
        BooksEvictedBody { books, since } => {
            return format!("This device held {} since {}, but the browser removed {} (usually when the device runs low on storage). Add {} again from the health system or restore {} from a backup file.", plural(*books as usize, "health book", "health books"), d(since), if *books == 1 { "it" } else { "them" }, if *books == 1 { "it" } else { "them" }, if *books == 1 { "it" } else { "them" }).into()
        }
        RestoreFromBackup => "Restore from a backup file",
        Dismiss => "Dismiss",
        NoBookOpenTitle => "No book is open",
        NoBookOpenBody => "Choose whose book to open from the books on this device.",

        SettingsTitle => "Settings",
        LanguageHeading => "Language",
        LanguageHint => "Choose the display language. Your choice is saved on this device.",
        PreferenceNotSaved => "Your choice could not be saved on this device (browser storage is blocked). It applies until the app is closed.",
        TextSizeHeading => "Text size",
        LargeText => "Large text",
        LargeTextHint => "Makes all text and buttons bigger, easier to read for older people. Your phone's own text size applies too.",
        StorageHeading => "Data on this device",
        StoragePersisted => "The browser has promised to keep the app's data, even when the device runs low on space.",
        StorageNotPersisted => "The browser may delete the data when the device runs out of space or after a long time unused. Install the app to your home screen and tap “Keep data”.",
        StorageUsage { used, available } => return format!("{used} used, about {available} free.").into(),
        StorageUnknown => "This browser does not say how much space is used.",
        KeepDataAction => "Keep data",
        PersistenceRefused => "The browser did not agree yet. Install the app to your home screen, then try again.",

        SwitchBook => "Switch book",
        BooksTitle => "Books on this device",
        BooksOnDevice { count } => return format!("{} on this device", plural(*count, "book", "books")).into(),
        SearchBooksLabel => "Find a book",
        SearchBooksHint => "Name (with or without accents) or citizen ID number",
        NoBooksMatch => "No book matches your search.",
        BornIn { year } => return format!("Born {year}").into(),
        LastUpdated { on } => return format!("Updated {}", d(on)).into(),
        RecordCounts { vaccinations, prescriptions } => {
            return format!(
                "{}, {}",
                plural(*vaccinations, "vaccination", "vaccinations"),
                plural(*prescriptions, "prescription", "prescriptions")
            )
            .into()
        }
        OpenThisBook => "Open book",
        CurrentlyOpen => "Open now",
        CloseBook => "Close book",
        DeleteBook => "Remove from device",
        ConfirmDeleteBook { name } => {
            return format!("Remove {name}'s book from this device? The health system's records are not affected.").into()
        }
        ConfirmDelete => "Remove",
        Cancel => "Cancel",
        BookDeleted { name } => return format!("{name}'s book was removed from this device.").into(),
        AddBookHeading => "Add a book",

        ImportTitle => "Import a book from a file",
        ImportHint => "Choose a health book file (FHIR Bundle, ending in .json) exported from this app or given by a health facility.",
        ImportChooseFile => "Choose file",
        ImportDropHere => "or drop the file here",
        ImportProgressLabel => "Import progress",
        ImportProgressRead { percent } => return format!("Reading the file: {percent}%").into(),
        ImportProgressRecords { count } => return format!("{} received", plural(*count, "record", "records")).into(),
        ImportPreviewTitle => "Check before importing",
        ImportPreviewPerson { name, citizen_id } => return format!("Book of {name}, citizen ID {citizen_id}").into(),
        ImportPreviewCounts { vaccinations, prescriptions } => {
            return format!(
                "{} and {}",
                plural(*vaccinations, "vaccination", "vaccinations"),
                plural(*prescriptions, "prescription", "prescriptions")
            )
            .into()
        }
        ImportWillReplace { current_vaccinations, current_prescriptions } => {
            return format!(
                "This book is already on the device ({}, {}) and will be replaced by the file's content.",
                plural(*current_vaccinations, "vaccination", "vaccinations"),
                plural(*current_prescriptions, "prescription", "prescriptions")
            )
            .into()
        }
        ImportWillAdd => "This is a new book on this device.",
        ImportKeepsStaffRecords { count } => {
            return format!("{} entered on this device (by staff or self-reported) will be kept.", plural(*count, "record", "records")).into()
        }
        ImportFindings { count } => {
            return format!("{} to check before saving:", plural(*count, "thing", "things")).into()
        }
        Finding(kind) => return finding(kind).into(),
        ImportConfirm => "Import book",
        ImportDone { name } => return format!("{name}'s book was imported.").into(),
        ImportUnknownVaccines { names } => {
            return format!("Vaccines the app's list does not know, kept as written in the file: {names}.").into()
        }
        ImportSkipped { count } => {
            return format!("{} in the file could not be read and {} skipped:", plural(*count, "item", "items"), if *count == 1 { "was" } else { "were" }).into()
        }
        ImportSkippedItem { resource, reason } => return format!("{resource}: {reason}").into(),
        ImportErrNotJson => "This is not a health book file (it is not JSON). Nothing was changed.",
        ImportErrNotBundle => "This file is not a health book in FHIR Bundle form. Nothing was changed.",
        ImportErrTooLarge { limit_mb } => return format!("The file is too large (at most {limit_mb} MB). Nothing was changed.").into(),
        ImportErrTooDeep => "The file has an abnormal structure and was refused. Nothing was changed.",
        ImportErrNoPatient => "The file has no patient (Patient) in it. Nothing was changed.",
        ImportErrBadPatient => "The patient in the file has a missing or wrong citizen ID. Nothing was changed.",
        ImportErrRead => "The file could not be read. Try choosing it again.",
        ImportErrEmpty => "The file holds no book to import.",
        ImportErrUnsupportedType => "This kind of FHIR file cannot be imported (a collection, searchset or transaction Bundle is needed). Nothing was changed.",
        ImportErrSeveralPatients => "The file holds several patients and it is not clear whose records are whose. Nothing was changed.",
        ImportErrSaveFailed => "The book could not be saved on this device. The previous book, if any, is intact.",
        ImportErrWorkerUnavailable => "The file reader could not start. Reload the app while online, then try again. Nothing was changed.",
        ImportErrWorkerSilent => "The file reader stopped answering, so it was stopped. Nothing was changed; try choosing the file again.",
        ImportRestoresCorrections { count } => {
            return format!("{} from the file will be restored.", plural(*count, "correction note", "correction notes")).into()
        }
        ImportErrWorkerStopped => "The file reader stopped before the import was finished. Nothing was changed; try choosing the file again.",
        SkipMalformed => "malformed data",
        SkipUnsupported => "a kind of data the book does not hold",
        SkipNotCompleted => "cancelled or not done",
        SkipMissingData => "required details missing (vaccine, medicine or date)",
        SkipDuplicate => "duplicate",
        SkipNotReferenced => "not used by any record",
        SkipInvalidPatient => "patient with a missing or wrong citizen ID",
        ExportHeading => "Backup",
        ExportHint => "Save books as a file (FHIR Bundle) to back them up or move them to a new phone. The file holds health information: keep it safe.",
        ExportThisBook => "Export this book to a file",
        ExportAllBooks => "Export every book to one file",
        ExportFailed => "The export file could not be made. The data on this device is not affected.",

        DateOfBirth => "Date of birth",
        AgeYears { years } => return format!("{years} years old").into(),
        AgeMonths { months } => return format!("{months} months old").into(),
        Sex => "Sex",
        Male => "Male",
        Female => "Female",
        CitizenIdLabel => "Citizen ID",
        ShowNumber => "Show number",
        HideNumber => "Hide number",
        OldIdLabel => "Old ID card number",
        InsuranceCardLabel => "Health insurance card",
        InsuranceNone => "No health insurance card on record.",
        InsuranceValid => "Valid",
        InsuranceValidUntil { on } => return format!("Valid until {}", d(on)).into(),
        InsuranceExpiresIn { days, on } => {
            return if *days == 0 {
                format!("Expires today ({})", d(on)).into()
            } else {
                format!("Expires in {} (on {})", plural(*days as usize, "day", "days"), d(on)).into()
            }
        }
        InsuranceExpired { on } => return format!("Expired on {}", d(on)).into(),
        InsuranceNotYetValid { from } => return format!("Valid from {}", d(from)).into(),
        InsuranceBenefit { level } => {
            return format!(
                "Benefit level {level}: {}",
                match level {
                    1 => "100%, uncapped",
                    2 => "100%, capped",
                    3 => "95%",
                    4 => "80%",
                    5 => "100%, including services outside the standard scope",
                    _ => "unknown",
                }
            )
            .into()
        }
        RegisteredFacility => "Registered facility for primary care",
        Allergies => "Allergies",
        ChronicConditions => "Chronic conditions",
        NoneRecorded => "None recorded",
        BloodGroupLabel => "Blood group",
        EmergencyContactLabel => "Emergency contact",
        AddressLabel => "Permanent address",
        PhoneLabel => "Phone",
        DataAsOf { on } => return format!("Data as of {}", d(on)).into(),
        DataEnteredOnDevice => "Book created on this device",
        OpenCheckInQr => "Open the check-in QR",
        NextVaccinationHeading => "Next vaccination",
        NoUpcomingVaccination => "No vaccination is waiting.",
        ActiveMedicinesHeading => "Medicines to take",
        ActiveMedicinesCount { count } => return format!("{} to take today", plural(*count, "medicine", "medicines")).into(),
        NoActiveMedicines => "No prescribed medicine to take today.",
        SeeAll => "See all",
        ValidationWarnings { count } => return format!("{} to check again", plural(*count, "detail", "details")).into(),
        CitizenIdDisagrees => "The citizen ID does not match the date of birth or sex in the book. Please check it against the card.",

        VaccinationsTimeline => "Timeline",
        VaccinationsByDisease => "By disease",
        VaccinationsSchedule => "Schedule",
        ViewsLabel => "View",
        NoVaccinations => "No vaccinations in the book yet.",
        VaccinationCount { count } => return plural(*count, "vaccination", "vaccinations").into(),
        DoseOf { k, n } => return format!("Dose {k} of {n}").into(),
        DoseNumber { k } => return format!("Dose {k}").into(),
        DoseKthAgainst { k } => return format!("Dose {k}").into(),
        LotLabel => "Lot",
        FacilityLabel => "Facility",
        ManufacturerLabel => "Manufacturer",
        AdministeredByLabel => "Given by",
        VaccineLabel => "Vaccine",
        DiseasesLabel => "Protects against",
        DateLabel => "Date",
        NextDoseDue { on } => return format!("Next dose due {}", d(on)).into(),
        Unverified => "Not verified",
        RecordSourceLabel => "Source",
        ScheduleIntro => "The national childhood immunisation schedule, from the date of birth and the doses given.",
        ScheduleDone { on } => return format!("Given {}", d(on)).into(),
        ScheduleDue { from, until } => return format!("Due: from {} to {}", d(from), d(until)).into(),
        ScheduleOverdue { since, days } => return format!("Overdue by {} (since {})", overdue_en(*days), d(since)).into(),
        ScheduleNotYetDue { from } => return format!("Not due yet (from {})", d(from)).into(),
        ScheduleNotRecorded => "Not recorded in the book",
        ScheduleSummary { done, due, overdue } => {
            return format!("{done} given, {due} due, {overdue} overdue").into()
        }
        AtAge { label } => return format!("At {label}").into(),
        VaccinationNotFound => "This vaccination is not in the book.",
        PrintVaccinationsTitle => "Vaccination history",
        PrintedOn { on } => return format!("Printed {}", d(on)).into(),
        AgeAtBirth => "birth",
        AgeInMonths { months } => return format!("{months} months").into(),
        AgeInMonthsAndDays { months, days } => return format!("{months} months {days} days").into(),
        PrintHistoryHint => "Print the history, or share it as a PDF, for someone without a smartphone.",
        VaccinationDetailTitle => "Vaccination details",

        PrescriptionsAll => "All prescriptions",
        PrescriptionsActive => "Medicines to take",
        NoPrescriptions => "No prescriptions in the book yet.",
        PrescriptionCount { count } => return plural(*count, "prescription", "prescriptions").into(),
        SearchPrescriptionsLabel => "Search prescriptions",
        SearchPrescriptionsHint => "Medicine, active ingredient or diagnosis",
        FilterYear => "Year",
        FilterFacility => "Facility",
        AllYears => "All years",
        AllFacilities => "All facilities",
        NoPrescriptionsMatch => "No prescription matches.",
        PrescriptionCurrent => "Current",
        PrescriptionEnded => "Ended",
        MedicineCount { count } => return plural(*count, "medicine", "medicines").into(),
        PrescriptionCodeLabel => "Prescription code",
        PrescriptionKindLabel => "Type",
        KindBasic => "Ordinary prescription",
        KindNarcotic => "Narcotic prescription",
        KindPsychotropic => "Psychotropic or precursor prescription",
        KindTraditional => "Traditional medicine prescription",
        IssuedAtLabel => "Issued",
        PrescriberLabel => "Prescriber",
        DiagnosesLabel => "Diagnoses",
        MedicinesLabel => "Medicines",
        AdviceLabel => "Advice",
        ReExaminationOn { on } => return format!("Follow-up visit on {}", d(on)).into(),
        ActiveIngredientLabel => "Active ingredient",
        QuantityLabel => "Quantity",
        DayOf { day, of } => return format!("Day {day} of {of}").into(),
        UntilDate { on } => return format!("until {}", d(on)).into(),
        PrescriptionNotFound => "This prescription is not in the book.",
        Dosage(dosage) => return dosage_en(dosage).into(),

        CheckInHint => "Show this code to reception to scan, just like the citizen ID card.",
        CheckInIdFallback => "If the scanner cannot read it, read this citizen ID number to the staff:",
        FullScreen => "Enlarge code",
        ExitFullScreen => "Shrink",
        BrightnessHint => "Turn up the screen brightness so the code scans faster.",
        ScreenKeptOn => "The screen stays on while the code is shown.",
        InsuranceQrHeading => "Health insurance code",
        InsuranceQrHint => "For desks that still scan the health insurance card code.",
        CheckInQrLabel { name } => return format!("Check-in QR code of {name}").into(),
        InsuranceQrLabel => "Health insurance card QR code",
        MinimalCheckIn => "Leave the address out of the QR code",
        MinimalCheckInHint => "For privacy the check-in code leaves the address empty. Some reception software needs the address; turn this off if the desk asks.",
        CheckInVariantHeading => "Check-in QR code",
        CannotMakeCodeTitle => "The check-in QR code cannot be made yet",
        CheckInInvalidId => "The citizen ID in the book is not valid: it needs 12 digits.",
        CitizenIdUnknownPrefix { code } => {
            return format!("The first digits of the citizen ID, {code}, are not a province code (perhaps a birth registered abroad). The code still works; if it is wrong, ask health staff to check it.").into()
        }
        InsuranceGroupUnknown { code } => {
            return format!("The beneficiary group {code} on the insurance card is not in the app's list yet. The card still works; reception will check it.").into()
        }
        InsuranceLevelUnusual { group, level, expected } => {
            return format!("Insurance cards of group {group} usually carry benefit level {expected}; this one says {level}. Ask reception to check it.").into()
        }
        CheckInFixHint => "Update the book from the health system, or ask health staff to correct it. Meanwhile, bring your citizen ID card.",

        ErrStorageQuota => "The device's storage is full, so this could not be saved. Your earlier data is intact. Free some space and try again.",
        ErrStorageOpen => "The data on this device could not be opened. The browser may be in private mode or the data may be damaged. Reload the page.",
        ErrStorageBlocked => "The app is open in another tab with an older version. Close the other tabs, then reload this page.",
        ErrStorageConnection => "The connection to the data on this device was lost. Reload the page; saved data is not lost.",
        ErrStorageCorrupt => "Part of the data on this device is damaged and was skipped.",
        ErrStorageNewerVersion => "This device's data was saved by a newer version of the app. Update the app (reload the page while online); the data is still there.",
        ErrStorageOther => "Something went wrong reading or writing data on this device. Saved data is not lost. Please try again.",
        SkippedRecords { count } => {
            return format!("{} could not be read (perhaps written by a newer version) and {} hidden.", plural(*count, "record", "records"), if *count == 1 { "is" } else { "are" }).into()
        }
        TryAgain => "Try again",
        Reload => "Reload",

        // Offline, install and updates
        UpdateReady => "A new version is ready.",
        UpdateApplying => "Updating…",
        UpdateFailed => "The update could not start. Close every window of the app, then open it again.",
        ConnectionOffline => "Offline",
        ConnectionServerDown => "Server not responding",
        InstallHeading => "Install the app",
        InstallBenefits => "An installed app opens faster, works with no network, and the browser keeps its data longer.",
        InstallAction => "Install app",
        InstallIosSteps => "In Safari, tap Share, then Add to Home Screen.",
        InstallIosKeepsData => "On iPhone and iPad, Safari may delete a website's data after 7 days without use; an app added to the Home Screen keeps it.",
        InstallDone => "The app is installed on this device.",
        InstallFromBrowserMenu => "If your browser's menu has “Install app” or “Add to Home screen”, use it.",
        InstallPromptFailed => "The install dialog could not open. Use the browser's menu instead.",
        InstallOpenInSafari => "To add the app to the Home Screen, open this page in Safari.",

        // Prescriptions (more)
        PrescriptionIssuedOn { on } => return format!("Prescription of {}", d(on)).into(),
        PrescriptionMatches { count, total } => {
            return format!("Found {count} of {}", plural(*total, "prescription", "prescriptions")).into()
        }
        NoPrescriptionsHint => "Electronic prescriptions appear here once the book is updated from the health system or imported from a file.",
        ClearPrescriptionFilters => "Clear search and filters",
        PrescriptionNotFoundHint => "It may have been removed when the book was updated, or the link is wrong.",
        ActiveMedicinesHint => "Medicines to take today under prescriptions still within their number of days. Medicines without a number of days are not listed here; check the prescription or ask your doctor.",
        PatientNameLabel => "Patient's name",
        PrescriptionStatusLabel => "Status",

        // Sync
        SyncSettingsHeading => "Health data server",
        SyncSettingsHint => "Books are fetched and refreshed from the health facility's FHIR R4 server. The access token is only sent to the server it was saved with.",
        SyncServerUrlLabel => "Server address (FHIR R4)",
        SyncTokenLabel => "Access token (if the server asks for one)",
        SyncTokenSaved => "An access token is saved. Leave this field empty to keep it.",
        SyncTokenRemove => "Remove the saved access token",
        SyncTimeoutLabel => "Time limit per request (seconds)",
        SyncAutoRefreshLabel => "When online, refresh automatically a book older than",
        SyncAutoRefreshOff => "Never refresh automatically",
        SyncAutoRefreshHours { hours: 1 } => "1 hour",
        SyncAutoRefreshHours { hours } => return format!("{hours} hours").into(),
        SyncAutoRefreshDays { days: 1 } => "1 day",
        SyncAutoRefreshDays { days } => return format!("{days} days").into(),
        SyncSaveSettings => "Save server settings",
        SyncSettingsSaved => "Server settings saved.",
        SyncTestConnection => "Test the connection",
        SyncTesting => "Testing the connection…",
        SyncConnected { software, fhir_version } => return format!("Connected: {software}, FHIR {fhir_version}.").into(),
        SyncServerFeatures { everything, history } => {
            let yes_no = |b: &bool| if *b { "yes" } else { "no" };
            return format!(
                "Whole book in one request ($everything): {}. Reports deleted records (_history): {}.",
                yes_no(everything),
                yes_no(history)
            )
            .into();
        }
        SyncConnectionFailed { reason } => return format!("Could not connect: {reason}").into(),
        SyncAddTitle => "Add a book from the health system",
        SyncAddHint { server } => return format!("Enter the citizen ID number (12 digits) to find the book on {server} and fetch it.").into(),
        SyncAddNoServer => "No health data server is set up yet, so no book can be looked up by citizen ID. Ask the health facility for the address of its FHIR R4 server (and an access token, if it uses one), then enter it under Health data server in Settings.",
        SyncAddNoServerLink => "Open the health data server settings",
        SyncCitizenIdLabel => "Citizen ID number",
        SyncFind => "Find and fetch the book",
        SyncInvalidCitizenId => "A citizen ID number has exactly 12 valid digits.",
        SyncFetchedTitle => "Book fetched from the server",
        SyncSaveBook => "Save the book",
        SyncAddFromServer => "Add from the health system",
        SyncPhaseConnecting => "Connecting to the server…",
        SyncPhaseLookingUp => "Looking for the record…",
        SyncProgressRecords { count } => return format!("Downloading… {count} items received").into(),
        SyncPhaseMapping => "Processing the data…",
        SyncRetrying { attempt } => return format!("The server did not answer; trying again (attempt {attempt})…").into(),
        SyncCancelled => "Cancelled. The book on this device is unchanged.",
        SyncSectionHeading => "Data from the health system",
        SyncLastSynced { at } => return format!("Last synced: {}", super::format::date_time(Locale::En, *at)).into(),
        SyncNeverSynced => "Never synced on this device.",
        SyncLastFailure { at, reason } => {
            return format!("The update at {} failed: {reason}", super::format::date_time(Locale::En, *at)).into()
        }
        SyncRefresh => "Update from the server",
        SyncUpToDate => "The book is up to date: nothing changed.",
        SyncUpdated { added, changed, removed } => {
            return format!("Updated: {added} new, {changed} changed, {removed} removed.").into()
        }
        SyncServerUnreachable => "The server cannot be reached right now. The book on this device still works.",
        SyncBookUnchanged => "The book on this device is unchanged.",
        SyncErrNoServer => "The server address in Settings is not valid.",
        SyncErrNetwork => "The server could not be reached. Check the network and the server address.",
        SyncErrTimeout => "The server did not answer within the time limit.",
        SyncErrServer { status } => return format!("The server has a problem (HTTP {status}). Try again later.").into(),
        SyncErrBusy { retry_after_seconds: Some(s) } => return format!("The server is overloaded. Try again in {s} seconds.").into(),
        SyncErrBusy { retry_after_seconds: None } => "The server is overloaded. Try again later.",
        SyncErrUnauthorized => "The server refused access. Check the access token in Settings.",
        SyncErrRefused { status, message: Some(m) } => return format!("The server refused the request (HTTP {status}): {m}").into(),
        SyncErrRefused { status, message: None } => return format!("The server refused the request (HTTP {status}).").into(),
        SyncErrNotFhir => "The server's answer is not FHIR.",
        SyncErrNotR4 { version } => return format!("The server speaks FHIR {version}; the app needs FHIR R4.").into(),
        SyncErrNoMatch => "Nobody with this citizen ID number is on the server. Check the number, or ask the health facility.",
        SyncErrSeveralMatches { count } => {
            return format!("The server has {count} records with this citizen ID number, so the right one cannot be chosen. Ask the health facility to merge them.").into()
        }
        SyncErrPatientGone => "The server no longer has this person's record. The book on this device is kept.",
        SyncErrWrongPerson => "The server returned another person's record.",
        SyncErrForeignLink => "The server sent a link to another address; stopped to protect the access token.",
        SyncErrTooLarge => "The record on the server is too large to download.",
        SyncErrBadData => "The server's data lacks what a book needs (citizen ID, name or date of birth).",
        SyncErrNotSaved => "The book could not be saved on this device.",
        SyncErrAlreadyRunning => "Another sync is running. Wait for it or cancel it.",
        SyncWillReplace { current_vaccinations, current_prescriptions } => {
            return format!(
                "This book is already on the device ({current_vaccinations} vaccinations, {current_prescriptions} prescriptions) and will be replaced by the server's data; records staff entered on this device are kept."
            )
            .into()
        }

        // File import: only this person's records, and limits beyond bytes (issue 13)
        ImportErrStringTooLong { limit_kb } => {
            return format!("The file has an abnormally long field (over {limit_kb} KB) and was refused. Nothing was changed.").into()
        }
        ImportErrTooManyEntries { limit } => {
            return format!("The file has too many entries (over {limit}) and was refused. Nothing was changed.").into()
        }
        ImportErrTooManyRecords { limit } => {
            return format!("A book in the file has too many records (over {limit} vaccinations and prescriptions) and was refused. Nothing was changed.").into()
        }
        SkipOtherPatient => "belongs to someone else, not to the patient in this file",
        SkipNoPatientReference => "does not say which patient it belongs to",
        ImportSkippedMore { count } => return format!("… and {count} more.").into(),
        // Sync: only this person's data, bounded answers, safe transport (issue 13, sync half)
        SyncErrNotConfigured => "No health data server is set up yet. Ask the health facility for the address of its FHIR R4 server (and an access token, if it uses one), then enter it under Health data server in Settings.",
        SyncErrAnswerTooLarge { limit_mb } => {
            return format!("The server sent an answer larger than {limit_mb} MB, so the sync stopped. Nothing was saved.").into()
        }
        SyncErrSyncTooLarge { limit_mb } => {
            return format!("The server sent more than {limit_mb} MB in one sync, so the sync stopped. Nothing was saved.").into()
        }
        SyncErrRedirected => "The server sent the request to another address. The app does not follow it, to protect the access token; check the server address in Settings.",
        SyncErrChangedMeanwhile => "The book was changed on this device in the meantime, so it was not overwritten. Try again.",
        SyncErrWorkerUnavailable => "The sync could not start on this device: its part of the app is not stored yet. Open the app once with a connection, then try again.",
        SyncErrWorkerStopped => "The sync stopped before it finished. Try again.",
        SyncErrUnreadableReply => "The result of the sync could not be read, so nothing was changed. Reload the app, then try again.",
        SyncErrWorkerSilent => "The app's sync part stopped answering, so the sync was stopped. Try again.",
        SyncForeignLeftOut { count } => {
            return format!("The server also sent {count} items of another person; they were left out.").into()
        }
        // Scanning a chip citizen ID card (issue 16)
        ScanCardAction => "Scan citizen ID card",
        ScanTitle => "Scan the citizen ID card's QR code",
        ScanHint => "Hold the QR code on the front of the chip ID card inside the frame. Keep the device still.",
        ScanTorchOn => "Torch on",
        ScanTorchOff => "Torch off",
        ScanChoosePhoto => "Choose a photo instead",
        ScanPhotoHint => "Take or choose a photo of the card's front with the QR code in clear view.",
        ScanCameraDenied => "The app may not use the camera. Allow it in the browser's settings, or choose a photo of the card.",
        ScanNoCamera => "No camera was found on this device. Choose a photo of the card.",
        ScanCameraUnsupported => "This browser gives no access to a camera. Choose a photo of the card.",
        ScanCameraBusy => "The camera is used by another app or could not start. Close that app and try again, or choose a photo of the card.",
        ScanCameraFailed => "The camera could not be opened. Try again, or choose a photo of the card.",
        ScanStillScanning => "Still scanning…",
        ScanNotACard => "This QR code is not the code of a chip citizen ID card.",
        ScanInvalidCard { field } => {
            let field = match field {
                CheckInField::CitizenId => "citizen ID number",
                CheckInField::OldIdNumber => "old ID card number",
                CheckInField::FullName => "name",
                CheckInField::DateOfBirth => "date of birth",
                CheckInField::Sex => "sex",
                CheckInField::Address => "address",
                CheckInField::IssueDate => "issue date",
            };
            return format!("This QR code is laid out like an ID card's, but its {field} is not valid, so it cannot be used.").into()
        }
        ScanNoCodeInPhoto => "No QR code was found in this photo. Take it closer, in good light and without glare.",
        ScanPhotoNotImage => "The chosen file is not an image that can be opened.",
        ScanPhotoFailed => "This photo could not be read. Try another one.",
        ScanOpening => "Opening the book…",
        ScanNewPersonTitle => "No book for this person on this device yet",
        ScanNewPersonBody { name, citizen_id } => return format!("Card of {name}, number {citizen_id}.").into(),
        ScanAddFromServer => "Add from the health system",
        ScanCreateFromCard => "Create a book from the card",
        ScanAgain => "Scan again",
        ScanWarningNoOldIdSlot => "The QR code has no old ID card slot (the 6-field layout) and was read that way: check the details.",
        ScanWarningIssueDate { raw } => return format!("The card's issue date (“{raw}”) could not be read and was left empty; everything else was kept.").into(),
        CardFormTitle => "Check the details before creating the book",
        CardFormHint => "The details come from the card. The book is marked as created on this device, not confirmed by the health system.",
        CardFormFullName => "Full name",
        CardFormIssuedOn => "Card issue date",
        CardFormSave => "Create the book",
        CardFormCitizenIdInvalid => "The citizen ID has exactly 12 digits.",
        CardFormOldIdInvalid => "The old ID card number has exactly 9 digits, or is left empty.",
        CardFormNotADate => "Not a valid date.",
        CardFormAlreadyOnDevice => "A book with this citizen ID is already on the device: a new book would replace it.",
        CardFormOpenExisting => "Open that book",

        // Shared devices: whose book is open, and removing everything from the device (issue 14)
        OpenBookBirthYear { birth_year } => return format!("born {birth_year}").into(),
        OpenBookAccessibleName { name, birth_year } => {
            return format!("Open book: {name}, born {birth_year}").into()
        }
        WipeHeading => "Remove everything from this device",
        WipeExplained => "Removes every health book on this device, the copies kept for sync, the server address and access token, the language and text size choices, and the app files stored for use without a network. Nothing on the health system is touched. Use it before a device is returned, lent or thrown away.",
        WipeAction => "Remove everything…",
        WipeConfirmBody { books } => {
            let books = match books {
                Some(1) => "1 health book".to_owned(),
                Some(n) => format!("{n} health books"),
                None => "every health book".to_owned(),
            };
            return format!(
                "Permanently remove {books} and all of the app's data from this device? This cannot be undone: a book that is not on the health system or in a backup file is lost for good."
            )
            .into()
        }
        WipeNeedsNetwork => "Afterwards the app needs a network connection to open again, because the files it keeps for use without a network are removed too.",
        WipeOfflineNow => "This device is offline now: after removing, the app will not open until the network is back.",
        WipeConfirm => "Remove permanently",
        WipeInProgress => "Removing…",
        WipeErrBlocked => "The app is open in another tab or window, so its data could not be removed yet. Close those tabs or windows, then remove again.",
        WipeErrFailed => "Not everything could be removed from this device. Try again; if it still fails, clear this site's data in the browser's settings.",
        WipeErrReload => "Everything was removed, but the page could not reload. Close the app and open it again.",
        // ---- encryption at rest and the device lock (vault) ----
        ErrStorageLocked => "The device is locked. Unlock it to see and save books.",
        ErrStorageNotAuthentic => "Some data on this device was changed or damaged and cannot be opened safely. That part is not shown; everything else is intact.",
        ErrStorageCrypto => "This browser cannot encrypt data here. Open the app over https or use a newer browser.",
        VaultChooseModeTitle => "How is this device used?",
        VaultModePersonal => "Personal device",
        VaultModePersonalHint => "Your own or your family's phone. A PIN or passphrase is optional.",
        VaultModeShared => "Shared device",
        VaultModeSharedHint => "A tablet at a health station serving many patients. Data is always encrypted; each staff member has their own passphrase.",
        VaultStaffName => "Staff member's name",
        VaultPassphrase => "Passphrase (at least 8 characters)",
        VaultPassphraseAgain => "Passphrase again",
        VaultPinOrPassphrase => "PIN (at least 6 digits) or passphrase",
        VaultForgottenWarning => "A forgotten passphrase cannot be recovered. If it is forgotten, the only way is to wipe the device and add the books again from the health system.",
        VaultPinWeakWarning => "A short PIN alone is weaker against someone who copies this device's storage. A long passphrase is safer.",
        VaultStart => "Start",
        VaultContinueWithoutSecret => "Continue without a secret",
        VaultEncrypting => "Encrypting the data on this device…",
        VaultUnlockTitle => "This device is locked",
        VaultUnlockSharedHint => "Each staff member unlocks with their own passphrase.",
        VaultUnlockedAs { name } => return format!("Unlocked: {name}").into(),
        VaultPassphraseInUse => "This passphrase already unlocks the device for another staff member. Each person needs their own passphrase.",
        VaultStaffNameUnreadable => "(name unreadable)",
        VaultUnlock => "Unlock",
        VaultUnlocking => "Unlocking…",
        VaultWrongSecret => "Wrong secret. Try again.",
        VaultWipeOnly => "More than 10 wrong attempts. The only way now is to wipe the device and add the books again from the health system.",
        VaultWipe => "Wipe this device",
        VaultLock => "Lock",
        VaultPassphraseTooShort => "A passphrase needs at least 8 characters.",
        VaultPinTooShort => "A PIN needs at least 6 digits.",
        VaultConfirmationDiffers => "The two entries differ.",
        VaultNameEmpty => "Enter the staff member's name.",
        VaultNameTaken => "Another staff member already has this name.",
        VaultSlotRefused => "This change cannot be made.",
        VaultDeviceSection => "Device and lock",
        VaultAddStaff => "Add staff member",
        VaultRemoveStaff => "Remove",
        VaultYourPassphrase => "Your passphrase",
        VaultNewPassphrase => "New passphrase",
        VaultChangeSecret => "Change secret",
        VaultIdleMinutes => "Lock after (idle minutes)",
        VaultSaved => "Saved.",
        VaultSave => "Save",
        VaultSwitchToShared => "Switch to a shared device",
        VaultYourPin => "Your current PIN or passphrase",
        VaultDoneWithPatient => "Done with this patient",
        VaultDoneConfirmYes => "Remove from this device",
        VaultDoneConfirm { name } => return format!("Remove {name}'s book and everything about them (synced copy, settings, key) from this device? The book stays in the health system.").into(),
        VaultSetSecret => "Set a PIN or passphrase",
        VaultTryAgainIn { seconds } => return format!("Wait {seconds} seconds, then try again.").into(),

        // --- Domain facts (issue 12) ---
        ScheduleDependsOnRollout { from } => {
            return format!("Depends on your province: due from {} where the programme has started it", d(from)).into()
        }
        SchedulePhaseIn { rollout } => return format!("Phased in by province: {rollout}").into(),
        ScheduleSummaryDependsOnRollout { count } => {
            return format!("{count} depend on whether your province has started them (not counted as overdue)").into()
        }
        ProvinceAtRegistrationLabel => "Province of birth registration",
        ProvinceAtRegistrationHint => "From the first digits of the citizen ID: the province's name at registration (IDs were not renumbered by the 2025 merger of provinces).",
        // Tablet layout and rows that say what they hold (issue 20)
        MedicinesMore { count } => return format!("+{count}").into(),
        PrescriptionRowLabel { on, medicines } => {
            return format!("Prescription of {}: {medicines}", d(on)).into()
        }
        OpenBookOf { name } => return format!("Open book of {name}").into(),
        ExportBookOf { name } => return format!("Export this book to a file: {name}'s book").into(),
        DeleteBookOf { name } => return format!("Remove from device: {name}'s book").into(),
        ShowCheckInQr => "Check-in QR",
        CheckInQrOf { name } => return format!("Check-in QR for {name}").into(),
        ChoosePrescriptionHint => "Choose a prescription in the list to see it in full here.",
        ChooseVaccinationHint => "Choose a vaccination in the list to see it in full here.",
        // The book list's detail beside it (issue 20, tablet2)
        ChooseBookHint => "Choose a book in the list to see it here.",
        BookNotOnDevice => "This book is not on this device.",
        BookNotOnDeviceHint => "It may have been removed from this device. Choose a book in the list.",
        BookHoldsHeading => "In the book",

        // --- Audit log (issue 15) ---
        AuditHeading => "Access log",
        AuditHint => "Everything done on this device: who, when, which book. Each entry is sealed to the one before it, so a changed, removed, inserted or reordered entry shows.",
        AuditEmpty => "Nothing has been logged on this device yet.",
        AuditExport => "Export the log (FHIR AuditEvent)",
        AuditIntact { entries } => return super::audit_text::intact_en(*entries).into(),
        AuditBroken { position, kind } => return super::audit_text::broken_en(*position, *kind).into(),
        AuditNotRecorded => "This could not be written to the access log.",
        AuditEntryText { actor, mode, action, at, book } => {
            return super::audit_text::entry_en(actor, *mode, action, *at, book.as_deref()).into()
        }
        BookVisitsHeading => "Who opened this book",
        BookVisitsHint => "Everyone who opened, showed, changed or copied this book on this device.",
        BookVisitsEmpty => "Nobody has opened this book on this device yet.",
        CorrectionsHeading => "Report an error",
        CorrectionsNone => "No error has been reported on this record.",
        CorrectionsPrintHint => "Print this page and give it to the facility that wrote the record, so they can fix the original.",
        CorrectionSigned { by, at } => return super::audit_text::signed_en(by, *at).into(),
        ReportErrorAction => "Report an error",
        ReportErrorLabel => "What is wrong in this record?",
        ReportErrorSave => "Save the note",
        ReportErrorEmpty => "Write what is wrong before saving.",
        ReportErrorTooLong { max } => return format!("The note is too long: {max} characters at most.").into(),
        CorrectionEditedBy { by, at } => return super::audit_text::edited_en(by, *at).into(),
        CorrectionEditAction => "Edit",
        CorrectionEditLabel => "Edit the error report",
        CorrectionEditSave => "Save the change",
        CorrectionRemoveAction => "Remove",
        CorrectionRemoveConfirm => "Remove this error report? It will no longer be kept on the device, printed or exported.",
        CorrectionRemoveYes => "Remove the note",
        CorrectionGone => "This note is no longer on the device (it may have been removed on another screen). The list has been reloaded.",
        // ---- device lock: turning encryption off, resuming a migration, first run (vault2) ----
        VaultSharedStaysEncrypted => "A shared device always stays encrypted; its lock cannot be removed.",
        VaultTurnOffTitle => "Remove the PIN or passphrase",
        VaultTurnOffExplain => "Afterwards the books on this device are stored readable: anyone who holds the device or copies its storage can see them. Type your current PIN or passphrase to confirm.",
        VaultTurnOffStart => "Remove the lock…",
        VaultTurnOffConfirm => "Remove it and store readable",
        VaultTurningOff => "Storing the books readable…",
        VaultTurnedOff => "The lock is removed. The books are stored readable.",
        VaultPassphraseShared => "Several staff members share this passphrase (set up by an older version). Choose your name, then change your passphrase in Settings so that each person has their own.",
        VaultCancel => "Cancel",
        VaultResumeTitle => "Encryption was not finished",
        VaultResumeExplain => "Last time, encrypting was interrupted. Every book is still there, not yet encrypted. Type the PIN or passphrase you chose then to finish.",
        VaultResumeSubmit => "Finish encrypting",
        VaultResuming => "Encrypting…",
        VaultResumeCancel => "Give up and keep the books readable",
        VaultFinishDecryptNotice => "Removing the lock was interrupted; every book is still there. Unlock to finish.",
        FirstRunTitle => "How is this device used?",
        FirstRunExplain => "Choose once; you can change it later in Settings.",
        FirstRunPersonal => "Personal phone",
        FirstRunPersonalHint => "Your and your family's books. You can set a PIN later in Settings.",
        FirstRunShared => "Shared device (health station)",
        FirstRunSharedHint => "Many patients in turn. Always encrypted; set up the first staff member now.",
        FirstRunContinue => "Continue",
        // Standard FHIR resources and the International Patient Summary (issue 19)
        SkipNotCurrent => "resolved, inactive or ruled out",
        SkipNoneKnown => "says there is none (for example \"no known allergy\")",
        SkipNoMatchingRecord => "a correction note about a record this person's book does not have",
        ExportIps => "Export as International Patient Summary",
        ExportIpsOf { name } => {
            // Starts with the visible text, so speech input can say what the button shows.
            return format!("Export as International Patient Summary: {name}'s book").into()
        }
        // Care plan: coming up, today's medicines, reminders (issue 19)
        ComingUpHeading => "Coming up",
        ComingUpNone => "No re-examination or referral coming up.",
        ComingUpOverdueCount { count } => return format!("{} overdue", plural(*count, "date", "dates")).into(),
        ReExaminationAt { facility } => return format!("Re-examination at {facility}").into(),
        ReExaminationTitle => "Re-examination",
        DueOverdue { days } => return format!("Overdue by {}", plural(*days as usize, "day", "days")).into(),
        DueToday => "Today",
        DueInDays { days } => return format!("In {}", plural(*days as usize, "day", "days")).into(),
        ReferralTitle { from, to } => return format!("Referral from {from} to {to}").into(),
        ReferralValidUntil { on } => return format!("Referral valid until {}", d(on)).into(),
        ReferralUndated => "No end date on the referral slip",
        ReferralExpired { on } => return format!("Referral expired on {}", d(on)).into(),
        ReferralIssuedOn { on } => return format!("Issued on {}", d(on)).into(),
        FromPrescriptionCode { code } => return format!("From prescription {code}").into(),
        AppointmentBookedFor { time } => return format!("Booked for {time}").into(),
        ReasonLabel => "Reason",
        MedicinePlanHeading => "Today's medicines",
        MedicinePlanHint => "Tap “Taken” or “Skipped” for each dose. The record is kept on this device.",
        DoseSlotName { slot } => match slot {
            DoseSlot::Morning => "Morning",
            DoseSlot::Noon => "Noon",
            DoseSlot::Afternoon => "Afternoon",
            DoseSlot::Evening => "Evening",
            DoseSlot::Bedtime => "Bedtime",
            DoseSlot::AsDirected => "As directed",
        },
        MealRelationName { meals } => match meals {
            MealRelation::BeforeMeals => "Before meals",
            MealRelation::AfterMeals => "After meals",
            MealRelation::WithMeals => "With meals",
        },
        DoseAmount { amount, unit } => return format!("{amount} {unit}").trim().to_owned().into(),
        DoseTaken => "Taken",
        DoseSkipped => "Skipped",
        DoseSpreadHint => "The prescription gives only how many times a day; the app spread the doses over the day in the usual way.",
        DoseAsDirectedHint => "No time is written on the prescription: take as the doctor said.",
        DosesOpen { count } => return format!("{} not yet marked today", plural(*count, "dose", "doses")).into(),
        PlanWithoutDuration { count } => return format!("{} without a number of days, so not in the plan.", plural(*count, "medicine", "medicines")).into(),
        RunsOutCourse { medicine, days } => {
            return if *days == 0 {
                format!("{medicine}: today is the last day of the course.")
            } else {
                format!("{medicine}: the course ends in {}.", plural(*days as usize, "day", "days"))
            }
            .into()
        }
        RunsOutRenew { medicine, days } => {
            return if *days == 0 {
                format!("{medicine}: today is the last day of the medicine. See the doctor to renew the prescription.")
            } else {
                format!("{medicine}: runs out in {}. See the doctor to renew the prescription.", plural(*days as usize, "day", "days"))
            }
            .into()
        }
        RemindersHeading => "Reminders",
        RemindersExport => "Download reminders (.ics)",
        RemindersExportHint => "Open this file with the phone's Calendar app: the medicine and re-examination alarms ring even with no network.",
        ReminderDoseTitle { medicine } => return format!("Take {medicine}").into(),
        ReminderVisitTitle => "Re-examination",
        ReminderVisitAt { facility } => return format!("Re-examination at {facility}").into(),
        OpenMedicinePlan => "Today's medicines",
        NotifyHeading => "Reminders on this device",
        NotifyOfferHint => "While the app is open, the device shows a notification when a dose is due. For reminders with the app closed, use the calendar file below.",
        NotifyTurnOn => "Turn on reminders on this device",
        NotifyIsOn => "Dose reminders are on for this device.",
        NotifyTurnOff => "Turn off",
        NotifyDenied => "The browser blocks this app's notifications. You can allow them in the browser's settings; the calendar file still reminds you.",
        NotifyNotRemembered => "This choice could not be saved: turn it on again next time.",
        NotifyDoseTitle => "Time for your medicines",
        PaperTwinHeading => "Printable A5 summary",
        PaperTwinHint => "One large-print page with the check-in QR, in Vietnamese and English, for a person without a phone to take to the clinic.",
        PaperTwinTitle => "Health book summary",
        LastVaccinationsHeading => "Latest vaccinations",
        NextVisitsHeading => "Next appointments",
        MoreInBook { count } => return format!("and {} more in the book", plural(*count, "medicine", "medicines")).into(),
        PaperDose { number } => return format!("dose {number}").into(),
        OpenPaperTwin => "Printable A5 summary",
        // The data worker (issue 17): the wasm QR reader runs there
        ScanReaderUnavailable => "The QR reader could not start. Reload the app, then try again.",
        // ---- resilience (issue 18) ----
        StorageSuperseded => "The app was just updated in another tab. Reload this page to use the new version; your data is kept.",
        StorageSupersededReloading => "The app was just updated in another tab. This page is reloading to use the new version; your data is kept.",
        // Provenance on every record (issue 15)
        RecordProvenance(origin) => return provenance_en(origin).into(),
        UnverifiedWhy(origin) => match origin {
            RecordOrigin::Synced { .. } => "Sent by the health system.",
            RecordOrigin::Imported => "Read from a file; not confirmed by the health system.",
            RecordOrigin::EnteredByStaff { .. } => "Entered by staff on a device; not confirmed by the health system.",
            RecordOrigin::SelfReported { .. } => "Reported by the person themself; not confirmed by the health system.",
        },
        // Records typed in on the device (issue 15)
        EntryAddVaccination => "Add a vaccination",
        EntryAddPrescription => "Add a prescription",
        EntryEditVaccination => "Correct a vaccination",
        EntryEditPrescription => "Correct a prescription",
        EntryByStaff { staff } => {
            return format!("{staff} is entering this on the patient's behalf. It is marked “Not verified” until the health system confirms it.").into()
        }
        EntryBySelf => "You are reporting this yourself. It is marked “Not verified”.",
        EntryVaccine => "Vaccine",
        EntryChooseVaccine => "Choose a vaccine",
        EntryProtectsAgainst => "Protects against",
        EntryDoseNumber => "Dose number",
        EntrySeriesDoses => "Doses in the series",
        EntryDoseSuggested { dose_number, series_doses } => {
            return match series_doses {
                Some(n) => format!("Suggested from the schedule and the doses already in the book: dose {dose_number} of {n}."),
                None => format!("Suggested from the doses already in the book: dose {dose_number}."),
            }
            .into()
        }
        EntryVaccinationDate => "Date given",
        EntryLot => "Lot number",
        EntryFacilityName => "Health facility",
        EntryFacilityCode => "Facility code (if any)",
        EntrySave => "Save",
        EntryPrescriptionCode => "Prescription code (if any)",
        EntryIssuedOn => "Date prescribed",
        EntryPrescriber => "Prescribing doctor",
        EntryDiagnoses => "Diagnoses",
        EntryIcd10 => "ICD-10 code",
        EntryDiagnosisText => "Diagnosis",
        EntryAddDiagnosis => "Add a diagnosis",
        EntryMedicines => "Medicines",
        EntryMedicineName => "Medicine",
        EntryAmount => "Per dose",
        EntryUnit => "Unit (tablet, sachet, ml)",
        EntryTimesPerDay => "Times a day",
        EntryTimesOfDay => "Taken in the",
        EntryMeals => "With respect to meals",
        EntryMealsUnsaid => "Not stated",
        EntryDays => "Number of days",
        EntryAddMedicine => "Add a medicine",
        EntryRemoveRow => "Remove this row",
        EntryAdvice => "Advice",
        EntryReExamination => "Re-examination date",
        EntryFix => "Correct these before saving:",
        EntryEdit => "Correct",
        EntryRemove => "Remove this record",
        EntryConfirmRemove => "Remove this record entered on this device? This cannot be undone.",
        EntryRemoved => "Record removed.",
        EntryErrNotDeviceRecord => "Only records entered on this device can be corrected or removed. Records from the health system or a file must be corrected where they came from.",
        EntryErrGone => "This record is no longer in the book (it may just have been updated). Open the book again.",
        TimeOfDayName(t) => time_of_day_en(*t),
        MealName(m) => match m {
            MealRelation::BeforeMeals => "before meals",
            MealRelation::AfterMeals => "after meals",
            MealRelation::WithMeals => "with meals",
        },
    };
    Cow::Borrowed(text)
}

fn overdue_en(days: i64) -> String {
    if days >= 60 {
        plural((days / 30) as usize, "month", "months")
    } else if days >= 14 {
        plural((days / 7) as usize, "week", "weeks")
    } else {
        plural(days as usize, "day", "days")
    }
}

/// Units as Vietnamese prescriptions write them, in English (plural after amounts above one,
/// "1/2 tablet" stays singular); other units stay as written.
fn unit_en(unit: &str, amount: &str) -> String {
    let many = amount.trim().parse::<f64>().is_ok_and(|n| n > 1.0);
    let (one, more) = match health_book::text::fold_for_search(unit).as_str() {
        "vien" | "vien nen" => ("tablet", "tablets"),
        "vien nang" => ("capsule", "capsules"),
        "goi" => ("sachet", "sachets"),
        "ong" => ("ampoule", "ampoules"),
        "chai" | "lo" => ("bottle", "bottles"),
        "giot" => ("drop", "drops"),
        "mieng" => ("patch", "patches"),
        "tuyp" => ("tube", "tubes"),
        _ => return unit.to_owned(),
    };
    (if many { more } else { one }).to_owned()
}

/// Routes as Vietnamese prescriptions write them ("uống" = by mouth), in English.
fn route_en(route: &str) -> String {
    match health_book::text::fold_for_search(route).as_str() {
        "uong" => "by mouth".into(),
        "tiem" | "tiem bap" => "by injection".into(),
        "nho mat" => "in the eyes".into(),
        "nho mui" => "in the nose".into(),
        "boi" | "boi ngoai da" | "dung ngoai" => "on the skin".into(),
        "ngam" | "ngam duoi luoi" => "under the tongue".into(),
        "dat" => "as a suppository".into(),
        "xit" | "hit" => "inhaled".into(),
        other => format!("route: {other}"),
    }
}

fn time_of_day_en(t: TimeOfDay) -> &'static str {
    match t {
        TimeOfDay::Morning => "morning",
        TimeOfDay::Noon => "noon",
        TimeOfDay::Afternoon => "afternoon",
        TimeOfDay::Evening => "evening",
        TimeOfDay::Bedtime => "bedtime",
    }
}

/// "Take 1 tablet each time, 2 times a day (morning, evening), after meals, for 7 days."
fn dosage_en(x: &DosageText) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut first = String::from("Take");
    if let Some(amount) = &x.amount {
        first.push_str(&format!(" {amount}"));
        if let Some(unit) = &x.unit {
            first.push_str(&format!(" {}", unit_en(unit, amount)));
        }
        first.push_str(" each time");
    }
    parts.push(first);
    if let Some(n) = x.times_per_day {
        let mut p = match n {
            1 => "once a day".to_owned(),
            2 => "twice a day".to_owned(),
            n => format!("{n} times a day"),
        };
        if !x.times_of_day.is_empty() {
            let when: Vec<&str> = x.times_of_day.iter().map(|t| time_of_day_en(*t)).collect();
            p.push_str(&format!(" ({})", when.join(", ")));
        }
        parts.push(p);
    } else if !x.times_of_day.is_empty() {
        let when: Vec<&str> = x.times_of_day.iter().map(|t| time_of_day_en(*t)).collect();
        parts.push(format!("in the {}", when.join(", ")));
    }
    if let Some(m) = x.meals {
        parts.push(
            match m {
                MealRelation::BeforeMeals => "before meals",
                MealRelation::AfterMeals => "after meals",
                MealRelation::WithMeals => "with meals",
            }
            .to_owned(),
        );
    }
    if let Some(route) = &x.route {
        parts.push(route_en(route));
    }
    if let Some(days) = x.days {
        parts.push(format!("for {}", plural(days as usize, "day", "days")));
    }
    let mut sentence = parts.join(", ") + ".";
    if let Some(note) = &x.note {
        sentence.push(' ');
        sentence.push_str(note.trim());
    }
    sentence
}

/// "Entered by staff member Lan on a shared device, 1 Dec 2026 10:32".
fn provenance_en(origin: &RecordOrigin) -> String {
    let at = |t: &time::OffsetDateTime| super::format::date_time(Locale::En, *t);
    match origin {
        RecordOrigin::Synced { source } => format!("Health system ({})", server_host(source)),
        RecordOrigin::Imported => "Imported from a file".into(),
        RecordOrigin::EnteredByStaff {
            staff,
            device,
            at: t,
        } => {
            let who = match staff {
                Some(name) => format!("Entered by staff member {name}"),
                None => "Entered by staff".into(),
            };
            let on = match device {
                Some(DeviceMode::Shared) => "a shared device",
                Some(DeviceMode::Personal) => "a personal device",
                None => "this device",
            };
            format!("{who} on {on}, {}", at(t))
        }
        RecordOrigin::SelfReported { at: t } => {
            format!("Self-reported, entered {}", at(t))
        }
    }
}
