//! Access tokens: HS256 JWTs with a fixed algorithm; `exp`, `nbf`, `iat`, `iss`, `aud`, `sub`
//! and the token type are all required and checked. Times are those of the application's
//! [`Clock`]: `jsonwebtoken` checks the signature and the other claims, this module `exp` and
//! `nbf` (jsonwebtoken would read the system clock).

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use kiemtra_shared::error::codes;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::AppError;
use crate::settings::AuthSettings;

const ACCESS: &str = "access";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub role: String,
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
    clock: Clock,
}

impl TokenKeys {
    pub fn new(secret: &[u8], settings: &AuthSettings, clock: Clock) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&settings.issuer]);
        validation.set_audience(&[&settings.audience]);
        validation.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "aud", "sub"]);
        // Checked against the application's clock in `verify_access`.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.leeway = LEEWAY_SECS;
        TokenKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
            ttl_secs: settings.access_token_ttl_secs,
            clock,
        }
    }

    pub fn ttl_secs(&self) -> i64 {
        self.ttl_secs
    }

    pub fn issue_access(&self, user_id: Uuid, role: &str) -> Result<String, AppError> {
        let now = self.clock.timestamp();
        let claims = Claims {
            sub: user_id,
            role: role.to_owned(),
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
        let now = self.clock.timestamp();
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|e| match e.kind() {
                // jsonwebtoken checks these after the signature and after `exp`: a token both
                // expired and for another issuer, audience or subject is an expired one, as
                // when jsonwebtoken checked `exp` itself.
                ErrorKind::InvalidIssuer
                | ErrorKind::InvalidAudience
                | ErrorKind::InvalidSubject
                    if jsonwebtoken::dangerous::insecure_decode_claims::<Claims>(token)
                        .is_ok_and(|claims| claims.exp >= 0 && is_expired(&claims, now)) =>
                {
                    expired()
                }
                _ => invalid_token(),
            })?;
        // jsonwebtoken refuses a negative `exp` as malformed before it looks at the time.
        if data.claims.exp < 0 {
            return Err(invalid_token());
        }
        if is_expired(&data.claims, now) {
            return Err(expired());
        }
        // Not yet valid while `nbf` is more than the leeway ahead.
        if data.claims.nbf.saturating_sub(LEEWAY_SECS as i64) > now {
            return Err(invalid_token());
        }
        if data.claims.typ != ACCESS {
            return Err(invalid_token());
        }
        Ok(data.claims)
    }
}

/// Expired once `exp` is more than the leeway in the past at `now`, as jsonwebtoken counts it.
fn is_expired(claims: &Claims, now: i64) -> bool {
    claims.exp.saturating_add(LEEWAY_SECS as i64) < now
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

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(clock: &Clock) -> TokenKeys {
        let settings = AuthSettings {
            jwt_secret: None,
            access_token_ttl_secs: 900,
            issuer: "kiemtra".to_owned(),
            audience: "kiemtra-api".to_owned(),
        };
        TokenKeys::new(&[7; 32], &settings, clock.clone())
    }

    fn code(result: Result<Claims, AppError>) -> &'static str {
        match result {
            Ok(_) => "ok",
            Err(AppError::Unauthenticated { code, .. }) => code,
            Err(_) => "other",
        }
    }

    #[test]
    fn expiry_goes_by_the_application_clock_with_the_leeway() {
        let clock = Clock::system();
        let keys = keys(&clock);
        let token = keys.issue_access(Uuid::new_v4(), "inspector").unwrap();
        assert_eq!(code(keys.verify_access(&token)), "ok");
        clock.advance(chrono::Duration::seconds(900 + LEEWAY_SECS as i64 - 5));
        assert_eq!(code(keys.verify_access(&token)), "ok");
        clock.advance(chrono::Duration::seconds(10));
        assert_eq!(code(keys.verify_access(&token)), codes::TOKEN_EXPIRED);
    }

    #[test]
    fn a_token_from_the_future_is_invalid_until_its_nbf() {
        let issuer_clock = Clock::system();
        issuer_clock.advance(chrono::Duration::seconds(LEEWAY_SECS as i64 + 60));
        let token = keys(&issuer_clock)
            .issue_access(Uuid::new_v4(), "inspector")
            .unwrap();
        let clock = Clock::system();
        let keys = keys(&clock);
        assert_eq!(code(keys.verify_access(&token)), codes::TOKEN_INVALID);
        clock.advance(chrono::Duration::seconds(60));
        assert_eq!(code(keys.verify_access(&token)), "ok");
    }
}
