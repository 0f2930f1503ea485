//! Responses: one filled template per party and inspection, kept as versions. A draft is saved
//! as often as needed, checked in full by the shared form engine when submitted, and amended by
//! a new draft version that supersedes the submitted one when it is submitted in turn.
//!
//! Answers are stored one row per slot (`items/<item>`, `repeats/<section>/<n>/<item>`), so a
//! single answer can be written, reviewed and synced on its own.

use chrono::Utc;
use kiemtra_shared::answers::{Answer, Answers};
use kiemtra_shared::compliance::compliance;
use kiemtra_shared::error::FieldError;
use kiemtra_shared::inspection::{InspectionStatus, ResponseView, SubmitResponse, TemplateRef};
use kiemtra_shared::response::{AmendResponse, CreateResponse, Party, ResponseStatus, SaveAnswers};
use kiemtra_shared::validate::{rule, validate};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::db_enum::{from_db, to_db};
use crate::entities::{answer, inspection, response};
use crate::error::{AppError, differing};
use crate::services::audit;
use crate::services::{access, inspections, templates};

/// What a write did: made something new, or found the same thing already there (a retry).
pub enum Written<T> {
    Created(T),
    AlreadyThere(T),
}

pub fn view(
    row: response::Model,
    answers: Answers,
    template: &TemplateRef,
) -> Result<ResponseView, AppError> {
    Ok(ResponseView {
        non_compliances: compliance(&template.schema, &answers),
        id: row.id,
        inspection_id: row.inspection_id,
        template_id: row.template_id,
        party: from_db(&row.party)?,
        status: from_db(&row.status)?,
        version: row.version,
        supersedes_id: row.supersedes_id,
        created_by: row.created_by,
        updated_at: row.updated_at,
        submitted_by: row.submitted_by,
        submitted_at: row.submitted_at,
        answers,
    })
}

/// One entry per answer slot whose stored and sent answers differ (`answers.<slot>`).
fn answer_differences(stored: &Answers, sent: &Answers) -> Vec<(String, String, String)> {
    let as_map = |answers: &Answers| -> std::collections::BTreeMap<String, String> {
        slots(answers)
            .into_iter()
            .map(|(slot, _, answer)| (slot, serde_json::to_string(answer).unwrap_or_default()))
            .collect()
    };
    let (stored, sent) = (as_map(stored), as_map(sent));
    let mut keys: Vec<&String> = stored.keys().chain(sent.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| stored.get(*k) != sent.get(*k))
        .map(|k| {
            let show = |v: Option<&String>| v.cloned().unwrap_or_else(|| "no answer".to_owned());
            (
                format!("answers.{k}"),
                show(stored.get(k)),
                show(sent.get(k)),
            )
        })
        .collect()
}

/// Every answer of a set with the slot it is stored under.
fn slots(answers: &Answers) -> Vec<(String, &str, &Answer)> {
    let mut out: Vec<(String, &str, &Answer)> = answers
        .items
        .iter()
        .map(|(k, a)| (format!("items/{k}"), k.as_str(), a))
        .collect();
    for (section, instances) in &answers.repeats {
        for (n, instance) in instances.iter().enumerate() {
            for (k, a) in instance {
                out.push((format!("repeats/{section}/{n}/{k}"), k.as_str(), a));
            }
        }
    }
    out
}

fn answers_from_rows(rows: Vec<answer::Model>) -> Result<Answers, AppError> {
    let mut answers = Answers::new();
    for row in rows {
        let value: Answer = serde_json::from_value(row.value).map_err(AppError::internal)?;
        let parts: Vec<&str> = row.slot.splitn(4, '/').collect();
        match parts.as_slice() {
            ["items", _] => {
                answers.items.insert(row.item_key, value);
            }
            ["repeats", section, n, _] => {
                let n: usize = n.parse().map_err(AppError::internal)?;
                let instances = answers.repeats.entry((*section).to_owned()).or_default();
                if instances.len() <= n {
                    instances.resize_with(n + 1, Default::default);
                }
                instances[n].insert(row.item_key, value);
            }
            _ => {
                return Err(AppError::internal(anyhow::anyhow!(
                    "bad answer slot {}",
                    row.slot
                )));
            }
        }
    }
    Ok(answers)
}

