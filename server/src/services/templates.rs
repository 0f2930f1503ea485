//! Templates (mẫu phiếu): versioned form definitions. A version is a draft while an admin edits
//! it and immutable once published; a new version of the same `code` replaces it for new
//! inspections while responses keep pointing at the version they were filled against.

use chrono::Utc;
use kiemtra_shared::inspection::TemplateRef;
use kiemtra_shared::paging::Paging;
use kiemtra_shared::template::{
    CreateTemplate, TemplateKind, TemplateSchema, TemplateStatus, UpdateTemplate,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionSession, TransactionTrait,
};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::db::paged;
use crate::db_enum::{from_db, to_db};
use crate::entities::{inspection, template};
use crate::error::AppError;
use crate::services::access;
use crate::services::audit::{self, AuditEntry};

pub fn view(row: template::Model) -> Result<TemplateRef, AppError> {
    Ok(TemplateRef {
        id: row.id,
        kind: from_db(&row.kind)?,
        status: from_db(&row.status)?,
        code: row.code,
        name: row.name,
        version: row.version,
        published_at: row.published_at,
        schema: serde_json::from_value(row.schema).map_err(AppError::internal)?,
    })
}

#[tracing::instrument(skip_all, fields(template = %id))]
pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<TemplateRef>, AppError> {
    template::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(view)
        .transpose()
}

/// A template an inspection points at. The foreign key guarantees it exists, so its absence
/// is a 500, not a 404.
#[tracing::instrument(skip_all, fields(template = %id))]
pub async fn referenced(db: &impl ConnectionTrait, id: Uuid) -> Result<TemplateRef, AppError> {
    find(db, id)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("template {id} missing")))
}

/// The templates attached to an inspection: the site checklist, then the enterprise's forms.
#[tracing::instrument(skip_all, fields(inspection = %row.id))]
pub async fn attached_to(
    db: &impl ConnectionTrait,
    row: &inspection::Model,
) -> Result<Vec<TemplateRef>, AppError> {
    let mut attached = vec![referenced(db, row.site_template_id).await?];
    for id in [
        row.questionnaire_template_id,
        row.self_inspection_template_id,
    ]
    .into_iter()
    .flatten()
    {
        attached.push(referenced(db, id).await?);
    }
    Ok(attached)
}

/// Template versions, newest first. Agency staff see published ones, admins drafts too;
/// enterprise users use the templates of their inspections instead.
#[tracing::instrument(skip_all, fields(user = %user.id, kind = ?kind))]
pub async fn list(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    kind: Option<TemplateKind>,
    paging: Paging,
) -> Result<(Vec<TemplateRef>, u64), AppError> {
    access::require_template_reader(user)?;
    let mut query = template::Entity::find();
    if !access::sees_template_drafts(user) {
        query = query.filter(template::Column::Status.eq(to_db(TemplateStatus::Published)));
    }
    if let Some(kind) = kind {
        query = query.filter(template::Column::Kind.eq(to_db(kind)));
    }
    let query = query
        .order_by_asc(template::Column::Code)
        .order_by_desc(template::Column::Version);
    let (rows, total) = paged(db, query, Some(paging)).await?;
    Ok((rows.into_iter().map(view).collect::<Result<_, _>>()?, total))
}

