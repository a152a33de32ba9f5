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
    let _mounted = leptos::mount::mount_to(container.clone(), App);
    tick().await;
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
