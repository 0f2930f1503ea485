//! Findings (vi phạm), corrective actions (yêu cầu khắc phục) and the conclusion (kết luận).
//!
//! Findings are proposed from the non-compliant answers the shared engine finds in submitted
//! responses, each with its legal basis, and confirmed, edited or dismissed by reviewers. The
//! conclusion closes the review once no finding is left undecided. The enterprise sees the
//! confirmed findings and their corrective actions from then on, and sends proof of each fix;
//! the agency verifies it, and an open action past its due date is overdue.

use chrono::{NaiveDate, Utc};
use kiemtra_shared::compliance::compliance;
use kiemtra_shared::inspection::InspectionStatus;
use kiemtra_shared::paging::Paging;
use kiemtra_shared::response::ResponseStatus;
use kiemtra_shared::review::{
    CorrectiveActionStatus, CorrectiveActionView, CreateConclusion, CreateCorrectiveAction,
    CreateFinding, FindingStatus, FindingView, SubmitProof, UpdateFinding, VerifyProof,
};
use kiemtra_shared::template::Severity;
use sea_orm::sea_query::{Expr, ExprTrait, Order};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::clock::Clock;
use crate::db::paged;
use crate::entities::{conclusion, corrective_action, evidence, finding, inspection, response};
use crate::error::AppError;
use crate::services::access::{self, require_reviewer};
use crate::services::audit;
use crate::services::{inspections, responses, templates};

pub fn finding_view(row: finding::Model) -> Result<FindingView, AppError> {
    Ok(FindingView {
        id: row.id,
        inspection_id: row.inspection_id,
        response_id: row.response_id,
        slot: row.slot,
        item_key: row.item_key,
        title: row.title,
        description: row.description,
        legal_basis: row.legal_basis,
        severity: row.severity,
        status: row.status,
        updated_at: row.updated_at,
    })
}

pub fn action_view(
    row: corrective_action::Model,
    today: NaiveDate,
) -> Result<CorrectiveActionView, AppError> {
    let stored = row.status;
    let status = if stored == CorrectiveActionStatus::Open && row.due_date < today {
        CorrectiveActionStatus::Overdue
    } else {
        stored
    };
    Ok(CorrectiveActionView {
        id: row.id,
        finding_id: row.finding_id,
        inspection_id: row.inspection_id,
        description: row.description,
        due_date: row.due_date,
        status,
        proof: serde_json::from_value(row.proof).map_err(AppError::internal)?,
        proof_note: row.proof_note,
        rejection_reason: row.rejection_reason,
        verified_at: row.verified_at,
    })
}

