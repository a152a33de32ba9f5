//! Reading QR codes from the camera's picture and from photos.
//!
//! The browser's `BarcodeDetector` where it exists and reads QR codes (Chrome on Android, Safari
//! on recent iOS, macOS): fast, and it handles glare and angles well. Elsewhere (desktop
//! Chromium on Linux, Firefox) the pixels go through a canvas to the core's
//! [`health_book::checkin::read::decode_rgba`] (rqrr in wasm), which runs in the data worker
//! (`crate::worker`): rqrr and its tables load only when a scan starts without a detector, and
//! decoding never holds up the page. Either way the result is the decoded texts; what they mean is
//! the core's business.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Function, Promise, Reflect};
use leptos::html::Video;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use thiserror::Error;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::callbacks::Timer;
use super::data_worker;
use crate::worker::protocol::{Payload, Reply, Request, WorkerError};

/// Frames are scaled so their longer side is at most this many pixels before decoding in wasm:
/// a card's QR fills a good part of the viewfinder, and smaller frames keep the loop responsive
/// on a mid-range phone.
const FRAME_MAX_SIDE: u32 = 800;
/// Photos keep more pixels: the QR may be a small part of a picture of the whole card.
const PHOTO_MAX_SIDE: u32 = 1600;
/// Time between two frames read from the camera.
const FRAME_PERIOD_MS: u32 = 200;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QrReadError {
    /// The photo could not be opened as an image.
    #[error("the file is not an image the browser can open")]
    NotAnImage,
    #[error("the browser could not read the picture: {0}")]
    Failed(String),
    /// The wasm decoder (in the data worker) could not be reached.
    #[error("the QR reader is not available: {0}")]
    Reader(#[from] WorkerError),
}

/// Which decoder reads the codes, shown on the screen for support and for the tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecoderKind {
    BarcodeDetector,
    Wasm,
}

impl DecoderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DecoderKind::BarcodeDetector => "barcode-detector",
            DecoderKind::Wasm => "wasm",
        }
    }
}

/// A decoder, chosen once per screen.
#[derive(Clone)]
pub struct QrDecoder {
    /// The `BarcodeDetector` instance, or `None` for the wasm decoder.
    detector: Option<JsValue>,
    /// Set when the detector failed once (a platform that exposes it without a working QR
    /// reader): from then on every picture goes to the wasm decoder.
    detector_failed: Rc<Cell<bool>>,
    /// Reused for every frame: one canvas, not one per read.
    canvas: Rc<RefCell<Option<web_sys::HtmlCanvasElement>>>,
}

fn failed(e: JsValue) -> QrReadError {
    QrReadError::Failed(
        Reflect::get(&e, &JsValue::from_str("name"))
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_else(|| format!("{e:?}")),
    )
}