#[tracing::instrument(skip_all, fields(response = %response_id))]
pub async fn load_answers(
    db: &impl ConnectionTrait,
    response_id: Uuid,
) -> Result<Answers, AppError> {
    answers_from_rows(
        answer::Entity::find()
            .filter(answer::Column::ResponseId.eq(response_id))
            .order_by_asc(answer::Column::Slot)
            .all(db)
            .await?,
    )
}

async fn replace_answers(
    db: &impl ConnectionTrait,
    response_id: Uuid,
    answers: &Answers,
    user: Uuid,
) -> Result<(), AppError> {
    answer::Entity::delete_many()
        .filter(answer::Column::ResponseId.eq(response_id))
        .exec(db)
        .await?;
    let now = Utc::now();
    let rows: Vec<answer::ActiveModel> = slots(answers)
        .into_iter()
        .map(|(slot, item_key, value)| {
            Ok(answer::ActiveModel {
                id: Set(Uuid::new_v4()),
                response_id: Set(response_id),
                slot: Set(slot),
                item_key: Set(item_key.to_owned()),
                value: Set(serde_json::to_value(value).map_err(AppError::internal)?),
                updated_by: Set(user),
                updated_at: Set(now),
            })
        })
        .collect::<Result<_, AppError>>()?;
    if !rows.is_empty() {
        answer::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}

async fn full_view(
    db: &impl ConnectionTrait,
    row: response::Model,
) -> Result<ResponseView, AppError> {
    let answers = load_answers(db, row.id).await?;
    let template = templates::find(db, row.template_id).await?.ok_or_else(|| {
        AppError::internal(anyhow::anyhow!("template {} missing", row.template_id))
    })?;
    view(row, answers, &template)
}

/// The current versions (not superseded) of the inspection's responses the user may read.
#[tracing::instrument(skip_all, fields(user = %user.id, inspection = %row.id))]
pub async fn current_for_inspection(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    row: &inspection::Model,
) -> Result<Vec<ResponseView>, AppError> {
    let rows = response::Entity::find()
        .filter(response::Column::InspectionId.eq(row.id))
        .filter(response::Column::Status.ne(to_db(ResponseStatus::Superseded)))
        .order_by_asc(response::Column::TemplateId)
        .order_by_desc(response::Column::Version)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for r in rows {
        if access::may_read_response(user, from_db(&r.party)?) {
            out.push(full_view(db, r).await?);
        }
    }
    Ok(out)
}

/// The response and its inspection, if `user` may read it; otherwise 404.
async fn find_readable(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> Result<(response::Model, inspection::Model), AppError> {
    let row = response::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let inspection = access::find_inspection(db, user, row.inspection_id).await?;
    if !access::may_read_response(user, from_db(&row.party)?) {
        return Err(AppError::NotFound);
    }
    Ok((row, inspection))
}

#[tracing::instrument(skip_all, fields(user = %user.id, response = %id))]
pub async fn get(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> Result<ResponseView, AppError> {
    let (row, _) = find_readable(db, user, id).await?;
    full_view(db, row).await
}

/// Every version of the response `id` belongs to, oldest first.
#[tracing::instrument(skip_all, fields(user = %user.id, response = %id))]
pub async fn versions(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> Result<Vec<ResponseView>, AppError> {
    let (row, _) = find_readable(db, user, id).await?;
    let rows = response::Entity::find()
        .filter(response::Column::InspectionId.eq(row.inspection_id))
        .filter(response::Column::TemplateId.eq(row.template_id))
        .filter(response::Column::Party.eq(row.party))
        .order_by_asc(response::Column::Version)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for r in rows {
        out.push(full_view(db, r).await?);
    }
    Ok(out)
}

/// Checks that `user` may write a response of `template` on this inspection now.
async fn check_may_write(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    inspection: &inspection::Model,
    template: &TemplateRef,
) -> Result<Party, AppError> {
    let party = Party::for_kind(template.kind);
    if !access::acts_for(db, user, inspection, party).await? {
        return Err(AppError::Forbidden);
    }
    let status = inspections::status(inspection)?;
    let open = match party {
        Party::Enterprise => matches!(
            status,
            InspectionStatus::Planned | InspectionStatus::Preparing | InspectionStatus::InProgress
        ),
        Party::Team => status == InspectionStatus::InProgress,
    };
    if !open {
        return Err(AppError::Conflict(format!(
            "The inspection is {}: its {} forms cannot change now.",
            to_db(status),
            to_db(party)
        )));
    }
    Ok(party)
}

async fn attached_template(
    db: &impl ConnectionTrait,
    inspection: &inspection::Model,
    template_id: Uuid,
) -> Result<TemplateRef, AppError> {
    let attached = [
        Some(inspection.site_template_id),
        inspection.questionnaire_template_id,
        inspection.self_inspection_template_id,
    ];
    if !attached.contains(&Some(template_id)) {
        return Err(AppError::validation(
            "This template is not one of the inspection's.",
            vec![AppError::field(
                "template_id",
                "not_attached",
                "Use a template attached to the inspection.",
            )],
        ));
    }
    templates::find(db, template_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Shape and type errors only: a draft may be incomplete.
fn draft_errors(template: &TemplateRef, answers: &Answers) -> Vec<FieldError> {
    const INCOMPLETE: [&str; 4] = [
        rule::REQUIRED,
        rule::TOO_FEW,
        rule::EVIDENCE_REQUIRED,
        rule::HIDDEN_ANSWERED,
    ];
    validate(&template.schema, answers)
        .err()
        .unwrap_or_default()
        .into_iter()
        .filter(|e| !INCOMPLETE.contains(&e.code.as_str()))
        .map(prefix_answers)
        .collect()
}

fn prefix_answers(mut error: FieldError) -> FieldError {
    error.field = kiemtra_shared::item_path::in_answers(&error.field);
    error
}

async fn audit_response(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    action: &str,
    row: &response::Model,
    payload: &impl serde::Serialize,
) -> Result<(), AppError> {
    audit::record_by(
        db,
        user,
        action,
        "response",
        row.id,
        row.inspection_id,
        payload,
    )
    .await
}

/// Starts a draft with a client-generated id. Retrying the same creation answers the existing
/// draft; one current response per template and inspection.
#[tracing::instrument(skip_all, fields(user = %user.id, inspection = %inspection_id, response = %request.id))]
pub async fn create_draft<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &CurrentUser,
    inspection_id: Uuid,
    request: CreateResponse,
) -> Result<Written<ResponseView>, AppError> {
    let inspection = access::find_inspection(db, user, inspection_id).await?;
    let template = attached_template(db, &inspection, request.template_id).await?;
    if let Some(existing) = response::Entity::find_by_id(request.id).one(db).await? {
        let differences = differing(vec![
            (
                "inspection_id",
                existing.inspection_id.to_string(),
                inspection.id.to_string(),
            ),
            (
                "template_id",
                existing.template_id.to_string(),
                template.id.to_string(),
            ),
            (
                "created_by",
                existing.created_by.to_string(),
                user.id.to_string(),
            ),
        ]);
        return if differences.is_empty() {
            Ok(Written::AlreadyThere(full_view(db, existing).await?))
        } else {
            Err(AppError::id_reused("Response", request.id, differences))
        };
    }
    let party = check_may_write(db, user, &inspection, &template).await?;
    let txn = crate::db::begin_write(db).await?;
    let row = insert_draft(
        &txn,
        user,
        &inspection,
        &template,
        party,
        request.id,
        1,
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(Written::Created(view(row, Answers::new(), &template)?))
}

#[allow(clippy::too_many_arguments)]
async fn insert_draft(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    inspection: &inspection::Model,
    template: &TemplateRef,
    party: Party,
    id: Uuid,
    version: i32,
    supersedes: Option<Uuid>,
) -> Result<response::Model, AppError> {
    if version == 1
        && let Some(current) = response::Entity::find()
            .filter(response::Column::InspectionId.eq(inspection.id))
            .filter(response::Column::TemplateId.eq(template.id))
            .one(db)
            .await?
    {
        return Err(AppError::Conflict(format!(
            "This form already has response {}; amend it instead.",
            current.id
        )));
    }
    let now = Utc::now();
    let row = response::ActiveModel {
        id: Set(id),
        inspection_id: Set(inspection.id),
        template_id: Set(template.id),
        party: Set(to_db(party)),
        status: Set(to_db(ResponseStatus::Draft)),
        version: Set(version),
        supersedes_id: Set(supersedes),
        created_by: Set(user.id),
        created_at: Set(now),
        updated_at: Set(now),
        submitted_by: Set(None),
        submitted_at: Set(None),
    }
    .insert(db)
    .await?;
    audit_response(
        db,
        user,
        "response.drafted",
        &row,
        &serde_json::json!({"template_id": template.id, "version": version}),
    )
    .await?;
    Ok(row)
}

/// The response `id` as a draft the user may write, with its inspection and template.
async fn writable_draft(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> Result<(response::Model, inspection::Model, TemplateRef), AppError> {
    let (row, inspection) = find_readable(db, user, id).await?;
    let template = templates::find(db, row.template_id)
        .await?
        .ok_or(AppError::NotFound)?;
    check_may_write(db, user, &inspection, &template).await?;
    if from_db::<ResponseStatus>(&row.status)? != ResponseStatus::Draft {
        return Err(AppError::Conflict(
            "This response is submitted; amend it to change it.".to_owned(),
        ));
    }
    Ok((row, inspection, template))
}

/// Replaces a draft's answers. Type and shape are checked; completeness waits for submission.
#[tracing::instrument(skip_all, fields(user = %user.id, response = %id))]
pub async fn save_answers<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &CurrentUser,
    id: Uuid,
    request: SaveAnswers,
) -> Result<ResponseView, AppError> {
    let (row, _, template) = writable_draft(db, user, id).await?;
    let errors = draft_errors(&template, &request.answers);
    if !errors.is_empty() {
        return Err(AppError::validation("Some answers are not valid.", errors));
    }
    let txn = crate::db::begin_write(db).await?;
    replace_answers(&txn, id, &request.answers, user.id).await?;
    let mut model: response::ActiveModel = row.into();
    model.updated_at = Set(Utc::now());
    let row = model.update(&txn).await?;
    audit_response(&txn, user, "response.saved", &row, &request.answers).await?;
    txn.commit().await?;
    view(row, request.answers, &template)
}

/// Submits a draft: the shared form engine checks it whole (the same code the PWA runs). An
/// amendment supersedes the version it amends; the site checklist moves the inspection on.
#[tracing::instrument(skip_all, fields(user = %user.id, response = %id))]
pub async fn submit<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &CurrentUser,
    id: Uuid,
) -> Result<ResponseView, AppError> {
    let (row, inspection, template) = writable_draft(db, user, id).await?;
    let answers = load_answers(db, id).await?;
    let txn = crate::db::begin_write(db).await?;
    let submitted = submit_in(&txn, user, row, &inspection, &template, &answers).await?;
    txn.commit().await?;
    view(submitted, answers, &template)
}

async fn submit_in(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    row: response::Model,
    inspection: &inspection::Model,
    template: &TemplateRef,
    answers: &Answers,
) -> Result<response::Model, AppError> {
    if let Err(errors) = validate(&template.schema, answers) {
        return Err(AppError::validation(
            "The form is not complete or has invalid answers.",
            errors.into_iter().map(prefix_answers).collect(),
        ));
    }
    let now = Utc::now();
    if let Some(previous) = row.supersedes_id {
        let mut old: response::ActiveModel = response::Entity::find_by_id(previous)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?
            .into();
        old.status = Set(to_db(ResponseStatus::Superseded));
        old.update(db).await?;
    }
    let mut model: response::ActiveModel = row.into();
    model.status = Set(to_db(ResponseStatus::Submitted));
    model.submitted_by = Set(Some(user.id));
    model.submitted_at = Set(Some(now));
    model.updated_at = Set(now);
    let row = model.update(db).await?;
    audit_response(db, user, "response.submitted", &row, answers).await?;
    if Party::for_kind(template.kind) == Party::Team
        && inspections::status(inspection)? == InspectionStatus::InProgress
    {
        inspections::set_status(db, user, inspection.clone(), InspectionStatus::Submitted).await?;
    }
    Ok(row)
}

/// Starts an amendment of a submitted response: a new draft version with its answers, under a
/// client-generated id. Retrying answers the same draft.
#[tracing::instrument(skip_all, fields(user = %user.id, response = %id, new_response = %request.id))]
pub async fn amend<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &CurrentUser,
    id: Uuid,
    request: AmendResponse,
) -> Result<Written<ResponseView>, AppError> {
    let (source, inspection) = find_readable(db, user, id).await?;
    if let Some(existing) = response::Entity::find_by_id(request.id).one(db).await? {
        let stored = existing
            .supersedes_id
            .map_or_else(|| "none".to_owned(), |s| s.to_string());
        let differences = differing(vec![("supersedes_id", stored, source.id.to_string())]);
        return if differences.is_empty() {
            Ok(Written::AlreadyThere(full_view(db, existing).await?))
        } else {
            Err(AppError::id_reused("Response", request.id, differences))
        };
    }
    let template = templates::find(db, source.template_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let party = check_may_write(db, user, &inspection, &template).await?;
    if from_db::<ResponseStatus>(&source.status)? != ResponseStatus::Submitted {
        return Err(AppError::Conflict(
            "Only the current submitted version can be amended.".to_owned(),
        ));
    }
    if response::Entity::find()
        .filter(response::Column::SupersedesId.eq(source.id))
        .one(db)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(
            "An amendment of this version is already open.".to_owned(),
        ));
    }
    let answers = load_answers(db, source.id).await?;
    let txn = crate::db::begin_write(db).await?;
    let row = insert_draft(
        &txn,
        user,
        &inspection,
        &template,
        party,
        request.id,
        source.version + 1,
        Some(source.id),
    )
    .await?;
    replace_answers(&txn, row.id, &answers, user.id).await?;
    txn.commit().await?;
    Ok(Written::Created(view(row, answers, &template)?))
}

/// The phone's one-shot submission of the site checklist: create, fill and submit in one
/// transaction, so a retried request after a lost answer is recognised by its id.
#[tracing::instrument(skip_all, fields(user = %user.id, inspection = %inspection_id, response = %submission.id))]
pub async fn submit_site_response<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &CurrentUser,
    inspection_id: Uuid,
    submission: SubmitResponse,
) -> Result<Written<ResponseView>, AppError> {
    let inspection = access::find_inspection(db, user, inspection_id).await?;
    let template = attached_template(db, &inspection, inspection.site_template_id).await?;
    if let Some(existing) = response::Entity::find_by_id(submission.id).one(db).await? {
        let stored_answers = load_answers(db, existing.id).await?;
        let mut differences = differing(vec![
            (
                "inspection_id",
                existing.inspection_id.to_string(),
                inspection.id.to_string(),
            ),
            (
                "status",
                existing.status.clone(),
                to_db(ResponseStatus::Submitted),
            ),
        ]);
        differences.extend(answer_differences(&stored_answers, &submission.answers));
        return if differences.is_empty() {
            Ok(Written::AlreadyThere(full_view(db, existing).await?))
        } else {
            Err(AppError::id_reused("Response", submission.id, differences))
        };
    }
    let party = check_may_write(db, user, &inspection, &template).await?;
    let txn = crate::db::begin_write(db).await?;
    let row = insert_draft(
        &txn,
        user,
        &inspection,
        &template,
        party,
        submission.id,
        1,
        None,
    )
    .await?;
    replace_answers(&txn, row.id, &submission.answers, user.id).await?;
    let submitted = submit_in(&txn, user, row, &inspection, &template, &submission.answers).await?;
    txn.commit().await?;
    Ok(Written::Created(view(
        submitted,
        submission.answers,
        &template,
    )?))
}

/// Where one answer sits: a top-level item, or an item of a repeat instance.
pub struct AnswerPlace<'a> {
    pub section: Option<&'a str>,
    pub instance: Option<usize>,
    pub item_key: &'a str,
}

impl AnswerPlace<'_> {
    fn slot(&self) -> Result<String, AppError> {
        match (self.section, self.instance) {
            (None, None) => Ok(format!("items/{}", self.item_key)),
            (Some(section), Some(n)) => Ok(format!("repeats/{section}/{n}/{}", self.item_key)),
            _ => Err(AppError::validation(
                "Say both the section and the instance of a repeated item, or neither.",
                vec![AppError::field(
                    "instance",
                    "incomplete_place",
                    "section and instance go together",
                )],
            )),
        }
    }

    /// An answer set holding only this answer, for checking it on its own.
    fn alone(&self, answer: Answer) -> Answers {
        let mut answers = Answers::new();
        match (self.section, self.instance) {
            (Some(section), Some(n)) => {
                let instances = answers.repeats.entry(section.to_owned()).or_default();
                instances.resize_with(n + 1, Default::default);
                instances[n].insert(self.item_key.to_owned(), answer);
            }
            _ => {
                answers.items.insert(self.item_key.to_owned(), answer);
            }
        }
        answers
    }
}

