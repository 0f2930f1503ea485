//! Inspections and their site-checklist response.

use actix_web::{HttpResponse, get, post, web};
use kiemtra_shared::inspection::{InspectionDetail, InspectionSummary, SubmitResponse};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::services::inspections::{self, Submitted};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(detail)
        .service(submit_site_response);
}

#[get("/inspections")]
async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<web::Json<Vec<InspectionSummary>>, AppError> {
    Ok(web::Json(inspections::list(&state.db, &user).await?))
}

#[get("/inspections/{id}")]
async fn detail(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<InspectionDetail>, AppError> {
    Ok(web::Json(
        inspections::detail(&state.db, &user, id.into_inner()).await?,
    ))
}

/// 201 when the response is new, 200 when the same submission was already stored.
#[post("/inspections/{id}/site-response")]
async fn submit_site_response(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: web::Json<SubmitResponse>,
) -> Result<HttpResponse, AppError> {
    Ok(
        match inspections::submit_site_response(
            &state.db,
            &user,
            id.into_inner(),
            body.into_inner(),
        )
        .await?
        {
            Submitted::Created(view) => HttpResponse::Created().json(view),
            Submitted::AlreadyThere(view) => HttpResponse::Ok().json(view),
        },
    )
}
