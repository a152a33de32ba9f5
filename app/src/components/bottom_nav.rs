use leptos::prelude::*;
use leptos_router::components::A;

use super::{Icon, IconKind};
use crate::i18n::{use_i18n, Msg};
use crate::paths;

/// Bottom navigation, sized for thumbs. `<A>` marks the current screen with `aria-current`.
#[component]
pub fn BottomNav() -> impl IntoView {
    let i18n = use_i18n();
    let items = [
        (paths::HOME, IconKind::Home, Msg::NavHome),
        (paths::VACCINATIONS, IconKind::Syringe, Msg::NavVaccinations),
        (paths::PRESCRIPTIONS, IconKind::Pill, Msg::NavPrescriptions),
        (paths::CHECK_IN, IconKind::Qr, Msg::NavCheckIn),
        (paths::SETTINGS, IconKind::Gear, Msg::NavSettings),
    ];
    view! {
        <nav class="bottom-nav" aria-label=i18n.text(Msg::MainNavigation)>
            <ul>
                {items
                    .into_iter()
                    .map(|(path, icon, label)| {
                        view! {
                            <li>
                                <A href=path exact=path == paths::HOME>
                                    <Icon kind=icon />
                                    <span class="nav-label">{i18n.text(label.clone())}</span>
                                </A>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
