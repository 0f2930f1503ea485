//! The enterprise register. Agency staff see every enterprise (one register for the whole
//! inspectorate); an enterprise user sees only their own.

use chrono::Utc;
use kiemtra_shared::enterprise::{
    Contact, CreateEnterprise, DEFAULT_PAGE_SIZE, EnterpriseQuery, EnterpriseView, Page,
    UpdateEnterprise,
};
use kiemtra_shared::error::FieldError;
use kiemtra_shared::paging::Paging;
use kiemtra_shared::tax_code::TaxCode;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionSession, TransactionTrait,
};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::entities::enterprise;
use crate::error::AppError;
use crate::services::access;
use crate::services::audit::{self, AuditEntry};

pub fn view(row: enterprise::Model) -> Result<EnterpriseView, AppError> {
    Ok(EnterpriseView {
        id: row.id,
        tax_code: TaxCode::parse(&row.tax_code).map_err(|e| {
            AppError::internal(anyhow::anyhow!(
                "stored tax code {:?} is invalid: {e}",
                row.tax_code
            ))
        })?,
        name: row.name,
        address: row.address,
        province: row.province,
        industry_code: row.industry_code,
        headcount: row.headcount.and_then(|h| u32::try_from(h).ok()),
        contact: row.contact_name.map(|name| Contact {
            name,
            phone: row.contact_phone,
            email: row.contact_email,
        }),
    })
}

fn stored_headcount(headcount: u32) -> i32 {
    i32::try_from(headcount).unwrap_or(i32::MAX)
}

/// `%` and `_` typed by a user match themselves, not any text.
fn like_pattern(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn search(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    query: EnterpriseQuery,
) -> Result<Page<EnterpriseView>, AppError> {
    let paging = Paging::new(query.page, query.per_page, DEFAULT_PAGE_SIZE)
        .map_err(|errors| AppError::validation("The paging parameters are not valid.", errors))?;
    let mut select = access::enterprises_visible_to(user);
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let name_like = format!("%{}%", like_pattern(&q.to_lowercase()));
        let digits: String = q.chars().filter(char::is_ascii_digit).collect();
        let mut any = Condition::any()
            .add(Expr::expr(Func::lower(Expr::col(enterprise::Column::Name))).like(name_like));
        if !digits.is_empty() && digits.len() == q.replace('-', "").len() {
            any = any.add(enterprise::Column::TaxCode.starts_with(q));
        }
        select = select.filter(any);
    }
    if let Some(province) = query
        .province
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        select = select.filter(enterprise::Column::Province.eq(province));
    }
    let total = select.clone().count(db).await?;
    let rows = select
        .order_by_asc(enterprise::Column::Name)
        .order_by_asc(enterprise::Column::Id)
        .offset(paging.offset())
        .limit(paging.per_page)
        .all(db)
        .await?;
    Ok(Page {
        items: rows.into_iter().map(view).collect::<Result<_, _>>()?,
        page: paging.page,
        per_page: paging.per_page,
        total,
    })
}

