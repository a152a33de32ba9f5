use leptos::prelude::*;

use crate::browser::install_prompt::{InstallState, UseInstallPromptReturn};
use crate::i18n::use_i18n;
use crate::t;

/// Installing the app: the browser's own dialog where it offers one, the Share steps on iOS,
/// otherwise a pointer to the browser's menu; each with why it is worth it (data kept longer).
/// Renders nothing without the install context (provided by `App`).
#[component]
pub fn InstallCard() -> impl IntoView {
    let i18n = use_i18n();
    let install = use_context::<UseInstallPromptReturn>();
    let prompt_failed = RwSignal::new(false);

    install.map(|install| {
        let state = install.state();
        let open_prompt = move |_| {
            let answer = install.prompt();
            leptos::task::spawn_local(async move {
                match answer.await {
                    // Accepted: the state turns to Installed; dismissed: the browser may offer
                    // again later, and the card points to its menu meanwhile.
                    Ok(_) => prompt_failed.set(false),
                    Err(err) => {
                        crate::console_warn!("install prompt: {err}");
                        prompt_failed.set(true);
                    }
                }
            });
        };
        let body = move || match state.get() {
            InstallState::Installed => view! {
                <p class="notice ok">{t!(i18n, InstallDone)}</p>
            }
            .into_any(),
            InstallState::Promptable => view! {
                <p class="hint">{t!(i18n, InstallBenefits)}</p>
                <button type="button" on:click=open_prompt>{t!(i18n, InstallAction)}</button>
            }
            .into_any(),
            InstallState::IosSafari => view! {
                <p class="hint">{t!(i18n, InstallBenefits)}</p>
                <p>{t!(i18n, InstallIosSteps)}</p>
                <p class="hint">{t!(i18n, InstallIosKeepsData)}</p>
            }
            .into_any(),
            InstallState::IosOtherBrowser => view! {
                <p class="hint">{t!(i18n, InstallBenefits)}</p>
                <p>{t!(i18n, InstallOpenInSafari)}</p>
                <p class="hint">{t!(i18n, InstallIosKeepsData)}</p>
            }
            .into_any(),
            InstallState::Unavailable => view! {
                <p class="hint">{t!(i18n, InstallBenefits)}</p>
                <p>{t!(i18n, InstallFromBrowserMenu)}</p>
            }
            .into_any(),
        };
        view! {
            <section class="card install-card" aria-labelledby="install-heading" data-testid="install-card">
                <h2 id="install-heading">{t!(i18n, InstallHeading)}</h2>
                {body}
                <Show when=move || prompt_failed.get()>
                    <p class="notice warning" role="status">{t!(i18n, InstallPromptFailed)}</p>
                </Show>
            </section>
        }
    })
}
