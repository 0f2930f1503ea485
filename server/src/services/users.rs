//! Accounts: agency users created by admins, enterprise users invited by email link.

use chrono::{DateTime, Duration, Utc};
use kiemtra_shared::auth::{
    AcceptInvite, CreateInvite, CreateUser, EmailDelivery, InviteCreated, InvitePreview,
    LoginResponse, MIN_PASSWORD_CHARS, Role, UpdateUser, UserView,
};
use kiemtra_shared::email::Email;
use kiemtra_shared::error::FieldError;
use kiemtra_shared::error::codes;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};
use uuid::Uuid;

use crate::auth::token::TokenKeys;
use crate::auth::{CurrentUser, password};
use crate::clock::Clock;
use crate::db::paged;
use crate::entities::{agency, app_user, enterprise, invite};
use crate::error::AppError;
use crate::mail::Mailer;
use crate::services::audit::{self, AuditEntry};
use crate::services::{access, sessions};
use kiemtra_shared::paging::Paging;

/// How long an invitation link stays valid.
pub const INVITE_TTL_DAYS: i64 = 14;

pub fn view(user: &app_user::Model) -> UserView {
    UserView {
        id: user.id,
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        role: user.role,
        agency_id: user.agency_id,
        enterprise_id: user.enterprise_id,
        active: user.active,
    }
}

fn parse_email(field: &str, raw: &str) -> Result<String, FieldError> {
    Email::parse(raw)
        .map(|e| e.as_str().to_owned())
        .map_err(|e| AppError::field(field, "invalid_email", &e.to_string()))
}

pub fn check_password(field: &str, password: &str) -> Option<FieldError> {
    (password.chars().count() < MIN_PASSWORD_CHARS).then(|| {
        AppError::field(
            field,
            "password_too_short",
            &format!("A password needs at least {MIN_PASSWORD_CHARS} characters."),
        )
    })
}

fn check_display_name(field: &str, name: &str) -> Option<FieldError> {
    let len = name.trim().chars().count();
    (len == 0 || len > 120)
        .then(|| AppError::field(field, "invalid_name", "A name has 1 to 120 characters."))
}

async fn ensure_email_free(db: &impl ConnectionTrait, email: &str) -> Result<(), AppError> {
    if app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email))
        .one(db)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(format!(
            "An account with the email {email} exists already."
        )));
    }
    Ok(())
}

