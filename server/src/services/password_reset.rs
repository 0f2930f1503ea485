//! Password reset: a single-use, expiring link, e-mailed when the user asks for it (when SMTP
//! is configured), or made by an admin to pass on. Setting the new password ends every session
//! of the account.

use chrono::Duration;
use kiemtra_shared::auth::{
    EmailDelivery, LoginResponse, PasswordResetLink, PasswordResetPreview, SetNewPassword,
};
use kiemtra_shared::email::Email;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::auth::token::TokenKeys;
use crate::entities::{app_user, password_reset};
use crate::error::AppError;
use crate::services::audit::{self, AuditEntry};
use crate::services::users::{self, Links};
use crate::services::{auth, sessions};

/// How long a link the user asked for by e-mail stays valid.
pub const EMAILED_TTL_MINUTES: i64 = 60;
/// How long a link an admin made stays valid: it is passed on by hand.
pub const ADMIN_TTL_HOURS: i64 = 24;
/// Links asked for by e-mail per account within [`EMAILED_TTL_MINUTES`]; more requests are
/// answered the same but send nothing, so nobody can flood a mailbox.
pub const MAX_EMAILED_PER_ACCOUNT: u64 = 3;

/// A new link for `user`, stored as a hash; its token.
async fn create(
    db: &impl ConnectionTrait,
    links: &Links<'_>,
    user: &app_user::Model,
    created_by: Option<Uuid>,
    ttl: Duration,
) -> Result<(String, password_reset::Model), AppError> {
    let (token, hash) = sessions::new_opaque_token();
    let now = links.clock.now();
    let row = password_reset::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(user.id),
        token_hash: Set(hash),
        created_by: Set(created_by),
        created_at: Set(now),
        expires_at: Set(now + ttl),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok((token, row))
}

fn path_of(token: &str) -> String {
    format!("/reset/{token}")
}

async fn mail_link(
    links: &Links<'_>,
    user: &app_user::Model,
    token: &str,
    row: &password_reset::Model,
) -> EmailDelivery {
    let mail = crate::mail::password_reset(
        &user.email,
        &user.display_name,
        &format!("{}{}", links.public_url, path_of(token)),
        &row.expires_at.format("%H:%M %d/%m/%Y").to_string(),
    );
    links.mailer.deliver(mail).await
}

/// `POST /auth/password-reset`: e-mails a link to the active account with this address, if
/// there is one and SMTP is configured. The answer is the same whatever happened, so it tells
/// nobody which addresses have accounts; each request counts against the client address like
/// a failed sign-in (429 past the limit).
#[tracing::instrument(skip_all)]
pub async fn request<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    links: &Links<'_>,
    email: &str,
    client_ip: &str,
) -> Result<(), AppError> {
    auth::count_against_address(db, client_ip).await?;
    let Ok(email) = Email::parse(email) else {
        return Ok(());
    };
    let Some(user) = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.as_str()))
        .filter(app_user::Column::Active.eq(true))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    if !links.mailer.is_configured() {
        tracing::info!(user = %user.id, "password reset asked for, but no SMTP is configured");
        return Ok(());
    }
    let recent = password_reset::Entity::find()
        .filter(password_reset::Column::UserId.eq(user.id))
        .filter(password_reset::Column::CreatedBy.is_null())
        .filter(
            password_reset::Column::CreatedAt
                .gt(links.clock.now() - Duration::minutes(EMAILED_TTL_MINUTES)),
        )
        .count(db)
        .await?;
    if recent >= MAX_EMAILED_PER_ACCOUNT {
        tracing::warn!(user = %user.id, "password reset asked for too often: nothing sent");
        return Ok(());
    }
    let txn = crate::db::begin_write(db).await?;
    let (token, row) = create(
        &txn,
        links,
        &user,
        None,
        Duration::minutes(EMAILED_TTL_MINUTES),
    )
    .await?;
    audit::record(
        &txn,
        AuditEntry {
            actor: None,
            action: "password_reset.requested",
            entity_type: "user",
            entity_id: user.id.to_string(),
            inspection_id: None,
            payload: &serde_json::json!({"reset_id": row.id}),
        },
    )
    .await?;
    txn.commit().await?;
    mail_link(links, &user, &token, &row).await;
    Ok(())
}

