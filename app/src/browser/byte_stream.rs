//! The bytes of a `ReadableStream` (a chosen file's `stream()`, a response body), read chunk by
//! chunk up to a limit, telling how far the reading has got.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Every byte of `stream`, or `None` as soon as there are more than `limit`; `on_read` gets the
/// count read so far after each chunk. `expected` sizes the buffer (a file's size, a response's
/// announced length), capped at `limit`.
pub async fn read_all(
    stream: &web_sys::ReadableStream,
    limit: usize,
    expected: usize,
    mut on_read: impl FnMut(usize),
) -> Result<Option<Vec<u8>>, JsValue> {
    let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().dyn_into()?;
    let mut bytes = Vec::with_capacity(expected.min(limit));
    loop {
        let chunk = JsFuture::from(reader.read()).await?;
        let done = js_sys::Reflect::get(&chunk, &JsValue::from_str("done"))?;
        if done.as_bool().unwrap_or(true) {
            return Ok(Some(bytes));
        }
        let value: js_sys::Uint8Array =
            js_sys::Reflect::get(&chunk, &JsValue::from_str("value"))?.dyn_into()?;
        let length = value.length() as usize;
        if bytes.len() + length > limit {
            // Stop the reading: the rest of the file is not wanted.
            if JsFuture::from(reader.cancel()).await.is_err() {
                crate::console_warn!("byte stream: could not cancel the reading");
            }
            return Ok(None);
        }
        let start = bytes.len();
        bytes.resize(start + length, 0);
        value.copy_to(&mut bytes[start..]);
        on_read(bytes.len());
    }
}
