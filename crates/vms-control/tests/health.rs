//! Health, readiness, the OpenAPI document and unknown paths.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};

use axum::http::{Method, StatusCode};
use common::api;
use serde_json::{Value, json};

#[tokio::test]
async fn ready_is_503_naming_planes_that_have_not_reported() {
    let api = api().await;
    let (status, text) = api.raw(Method::GET, "/health/live", None, None).await;
    assert_eq!(status, StatusCode::OK, "{text}");

    let (status, text) = api.raw(Method::GET, "/health/ready", None, None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["code"], "unavailable");
    // The harness runs the recorder's archive, which reports as the recorder plane.
    assert_eq!(body["message"], "not ready: ai, media");
    for ready in ["database", "redis", "nats"] {
        assert_eq!(body["components"][ready]["ready"], true, "{ready}: {text}");
    }
}

fn report(plane: vms_base::Plane, alerts: &[&str]) -> vms_bus::status::PlaneStatusReport {
    vms_bus::status::PlaneStatusReport {
        plane,
        node_id: "local".into(),
        version: "test".into(),
        pid: 1,
        state: vms_bus::status::PlaneState::Running,
        started_at: chrono::Utc::now(),
        reported_at: chrono::Utc::now(),
        assignments_revision: 0,
        assigned_streams: 0,
        control_connected: true,
        grpc_addr: "127.0.0.1:9".into(),
        alerts: alerts.iter().map(|a| a.to_string()).collect(),
        endpoints: Default::default(),
        analytics: Vec::new(),
        storage: Vec::new(),
        restarts: 0,
        restart_cause: None,
        index_lag_secs: None,
    }
}

#[tokio::test]
async fn ready_turns_200_once_every_plane_reports_without_alerts() {
    let api = api().await;
    for plane in [vms_base::Plane::Media, vms_base::Plane::Recorder, vms_base::Plane::Ai] {
        api.state.plane_registry().record(report(plane, &[]));
    }
    let (status, text) = api.raw(Method::GET, "/health/ready", None, None).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    // A critical alert (a full disk) makes the plane, and the node, not ready.
    api.state.plane_registry().record(report(vms_base::Plane::Recorder, &["no space left to record on /srv"]));
    let (status, text) = api.raw(Method::GET, "/health/ready", None, None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["components"]["recorder"]["ready"], false);
    assert!(text.contains("no space left to record on /srv"), "{text}");
    api.state.plane_registry().record(report(vms_base::Plane::Recorder, &[]));
    let (status, _) = api.raw(Method::GET, "/health/ready", None, None).await;
    assert_eq!(status, StatusCode::OK, "cleared by the plane's next report");
    let (status, system) = api.call(Method::GET, "/api/system", None).await;
    assert_eq!(status, StatusCode::OK);
    let planes: Vec<&str> = system["planes"].as_array().unwrap().iter().map(|p| p["plane"].as_str().unwrap()).collect();
    assert_eq!(planes, ["control", "media", "recorder", "ai"]);
    assert_eq!(system["planes"][1]["grpc_reachable"], false, "nothing listens on port 9");
}

