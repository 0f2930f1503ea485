//! Offline sync, pull: the change feed. The audit log is the feed: every change is an audit
//! event carrying its inspection, so "what changed for this user since cursor N" is the events
//! after N on the inspections the user may see (plus published templates), answered with the
//! records' current state, as far as the user may see them.

use std::collections::BTreeSet;

use kiemtra_shared::sync::PullResponse;
use kiemtra_shared::template::TemplateStatus;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::clock::Clock;
use crate::entities::{audit_event, inspection, review_decision};
use crate::error::AppError;
use crate::read_models::inspections::summaries;
use crate::services::{access, findings, responses, review, templates};

/// Events answered by one pull at most; `more` tells the client to pull again.
const PULL_PAGE: u64 = 500;

/// What changed for the user after `since`.
#[tracing::instrument(skip_all, fields(user = %user.id, since = since))]
pub async fn pull(
    db: &impl ConnectionTrait,
    clock: &Clock,
    user: &CurrentUser,
    since: i64,
) -> Result<PullResponse, AppError> {
    if since < 0 {
        return Err(AppError::validation(
            "The cursor is not valid.",
            vec![AppError::field(
                "since",
                "out_of_range",
                "A cursor is 0 or a value a pull returned.",
            )],
        ));
    }
    let visible: Vec<inspection::Model> = access::inspections_visible_to(user).all(db).await?;
    let visible_ids: Vec<Uuid> = visible.iter().map(|i| i.id).collect();
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Seq.gt(since))
        .filter(
            Condition::any()
                .add(audit_event::Column::InspectionId.is_in(visible_ids.clone()))
                .add(audit_event::Column::EntityType.eq("template")),
        )
        .order_by_asc(audit_event::Column::Seq)
        .limit(PULL_PAGE)
        .all(db)
        .await?;
    let more = events.len() as u64 == PULL_PAGE;
    let cursor = match events.last() {
        Some(last) => last.seq,
        // Nothing for this user: jump to the head, so the next pull starts there.
        None => audit_event::Entity::find()
            .select_only()
            .column_as(audit_event::Column::Seq.max(), "max")
            .into_tuple::<Option<i64>>()
            .one(db)
            .await?
            .flatten()
            .unwrap_or(0)
            .max(since),
    };

    let mut changed_inspections = BTreeSet::new();
    let mut changed = BTreeSet::new();
    for event in &events {
        if let Some(inspection) = event.inspection_id {
            changed_inspections.insert(inspection);
        }
        changed.insert((event.entity_type.clone(), event.entity_id.clone()));
    }
    let ids_of = |entity_type: &str| -> Vec<Uuid> {
        changed
            .iter()
            .filter(|(t, _)| t == entity_type)
            .filter_map(|(_, id)| id.parse().ok())
            .collect()
    };

    // The visible inspections were read above; only the changed ones become list lines.
    let changed_rows = visible
        .into_iter()
        .filter(|i| changed_inspections.contains(&i.id))
        .collect();
    let inspections = summaries(db, changed_rows).await?;

    let mut templates_out = Vec::new();
    for id in ids_of("template") {
        let Some(found) = templates::find(db, id).await? else {
            continue;
        };
        let usable = found.status == TemplateStatus::Published
            && access::may_see_template(db, user, &found).await?;
        if usable {
            templates_out.push(found);
        }
    }

    let mut responses_out = Vec::new();
    for id in ids_of("response") {
        if let Ok(found) = responses::get(db, user, id).await {
            responses_out.push(found);
        }
    }

    let mut reviews = Vec::new();
    if access::is_agency_staff(user) {
        for row in review_decision::Entity::find()
            .filter(review_decision::Column::Id.is_in(ids_of("review")))
            .filter(review_decision::Column::InspectionId.is_in(visible_ids.clone()))
            .apply_if(
                (!access::sees_internal_reviews(user)).then_some(false),
                |q, internal| q.filter(review_decision::Column::Internal.eq(internal)),
            )
            .all(db)
            .await?
        {
            reviews.push(review::view(row)?);
        }
    }

    let mut findings_out = Vec::new();
    let finding_ids = ids_of("finding");
    for inspection_id in &changed_inspections {
        if finding_ids.is_empty() {
            break;
        }
        for f in findings::list(db, user, *inspection_id).await? {
            if finding_ids.contains(&f.id) {
                findings_out.push(f);
            }
        }
    }

    let action_ids = ids_of("corrective_action");
    let mut actions = Vec::new();
    if !action_ids.is_empty() {
        for action in findings::follow_up(db, clock, user, None, false).await? {
            if action_ids.contains(&action.id) {
                actions.push(action);
            }
        }
    }

    Ok(PullResponse {
        cursor,
        more,
        inspections,
        templates: templates_out,
        responses: responses_out,
        reviews,
        findings: findings_out,
        corrective_actions: actions,
    })
}