/// Findings of an inspection: all of them for agency staff; the confirmed ones for the
/// enterprise once the inspection is concluded.
#[tracing::instrument(skip_all, fields(user = %user.id, inspection = %inspection_id))]
pub async fn list(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    inspection_id: Uuid,
) -> Result<Vec<FindingView>, AppError> {
    let row = access::find_inspection(db, user, inspection_id).await?;
    if !access::findings_released_to(user, &row) {
        return Ok(Vec::new());
    }
    let mut query = finding::Entity::find().filter(finding::Column::InspectionId.eq(row.id));
    if !access::sees_unconfirmed_findings(user) {
        query = query.filter(finding::Column::Status.eq(FindingStatus::Confirmed));
    }
    query
        .order_by_asc(finding::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(finding_view)
        .collect()
}

fn ensure_reviewing(row: &inspection::Model) -> Result<(), AppError> {
    let status = row.status;
    if matches!(
        status,
        InspectionStatus::Submitted | InspectionStatus::UnderReview
    ) {
        Ok(())
    } else {
        Err(AppError::Conflict(format!(
            "Findings are made during review; the inspection is {}.",
            status
        )))
    }
}

/// Proposes a finding for each non-compliant answer of the current submitted responses that
/// has none yet, and returns all findings of the inspection.
#[tracing::instrument(skip_all, fields(user = %user.id, inspection = %inspection_id))]
pub async fn propose<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &CurrentUser,
    inspection_id: Uuid,
) -> Result<Vec<FindingView>, AppError> {
    let row = access::find_inspection(db, user, inspection_id).await?;
    require_reviewer(user)?;
    ensure_reviewing(&row)?;
    let submitted = response::Entity::find()
        .filter(response::Column::InspectionId.eq(row.id))
        .filter(response::Column::Status.eq(ResponseStatus::Submitted))
        .all(db)
        .await?;
    let existing: Vec<(Option<Uuid>, Option<String>)> = finding::Entity::find()
        .filter(finding::Column::InspectionId.eq(row.id))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.response_id, f.slot))
        .collect();
    let now = Utc::now();
    let txn = crate::db::begin_write(db).await?;
    for submitted_response in submitted {
        let template = templates::find(db, submitted_response.template_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let answers = responses::load_answers(db, submitted_response.id).await?;
        for non_compliance in compliance(&template.schema, &answers) {
            let slot = match non_compliance.instance {
                None => format!("items/{}", non_compliance.item_key),
                Some(n) => {
                    let section = template
                        .schema
                        .locate(&non_compliance.item_key)
                        .map(|l| l.section.key.clone())
                        .unwrap_or_default();
                    format!("repeats/{section}/{n}/{}", non_compliance.item_key)
                }
            };
            if existing.contains(&(Some(submitted_response.id), Some(slot.clone()))) {
                continue;
            }
            let item = template.schema.item(&non_compliance.item_key);
            let title = item
                .map(|i| i.label.vi.clone())
                .unwrap_or_else(|| non_compliance.item_key.clone());
            let created = finding::ActiveModel {
                id: Set(Uuid::new_v4()),
                inspection_id: Set(row.id),
                response_id: Set(Some(submitted_response.id)),
                slot: Set(Some(slot)),
                item_key: Set(Some(non_compliance.item_key.clone())),
                title: Set(title),
                description: Set(non_compliance.reason.vi.clone()),
                legal_basis: Set(non_compliance.legal_basis.clone()),
                severity: Set(non_compliance.severity.unwrap_or(Severity::Major)),
                status: Set(FindingStatus::Proposed),
                created_by: Set(user.id),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await?;
            audit::record_by(
                &txn,
                user,
                "finding.proposed",
                "finding",
                created.id,
                row.id,
                &finding_view(created.clone())?,
            )
            .await?;
        }
    }
    txn.commit().await?;
    list(db, user, inspection_id).await
}

#[tracing::instrument(skip_all, fields(user = %user.id, inspection = %inspection_id))]
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &CurrentUser,
    inspection_id: Uuid,
    request: CreateFinding,
) -> Result<FindingView, AppError> {
    let row = access::find_inspection(db, user, inspection_id).await?;
    require_reviewer(user)?;
    ensure_reviewing(&row)?;
    check_texts(&request.title, &request.description)?;
    let now = Utc::now();
    let txn = crate::db::begin_write(db).await?;
    let created = finding::ActiveModel {
        id: Set(Uuid::new_v4()),
        inspection_id: Set(row.id),
        response_id: Set(None),
        slot: Set(None),
        item_key: Set(None),
        title: Set(request.title.trim().to_owned()),
        description: Set(request.description.trim().to_owned()),
        legal_basis: Set(request.legal_basis.clone()),
        severity: Set(request.severity),
        status: Set(FindingStatus::Confirmed),
        created_by: Set(user.id),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let view = finding_view(created)?;
    audit::record_by(
        &txn,
        user,
        "finding.created",
        "finding",
        view.id,
        row.id,
        &view,
    )
    .await?;
    txn.commit().await?;
    Ok(view)
}

fn check_texts(title: &str, description: &str) -> Result<(), AppError> {
    let mut errors = Vec::new();
    if title.trim().is_empty() || title.chars().count() > 255 {
        errors.push(AppError::field(
            "title",
            "invalid_length",
            "1 to 255 characters.",
        ));
    }
    if description.trim().is_empty() {
        errors.push(AppError::field(
            "description",
            "required",
            "Describe the finding.",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::validation("The finding is incomplete.", errors))
    }
}

/// The finding and its inspection, for agency staff who may review it.
async fn reviewable_finding(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> Result<(finding::Model, inspection::Model), AppError> {
    let row = finding::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let inspection = access::find_inspection(db, user, row.inspection_id).await?;
    require_reviewer(user)?;
    Ok((row, inspection))
}

#[tracing::instrument(skip_all, fields(user = %user.id, finding = %id))]
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &CurrentUser,
    id: Uuid,
    request: UpdateFinding,
) -> Result<FindingView, AppError> {
    let (row, inspection) = reviewable_finding(db, user, id).await?;
    ensure_reviewing(&inspection)?;
    check_texts(
        request.title.as_deref().unwrap_or(&row.title),
        request.description.as_deref().unwrap_or(&row.description),
    )?;
    let txn = crate::db::begin_write(db).await?;
    let mut model: finding::ActiveModel = row.into();
    if let Some(v) = &request.title {
        model.title = Set(v.trim().to_owned());
    }
    if let Some(v) = &request.description {
        model.description = Set(v.trim().to_owned());
    }
    if let Some(v) = &request.legal_basis {
        model.legal_basis = Set(Some(v.clone()));
    }
    if let Some(v) = request.severity {
        model.severity = Set(v);
    }
    if let Some(v) = request.status {
        model.status = Set(v);
    }
    model.updated_at = Set(Utc::now());
    let view = finding_view(model.update(&txn).await?)?;
    audit::record_by(
        &txn,
        user,
        "finding.updated",
        "finding",
        id,
        inspection.id,
        &request,
    )
    .await?;
    txn.commit().await?;
    Ok(view)
}

/// A corrective action for a confirmed finding, with its due date (reviewers).
#[tracing::instrument(skip_all, fields(user = %user.id, finding = %finding_id))]
pub async fn create_action<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    user: &CurrentUser,
    finding_id: Uuid,
    request: CreateCorrectiveAction,
) -> Result<CorrectiveActionView, AppError> {
    let (row, inspection) = reviewable_finding(db, user, finding_id).await?;
    if row.status != FindingStatus::Confirmed {
        return Err(AppError::Conflict(
            "Confirm the finding before requiring a fix.".to_owned(),
        ));
    }
    if request.description.trim().is_empty() {
        return Err(AppError::validation(
            "Say what must be fixed.",
            vec![AppError::field(
                "description",
                "required",
                "Describe the corrective action.",
            )],
        ));
    }
    let now = clock.now();
    let txn = crate::db::begin_write(db).await?;
    let created = corrective_action::ActiveModel {
        id: Set(Uuid::new_v4()),
        finding_id: Set(row.id),
        inspection_id: Set(inspection.id),
        description: Set(request.description.trim().to_owned()),
        due_date: Set(request.due_date),
        status: Set(CorrectiveActionStatus::Open),
        proof: Set(serde_json::json!([])),
        proof_note: Set(None),
        rejection_reason: Set(None),
        created_by: Set(user.id),
        created_at: Set(now),
        updated_at: Set(now),
        verified_by: Set(None),
        verified_at: Set(None),
    }
    .insert(&txn)
    .await?;
    let view = action_view(created, now.date_naive())?;
    audit::record_by(
        &txn,
        user,
        "corrective_action.created",
        "corrective_action",
        view.id,
        inspection.id,
        &view,
    )
    .await?;
    txn.commit().await?;
    Ok(view)
}

/// Which corrective actions a follow-up list holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ActionFilter {
    /// The status as shown ([`action_view`]): `Open` is open and not yet due, `Overdue` open
    /// past its due date.
    pub status: Option<CorrectiveActionStatus>,
    /// Open actions due from today to this many days on (today is the first).
    pub due_within_days: Option<u32>,
}

