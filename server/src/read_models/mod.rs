//! Read models: the views a screen asks for in one call, assembled from several services (an
//! inspection with its team, forms, responses and evidence; the conclusion with its findings and
//! corrective actions; the sync change feed; the agency dashboard; the follow-up list). They only read; the services never call them,
//! so writes stay free of presentation, and the dependency runs one way: routes → read models →
//! services → access.

pub mod conclusion;
pub mod dashboard;
pub mod follow_up;
pub mod inspections;
pub mod pull;
pub mod review_queue;

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entities::{enterprise, inspection};
use crate::error::AppError;

/// Records by their id.
pub(crate) type ById<T> = HashMap<Uuid, T>;

/// The inspections of one page of list lines, by id, and the names of their enterprises, by
/// enterprise id: two queries however long the page.
#[tracing::instrument(skip_all)]
pub(crate) async fn inspections_and_enterprise_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<(ById<inspection::Model>, ById<String>), AppError> {
    let inspections: ById<inspection::Model> = inspection::Entity::find()
        .filter(inspection::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let names = enterprise::Entity::find()
        .filter(enterprise::Column::Id.is_in(inspections.values().map(|i| i.enterprise_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();
    Ok((inspections, names))
}
