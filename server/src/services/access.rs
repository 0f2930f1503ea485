//! Who may see or act on what: every access rule of the API, in one place.
//!
//! There are four roles. **Admins** and **reviewers** are staff of an agency (the inspectorate)
//! and see everything of their agency; **inspectors** are agency staff too, but see only the
//! inspections whose team they are on; **enterprise** users act for one enterprise and see only
//! what concerns it, in the case of the agency that invited them. The tenant of an inspection is
//! therefore its agency for staff, and its enterprise *and* agency for enterprise users: an
//! inspectorate's file on an enterprise is that inspectorate's case, and another agency's
//! inspections of the same enterprise are not shown to the users the first one invited.
//!
//! Something a user may not see is answered as absent (404), so ids of other tenants never leak;
//! something a user may see but not do is a 403. The other services ask this module and keep no
//! rules of their own. It depends on the entities only, never on another service.

use kiemtra_shared::auth::Role;
use kiemtra_shared::error::codes;
use kiemtra_shared::inspection::{InspectionStatus, TemplateRef};
use kiemtra_shared::response::Party;
use kiemtra_shared::template::TemplateStatus;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Select};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::entities::inspection_member::TeamRole;
use crate::entities::{enterprise, inspection, inspection_member};
use crate::error::AppError;

// Inspections.

/// The inspections `user` may see: admins and reviewers those of their agency, an inspector
/// those whose team they are on, an enterprise user those of its enterprise by the agency that
/// invited it.
pub fn inspections_visible_to(user: &CurrentUser) -> Select<inspection::Entity> {
    let query = inspection::Entity::find();
    match user.role {
        Role::Admin | Role::Reviewer => {
            query.filter(inspection::Column::AgencyId.eq(user.agency_id.unwrap_or_else(Uuid::nil)))
        }
        Role::Inspector => query
            .inner_join(inspection_member::Entity)
            .filter(inspection_member::Column::UserId.eq(user.id)),
        Role::Enterprise => query
            .filter(
                inspection::Column::EnterpriseId.eq(user.enterprise_id.unwrap_or_else(Uuid::nil)),
            )
            .filter(
                inspection::Column::AgencyId
                    .eq(user.invited_by_agency_id.unwrap_or_else(Uuid::nil)),
            ),
    }
}

