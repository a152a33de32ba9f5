//! The browser console, the one way the app writes diagnostics.
//!
//! Everything written passes through [`health_book::redact::redact_personal`] first: error texts
//! carry stored keys (citizen IDs) and rejected values (names, birth dates), and the console of a
//! shared tablet is open to anyone. Use [`console_warn!`](crate::console_warn) and
//! [`console_log!`](crate::console_log); `e2e/tests/source-rules.test.mjs` fails on any other
//! console output in `app/src`, and on a personal field named in a diagnostic.

use health_book::redact::redact_personal;
use wasm_bindgen::JsValue;

/// `console.warn` of the redacted message.
pub fn warn(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(&redact_personal(message)));
}

/// `console.log` of the redacted message.
pub fn log(message: &str) {
    web_sys::console::log_1(&JsValue::from_str(&redact_personal(message)));
}

/// Reports panics on the console, redacted like everything else: a panic message can quote the
/// value that caused it. An `Error` object is logged, so the console still shows the stack.
pub fn redact_panics() {
    std::panic::set_hook(Box::new(|info| {
        let error = js_sys::Error::new(&redact_personal(&info.to_string()));
        web_sys::console::error_1(&error);
    }));
}

/// Writes a formatted warning to the console, with personal values taken out.
#[macro_export]
macro_rules! console_warn {
    ($($arg:tt)*) => {
        $crate::browser::console::warn(&::std::format!($($arg)*))
    };
}

/// Writes a formatted message to the console, with personal values taken out.
#[macro_export]
macro_rules! console_log {
    ($($arg:tt)*) => {
        $crate::browser::console::log(&::std::format!($($arg)*))
    };
}
