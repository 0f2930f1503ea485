//! Pieces shared by several pages.

pub mod app_bar;
pub mod format;
pub mod notice;
pub mod photo;
pub mod status_chip;