/// `new BarcodeDetector({formats: ["qr_code"]})`, where the constructor exists and accepts QR
/// (it throws for a format the platform cannot read).
fn barcode_detector() -> Option<JsValue> {
    let window = web_sys::window()?;
    let constructor: Function = Reflect::get(&window, &JsValue::from_str("BarcodeDetector"))
        .ok()?
        .dyn_into()
        .ok()?;
    let options = js_sys::JSON::parse(r#"{"formats":["qr_code"]}"#).ok()?;
    Reflect::construct(&constructor, &Array::of1(&options)).ok()
}

impl QrDecoder {
    pub fn new() -> Self {
        let detector = barcode_detector();
        if detector.is_none() {
            // Loading the worker's module takes a moment: start now, not on the first frame.
            data_worker::warm_up();
        }
        QrDecoder {
            detector,
            detector_failed: Rc::default(),
            canvas: Rc::default(),
        }
    }

    pub fn kind(&self) -> DecoderKind {
        if self.detector.is_some() && !self.detector_failed.get() {
            DecoderKind::BarcodeDetector
        } else {
            DecoderKind::Wasm
        }
    }

    /// The codes in the video's current frame (none before the first frame arrives).
    pub async fn read_video(
        &self,
        video: &web_sys::HtmlVideoElement,
    ) -> Result<Vec<String>, QrReadError> {
        // HAVE_CURRENT_DATA: a frame can be drawn.
        if video.ready_state() < 2 || video.video_width() == 0 {
            return Ok(Vec::new());
        }
        match &self.detector {
            Some(detector) => detect(detector, video).await,
            None => {
                self.decode_in_worker(
                    video.video_width(),
                    video.video_height(),
                    FRAME_MAX_SIDE,
                    |ctx, w, h| {
                        ctx.draw_image_with_html_video_element_and_dw_and_dh(video, 0.0, 0.0, w, h)
                    },
                )
                .await
            }
        }
    }

    /// The codes in a photo the person chose.
    pub async fn read_file(&self, file: &web_sys::File) -> Result<Vec<String>, QrReadError> {
        let window = web_sys::window().ok_or(QrReadError::NotAnImage)?;
        let bitmap: web_sys::ImageBitmap = JsFuture::from(
            window
                .create_image_bitmap_with_blob(file)
                .map_err(|_| QrReadError::NotAnImage)?,
        )
        .await
        .map_err(|_| QrReadError::NotAnImage)?
        .dyn_into()
        .map_err(|_| QrReadError::NotAnImage)?;
        let read = match self.detect_natively(&bitmap).await {
            Some(found) => Ok(found),
            None => {
                self.decode_in_worker(
                    bitmap.width(),
                    bitmap.height(),
                    PHOTO_MAX_SIDE,
                    |ctx, w, h| {
                        ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, w, h)
                    },
                )
                .await
            }
        };
        bitmap.close();
        read
    }

    /// The codes the browser's detector finds, or `None` when there is no working detector.
    async fn detect_natively(&self, source: &JsValue) -> Option<Vec<String>> {
        let detector = self
            .detector
            .as_ref()
            .filter(|_| !self.detector_failed.get())?;
        match detect(detector, source).await {
            Ok(found) => Some(found),
            Err(e) => {
                crate::console_warn!(
                    "scan: BarcodeDetector failed ({e}), reading in wasm from now on"
                );
                self.detector_failed.set(true);
                None
            }
        }
    }

    /// Draws the picture scaled on the canvas, and has the data worker find the codes in its
    /// pixels (handed over, not copied).
    async fn decode_in_worker(
        &self,
        width: u32,
        height: u32,
        max_side: u32,
        draw: impl FnOnce(&web_sys::CanvasRenderingContext2d, f64, f64) -> Result<(), JsValue>,
    ) -> Result<Vec<String>, QrReadError> {
        let scale = (f64::from(max_side) / f64::from(width.max(height).max(1))).min(1.0);
        let (w, h) = (
            ((f64::from(width) * scale) as u32).max(1),
            ((f64::from(height) * scale) as u32).max(1),
        );
        let canvas = self.canvas()?;
        canvas.set_width(w);
        canvas.set_height(h);
        let ctx: web_sys::CanvasRenderingContext2d = canvas
            .get_context_with_context_options(
                "2d",
                &js_sys::JSON::parse(r#"{"willReadFrequently":true}"#).map_err(failed)?,
            )
            .map_err(failed)?
            .ok_or_else(|| QrReadError::Failed("no 2d context".into()))?
            .dyn_into()
            .map_err(|_| QrReadError::Failed("no 2d context".into()))?;
        draw(&ctx, f64::from(w), f64::from(h)).map_err(failed)?;
        let image = ctx
            .get_image_data(0.0, 0.0, f64::from(w), f64::from(h))
            .map_err(failed)?;
        // `ImageData.data` as the JS array it is: `web_sys::ImageData::data` would copy it
        // into this module's memory first.
        let pixels: js_sys::Uint8ClampedArray = Reflect::get(&image, &JsValue::from_str("data"))
            .map_err(failed)?
            .dyn_into()
            .map_err(|_| QrReadError::Failed("no pixels".into()))?;
        let request = Request::DecodeQr {
            width: w,
            height: h,
        };
        match data_worker::request(request, Some(Payload::Bytes(pixels.buffer()))).await? {
            Reply::DecodedQr { texts } => Ok(texts),
            other => {
                Err(WorkerError::BadMessage(format!("unexpected reply {}", other.kind())).into())
            }
        }
    }

    fn canvas(&self) -> Result<web_sys::HtmlCanvasElement, QrReadError> {
        if let Some(canvas) = self.canvas.borrow().as_ref() {
            return Ok(canvas.clone());
        }
        let canvas: web_sys::HtmlCanvasElement = web_sys::window()
            .and_then(|w| w.document())
            .ok_or_else(|| QrReadError::Failed("no document".into()))?
            .create_element("canvas")
            .map_err(failed)?
            .dyn_into()
            .map_err(|_| QrReadError::Failed("not a canvas".into()))?;
        *self.canvas.borrow_mut() = Some(canvas.clone());
        Ok(canvas)
    }
}

impl Default for QrDecoder {
    fn default() -> Self {
        Self::new()
    }
}

/// `detector.detect(source)`, as the `rawValue` of each code found.
async fn detect(detector: &JsValue, source: &JsValue) -> Result<Vec<String>, QrReadError> {
    let detect: Function = Reflect::get(detector, &JsValue::from_str("detect"))
        .map_err(failed)?
        .dyn_into()
        .map_err(|_| QrReadError::Failed("no detect()".into()))?;
    let promise: Promise = detect
        .call1(detector, source)
        .map_err(failed)?
        .dyn_into()
        .map_err(|_| QrReadError::Failed("detect() gave no promise".into()))?;
    let found: Array = JsFuture::from(promise)
        .await
        .map_err(failed)?
        .dyn_into()
        .map_err(|_| QrReadError::Failed("detect() gave no list".into()))?;
    Ok(found
        .iter()
        .filter_map(|code| Reflect::get(&code, &JsValue::from_str("rawValue")).ok())
        .filter_map(|raw| raw.as_string())
        .collect())
}

/// Reads the video's frames every [`FRAME_PERIOD_MS`] while `running` is true, handing each
/// decoded text to `on_read`. One frame at a time: a slow decode skips ticks instead of piling
/// them up. The timer stops on cleanup.
pub fn use_frame_reader(
    decoder: QrDecoder,
    video: NodeRef<Video>,
    running: Signal<bool>,
    on_read: impl Fn(String) + 'static,
) {
    let busy = Rc::new(Cell::new(false));
    let on_read = Rc::new(on_read);
    let timer = Rc::new(Timer::new(move || {
        if busy.get() {
            return;
        }
        let Some(element) = video.get_untracked() else {
            return;
        };
        busy.set(true);
        let (busy, decoder, on_read) = (busy.clone(), decoder.clone(), on_read.clone());
        leptos::task::spawn_local(async move {
            match decoder.read_video(&element).await {
                Ok(texts) => texts.into_iter().for_each(|text| on_read(text)),
                // A frame that cannot be read (the camera stopping under it): the next one may.
                Err(e) => crate::console_warn!("scan: frame not read: {e}"),
            }
            busy.set(false);
        });
    }));
    {
        let timer = timer.clone();
        Effect::new(move |_| {
            if running.get() {
                if let Err(e) = timer.start_repeating(FRAME_PERIOD_MS) {
                    crate::console_warn!("scan: {e}");
                }
            } else {
                timer.stop();
            }
        });
    }
    let owned = SendWrapper::new(timer);
    on_cleanup(move || owned.take().stop());
}
