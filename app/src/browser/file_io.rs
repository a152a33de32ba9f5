//! Files in and out: read a file the person chose (or dropped), and hand them a file to keep.

use js_sys::{Array, Uint8Array};
use thiserror::Error;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FileError {
    #[error("the file is {size} bytes, more than the {limit} allowed")]
    TooLarge { size: u64, limit: u64 },
    #[error("the browser could not read the file: {0}")]
    Read(String),
    #[error("the browser could not make the download: {0}")]
    Download(String),
}

/// The bytes of a chosen file, refusing files over `limit` before reading them into memory.
pub async fn read_file(file: &web_sys::File, limit: u64) -> Result<Vec<u8>, FileError> {
    let size = file.size() as u64;
    if size > limit {
        return Err(FileError::TooLarge { size, limit });
    }
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| FileError::Read(format!("{e:?}")))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// Offer one book's FHIR JSON as `so-suc-khoe-<kind>-<last 4 ID digits>-<today>.json` (`kind`
/// empty for the plain export): the name says whose book and when, without the whole ID.
pub fn download_book_json(kind: &str, citizen_id: &str, json: &str) -> Result<(), FileError> {
    let digits = &citizen_id[citizen_id.len().saturating_sub(4)..];
    let kind = if kind.is_empty() {
        String::new()
    } else {
        format!("{kind}-")
    };
    let name = format!(
        "so-suc-khoe-{kind}{digits}-{}.json",
        crate::browser::clock::today()
    );
    download(&name, "application/fhir+json", json.as_bytes())
}

/// Offer `bytes` as a download named `file_name` (on phones: the share or save sheet).
pub fn download(file_name: &str, mime: &str, bytes: &[u8]) -> Result<(), FileError> {
    download_parts(file_name, mime, &Array::of1(&Uint8Array::from(bytes)))
}

/// Offer a file made of `parts` (JS byte arrays, already outside this module's memory: a large
/// export is written piece by piece, never whole in wasm).
pub fn download_parts(file_name: &str, mime: &str, parts: &Array) -> Result<(), FileError> {
    let err = |e: wasm_bindgen::JsValue| FileError::Download(format!("{e:?}"));
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| FileError::Download("no document".into()))?;
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_u8_array_sequence_and_options(parts, &options).map_err(err)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(err)?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(err)?
        .dyn_into()
        .map_err(|_| FileError::Download("not an anchor".into()))?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    // The click has started the download; the URL is no longer needed.
    web_sys::Url::revoke_object_url(&url).map_err(err)
}
