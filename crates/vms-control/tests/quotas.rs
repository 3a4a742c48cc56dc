//! Per-tenant camera quotas: set by super-admins under the licence, checked
//! against the tenant's own cameras, and race-free.

mod common;

use axum::http::{Method, StatusCode};
use common::{Api, api};
use serde_json::{Value, json};

/// Creates a tenant with an administrator (and a quota) and returns its id
/// and the administrator's token.
async fn tenant_with_admin(api: &Api, name: &str, quota: Option<u32>) -> (String, String) {
    let admin = format!("{name}-admin");
    let body = json!({"name": name, "admin": {"username": admin, "password": "Branch-admin-1"}, "camera_quota": quota});
    let (status, tenant) = api.call(Method::POST, "/api/tenants", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{tenant}");
    assert_eq!(tenant["camera_quota"], json!(quota));
    (tenant["id"].as_str().unwrap().to_owned(), api.login(&admin, "Branch-admin-1").await)
}

async fn call_as(api: &Api, token: &str, method: Method, uri: &str, body: Value) -> (StatusCode, Value) {
    let (status, text) = api.raw(method, uri, Some(token), Some(&body.to_string())).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn site_as(api: &Api, token: &str) -> String {
    let (status, site) = call_as(api, token, Method::POST, "/api/sites", json!({"name": "HQ"})).await;
    assert_eq!(status, StatusCode::CREATED, "{site}");
    site["id"].as_str().unwrap().to_owned()
}

fn camera(site: &str, n: usize) -> Value {
    json!({"name": format!("cam {n}"), "site_id": site, "streams": [{"role": "main", "url": "rtsp://c/"}]})
}

#[tokio::test]
async fn a_tenant_at_its_quota_is_refused_while_another_still_adds_cameras() {
    let api = api().await;
    let (branch, token) = tenant_with_admin(&api, "branch", Some(1)).await;
    let site = site_as(&api, &token).await;
    let (status, body) = call_as(&api, &token, Method::POST, "/api/cameras", camera(&site, 0)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, refused) = call_as(&api, &token, Method::POST, "/api/cameras", camera(&site, 1)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    let message = refused["message"].as_str().unwrap();
    assert!(message.contains("camera quota reached") && message.contains("1 cameras and has 1"), "{message}");

    // The default tenant has no quota of its own: only the licence limits it.
    let own_site = api.create_site("Main").await;
    for n in 0..2 {
        let (status, body) = api.call(Method::POST, "/api/cameras", Some(camera(&own_site, n))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }

    // Raising the quota, or removing it, lets the branch add more.
    let (status, raised) =
        api.call(Method::PATCH, &format!("/api/tenants/{branch}"), Some(json!({"camera_quota": null}))).await;
    assert_eq!((status, &raised["camera_quota"], &raised["name"]), (StatusCode::OK, &Value::Null, &json!("branch")));
    let (status, body) = call_as(&api, &token, Method::POST, "/api/cameras", camera(&site, 1)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, list) = api.call(Method::GET, "/api/tenants", None).await;
    let listed = list["items"].as_array().unwrap().iter().find(|t| t["id"] == json!(branch)).unwrap();
    assert_eq!(listed["camera_quota"], Value::Null);
}

#[tokio::test]
async fn only_super_admins_set_quotas_and_only_within_the_licence() {
    let api = api().await;
    let (branch, branch_admin) = tenant_with_admin(&api, "branch", None).await;
    let plain_admin = api.user_with_roles("plain-admin", &["admin"]).await;
    for token in [&plain_admin, &branch_admin] {
        let (status, body) =
            call_as(&api, token, Method::PATCH, &format!("/api/tenants/{branch}"), json!({"camera_quota": 500})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (status, body) =
            call_as(&api, token, Method::POST, "/api/tenants", json!({"name": "x", "camera_quota": 5})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    }
    // The free tier allows 16 cameras: a quota may not promise more, nor be negative.
    let path = format!("/api/tenants/{branch}");
    let (status, body) = api.call(Method::PATCH, &path, Some(json!({"camera_quota": 17}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["message"].as_str().unwrap().contains("16"), "{body}");
    let (status, body) = api.call(Method::PATCH, &path, Some(json!({"camera_quota": -1}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = api.call(Method::PATCH, &path, Some(json!({"camera_quota": 16}))).await;
    assert_eq!((status, &body["camera_quota"]), (StatusCode::OK, &json!(16)), "{body}");

    // The database refuses a quota change made in a tenant's own scope, whatever the API does.
    let mut tx =
        vms_catalog::scope::begin(&api.db.pool, vms_catalog::Scope::Tenant(branch.parse().unwrap())).await.unwrap();
    let refused = vms_catalog::tenant::set_camera_quota(&mut *tx, branch.parse().unwrap(), Some(1000)).await;
    assert!(refused.is_err(), "{refused:?}");
}

#[tokio::test]
async fn concurrent_additions_at_quota_minus_one_leave_exactly_the_quota() {
    let api = api().await;
    let (_, token) = tenant_with_admin(&api, "branch", Some(3)).await;
    let site = site_as(&api, &token).await;
    for n in 0..2 {
        let (status, body) = call_as(&api, &token, Method::POST, "/api/cameras", camera(&site, n)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let attempts = (2..8).map(|n| call_as(&api, &token, Method::POST, "/api/cameras", camera(&site, n)));
    let statuses: Vec<StatusCode> = futures::future::join_all(attempts).await.into_iter().map(|(s, _)| s).collect();
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::CREATED).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| matches!(*s, StatusCode::CREATED | StatusCode::CONFLICT)), "{statuses:?}");
    let (_, list) = api.raw(Method::GET, "/api/cameras", Some(&token), None).await;
    let list: Value = serde_json::from_str(&list).unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 3);
}
