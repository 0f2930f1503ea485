//! The kiemtra server as a library: `main.rs` only loads settings and runs [`startup::Application`],
//! so the tests start the very same app in-process on port 0.

pub mod auth;
pub mod clock;
pub mod db;
pub mod entities;
pub mod error;
pub mod extract;
#[cfg(test)]
mod layering;
pub mod mail;
pub mod media;
pub mod read_models;
pub mod routes;
pub mod secrets;
pub mod seed;
pub mod services;
pub mod settings;
pub mod startup;
pub mod state;
pub mod storage;
pub mod telemetry;
