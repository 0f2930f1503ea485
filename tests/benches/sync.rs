//! Records-API benchmark: the time of a 500-answer sync push on SQLite and on PostgreSQL, and
//! the p99 latency of `GET /api/v1/sync/pull` at 200 concurrent clients, driven by `wrk`
//! (Debian package), against `GET /api/health` under the same load as the baseline.
//!
//! Prints figures; asserts nothing about speed (this machine is shared and noisy).

#[allow(dead_code, unused_imports)]
#[path = "../api/helpers.rs"]
mod helpers;

use std::process::Command;
use std::time::{Duration, Instant};

use helpers::{ADMIN, Backend, INSPECTOR, REVIEWER, TestApp, spawn_app};
use kiemtra_shared::inspection::{InspectionDetail, TemplateRef};
use kiemtra_shared::sync::{OpStatus, PullResponse, PushResponse};
use serde_json::{Value, json};
use uuid::Uuid;

const ANSWERS: usize = 500;
const RUNS: usize = 3;

/// A published site checklist with 500 yes/no items in 10 sections.
async fn big_template(app: &TestApp, admin: &str) -> Uuid {
    let sections: Vec<Value> = (0..10)
        .map(|s| {
            let items: Vec<Value> = (0..ANSWERS / 10)
                .map(|i| {
                    json!({"key": format!("b.{s}.{i}"), "label": {"vi": format!("Câu {s}.{i}"), "en": format!("Item {s}.{i}")},
                        "kind": {"type": "yes_no", "compliant_answer": "yes"}, "severity": "minor",
                        "legal_basis": "Bộ luật Lao động 2019"})
                })
                .collect();
            json!({"key": format!("b{s}"), "title": {"vi": format!("Phần {s}"), "en": format!("Part {s}")}, "items": items})
        })
        .collect();
    let draft: TemplateRef = app
        .post_json("/api/v1/templates", admin, &json!({"code": "bench-500", "kind": "site_checklist", "name": "Bench", "schema": {"sections": sections}}))
        .await
        .json()
        .await
        .expect("template draft");
    let published = app
        .post_json(
            &format!("/api/v1/templates/{}/publish", draft.id),
            admin,
            &json!(null),
        )
        .await;
    assert_eq!(published.status(), 200);
    draft.id
}

/// A fresh in-progress inspection using `template`, with the demo inspector on the team.
async fn inspection(app: &TestApp, reviewer: &str, template: Uuid, n: usize) -> Uuid {
    let me = |token: &str| {
        let token = token.to_owned();
        async move {
            let me: kiemtra_shared::auth::Me =
                app.get("/api/v1/me", &token).await.json().await.unwrap();
            me.id
        }
    };
    let lead = me(reviewer).await;
    let inspector = me(&app.token(INSPECTOR).await).await;
    let planned: InspectionDetail = app
        .post_json("/api/v1/inspections", reviewer, &json!({
            "enterprise_id": app.demo.enterprise_id, "decision_number": format!("B{n}/QĐ"), "title": "Bench",
            "planned_start": "2026-12-01", "planned_end": "2026-12-02", "lead_id": lead, "member_ids": [inspector],
            "site_template_id": template}))
        .await
        .json()
        .await
        .expect("planned inspection");
    for to in ["preparing", "in_progress"] {
        let moved = app
            .post_json(
                &format!("/api/v1/inspections/{}/transition", planned.summary.id),
                reviewer,
                &json!({"to": to}),
            )
            .await;
        assert_eq!(moved.status(), 200);
    }
    planned.summary.id
}

fn push_body(inspection_id: Uuid, template: Uuid) -> Value {
    let response_id = Uuid::new_v4();
    let mut ops = vec![
        json!({"op_id": Uuid::new_v4(), "op": {"type": "create_response",
        "inspection_id": inspection_id, "response_id": response_id, "template_id": template}}),
    ];
    for a in 0..ANSWERS {
        ops.push(
            json!({"op_id": Uuid::new_v4(), "op": {"type": "set_answer", "response_id": response_id,
            "item_key": format!("b.{}.{}", a / (ANSWERS / 10), a % (ANSWERS / 10)),
            "answer": {"type": "yes_no", "value": if a % 7 == 0 { "no" } else { "yes" }}}}),
        );
    }
    json!({"ops": ops})
}

