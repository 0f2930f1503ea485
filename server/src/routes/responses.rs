//! Responses: drafts, answers, submission, amendments and their history.

use actix_web::{HttpResponse, get, post, put, web};
use kiemtra_shared::error::ErrorBody;
use kiemtra_shared::inspection::ResponseView;
use kiemtra_shared::response::{AmendResponse, CreateResponse, SaveAnswers};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::extract::Json;
use crate::services::responses::{self, Written};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(create_response)
        .service(get_response)
        .service(response_versions)
        .service(save_answers)
        .service(submit_response)
        .service(amend_response);
}

pub fn written(written: Written<ResponseView>) -> HttpResponse {
    match written {
        Written::Created(view) => HttpResponse::Created().json(view),
        Written::AlreadyThere(view) => HttpResponse::Ok().json(view),
    }
}

/// Starts a draft response to one of the inspection's templates (its party only).
#[utoipa::path(
    tag = "responses",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Inspection id")),
    request_body = CreateResponse,
    responses(
        (status = 201, description = "Draft started", body = ResponseView),
        (status = 200, description = "The same draft was started before", body = ResponseView),
        (status = 403, description = "Not this form's party", body = ErrorBody),
        (status = 404, description = "Inspection absent or not visible", body = ErrorBody),
        (status = 409, description = "The form has a response already, or the inspection is past this", body = ErrorBody),
        (status = 422, description = "Template not attached to the inspection", body = ErrorBody),
    )
)]
#[post("/inspections/{id}/responses")]
async fn create_response(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<CreateResponse>,
) -> Result<HttpResponse, AppError> {
    Ok(written(
        responses::create_draft(&state.db, &user, id.into_inner(), body.into_inner()).await?,
    ))
}

/// One response version.
#[utoipa::path(
    tag = "responses",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Response id")),
    responses(
        (status = 200, description = "The response", body = ResponseView),
        (status = 404, description = "Absent or not visible", body = ErrorBody),
    )
)]
#[get("/responses/{id}")]
async fn get_response(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<ResponseView>, AppError> {
    Ok(web::Json(
        responses::get(&state.db, &user, id.into_inner()).await?,
    ))
}

/// Every version of a response, oldest first: the amendment history.
#[utoipa::path(
    tag = "responses",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Id of any version")),
    responses(
        (status = 200, description = "All versions", body = Vec<ResponseView>),
        (status = 404, description = "Absent or not visible", body = ErrorBody),
    )
)]
#[get("/responses/{id}/versions")]
async fn response_versions(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<Vec<ResponseView>>, AppError> {
    Ok(web::Json(
        responses::versions(&state.db, &user, id.into_inner()).await?,
    ))
}

/// Replaces a draft's answers (types are checked now, completeness at submission).
#[utoipa::path(
    tag = "responses",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Response id")),
    request_body = SaveAnswers,
    responses(
        (status = 200, description = "Saved", body = ResponseView),
        (status = 403, description = "Not this form's party", body = ErrorBody),
        (status = 409, description = "Submitted: amend it instead", body = ErrorBody),
        (status = 422, description = "Invalid answers, each path named", body = ErrorBody),
    )
)]
#[put("/responses/{id}/answers")]
async fn save_answers(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<SaveAnswers>,
) -> Result<web::Json<ResponseView>, AppError> {
    Ok(web::Json(
        responses::save_answers(&state.db, &user, id.into_inner(), body.into_inner()).await?,
    ))
}

/// Submits a draft after checking it whole with the shared form engine.
#[utoipa::path(
    tag = "responses",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Response id")),
    responses(
        (status = 200, description = "Submitted", body = ResponseView),
        (status = 403, description = "Not this form's party", body = ErrorBody),
        (status = 409, description = "Not a draft, or the inspection is past this", body = ErrorBody),
        (status = 422, description = "Incomplete or invalid, each path named", body = ErrorBody),
    )
)]
#[post("/responses/{id}/submit")]
async fn submit_response(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<ResponseView>, AppError> {
    Ok(web::Json(
        responses::submit(&state.db, &user, id.into_inner()).await?,
    ))
}

/// Opens an amendment of a submitted response: a new draft version, history kept.
#[utoipa::path(
    tag = "responses",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Id of the submitted version")),
    request_body = AmendResponse,
    responses(
        (status = 201, description = "Amendment draft", body = ResponseView),
        (status = 200, description = "The same amendment was opened before", body = ResponseView),
        (status = 403, description = "Not this form's party", body = ErrorBody),
        (status = 409, description = "Not the current submitted version", body = ErrorBody),
    )
)]
#[post("/responses/{id}/amend")]
async fn amend_response(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<AmendResponse>,
) -> Result<HttpResponse, AppError> {
    Ok(written(
        responses::amend(&state.db, &user, id.into_inner(), body.into_inner()).await?,
    ))
}
