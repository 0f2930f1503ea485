//! Client of the kiemtra HTTP API: one module per resource. Every call made as the signed-in
//! user goes through [`with_token`] (the [`get`], [`post`] and [`transfer`] helpers), which adds
//! the access token, renews it when needed and turns every failing answer into a typed
//! [`ApiError`]; the pages never handle a token.
//!
//! URLs are relative: the PWA is served by the API server itself.

pub mod auth;
pub mod corrective_actions;
pub mod dashboard;
pub mod enterprises;
pub mod evidence;
pub mod findings;
pub mod inspections;
pub mod responses;
pub mod review;
pub mod templates;
pub mod uploads;
pub mod users;

use std::future::Future;
use std::rc::Rc;

use gloo::net::http::{Request, RequestBuilder, Response};
use kiemtra_shared::API_V1;
use kiemtra_shared::error::{ErrorBody, codes};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::auth::AuthHandle;
use crate::i18n::Strings;

/// Why an API call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// 401: no valid session. The caller signs the user out (see `AuthHandle::check`).
    Unauthenticated(ErrorBody),
    /// 403: signed in, but not allowed.
    Forbidden(ErrorBody),
    /// 404.
    NotFound(ErrorBody),
    /// 400, 409, 413, 415, 422: the request was at fault; `details` names the fields.
    Rejected { status: u16, body: ErrorBody },
    /// 5xx and anything unexpected from the server.
    Server { status: u16, body: ErrorBody },
    /// The server could not be reached (offline, DNS, connection reset).
    Network,
    /// The server answered 2xx with a body this client does not understand.
    UnexpectedBody,
    /// The browser could not build the request or read the answer.
    Browser,
}

impl ApiError {
    /// Maps a non-2xx answer read through XMLHttpRequest (see [`transfer`]).
    fn from_status(status: u16, text: &str) -> ApiError {
        ApiError::classify(status, serde_json::from_str::<ErrorBody>(text).ok())
    }

    /// The typed error of a status and its body, if the body was an [`ErrorBody`].
    fn classify(status: u16, body: Option<ErrorBody>) -> ApiError {
        let body = body.unwrap_or_else(|| ErrorBody {
            code: fallback_code(status).to_owned(),
            message: String::new(),
            details: Vec::new(),
        });
        match status {
            401 => ApiError::Unauthenticated(body),
            403 => ApiError::Forbidden(body),
            404 => ApiError::NotFound(body),
            400..=499 => ApiError::Rejected { status, body },
            _ => ApiError::Server { status, body },
        }
    }

    /// Maps a non-2xx answer. A body that is not an [`ErrorBody`] (a proxy's bare 413 page,
    /// say) still yields a typed error, with the status as its code.
    async fn from_response(response: Response) -> ApiError {
        let status = response.status();
        ApiError::classify(status, response.json::<ErrorBody>().await.ok())
    }

    pub fn body(&self) -> Option<&ErrorBody> {
        match self {
            ApiError::Unauthenticated(body)
            | ApiError::Forbidden(body)
            | ApiError::NotFound(body)
            | ApiError::Rejected { body, .. }
            | ApiError::Server { body, .. } => Some(body),
            ApiError::Network | ApiError::UnexpectedBody | ApiError::Browser => None,
        }
    }

    /// Whether the server named `code` among the per-field details of its refusal (e.g.
    /// `invite_invalid` inside a 422 `validation_failed`).
    pub fn has_detail(&self, code: &str) -> bool {
        self.body()
            .is_some_and(|body| body.details.iter().any(|detail| detail.code == code))
    }

    /// What to tell the user: the interface's text for the error code when it has one, else
    /// the server's message; then the server's per-field messages, if any.
    pub fn user_message(&self, strings: &Strings) -> String {
        if let ApiError::Network = self {
            return strings.error_network.to_owned();
        }
        let Some(body) = self.body() else {
            return strings.error_unexpected.to_owned();
        };
        let mut message = match strings.error(&body.code) {
            Some(text) => text.to_owned(),
            None if !body.message.is_empty() => body.message.clone(),
            None => strings.error_unexpected.to_owned(),
        };
        for detail in &body.details {
            message.push_str("\n• ");
            message.push_str(&detail.message);
        }
        message
    }
}

fn fallback_code(status: u16) -> &'static str {
    match status {
        400 => codes::BAD_REQUEST,
        401 => codes::UNAUTHENTICATED,
        403 => codes::FORBIDDEN,
        404 => codes::NOT_FOUND,
        409 => codes::CONFLICT,
        413 => codes::PAYLOAD_TOO_LARGE,
        415 => codes::UNSUPPORTED_MEDIA_TYPE,
        422 => codes::VALIDATION,
        429 => codes::RATE_LIMITED,
        503 => codes::UNAVAILABLE,
        _ => codes::INTERNAL,
    }
}

