use leptos::prelude::*;
use leptos_router::components::A;

use super::{Icon, IconKind};
use crate::i18n::{use_i18n, Msg};
use crate::routes::Screen;

/// Bottom navigation, sized for thumbs. `<A>` marks the current screen with `aria-current`.
#[component]
pub fn BottomNav() -> impl IntoView {
    let i18n = use_i18n();
    let items = [
        (Screen::Home, IconKind::Home, Msg::NavHome),
        (
            Screen::Vaccinations,
            IconKind::Syringe,
            Msg::NavVaccinations,
        ),
        (Screen::Prescriptions, IconKind::Pill, Msg::NavPrescriptions),
        (Screen::CheckIn, IconKind::Qr, Msg::NavCheckIn),
        (Screen::Settings, IconKind::Gear, Msg::NavSettings),
    ];
    view! {
        <nav class="bottom-nav" aria-label=move || i18n.t(Msg::MainNavigation)>
            <ul>
                {items
                    .into_iter()
                    .map(|(screen, icon, label)| {
                        view! {
                            <li>
                                <A href=screen.path() exact=matches!(screen, Screen::Home)>
                                    <Icon kind=icon />
                                    <span class="nav-label">{move || i18n.t(label.clone())}</span>
                                </A>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
