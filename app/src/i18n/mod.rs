//! Every string a person reads, in Vietnamese (the default) and English.
//!
//! A message is a value of [`Msg`]; each language is one exhaustive `match` over it (`vi.rs`,
//! `en.rs`), so a message without a translation does not compile. Messages that carry numbers or
//! names are variants with data, so word order stays each language's own.

mod audit_text;
pub mod domain_names;
mod en;
pub mod errors;
pub mod format;
mod msg;
pub mod status;
mod vi;

use std::borrow::Cow;

use leptos::prelude::*;
pub use msg::{DosageText, Msg};

use crate::browser::local_preferences;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    Vi,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Vi, Locale::En];

    /// BCP 47 tag, for `<html lang>` and `Intl`/`toLocaleString`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Vi => "vi",
            Locale::En => "en",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Locale> {
        match tag {
            "vi" => Some(Locale::Vi),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The language's own name, shown in the switch whatever the current language is.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::Vi => "Tiếng Việt",
            Locale::En => "English",
        }
    }
}

/// Translate one message.
pub fn translate(locale: Locale, msg: &Msg) -> Cow<'static, str> {
    match locale {
        Locale::Vi => vi::translate(msg),
        Locale::En => en::translate(msg),
    }
}

/// The current language, shared by every screen.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    locale: RwSignal<Locale>,
}

impl I18n {
    pub fn locale(&self) -> Locale {
        self.locale.get()
    }

    /// A message as a reactive text in the current language. Every text made here shares this one
    /// closure type, so Leptos's view and signal code for it is in the wasm once, not once per
    /// call site as with `move || i18n.t(..)` (see `t!`).
    pub fn text(self, msg: Msg) -> Signal<String> {
        Signal::derive(move || translate(self.locale.get(), &msg).into_owned())
    }

    /// Translate in the current language; reactive when called inside a view closure.
    pub fn t(&self, msg: Msg) -> String {
        translate(self.locale.get(), &msg).into_owned()
    }

    /// Switch language, remember it for the next visit and tell assistive technology and the
    /// browser (`<html lang>`), so screen readers pronounce the text correctly.
    pub fn set_locale(&self, locale: Locale) -> Result<(), local_preferences::PreferenceError> {
        self.locale.set(locale);
        set_document_lang(locale);
        local_preferences::write(local_preferences::LOCALE_KEY, locale.tag())
    }
}

fn set_document_lang(locale: Locale) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        // Setting an attribute on <html> cannot fail for a valid name; nothing to recover if it did.
        if root.set_attribute("lang", locale.tag()).is_err() {
            crate::console_warn!("could not set <html lang>");
        }
    }
}

/// Provide the language context, starting from the language saved on this device (Vietnamese when
/// none is saved or the preference cannot be read).
pub fn provide_i18n() -> I18n {
    let saved = local_preferences::read(local_preferences::LOCALE_KEY)
        .ok()
        .flatten()
        .and_then(|tag| Locale::from_tag(&tag))
        .unwrap_or_default();
    set_document_lang(saved);
    let i18n = I18n {
        locale: RwSignal::new(saved),
    };
    provide_context(i18n);
    i18n
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// `t!(i18n, Key)` is a reactive text in the current language.
///
/// It is a `Signal<String>` rather than a closure on purpose: every closure is its own type, and
/// the view code Leptos generates for each one made up much of the wasm; one signal type renders
/// through one copy of that code. A message without data goes through [`I18n::text`], so its
/// closure is one type too; a message with data keeps its own closure, which reads the data
/// reactively.
#[macro_export]
macro_rules! t {
    ($i18n:expr, $key:ident) => {
        $i18n.text($crate::i18n::Msg::$key)
    };
    ($i18n:expr, $($msg:tt)+) => {{
        let i18n = $i18n;
        ::leptos::prelude::Signal::derive(move || i18n.t($crate::i18n::Msg::$($msg)+))
    }};
}