/// The URL of an API route, e.g. `url("/inspections")` is `/api/v1/inspections`.
fn url(path: &str) -> String {
    format!("{API_V1}{path}")
}

/// How long the access token of a request must stay valid once it is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lasting {
    /// A call that ends in moments.
    Call,
    /// A request with a file body: the server refuses a body whose token expired on the way,
    /// and its bytes would be lost, so it starts with a token valid at least
    /// [`UPLOAD_TOKEN_SECS`].
    Upload,
}

/// The token an upload starts with stays valid this long: the longest a request may take
/// (see [`TRANSFER_TIMEOUT_MS`]).
pub const UPLOAD_TOKEN_SECS: i64 = (TRANSFER_TIMEOUT_MS / 1_000) as i64;

/// The request function of every authenticated call: `attempt` makes the request with the
/// session's access token, which is renewed first when it would expire too soon, and once more
/// when the server refuses it anyway (see [`AuthHandle::call`]). A refused renewal ends the
/// session; every failing answer is an [`ApiError`].
async fn with_token<T, F, Fut>(
    auth: &AuthHandle,
    lasting: Lasting,
    attempt: F,
) -> Result<T, ApiError>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<T, ApiError>>,
{
    match lasting {
        Lasting::Call => auth.call(attempt).await,
        Lasting::Upload => auth.call_lasting(UPLOAD_TOKEN_SECS, attempt).await,
    }
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// Sends `verb` `path` (under [`API_V1`]) as the signed-in user, with `body` as JSON if any.
async fn fetch<B: Serialize + ?Sized>(
    auth: &AuthHandle,
    verb: fn(&str) -> RequestBuilder,
    path: &str,
    body: Option<&B>,
) -> Result<Response, ApiError> {
    let url = url(path);
    with_token(auth, Lasting::Call, |token| {
        let builder = verb(&url).header("Authorization", &bearer(&token));
        let request = match body {
            Some(body) => builder.json(body),
            None => builder.build(),
        };
        send(request)
    })
    .await
}

/// `GET path` as the signed-in user; its JSON answer.
async fn get<T: DeserializeOwned>(auth: &AuthHandle, path: &str) -> Result<T, ApiError> {
    json(fetch::<()>(auth, Request::get, path, None).await?).await
}

/// `GET path` as the signed-in user; its JSON answer with the answer's text: a page keeps it on
/// the device as it came, rather than encode the value again (which would add the encoding code
/// of every type to the download).
async fn get_with_text<T: DeserializeOwned>(
    auth: &AuthHandle,
    path: &str,
) -> Result<(T, String), ApiError> {
    let response = fetch::<()>(auth, Request::get, path, None).await?;
    let text = response.text().await.map_err(|_| ApiError::Network)?;
    let value = serde_json::from_str(&text).map_err(|_| ApiError::UnexpectedBody)?;
    Ok((value, text))
}

/// `GET path` as the signed-in user; its body as a blob.
async fn get_blob(auth: &AuthHandle, path: &str) -> Result<web_sys::Blob, ApiError> {
    use wasm_bindgen::JsCast;
    let response: web_sys::Response = fetch::<()>(auth, Request::get, path, None).await?.into();
    let promise = response.blob().map_err(|_| ApiError::Browser)?;
    let blob = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|_| ApiError::Network)?;
    blob.dyn_into::<web_sys::Blob>()
        .map_err(|_| ApiError::UnexpectedBody)
}

/// `POST path` with `body` as JSON, as the signed-in user; its JSON answer.
async fn post<B: Serialize + ?Sized, T: DeserializeOwned>(
    auth: &AuthHandle,
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    json(fetch(auth, Request::post, path, Some(body)).await?).await
}

/// `PATCH path` with `body` as JSON, as the signed-in user; its JSON answer.
async fn patch<B: Serialize + ?Sized, T: DeserializeOwned>(
    auth: &AuthHandle,
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    json(fetch(auth, Request::patch, path, Some(body)).await?).await
}

/// `GET path` of a list as the signed-in user: its items and the total its `X-Total-Count`
/// gives (the items' count if it is missing).
async fn get_counted<T: DeserializeOwned>(
    auth: &AuthHandle,
    path: &str,
) -> Result<(Vec<T>, u64), ApiError> {
    let response = fetch::<()>(auth, Request::get, path, None).await?;
    let total = response
        .headers()
        .get("X-Total-Count")
        .and_then(|t| t.parse().ok());
    let items: Vec<T> = json(response).await?;
    let total = total.unwrap_or(items.len() as u64);
    Ok((items, total))
}

