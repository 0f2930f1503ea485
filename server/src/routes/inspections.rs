//! Inspections: listing, planning, the status machine, and the phone's one-shot site checklist.

use actix_web::{HttpResponse, get, patch, post, web};
use kiemtra_shared::error::ErrorBody;
use kiemtra_shared::inspection::{
    CreateInspection, InspectionDetail, InspectionQuery, InspectionSummary, ResponseView,
    SubmitResponse, Transition, UpdateInspection,
};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::extract::Json;
use crate::read_models;
use crate::routes::responses::written;
use crate::routes::{page_of, paging};
use crate::services::{inspections, responses};
use crate::state::AppState;
use kiemtra_shared::paging::PageQuery;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(list_inspections)
        .service(create_inspection)
        .service(inspection_detail)
        .service(update_inspection)
        .service(transition_inspection)
        .service(submit_site_response);
}

/// The inspections the signed-in user may see, filtered, by planned start or newest first (at
/// most 100 a page). Admins and reviewers get each line's counts.
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(InspectionQuery),
    responses(
        (status = 200, description = "Inspections", body = Vec<InspectionSummary>,
            headers(("X-Total-Count" = u64, description = "How many in all"))),
        (status = 422, description = "Invalid paging or filter, the parameter named", body = ErrorBody),
    )
)]
#[get("/inspections")]
async fn list_inspections(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<InspectionQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let page = paging(&PageQuery {
        page: query.page,
        per_page: query.per_page,
    })?;
    let filter = read_models::inspections::Filter::parse(&query)?;
    let (items, total) =
        read_models::inspections::list(&state.db, &user, &filter, Some(page)).await?;
    Ok(page_of(items, total))
}

/// Changes the dates or the team of a planned inspection (its agency's admins, and the
/// reviewer who leads it).
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Inspection id")),
    request_body = UpdateInspection,
    responses(
        (status = 200, description = "Changed", body = InspectionDetail),
        (status = 403, description = "Not an admin or the reviewer leading the team", body = ErrorBody),
        (status = 404, description = "Absent or not visible", body = ErrorBody),
        (status = 409, description = "Not planned any more", body = ErrorBody),
        (status = 422, description = "Invalid dates or team, each named", body = ErrorBody),
    )
)]
#[patch("/inspections/{id}")]
async fn update_inspection(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<UpdateInspection>,
) -> Result<web::Json<InspectionDetail>, AppError> {
    let id = id.into_inner();
    inspections::update(&state.db, &user, id, body.into_inner()).await?;
    Ok(web::Json(
        read_models::inspections::detail(&state.db, &user, id).await?,
    ))
}

/// One inspection with its site checklist, response and evidence.
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Inspection id")),
    responses(
        (status = 200, description = "The inspection", body = InspectionDetail),
        (status = 404, description = "Absent or not visible to this user", body = ErrorBody),
    )
)]
#[get("/inspections/{id}")]
async fn inspection_detail(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<InspectionDetail>, AppError> {
    Ok(web::Json(
        read_models::inspections::detail(&state.db, &user, id.into_inner()).await?,
    ))
}

/// Submits the site checklist (inspectors on the team). Idempotent on the response id.
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Inspection id")),
    request_body = SubmitResponse,
    responses(
        (status = 201, description = "Stored", body = ResponseView),
        (status = 200, description = "The same submission was stored before", body = ResponseView),
        (status = 403, description = "Not an inspector on the team", body = ErrorBody),
        (status = 404, description = "Absent or not visible to this user", body = ErrorBody),
        (status = 409, description = "Same id with other answers, or not in progress", body = ErrorBody),
        (status = 422, description = "Invalid answers, each field named", body = ErrorBody),
    )
)]
#[post("/inspections/{id}/site-response")]
async fn submit_site_response(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<SubmitResponse>,
) -> Result<HttpResponse, AppError> {
    let submission = body.into_inner();
    Ok(written(
        responses::submit_site_response(&state.db, &user, id.into_inner(), submission).await?,
    ))
}

/// Plans an inspection of an enterprise (admins; reviewers for a team they lead).
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    request_body = CreateInspection,
    responses(
        (status = 201, description = "Planned", body = InspectionDetail),
        (status = 403, description = "Not an admin or reviewer", body = ErrorBody),
        (status = 422, description = "Invalid fields, team or templates, each named (a reviewer must lead the team)", body = ErrorBody),
    )
)]
#[post("/inspections")]
async fn create_inspection(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Json<CreateInspection>,
) -> Result<HttpResponse, AppError> {
    let id = inspections::create(&state.db, &user, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(read_models::inspections::detail(&state.db, &user, id).await?))
}

/// Moves an inspection along its status machine (its agency's admins, and the reviewer who
/// leads it).
#[utoipa::path(
    tag = "inspections",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Inspection id")),
    request_body = Transition,
    responses(
        (status = 200, description = "Moved", body = InspectionDetail),
        (status = 403, description = "Not an admin or the reviewer leading the team", body = ErrorBody),
        (status = 404, description = "Absent or not visible", body = ErrorBody),
        (status = 409, description = "Not allowed from the current status; `details` names the allowed ones", body = ErrorBody),
    )
)]
#[post("/inspections/{id}/transition")]
async fn transition_inspection(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<Transition>,
) -> Result<web::Json<InspectionDetail>, AppError> {
    let id = id.into_inner();
    inspections::transition(&state.db, &user, id, body.to).await?;
    Ok(web::Json(
        read_models::inspections::detail(&state.db, &user, id).await?,
    ))
}
