//! Browser services used at capture time: hashing a file, asking for the position, and
//! turning a drawn signature into a PNG.

use js_sys::{Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// SHA-256 of a file's bytes, computed by the browser (SubtleCrypto) so the bytes never have to
/// be copied into WebAssembly memory.
pub async fn sha256(blob: &web_sys::Blob) -> Result<[u8; 32], JsValue> {
    let buffer = JsFuture::from(blob.array_buffer()).await?;
    let subtle = gloo::utils::window().crypto()?.subtle();
    let digest =
        JsFuture::from(subtle.digest_with_str_and_buffer_source("SHA-256", &buffer.into())?)
            .await?;
    let bytes = Uint8Array::new(&digest);
    let mut out = [0u8; 32];
    if bytes.length() as usize != out.len() {
        return Err(JsValue::from_str("SHA-256 digest is not 32 bytes"));
    }
    bytes.copy_to(&mut out);
    Ok(out)
}

/// Latitude and longitude in degrees (WGS 84).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Position {
    pub latitude: f64,
    pub longitude: f64,
    /// Radius of the 95 % confidence circle, in metres, when the browser gives one.
    pub accuracy_m: Option<f64>,
}

/// How long to wait for a position, including a pending permission prompt.
const POSITION_TIMEOUT_MS: i32 = 5_000;
/// A position up to this old is good enough: the inspector walks, the site does not move.
const POSITION_MAX_AGE_MS: u32 = 60_000;

/// The device position if the browser gives one within a few seconds; `None` when it is
/// refused, unavailable or slow. Callers never wait on this to keep a photo.
pub async fn current_position() -> Option<Position> {
    let window = gloo::utils::window();
    let geolocation = window.navigator().geolocation().ok()?;
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let options = web_sys::PositionOptions::new();
        options.set_timeout(POSITION_TIMEOUT_MS as u32);
        options.set_maximum_age(POSITION_MAX_AGE_MS);
        if geolocation
            .get_current_position_with_error_callback_and_options(&resolve, Some(&reject), &options)
            .is_err()
        {
            let _ = reject.call0(&JsValue::NULL);
            return;
        }
        // The browser's own timeout does not run while a permission prompt is open.
        let _ = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(&reject, POSITION_TIMEOUT_MS);
    });
    let position = JsFuture::from(promise).await.ok()?;
    let coords = Reflect::get(&position, &JsValue::from_str("coords")).ok()?;
    let number = |name: &str| {
        Reflect::get(&coords, &JsValue::from_str(name))
            .ok()?
            .as_f64()
    };
    Some(Position {
        latitude: number("latitude")?,
        longitude: number("longitude")?,
        accuracy_m: number("accuracy").filter(|a| a.is_finite() && *a >= 0.0),
    })
}

/// The files chosen in an `<input type=file>`.
pub fn chosen_files(input: &web_sys::HtmlInputElement) -> Vec<web_sys::File> {
    let Some(list) = input.files() else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.item(i)).collect()
}

/// The picture on a canvas as a PNG file.
pub async fn canvas_png(canvas: &web_sys::HtmlCanvasElement) -> Result<web_sys::Blob, JsValue> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        if let Err(error) = canvas.to_blob_with_type(&resolve, "image/png") {
            let _ = reject.call1(&JsValue::NULL, &error);
        }
    });
    let blob = JsFuture::from(promise).await?;
    blob.dyn_into::<web_sys::Blob>()
        .map_err(|_| JsValue::from_str("the canvas gave no image"))
}
