//! Access tokens: HS256 JWTs with a fixed algorithm; `exp`, `nbf`, `iat`, `iss`, `aud`, `sub`
//! and the token type are all required and checked.

use chrono::Utc;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use kiemtra_shared::auth::Role;
use kiemtra_shared::error::codes;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;
use crate::settings::AuthSettings;

const ACCESS: &str = "access";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub role: Role,
    /// Token type: only `access` tokens authorise API calls.
    pub typ: String,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
}

pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    ttl_secs: i64,
}

impl TokenKeys {
    pub fn new(secret: &[u8], settings: &AuthSettings) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&settings.issuer]);
        validation.set_audience(&[&settings.audience]);
        validation.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = LEEWAY_SECS;
        TokenKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
            ttl_secs: settings.access_token_ttl_secs,
        }
    }

    pub fn ttl_secs(&self) -> i64 {
        self.ttl_secs
    }

    pub fn issue_access(&self, user_id: Uuid, role: Role) -> Result<String, AppError> {
        let now = Utc::now().timestamp();
        let claims = Claims {
            sub: user_id,
            role,
            typ: ACCESS.to_owned(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            iat: now,
            nbf: now,
            exp: now + self.ttl_secs,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(AppError::internal)
    }

    pub fn verify_access(&self, token: &str) -> Result<Claims, AppError> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => expired(),
                _ => invalid_token(),
            })?;
        if data.claims.typ != ACCESS {
            return Err(invalid_token());
        }
        Ok(data.claims)
    }
}

/// How far past `exp` (and before `nbf`) a token is still accepted: clock skew between phones
/// and server.
pub const LEEWAY_SECS: u64 = 30;

pub fn expired() -> AppError {
    AppError::Unauthenticated {
        code: codes::TOKEN_EXPIRED,
        message: "The session has expired; sign in again.".to_owned(),
    }
}

pub fn invalid_token() -> AppError {
    AppError::Unauthenticated {
        code: codes::TOKEN_INVALID,
        message: "The access token is not valid; sign in again.".to_owned(),
    }
}