/// A query string (`?a=1&b=2`, or nothing) of the parameters that are given and not empty,
/// encoded by the browser.
fn query_string(pairs: &[(&str, Option<String>)]) -> String {
    let Ok(params) = web_sys::UrlSearchParams::new() else {
        return String::new();
    };
    for (name, value) in pairs {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            params.append(name, value);
        }
    }
    let text: String = params.to_string().into();
    if text.is_empty() {
        text
    } else {
        format!("?{text}")
    }
}

/// A request as the builders return it: building fails only when the body cannot be encoded.
type Built = Result<gloo::net::http::Request, gloo::net::Error>;

/// Sends a request; any non-2xx answer becomes an [`ApiError`].
async fn send(request: Built) -> Result<Response, ApiError> {
    let request = request.map_err(|_| ApiError::Browser)?;
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    if response.ok() {
        Ok(response)
    } else {
        Err(ApiError::from_response(response).await)
    }
}

/// The JSON of a 2xx answer.
async fn json<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    response
        .json::<T>()
        .await
        .map_err(|_| ApiError::UnexpectedBody)
}

/// Sends a request made without a session (signing in) and decodes its JSON answer.
async fn request_anonymous<T: DeserializeOwned>(request: Built) -> Result<T, ApiError> {
    json(send(request).await?).await
}

/// A 2xx answer of [`transfer`].
pub struct Transferred {
    xhr: web_sys::XmlHttpRequest,
}

impl Transferred {
    pub fn header(&self, name: &str) -> Option<String> {
        self.xhr.get_response_header(name).ok().flatten()
    }

    pub fn status(&self) -> u16 {
        self.xhr.status().unwrap_or_default()
    }

    fn text(&self) -> String {
        self.xhr.response_text().ok().flatten().unwrap_or_default()
    }

    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        serde_json::from_str(&self.text()).map_err(|_| ApiError::UnexpectedBody)
    }
}

/// How long one request may take in all: 5 MiB at 20 KB/s, a weak 2G link. A connection that
/// stalls for good must not hold the outbox up for ever.
const TRANSFER_TIMEOUT_MS: u32 = 300_000;

/// Sends a file (or nothing) through XMLHttpRequest as the signed-in user, with a token that
/// lasts as `lasting` says (see [`with_token`]). Unlike `fetch`, XMLHttpRequest tells how much
/// of the body has gone: `on_progress` gets the bytes sent so far. Any non-2xx answer becomes an
/// [`ApiError`].
async fn transfer(
    auth: &AuthHandle,
    lasting: Lasting,
    method: &str,
    url: &str,
    headers: &[(&str, String)],
    body: Option<&web_sys::Blob>,
    on_progress: Option<Rc<dyn Fn(f64)>>,
) -> Result<Transferred, ApiError> {
    with_token(auth, lasting, |token| {
        let on_progress = on_progress.clone();
        async move { transfer_once(method, url, &token, headers, body, on_progress).await }
    })
    .await
}

async fn transfer_once(
    method: &str,
    url: &str,
    token: &str,
    headers: &[(&str, String)],
    body: Option<&web_sys::Blob>,
    on_progress: Option<Rc<dyn Fn(f64)>>,
) -> Result<Transferred, ApiError> {
    use js_sys::{Function, Promise};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    let xhr = web_sys::XmlHttpRequest::new().map_err(|_| ApiError::Browser)?;
    xhr.open(method, url).map_err(|_| ApiError::Browser)?;
    xhr.set_timeout(TRANSFER_TIMEOUT_MS);
    xhr.set_request_header("Authorization", &bearer(token))
        .map_err(|_| ApiError::Browser)?;
    for (name, value) in headers {
        xhr.set_request_header(name, value)
            .map_err(|_| ApiError::Browser)?;
    }
    let done = Promise::new(&mut |resolve: Function, reject: Function| {
        xhr.set_onload(Some(&resolve));
        xhr.set_onerror(Some(&reject));
        xhr.set_onabort(Some(&reject));
        xhr.set_ontimeout(Some(&reject));
    });
    let progress = on_progress.map(|on_progress| {
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |event: web_sys::ProgressEvent| {
            on_progress(event.loaded())
        })
    });
    let upload = xhr.upload().map_err(|_| ApiError::Browser)?;
    if let Some(progress) = &progress {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    xhr.send_with_opt_blob(body)
        .map_err(|_| ApiError::Browser)?;
    let outcome = wasm_bindgen_futures::JsFuture::from(done).await;
    // No progress after the end: the closure can go.
    upload.set_onprogress(None);
    drop(progress);
    outcome.map_err(|_| ApiError::Network)?;
    let answer = Transferred { xhr };
    match answer.status() {
        // 0: the browser gave up on the connection.
        0 => Err(ApiError::Network),
        200..=299 => Ok(answer),
        status => Err(ApiError::from_status(status, &answer.text())),
    }
}
