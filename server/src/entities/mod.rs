//! sea-orm entities: persistence only. Request and response types live in `kiemtra_shared`.

pub mod agency;
pub mod answer;
pub mod app_user;
pub mod audit_event;
pub mod audit_head;
pub mod conclusion;
pub mod corrective_action;
pub mod enterprise;
pub mod evidence;
pub mod finding;
pub mod inspection;
pub mod inspection_member;
pub mod invite;
pub mod login_failure;
pub mod refresh_token;
pub mod response;
pub mod review_decision;
pub mod sync_op;
pub mod template;
pub mod upload;
