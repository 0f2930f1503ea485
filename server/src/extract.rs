//! `Json<T>`: the JSON body extractor of every handler. Unlike actix's, its errors name the
//! failing field by its path (`answers[2].value`), via `serde_path_to_error`.

use actix_web::dev::Payload;
use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use kiemtra_shared::error::codes;
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::state::AppState;

/// A JSON request body of type `T`.
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim();
                mime.eq_ignore_ascii_case("application/json") || mime.ends_with("+json")
            });
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map(|s| s.settings.limits.max_json_bytes)
            .unwrap_or(2 * 1024 * 1024);
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !is_json {
                return Err(AppError::UnsupportedMediaType(
                    "Send the body as JSON with `Content-Type: application/json`.".to_owned(),
                ));
            }
            let bytes = body.await.map_err(|e| {
                if e.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::PayloadTooLarge(format!(
                        "The JSON body is larger than {limit} bytes."
                    ))
                } else {
                    AppError::bad_request(format!("The request body could not be read: {e}"))
                }
            })?;
            if bytes.len() > limit {
                return Err(AppError::PayloadTooLarge(format!(
                    "The JSON body is larger than {limit} bytes."
                )));
            }
            parse(&bytes).map(Json)
        })
    }
}

/// Malformed JSON is a 400; well-formed JSON of the wrong shape (unknown or missing fields,
/// wrong types, invalid values such as a bad tax code) is a 422 naming the field.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_data() {
            let field = if path == "." { "body".to_owned() } else { path };
            AppError::validation(
                "The request body has an invalid field.",
                vec![AppError::field(&field, "invalid_field", &inner.to_string())],
            )
        } else {
            AppError::BadRequest {
                code: codes::INVALID_JSON,
                message: format!("The request body is not valid JSON: {inner}"),
            }
        }
    })
}
