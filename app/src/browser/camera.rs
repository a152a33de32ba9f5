//! The camera, for reading the chip card's QR: the rear camera where there is one
//! (`facingMode: environment`, asked as an ideal so a laptop's only camera still opens), shown
//! in a `<video>`, with the torch where the track offers it (`getCapabilities().torch`).
//!
//! Feature-detected: `navigator.mediaDevices.getUserMedia` is missing on insecure origins and
//! old browsers. The tracks are stopped (the camera light goes off) as soon as `active` turns
//! false, the page is hidden (`visibilitychange`), or the calling component is cleaned up; a
//! stream that arrives after any of these is stopped on arrival. The one listener is owned and
//! removed on cleanup, so mounting the screen again leaks nothing.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use leptos::html::Video;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use thiserror::Error;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::callbacks::EventListener;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CameraError {
    /// No `getUserMedia` here (old browser, or a page not served over HTTPS).
    #[error("this browser gives no access to a camera")]
    Unsupported,
    /// The person (or a site setting, or a policy) said no.
    #[error("camera permission was denied")]
    Denied,
    /// The device has no camera.
    #[error("no camera was found")]
    NoCamera,
    /// Another app holds the camera, or the hardware failed to start.
    #[error("the camera could not be started")]
    Busy,
    #[error("the camera failed: {0}")]
    Failed(String),
}

/// Which way the camera should face.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Facing {
    /// The rear camera: the card is held in front of the phone or tablet.
    #[default]
    Environment,
    User,
}

impl Facing {
    fn as_str(self) -> &'static str {
        match self {
            Facing::Environment => "environment",
            Facing::User => "user",
        }
    }
}

pub struct UseCameraOptions {
    /// Where the picture is shown (and frames are read from).
    pub video: NodeRef<Video>,
    /// The camera runs while this is true (and the page is visible).
    pub active: Signal<bool>,
    pub facing: Facing,
}

/// What a screen gets from [`use_camera`].
#[derive(Clone, Copy)]
pub struct UseCamera {
    pub is_supported: bool,
    /// A picture is coming from the camera right now.
    pub is_streaming: Signal<bool>,
    /// Why there is no picture, if the camera was asked for and refused.
    pub error: Signal<Option<CameraError>>,
    /// The running track can switch a torch on (phones with a flash, on Chrome for Android).
    pub torch_supported: Signal<bool>,
    pub torch_on: Signal<bool>,
    toggle: Callback<()>,
}

impl UseCamera {
    /// Switch the torch on or off (nothing happens where it is not supported).
    pub fn toggle_torch(&self) {
        self.toggle.run(());
    }
}

fn get_user_media() -> Option<(JsValue, Function)> {
    let devices = Reflect::get(
        &web_sys::window()?.navigator(),
        &JsValue::from_str("mediaDevices"),
    )
    .ok()
    .filter(|d| d.is_object())?;
    let function = Reflect::get(&devices, &JsValue::from_str("getUserMedia"))
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    Some((devices, function))
}

/// `{video: {facingMode: {ideal}, width: {ideal}, height: {ideal}}, audio: false}`: enough
/// pixels for a card's dense QR held at arm's length, not so many that decoding lags.
fn constraints(facing: Facing) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(&format!(
        r#"{{"video":{{"facingMode":{{"ideal":"{}"}},"width":{{"ideal":1280}},"height":{{"ideal":720}}}},"audio":false}}"#,
        facing.as_str()
    ))
}

fn camera_error(error: &JsValue) -> CameraError {
    let name = Reflect::get(error, &JsValue::from_str("name"))
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default();
    match name.as_str() {
        "NotAllowedError" | "SecurityError" | "PermissionDeniedError" => CameraError::Denied,
        "NotFoundError" | "OverconstrainedError" | "DevicesNotFoundError" => CameraError::NoCamera,
        "NotReadableError" | "AbortError" | "TrackStartError" => CameraError::Busy,
        _ => CameraError::Failed(name),
    }
}

async fn request_stream(facing: Facing) -> Result<web_sys::MediaStream, CameraError> {
    let (devices, function) = get_user_media().ok_or(CameraError::Unsupported)?;
    let promise: Promise = function
        .call1(
            &devices,
            &constraints(facing).map_err(|e| camera_error(&e))?,
        )
        .map_err(|e| camera_error(&e))?
        .dyn_into()
        .map_err(|_| CameraError::Unsupported)?;
    JsFuture::from(promise)
        .await
        .map_err(|e| camera_error(&e))?
        .dyn_into()
        .map_err(|_| CameraError::Failed("not a MediaStream".into()))
}

fn video_track(stream: &web_sys::MediaStream) -> Option<web_sys::MediaStreamTrack> {
    stream.get_video_tracks().get(0).dyn_into().ok()
}

