//! Mounted Leptos components in headless Chromium: what a person sees after a click.

use leptos::task::tick;
use so_suc_khoe::i18n::{translate, Locale, Msg};
use so_suc_khoe::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window()
        .expect("a browser window")
        .document()
        .expect("a document")
}

fn text_of(selector: &str) -> String {
    document()
        .query_selector(selector)
        .expect("a valid selector")
        .unwrap_or_else(|| panic!("{selector} is on the page"))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn choosing_english_in_settings_translates_the_screen_and_is_remembered() {
    let window = web_sys::window().unwrap();
    let storage = window.local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    // The whole app, at the Settings address (the router reads the location when it mounts).
    window
        .history()
        .unwrap()
        .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/settings"))
        .unwrap();

    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    // The test wasm is not split: every later screen comes from this module.
    let _mounted = leptos::mount::mount_to(container.clone(), || {
        so_suc_khoe::routes::provide_later_screens(
            so_suc_khoe::routes::LaterScreens::in_this_module(),
        );
        leptos::prelude::view! { <App /> }
    });
    // Settings is a later screen: shown once its (here immediate) load has resolved.
    for _ in 0..50 {
        if document().query_selector("main h1").unwrap().is_some() {
            break;
        }
        tick().await;
    }
    assert_eq!(
        text_of("main h1"),
        translate(Locale::Vi, &Msg::SettingsTitle)
    );

    let english: HtmlInputElement = document()
        .query_selector("input[type=radio][value=en]")
        .unwrap()
        .expect("an English option")
        .unchecked_into();
    assert!(!english.checked());
    english.click();
    tick().await;

    assert_eq!(text_of("main h1"), "Settings");
    assert_eq!(
        text_of(".bottom-nav a[aria-current=page] .nav-label"),
        "Settings"
    );
    assert_eq!(text_of("#language-heading"), "Language");
    assert_eq!(
        document()
            .document_element()
            .unwrap()
            .get_attribute("lang")
            .as_deref(),
        Some("en")
    );
    assert_eq!(
        storage.get_item("ssk.locale").unwrap().as_deref(),
        Some("en")
    );
    container.remove();
}

#[wasm_bindgen_test]
fn translations_differ_where_the_languages_do() {
    // A cheap guard against an English string pasted into the Vietnamese table.
    for msg in [
        Msg::NavHome,
        Msg::NoBookTitle,
        Msg::SettingsTitle,
        Msg::Loading,
    ] {
        assert_ne!(
            translate(Locale::Vi, &msg),
            translate(Locale::En, &msg),
            "{msg:?}"
        );
        assert!(!translate(Locale::Vi, &msg).is_empty());
    }
}

// ---- Shared devices: whose book is open (issue 14) ----------------------------------------------

#[wasm_bindgen_test]
async fn the_open_book_banner_names_the_person_in_their_colour_and_follows_the_open_book() {
    use health_book::views::book_identity::{BookIdentity, IdentityColour};
    use leptos::prelude::*;
    use so_suc_khoe::components::OpenBookBanner;

    let person = |name: &str, birth_year, id: &str| BookIdentity {
        full_name: name.to_owned(),
        birth_year,
        colour: IdentityColour::for_citizen(&health_book::CitizenId::parse(id).unwrap()),
    };
    // Two people whose colours differ (pinned in the core's tests: hues 11 and 3).
    let first = person("Nguyễn Văn An", 1990, "001090123456");
    let second = person("Trần Thị Bình", 1985, "079185000001");
    let identity = RwSignal::new(Some(first.clone()));

    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let _mounted = leptos::mount::mount_to(container.clone(), move || {
        so_suc_khoe::i18n::provide_i18n();
        view! { <OpenBookBanner identity=identity /> }
    });
    tick().await;

    let banner = || container.query_selector("[data-testid=open-book]").unwrap();
    let shown = banner().expect("a banner while a book is open");
    assert_eq!(shown.get_attribute("role").as_deref(), Some("group"));
    assert_eq!(
        shown.get_attribute("aria-label"),
        Some(
            translate(
                Locale::Vi,
                &Msg::OpenBookAccessibleName {
                    name: first.full_name.clone(),
                    birth_year: 1990
                }
            )
            .into_owned()
        )
    );
    assert_eq!(
        shown.get_attribute("data-hue"),
        Some(first.colour.hue_index.to_string())
    );
    let text = shown.text_content().unwrap_or_default();
    assert!(
        text.contains("Nguyễn Văn An") && text.contains("1990"),
        "{text}"
    );
    let style: HtmlElement = shown.unchecked_into();
    let background = style
        .style()
        .get_property_value("background-color")
        .unwrap();
    assert_ne!(background, "", "the person's colour is set");

    identity.set(Some(second.clone()));
    tick().await;
    let changed: HtmlElement = banner().expect("a banner").unchecked_into();
    assert_eq!(
        changed.get_attribute("data-hue"),
        Some(second.colour.hue_index.to_string())
    );
    assert_ne!(
        changed
            .style()
            .get_property_value("background-color")
            .unwrap(),
        background
    );

    identity.set(None);
    tick().await;
    assert!(banner().is_none(), "no banner once the book is closed");
    container.remove();
}

// ---- later screens (issue 17): fetched on first use, a failure shown with a retry ----

/// Attempts left to fail before the flaky screen below loads.
static FAILS_LEFT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// A later screen whose module "cannot be fetched" while `FAILS_LEFT` is above zero.
fn flaky_screen() -> so_suc_khoe::routes::ScreenFuture {
    use std::sync::atomic::Ordering;
    Box::pin(async {
        if FAILS_LEFT.load(Ordering::SeqCst) > 0 {
            FAILS_LEFT.fetch_sub(1, Ordering::SeqCst);
            Err(so_suc_khoe::routes::ScreenNotLoaded::Fetch)
        } else {
            Ok(flaky_view as so_suc_khoe::routes::ScreenView)
        }
    })
}

fn flaky_view() -> leptos::prelude::AnyView {
    use leptos::prelude::*;
    view! { <h1 class="flaky">"flaky screen"</h1> }.into_any()
}

fn mount_later_screen(screens: Option<so_suc_khoe::routes::LaterScreens>) -> HtmlElement {
    use leptos::prelude::*;
    use so_suc_khoe::routes::{provide_later_screens, LaterScreen};
    // In Vietnamese, whatever language an earlier test chose and remembered.
    let window = web_sys::window().unwrap();
    window.local_storage().unwrap().unwrap().clear().unwrap();
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let mounted = leptos::mount::mount_to(container.clone(), move || {
        so_suc_khoe::i18n::provide_i18n();
        if let Some(screens) = screens {
            provide_later_screens(screens);
        }
        view! { <LaterScreen pick=|s| s.settings /> }
    });
    mounted.forget();
    container
}

#[wasm_bindgen_test]
async fn a_later_screen_that_cannot_be_fetched_says_so_and_try_again_loads_it() {
    use std::sync::atomic::Ordering;
    FAILS_LEFT.store(2, Ordering::SeqCst);
    let screens = so_suc_khoe::routes::LaterScreens {
        settings: flaky_screen,
        ..so_suc_khoe::routes::LaterScreens::in_this_module()
    };
    let container = mount_later_screen(Some(screens));
    tick().await;
    tick().await;
    let notice = || {
        container
            .query_selector("[data-testid=screen-not-loaded]")
            .unwrap()
    };
    let shown = notice().expect("the failure is shown");
    assert_eq!(shown.get_attribute("role").as_deref(), Some("alert"));
    assert!(shown
        .text_content()
        .unwrap_or_default()
        .contains(translate(Locale::Vi, &Msg::ScreenNotLoaded).as_ref()));
    assert!(container.query_selector("h1.flaky").unwrap().is_none());

    let try_again = || -> HtmlElement {
        notice()
            .expect("the failure is shown")
            .query_selector("button")
            .unwrap()
            .expect("a try-again button")
            .unchecked_into()
    };
    // Still failing: the notice stays, and asks again.
    try_again().click();
    tick().await;
    tick().await;
    assert!(notice().is_some(), "the second failure is shown too");
    assert_eq!(
        FAILS_LEFT.load(Ordering::SeqCst),
        0,
        "each press tried once more"
    );

    try_again().click();
    tick().await;
    tick().await;
    assert!(
        notice().is_none(),
        "the notice is gone once the screen loads"
    );
    assert_eq!(
        container
            .query_selector("h1.flaky")
            .unwrap()
            .and_then(|h| h.text_content()),
        Some("flaky screen".to_owned())
    );
    container.remove();
}

#[wasm_bindgen_test]
async fn a_later_screen_without_the_later_screens_is_an_error_not_a_fallback() {
    let container = mount_later_screen(None);
    tick().await;
    tick().await;
    assert!(
        container
            .query_selector("[data-testid=screen-not-loaded]")
            .unwrap()
            .is_some(),
        "an app started without its later screens says the screen is not loaded"
    );
    assert!(container.query_selector("h1").unwrap().is_none());
    container.remove();
}
