//! Brute force is answered with 429 and Retry-After, and recovers by itself.

mod common;

use std::time::Duration;

use axum::http::{Method, StatusCode};
use common::{ADMIN_PASSWORD, api_with};
use serde_json::json;

fn login(password: &str) -> String {
    json!({"username": "admin", "password": password}).to_string()
}

async fn attempt(api: &common::Api, from: &str, password: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    api.raw_from(Some(from), Method::POST, "/api/auth/login", None, Some(&login(password))).await
}

/// An API whose accounts lock after `failures` failures, for `base` seconds doubling up to `max`.
async fn lockout_api(failures: u32, base: u32, max: u32) -> common::Api {
    api_with(|c| {
        c.control.login_failures_before_lockout = failures;
        c.control.login_lockout_base_secs = base;
        c.control.login_lockout_max_secs = max;
    })
    .await
}

/// Issue 11, points 5 and 24: the configured number of failures locks, per account and address.
#[tokio::test]
async fn the_nth_failure_locks_the_account_for_that_address_only_and_the_lock_lapses() {
    let api = lockout_api(3, 1, 2).await;
    for n in 1..=3 {
        let (status, _, body) = attempt(&api, "10.0.0.1", "Wrong-guess-123").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "failure {n}: {body}");
    }
    // The third failure locked the account for 10.0.0.1, even with the right password.
    let (status, headers, body) = attempt(&api, "10.0.0.1", ADMIN_PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(body.contains("\"code\":\"resource_exhausted\""), "{body}");
    let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=2).contains(&wait), "Retry-After {wait}");
    // The guesser locked only themselves out: the owner signs in from elsewhere.
    let (status, _, body) = attempt(&api, "10.0.0.2", ADMIN_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "another address is not locked: {body}");

    tokio::time::sleep(Duration::from_millis(1100 * wait)).await;
    let (status, _, body) = attempt(&api, "10.0.0.1", ADMIN_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "the lock lapses: {body}");
    // Success clears the count: one more failure is not a lock.
    attempt(&api, "10.0.0.3", "Wrong-guess-123").await;
    let (status, _, _) = attempt(&api, "10.0.0.3", ADMIN_PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
}

/// Issue 11, point 24: an address the account signed in from before is never locked out.
#[tokio::test]
async fn an_address_that_signed_in_before_is_never_locked_out() {
    let api = lockout_api(2, 60, 60).await;
    let (status, _, _) = attempt(&api, "10.0.1.1", ADMIN_PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    for _ in 0..4 {
        let (status, _, body) = attempt(&api, "10.0.1.1", "Wrong-guess-123").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    }
    let (status, _, body) = attempt(&api, "10.0.1.1", ADMIN_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "a known address is not locked: {body}");
    // An unknown address is, after the same failures.
    for _ in 0..2 {
        attempt(&api, "10.0.1.2", "Wrong-guess-123").await;
    }
    let (status, _, body) = attempt(&api, "10.0.1.2", ADMIN_PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
}

/// Review of issue 11: past 64 remembered addresses the oldest is forgotten,
/// never the one just signed in from (a random one was dropped).
#[tokio::test]
async fn the_newest_known_address_is_kept_and_the_oldest_forgotten() {
    let api = lockout_api(2, 60, 60).await;
    let signed_in = |ip: String| {
        let api = &api;
        async move {
            let (status, _, body) = attempt(api, &ip, ADMIN_PASSWORD).await;
            assert_eq!(status, StatusCode::OK, "{ip}: {body}");
        }
    };
    signed_in("10.9.0.1".into()).await;
    for n in 1..=64 {
        signed_in(format!("10.9.1.{n}")).await;
    }
    let locked_after_failures = |ip: &'static str| {
        let api = &api;
        async move {
            for _ in 0..2 {
                attempt(api, ip, "Wrong-guess-123").await;
            }
            attempt(api, ip, ADMIN_PASSWORD).await.0 == StatusCode::TOO_MANY_REQUESTS
        }
    };
    assert!(!locked_after_failures("10.9.1.64").await, "the newest address is remembered");
    assert!(locked_after_failures("10.9.0.1").await, "the oldest of 65 addresses is forgotten");
}

/// Issue 11, point 3: password resets are limited per address like logins.
#[tokio::test]
async fn one_address_cannot_hammer_password_resets() {
    let api = api_with(|c| c.control.login_attempts_per_ip_per_minute = 3).await;
    let reset = |token: &str| json!({"token": token, "new_password": "Brand-new-pass-1"}).to_string();
    for n in 0..3 {
        let (status, _, body) = api
            .raw_from(
                Some("192.0.2.9"),
                Method::POST,
                "/api/auth/reset-password",
                None,
                Some(&reset(&format!("bad-{n}"))),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    }
    let (status, headers, body) =
        api.raw_from(Some("192.0.2.9"), Method::POST, "/api/auth/reset-password", None, Some(&reset("bad-3"))).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(headers.contains_key("retry-after"));
    assert_eq!(api.state.password_work().started(), 1, "bad tokens cost no hashing (only the admin's login did)");
}

/// Issue 11, point 3: a flood of logins never runs more Argon2id hashes at once than configured.
#[tokio::test]
async fn a_login_flood_hashes_within_the_servers_bound() {
    let api = api_with(|c| c.control.password_hash_concurrency = 2).await;
    let addresses: Vec<String> = (0..12).map(|n| format!("198.51.100.{n}")).collect();
    let flood = addresses.iter().map(|from| attempt(&api, from, "Wrong-guess-123"));
    for (status, _, body) in futures::future::join_all(flood).await {
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    }
    assert_eq!(api.state.password_work().peak(), 2, "the flood ran two hashes at a time, never more");
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

/// One IPv6 host holds a whole /64: its addresses count as one for the limits.
#[tokio::test]
async fn an_ipv6_host_cannot_spread_its_guesses_across_its_64() {
    let api = lockout_api(3, 60, 60).await;
    for n in 1..=3 {
        let (status, _, body) = attempt(&api, &format!("[2001:db8::{n}]"), "Wrong-guess-123").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    }
    let (status, _, body) = attempt(&api, "[2001:db8::99]", ADMIN_PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "the /64 is locked: {body}");
    let (status, _, body) = attempt(&api, "[2001:db8:1::1]", ADMIN_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "another /64 is not: {body}");
}