fn has_torch(track: &web_sys::MediaStreamTrack) -> bool {
    Reflect::get(track, &JsValue::from_str("getCapabilities"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .and_then(|f| f.call0(track).ok())
        .and_then(|caps| Reflect::get(&caps, &JsValue::from_str("torch")).ok())
        .is_some_and(|torch| torch.is_truthy())
}

async fn apply_torch(track: &web_sys::MediaStreamTrack, on: bool) -> Result<(), JsValue> {
    let c = js_sys::JSON::parse(&format!(r#"{{"advanced":[{{"torch":{on}}}]}}"#))?;
    let apply: Function =
        Reflect::get(track, &JsValue::from_str("applyConstraints"))?.dyn_into()?;
    let promise: Promise = apply.call1(track, &c)?.dyn_into()?;
    JsFuture::from(promise).await.map(|_| ())
}

/// The running stream and what tells a late answer from `getUserMedia` that it is not wanted.
#[derive(Default)]
struct Running {
    stream: RefCell<Option<web_sys::MediaStream>>,
    /// Bumped by every start and stop: a stream that arrives for an older start is stopped.
    generation: Cell<u64>,
    disposed: Cell<bool>,
}

impl Running {
    fn bump(&self) -> u64 {
        let next = self.generation.get() + 1;
        self.generation.set(next);
        next
    }

    fn stop(&self, video: Option<&web_sys::HtmlVideoElement>) {
        self.bump();
        if let Some(stream) = self.stream.borrow_mut().take() {
            stop_tracks(&stream);
        }
        if let Some(video) = video {
            video.set_src_object(None);
        }
    }
}

fn stop_tracks(stream: &web_sys::MediaStream) {
    for track in stream.get_tracks() {
        if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
            track.stop();
        }
    }
}

fn page_is_visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
}

/// Run the camera into `options.video` while `options.active` is true and the page is visible.
pub fn use_camera(options: UseCameraOptions) -> UseCamera {
    let UseCameraOptions {
        video,
        active,
        facing,
    } = options;
    let is_supported = get_user_media().is_some();
    let streaming = RwSignal::new(false);
    let error = RwSignal::new(None::<CameraError>);
    let torch_supported = RwSignal::new(false);
    let torch_on = RwSignal::new(false);
    let visible = RwSignal::new(page_is_visible());
    let running = Rc::new(Running::default());

    // The page hidden (another app, the screen off): the camera stops, and starts again on return.
    let listener = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|document| {
            EventListener::new(&document, "visibilitychange", move |_| {
                visible.try_set(page_is_visible());
            })
            .map_err(|e| crate::console_warn!("camera: {e}"))
            .ok()
        });

    let stop = {
        let running = running.clone();
        move || {
            running.stop(video.get_untracked().as_ref());
            streaming.try_set(false);
            torch_supported.try_set(false);
            torch_on.try_set(false);
        }
    };

    let start = {
        let running = running.clone();
        move || {
            let generation = running.bump();
            let running = running.clone();
            leptos::task::spawn_local(async move {
                let result = request_stream(facing).await;
                let wanted = !running.disposed.get() && running.generation.get() == generation;
                match result {
                    Ok(stream) if !wanted => stop_tracks(&stream),
                    Ok(stream) => {
                        let Some(element) = video.get_untracked() else {
                            stop_tracks(&stream);
                            return;
                        };
                        element.set_src_object(Some(&stream));
                        torch_supported
                            .try_set(video_track(&stream).is_some_and(|t| has_torch(&t)));
                        *running.stream.borrow_mut() = Some(stream);
                        streaming.try_set(true);
                        error.try_set(None);
                    }
                    Err(_) if !wanted => {}
                    Err(e) => {
                        streaming.try_set(false);
                        error.try_set(Some(e));
                    }
                }
            });
        }
    };

    if is_supported {
        let stop = stop.clone();
        Effect::new(move |_| {
            if active.get() && visible.get() {
                if !streaming.get_untracked() {
                    start();
                }
            } else {
                stop();
            }
        });
    } else {
        error.set(Some(CameraError::Unsupported));
    }

    let toggle = {
        let running = SendWrapper::new(running.clone());
        Callback::new(move |()| {
            let track = running.stream.borrow().as_ref().and_then(video_track);
            let Some(track) = track else {
                return;
            };
            let on = !torch_on.get_untracked();
            leptos::task::spawn_local(async move {
                match apply_torch(&track, on).await {
                    Ok(()) => {
                        torch_on.try_set(on);
                    }
                    // The track said it had a torch but would not switch it: say nothing more
                    // than the button's state shows, and keep scanning.
                    Err(e) => crate::console_warn!("camera: torch refused: {e:?}"),
                }
            });
        })
    };

    let owned = SendWrapper::new((running, listener));
    on_cleanup(move || {
        let (running, listener) = owned.take();
        drop(listener);
        running.disposed.set(true);
        // The video element may already be gone; the tracks are what keeps the camera on.
        running.stop(None);
    });

    UseCamera {
        is_supported,
        is_streaming: streaming.into(),
        error: error.into(),
        torch_supported: torch_supported.into(),
        torch_on: torch_on.into(),
        toggle,
    }
}
