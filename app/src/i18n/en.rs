use std::borrow::Cow;

use super::Msg;

pub fn translate(msg: &Msg) -> Cow<'static, str> {
    use Msg::*;
    Cow::Borrowed(match msg {
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
        PageNotFound => "This page could not be found.",
        BackToHome => "Back to home",

        NoBookTitle => "No health book on this device yet",
        NoBookBody => "Add your book, or a relative's, to see the profile, vaccinations and prescriptions, even with no network.",
        NoBookAction => "Add a health book",

        SettingsTitle => "Settings",
        LanguageHeading => "Language",
        LanguageHint => "Choose the display language. Your choice is saved on this device.",
        PreferenceNotSaved => "Your choice could not be saved on this device (browser storage is blocked). It applies until the app is closed.",
    })
}
