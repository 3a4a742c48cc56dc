//! API keys: shown once, hashed, a subset of their creator's permissions,
//! accepted in two headers, revocable, and tracked.

mod common;

use axum::http::{Method, StatusCode};
use common::api;
use serde_json::{Value, json};

async fn with_key(
    api: &common::Api,
    header: &str,
    key: &str,
    method: Method,
    uri: &str,
    body: Option<&str>,
) -> StatusCode {
    let mut req = axum::http::Request::builder().method(method).uri(uri).header(header, key);
    if body.is_some() {
        req = req.header("content-type", "application/json");
    }
    let req = req.body(body.map(|b| axum::body::Body::from(b.to_owned())).unwrap_or_default()).unwrap();
    tower::ServiceExt::oneshot(api.app.clone(), req).await.unwrap().status()
}

#[tokio::test]
async fn a_key_carries_only_what_it_was_given_and_dies_when_revoked() {
    let api = api().await;
    let site = api.create_site("HQ").await;
    let (status, created) = api
        .call(Method::POST, "/api/api-keys", Some(json!({"name": "nvr-bridge", "permissions": ["camera.view_live"]})))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let key = created["key"].as_str().unwrap().to_owned();
    assert!(key.starts_with("vms_") && key.starts_with(created["prefix"].as_str().unwrap()));

    let bearer = format!("Bearer {key}");
    assert_eq!(with_key(&api, "authorization", &bearer, Method::GET, "/api/cameras", None).await, StatusCode::OK);
    assert_eq!(with_key(&api, "x-api-key", &key, Method::GET, "/api/sites", None).await, StatusCode::OK);
    let camera = json!({"name": "c", "site_id": site, "streams": [{"role": "main", "url": "rtsp://c/"}]}).to_string();
    assert_eq!(
        with_key(&api, "x-api-key", &key, Method::POST, "/api/cameras", Some(&camera)).await,
        StatusCode::FORBIDDEN,
        "the key lacks camera.manage although its creator holds it"
    );
    let another = json!({"name": "x", "permissions": ["camera.view_live"]}).to_string();
    assert_eq!(
        with_key(&api, "x-api-key", &key, Method::POST, "/api/api-keys", Some(&another)).await,
        StatusCode::FORBIDDEN
    );

    let (_, list) = api.call(Method::GET, "/api/api-keys", None).await;
    let listed = &list["items"][0];
    assert!(listed.get("key").is_none() && !list.to_string().contains(&key), "the key is shown once only");
    assert!(listed["last_used_at"].is_string(), "use is tracked: {listed}");

    let (status, _) =
        api.call(Method::DELETE, &format!("/api/api-keys/{}", created["id"].as_str().unwrap()), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(with_key(&api, "x-api-key", &key, Method::GET, "/api/cameras", None).await, StatusCode::UNAUTHORIZED);
    let stored: Vec<u8> =
        sqlx::query_scalar("SELECT key_hash FROM api_keys").fetch_one(&api.db.owner_pool).await.unwrap();
    assert_eq!(stored.len(), 32, "only a SHA-256 digest is stored");

    let (_, trail) = api.call(Method::GET, "/api/audit?action=apikey.", None).await;
    assert_eq!(trail["items"].as_array().unwrap().len(), 2, "{trail}");
}

#[tokio::test]
async fn a_key_never_exceeds_its_creator() {
    let api = api().await;
    let operator = api.user_with_roles("op", &["operator"]).await;
    let ask = |perms: Value| json!({"name": "k", "permissions": perms}).to_string();
    let (status, text) =
        api.raw(Method::POST, "/api/api-keys", Some(&operator), Some(&ask(json!(["camera.manage"])))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{text}");
    let (status, text) =
        api.raw(Method::POST, "/api/api-keys", Some(&operator), Some(&ask(json!(["camera.view_live"])))).await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let key = serde_json::from_str::<Value>(&text).unwrap()["key"].as_str().unwrap().to_owned();
    assert_eq!(with_key(&api, "x-api-key", &key, Method::GET, "/api/cameras", None).await, StatusCode::OK);
    let (status, text) =
        api.raw(Method::POST, "/api/api-keys", Some(&operator), Some(&ask(json!(["nonsense.perm"])))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");

    let (status, text) =
        api.raw(Method::POST, "/api/api-keys", Some(&operator), Some(&ask(json!(["nonsense.perm"])))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");

    // The creator loses the permission: so does the key, at once.
    let (_, users) = api.call(Method::GET, "/api/users", None).await;
    let op = users["items"].as_array().unwrap().iter().find(|u| u["username"] == "op").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _) = api.call(Method::PATCH, &format!("/api/users/{op}"), Some(json!({"roles": ["auditor"]}))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(with_key(&api, "x-api-key", &key, Method::GET, "/api/cameras", None).await, StatusCode::FORBIDDEN);
    let (status, _) = api.raw(Method::GET, "/api/auth/me", Some(&operator), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "changed grants end the user's sessions");
}

/// Issue 11, point 31: a super-admin acting in another tenant gets a clear
/// refusal, not a 500 from the database.
#[tokio::test]
async fn a_super_admin_acting_in_another_tenant_is_told_why_no_key_is_made() {
    let api = api().await;
    let (status, tenant) = api.call(Method::POST, "/api/tenants", Some(json!({"name": "elsewhere"}))).await;
    assert_eq!(status, StatusCode::CREATED, "{tenant}");
    let tenant = tenant["id"].as_str().unwrap().to_owned();
    let token = api.token.clone();
    let req = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/api-keys")
        .header("authorization", format!("Bearer {token}"))
        .header("x-vms-tenant", &tenant)
        .header("content-type", "application/json")
        .body(axum::body::Body::from(json!({"name": "k", "permissions": ["camera.view_live"]}).to_string()))
        .unwrap();
    let res = tower::ServiceExt::oneshot(api.app.clone(), req).await.unwrap();
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body["message"].as_str().unwrap().contains("owner's tenant"), "{body}");
}