/// Admins create agency accounts in their own agency.
#[tracing::instrument(skip_all, fields(user = %admin.id))]
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    admin: &CurrentUser,
    request: CreateUser,
) -> Result<UserView, AppError> {
    access::require_account_admin(admin)?;
    let mut errors = Vec::new();
    let email = parse_email("email", &request.email)
        .map_err(|e| errors.push(e))
        .ok();
    errors.extend(check_display_name("display_name", &request.display_name));
    errors.extend(check_password("password", &request.password));
    if request.role == Role::Enterprise {
        errors.push(AppError::field(
            "role",
            "invite_enterprise_users",
            "Enterprise accounts are created by invitation: POST /api/v1/enterprises/{id}/invites.",
        ));
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return Err(AppError::validation(
            "The account cannot be created.",
            errors,
        ));
    };
    ensure_email_free(db, &email).await?;
    let hash = hash_blocking(request.password).await?;
    let txn = crate::db::begin_write(db).await?;
    let user = app_user::ActiveModel {
        id: Set(Uuid::new_v4()),
        email: Set(email),
        password_hash: Set(hash),
        display_name: Set(request.display_name.trim().to_owned()),
        role: Set(request.role),
        agency_id: Set(admin.agency_id),
        enterprise_id: Set(None),
        invited_by_agency_id: Set(None),
        active: Set(true),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await?;
    let created = view(&user);
    audit::record(
        &txn,
        AuditEntry {
            actor: Some(admin.id),
            action: "user.created",
            entity_type: "user",
            entity_id: user.id.to_string(),
            inspection_id: None,
            payload: &created,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

pub async fn hash_blocking(password: String) -> Result<String, AppError> {
    actix_web::web::block(move || password::hash(&password))
        .await
        .map_err(AppError::internal)
}

/// The accounts of the admin's agency, and the enterprise accounts. A reviewer, who plans the
/// teams they lead, gets the active staff of their own agency only.
#[tracing::instrument(skip_all, fields(user = %reader.id))]
pub async fn list(
    db: &impl ConnectionTrait,
    reader: &CurrentUser,
    paging: Paging,
) -> Result<(Vec<UserView>, u64), AppError> {
    access::require_account_reader(reader)?;
    let own_agency = app_user::Column::AgencyId.eq(reader.agency_id.unwrap_or_else(Uuid::nil));
    let query = if reader.role == Role::Admin {
        app_user::Entity::find().filter(own_agency.or(app_user::Column::EnterpriseId.is_not_null()))
    } else {
        app_user::Entity::find()
            .filter(own_agency)
            .filter(app_user::Column::Active.eq(true))
    }
    .order_by_asc(app_user::Column::Email);
    let (rows, total) = paged(db, query, Some(paging)).await?;
    Ok((rows.iter().map(view).collect(), total))
}

/// The account `id` if `admin` manages it: an account of the admin's agency, or an enterprise
/// account (the register is shared); otherwise 404. 403 for anyone but an admin.
pub async fn managed_account(
    db: &impl ConnectionTrait,
    admin: &CurrentUser,
    id: Uuid,
) -> Result<app_user::Model, AppError> {
    access::require_account_admin(admin)?;
    app_user::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|u| u.agency_id == admin.agency_id || u.enterprise_id.is_some())
        .ok_or(AppError::NotFound)
}

/// Changes name, role or active flag. Disabling or changing the role ends the user's sessions;
/// their access tokens stop working at once because every request reloads the user.
#[tracing::instrument(skip_all, fields(user = %admin.id, target = %id))]
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    admin: &CurrentUser,
    id: Uuid,
    request: UpdateUser,
) -> Result<UserView, AppError> {
    let user = managed_account(db, admin, id).await?;
    let mut errors = Vec::new();
    if let Some(name) = &request.display_name {
        errors.extend(check_display_name("display_name", name));
    }
    let was_enterprise = user.enterprise_id.is_some();
    if let Some(role) = request.role
        && (role == Role::Enterprise) != was_enterprise
    {
        errors.push(AppError::field(
            "role",
            "role_change_not_allowed",
            "An enterprise account cannot become an agency account, nor the other way round.",
        ));
    }
    if id == admin.id
        && (request.active == Some(false) || request.role.is_some_and(|r| r != Role::Admin))
    {
        errors.push(AppError::field(
            "active",
            "self_lockout",
            "Admins cannot disable or demote themselves.",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::validation(
            "The account cannot be changed so.",
            errors,
        ));
    }
    let ends_sessions =
        request.active == Some(false) || request.role.is_some_and(|r| r != user.role);
    let txn = crate::db::begin_write(db).await?;
    let mut model: app_user::ActiveModel = user.into();
    if let Some(name) = request.display_name.as_deref() {
        model.display_name = Set(name.trim().to_owned());
    }
    if let Some(role) = request.role {
        model.role = Set(role);
    }
    if let Some(active) = request.active {
        model.active = Set(active);
    }
    let updated = view(&model.update(&txn).await?);
    if ends_sessions {
        sessions::revoke_all_for_user(&txn, id).await?;
    }
    audit::record(
        &txn,
        AuditEntry {
            actor: Some(admin.id),
            action: "user.updated",
            entity_type: "user",
            entity_id: id.to_string(),
            inspection_id: None,
            payload: &request,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

/// Where a one-time link leads and how it travels: the app's public address, and the mailer.
pub struct Links<'a> {
    pub clock: &'a Clock,
    pub mailer: &'a Mailer,
    pub public_url: &'a str,
}

/// Admins and reviewers invite a person to act for an enterprise their agency has an
/// inspection of ([`access::require_may_invite_into`]). The account the invitation makes sees
/// that agency's inspections of the enterprise. The link is e-mailed when SMTP is configured;
/// the answer carries it either way, and says what became of the e-mail.
#[tracing::instrument(skip_all, fields(user = %inviter.id, enterprise = %enterprise_id))]
pub async fn invite<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    links: &Links<'_>,
    inviter: &CurrentUser,
    enterprise_id: Uuid,
    request: CreateInvite,
) -> Result<InviteCreated, AppError> {
    access::require_may_invite_into(db, inviter, enterprise_id).await?;
    let mut errors = Vec::new();
    let email = parse_email("email", &request.email)
        .map_err(|e| errors.push(e))
        .ok();
    errors.extend(check_display_name("display_name", &request.display_name));
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return Err(AppError::validation(
            "The invitation cannot be made.",
            errors,
        ));
    };
    ensure_email_free(db, &email).await?;
    let (token, hash) = sessions::new_opaque_token();
    let now = links.clock.now();
    let txn = crate::db::begin_write(db).await?;
    let row = invite::ActiveModel {
        id: Set(Uuid::new_v4()),
        token_hash: Set(hash),
        email: Set(email),
        display_name: Set(request.display_name.trim().to_owned()),
        enterprise_id: Set(enterprise_id),
        created_by: Set(inviter.id),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(INVITE_TTL_DAYS)),
        accepted_at: Set(None),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        AuditEntry {
            actor: Some(inviter.id),
            action: "invite.created",
            entity_type: "invite",
            entity_id: row.id.to_string(),
            inspection_id: None,
            payload: &serde_json::json!({"email": row.email, "enterprise_id": enterprise_id}),
        },
    )
    .await?;
    txn.commit().await?;
    let accept_path = format!("/invite/{token}");
    let email_delivery = if links.mailer.is_configured() {
        let preview = invite_preview(db, &row).await?;
        let mail = crate::mail::invitation(
            &row.email,
            &preview.display_name,
            &preview.enterprise_name,
            &preview.agency_name,
            &format!("{}{accept_path}", links.public_url),
            &row.expires_at.format("%H:%M %d/%m/%Y").to_string(),
        );
        links.mailer.deliver(mail).await
    } else {
        EmailDelivery::NotConfigured
    };
    Ok(InviteCreated {
        id: row.id,
        email: row.email,
        enterprise_id,
        accept_path,
        token,
        expires_at: row.expires_at,
        email_delivery,
    })
}

/// The inviting agency of an invitation: its author's.
async fn inviting_agency(
    db: &impl ConnectionTrait,
    row: &invite::Model,
) -> Result<Option<agency::Model>, AppError> {
    let Some(agency_id) = app_user::Entity::find_by_id(row.created_by)
        .one(db)
        .await?
        .and_then(|u| u.agency_id)
    else {
        return Ok(None);
    };
    Ok(agency::Entity::find_by_id(agency_id).one(db).await?)
}

async fn invite_preview(
    db: &impl ConnectionTrait,
    row: &invite::Model,
) -> Result<InvitePreview, AppError> {
    let enterprise = enterprise::Entity::find_by_id(row.enterprise_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let agency = inviting_agency(db, row).await?.ok_or(AppError::NotFound)?;
    Ok(InvitePreview {
        email: row.email.clone(),
        display_name: row.display_name.clone(),
        enterprise_name: enterprise.name,
        agency_name: agency.name,
        expires_at: row.expires_at,
    })
}

/// 410 for a link that was used (`link_used`) or has expired (`link_expired`), as of `now`.
pub fn check_link(
    used: bool,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if used {
        return Err(AppError::Gone {
            code: codes::LINK_USED,
            message: "This link was used already; ask for a new one.".to_owned(),
        });
    }
    if expires_at <= now {
        return Err(AppError::Gone {
            code: codes::LINK_EXPIRED,
            message: "This link has expired; ask for a new one.".to_owned(),
        });
    }
    Ok(())
}

/// What the invitation page shows before the invitee types anything: whom it is for, which
/// enterprise and agency, until when. 404 for an unknown token; 410 once used or expired.
#[tracing::instrument(skip_all)]
pub async fn preview_invite(
    db: &impl ConnectionTrait,
    clock: &Clock,
    token: &str,
) -> Result<InvitePreview, AppError> {
    let row = invite::Entity::find()
        .filter(invite::Column::TokenHash.eq(sessions::hash_token(token)))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    check_link(row.accepted_at.is_some(), row.expires_at, clock.now())?;
    invite_preview(db, &row).await
}

/// The invitee sets a password; the enterprise account is created and signed in.
#[tracing::instrument(skip_all)]
pub async fn accept_invite<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    tokens: &TokenKeys,
    request: AcceptInvite,
) -> Result<LoginResponse, AppError> {
    let refused = || {
        AppError::validation(
            "This invitation link is not valid any more; ask for a new one.",
            vec![AppError::field(
                "token",
                "invite_invalid",
                "Unknown, used or expired invitation.",
            )],
        )
    };
    let found = invite::Entity::find()
        .filter(invite::Column::TokenHash.eq(sessions::hash_token(&request.token)))
        .one(db)
        .await?
        .filter(|i| i.accepted_at.is_none() && i.expires_at > clock.now())
        .ok_or_else(refused)?;
    if let Some(error) = check_password("password", &request.password) {
        return Err(AppError::validation(
            "Choose a longer password.",
            vec![error],
        ));
    }
    ensure_email_free(db, &found.email).await?;
    let agency = inviting_agency(db, &found).await?.ok_or_else(refused)?;
    let hash = hash_blocking(request.password).await?;
    let now = clock.now();
    let txn = crate::db::begin_write(db).await?;
    // Spend the invitation only if it is still unspent: a double click creates one account.
    let spent = invite::Entity::update_many()
        .col_expr(
            invite::Column::AcceptedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(invite::Column::Id.eq(found.id))
        .filter(invite::Column::AcceptedAt.is_null())
        .exec(&txn)
        .await?;
    if spent.rows_affected != 1 {
        return Err(refused());
    }
    let user = app_user::ActiveModel {
        id: Set(Uuid::new_v4()),
        email: Set(found.email.clone()),
        password_hash: Set(hash),
        display_name: Set(found.display_name.clone()),
        role: Set(Role::Enterprise),
        agency_id: Set(None),
        enterprise_id: Set(Some(found.enterprise_id)),
        invited_by_agency_id: Set(Some(agency.id)),
        active: Set(true),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        AuditEntry {
            actor: Some(user.id),
            action: "invite.accepted",
            entity_type: "invite",
            entity_id: found.id.to_string(),
            inspection_id: None,
            payload: &serde_json::json!({"user_id": user.id, "enterprise_id": found.enterprise_id,
                "agency_id": agency.id}),
        },
    )
    .await?;
    let current = CurrentUser::from_model(&user);
    let pair = sessions::issue(&txn, tokens, &current, None).await?;
    txn.commit().await?;
    Ok(pair)
}