#[tokio::test]
async fn system_shows_tenant_admins_only_their_tenant_and_super_admins_everything() {
    let api = api().await;
    let mut media = report(vms_base::Plane::Media, &[]);
    (media.pid, media.assigned_streams, media.grpc_addr) = (4242, 7, "10.9.8.7:50051".into());
    api.state.plane_registry().record(media);
    let mut recorder = report(vms_base::Plane::Recorder, &[]);
    recorder.storage = vec![vms_bus::status::StorageRootStatus {
        path: "/srv/secret-root".into(),
        total_bytes: 1000,
        free_bytes: 400,
        recorded_bytes: 500,
        ..Default::default()
    }];
    api.state.plane_registry().record(recorder);
    // The default tenant has two cameras; the branch has none.
    let site = api.create_site("HQ").await;
    for n in 0..2 {
        let camera =
            json!({"name": format!("cam {n}"), "site_id": site, "streams": [{"role": "main", "url": "rtsp://c/"}]});
        let (status, body) = api.call(Method::POST, "/api/cameras", Some(camera)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let branch = json!({"name": "branch", "admin": {"username": "branch-admin", "password": "Branch-admin-1"},
                        "camera_quota": 5});
    let (status, body) = api.call(Method::POST, "/api/tenants", Some(branch)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let token = api.login("branch-admin", "Branch-admin-1").await;

    let (status, text) = api.raw(Method::GET, "/api/system", Some(&token), None).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let grpc = api.state.config().control.grpc_listen.to_string();
    for hidden in
        ["pid", "4242", "grpc", "10.9.8.7", &grpc, "assigned_streams", "node_id", "exports", "secret-root", "storage"]
    {
        assert!(!text.contains(hidden), "a tenant admin sees `{hidden}`: {text}");
    }
    let view: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(view["cameras"], json!({"configured": 0, "quota": 5}), "{text}");
    assert_eq!(view["streams"]["total"], 0, "{text}");
    assert_eq!(view["planes"][1], json!({"plane": "media", "status": "up"}), "{text}");
    assert_eq!(view["components"]["database"], true, "{text}");

    // A tenant admin of the default tenant sees its two cameras' streams, still nothing internal.
    let local = api.user_with_roles("local-admin", &["admin"]).await;
    let (status, text) = api.raw(Method::GET, "/api/system", Some(&local), None).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(!text.contains("pid") && !text.contains("10.9.8.7"), "{text}");
    let view: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(view["cameras"], json!({"configured": 2, "quota": null}), "{text}");
    assert_eq!(view["streams"], json!({"total": 2, "by_status": {"unknown": 2}}), "{text}");

    let (status, system) = api.call(Method::GET, "/api/system", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(system["planes"][0]["grpc_addr"], json!(grpc), "{system}");
    assert_eq!(system["planes"][1]["pid"], 4242, "{system}");
    assert_eq!(system["planes"][1]["assigned_streams"], 7, "{system}");
    assert_eq!(system["planes"][1]["grpc_addr"], "10.9.8.7:50051", "{system}");
    let recorder = system["planes"].as_array().unwrap().iter().find(|p| p["plane"] == "recorder").unwrap();
    assert_eq!(recorder["storage"][0]["path"], "/srv/secret-root", "{system}");
    assert_eq!(recorder["storage"][0]["free_bytes"], 400, "{system}");
}

#[tokio::test]
async fn openapi_document_and_docs_page_are_served() {
    let api = api().await;
    let (status, text) = api.raw(Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/api/auth/login", "/api/sites", "/api/sites/{id}", "/api/cameras", "/api/cameras/{id}", "/api/system"]
    {
        assert!(doc["paths"][path].is_object(), "missing {path}");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    let (status, html) = api.raw(Method::GET, "/api/docs/", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("swagger"), "{html}");
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s() {
    let api = api().await;
    let (status, text) = api.raw(Method::GET, "/api/nothing-here", None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(text.contains("\"code\":\"not_found\""), "{text}");
    let (status, html) = api.raw(Method::GET, "/", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Techno Support VMS"));
}

/// Issue 11, point 15: a background task of control that keeps panicking is
/// restarted, makes control not ready and shows in `/api/system`, until it stops.
#[tokio::test]
async fn a_panicking_control_task_is_restarted_and_reported() {
    let api = api().await;
    let (cancel, runs) = (tokio_util::sync::CancellationToken::new(), std::sync::Arc::new(AtomicU32::new(0)));
    let counted = runs.clone();
    let task = api.state.supervisor().spawn("boom", cancel.clone(), move || {
        let run = counted.fetch_add(1, Ordering::SeqCst) + 1;
        async move { assert_eq!(run, 0, "injected panic on run {run}") }
    });
    let alert = "task boom panicked once; restarting";
    let ready = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        loop {
            let (status, text) = api.raw(Method::GET, "/health/ready", None, None).await;
            if text.contains(alert) {
                return (status, text);
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("/health/ready should report the panicking task");
    assert_eq!(ready.0, StatusCode::SERVICE_UNAVAILABLE, "{}", ready.1);
    let body: Value = serde_json::from_str(&ready.1).unwrap();
    assert_eq!(body["components"]["control"]["ready"], false, "{}", ready.1);
    let (status, system) = api.call(Method::GET, "/api/system", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(system["planes"][0]["plane"], "control");
    assert!(system["planes"][0]["alerts"][0].as_str().unwrap().starts_with("task boom panicked"), "{system}");

    // Restarted after its backoff, then stopped for good by the token.
    tokio::time::timeout(std::time::Duration::from_secs(10), async {
        while runs.load(Ordering::SeqCst) < 2 {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the task should be restarted");
    cancel.cancel();
    task.await.unwrap();
    let (_, text) = api.raw(Method::GET, "/health/ready", None, None).await;
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["components"]["control"]["ready"], true, "a stopped task leaves no alert: {text}");
}