/// The inspection `id` if `user` may see it ([`inspections_visible_to`]); otherwise 404, so its
/// existence does not leak.
#[tracing::instrument(skip_all, fields(user = %user.id, inspection = %id))]
pub async fn find_inspection(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> Result<inspection::Model, AppError> {
    inspections_visible_to(user)
        .filter(inspection::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Whether `user` is on the inspection's team (an inspector, or the reviewer who leads it).
#[tracing::instrument(skip_all, fields(user = %user.id, inspection = %inspection_id))]
pub async fn is_team_member(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    inspection_id: Uuid,
) -> Result<bool, AppError> {
    Ok(
        inspection_member::Entity::find_by_id((inspection_id, user.id))
            .one(db)
            .await?
            .is_some(),
    )
}

/// Whether `user` fills in forms and uploads evidence for `party` on this inspection: the
/// enterprise's own users for the enterprise, inspectors on the team for the team (a reviewer
/// leading the team reviews, never captures).
#[tracing::instrument(skip_all, fields(user = %user.id, inspection = %row.id, party = ?party))]
pub async fn acts_for(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    row: &inspection::Model,
    party: Party,
) -> Result<bool, AppError> {
    Ok(match party {
        Party::Enterprise => {
            user.role == Role::Enterprise && user.enterprise_id == Some(row.enterprise_id)
        }
        Party::Team => user.role == Role::Inspector && is_team_member(db, user, row.id).await?,
    })
}

/// Plans inspections: admins and reviewers of the agency. A reviewer plans the inspections
/// they lead (the planning service refuses another lead, naming the field).
pub fn require_planner(user: &CurrentUser) -> Result<(), AppError> {
    user.require(&[Role::Admin, Role::Reviewer])
}

/// Whether a planner may name `lead_id` as the team lead: an admin anyone eligible, a reviewer
/// only themselves (planning is the admin's, and the reviewer's who leads the team).
pub fn may_name_lead(user: &CurrentUser, lead_id: Uuid) -> bool {
    user.role == Role::Admin || lead_id == user.id
}

/// Changes the plan of an inspection (dates, team) and moves it along its status machine: its
/// agency's admins, and the reviewer who leads its team. `row` is one the user sees.
#[tracing::instrument(skip_all, fields(user = %user.id, inspection = %row.id))]
pub async fn require_plan_owner(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    row: &inspection::Model,
) -> Result<(), AppError> {
    require_planner(user)?;
    if user.role == Role::Admin {
        return Ok(());
    }
    let leads = inspection_member::Entity::find_by_id((row.id, user.id))
        .one(db)
        .await?
        .is_some_and(|m| m.team_role == TeamRole::Lead);
    if leads {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

// Responses and evidence.

/// Whether `user`, who sees the inspection, may read its responses of `party`: agency staff read
/// all of them; an enterprise user only its enterprise's own forms, not the team's checklist.
pub fn may_read_response(user: &CurrentUser, party: Party) -> bool {
    user.role != Role::Enterprise || party == Party::Enterprise
}

/// Whether `user`, who sees the inspection, may see its evidence filed under `item_key`
/// (`attached` are the inspection's templates): agency staff all of it; an enterprise user the
/// evidence of its own forms and its proof of fixes (`proof.<action id>`), not the team's site
/// evidence.
pub fn may_see_evidence(user: &CurrentUser, attached: &[TemplateRef], item_key: &str) -> bool {
    if user.role != Role::Enterprise || item_key.starts_with("proof.") {
        return true;
    }
    attached
        .iter()
        .find(|t| t.schema.item(item_key).is_some())
        .is_some_and(|t| Party::for_kind(t.kind) == Party::Enterprise)
}

// Review, findings, corrective actions and the conclusion.

/// Decides on evidence and answers, records findings, requires and verifies fixes, issues the
/// conclusion: admins and reviewers of the agency, not the inspectors who captured.
pub fn require_reviewer(user: &CurrentUser) -> Result<(), AppError> {
    user.require(&[Role::Admin, Role::Reviewer])
}

/// Whether `user` is agency staff (admin, reviewer, inspector), who read the review decisions
/// of the inspections they see; enterprise users see findings, not reviews.
pub fn is_agency_staff(user: &CurrentUser) -> bool {
    user.role != Role::Enterprise
}

/// Whether `user` may read review decisions marked internal ("Chỉ nội bộ"): agency staff only.
/// Every read that embeds a decision asks this, so an enterprise user never gets one.
pub fn sees_internal_reviews(user: &CurrentUser) -> bool {
    is_agency_staff(user)
}

/// [`is_agency_staff`] as a 403.
pub fn require_agency_staff(user: &CurrentUser) -> Result<(), AppError> {
    user.require(&[Role::Admin, Role::Reviewer, Role::Inspector])
}

/// Whether `user`, who sees the inspection, may see its findings and corrective actions yet:
/// agency staff always; the enterprise only once the agency has concluded (concluded, follow-up
/// or closed), and then only the confirmed findings ([`sees_unconfirmed_findings`]).
pub fn findings_released_to(user: &CurrentUser, inspection: &inspection::Model) -> bool {
    user.role != Role::Enterprise
        || matches!(
            inspection.status,
            InspectionStatus::Concluded | InspectionStatus::FollowUp | InspectionStatus::Closed
        )
}

/// Whether `user` sees proposed and dismissed findings too: agency staff; the enterprise sees
/// only the confirmed ones.
pub fn sees_unconfirmed_findings(user: &CurrentUser) -> bool {
    user.role != Role::Enterprise
}

/// Sends proof of a fix: only the enterprise the corrective action is addressed to (the caller
/// has checked that it sees the action).
pub fn require_enterprise(user: &CurrentUser) -> Result<(), AppError> {
    user.require(&[Role::Enterprise])
}

// Templates.

/// Writes templates (drafts, publishing): admins.
pub fn require_template_author(user: &CurrentUser) -> Result<(), AppError> {
    user.require(&[Role::Admin])
}

/// Lists template versions: agency staff (enterprise users use the templates of their
/// inspections instead).
pub fn require_template_reader(user: &CurrentUser) -> Result<(), AppError> {
    require_agency_staff(user)
}

/// Whether `user` sees draft template versions, not only the published ones: admins.
pub fn sees_template_drafts(user: &CurrentUser) -> bool {
    user.role == Role::Admin
}

/// Whether `user` may see the template version `template`: admins any, reviewers and
/// inspectors a published one, an enterprise user one attached to its inspections as a form
/// for the enterprise (questionnaire or self-inspection).
#[tracing::instrument(skip_all, fields(user = %user.id, template = %template.id))]
pub async fn may_see_template(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    template: &TemplateRef,
) -> Result<bool, AppError> {
    Ok(match user.role {
        Role::Admin => true,
        Role::Reviewer | Role::Inspector => template.status == TemplateStatus::Published,
        Role::Enterprise => inspections_visible_to(user)
            .filter(
                Condition::any()
                    .add(inspection::Column::QuestionnaireTemplateId.eq(template.id))
                    .add(inspection::Column::SelfInspectionTemplateId.eq(template.id)),
            )
            .one(db)
            .await?
            .is_some(),
    })
}

// Enterprises and accounts.

/// The enterprises `user` may see: agency staff the whole register (one for the inspectorate),
/// an enterprise user only its own.
pub fn enterprises_visible_to(user: &CurrentUser) -> Select<enterprise::Entity> {
    let query = enterprise::Entity::find();
    match user.role {
        Role::Enterprise => {
            query.filter(enterprise::Column::Id.eq(user.enterprise_id.unwrap_or_else(Uuid::nil)))
        }
        Role::Admin | Role::Reviewer | Role::Inspector => query,
    }
}

/// Adds and edits enterprises of the register: admins and reviewers.
pub fn require_register_editor(user: &CurrentUser) -> Result<(), AppError> {
    user.require(&[Role::Admin, Role::Reviewer])
}

/// Manages the accounts of the agency (create, list, change role, disable): admins, for their
/// own agency and the enterprise accounts.
pub fn require_account_admin(user: &CurrentUser) -> Result<(), AppError> {
    user.require(&[Role::Admin])
}

/// Lists accounts: admins (all of their agency, and the enterprise accounts), and reviewers,
/// who plan teams, only the active staff of their own agency.
pub fn require_account_reader(user: &CurrentUser) -> Result<(), AppError> {
    user.require(&[Role::Admin, Role::Reviewer])
}

/// Invites a person to act for an enterprise: admins and reviewers.
pub fn require_inviter(user: &CurrentUser) -> Result<(), AppError> {
    user.require(&[Role::Admin, Role::Reviewer])
}

/// Invites a person to act for `enterprise_id`: an admin or reviewer ([`require_inviter`]) of an
/// agency that has an inspection of it, planned or later. The register is shared, so an
/// enterprise the agency has not inspected is one its staff *see* (404 only if it is not in the
/// register at all) but may not act for: a 403 `enterprise_not_inspected`. Otherwise any agency
/// could give someone the enterprise's inspections by adding it to the register.
#[tracing::instrument(skip_all, fields(user = %user.id, enterprise = %enterprise_id))]
pub async fn require_may_invite_into(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    enterprise_id: Uuid,
) -> Result<(), AppError> {
    require_inviter(user)?;
    enterprises_visible_to(user)
        .filter(enterprise::Column::Id.eq(enterprise_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let inspected = inspection::Entity::find()
        .filter(inspection::Column::AgencyId.eq(user.agency_id.unwrap_or_else(Uuid::nil)))
        .filter(inspection::Column::EnterpriseId.eq(enterprise_id))
        .one(db)
        .await?
        .is_some();
    if inspected {
        Ok(())
    } else {
        Err(AppError::ForbiddenBecause {
            code: codes::ENTERPRISE_NOT_INSPECTED,
            message: "Your agency has no inspection of this enterprise: plan one before inviting \
                      its people."
                .to_owned(),
        })
    }
}
