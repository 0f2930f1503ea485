//! `GET /api/health`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentStatus {
    Ok,
    Unavailable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// `ok` when every component is, `unavailable` otherwise (answered with 503).
    pub status: ComponentStatus,
    pub database: ComponentStatus,
    pub object_storage: ComponentStatus,
    pub version: String,
}
