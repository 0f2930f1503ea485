//! The inspection list lines and the inspection detail (an inspection with its enterprise, team,
//! templates, the responses and evidence the user may see, and where its status may go).

use std::collections::HashMap;

use chrono::NaiveDate;
use kiemtra_shared::auth::Role;
use kiemtra_shared::error::FieldError;
use kiemtra_shared::inspection::{
    InspectionCounts, InspectionDetail, InspectionQuery, InspectionSort, InspectionStatus,
    InspectionSummary, TeamMember, parse_statuses,
};
use kiemtra_shared::paging::Paging;
use kiemtra_shared::review::{CorrectiveActionStatus, FindingStatus};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, LoaderTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::db::paged;
use crate::entities::inspection_member::TeamRole;
use crate::entities::review_decision::TargetType;
use crate::entities::{
    app_user, corrective_action, enterprise, evidence as evidence_row, finding, inspection,
    inspection_member, review_decision,
};
use crate::error::AppError;
use crate::services::{access, evidence, responses, templates};

/// The filters and order of the inspection list, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub statuses: Vec<InspectionStatus>,
    pub enterprise: Option<Uuid>,
    pub campaign: Option<String>,
    pub decision_number: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub sort: InspectionSort,
}

/// A parameter's text, trimmed; empty is absent.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl Filter {
    /// Checks the query's filters; a 422 names each parameter that does not parse.
    pub fn parse(query: &InspectionQuery) -> Result<Filter, AppError> {
        let mut errors: Vec<FieldError> = Vec::new();
        let mut filter = Filter::default();
        if let Some(text) = given(&query.status) {
            match parse_statuses(text) {
                Ok(statuses) => filter.statuses = statuses,
                Err(word) => errors.push(AppError::field(
                    "status",
                    "unknown_status",
                    &format!(
                        "{word:?} is not a status; use {}.",
                        InspectionStatus::ALL.map(|s| s.as_str()).join(", ")
                    ),
                )),
            }
        }
        if let Some(text) = given(&query.enterprise) {
            match text.parse() {
                Ok(id) => filter.enterprise = Some(id),
                Err(_) => errors.push(AppError::field(
                    "enterprise",
                    "invalid_id",
                    "Not an enterprise id.",
                )),
            }
        }
        filter.campaign = given(&query.campaign).map(str::to_owned);
        filter.decision_number = given(&query.decision_number).map(str::to_owned);
        for (field, text, slot) in [
            ("from", given(&query.from), &mut filter.from),
            ("to", given(&query.to), &mut filter.to),
        ] {
            if let Some(text) = text {
                match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                    Ok(date) => *slot = Some(date),
                    Err(_) => errors.push(AppError::field(
                        field,
                        "invalid_date",
                        "A date is written YYYY-MM-DD.",
                    )),
                }
            }
        }
        if let (Some(from), Some(to)) = (filter.from, filter.to)
            && to < from
        {
            errors.push(AppError::field(
                "to",
                "before_from",
                "The period cannot end before it starts.",
            ));
        }
        if let Some(text) = given(&query.sort) {
            match InspectionSort::parse(text) {
                Some(sort) => filter.sort = sort,
                None => errors.push(AppError::field(
                    "sort",
                    "unknown_sort",
                    "Sort by `planned` or `newest`.",
                )),
            }
        }
        if errors.is_empty() {
            Ok(filter)
        } else {
            Err(AppError::validation(
                "The list's filters are not valid.",
                errors,
            ))
        }
    }

    fn apply(&self, mut query: Select<inspection::Entity>) -> Select<inspection::Entity> {
        if !self.statuses.is_empty() {
            query = query.filter(inspection::Column::Status.is_in(self.statuses.iter().copied()));
        }
        if let Some(enterprise) = self.enterprise {
            query = query.filter(inspection::Column::EnterpriseId.eq(enterprise));
        }
        if let Some(text) = &self.campaign {
            query = query.filter(contains(inspection::Column::Campaign, text));
        }
        if let Some(text) = &self.decision_number {
            query = query.filter(contains(inspection::Column::DecisionNumber, text));
        }
        // Planned dates overlapping the period.
        if let Some(from) = self.from {
            query = query.filter(inspection::Column::PlannedEnd.gte(from));
        }
        if let Some(to) = self.to {
            query = query.filter(inspection::Column::PlannedStart.lte(to));
        }
        match self.sort {
            InspectionSort::Planned => query
                .order_by_asc(inspection::Column::PlannedStart)
                .order_by_asc(inspection::Column::DecisionNumber)
                .order_by_asc(inspection::Column::Id),
            InspectionSort::Newest => query
                .order_by_desc(inspection::Column::PlannedStart)
                .order_by_desc(inspection::Column::CreatedAt)
                .order_by_desc(inspection::Column::Id),
        }
    }
}

