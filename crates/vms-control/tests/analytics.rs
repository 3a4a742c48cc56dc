//! `/api/cameras/{id}/analytics` through the real router and database:
//! defaults, a full setting kept as sent, bad shapes named by field,
//! permissions, another tenant's camera, the audit trail, and the setting
//! as the analytics plane's assignments read it.

mod common;

use axum::http::{Method, StatusCode};
use common::{api, assert_bad_field};
use serde_json::{Value, json};

async fn camera(api: &common::Api, name: &str) -> String {
    let site = api.create_site(&format!("{name} site")).await;
    let body = json!({"name": name, "site_id": site, "streams": [
        {"role": "main", "url": "rtsp://10.0.0.5/main"}, {"role": "sub", "url": "rtsp://10.0.0.5/sub"}]});
    let (status, created) = api.call(Method::POST, "/api/cameras", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["id"].as_str().unwrap().to_owned()
}

fn setting() -> Value {
    json!({
        "stream": "main",
        "fps": 8,
        "labels": ["person", "car"],
        "min_score": 0.6,
        "min_area": 0.001,
        "motion_sensitivity": 70,
        "masks": [[[0.0, 0.0], [0.3, 0.0], [0.3, 0.08]]],
        "zones": [{"name": "Door", "points": [[0.1, 0.5], [0.9, 0.5], [0.9, 1.0], [0.1, 1.0]], "labels": ["person"],
                   "loiter_secs": 30}],
        "lines": [{"name": "Gate", "a": [0.2, 0.6], "b": [0.8, 0.6]}]
    })
}

#[tokio::test]
async fn a_setting_is_kept_as_sent_and_reaches_the_analytics_plane() {
    let api = api().await;
    let id = camera(&api, "Yard").await;
    let uri = format!("/api/cameras/{id}/analytics");

    let (status, defaults) = api.call(Method::GET, &uri, None).await;
    assert_eq!(status, StatusCode::OK, "{defaults}");
    assert_eq!(defaults, json!({"enabled": true, "labels": [], "masks": [], "zones": [], "lines": []}));

    let revision = || async {
        let mut tx = vms_catalog::scope::begin(&api.db.pool, vms_catalog::Scope::AllTenants).await.unwrap();
        vms_catalog::plane_streams::revision(&mut *tx).await.unwrap()
    };
    let before = revision().await;
    let (status, saved) = api.call(Method::PUT, &uri, Some(setting())).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert!(revision().await > before, "a change of settings is a change of the planes' assignments");
    let (_, read) = api.call(Method::GET, &uri, None).await;
    assert_eq!(read, saved);
    assert_eq!(read["zones"][0]["name"], "Door");
    assert_eq!(read["lines"][0]["b"], json!([0.8, 0.6]));
    assert_eq!(read["enabled"], true, "enabled defaults to true");

    // The analytics plane's assignments: the stream the setting names, with the setting.
    let set = vms_control::test_utils::assignment_set(&api.db.pool, vms_base::Plane::Ai).await.unwrap();
    let ours: Vec<_> = set.streams.iter().filter(|s| s.camera_id == id).collect();
    assert_eq!(ours.len(), 1, "one stream of the camera is analysed");
    assert_eq!(ours[0].role, "main", "the one the setting names");
    let sent: vms_base::analytics::CameraAnalytics = serde_json::from_str(&ours[0].analytics).unwrap();
    assert_eq!((sent.fps, sent.zones.len(), sent.lines.len()), (Some(8), 1, 1));
    // Other planes get none of it, so a change restarts nothing there.
    let media = vms_control::test_utils::assignment_set(&api.db.pool, vms_base::Plane::Media).await.unwrap();
    assert!(media.streams.iter().filter(|s| s.camera_id == id).all(|s| s.analytics.is_empty()));

    let (status, audit) = api.call(Method::GET, "/api/audit?action=camera.analytics_settings", None).await;
    assert_eq!(status, StatusCode::OK, "{audit}");
    let entry = &audit["items"][0];
    assert_eq!(entry["target_id"], id.as_str(), "{audit}");
    assert_eq!((entry["details"]["zones"].as_str(), entry["details"]["lines"].as_str()), (Some("1"), Some("1")));

    // Turned off: kept, said so, and no longer analysed.
    let (status, off) = api.call(Method::PUT, &uri, Some(json!({"enabled": false}))).await;
    assert_eq!(status, StatusCode::OK, "{off}");
    assert_eq!(off["enabled"], false);
    assert_eq!(off["zones"], json!([]), "a PUT replaces the whole setting");
    let set = vms_control::test_utils::assignment_set(&api.db.pool, vms_base::Plane::Ai).await.unwrap();
    assert!(set.streams.iter().all(|s| s.camera_id != id), "a camera with analytics off is not assigned");

    // Names and labels are stored tidy.
    let tidy = json!({"labels": [" person", "person"], "lines": [{"name": " Gate ", "a": [0, 0], "b": [1, 1]}]});
    let (status, stored) = api.call(Method::PUT, &uri, Some(tidy)).await;
    assert_eq!(status, StatusCode::OK, "{stored}");
    assert_eq!((stored["labels"].clone(), stored["lines"][0]["name"].clone()), (json!(["person"]), json!("Gate")));
}

#[tokio::test]
async fn bad_settings_are_refused_naming_the_field_and_change_nothing() {
    let api = api().await;
    let id = camera(&api, "Gate").await;
    let uri = format!("/api/cameras/{id}/analytics");
    let (status, _) = api.call(Method::PUT, &uri, Some(setting())).await;
    assert_eq!(status, StatusCode::OK);
    let zone = |points: Value| json!({"zones": [{"name": "z", "points": points}]});
    let cases = [
        (zone(json!([[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 0.5]])), "zones[0].points"),
        (zone(json!([[0.0, 0.0], [1.0, 0.0]])), "zones[0].points"),
        (zone(json!([[0.0, 0.0], [1.0, 0.0], [1.0, 1.2]])), "zones[0].points"),
        (json!({"lines": [{"name": "l", "a": [0.5, 0.5], "b": [0.5, 0.5]}]}), "lines[0].b"),
        (
            json!({"lines": [{"name": "Gate", "a": [0, 0], "b": [1, 1]}, {"name": "gate", "a": [0, 1], "b": [1, 0]}]}),
            "lines[1].name",
        ),
        (json!({"fps": 0}), "fps"),
        (json!({"min_score": 2}), "min_score"),
        (json!({"motion_sensitivity": 0}), "motion_sensitivity"),
        // 32 lines, each with 80 long labels: each part within bounds, the whole too large to send.
        (
            json!({"lines": (0..32).map(|i| json!({"name": format!("l{i}"), "a": [0, 0], "b": [1, 1],
                "labels": (0..80).map(|j| format!("{j:064}")).collect::<Vec<_>>()})).collect::<Vec<_>>()}),
            "analytics",
        ),
    ];
    for (body, field) in cases {
        let (status, answer) = api.call(Method::PUT, &uri, Some(body.clone())).await;
        assert_bad_field(status, &answer, field);
    }
    // Not the documented shape at all.
    for body in [r#"{"zone": []}"#, r#"{"zones": [{"name": "z"}]}"#, r#"{"fps": "fast"}"#, "{"] {
        let (status, answer) = api.raw(Method::PUT, &uri, Some(&api.token.clone()), Some(body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
    }
    let (_, kept) = api.call(Method::GET, &uri, None).await;
    assert_eq!(kept["zones"][0]["name"], "Door", "a refused setting changed nothing");
}

#[tokio::test]
async fn a_viewer_reads_but_cannot_change_and_another_tenant_sees_nothing() {
    let api = api().await;
    let id = camera(&api, "Lobby").await;
    let uri = format!("/api/cameras/{id}/analytics");
    let viewer = api.user_with_roles("watcher", &["viewer"]).await;
    let (status, body) = api.raw(Method::GET, &uri, Some(&viewer), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = api.raw(Method::PUT, &uri, Some(&viewer), Some("{}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

    let tenant = json!({"name": "Other Corp", "admin": {"username": "other-admin", "password": "Other-admin-pw-1"}});
    let (status, created) = api.call(Method::POST, "/api/tenants", Some(tenant)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let other = api.login("other-admin", "Other-admin-pw-1").await;
    for (method, body) in [(Method::GET, None), (Method::PUT, Some(r#"{"enabled": false}"#))] {
        let (status, answer) = api.raw(method.clone(), &uri, Some(&other), body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method}: {answer}");
        assert!(!answer.contains("Lobby"), "{answer}");
    }
    let (_, ours) = api.call(Method::GET, &uri, None).await;
    assert_eq!(ours["enabled"], true, "the other tenant changed nothing");
}

#[tokio::test]
async fn the_setting_is_described_in_the_openapi_document() {
    let doc = serde_json::to_value(vms_control::openapi_document()).unwrap();
    let path = &doc["paths"]["/api/cameras/{id}/analytics"];
    assert!(path["get"].is_object() && path["put"].is_object(), "{path}");
    let schemas = &doc["components"]["schemas"];
    for name in ["CameraAnalytics", "Zone", "Line"] {
        assert!(schemas[name].is_object(), "no schema {name}");
    }
    assert!(schemas["CameraAnalytics"]["properties"]["zones"].is_object());
}