impl ActionFilter {
    pub fn overdue() -> Self {
        ActionFilter {
            status: Some(CorrectiveActionStatus::Overdue),
            due_within_days: None,
        }
    }
}

/// The corrective actions the user follows: the agency's for staff, its own for an enterprise
/// (once concluded); with `overdue_only`, those open past their due date.
#[tracing::instrument(skip_all, fields(user = %user.id, inspection = ?inspection_id, overdue_only = overdue_only))]
pub async fn follow_up(
    db: &impl ConnectionTrait,
    clock: &Clock,
    user: &CurrentUser,
    inspection_id: Option<Uuid>,
    overdue_only: bool,
) -> Result<Vec<CorrectiveActionView>, AppError> {
    let filter = if overdue_only {
        ActionFilter::overdue()
    } else {
        ActionFilter::default()
    };
    Ok(follow_up_page(db, clock, user, inspection_id, filter, None)
        .await?
        .0)
}

/// [`follow_up`] with a filter, one page at a time, with the total. The overdue ones come
/// first, most days late first; then the others by due date.
#[tracing::instrument(skip_all, fields(user = %user.id, inspection = ?inspection_id, filter = ?filter))]
pub async fn follow_up_page(
    db: &impl ConnectionTrait,
    clock: &Clock,
    user: &CurrentUser,
    inspection_id: Option<Uuid>,
    filter: ActionFilter,
    paging: Option<Paging>,
) -> Result<(Vec<CorrectiveActionView>, u64), AppError> {
    let mut visible = access::inspections_visible_to(user);
    if let Some(id) = inspection_id {
        visible = visible.filter(inspection::Column::Id.eq(id));
    }
    let inspections: Vec<inspection::Model> = visible.all(db).await?;
    if inspection_id.is_some() && inspections.is_empty() {
        return Err(AppError::NotFound);
    }
    let ids: Vec<Uuid> = inspections
        .iter()
        .filter(|i| access::findings_released_to(user, i))
        .map(|i| i.id)
        .collect();
    let today = clock.today();
    let mut query = corrective_action::Entity::find()
        .filter(corrective_action::Column::InspectionId.is_in(ids));
    let open = CorrectiveActionStatus::Open;
    match filter.status {
        None => {}
        Some(CorrectiveActionStatus::Overdue) => {
            query = query
                .filter(corrective_action::Column::Status.eq(open))
                .filter(corrective_action::Column::DueDate.lt(today));
        }
        Some(CorrectiveActionStatus::Open) => {
            query = query
                .filter(corrective_action::Column::Status.eq(open))
                .filter(corrective_action::Column::DueDate.gte(today));
        }
        Some(status) => query = query.filter(corrective_action::Column::Status.eq(status)),
    }
    if let Some(days) = filter.due_within_days {
        query = query
            .filter(corrective_action::Column::Status.eq(open))
            .filter(corrective_action::Column::DueDate.gte(today))
            .filter(corrective_action::Column::DueDate.lt(today + chrono::Days::new(days.into())));
    }
    // Overdue first (most days late first), then by due date.
    let overdue_first: Expr = Expr::case(
        corrective_action::Column::Status
            .eq(open)
            .and(corrective_action::Column::DueDate.lt(today)),
        0,
    )
    .finally(1)
    .into();
    let query = query
        .order_by(overdue_first, Order::Asc)
        .order_by_asc(corrective_action::Column::DueDate)
        .order_by_asc(corrective_action::Column::Id);
    let (rows, total) = paged(db, query, paging).await?;
    let items = rows
        .into_iter()
        .map(|row| action_view(row, today))
        .collect::<Result<_, _>>()?;
    Ok((items, total))
}

