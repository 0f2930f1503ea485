//! `GET /api/health`: whether the database and the object store answer.

use actix_web::{HttpResponse, get, web};
use kiemtra_shared::health::{ComponentStatus, Health};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(health);
}

/// Whether the database and the object store answer.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "Everything answers", body = Health),
        (status = 503, description = "The named component does not answer", body = Health),
    )
)]
#[get("/health")]
async fn health(state: web::Data<AppState>) -> HttpResponse {
    let status = |ok: bool| {
        if ok {
            ComponentStatus::Ok
        } else {
            ComponentStatus::Unavailable
        }
    };
    let (db_ok, storage_ok) = tokio::join!(state.db.ping(), state.storage.ping());
    if let Err(error) = &db_ok {
        tracing::warn!(%error, "health: database unreachable");
    }
    let body = Health {
        status: status(db_ok.is_ok() && storage_ok),
        database: status(db_ok.is_ok()),
        object_storage: status(storage_ok),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    if body.status == ComponentStatus::Ok {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}