/// `POST /users/{id}/password-reset`: an admin makes a link for an account they manage, to
/// pass on (also e-mailed when SMTP is configured). Audited.
#[tracing::instrument(skip_all, fields(user = %admin.id, target = %id))]
pub async fn create_by_admin<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    links: &Links<'_>,
    admin: &CurrentUser,
    id: Uuid,
) -> Result<PasswordResetLink, AppError> {
    let user = users::managed_account(db, admin, id).await?;
    if !user.active {
        return Err(AppError::validation(
            "This account is disabled: enable it first.",
            vec![AppError::field(
                "id",
                "account_disabled",
                "A disabled account cannot sign in, whatever its password.",
            )],
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let (token, row) = create(
        &txn,
        links,
        &user,
        Some(admin.id),
        Duration::hours(ADMIN_TTL_HOURS),
    )
    .await?;
    audit::record(
        &txn,
        AuditEntry {
            actor: Some(admin.id),
            action: "password_reset.created",
            entity_type: "user",
            entity_id: user.id.to_string(),
            inspection_id: None,
            payload: &serde_json::json!({"reset_id": row.id}),
        },
    )
    .await?;
    txn.commit().await?;
    let email_delivery = mail_link(links, &user, &token, &row).await;
    Ok(PasswordResetLink {
        user_id: user.id,
        email: user.email,
        reset_path: path_of(&token),
        token,
        expires_at: row.expires_at,
        email_delivery,
    })
}

/// The link of `token` and its active account: 404 if unknown (or the account is disabled),
/// 410 once used or expired.
async fn usable(
    db: &impl ConnectionTrait,
    links: &Links<'_>,
    token: &str,
) -> Result<(password_reset::Model, app_user::Model), AppError> {
    let row = password_reset::Entity::find()
        .filter(password_reset::Column::TokenHash.eq(sessions::hash_token(token)))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = app_user::Entity::find_by_id(row.user_id)
        .one(db)
        .await?
        .filter(|u| u.active)
        .ok_or(AppError::NotFound)?;
    users::check_link(row.used_at.is_some(), row.expires_at, links.clock.now())?;
    Ok((row, user))
}

/// `GET /auth/password-reset/{token}`: whose password the link resets, before they type one.
#[tracing::instrument(skip_all)]
pub async fn preview(
    db: &impl ConnectionTrait,
    links: &Links<'_>,
    token: &str,
) -> Result<PasswordResetPreview, AppError> {
    let (row, user) = usable(db, links, token).await?;
    Ok(PasswordResetPreview {
        email: user.email,
        display_name: user.display_name,
        expires_at: row.expires_at,
    })
}

/// `POST /auth/password-reset/{token}`: sets the new password (the rules of accepting an
/// invitation), spends the link, ends every session of the account, and signs it in afresh.
#[tracing::instrument(skip_all)]
pub async fn complete<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    links: &Links<'_>,
    tokens: &TokenKeys,
    token: &str,
    request: SetNewPassword,
) -> Result<LoginResponse, AppError> {
    let (row, user) = usable(db, links, token).await?;
    if let Some(error) = users::check_password("password", &request.password) {
        return Err(AppError::validation(
            "Choose a longer password.",
            vec![error],
        ));
    }
    let hash = users::hash_blocking(request.password).await?;
    let now = links.clock.now();
    let txn = crate::db::begin_write(db).await?;
    // Spend the link only if it is still unspent: two tabs set one password.
    let spent = password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::value(now))
        .filter(password_reset::Column::Id.eq(row.id))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if spent.rows_affected != 1 {
        txn.rollback().await?;
        return Err(AppError::Gone {
            code: kiemtra_shared::error::codes::LINK_USED,
            message: "This link was used already; ask for a new one.".to_owned(),
        });
    }
    let mut model: app_user::ActiveModel = user.clone().into();
    model.password_hash = Set(hash);
    let user = model.update(&txn).await?;
    sessions::revoke_all_for_user(&txn, user.id).await?;
    audit::record(
        &txn,
        AuditEntry {
            actor: Some(user.id),
            action: "password_reset.completed",
            entity_type: "user",
            entity_id: user.id.to_string(),
            inspection_id: None,
            payload: &serde_json::json!({"reset_id": row.id}),
        },
    )
    .await?;
    let pair = sessions::issue(&txn, tokens, &CurrentUser::from_model(&user), None).await?;
    txn.commit().await?;
    Ok(pair)
}