/// Sets (or with `None` clears) one answer of a draft: the unit of offline sync. The answer is
/// checked on its own for type and shape; completeness waits for submission.
#[tracing::instrument(skip_all, fields(user = %user.id, response = %response_id))]
pub async fn set_answer<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &CurrentUser,
    response_id: Uuid,
    place: AnswerPlace<'_>,
    value: Option<Answer>,
) -> Result<(), AppError> {
    let (row, _, template) = writable_draft(db, user, response_id).await?;
    let slot = place.slot()?;
    if let Some(answer) = &value {
        let errors = draft_errors(&template, &place.alone(answer.clone()));
        if !errors.is_empty() {
            return Err(AppError::validation("The answer is not valid.", errors));
        }
    } else if template.schema.item(place.item_key).is_none() {
        return Err(AppError::validation(
            "The form has no such item.",
            vec![AppError::field(
                "item_key",
                "unknown_item",
                "The form has no such item.",
            )],
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    answer::Entity::delete_many()
        .filter(answer::Column::ResponseId.eq(response_id))
        .filter(answer::Column::Slot.eq(&slot))
        .exec(&txn)
        .await?;
    let now = Utc::now();
    if let Some(answer) = &value {
        answer::ActiveModel {
            id: Set(Uuid::new_v4()),
            response_id: Set(response_id),
            slot: Set(slot.clone()),
            item_key: Set(place.item_key.to_owned()),
            value: Set(serde_json::to_value(answer).map_err(AppError::internal)?),
            updated_by: Set(user.id),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
    }
    let mut model: response::ActiveModel = row.into();
    model.updated_at = Set(now);
    let row = model.update(&txn).await?;
    audit_response(
        &txn,
        user,
        "response.answer_set",
        &row,
        &serde_json::json!({"slot": slot, "answer": value}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
