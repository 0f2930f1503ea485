//! Demo data (`kiemtra --demo`): one agency, two enterprises, the three seed templates
//! (published), two inspections and one account per role, all with the password `kiemtra-demo`.

use chrono::{NaiveDate, Utc};
use kiemtra_shared::auth::Role;
use kiemtra_shared::inspection::InspectionStatus;
use kiemtra_shared::seed_templates::seed_templates;
use kiemtra_shared::template::TemplateKind;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};
use uuid::Uuid;

use crate::auth::password;
use crate::entities::inspection_member::TeamRole;
use crate::entities::{agency, app_user, enterprise, inspection, inspection_member};
use crate::services::audit::{self, AuditEntry};
use crate::services::templates;

pub const DEMO_PASSWORD: &str = "kiemtra-demo";

/// Ids of what the demo seed made, for tests and the log.
#[derive(Debug, Clone)]
pub struct DemoData {
    pub agency_id: Uuid,
    pub enterprise_id: Uuid,
    pub other_enterprise_id: Uuid,
    pub inspection_id: Uuid,
    pub other_inspection_id: Uuid,
    pub site_template_id: Uuid,
    pub questionnaire_template_id: Uuid,
    pub self_inspection_template_id: Uuid,
}

/// Publishes the seed templates (as version 1 of their codes, unless present) and returns the
/// ids of the site checklist, questionnaire and self-inspection checklist.
pub async fn publish_seed_templates(
    db: &impl ConnectionTrait,
) -> anyhow::Result<(Uuid, Uuid, Uuid)> {
    let (mut site, mut questionnaire, mut self_inspection) = (None, None, None);
    for seed in seed_templates()? {
        let published =
            templates::ensure_published(db, &seed.code, seed.kind, &seed.name.vi, &seed.schema)
                .await
                .map_err(|e| anyhow::anyhow!("publishing seed template {}: {e:?}", seed.code))?;
        let slot = match seed.kind {
            TemplateKind::SiteChecklist => &mut site,
            TemplateKind::Questionnaire => &mut questionnaire,
            TemplateKind::SelfInspection => &mut self_inspection,
        };
        *slot = Some(published.id);
    }
    match (site, questionnaire, self_inspection) {
        (Some(a), Some(b), Some(c)) => Ok((a, b, c)),
        _ => anyhow::bail!("the seed templates lack a kind"),
    }
}

