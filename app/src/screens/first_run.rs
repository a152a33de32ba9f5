//! First run on a fresh device: how it is used, before anything else. A personal phone goes
//! on at once (a PIN can be set later in Settings); a shared device sets up its first staff
//! member right here, so it is encrypted from its first patient on.

use health_book::device::DeviceMode;
use leptos::prelude::*;

use crate::components::run_vault_action;
use crate::context::use_vault;
use crate::i18n::{use_i18n, Msg};
use crate::screens::settings::device::set_up::SetUpSecret;
use crate::t;

#[component]
pub fn FirstRunScreen() -> impl IntoView {
    let i18n = use_i18n();
    let vault = use_vault();
    let mode = RwSignal::new(None::<DeviceMode>);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<Msg>);
    let personal =
        move |_| run_vault_action(busy, problem, async move { vault.choose_personal().await });
    let choice = move |value: DeviceMode, label: Msg, hint: Msg, testid: &'static str| {
        view! {
            <label class="choice">
                <input
                    type="radio"
                    name="first-run-mode"
                    data-testid=testid
                    prop:checked=move || mode.get() == Some(value)
                    on:change=move |_| mode.set(Some(value))
                />
                <span>{i18n.t(label)}</span>
                <span class="hint">{i18n.t(hint)}</span>
            </label>
        }
    };
    view! {
        <main id="main" class="first-run-screen" data-testid="first-run">
            <h1 class="screen-title">{t!(i18n, FirstRunTitle)}</h1>
            <fieldset>
                <legend>{t!(i18n, FirstRunExplain)}</legend>
                {choice(DeviceMode::Personal, Msg::FirstRunPersonal, Msg::FirstRunPersonalHint, "first-run-personal")}
                {choice(DeviceMode::Shared, Msg::FirstRunShared, Msg::FirstRunSharedHint, "first-run-shared")}
            </fieldset>
            {move || match mode.get() {
                Some(DeviceMode::Personal) => view! {
                    <button type="button" on:click=personal disabled=move || busy.get() data-testid="first-run-continue">
                        {t!(i18n, FirstRunContinue)}
                    </button>
                }
                .into_any(),
                Some(DeviceMode::Shared) => view! { <SetUpSecret only=DeviceMode::Shared /> }.into_any(),
                None => ().into_any(),
            }}
            {move || problem.get().map(|msg| view! { <p role="alert">{i18n.t(msg)}</p> })}
        </main>
    }
}
