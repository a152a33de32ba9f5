use leptos::prelude::*;

use crate::browser::local_preferences::{self, PreferenceError};

/// Display preferences of this device: large text for elderly users, and which check-in QR layout
/// to show. Read before the first paint (see `local_preferences`).
#[derive(Clone, Copy)]
pub struct Preferences {
    large_text: RwSignal<bool>,
    minimal_check_in: RwSignal<bool>,
}

impl Preferences {
    pub fn large_text(&self) -> bool {
        self.large_text.get()
    }

    pub fn set_large_text(&self, on: bool) -> Result<(), PreferenceError> {
        self.large_text.set(on);
        apply_text_size(on);
        local_preferences::write(
            local_preferences::LARGE_TEXT_KEY,
            if on { "1" } else { "0" },
        )
    }

    /// Whether the check-in QR leaves the address out (privacy), instead of the full chip-card
    /// layout that reception software expects.
    pub fn minimal_check_in(&self) -> bool {
        self.minimal_check_in.get()
    }

    pub fn set_minimal_check_in(&self, on: bool) -> Result<(), PreferenceError> {
        self.minimal_check_in.set(on);
        local_preferences::write(
            local_preferences::MINIMAL_CHECK_IN_KEY,
            if on { "1" } else { "0" },
        )
    }
}

/// Large text scales the root font size, so every rem-sized thing grows with it.
fn apply_text_size(large: bool) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let result = if large {
            root.class_list().add_1("large-text")
        } else {
            root.class_list().remove_1("large-text")
        };
        if result.is_err() {
            crate::console_warn!("could not change the text size class");
        }
    }
}

fn saved_flag(key: &str) -> bool {
    // An unreadable preference means the default display, which is always usable.
    matches!(local_preferences::read(key), Ok(Some(v)) if v == "1")
}

pub fn provide_preferences() -> Preferences {
    let large = saved_flag(local_preferences::LARGE_TEXT_KEY);
    apply_text_size(large);
    let prefs = Preferences {
        large_text: RwSignal::new(large),
        minimal_check_in: RwSignal::new(saved_flag(local_preferences::MINIMAL_CHECK_IN_KEY)),
    };
    provide_context(prefs);
    prefs
}

pub fn use_preferences() -> Preferences {
    expect_context::<Preferences>()
}