/// Creates the demo data unless it is already there (then returns what exists).
pub async fn demo<C: TransactionTrait + ConnectionTrait>(db: &C) -> anyhow::Result<DemoData> {
    let txn = crate::db::begin_write(db).await?;
    let (site_template_id, questionnaire_template_id, self_inspection_template_id) =
        publish_seed_templates(&txn).await?;
    if let Some(existing) = existing_demo(&txn).await? {
        txn.commit().await?;
        return Ok(existing);
    }
    let now = Utc::now();
    let agency_id = Uuid::new_v4();
    agency::ActiveModel {
        id: Set(agency_id),
        name: Set("Thanh tra Sở Nội vụ Hà Nội (demo)".to_owned()),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;

    let new_enterprise = |name: &str, tax: &str, address: &str, industry: &str, headcount: i32| {
        enterprise::ActiveModel {
            id: Set(Uuid::new_v4()),
            name: Set(name.to_owned()),
            tax_code: Set(tax.to_owned()),
            address: Set(address.to_owned()),
            province: Set("Hà Nội".to_owned()),
            created_at: Set(now),
            industry_code: Set(Some(industry.to_owned())),
            headcount: Set(Some(headcount)),
            contact_name: Set(Some("Lê Văn Doanh".to_owned())),
            contact_phone: Set(Some("024 3888 1234".to_owned())),
            contact_email: Set(Some("enterprise@kiemtra.test".to_owned())),
            updated_at: Set(None),
        }
    };
    let enterprise = new_enterprise(
        "Công ty TNHH Cơ khí Sông Hồng (demo)",
        "0101234567",
        "KCN Thăng Long, Đông Anh, Hà Nội",
        "2592",
        240,
    )
    .insert(&txn)
    .await?;
    let other_enterprise = new_enterprise(
        "Công ty CP Xây dựng Tây Hồ (demo)",
        "0107654321",
        "Phường Tây Hồ, Hà Nội",
        "4100",
        85,
    )
    .insert(&txn)
    .await?;

    let hash = password::hash(DEMO_PASSWORD);
    let mut users = Vec::new();
    for (role, email, name) in [
        (Role::Admin, "admin@kiemtra.test", "Quản trị viên"),
        (Role::Reviewer, "reviewer@kiemtra.test", "Trần Thị Duyệt"),
        (Role::Inspector, "inspector@kiemtra.test", "Nguyễn Văn Kiểm"),
        (Role::Enterprise, "enterprise@kiemtra.test", "Lê Văn Doanh"),
    ] {
        let user = app_user::ActiveModel {
            id: Set(Uuid::new_v4()),
            email: Set(email.to_owned()),
            password_hash: Set(hash.clone()),
            display_name: Set(name.to_owned()),
            role: Set(role),
            agency_id: Set((role != Role::Enterprise).then_some(agency_id)),
            enterprise_id: Set((role == Role::Enterprise).then_some(enterprise.id)),
            invited_by_agency_id: Set((role == Role::Enterprise).then_some(agency_id)),
            active: Set(true),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        users.push((role, user.id));
    }
    let user_id = |wanted: Role| {
        users
            .iter()
            .find(|(r, _)| *r == wanted)
            .map(|(_, id)| *id)
            .ok_or_else(|| anyhow::anyhow!("demo user missing"))
    };

    let date = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d");
    let new_inspection = |enterprise_id: Uuid, number: &str, status: InspectionStatus| {
        Ok::<_, anyhow::Error>(inspection::ActiveModel {
            id: Set(Uuid::new_v4()),
            agency_id: Set(agency_id),
            enterprise_id: Set(enterprise_id),
            decision_number: Set(number.to_owned()),
            title: Set("Thanh tra an toàn, vệ sinh lao động".to_owned()),
            campaign: Set(Some(
                "ATVSLĐ trong sản xuất cơ khí và xây dựng 2026".to_owned(),
            )),
            status: Set(status),
            planned_start: Set(date("2026-11-23")?),
            planned_end: Set(date("2026-11-27")?),
            site_template_id: Set(site_template_id),
            questionnaire_template_id: Set(Some(questionnaire_template_id)),
            self_inspection_template_id: Set(Some(self_inspection_template_id)),
            created_at: Set(now),
            updated_at: Set(now),
        })
    };
    let inspection = new_inspection(enterprise.id, "125/QĐ-TTr", InspectionStatus::InProgress)?
        .insert(&txn)
        .await?;
    let other_inspection =
        new_inspection(other_enterprise.id, "126/QĐ-TTr", InspectionStatus::Planned)?
            .insert(&txn)
            .await?;
    for (user, team_role) in [
        (user_id(Role::Reviewer)?, TeamRole::Lead),
        (user_id(Role::Inspector)?, TeamRole::Member),
    ] {
        inspection_member::ActiveModel {
            inspection_id: Set(inspection.id),
            user_id: Set(user),
            team_role: Set(team_role),
        }
        .insert(&txn)
        .await?;
    }
    let events = [
        (
            "agency.created",
            "agency",
            agency_id,
            None,
            serde_json::json!({"name": "demo agency"}),
        ),
        (
            "enterprise.created",
            "enterprise",
            enterprise.id,
            None,
            serde_json::json!({"tax_code": enterprise.tax_code}),
        ),
        (
            "enterprise.created",
            "enterprise",
            other_enterprise.id,
            None,
            serde_json::json!({"tax_code": other_enterprise.tax_code}),
        ),
        (
            "inspection.created",
            "inspection",
            inspection.id,
            Some(inspection.id),
            serde_json::json!({"decision_number": inspection.decision_number}),
        ),
        (
            "inspection.created",
            "inspection",
            other_inspection.id,
            Some(other_inspection.id),
            serde_json::json!({"decision_number": other_inspection.decision_number}),
        ),
    ];
    let user_events = users.iter().map(|(role, id)| {
        (
            "user.created",
            "user",
            *id,
            None,
            serde_json::json!({"role": role}),
        )
    });
    for (action, entity_type, entity_id, inspection_id, payload) in
        events.into_iter().chain(user_events)
    {
        audit::record(
            &txn,
            AuditEntry {
                actor: None,
                action,
                entity_type,
                entity_id: entity_id.to_string(),
                inspection_id,
                payload: &payload,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("recording the demo seed in the audit log: {e:?}"))?;
    }
    txn.commit().await?;
    Ok(DemoData {
        agency_id,
        enterprise_id: enterprise.id,
        other_enterprise_id: other_enterprise.id,
        inspection_id: inspection.id,
        other_inspection_id: other_inspection.id,
        site_template_id,
        questionnaire_template_id,
        self_inspection_template_id,
    })
}

async fn existing_demo(db: &impl ConnectionTrait) -> anyhow::Result<Option<DemoData>> {
    let Some(enterprise_user) = app_user::Entity::find()
        .filter(app_user::Column::Email.eq("enterprise@kiemtra.test"))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let enterprise_id = enterprise_user
        .enterprise_id
        .ok_or_else(|| anyhow::anyhow!("demo enterprise user has no enterprise"))?;
    let by_number = |n: &'static str| {
        inspection::Entity::find()
            .filter(inspection::Column::DecisionNumber.eq(n))
            .one(db)
    };
    let (Some(first), Some(second)) = (
        by_number("125/QĐ-TTr").await?,
        by_number("126/QĐ-TTr").await?,
    ) else {
        anyhow::bail!("the demo accounts exist but the demo inspections do not");
    };
    Ok(Some(DemoData {
        agency_id: first.agency_id,
        enterprise_id,
        other_enterprise_id: second.enterprise_id,
        inspection_id: first.id,
        other_inspection_id: second.id,
        site_template_id: first.site_template_id,
        questionnaire_template_id: first.questionnaire_template_id.unwrap_or_default(),
        self_inspection_template_id: first.self_inspection_template_id.unwrap_or_default(),
    }))
}
