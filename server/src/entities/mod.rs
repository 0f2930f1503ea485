//! sea-orm entities: persistence only. Request and response types live in `kiemtra_shared`.

pub mod agency;
pub mod answer;
pub mod app_user;
pub mod audit_event;
pub mod audit_head;
pub mod enterprise;
pub mod evidence;
pub mod inspection;
pub mod inspection_member;
pub mod invite;
pub mod login_failure;
pub mod refresh_token;
pub mod response;
pub mod template;
