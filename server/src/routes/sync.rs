//! Offline sync: push queued operations, pull changes.

use actix_web::{get, post, web};
use kiemtra_shared::error::ErrorBody;
use kiemtra_shared::sync::{PullQuery, PullResponse, PushRequest, PushResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::extract::Json;
use crate::read_models;
use crate::services::sync;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(sync_push).service(sync_pull);
}

/// Applies a batch of queued operations; answers per operation (applied, duplicate, rejected).
#[utoipa::path(
    tag = "sync",
    security(("bearer" = [])),
    request_body = PushRequest,
    responses(
        (status = 200, description = "One result per operation, in order", body = PushResponse),
        (status = 413, description = "More than 1000 operations", body = ErrorBody),
        (status = 422, description = "Malformed operations", body = ErrorBody),
    )
)]
#[post("/sync/push")]
async fn sync_push(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<PushRequest>,
) -> Result<web::Json<PushResponse>, AppError> {
    Ok(web::Json(
        sync::push(&state.db, &user, body.into_inner()).await?,
    ))
}

/// What changed for the user since a cursor: assignments, templates, responses, review
/// decisions, findings and corrective actions, with the next cursor.
#[utoipa::path(
    tag = "sync",
    security(("bearer" = [])),
    params(PullQuery),
    responses(
        (status = 200, description = "Changes and the next cursor", body = PullResponse),
        (status = 422, description = "Invalid cursor", body = ErrorBody),
    )
)]
#[get("/sync/pull")]
async fn sync_pull(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<PullQuery>,
) -> Result<web::Json<PullResponse>, AppError> {
    Ok(web::Json(
        read_models::pull::pull(&state.db, &state.clock, &user, query.since.unwrap_or(0)).await?,
    ))
}