/// Runs `wrk` for 10 s at 200 connections and returns (requests/s, p50 ms, p99 ms).
fn wrk(url: &str, token: &str) -> (f64, f64, f64) {
    let output = Command::new("wrk")
        .args([
            "-t2",
            "-c200",
            "-d10s",
            "--timeout",
            "10s",
            "--latency",
            "-H",
        ])
        .arg(format!("Authorization: Bearer {token}"))
        .arg(url)
        .output()
        .expect("wrk (apt-get install wrk)");
    let text = String::from_utf8_lossy(&output.stdout);
    let ms = |label: &str| -> f64 {
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("no {label} in wrk output:\n{text}"));
        let value = line.split_whitespace().nth(1).unwrap();
        let (number, unit) = value.split_at(value.find(|c: char| c.is_ascii_alphabetic()).unwrap());
        let number: f64 = number.parse().unwrap();
        match unit {
            "us" => number / 1000.0,
            "ms" => number,
            "s" => number * 1000.0,
            other => panic!("unit {other}"),
        }
    };
    let rps: f64 = text
        .lines()
        .find(|l| l.starts_with("Requests/sec:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no Requests/sec in wrk output:\n{text}"));
    if text.contains("Non-2xx") {
        panic!("wrk saw errors:\n{text}");
    }
    (rps, ms("50%"), ms("99%"))
}

async fn run(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token(ADMIN).await;
    let reviewer = app.token(REVIEWER).await;
    let inspector = app.token(INSPECTOR).await;
    let template = big_template(&app, &admin).await;

    let mut times = Vec::new();
    let mut cursor_before_last = 0;
    for n in 0..RUNS {
        let inspection_id = inspection(&app, &reviewer, template, n).await;
        let body = push_body(inspection_id, template);
        let before: PullResponse = app
            .get("/api/v1/sync/pull?since=0", &inspector)
            .await
            .json()
            .await
            .unwrap();
        cursor_before_last = before.cursor;
        let started = Instant::now();
        let response = app.post_json("/api/v1/sync/push", &inspector, &body).await;
        let elapsed = started.elapsed();
        assert_eq!(response.status(), 200);
        let result: PushResponse = response.json().await.unwrap();
        assert!(
            result.results.iter().all(|r| r.status == OpStatus::Applied),
            "every op applied"
        );
        times.push(elapsed);
    }
    times.sort();
    let median = times[RUNS / 2];
    println!(
        "{backend:?}: sync push of {ANSWERS} answers (+1 create): median {:.0} ms, best {:.0} ms over {RUNS} runs ({:.2} ms/answer)",
        ms(median),
        ms(times[0]),
        ms(median) / ANSWERS as f64
    );

    let latest: PullResponse = app
        .get("/api/v1/sync/pull?since=0", &inspector)
        .await
        .json()
        .await
        .unwrap();
    let mut head = latest.cursor;
    while let Ok(next) = app
        .get(&format!("/api/v1/sync/pull?since={head}"), &inspector)
        .await
        .json::<PullResponse>()
        .await
    {
        if next.cursor == head {
            break;
        }
        head = next.cursor;
    }
    let (h_rps, h_p50, h_p99) = wrk(&app.url("/api/health"), &inspector);
    let (s_rps, s_p50, s_p99) = wrk(
        &app.url(&format!("/api/v1/sync/pull?since={head}")),
        &inspector,
    );
    let (c_rps, c_p50, c_p99) = wrk(
        &app.url(&format!("/api/v1/sync/pull?since={cursor_before_last}")),
        &inspector,
    );
    println!("{backend:?}: 200 clients, wrk 10 s each:");
    println!(
        "  baseline GET /api/health                 p50 {h_p50:7.1} ms  p99 {h_p99:7.1} ms  {h_rps:7.0} req/s"
    );
    println!(
        "  GET /sync/pull, nothing new (polling)    p50 {s_p50:7.1} ms  p99 {s_p99:7.1} ms  {s_rps:7.0} req/s  (p99 {:.1}x baseline)",
        s_p99 / h_p99
    );
    println!(
        "  GET /sync/pull, catching up 500 answers  p50 {c_p50:7.1} ms  p99 {c_p99:7.1} ms  {c_rps:7.0} req/s  (p99 {:.1}x baseline)",
        c_p99 / h_p99
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    // `cargo bench` passes `--bench`; there are no filters to honour.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    for backend in [Backend::Sqlite, Backend::Postgres] {
        runtime.block_on(run(backend));
    }
}
