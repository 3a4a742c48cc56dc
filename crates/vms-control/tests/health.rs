//! Health, readiness, the OpenAPI document and unknown paths.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};

use axum::http::{Method, StatusCode};
use common::api;
use serde_json::Value;

#[tokio::test]
async fn ready_is_503_naming_planes_that_have_not_reported() {
    let api = api().await;
    let (status, text) = api.raw(Method::GET, "/health/live", None, None).await;
    assert_eq!(status, StatusCode::OK, "{text}");

    let (status, text) = api.raw(Method::GET, "/health/ready", None, None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["code"], "unavailable");
    assert_eq!(body["message"], "not ready: ai, media, recorder");
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
        state: "running".into(),
        started_at: chrono::Utc::now(),
        reported_at: chrono::Utc::now(),
        assignments_revision: 0,
        assigned_streams: 0,
        control_connected: true,
        grpc_addr: "127.0.0.1:9".into(),
        alerts: alerts.iter().map(|a| a.to_string()).collect(),
        endpoints: Default::default(),
    }
}

#[tokio::test]
async fn ready_turns_200_once_every_plane_reports_without_alerts() {
    let api = api().await;
    for plane in [vms_base::Plane::Media, vms_base::Plane::Recorder, vms_base::Plane::Ai] {
        api.state.planes.record(report(plane, &[]));
    }
    let (status, text) = api.raw(Method::GET, "/health/ready", None, None).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    // A critical alert (a full disk) makes the plane, and the node, not ready.
    api.state.planes.record(report(vms_base::Plane::Recorder, &["no space left to record on /srv"]));
    let (status, text) = api.raw(Method::GET, "/health/ready", None, None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["components"]["recorder"]["ready"], false);
    assert!(text.contains("no space left to record on /srv"), "{text}");
    api.state.planes.record(report(vms_base::Plane::Recorder, &[]));
    let (status, _) = api.raw(Method::GET, "/health/ready", None, None).await;
    assert_eq!(status, StatusCode::OK, "cleared by the plane's next report");
    let (status, system) = api.call(Method::GET, "/api/system", None).await;
    assert_eq!(status, StatusCode::OK);
    let planes: Vec<&str> = system["planes"].as_array().unwrap().iter().map(|p| p["plane"].as_str().unwrap()).collect();
    assert_eq!(planes, ["control", "media", "recorder", "ai"]);
    assert_eq!(system["planes"][1]["grpc_reachable"], false, "nothing listens on port 9");
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
    let task = api.state.supervisor.spawn("boom", cancel.clone(), move || {
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
