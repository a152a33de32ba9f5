//! Settings: language, text size, check-in code layout, data kept on the device, backup, the
//! health data server, install, and removing everything from the device.

mod backup;
pub(crate) mod device;
mod language;
mod storage_card;
mod sync_server;
mod text_size;
mod wipe_card;
// Audit log (issue 15)
mod audit_card;

use leptos::prelude::*;

use crate::components::InstallCard;
use crate::i18n::use_i18n;
use crate::t;

#[component]
pub fn Settings() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1 class="screen-title">{t!(i18n, SettingsTitle)}</h1>
        <language::LanguageCard />
        <text_size::TextSizeCard />
        <device::DeviceLockCard />
        <storage_card::StorageCard />
        <backup::BackupCard />
        <sync_server::SyncServerCard />
        <InstallCard />
        <wipe_card::WipeCard />
        <audit_card::AuditCard />
    }
}
