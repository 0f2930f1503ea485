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
pub mod password_reset;
pub mod refresh_token;
pub mod response;
pub mod review_decision;
pub mod sync_op;
pub mod template;
pub mod upload;

#[cfg(test)]
mod tests {
    use kiemtra_shared::auth::Role;
    use kiemtra_shared::evidence::EvidenceKind;
    use kiemtra_shared::inspection::InspectionStatus;
    use kiemtra_shared::response::{Party, ResponseStatus};
    use kiemtra_shared::review::{CorrectiveActionStatus, Decision, FindingStatus};
    use kiemtra_shared::template::{Severity, TemplateKind, TemplateStatus};
    use sea_orm::ActiveEnum;
    use serde::Serialize;

    /// Every variant is stored under its serde name, the spelling the API uses: a stored
    /// string never changes with the wire format, nor the other way round, without this failing.
    fn stored_as_serde_name<E: ActiveEnum<Value = String> + Serialize + std::fmt::Debug>() {
        for variant in E::iter() {
            assert_eq!(
                serde_json::to_value(&variant).unwrap(),
                serde_json::Value::String(variant.to_value()),
                "{variant:?}"
            );
        }
    }

    #[test]
    fn stored_enums_keep_their_serde_names() {
        stored_as_serde_name::<Role>();
        stored_as_serde_name::<InspectionStatus>();
        stored_as_serde_name::<EvidenceKind>();
        stored_as_serde_name::<Party>();
        stored_as_serde_name::<ResponseStatus>();
        stored_as_serde_name::<Decision>();
        stored_as_serde_name::<FindingStatus>();
        stored_as_serde_name::<CorrectiveActionStatus>();
        stored_as_serde_name::<Severity>();
        stored_as_serde_name::<TemplateKind>();
        stored_as_serde_name::<TemplateStatus>();
    }
}
