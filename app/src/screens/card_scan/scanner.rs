use health_book::views::card_scan::{read_scan, ScanOutcome};
use leptos::html::Video;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use super::card_form::CardProfileForm;
use super::new_person::NewPersonOffer;
use crate::browser::camera::{use_camera, Facing, UseCameraOptions};
use crate::browser::qr_reader::{use_frame_reader, QrDecoder};
use crate::components::StorageErrorNotice;
use crate::context::use_open_book;
use crate::i18n::errors::{camera_error_msg, card_parse_error_msg, qr_read_error_msg};
use crate::i18n::{use_i18n, Msg};
use crate::paths;
use crate::storage::StorageError;
use crate::t;

/// The scan screen: a viewfinder while no card has been read, the decision once one has.
#[component]
pub fn CardScan() -> impl IntoView {
    let i18n = use_i18n();
    let open = use_open_book();
    let navigate = use_navigate();
    let video = NodeRef::<Video>::new();
    // The last text a code gave (camera or photo); what it means is derived below.
    let read = RwSignal::new(None::<String>);
    let photo_problem = RwSignal::new(None::<Msg>);
    let storage_error = RwSignal::new(None::<StorageError>);
    let creating = RwSignal::new(false);

    // `None` until a code is read and the books on the device are known: a card is never taken
    // for a new person only because the list has not loaded yet.
    let outcome = Memo::new(move |_| {
        let text = read.get()?;
        let books = open.books().get()?.ok()?;
        Some(read_scan(&text, &books))
    });
    let scanning = Signal::derive(move || outcome.get().is_none_or(|o| o.keeps_scanning()));

    let camera = use_camera(UseCameraOptions {
        video,
        active: scanning,
        facing: Facing::Environment,
    });
    let decoder = QrDecoder::new();
    let decoder_kind = decoder.kind().as_str();
    use_frame_reader(
        decoder.clone(),
        video,
        Signal::derive(move || scanning.get() && camera.is_streaming.get()),
        // A frame decoded just as a card was read (or the screen left) is dropped: it must not
        // replace the card's outcome with whatever the camera saw next.
        move |text| {
            if scanning.try_get_untracked().unwrap_or(false) {
                read.try_set(Some(text));
            }
        },
    );

    Effect::new(move |_| {
        if let Some(ScanOutcome::OpenBook { citizen_id }) = outcome.get() {
            let navigate = navigate.clone();
            leptos::task::spawn_local(async move {
                match open.open(citizen_id).await {
                    Ok(()) => navigate(paths::HOME, Default::default()),
                    Err(error) => {
                        storage_error.try_set(Some(error));
                    }
                }
            });
        }
    });

    let on_photo = move |ev: web_sys::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        // The same photo can be chosen again after a retake.
        input.set_value("");
        photo_problem.set(None);
        let decoder = decoder.clone();
        leptos::task::spawn_local(async move {
            match decoder.read_file(&file).await {
                Ok(texts) => match texts.into_iter().next() {
                    Some(text) => {
                        read.try_set(Some(text));
                    }
                    None => {
                        photo_problem.try_set(Some(Msg::ScanNoCodeInPhoto));
                    }
                },
                Err(e) => {
                    photo_problem.try_set(Some(qr_read_error_msg(&e)));
                }
            }
        });
    };

    let scan_again = Callback::new(move |()| {
        creating.set(false);
        read.set(None);
    });

    view! {
        <p class="no-print"><A href=paths::BOOKS>{t!(i18n, Back)}</A></p>
        <h1 class="screen-title">{t!(i18n, ScanTitle)}</h1>
        {move || storage_error.get().map(|error| view! { <StorageErrorNotice error /> })}
        <section class="card card-scan" data-testid="card-scan" data-decoder=decoder_kind hidden=move || !scanning.get()>
            <div class="viewfinder" hidden=move || !camera.is_streaming.get()>
                <video
                    node_ref=video
                    data-testid="viewfinder"
                    autoplay
                    muted
                    playsinline
                    aria-label=i18n.text(Msg::ScanHint)
                ></video>
                <div class="viewfinder-frame" aria-hidden="true"></div>
            </div>
            <Show when=move || camera.is_streaming.get()>
                <p class="hint">{t!(i18n, ScanHint)}</p>
            </Show>
            <Show when=move || camera.torch_supported.get()>
                <button
                    type="button"
                    class="secondary"
                    aria-pressed=move || camera.torch_on.get().to_string()
                    on:click=move |_| camera.toggle_torch()
                >
                    {move || i18n.t(if camera.torch_on.get() { Msg::ScanTorchOff } else { Msg::ScanTorchOn })}
                </button>
            </Show>
            {move || camera.error.get().map(|error| view! {
                <p class="notice error" role="alert" data-testid="camera-error">{i18n.text(camera_error_msg(&error))}</p>
            })}
            {move || {
                let refusal = match outcome.get() {
                    Some(ScanOutcome::NotACard) => Msg::ScanNotACard,
                    Some(ScanOutcome::Invalid(error)) => card_parse_error_msg(&error),
                    _ => return None,
                };
                let still = camera.is_streaming.get();
                Some(view! {
                    <p class="notice warning" role="status" data-testid="scan-refused">
                        {i18n.text(refusal.clone())}
                        <Show when=move || still>" " {t!(i18n, ScanStillScanning)}</Show>
                    </p>
                })
            }}
            <label class="button secondary photo-route">
                {t!(i18n, ScanChoosePhoto)}
                <input
                    type="file"
                    accept="image/*"
                    capture="environment"
                    class="visually-hidden"
                    data-testid="scan-photo"
                    on:change=on_photo
                />
            </label>
            <p class="muted">{t!(i18n, ScanPhotoHint)}</p>
            {move || photo_problem.get().map(|msg| view! {
                <p class="notice error" role="alert" data-testid="photo-error">{i18n.text(msg.clone())}</p>
            })}
        </section>
        {move || match outcome.get() {
            Some(ScanOutcome::OpenBook { .. }) => view! {
                <p role="status" class="loading">{t!(i18n, ScanOpening)}</p>
            }
                .into_any(),
            Some(ScanOutcome::NewPerson { citizen_id, draft, warnings }) => view! {
                <NewPersonOffer
                    citizen_id
                    name=draft.full_name.clone()
                    warnings
                    on_create=Callback::new(move |()| creating.set(true))
                    on_again=scan_again
                />
                <Show when=move || creating.get()>
                    <CardProfileForm draft=draft.clone() />
                </Show>
            }
                .into_any(),
            _ => ().into_any(),
        }}
    }
}
