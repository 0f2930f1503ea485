//! One component per route.

pub mod accept_invite;
pub mod inspection_detail;
pub mod inspection_list;
pub mod login;
pub mod not_found;
