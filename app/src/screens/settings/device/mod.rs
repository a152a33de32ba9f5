//! Settings, "Device and lock": the first secret (and the choice of mode), then, while
//! unlocked, the idle time, the secret, the staff of a shared device, and the switch of a
//! personal device to shared.

mod change_secret;
mod idle_time;
mod new_staff_fields;
pub(crate) mod set_up;
mod staff;
mod switch_to_shared;
mod turn_off;

use health_book::device::DeviceMode;
use leptos::prelude::*;

use crate::context::{use_vault, VaultState};
use crate::i18n::use_i18n;
use crate::paths;
use crate::t;

#[component]
pub fn DeviceLockCard() -> impl IntoView {
    let i18n = use_i18n();
    let vault = use_vault();
    let kind = Memo::new(move |_| match vault.state() {
        VaultState::Plain => Some(false),
        VaultState::Unlocked { .. } => Some(true),
        VaultState::Opening
        | VaultState::Locked(_)
        | VaultState::FirstRun
        | VaultState::Interrupted(_) => None,
    });
    view! {
        <section class="card" aria-labelledby="device-lock-heading" data-testid="device-lock-card">
            <h2 id=paths::DEVICE_LOCK_HEADING_ID>{t!(i18n, VaultDeviceSection)}</h2>
            {move || match kind.get() {
                Some(false) => view! { <set_up::SetUpSecret /> }.into_any(),
                Some(true) => view! {
                    <idle_time::IdleTime />
                    <change_secret::ChangeSecret />
                    <Show
                        when=move || vault.mode() == Some(DeviceMode::Shared)
                        fallback=|| view! { <switch_to_shared::SwitchToShared /> }
                    >
                        <staff::StaffList />
                    </Show>
                    <Show when=move || vault.mode() == Some(DeviceMode::Personal)>
                        <turn_off::TurnOff />
                    </Show>
                }
                .into_any(),
                None => ().into_any(),
            }}
        </section>
    }
}
