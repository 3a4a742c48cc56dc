//! What people type into the user name field (often a password) and the
//! tickets in archive URLs never reach the logs or the audit trail.
//!
//! Alone in its test binary: it captures the logs of its thread, and tracing
//! caches per call site whether anyone listens, which tests on other threads
//! would disturb.

mod common;

use axum::http::{Method, StatusCode};
use common::api;
use serde_json::json;

/// Issue 11, point 6: what people type into the user name field (often a
/// password) and the tickets in archive URLs never reach the logs or the audit trail.
#[tokio::test]
async fn failed_logins_and_archive_urls_leave_no_secret_in_logs_or_the_audit_trail() {
    let logs = common::capture_logs();
    let api = api().await;
    let typed = "Hunter2-Secret-Passw0rd";
    let body = json!({"username": typed, "password": "Whatever-123456"}).to_string();
    let (status, _) = api.raw(Method::POST, "/api/auth/login", None, Some(&body)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let camera = uuid::Uuid::new_v4();
    let ticket = format!("v1.{}.{}", "A".repeat(60), "B".repeat(40));
    api.raw(Method::GET, &format!("/api/recordings/{camera}/{ticket}/video.mp4"), None, None).await;
    api.raw(Method::GET, &format!("/api/cameras/{camera}/streams/main/playback.m3u8?ticket={ticket}"), None, None)
        .await;

    // A login naming no account belongs to no tenant: read the trail as its owner.
    let mut audit = String::new();
    for _ in 0..50 {
        let names: Vec<String> =
            sqlx::query_scalar("SELECT actor_name FROM audit_log WHERE action = 'auth.login' AND outcome = 'failure'")
                .fetch_all(&api.db.owner_pool)
                .await
                .unwrap();
        audit = names.join(",");
        if audit.contains("typed:") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(audit.contains("typed:"), "the failure is audited under a pseudonym: {audit}");
    assert!(!audit.contains(typed), "{audit}");
    let logs = logs.text();
    assert!(logs.contains("login failed") && logs.contains("typed:"), "the capture works: {logs}");
    assert!(logs.contains(&camera.to_string()), "request paths are logged: {logs}");
    assert!(!logs.contains(typed), "{logs}");
    assert!(!logs.contains(&"A".repeat(60)), "{logs}");
}
