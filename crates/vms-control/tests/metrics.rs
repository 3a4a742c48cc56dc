//! Control's metrics: the API's requests counted by route, method and
//! status with their latency, served by the metrics listener in the
//! Prometheus format that Prometheus's own linter accepts.

mod common;

use axum::http::{Method, StatusCode};
use common::api;
use tokio_util::sync::CancellationToken;

/// The value of the sample `name{labels}` in `text`.
fn sample(text: &str, name: &str, labels: &str) -> Option<f64> {
    let prefix = format!("{name}{{{labels}}} ");
    text.lines().find_map(|line| line.strip_prefix(&prefix)).map(|v| v.parse().unwrap())
}

#[tokio::test]
async fn api_requests_are_counted_by_route_method_and_status_and_served_for_prometheus() {
    let api = api().await;
    for _ in 0..3 {
        assert_eq!(api.call(Method::GET, "/api/cameras", None).await.0, StatusCode::OK);
    }
    let unknown = format!("/api/cameras/{}", uuid::Uuid::new_v4());
    assert_eq!(api.call(Method::GET, &unknown, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(api.raw(Method::GET, "/api/cameras", None, None).await.0, StatusCode::UNAUTHORIZED);

    // The metrics listener, as control serves it.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let shutdown = CancellationToken::new();
    let gate = vms_base::conn_limit::ConnGate::new(api.state.config().limits.conn_limits());
    let serving = tokio::spawn(vms_metrics::serve(
        listener,
        api.state.metrics().clone(),
        Some("scraper-token".into()),
        gate,
        shutdown.clone(),
    ));
    let answer = reqwest::get(format!("http://{addr}/metrics")).await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK, "loopback needs no token");
    assert_eq!(answer.headers()["content-type"], vms_metrics::PROMETHEUS_CONTENT_TYPE);
    let text = answer.text().await.unwrap();
    let client = reqwest::Client::new();
    let open = client
        .get(format!("http://{addr}/metrics"))
        .header("accept", "application/openmetrics-text; version=1.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(open.headers()["content-type"], vms_metrics::OPENMETRICS_CONTENT_TYPE);
    assert!(open.text().await.unwrap().ends_with("# EOF\n"), "OpenMetrics to a scraper that asks for it");
    assert_eq!(reqwest::get(format!("http://{addr}/other")).await.unwrap().status(), StatusCode::NOT_FOUND);
    shutdown.cancel();
    serving.await.unwrap().unwrap();

    let requests = "vms_api_requests_total";
    assert_eq!(sample(&text, requests, r#"route="/api/cameras",method="GET",status="200""#), Some(3.0), "{text}");
    assert_eq!(sample(&text, requests, r#"route="/api/cameras/{id}",method="GET",status="404""#), Some(1.0), "{text}");
    assert_eq!(sample(&text, requests, r#"route="/api/cameras",method="GET",status="401""#), Some(1.0), "{text}");
    let count = sample(&text, "vms_api_request_duration_seconds_count", r#"route="/api/cameras",method="GET""#);
    assert_eq!(count, Some(4.0), "every request is timed: {text}");
    assert!(!text.contains(&unknown[13..]), "no id of a path in a label: {text}");
    for name in
        ["process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds", "vms_process_uptime_seconds"]
    {
        assert!(text.contains(name), "{name} missing: {text}");
    }
    vms_testkit::promtool_check_metrics(&text);
}
