//! One component per route.

pub mod accept_invite;
pub mod forgot_password;
pub mod inspection_detail;
pub mod inspection_list;
pub mod login;
pub mod new_password;
pub mod not_found;
pub mod reset_password;
