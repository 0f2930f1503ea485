//! The conclusion (kết luận) as the screens show it: the document with the inspection's
//! findings and corrective actions, as far as the user may see them.

use kiemtra_shared::review::ConclusionView;
use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::clock::Clock;
use crate::entities::conclusion;
use crate::error::AppError;
use crate::services::{access, findings};

/// The conclusion of an inspection `user` may see, with its findings and corrective actions
/// (overdue as of `clock`); 404 until it is concluded.
#[tracing::instrument(skip_all, fields(user = %user.id, inspection = %inspection_id))]
pub async fn get(
    db: &impl ConnectionTrait,
    clock: &Clock,
    user: &CurrentUser,
    inspection_id: Uuid,
) -> Result<ConclusionView, AppError> {
    let row = access::find_inspection(db, user, inspection_id).await?;
    let found = conclusion::Entity::find_by_id(row.id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(ConclusionView {
        inspection_id: row.id,
        number: found.number,
        summary: found.summary,
        sanctions: found.sanctions,
        concluded_by: found.concluded_by,
        concluded_at: found.concluded_at,
        findings: findings::list(db, user, row.id).await?,
        corrective_actions: findings::follow_up(db, clock, user, Some(row.id), false).await?,
    })
}