/// One version, if the user may see it: staff any published one (admins drafts too), an
/// enterprise user those attached to its inspections.
#[tracing::instrument(skip_all, fields(user = %user.id, template = %id))]
pub async fn get(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> Result<TemplateRef, AppError> {
    let found = find(db, id).await?.ok_or(AppError::NotFound)?;
    let visible = access::may_see_template(db, user, &found).await?;
    if visible {
        Ok(found)
    } else {
        Err(AppError::NotFound)
    }
}

fn check_schema(schema: &TemplateSchema) -> Result<(), AppError> {
    schema.check().map_err(|errors| {
        let details = errors
            .into_iter()
            .map(|mut e| {
                e.field = format!("schema.{}", e.field);
                e
            })
            .collect();
        AppError::validation("The template has errors.", details)
    })
}

fn check_code_and_name(code: &str, name: &str) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let code_ok = !code.is_empty()
        && code.len() <= 64
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !code_ok {
        errors.push(AppError::field(
            "code",
            "invalid_code",
            "1 to 64 lower-case letters, digits and hyphens, e.g. `osh-site-checklist`.",
        ));
    }
    let name_len = name.trim().chars().count();
    if name_len == 0 || name_len > 200 {
        errors.push(AppError::field(
            "name",
            "invalid_length",
            "1 to 200 characters.",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::validation(
            "The template cannot be saved.",
            errors,
        ))
    }
}

/// A new draft version of the template family `code` (admins).
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &CurrentUser,
    request: CreateTemplate,
) -> Result<TemplateRef, AppError> {
    access::require_template_author(user)?;
    check_code_and_name(&request.code, &request.name)?;
    check_schema(&request.schema)?;
    let txn = crate::db::begin_write(db).await?;
    let previous: Option<(i32, String)> = template::Entity::find()
        .select_only()
        .column(template::Column::Version)
        .column(template::Column::Kind)
        .filter(template::Column::Code.eq(&request.code))
        .order_by_desc(template::Column::Version)
        .into_tuple()
        .one(&txn)
        .await?;
    if let Some((_, kind)) = &previous
        && *kind != to_db(request.kind)
    {
        return Err(AppError::validation(
            "A template family keeps its kind.",
            vec![AppError::field(
                "kind",
                "kind_mismatch",
                &format!("`{}` is a {kind}.", request.code),
            )],
        ));
    }
    let row = insert(
        &txn,
        Some(user.id),
        &request.code,
        request.kind,
        request.name.trim(),
        &request.schema,
        previous.map_or(1, |(v, _)| v + 1),
        TemplateStatus::Draft,
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

#[allow(clippy::too_many_arguments)]
async fn insert(
    db: &impl ConnectionTrait,
    actor: Option<Uuid>,
    code: &str,
    kind: TemplateKind,
    name: &str,
    schema: &TemplateSchema,
    version: i32,
    status: TemplateStatus,
) -> Result<TemplateRef, AppError> {
    let now = Utc::now();
    let row = template::ActiveModel {
        id: Set(Uuid::new_v4()),
        code: Set(code.to_owned()),
        version: Set(version),
        kind: Set(to_db(kind)),
        name: Set(name.to_owned()),
        schema: Set(serde_json::to_value(schema).map_err(AppError::internal)?),
        status: Set(to_db(status)),
        created_by: Set(actor),
        created_at: Set(now),
        published_at: Set((status == TemplateStatus::Published).then_some(now)),
    }
    .insert(db)
    .await?;
    let created = view(row)?;
    audit::record(
        db,
        AuditEntry {
            actor,
            action: if status == TemplateStatus::Published {
                "template.published"
            } else {
                "template.created"
            },
            entity_type: "template",
            entity_id: created.id.to_string(),
            inspection_id: None,
            payload: &serde_json::json!({"code": code, "version": version}),
        },
    )
    .await?;
    Ok(created)
}

/// Publishes a seed template as version 1 unless its code exists already (demo and first run).
#[tracing::instrument(skip_all, fields(code = %code))]
pub async fn ensure_published(
    db: &impl ConnectionTrait,
    code: &str,
    kind: TemplateKind,
    name: &str,
    schema: &TemplateSchema,
) -> Result<TemplateRef, AppError> {
    let existing = template::Entity::find()
        .filter(template::Column::Code.eq(code))
        .filter(template::Column::Status.eq(to_db(TemplateStatus::Published)))
        .order_by_desc(template::Column::Version)
        .one(db)
        .await?;
    match existing {
        Some(row) => view(row),
        None => {
            insert(
                db,
                None,
                code,
                kind,
                name,
                schema,
                1,
                TemplateStatus::Published,
            )
            .await
        }
    }
}

async fn find_draft(db: &impl ConnectionTrait, id: Uuid) -> Result<template::Model, AppError> {
    let row = template::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.status != to_db(TemplateStatus::Draft) {
        return Err(AppError::Conflict(format!(
            "Version {} of {} is published and can no longer change; create a new version.",
            row.version, row.code
        )));
    }
    Ok(row)
}

/// Replaces a draft's name or schema (admins).
#[tracing::instrument(skip_all, fields(user = %user.id, template = %id))]
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &CurrentUser,
    id: Uuid,
    request: UpdateTemplate,
) -> Result<TemplateRef, AppError> {
    access::require_template_author(user)?;
    let row = find_draft(db, id).await?;
    if let Some(name) = &request.name {
        check_code_and_name(&row.code, name)?;
    }
    if let Some(schema) = &request.schema {
        check_schema(schema)?;
    }
    let txn = crate::db::begin_write(db).await?;
    let mut model: template::ActiveModel = row.into();
    if let Some(name) = &request.name {
        model.name = Set(name.trim().to_owned());
    }
    if let Some(schema) = &request.schema {
        model.schema = Set(serde_json::to_value(schema).map_err(AppError::internal)?);
    }
    let updated = view(model.update(&txn).await?)?;
    audit::record(
        &txn,
        AuditEntry {
            actor: Some(user.id),
            action: "template.updated",
            entity_type: "template",
            entity_id: id.to_string(),
            inspection_id: None,
            payload: &request,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

/// Freezes a draft (admins). Only a draft whose schema passes the publishing check.
#[tracing::instrument(skip_all, fields(user = %user.id, template = %id))]
pub async fn publish<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &CurrentUser,
    id: Uuid,
) -> Result<TemplateRef, AppError> {
    access::require_template_author(user)?;
    let row = find_draft(db, id).await?;
    let schema: TemplateSchema =
        serde_json::from_value(row.schema.clone()).map_err(AppError::internal)?;
    check_schema(&schema)?;
    let txn = crate::db::begin_write(db).await?;
    // Only a row that is still a draft: two admins publishing at once publish once.
    let now = Utc::now();
    let done = template::Entity::update_many()
        .col_expr(
            template::Column::Status,
            Expr::value(to_db(TemplateStatus::Published)),
        )
        .col_expr(template::Column::PublishedAt, Expr::value(now))
        .filter(template::Column::Id.eq(id))
        .filter(template::Column::Status.eq(to_db(TemplateStatus::Draft)))
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(AppError::Conflict(
            "This version was published meanwhile.".to_owned(),
        ));
    }
    audit::record(
        &txn,
        AuditEntry {
            actor: Some(user.id),
            action: "template.published",
            entity_type: "template",
            entity_id: id.to_string(),
            inspection_id: None,
            payload: &serde_json::json!({"code": row.code, "version": row.version}),
        },
    )
    .await?;
    txn.commit().await?;
    find(db, id).await?.ok_or(AppError::NotFound)
}
