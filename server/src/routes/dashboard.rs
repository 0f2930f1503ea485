//! The agency's dashboard.

use actix_web::{get, web};
use kiemtra_shared::dashboard::Dashboard;
use kiemtra_shared::error::ErrorBody;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::read_models::dashboard;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(get_dashboard);
}

/// Where work waits in the caller's agency: inspections by status, evidence without a decision,
/// corrective actions due this week and overdue. Reviewers and admins.
#[utoipa::path(
    tag = "dashboard",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The dashboard", body = Dashboard),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a reviewer or admin", body = ErrorBody),
    )
)]
#[get("/dashboard")]
async fn get_dashboard(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<web::Json<Dashboard>, AppError> {
    let today = state.clock.today();
    Ok(web::Json(
        dashboard::dashboard(&state.db, &user, today).await?,
    ))
}
