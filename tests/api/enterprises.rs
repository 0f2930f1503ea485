//! The enterprise register: search, paging, tax codes, tenancy.

use kiemtra_shared::enterprise::{EnterpriseView, Page};
use serde_json::json;

use crate::both_backends;
use crate::helpers::{
    ADMIN, Backend, ENTERPRISE, INSPECTOR, REVIEWER, TestApp, error_body, spawn_app,
};

both_backends!(
    reviewer_registers_an_enterprise_with_a_normalised_tax_code,
    a_bad_tax_code_is_a_422_naming_the_field,
    a_tax_code_registered_twice_is_a_409,
    search_finds_by_name_and_tax_code_and_pages,
    a_page_larger_than_the_maximum_is_a_422,
    an_enterprise_user_sees_only_its_own,
    only_agency_staff_edit_the_register,
);

fn new_enterprise(tax_code: &str, name: &str) -> serde_json::Value {
    json!({
        "name": name, "tax_code": tax_code, "address": "Số 1 Đường Láng, Đống Đa",
        "province": "Hà Nội", "industry_code": "4100", "headcount": 85,
        "contact": {"name": "Hoàng Văn Liên", "phone": "0912 345 678", "email": "lien@example.vn"}
    })
}

async fn register(app: &TestApp, token: &str, tax_code: &str, name: &str) -> reqwest::Response {
    app.post_json(
        "/api/v1/enterprises",
        token,
        &new_enterprise(tax_code, name),
    )
    .await
}

async fn reviewer_registers_an_enterprise_with_a_normalised_tax_code(backend: Backend) {
    let app = spawn_app(backend).await;
    let reviewer = app.token(REVIEWER).await;

    let response = register(
        &app,
        &reviewer,
        " 0109876543001 ",
        "Chi nhánh Xây dựng Láng",
    )
    .await;

    assert_eq!(response.status(), 201);
    let created: EnterpriseView = response.json().await.unwrap();
    assert_eq!(created.tax_code.as_str(), "0109876543-001");
    assert_eq!(created.headcount, Some(85));
    let fetched: EnterpriseView = app
        .get(&format!("/api/v1/enterprises/{}", created.id), &reviewer)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(fetched, created);
}

async fn a_bad_tax_code_is_a_422_naming_the_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let reviewer = app.token(REVIEWER).await;

    for bad in ["01012345", "01012345678", "01O1234567"] {
        let response = register(&app, &reviewer, bad, "Sai mã").await;
        assert_eq!(response.status(), 422, "{bad}");
        assert_eq!(
            error_body(response).await.details[0].field,
            "tax_code",
            "{bad}"
        );
    }
}

async fn a_tax_code_registered_twice_is_a_409(backend: Backend) {
    let app = spawn_app(backend).await;
    let reviewer = app.token(REVIEWER).await;

    let response = register(&app, &reviewer, "0101234567", "Trùng mã").await;

    assert_eq!(response.status(), 409);
}

async fn search(app: &TestApp, token: &str, query: &str) -> Page<EnterpriseView> {
    let response = app
        .get(&format!("/api/v1/enterprises?{query}"), token)
        .await;
    assert_eq!(response.status(), 200, "{query}");
    response.json().await.unwrap()
}

async fn search_finds_by_name_and_tax_code_and_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    let reviewer = app.token(REVIEWER).await;
    for i in 0..5 {
        let tax = format!("030000000{i}");
        assert_eq!(
            register(&app, &reviewer, &tax, &format!("Dệt may Sài Gòn {i}"))
                .await
                .status(),
            201
        );
    }

    let by_name = search(&app, &reviewer, "q=d%E1%BB%87t%20may").await;
    let by_tax = search(&app, &reviewer, "q=010765").await;
    let first_page = search(&app, &reviewer, "q=may&per_page=2&page=1").await;
    let last_page = search(&app, &reviewer, "q=may&per_page=2&page=3").await;

    assert_eq!(by_name.total, 5);
    assert_eq!(by_tax.items.len(), 1);
    assert_eq!(by_tax.items[0].tax_code.as_str(), "0107654321");
    assert_eq!((first_page.items.len(), first_page.total), (2, 5));
    assert_eq!(last_page.items.len(), 1);
    assert_ne!(first_page.items[0].id, last_page.items[0].id);
}

async fn a_page_larger_than_the_maximum_is_a_422(backend: Backend) {
    let app = spawn_app(backend).await;
    let reviewer = app.token(REVIEWER).await;

    let response = app
        .get("/api/v1/enterprises?per_page=1000", &reviewer)
        .await;

    assert_eq!(response.status(), 422);
    assert_eq!(error_body(response).await.details[0].field, "per_page");
}

async fn an_enterprise_user_sees_only_its_own(backend: Backend) {
    let app = spawn_app(backend).await;
    let enterprise = app.token(ENTERPRISE).await;

    let list = search(&app, &enterprise, "").await;
    let other = app
        .get(
            &format!("/api/v1/enterprises/{}", app.demo.other_enterprise_id),
            &enterprise,
        )
        .await;

    assert_eq!(
        list.items.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![app.demo.enterprise_id]
    );
    assert_eq!(other.status(), 404);
    let staff = search(&app, &app.token(INSPECTOR).await, "").await;
    assert_eq!(staff.total, 2);
}

async fn only_agency_staff_edit_the_register(backend: Backend) {
    let app = spawn_app(backend).await;
    let path = format!("/api/v1/enterprises/{}", app.demo.enterprise_id);
    let patch = |token: String| {
        app.client
            .patch(app.url(&path))
            .bearer_auth(token)
            .json(&json!({"headcount": 300}))
            .send()
    };

    assert_eq!(
        patch(app.token(INSPECTOR).await).await.unwrap().status(),
        403
    );
    assert_eq!(
        patch(app.token(ENTERPRISE).await).await.unwrap().status(),
        403
    );
    let response = patch(app.token(ADMIN).await).await.unwrap();
    assert_eq!(response.status(), 200);
    let updated: EnterpriseView = response.json().await.unwrap();
    assert_eq!(updated.headcount, Some(300));
    assert_eq!(
        register(&app, &app.token(INSPECTOR).await, "0312345678", "X")
            .await
            .status(),
        403
    );
}