/// `column` contains `text`, ignoring case. SQLite's `lower()` folds ASCII letters only, so the
/// text is matched folded both ways: fully (PostgreSQL folds `Đ` to `đ`) and ASCII only
/// (SQLite keeps `Đ`); either way, text typed as it is written matches. `%` and `_` typed
/// match themselves.
fn contains(column: inspection::Column, text: &str) -> Condition {
    let escape = |t: &str| {
        LikeExpr::new(format!(
            "%{}%",
            t.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        ))
        .escape('\\')
    };
    let lowered = || Expr::expr(Func::lower(Expr::col(column)));
    Condition::any()
        .add(lowered().like(escape(&text.to_lowercase())))
        .add(lowered().like(escape(&text.to_ascii_lowercase())))
}

/// The inspections `user` may see that pass `filter`, one page of them with `paging` (and how
/// many in all). Admins and reviewers get each line's counts, read for the whole page at once.
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn list(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    filter: &Filter,
    paging: Option<Paging>,
) -> Result<(Vec<InspectionSummary>, u64), AppError> {
    let query = filter.apply(access::inspections_visible_to(user));
    let (rows, total) = paged(db, query, paging).await?;
    let with_counts = matches!(user.role, Role::Admin | Role::Reviewer);
    let counts = if with_counts {
        Some(counts(db, &rows).await?)
    } else {
        None
    };
    let mut lines = summaries(db, rows).await?;
    if let Some(counts) = counts {
        for line in &mut lines {
            line.counts = Some(counts.get(&line.id).copied().unwrap_or_default());
        }
    }
    Ok((lines, total))
}

/// Grouped counts of a count query: inspection id → count.
async fn grouped<E: EntityTrait>(
    db: &impl ConnectionTrait,
    query: Select<E>,
    group: impl ColumnTrait,
    counted: sea_orm::sea_query::SimpleExpr,
) -> Result<HashMap<Uuid, u64>, AppError> {
    Ok(query
        .select_only()
        .column(group)
        .column_as(counted, "n")
        .group_by(group)
        .into_tuple::<(Uuid, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, n)| (id, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// The counts of each of `rows`, in five grouped queries whatever the page's size.
async fn counts(
    db: &impl ConnectionTrait,
    rows: &[inspection::Model],
) -> Result<HashMap<Uuid, InspectionCounts>, AppError> {
    let mut counts: HashMap<Uuid, InspectionCounts> = HashMap::new();
    if rows.is_empty() {
        return Ok(counts);
    }
    let all: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    // Waiting for review, as the dashboard counts it: evidence of an inspection submitted or
    // under review that no decision names.
    let in_review: Vec<Uuid> = rows
        .iter()
        .filter(|r| {
            matches!(
                r.status,
                InspectionStatus::Submitted | InspectionStatus::UnderReview
            )
        })
        .map(|r| r.id)
        .collect();
    if !in_review.is_empty() {
        let evidence = grouped(
            db,
            evidence_row::Entity::find()
                .filter(evidence_row::Column::InspectionId.is_in(in_review.clone())),
            evidence_row::Column::InspectionId,
            evidence_row::Column::Id.count(),
        )
        .await?;
        let decided = grouped(
            db,
            review_decision::Entity::find()
                .filter(review_decision::Column::InspectionId.is_in(in_review))
                .filter(review_decision::Column::TargetType.eq(TargetType::Evidence)),
            review_decision::Column::InspectionId,
            Expr::col(review_decision::Column::TargetId).count_distinct(),
        )
        .await?;
        for (id, n) in evidence {
            counts.entry(id).or_default().evidence_awaiting_review =
                n.saturating_sub(decided.get(&id).copied().unwrap_or(0));
        }
    }
    for (status, slot) in [
        (
            FindingStatus::Confirmed,
            (|c: &mut InspectionCounts| &mut c.findings_confirmed)
                as fn(&mut InspectionCounts) -> &mut u64,
        ),
        (FindingStatus::Proposed, |c| &mut c.findings_proposed),
    ] {
        let found = grouped(
            db,
            finding::Entity::find()
                .filter(finding::Column::InspectionId.is_in(all.clone()))
                .filter(finding::Column::Status.eq(status)),
            finding::Column::InspectionId,
            finding::Column::Id.count(),
        )
        .await?;
        for (id, n) in found {
            *slot(counts.entry(id).or_default()) = n;
        }
    }
    let open = grouped(
        db,
        corrective_action::Entity::find()
            .filter(corrective_action::Column::InspectionId.is_in(all))
            .filter(corrective_action::Column::Status.ne(CorrectiveActionStatus::Verified)),
        corrective_action::Column::InspectionId,
        corrective_action::Column::Id.count(),
    )
    .await?;
    for (id, n) in open {
        counts.entry(id).or_default().open_actions = n;
    }
    Ok(counts)
}

/// The list lines of `rows`, with their enterprises read in one query.
#[tracing::instrument(skip_all, fields(inspections = rows.len()))]
pub async fn summaries(
    db: &impl ConnectionTrait,
    rows: Vec<inspection::Model>,
) -> Result<Vec<InspectionSummary>, AppError> {
    let enterprises = rows.load_one(enterprise::Entity, db).await?;
    rows.into_iter()
        .zip(enterprises)
        .map(|(row, enterprise)| {
            let enterprise = enterprise.ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("inspection {} has no enterprise", row.id))
            })?;
            summary(row, &enterprise)
        })
        .collect()
}