async fn visible_action(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> Result<(corrective_action::Model, inspection::Model), AppError> {
    let row = corrective_action::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let inspection = access::find_inspection(db, user, row.inspection_id).await?;
    if !access::findings_released_to(user, &inspection) {
        return Err(AppError::NotFound);
    }
    Ok((row, inspection))
}

/// Whether a corrective action exists in the inspection: proof evidence is uploaded under the
/// item key `proof.<action id>`.
#[tracing::instrument(skip_all, fields(action = %action_id, inspection = %inspection_id))]
pub async fn action_in_inspection(
    db: &impl ConnectionTrait,
    action_id: Uuid,
    inspection_id: Uuid,
) -> Result<bool, AppError> {
    Ok(corrective_action::Entity::find_by_id(action_id)
        .one(db)
        .await?
        .is_some_and(|a| a.inspection_id == inspection_id))
}

/// The enterprise sends proof of a fix: evidence it uploaded for this action.
#[tracing::instrument(skip_all, fields(user = %user.id, action = %id))]
pub async fn submit_proof<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    user: &CurrentUser,
    id: Uuid,
    request: SubmitProof,
) -> Result<CorrectiveActionView, AppError> {
    let (row, inspection) = visible_action(db, user, id).await?;
    access::require_enterprise(user)?;
    if row.status == CorrectiveActionStatus::Verified {
        return Err(AppError::Conflict(
            "This fix is verified already.".to_owned(),
        ));
    }
    let proof_key = format!("proof.{id}");
    let mut errors = Vec::new();
    if request.evidence_ids.is_empty() {
        errors.push(AppError::field(
            "evidence_ids",
            "required",
            "Attach at least one document or photo.",
        ));
    }
    for (i, evidence_id) in request.evidence_ids.iter().enumerate() {
        let ok = evidence::Entity::find_by_id(*evidence_id)
            .one(db)
            .await?
            .is_some_and(|e| e.inspection_id == inspection.id && e.item_key == proof_key);
        if !ok {
            errors.push(AppError::field(
                &format!("evidence_ids[{i}]"),
                "unknown_evidence",
                &format!("Upload the proof first, with item key {proof_key}."),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::validation("The proof is not usable.", errors));
    }
    let txn = crate::db::begin_write(db).await?;
    let mut model: corrective_action::ActiveModel = row.into();
    model.status = Set(CorrectiveActionStatus::ProofSubmitted);
    model.proof = Set(serde_json::to_value(&request.evidence_ids).map_err(AppError::internal)?);
    model.proof_note = Set(request.note.clone());
    model.updated_at = Set(clock.now());
    let view = action_view(model.update(&txn).await?, clock.today())?;
    audit::record_by(
        &txn,
        user,
        "corrective_action.proof_submitted",
        "corrective_action",
        id,
        inspection.id,
        &request,
    )
    .await?;
    txn.commit().await?;
    Ok(view)
}

/// The agency accepts the proof (verified) or sends the action back open, with a reason.
#[tracing::instrument(skip_all, fields(user = %user.id, action = %id))]
pub async fn verify<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    user: &CurrentUser,
    id: Uuid,
    request: VerifyProof,
) -> Result<CorrectiveActionView, AppError> {
    let (row, inspection) = visible_action(db, user, id).await?;
    require_reviewer(user)?;
    if row.status != CorrectiveActionStatus::ProofSubmitted {
        return Err(AppError::Conflict(
            "There is no proof waiting to be verified.".to_owned(),
        ));
    }
    let reason = request
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if !request.accepted && reason.is_none() {
        return Err(AppError::validation(
            "Say why.",
            vec![AppError::field(
                "reason",
                "required",
                "Say why the proof is not accepted.",
            )],
        ));
    }
    let now = clock.now();
    let txn = crate::db::begin_write(db).await?;
    let mut model: corrective_action::ActiveModel = row.into();
    if request.accepted {
        model.status = Set(CorrectiveActionStatus::Verified);
        model.verified_by = Set(Some(user.id));
        model.verified_at = Set(Some(now));
        model.rejection_reason = Set(None);
    } else {
        model.status = Set(CorrectiveActionStatus::Open);
        model.rejection_reason = Set(reason.map(str::to_owned));
    }
    model.updated_at = Set(now);
    let view = action_view(model.update(&txn).await?, now.date_naive())?;
    audit::record_by(
        &txn,
        user,
        "corrective_action.verified",
        "corrective_action",
        id,
        inspection.id,
        &request,
    )
    .await?;
    txn.commit().await?;
    Ok(view)
}

/// Issues the conclusion: no finding may be left proposed. The inspection becomes concluded.
/// The conclusion as shown is a read model ([`crate::read_models::conclusion`]).
#[tracing::instrument(skip_all, fields(user = %user.id, inspection = %inspection_id))]
pub async fn conclude<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &CurrentUser,
    inspection_id: Uuid,
    request: CreateConclusion,
) -> Result<(), AppError> {
    let row = access::find_inspection(db, user, inspection_id).await?;
    require_reviewer(user)?;
    let undecided = finding::Entity::find()
        .filter(finding::Column::InspectionId.eq(row.id))
        .filter(finding::Column::Status.eq(FindingStatus::Proposed))
        .all(db)
        .await?;
    if !undecided.is_empty() {
        return Err(AppError::Conflict(format!(
            "{} proposed finding(s) are not confirmed or dismissed yet.",
            undecided.len()
        )));
    }
    let mut errors = Vec::new();
    if request.number.trim().is_empty() {
        errors.push(AppError::field(
            "number",
            "required",
            "The conclusion's document number.",
        ));
    }
    if request.summary.trim().is_empty() {
        errors.push(AppError::field(
            "summary",
            "required",
            "Summarise the conclusion.",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::validation(
            "The conclusion is incomplete.",
            errors,
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    // The status machine refuses a conclusion outside review (409 naming the allowed moves).
    inspections::set_status(&txn, user, row.clone(), InspectionStatus::Concluded).await?;
    conclusion::ActiveModel {
        inspection_id: Set(row.id),
        number: Set(request.number.trim().to_owned()),
        summary: Set(request.summary.trim().to_owned()),
        sanctions: Set(request.sanctions.clone()),
        concluded_by: Set(user.id),
        concluded_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await?;
    audit::record_by(
        &txn,
        user,
        "conclusion.issued",
        "conclusion",
        row.id,
        row.id,
        &request,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
