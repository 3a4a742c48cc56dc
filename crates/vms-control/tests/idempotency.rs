//! `Idempotency-Key` on POSTs, on real Redis: a retry answers the first
//! success without doing it twice, a key is the caller's own, a reused key
//! with another request or one still running is refused, a failure is not
//! kept, secrets are never kept, a super-admin's key is its own in each
//! tenant, a caller's keys are bounded, and without Redis the request is
//! refused rather than run unprotected.

mod common;

use std::time::Duration;

use axum::http::{Method, StatusCode};
use common::{api, api_with_redis};
use serde_json::{Value, json};
use vms_bus::idempotency::Claim;
use vms_control::test_utils::{idempotency_caller, idempotency_digests};

const KEY: &str = "idempotency-key";

/// POSTs `body` to `uri` as `token` with `Idempotency-Key: key`.
async fn post(
    api: &common::Api,
    token: &str,
    key: &str,
    uri: &str,
    body: &Value,
) -> (StatusCode, Option<String>, Value) {
    let body = body.to_string();
    let (status, headers, text) =
        api.raw_from_with(None, &[(KEY, key)], Method::POST, uri, Some(token), Some(&body)).await;
    let replayed = headers.get("idempotent-replayed").map(|v| v.to_str().unwrap().to_owned());
    (status, replayed, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn site_names(api: &common::Api) -> Vec<String> {
    let (status, sites) = api.call(Method::GET, "/api/sites", None).await;
    assert_eq!(status, StatusCode::OK);
    sites["items"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn a_retry_with_the_same_key_answers_the_first_success_without_doing_it_again() {
    let api = api().await;
    let token = api.token.clone();
    let body = json!({"name": "Warehouse"});
    let (status, replayed, first) = post(&api, &token, "k-1", "/api/sites", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(replayed, None);
    let (status, replayed, again) = post(&api, &token, "k-1", "/api/sites", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    assert_eq!(replayed.as_deref(), Some("true"));
    // Without the key this would be a 409: the site's name is taken.
    assert_eq!(again, first, "the same site, not a second one");
    assert_eq!(site_names(&api).await.iter().filter(|n| *n == "Warehouse").count(), 1);

    // The same key with another request is refused; another key runs.
    let (status, _, refused) = post(&api, &token, "k-1", "/api/sites", &json!({"name": "Depot"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(refused["message"], "Idempotency-Key: already used for a different request");
    let (status, _, _) = post(&api, &token, "k-2", "/api/sites", &json!({"name": "Depot"})).await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_key_belongs_to_its_caller() {
    let api = api().await;
    let other = api.user_with_roles("second-admin", &["admin"]).await;
    let (status, _, first) = post(&api, &api.token, "shared", "/api/sites", &json!({"name": "North"})).await;
    assert_eq!(status, StatusCode::CREATED);
    // Another caller's same key is theirs: it runs (were it shared, the other body would be refused).
    let (status, replayed, second) = post(&api, &other, "shared", "/api/sites", &json!({"name": "North 2"})).await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    assert_eq!(replayed, None);
    assert_ne!(first["id"], second["id"]);
}

#[tokio::test]
async fn a_failure_is_not_kept_so_the_corrected_request_may_reuse_the_key() {
    let api = api().await;
    let token = api.token.clone();
    let (status, _, refused) = post(&api, &token, "k-fix", "/api/sites", &json!({"name": ""})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    let (status, replayed, created) = post(&api, &token, "k-fix", "/api/sites", &json!({"name": "Fixed"})).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(replayed, None);
}

/// The caller as the key scopes it: the user in the tenant it acts in.
async fn caller(api: &common::Api) -> String {
    let me = api.call(Method::GET, "/api/auth/me", None).await.1;
    format!("user:{}@{}", me["id"].as_str().unwrap(), me["tenant_id"].as_str().unwrap())
}

#[tokio::test]
async fn a_retry_while_the_first_runs_is_told_to_wait() {
    let api = api().await;
    let token = api.token.clone();
    let body = json!({"name": "Busy"});
    let secret = api.state.internal_secret().key();
    let caller = caller(&api).await;
    let (key, request) =
        idempotency_digests(&secret, &caller, "k-busy", &Method::POST, "/api/sites", body.to_string().as_bytes());
    // The first request holds the key and has not answered yet.
    let hot = api.state.hot_state();
    let Claim::Claimed(claim) = hot.claim_idempotency(&key, &request, Duration::from_secs(60)).await.unwrap() else {
        panic!("the key was free")
    };
    let (status, _, busy) = post(&api, &token, "k-busy", "/api/sites", &body).await;
    assert_eq!(status, StatusCode::CONFLICT, "{busy}");
    assert_eq!(busy["code"], "failed_precondition");
    assert!(!site_names(&api).await.contains(&"Busy".to_owned()), "nothing ran");
    // Once it failed (released by its own claim), the retry runs.
    assert!(hot.release_idempotency(&key, &claim).await.unwrap());
    let (status, _, created) = post(&api, &token, "k-busy", "/api/sites", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    // A lapsed claim can neither release nor overwrite the record that followed it.
    assert!(!hot.release_idempotency(&key, &claim).await.unwrap());
    let (_, replayed, again) = post(&api, &token, "k-busy", "/api/sites", &body).await;
    assert_eq!((replayed.as_deref(), again), (Some("true"), created));
}

#[tokio::test]
async fn a_super_admin_s_key_is_its_own_in_each_tenant() {
    let api = api().await;
    let branch = json!({"name": "Branch", "admin": {"username": "branch-admin", "password": "Branch-admin-1"}});
    let (status, tenant) = api.call(Method::POST, "/api/tenants", Some(branch)).await;
    assert_eq!(status, StatusCode::CREATED, "{tenant}");
    let tenant = tenant["id"].as_str().unwrap().to_owned();
    let body = json!({"name": "Gatehouse"}).to_string();
    let token = api.token.clone();
    let send = |headers: Vec<(&'static str, String)>| {
        let (api, body, token) = (&api, &body, &token);
        async move {
            let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
            let (status, answer_headers, text) =
                api.raw_from_with(None, &headers, Method::POST, "/api/sites", Some(token), Some(body)).await;
            (status, answer_headers.contains_key("idempotent-replayed"), serde_json::from_str::<Value>(&text).unwrap())
        }
    };
    let (status, replayed, home) = send(vec![(KEY, "k-tenant".into())]).await;
    assert_eq!((status, replayed), (StatusCode::CREATED, false), "{home}");
    let (status, replayed, there) = send(vec![(KEY, "k-tenant".into()), ("x-vms-tenant", tenant.clone())]).await;
    assert_eq!((status, replayed), (StatusCode::CREATED, false), "the branch gets a site of its own: {there}");
    assert_ne!(home["id"], there["id"]);
}

#[tokio::test]
async fn a_caller_s_keys_are_bounded() {
    let api = api().await;
    let secret = api.state.internal_secret().key();
    let caller = idempotency_caller(&secret, &caller(&api).await);
    let hot = api.state.hot_state();
    // Failed requests keep nothing and use none of the allowance, however often retried.
    for attempt in 0..3 {
        let (status, _, _) =
            post(&api, &api.token, &format!("k-bad-{attempt}"), "/api/sites", &json!({"name": ""})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }
    assert_eq!(hot.idempotency_keys_kept(&caller).await.unwrap().0, 0, "failures are not counted");
    let (status, _, _) = post(&api, &api.token, "k-kept", "/api/sites", &json!({"name": "Kept"})).await;
    assert_eq!(status, StatusCode::CREATED);
    let (kept, left) = hot.idempotency_keys_kept(&caller).await.unwrap();
    assert_eq!(kept, 1, "a kept answer is counted");
    assert!(left > Duration::from_secs(23 * 3600), "the window is a day: {left:?}");
    for _ in 1..1_000 {
        hot.count_idempotency_keys(&caller, Duration::from_secs(3600)).await.unwrap();
    }
    let (status, _, refused) = post(&api, &api.token, "k-1001", "/api/sites", &json!({"name": "Overflow"})).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{refused}");
    assert!(!site_names(&api).await.contains(&"Overflow".to_owned()), "nothing ran");
}

#[tokio::test]
async fn secrets_shown_once_refuse_the_header_and_bad_keys_are_named() {
    let api = api().await;
    let token = api.token.clone();
    let key = json!({"name": "door", "permissions": ["event.create"]});
    let (status, _, refused) = post(&api, &token, "k-secret", "/api/api-keys", &key).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert!(refused["message"].as_str().unwrap().starts_with("Idempotency-Key: not accepted here"), "{refused}");
    let change = json!({"current_password": common::ADMIN_PASSWORD, "new_password": "Another-password-2"});
    let (status, _, refused) = post(&api, &token, "k-password", "/api/auth/password", &change).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a password change is never kept: {refused}");
    let (status, _, _) = post(&api, &token, &"k".repeat(256), "/api/sites", &json!({"name": "Long"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = post(&api, &token, "with space", "/api/sites", &json!({"name": "Spaced"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn without_redis_a_request_with_a_key_is_refused_and_one_without_runs() {
    // Nothing listens on port 1.
    let api = api_with_redis("redis://127.0.0.1:1").await;
    let token = api.token.clone();
    let (status, _, refused) = post(&api, &token, "k-down", "/api/sites", &json!({"name": "Lost"})).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{refused}");
    assert_eq!(refused["message"], "idempotency records unavailable");
    assert!(!site_names(&api).await.contains(&"Lost".to_owned()), "nothing ran");
    let body = json!({"name": "Plain"}).to_string();
    assert_eq!(api.raw(Method::POST, "/api/sites", Some(&token), Some(&body)).await.0, StatusCode::CREATED);
}
