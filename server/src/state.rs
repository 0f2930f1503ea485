//! What every handler can reach: the database, the object store, the token keys and settings.

use sea_orm::DatabaseConnection;

use crate::auth::token::TokenKeys;
use crate::settings::Settings;
use crate::storage::ObjectStore;

pub struct AppState {
    pub db: DatabaseConnection,
    pub storage: ObjectStore,
    pub tokens: TokenKeys,
    pub settings: Settings,
}
