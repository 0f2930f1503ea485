//! Domain logic. Functions take `&impl ConnectionTrait` so the same code runs on the pool or
//! inside a transaction; handlers stay thin. Who may see or do what is decided in [`access`]
//! alone; views assembled from several services are in [`crate::read_models`].

pub mod access;
pub mod audit;
pub mod auth;
pub mod enterprises;
pub mod evidence;
pub mod findings;
pub mod inspections;
pub mod password_reset;
pub mod responses;
pub mod review;
pub mod sessions;
pub mod sync;
pub mod templates;
pub mod users;
