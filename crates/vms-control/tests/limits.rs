//! Every list the API accepts is bounded: an oversized one is a 400 naming the
//! field, and repeated entries are kept once (limits in docs/ref/api.md).

mod common;

use axum::http::{Method, StatusCode};
use common::{api, assert_bad_field};
use serde_json::json;

#[tokio::test]
async fn permission_lists_are_capped_and_deduplicated() {
    let api = api().await;
    let many = vec!["camera.ptz"; 100_000];
    let (status, body) = api.call(Method::POST, "/api/roles", Some(json!({"name": "huge", "permissions": many}))).await;
    assert_bad_field(status, &body, "permissions");
    let (status, body) =
        api.call(Method::POST, "/api/api-keys", Some(json!({"name": "huge", "permissions": many}))).await;
    assert_bad_field(status, &body, "permissions");

    let twice = ["camera.ptz", "camera.view_live", "camera.ptz"];
    let (status, role) = api.call(Method::POST, "/api/roles", Some(json!({"name": "dup", "permissions": twice}))).await;
    assert_eq!((status, &role["permissions"]), (StatusCode::CREATED, &json!(["camera.ptz", "camera.view_live"])));
    let uri = format!("/api/roles/{}", role["id"].as_str().unwrap());
    let (status, role) = api.call(Method::PATCH, &uri, Some(json!({"permissions": twice}))).await;
    assert_eq!((status, &role["permissions"]), (StatusCode::OK, &json!(["camera.ptz", "camera.view_live"])));
    let (status, body) = api.call(Method::PATCH, &uri, Some(json!({"permissions": many}))).await;
    assert_bad_field(status, &body, "permissions");
    let (status, key) =
        api.call(Method::POST, "/api/api-keys", Some(json!({"name": "dup", "permissions": twice}))).await;
    assert_eq!(
        (status, &key["permissions"]),
        (StatusCode::CREATED, &json!(["camera.ptz", "camera.view_live"])),
        "{key}"
    );
}

#[tokio::test]
async fn grant_lists_are_capped() {
    let api = api().await;
    let user =
        |roles: serde_json::Value| Some(json!({"username": "many", "password": "Many-password-1", "roles": roles}));
    let (status, body) = api.call(Method::POST, "/api/users", user(json!(vec!["viewer"; 20_000]))).await;
    assert_bad_field(status, &body, "roles");
    let (status, created) = api.call(Method::POST, "/api/users", user(json!(["viewer", "viewer"]))).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["roles"].as_array().map(Vec::len), Some(1), "{created}");
    let uri = format!("/api/users/{}", created["id"].as_str().unwrap());
    let (status, body) = api.call(Method::PATCH, &uri, Some(json!({"roles": vec!["viewer"; 257]}))).await;
    assert_bad_field(status, &body, "roles");
}

#[tokio::test]
async fn schedules_are_capped_and_their_days_deduplicated() {
    let api = api().await;
    let site = api.create_site("Yard").await;
    let (status, camera) = api
        .call(
            Method::POST,
            "/api/cameras",
            Some(json!({"name": "Gate", "site_id": site, "streams": [{"role": "main", "url": "rtsp://gate/"}]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{camera}");
    let uri = format!("/api/cameras/{}/recording", camera["id"].as_str().unwrap());
    let range = json!({"days": ["mon"], "start": "08:00", "end": "09:00"});
    let ranges = vec![range; 15_000];
    let (status, body) = api.call(Method::PUT, &uri, Some(json!({"mode": "scheduled", "schedule": ranges}))).await;
    assert_bad_field(status, &body, "schedule");
    let days = vec!["mon"; 8];
    let range = json!({"days": days, "start": "08:00", "end": "09:00"});
    let (status, body) = api.call(Method::PUT, &uri, Some(json!({"mode": "scheduled", "schedule": [range]}))).await;
    assert_bad_field(status, &body, "schedule[0].days");
    let range = json!({"days": ["mon", "tue", "mon"], "start": "08:00", "end": "09:00"});
    let (status, body) = api.call(Method::PUT, &uri, Some(json!({"mode": "scheduled", "schedule": [range]}))).await;
    assert_eq!((status, &body["schedule"][0]["days"]), (StatusCode::OK, &json!(["mon", "tue"])), "{body}");
}