#[tracing::instrument(skip_all, fields(user = %user.id, enterprise = %id))]
pub async fn get(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> Result<EnterpriseView, AppError> {
    view(
        access::enterprises_visible_to(user)
            .filter(enterprise::Column::Id.eq(id))
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?,
    )
}

fn check_text(errors: &mut Vec<FieldError>, field: &str, value: &str, max: usize) {
    let len = value.trim().chars().count();
    if len == 0 || len > max {
        errors.push(AppError::field(
            field,
            "invalid_length",
            &format!("1 to {max} characters."),
        ));
    }
}

fn check_contact(errors: &mut Vec<FieldError>, contact: &Option<Contact>) {
    if let Some(contact) = contact {
        check_text(errors, "contact.name", &contact.name, 120);
        if let Some(email) = &contact.email
            && kiemtra_shared::email::Email::parse(email).is_err()
        {
            errors.push(AppError::field(
                "contact.email",
                "invalid_email",
                "Not an e-mail address.",
            ));
        }
    }
}

#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &CurrentUser,
    request: CreateEnterprise,
) -> Result<EnterpriseView, AppError> {
    access::require_register_editor(user)?;
    let mut errors = Vec::new();
    check_text(&mut errors, "name", &request.name, 255);
    check_text(&mut errors, "address", &request.address, 255);
    check_text(&mut errors, "province", &request.province, 64);
    check_contact(&mut errors, &request.contact);
    if !errors.is_empty() {
        return Err(AppError::validation(
            "The enterprise cannot be registered.",
            errors,
        ));
    }
    if enterprise::Entity::find()
        .filter(enterprise::Column::TaxCode.eq(request.tax_code.as_str()))
        .one(db)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(format!(
            "An enterprise with tax code {} is registered already.",
            request.tax_code
        )));
    }
    let now = Utc::now();
    let txn = crate::db::begin_write(db).await?;
    let row = enterprise::ActiveModel {
        id: Set(Uuid::new_v4()),
        name: Set(request.name.trim().to_owned()),
        tax_code: Set(request.tax_code.as_str().to_owned()),
        address: Set(request.address.trim().to_owned()),
        province: Set(request.province.trim().to_owned()),
        created_at: Set(now),
        industry_code: Set(request.industry_code),
        headcount: Set(request.headcount.map(stored_headcount)),
        contact_name: Set(request.contact.as_ref().map(|c| c.name.trim().to_owned())),
        contact_phone: Set(request.contact.as_ref().and_then(|c| c.phone.clone())),
        contact_email: Set(request.contact.as_ref().and_then(|c| c.email.clone())),
        updated_at: Set(None),
    }
    .insert(&txn)
    .await?;
    let created = view(row)?;
    audit::record(
        &txn,
        AuditEntry {
            actor: Some(user.id),
            action: "enterprise.created",
            entity_type: "enterprise",
            entity_id: created.id.to_string(),
            inspection_id: None,
            payload: &created,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

#[tracing::instrument(skip_all, fields(user = %user.id, enterprise = %id))]
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &CurrentUser,
    id: Uuid,
    request: UpdateEnterprise,
) -> Result<EnterpriseView, AppError> {
    let row = access::enterprises_visible_to(user)
        .filter(enterprise::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    access::require_register_editor(user)?;
    let mut errors = Vec::new();
    for (field, value, max) in [
        ("name", &request.name, 255),
        ("address", &request.address, 255),
        ("province", &request.province, 64),
    ] {
        if let Some(value) = value {
            check_text(&mut errors, field, value, max);
        }
    }
    check_contact(&mut errors, &request.contact);
    if !errors.is_empty() {
        return Err(AppError::validation(
            "The enterprise cannot be changed so.",
            errors,
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let mut model: enterprise::ActiveModel = row.into();
    if let Some(v) = &request.name {
        model.name = Set(v.trim().to_owned());
    }
    if let Some(v) = &request.address {
        model.address = Set(v.trim().to_owned());
    }
    if let Some(v) = &request.province {
        model.province = Set(v.trim().to_owned());
    }
    if let Some(v) = &request.industry_code {
        model.industry_code = Set(Some(v.clone()));
    }
    if let Some(v) = request.headcount {
        model.headcount = Set(Some(stored_headcount(v)));
    }
    if let Some(c) = &request.contact {
        model.contact_name = Set(Some(c.name.trim().to_owned()));
        model.contact_phone = Set(c.phone.clone());
        model.contact_email = Set(c.email.clone());
    }
    model.updated_at = Set(Some(Utc::now()));
    let updated = view(model.update(&txn).await?)?;
    audit::record(
        &txn,
        AuditEntry {
            actor: Some(user.id),
            action: "enterprise.updated",
            entity_type: "enterprise",
            entity_id: id.to_string(),
            inspection_id: None,
            payload: &request,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}
