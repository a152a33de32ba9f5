/// Every message the app shows. Add a variant here, then its text in `vi.rs` and `en.rs` (the
/// compiler lists what is missing).
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
    PageNotFound,
    BackToHome,

    // Empty states
    NoBookTitle,
    NoBookBody,
    NoBookAction,

    // Settings
    SettingsTitle,
    LanguageHeading,
    LanguageHint,
    PreferenceNotSaved,
}
