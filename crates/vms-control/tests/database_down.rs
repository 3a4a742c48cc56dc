//! When PostgreSQL goes away, the API answers 503 naming the database instead
//! of hanging or failing obscurely, and recovers on its own when it returns.

mod common;

use std::time::Duration;

use axum::http::{Method, StatusCode};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_reports_an_unavailable_database_and_recovers() {
    let mut private = common::private_pg::PrivateApi::start().await;
    let token = private.api.token.clone();
    let site_body = r#"{"name": "HQ"}"#;
    let (status, _) = private.api.raw(Method::POST, "/api/sites", Some(&token), Some(site_body)).await;
    assert_eq!(status, StatusCode::CREATED);

    private.stop_database().await;

    let started = std::time::Instant::now();
    let (status, text) = private.api.raw(Method::GET, "/api/sites", Some(&token), None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["code"], "unavailable");
    assert_eq!(body["message"], "database unavailable");
    assert!(started.elapsed() < Duration::from_secs(8), "answer came only after {:?}", started.elapsed());
    let (status, text) = private.api.raw(Method::GET, "/health/ready", None, None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let ready: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(ready["components"]["database"]["ready"], false, "{text}");
    assert!(ready["message"].as_str().unwrap().contains("database"), "{text}");

    // Back again: the same pool reconnects and nothing written before is lost.
    private.start_database().await;
    let (status, text) = private.api.raw(Method::GET, "/api/sites", Some(&token), None).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(text.contains("\"HQ\""), "{text}");
}
