//! Refresh tokens: opaque, single-use, stored as SHA-256 hashes, rotated on every use.
//!
//! Each login starts a family. Refreshing spends the presented token and issues its successor in
//! the same family. Presenting a spent (or revoked) token again means it was copied: the whole
//! family is revoked, so neither the thief nor the owner can go on with it.

use base64::Engine;
use chrono::{Duration, Utc};
use kiemtra_shared::auth::LoginResponse;
use kiemtra_shared::error::codes;
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::auth::token::TokenKeys;
use crate::entities::{app_user, refresh_token};
use crate::error::AppError;

/// How long a refresh token lives: a phone offline for weeks can still sync.
pub const REFRESH_TTL_DAYS: i64 = 30;

/// A new random token (256 bits, base64url) and its stored hash.
pub fn new_opaque_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&token);
    (token, hash)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Issues an access token and a refresh token in `family` (a new family for a new login).
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn issue(
    db: &impl ConnectionTrait,
    tokens: &TokenKeys,
    user: &CurrentUser,
    family: Option<Uuid>,
) -> Result<LoginResponse, AppError> {
    let now = Utc::now();
    let (refresh, hash) = new_opaque_token();
    refresh_token::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(user.id),
        family_id: Set(family.unwrap_or_else(Uuid::new_v4)),
        token_hash: Set(hash),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(REFRESH_TTL_DAYS)),
        used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(LoginResponse {
        access_token: tokens.issue_access(user.id, user.role.as_str())?,
        token_type: "Bearer".to_owned(),
        expires_in: tokens.ttl_secs(),
        refresh_token: refresh,
        refresh_expires_in: Duration::days(REFRESH_TTL_DAYS).num_seconds(),
        user: user.to_me(),
    })
}

fn refresh_refused() -> AppError {
    AppError::Unauthenticated {
        code: codes::TOKEN_INVALID,
        message: "This session has ended; sign in again.".to_owned(),
    }
}

/// Spends `presented` and returns a new pair in the same family.
#[tracing::instrument(skip_all)]
pub async fn refresh<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    tokens: &TokenKeys,
    presented: &str,
) -> Result<LoginResponse, AppError> {
    let now = Utc::now();
    let found = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(hash_token(presented)))
        .one(db)
        .await?
        .ok_or_else(refresh_refused)?;
    if found.revoked_at.is_some() || found.used_at.is_some() {
        tracing::warn!(family = %found.family_id, user = %found.user_id, "refresh token reused: revoking its family");
        revoke_family(db, found.family_id).await?;
        return Err(refresh_refused());
    }
    if found.expires_at <= now {
        return Err(AppError::Unauthenticated {
            code: codes::TOKEN_EXPIRED,
            message: "This session has expired; sign in again.".to_owned(),
        });
    }
    let user = app_user::Entity::find_by_id(found.user_id)
        .one(db)
        .await?
        .filter(|u| u.active)
        .and_then(|u| CurrentUser::from_model(&u))
        .ok_or_else(refresh_refused)?;

    let txn = crate::db::begin_write(db).await?;
    // Spend it only if nobody spent it in the meantime: two refreshes racing with one token is
    // reuse as well.
    let spent = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::Id.eq(found.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if spent.rows_affected != 1 {
        txn.rollback().await?;
        revoke_family(db, found.family_id).await?;
        return Err(refresh_refused());
    }
    let pair = issue(&txn, tokens, &user, Some(found.family_id)).await?;
    txn.commit().await?;
    Ok(pair)
}

/// Ends the session the refresh token belongs to. Unknown tokens are ignored (logout is
/// idempotent and says nothing about which tokens exist).
#[tracing::instrument(skip_all)]
pub async fn logout(db: &impl ConnectionTrait, presented: &str) -> Result<(), AppError> {
    if let Some(found) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(hash_token(presented)))
        .one(db)
        .await?
    {
        revoke_family(db, found.family_id).await?;
    }
    Ok(())
}

async fn revoke_family(db: &impl ConnectionTrait, family: Uuid) -> Result<(), AppError> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::FamilyId.eq(family))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes every session of a user (on disabling the account or changing its role).
#[tracing::instrument(skip_all, fields(user = %user_id))]
pub async fn revoke_all_for_user(db: &impl ConnectionTrait, user_id: Uuid) -> Result<(), AppError> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
