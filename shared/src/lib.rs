//! Types and rules shared by the kiemtra server and the PWA.
//!
//! Everything here compiles for `wasm32-unknown-unknown` as well as the host: no tokio, no actix,
//! no database. Request bodies reject unknown fields so that a client cannot mass-assign
//! server-owned columns (a role, an enterprise id).
//!
//! Enums the database stores derive `sea_orm::DeriveActiveEnum` under the `sea-orm` feature (the
//! server turns it on; the PWA never does), so the server's entities have typed columns. Each
//! variant names its stored string (`string_value`), equal to its serde name: renaming a variant
//! never changes stored rows, and a server test checks the two spellings agree.

pub mod answers;
pub mod auth;
pub mod compliance;
pub mod condition;
pub mod dashboard;
pub mod digest;
pub mod email;
pub mod enterprise;
pub mod error;
pub mod evidence;
pub mod file_name;
pub mod finite;
mod form;
pub mod health;
pub mod inspection;
pub mod item_path;
pub mod measurement;
pub mod paging;
pub mod response;
pub mod review;
pub mod seed_templates;
pub mod serde_name;
pub mod sync;
pub mod tax_code;
pub mod template;
#[cfg(test)]
mod test_support;
pub mod tus;
pub mod validate;

/// Prefix of every versioned API route.
pub const API_V1: &str = "/api/v1";
