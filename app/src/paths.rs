//! Every address the app links to, in one leaf module: screens and components import only this
//! (never `routes`, which imports the screens), so links cannot drift from the route table and
//! no import cycle runs through the router. Produced URLs are what e2e tests and deep links use:
//! change none of them without changing those.

use health_book::{AddressKey, RecordId};
use leptos_router::location::Url;

pub const HOME: &str = "/";
pub const VACCINATIONS: &str = "/vaccinations";
pub const PRESCRIPTIONS: &str = "/prescriptions";
pub const ACTIVE_MEDICINES: &str = "/prescriptions/active";
pub const CHECK_IN: &str = "/check-in";
pub const SETTINGS: &str = "/settings";
/// The sync server section of Settings, for links that send the person there to add one.
pub const SETTINGS_SYNC_SERVER: &str = "/settings#sync-server-heading";
/// The element id `SETTINGS_SYNC_SERVER` points at.
pub const SYNC_SERVER_HEADING_ID: &str = "sync-server-heading";
/// The device-lock section of Settings (choosing the mode, setting a secret).
pub const SETTINGS_DEVICE_LOCK: &str = "/settings#device-lock-heading";
pub const DEVICE_LOCK_HEADING_ID: &str = "device-lock-heading";
pub const BOOKS: &str = "/books";
pub const BOOKS_IMPORT: &str = "/books/import";
pub const BOOKS_SYNC: &str = "/books/sync";
pub const BOOKS_SCAN: &str = "/books/scan";
// Care plan (issue 19)
pub const COMING_UP: &str = "/coming-up";
pub const MEDICINE_PLAN: &str = "/today";
pub const PAPER_TWIN: &str = "/paper";
// Records typed in on the device (issue 15)
pub const ENTRY_VACCINATION: &str = "/entry/vaccination";
pub const ENTRY_PRESCRIPTION: &str = "/entry/prescription";

/// Record IDs come from servers and files: escaped before they become part of a path. `search`
/// (the router's `location.search`, which has no `?`) keeps the list's view (`view=disease`)
/// beside the record on a tablet, and for the record's Back link.
pub fn vaccination(id: &RecordId, search: &str) -> String {
    let escaped: String = js_sys::encode_uri_component(id.as_str()).into();
    format!("{VACCINATIONS}/{escaped}{}", query(search))
}

/// The vaccination list in the view `search` names.
pub fn vaccinations_in(search: &str) -> String {
    format!("{VACCINATIONS}{}", query(search))
}

/// `location.search` as the end of an address: with its `?`, or nothing.
fn query(search: &str) -> String {
    match search.trim_start_matches('?') {
        "" => String::new(),
        search => format!("?{search}"),
    }
}

/// Address of one prescription; `query` (with its `?`, or empty) is carried along so the
/// detail's Back link returns to the list the person came from.
pub fn prescription(id: &RecordId, query: &str) -> String {
    format!("{PRESCRIPTIONS}/{}{query}", Url::escape(id.as_str()))
}

/// One book of this device beside the book list. By its address key, never its citizen ID: the
/// address stays in the browser's history (an address key needs no escaping: `a-z`, `2-7`).
pub fn book(key: &AddressKey) -> String {
    format!("{BOOKS}/{key}")
}

/// The form correcting a vaccination typed in on this device.
pub fn entry_vaccination(id: &RecordId) -> String {
    let escaped: String = js_sys::encode_uri_component(id.as_str()).into();
    format!("{ENTRY_VACCINATION}/{escaped}")
}

/// The form correcting a prescription typed in on this device.
pub fn entry_prescription(id: &RecordId) -> String {
    let escaped: String = js_sys::encode_uri_component(id.as_str()).into();
    format!("{ENTRY_PRESCRIPTION}/{escaped}")
}
