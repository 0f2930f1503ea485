//! Demo data (`kiemtra --demo`): one agency, two enterprises, two inspections, a small OSH site
//! checklist and one account per role, all with the password `kiemtra-demo`.

use chrono::{NaiveDate, Utc};
use kiemtra_shared::auth::Role;
use kiemtra_shared::inspection::InspectionStatus;
use kiemtra_shared::template::{Item, ItemKind, Label, Section, TemplateKind, TemplateSchema};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionSession,
    TransactionTrait,
};
use uuid::Uuid;

use crate::auth::password;
use crate::entities::{agency, app_user, enterprise, inspection, inspection_member, template};
use crate::services::audit::{self, AuditEntry};

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
}

/// The OSH site checklist of the demo (a few items; the full templates come with the records API).
pub fn demo_site_checklist() -> TemplateSchema {
    let item = |key: &str, vi: &str, en: &str, required: bool, legal_basis: &str| Item {
        key: key.to_owned(),
        label: Label::new(vi, en),
        kind: ItemKind::YesNo,
        required,
        allows_photos: true,
        legal_basis: Some(legal_basis.to_owned()),
    };
    TemplateSchema {
        sections: vec![Section {
            key: "osh".to_owned(),
            title: Label::new(
                "An toàn, vệ sinh lao động",
                "Occupational safety and health",
            ),
            items: vec![
                item(
                    "osh.machine_guards",
                    "Bộ phận chuyển động của máy có được che chắn an toàn không?",
                    "Are the moving parts of machines guarded?",
                    true,
                    "Luật An toàn, vệ sinh lao động 2015, Điều 16",
                ),
                item(
                    "osh.fire_extinguishers",
                    "Bình chữa cháy có đủ và còn hạn kiểm định không?",
                    "Are fire extinguishers present and within their inspection date?",
                    false,
                    "Luật Phòng cháy, chữa cháy và cứu nạn, cứu hộ 2024",
                ),
            ],
        }],
    }
}

/// Creates the demo data unless it is already there (then returns what exists).
pub async fn demo<C: TransactionTrait + sea_orm::ConnectionTrait>(
    db: &C,
) -> anyhow::Result<DemoData> {
    if let Some(existing) = existing_demo(db).await? {
        return Ok(existing);
    }
    let now = Utc::now();
    let txn = db.begin().await?;
    let agency_id = Uuid::new_v4();
    agency::ActiveModel {
        id: Set(agency_id),
        name: Set("Thanh tra Sở Nội vụ Hà Nội (demo)".to_owned()),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;

    let new_enterprise = |name: &str, tax: &str, address: &str| enterprise::ActiveModel {
        id: Set(Uuid::new_v4()),
        name: Set(name.to_owned()),
        tax_code: Set(tax.to_owned()),
        address: Set(address.to_owned()),
        province: Set("Hà Nội".to_owned()),
        created_at: Set(now),
        industry_code: Set(Some("2592".to_owned())),
        headcount: Set(Some(240)),
        contact_name: Set(Some("Lê Văn Doanh".to_owned())),
        contact_phone: Set(Some("024 3888 1234".to_owned())),
        contact_email: Set(Some("enterprise@kiemtra.test".to_owned())),
        updated_at: Set(None),
    };
    let enterprise = new_enterprise(
        "Công ty TNHH Cơ khí Sông Hồng (demo)",
        "0101234567",
        "KCN Thăng Long, Đông Anh, Hà Nội",
    )
    .insert(&txn)
    .await?;
    let other_enterprise = new_enterprise(
        "Công ty CP Xây dựng Tây Hồ (demo)",
        "0107654321",
        "Phường Tây Hồ, Hà Nội",
    )
    .insert(&txn)
    .await?;

    let site_template = template::ActiveModel {
        id: Set(Uuid::new_v4()),
        code: Set("osh-site-checklist".to_owned()),
        version: Set(1),
        kind: Set(serde_json::to_value(TemplateKind::SiteChecklist)?
            .as_str()
            .unwrap_or_default()
            .to_owned()),
        name: Set("Phiếu kiểm tra hiện trường ATVSLĐ".to_owned()),
        schema: Set(serde_json::to_value(demo_site_checklist())?),
        published_at: Set(now),
    }
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
            role: Set(role.as_str().to_owned()),
            agency_id: Set((role != Role::Enterprise).then_some(agency_id)),
            enterprise_id: Set((role == Role::Enterprise).then_some(enterprise.id)),
            active: Set(true),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        users.push((role, user.id));
    }
    let user_id = |wanted: Role| users.iter().find(|(r, _)| *r == wanted).map(|(_, id)| *id);

    let date = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d");
    let new_inspection = |enterprise_id: Uuid, number: &str, status: InspectionStatus| {
        Ok::<_, anyhow::Error>(inspection::ActiveModel {
            id: Set(Uuid::new_v4()),
            agency_id: Set(agency_id),
            enterprise_id: Set(enterprise_id),
            decision_number: Set(number.to_owned()),
            title: Set("Thanh tra an toàn, vệ sinh lao động".to_owned()),
            status: Set(status.as_str().to_owned()),
            planned_start: Set(date("2026-11-23")?),
            planned_end: Set(date("2026-11-27")?),
            site_template_id: Set(site_template.id),
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
        (user_id(Role::Reviewer), "lead"),
        (user_id(Role::Inspector), "member"),
    ] {
        inspection_member::ActiveModel {
            inspection_id: Set(inspection.id),
            user_id: Set(user.ok_or_else(|| anyhow::anyhow!("demo user missing"))?),
            team_role: Set(team_role.to_owned()),
        }
        .insert(&txn)
        .await?;
    }
    for (action, entity_type, entity_id, payload) in [
        (
            "agency.created",
            "agency",
            agency_id,
            serde_json::json!({"name": "demo agency"}),
        ),
        (
            "enterprise.created",
            "enterprise",
            enterprise.id,
            serde_json::json!({"tax_code": enterprise.tax_code}),
        ),
        (
            "enterprise.created",
            "enterprise",
            other_enterprise.id,
            serde_json::json!({"tax_code": other_enterprise.tax_code}),
        ),
        (
            "template.published",
            "template",
            site_template.id,
            serde_json::json!({"code": site_template.code, "version": site_template.version}),
        ),
        (
            "inspection.created",
            "inspection",
            inspection.id,
            serde_json::json!({"decision_number": inspection.decision_number}),
        ),
        (
            "inspection.created",
            "inspection",
            other_inspection.id,
            serde_json::json!({"decision_number": other_inspection.decision_number}),
        ),
    ]
    .into_iter()
    .chain(users.iter().map(|(role, id)| {
        (
            "user.created",
            "user",
            *id,
            serde_json::json!({"role": role.as_str()}),
        )
    })) {
        audit::record(
            &txn,
            AuditEntry {
                actor: None,
                action,
                entity_type,
                entity_id: entity_id.to_string(),
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
        site_template_id: site_template.id,
    })
}

async fn existing_demo(db: &impl sea_orm::ConnectionTrait) -> anyhow::Result<Option<DemoData>> {
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
    }))
}
