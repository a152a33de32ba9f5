//! Offline, install and updates, in headless Chromium: the pure rules (user agents, back-off, FHIR
//! server addresses), real reachability probes, and the install card and update banner mounted
//! with what a person sees after a tap. The service worker itself is tested end to end
//! (e2e/tests/offline.test.mjs): it needs the release build.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use health_book::sync::server_address::ServerAddress;
use leptos::prelude::*;
use leptos::task::tick;
use leptos_router::components::Router;
use so_suc_khoe::browser::install_prompt::{install_platform, use_install_prompt, InstallPlatform};
use so_suc_khoe::browser::reachability::{
    backoff_ms, use_reachability_with_options, ProbeError, ProbeTarget, Reachability,
    UseReachabilityOptions,
};
use so_suc_khoe::browser::service_worker::{
    RegistrationStatus, ServiceWorkerError, UseServiceWorkerReturn,
};
use so_suc_khoe::components::{InstallCard, UpdateBanner};
use so_suc_khoe::i18n::{provide_i18n, translate, Locale, Msg};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window()
        .expect("a browser window")
        .document()
        .expect("a document")
}

fn vi(msg: Msg) -> String {
    translate(Locale::Vi, &msg).into_owned()
}

fn mount_container() -> HtmlElement {
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    container
}

async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        sleep_ms(25).await;
    }
    panic!("timed out waiting until {what}");
}

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
fn user_agents_map_to_the_install_path_they_have() {
    let iphone_safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    let iphone_chrome = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1";
    let iphone_zalo = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Zalo iOS/24.06.01";
    let ipad_desktop_mode = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";
    let android_chrome = "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";

    assert_eq!(
        install_platform(iphone_safari, 5),
        InstallPlatform::IosSafari
    );
    assert_eq!(
        install_platform(iphone_chrome, 5),
        InstallPlatform::IosOtherBrowser
    );
    assert_eq!(
        install_platform(iphone_zalo, 5),
        InstallPlatform::IosOtherBrowser
    );
    // iPadOS asks for desktop sites with a Mac user agent; only touch tells it from a Mac.
    assert_eq!(
        install_platform(ipad_desktop_mode, 5),
        InstallPlatform::IosSafari
    );
    assert_eq!(
        install_platform(ipad_desktop_mode, 0),
        InstallPlatform::Other
    );
    assert_eq!(install_platform(android_chrome, 5), InstallPlatform::Other);
}

#[wasm_bindgen_test]
fn failed_probes_back_off_by_doubling_up_to_the_cap() {
    let delays: Vec<u32> = (1..=9).map(|n| backoff_ms(5_000, 300_000, n)).collect();
    assert_eq!(
        delays,
        [5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]
    );
    assert_eq!(backoff_ms(5_000, 300_000, u32::MAX), 300_000);
}

#[wasm_bindgen_test]
fn a_probe_target_is_the_fhir_server_s_metadata_or_the_app_s_own_file() {
    // The address rules themselves are tested natively (health_book::sync::server_address).
    let server = ServerAddress::parse(" http://127.0.0.1:8103/fhir/R4/ ").unwrap();
    assert_eq!(
        ProbeTarget::FhirServer(server).url(),
        "http://127.0.0.1:8103/fhir/R4/metadata"
    );
    assert_eq!(ProbeTarget::AppOrigin.url(), "/manifest.webmanifest?probe");
}

#[wasm_bindgen_test]
async fn a_probe_tells_a_server_that_answers_from_one_that_does_not() {
    let states = Rc::new(Cell::new(None));
    let container = mount_container();
    let mounted = leptos::mount::mount_to(container.clone(), {
        let states = states.clone();
        move || {
            let origin = web_sys::window().unwrap().location().origin().unwrap();
            // The test runner's own server answers (a 404 still means "there").
            let here = use_reachability_with_options(UseReachabilityOptions {
                target: Signal::stored(ProbeTarget::FhirServer(
                    ServerAddress::parse(&origin).unwrap(),
                )),
                ..Default::default()
            });
            // Port 9 (discard) is closed on the test machine: the connection is refused.
            let closed = use_reachability_with_options(UseReachabilityOptions {
                target: Signal::stored(ProbeTarget::FhirServer(
                    ServerAddress::parse("http://127.0.0.1:9").unwrap(),
                )),
                ..Default::default()
            });
            states.set(Some((here.state, closed.state)));
        }
    });
    let (here, closed) = states.get().expect("mounted");
    assert_eq!(here.get_untracked(), Reachability::Checking);
    wait_until("both probes answered", || {
        here.get_untracked() != Reachability::Checking
            && closed.get_untracked() != Reachability::Checking
    })
    .await;
    assert_eq!(here.get_untracked(), Reachability::Reachable);
    assert_eq!(
        closed.get_untracked(),
        Reachability::Unreachable(ProbeError::Network)
    );
    // Unmounting removes the listeners and stops the timers.
    drop(mounted);
    container.remove();
}

