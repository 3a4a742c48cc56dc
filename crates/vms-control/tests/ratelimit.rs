//! Brute force is answered with 429 and Retry-After, and recovers by itself.

mod common;

use std::time::Duration;

use axum::http::{Method, StatusCode};
use common::{ADMIN_PASSWORD, api_with};
use serde_json::json;

fn login(password: &str) -> String {
    json!({"username": "admin", "password": password}).to_string()
}

#[tokio::test]
async fn repeated_failures_lock_the_account_for_a_while_then_it_recovers() {
    let api = api_with(|c| {
        c.control.login_failures_before_lockout = 3;
        c.control.login_lockout_base_secs = 1;
        c.control.login_lockout_max_secs = 2;
    })
    .await;
    for attempt in 1..=4 {
        let (status, _, _) = api
            .raw_from(Some("10.0.0.1"), Method::POST, "/api/auth/login", None, Some(&login("Wrong-guess-123")))
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    // Locked now, even with the right password, and even from another address.
    let (status, headers, body) =
        api.raw_from(Some("10.0.0.2"), Method::POST, "/api/auth/login", None, Some(&login(ADMIN_PASSWORD))).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(body.contains("\"code\":\"resource_exhausted\""), "{body}");
    let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=2).contains(&wait), "Retry-After {wait}");

    tokio::time::sleep(Duration::from_millis(1100 * wait)).await;
    let (status, _, body) =
        api.raw_from(Some("10.0.0.2"), Method::POST, "/api/auth/login", None, Some(&login(ADMIN_PASSWORD))).await;
    assert_eq!(status, StatusCode::OK, "the lock lapses: {body}");
    // Success clears the count: one more failure is not a lock.
    api.raw_from(Some("10.0.0.2"), Method::POST, "/api/auth/login", None, Some(&login("Wrong-guess-123"))).await;
    let (status, _, _) =
        api.raw_from(Some("10.0.0.2"), Method::POST, "/api/auth/login", None, Some(&login(ADMIN_PASSWORD))).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn one_address_cannot_hammer_the_login() {
    let api = api_with(|c| c.control.login_attempts_per_ip_per_minute = 3).await;
    for user in ["a", "b", "c"] {
        let body = json!({"username": user, "password": "Anything-123"}).to_string();
        let (status, _, _) = api.raw_from(Some("192.0.2.7"), Method::POST, "/api/auth/login", None, Some(&body)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let body = json!({"username": "d", "password": "Anything-123"}).to_string();
    let (status, headers, text) =
        api.raw_from(Some("192.0.2.7"), Method::POST, "/api/auth/login", None, Some(&body)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{text}");
    assert!(headers.contains_key("retry-after"));
    let (status, _, _) =
        api.raw_from(Some("192.0.2.8"), Method::POST, "/api/auth/login", None, Some(&login(ADMIN_PASSWORD))).await;
    assert_eq!(status, StatusCode::OK, "other addresses are unaffected");
}

#[tokio::test]
async fn each_user_has_an_api_budget() {
    let api = api_with(|c| c.control.api_requests_per_minute = 5).await;
    for _ in 0..5 {
        let (status, _) = api.call(Method::GET, "/api/sites", None).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, headers, body) = api.raw_from(None, Method::GET, "/api/sites", Some(&api.token), None).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait));
}
