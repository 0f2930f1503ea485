//! Enums stored as their serde names (`in_progress`, `site_checklist`): one spelling in the
//! API and the database, and no hand-written conversion per enum.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// The serde name of a unit variant.
pub fn to_db<T: Serialize>(value: T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        other => unreachable!("db enums serialise to a string, not {other:?}"),
    }
}

/// Reads a stored name back; an unknown one is a corrupt row, so an internal error.
pub fn from_db<T: DeserializeOwned>(stored: &str) -> Result<T, AppError> {
    serde_json::from_value(serde_json::Value::String(stored.to_owned())).map_err(|e| {
        AppError::internal(anyhow::anyhow!(
            "stored value {stored:?} is not a {}: {e}",
            std::any::type_name::<T>()
        ))
    })
}