fn summary(
    row: inspection::Model,
    enterprise: &enterprise::Model,
) -> Result<InspectionSummary, AppError> {
    Ok(InspectionSummary {
        id: row.id,
        status: row.status,
        decision_number: row.decision_number,
        title: row.title,
        enterprise_name: enterprise.name.clone(),
        enterprise_tax_code: enterprise.tax_code.clone(),
        planned_start: row.planned_start,
        planned_end: row.planned_end,
        counts: None,
    })
}

/// One inspection as its screen shows it, if `user` may see it; the responses and evidence are
/// those the user may read.
#[tracing::instrument(skip_all, fields(user = %user.id, inspection = %id))]
pub async fn detail(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> Result<InspectionDetail, AppError> {
    let row = access::find_inspection(db, user, id).await?;
    let enterprise = enterprise::Entity::find_by_id(row.enterprise_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("inspection has no enterprise")))?;
    let site_checklist = templates::referenced(db, row.site_template_id).await?;
    let questionnaire = match row.questionnaire_template_id {
        Some(t) => Some(templates::referenced(db, t).await?),
        None => None,
    };
    let self_inspection = match row.self_inspection_template_id {
        Some(t) => Some(templates::referenced(db, t).await?),
        None => None,
    };
    let responses = responses::current_for_inspection(db, user, &row).await?;
    let site_response = responses
        .iter()
        .find(|r| r.template_id == row.site_template_id)
        .cloned();
    let evidence = evidence::list_for_inspection(db, user, &row).await?;
    let team = team(db, row.id).await?;
    let current = row.status;
    Ok(InspectionDetail {
        campaign: row.campaign.clone(),
        summary: summary(row, &enterprise)?,
        team,
        next_statuses: current.allowed_next().to_vec(),
        site_checklist,
        questionnaire,
        self_inspection,
        site_response,
        responses,
        evidence,
    })
}

async fn team(db: &impl ConnectionTrait, inspection_id: Uuid) -> Result<Vec<TeamMember>, AppError> {
    let mut team: Vec<TeamMember> = inspection_member::Entity::find()
        .filter(inspection_member::Column::InspectionId.eq(inspection_id))
        .find_also_related(app_user::Entity)
        .all(db)
        .await?
        .into_iter()
        .map(|(m, user)| TeamMember {
            user_id: m.user_id,
            display_name: user.map(|u| u.display_name).unwrap_or_default(),
            lead: m.team_role == TeamRole::Lead,
        })
        .collect();
    team.sort_by(|a, b| {
        b.lead
            .cmp(&a.lead)
            .then(a.display_name.cmp(&b.display_name))
    });
    Ok(team)
}