#[wasm_bindgen_test]
async fn the_install_card_opens_the_prompt_the_browser_offered() {
    let container = mount_container();
    let _mounted = leptos::mount::mount_to(container.clone(), || {
        provide_i18n();
        provide_context(use_install_prompt());
        view! { <InstallCard /> }
    });
    tick().await;
    let heading = container.query_selector("h2").unwrap().expect("a heading");
    assert_eq!(
        heading.text_content().unwrap_or_default(),
        vi(Msg::InstallHeading)
    );
    assert!(
        container.query_selector("button").unwrap().is_none(),
        "no button before the offer"
    );

    // What Chromium fires when the app is installable: an event with prompt() and userChoice.
    let offer: js_sys::Function = js_sys::Function::new_no_args(
        "const event = new Event('beforeinstallprompt', { cancelable: true });
         window.promptCalls = 0;
         event.prompt = () => { window.promptCalls += 1; return Promise.resolve({ outcome: 'accepted' }); };
         event.userChoice = Promise.resolve({ outcome: 'accepted', platform: 'web' });
         return window.dispatchEvent(event);",
    );
    let not_cancelled = offer.call0(&JsValue::NULL).unwrap();
    assert_eq!(
        not_cancelled.as_bool(),
        Some(false),
        "the app keeps the event (preventDefault)"
    );
    tick().await;
    let button: HtmlElement = container
        .query_selector("button")
        .unwrap()
        .expect("an install button once the browser offers")
        .unchecked_into();
    assert_eq!(
        button.text_content().unwrap_or_default(),
        vi(Msg::InstallAction)
    );

    button.click();
    let done = vi(Msg::InstallDone);
    wait_until("the card says the app is installed", || {
        container.text_content().unwrap_or_default().contains(&done)
    })
    .await;
    let calls = js_sys::Reflect::get(
        &web_sys::window().unwrap(),
        &JsValue::from_str("promptCalls"),
    )
    .unwrap();
    assert_eq!(calls.as_f64(), Some(1.0));
    container.remove();
}

/// A service worker state with a new version waiting, whose `apply_update` counts calls.
fn waiting_update(applied: Arc<AtomicUsize>) -> UseServiceWorkerReturn {
    UseServiceWorkerReturn {
        registration: Signal::stored(RegistrationStatus::Registered),
        controlled: Signal::stored(true),
        update_ready: Signal::stored(true),
        last_error: Signal::stored(None::<ServiceWorkerError>),
        apply_update: Arc::new(move || {
            applied.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }),
        check_for_update: Arc::new(|| {}),
    }
}

/// The banner inside a router (it reads the current address), with the given worker state.
fn mount_update_banner(
    service_worker: UseServiceWorkerReturn,
) -> (HtmlElement, leptos::mount::UnmountHandle<impl Mountable>) {
    let container = mount_container();
    let mounted = leptos::mount::mount_to(container.clone(), move || {
        provide_i18n();
        provide_context(service_worker);
        view! { <Router><UpdateBanner /></Router> }
    });
    (container, mounted)
}

#[wasm_bindgen_test]
async fn the_update_banner_applies_the_update_only_on_a_tap_and_never_over_the_qr() {
    let history = web_sys::window().unwrap().history().unwrap();
    let start = web_sys::window().unwrap().location().href().unwrap();
    let applied = Arc::new(AtomicUsize::new(0));

    // On the check-in screen the banner stays away (it would cover the QR).
    history
        .replace_state_with_url(&JsValue::NULL, "", Some("/check-in"))
        .unwrap();
    let (container, mounted) = mount_update_banner(waiting_update(applied.clone()));
    tick().await;
    assert!(container
        .query_selector("[data-testid=update-banner]")
        .unwrap()
        .is_none());
    drop(mounted);
    container.remove();

    // Elsewhere it shows, and nothing happens until the tap.
    history
        .replace_state_with_url(&JsValue::NULL, "", Some("/"))
        .unwrap();
    let (container, _mounted) = mount_update_banner(waiting_update(applied.clone()));
    tick().await;
    let banner = container
        .query_selector("[data-testid=update-banner]")
        .unwrap()
        .expect("the banner on the home screen");
    assert!(banner
        .text_content()
        .unwrap_or_default()
        .contains(&vi(Msg::UpdateReady)));
    assert_eq!(applied.load(Ordering::SeqCst), 0);

    let button: HtmlElement = banner
        .query_selector("button")
        .unwrap()
        .expect("a reload button")
        .unchecked_into();
    assert_eq!(button.text_content().unwrap_or_default(), vi(Msg::Reload));
    button.click();
    tick().await;
    assert_eq!(applied.load(Ordering::SeqCst), 1);
    assert!(banner
        .text_content()
        .unwrap_or_default()
        .contains(&vi(Msg::UpdateApplying)));

    history
        .replace_state_with_url(&JsValue::NULL, "", Some(&start))
        .unwrap();
    container.remove();
}
