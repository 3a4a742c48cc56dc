//! Behind a reverse proxy, control sees every client at the proxy's address.
//! Review of issue 11: per-address limits and the audit trail must follow the
//! client the proxy names, but only a configured proxy may name one — anyone
//! else's `X-Forwarded-For` or `Forwarded` is a lie told to dodge a limit.

mod common;

use axum::http::{Method, StatusCode};
use common::api_with;
use serde_json::json;

async fn attempt(api: &common::Api, peer: &str, headers: &[(&str, &str)]) -> StatusCode {
    let body = json!({"username": "admin", "password": "Wrong-guess-123"}).to_string();
    let (status, _, _) =
        api.raw_from_with(Some(peer), headers, Method::POST, "/api/auth/login", None, Some(&body)).await;
    status
}

async fn limited_proxy_api() -> common::Api {
    api_with(|c| {
        c.control.login_attempts_per_ip_per_minute = 2;
        c.control.login_failures_before_lockout = 100;
        c.control.trusted_proxies = vec!["10.0.0.0/8".parse().unwrap()];
    })
    .await
}

#[tokio::test]
async fn an_untrusted_peer_cannot_name_another_client() {
    let api = limited_proxy_api().await;
    let mut statuses = Vec::new();
    for n in 0..3 {
        let xff = format!("203.0.113.{n}");
        let forwarded = format!("for=198.51.100.{n}");
        let headers = [("x-forwarded-for", xff.as_str()), ("forwarded", forwarded.as_str())];
        statuses.push(attempt(&api, "192.0.2.50", &headers).await);
    }
    assert_eq!(statuses[2], StatusCode::TOO_MANY_REQUESTS, "forged headers must not reset the limit: {statuses:?}");
}

#[tokio::test]
async fn a_trusted_proxy_names_each_client_and_each_is_limited_alone() {
    let api = limited_proxy_api().await;
    let one = [("x-forwarded-for", "203.0.113.1")];
    assert_eq!(attempt(&api, "10.0.0.1", &one).await, StatusCode::UNAUTHORIZED);
    assert_eq!(attempt(&api, "10.0.0.1", &one).await, StatusCode::UNAUTHORIZED);
    assert_eq!(attempt(&api, "10.0.0.1", &one).await, StatusCode::TOO_MANY_REQUESTS, "203.0.113.1 is limited");
    // Another client behind the same proxy is not.
    let two = [("x-forwarded-for", "203.0.113.2")];
    assert_eq!(attempt(&api, "10.0.0.1", &two).await, StatusCode::UNAUTHORIZED, "203.0.113.2 has its own limit");
    // A client that puts its own X-Forwarded-For before the proxy's append is still itself:
    // the rightmost address no trusted proxy added is the client.
    let spoofed = [("x-forwarded-for", "192.0.2.99, 203.0.113.1")];
    assert_eq!(attempt(&api, "10.0.0.1", &spoofed).await, StatusCode::TOO_MANY_REQUESTS);
    // Chained trusted proxies are skipped.
    let chained = [("x-forwarded-for", "203.0.113.1, 10.9.9.9")];
    assert_eq!(attempt(&api, "10.0.0.1", &chained).await, StatusCode::TOO_MANY_REQUESTS);
    // A header other than the configured one is ignored even from the proxy.
    let other = [("forwarded", "for=203.0.113.3")];
    assert_eq!(attempt(&api, "10.0.0.2", &other).await, StatusCode::UNAUTHORIZED);
    assert_eq!(attempt(&api, "10.0.0.2", &other).await, StatusCode::UNAUTHORIZED);
    assert_eq!(attempt(&api, "10.0.0.2", &other).await, StatusCode::TOO_MANY_REQUESTS, "counted as 10.0.0.2");
}

#[tokio::test]
async fn the_standard_forwarded_header_is_read_when_configured() {
    let api = api_with(|c| {
        c.control.login_attempts_per_ip_per_minute = 2;
        c.control.login_failures_before_lockout = 100;
        c.control.trusted_proxies = vec!["2001:db8:1::7".parse().unwrap()];
        c.control.trusted_proxy_header = "forwarded".into();
    })
    .await;
    let v6 = [("forwarded", "for=\"[2001:db8:2::1]:4711\";proto=https")];
    assert_eq!(attempt(&api, "[2001:db8:1::7]", &v6).await, StatusCode::UNAUTHORIZED);
    assert_eq!(attempt(&api, "[2001:db8:1::7]", &v6).await, StatusCode::UNAUTHORIZED);
    assert_eq!(attempt(&api, "[2001:db8:1::7]", &v6).await, StatusCode::TOO_MANY_REQUESTS);
    let two = [("forwarded", "for=192.0.2.1;by=x, for=198.51.100.4")];
    assert_eq!(attempt(&api, "[2001:db8:1::7]", &two).await, StatusCode::UNAUTHORIZED, "the last hop names the client");
    let spoofed_xff = [("x-forwarded-for", "198.51.100.5")];
    assert_eq!(attempt(&api, "[2001:db8:1::7]", &spoofed_xff).await, StatusCode::UNAUTHORIZED);
    assert_eq!(attempt(&api, "[2001:db8:1::7]", &spoofed_xff).await, StatusCode::UNAUTHORIZED);
    assert_eq!(attempt(&api, "[2001:db8:1::7]", &spoofed_xff).await, StatusCode::TOO_MANY_REQUESTS, "as the proxy");
}

#[tokio::test]
async fn the_audit_trail_records_the_client_a_trusted_proxy_names() {
    let api = limited_proxy_api().await;
    attempt(&api, "10.0.0.1", &[("x-forwarded-for", "203.0.113.77")]).await;
    attempt(&api, "192.0.2.60", &[("x-forwarded-for", "203.0.113.78")]).await;
    let (status, audit) = api.call(Method::GET, "/api/audit?action=auth.login&outcome=failure", None).await;
    assert_eq!(status, StatusCode::OK, "{audit}");
    let ips: Vec<&str> = audit["items"].as_array().unwrap().iter().filter_map(|e| e["source_ip"].as_str()).collect();
    assert!(ips.contains(&"203.0.113.77"), "the proxied client is recorded: {ips:?}");
    assert!(ips.contains(&"192.0.2.60"), "an untrusted peer is recorded as itself: {ips:?}");
    assert!(!ips.contains(&"203.0.113.78"), "an untrusted peer's header is ignored: {ips:?}");
}
