//! What every handler can reach: the database, the object store, the token keys, the clock and
//! settings.

use sea_orm::DatabaseConnection;

use crate::auth::token::TokenKeys;
use crate::clock::Clock;
use crate::mail::Mailer;
use crate::services::evidence::derivatives::Derivatives;
use crate::services::evidence::lease::LocalLocks;
use crate::settings::Settings;
use crate::storage::ObjectStore;

pub struct AppState {
    pub db: DatabaseConnection,
    pub storage: ObjectStore,
    /// Makes thumbnails and previews in the background.
    pub derivatives: Derivatives,
    pub tokens: TokenKeys,
    /// The time token expiry, upload expiry and overdue dates go by; tests move it forward.
    pub clock: Clock,
    pub settings: Settings,
    /// Sends invitation and password-reset e-mails (sends nothing without SMTP settings).
    pub mailer: Mailer,
    /// Where users reach the app, for links in e-mails: `server.public_url`, else the bound
    /// address. No trailing slash.
    pub public_url: String,
    /// Resumable uploads being written by this process.
    pub uploads: LocalLocks,
}
