//! Footage outlives its camera: once a camera is deleted, users with
//! archive rights on its site or on it still find, play, list and export
//! its footage until retention removes it; others still cannot; live view
//! is gone with the camera.

mod common;

use axum::http::{Method, StatusCode};
use common::api;
use serde_json::{Value, json};

#[tokio::test]
async fn a_deleted_cameras_footage_stays_playable_and_exportable() {
    let api = api().await;
    let site = api.create_site("Depot").await;
    let other_site = api.create_site("Elsewhere").await;
    let body =
        json!({"name": "Loading Bay", "site_id": site, "streams": [{"role": "main", "url": "rtsp://10.1.1.1/"}]});
    let (status, cam) = api.call(Method::POST, "/api/cameras", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{cam}");
    let cam = cam["id"].as_str().unwrap().to_owned();
    let footage = api.record_footage(&cam, 10).await;
    let (status, text) = api.call(Method::DELETE, &format!("/api/cameras/{cam}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{text}");
    let (status, text) = api.call(Method::GET, &format!("/api/cameras/{cam}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the camera is gone: {text}");

    let (status, deleted) = api.call(Method::GET, "/api/cameras/deleted", None).await;
    assert_eq!(status, StatusCode::OK, "{deleted}");
    assert_eq!(deleted[0]["id"], cam.as_str(), "{deleted}");
    assert_eq!((deleted[0]["name"].as_str(), deleted[0]["site_id"].as_str()), (Some("Loading Bay"), Some(&site[..])));

    // Its recordings are listed, its archive plays, and it exports.
    let at = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let window = format!("start={}&end={}", at(footage.start), at(footage.end));
    let (status, ranges) =
        api.call(Method::GET, &format!("/api/cameras/{cam}/streams/main/recordings?{window}"), None).await;
    assert_eq!(status, StatusCode::OK, "{ranges}");
    assert_eq!(ranges["ranges"].as_array().unwrap().len(), 1, "{ranges}");
    let ticket = |purpose: &'static str, token: String| {
        let api = &api;
        let uri = format!("/api/cameras/{cam}/streams/main/ticket");
        async move {
            let body = json!({ "purpose": purpose }).to_string();
            api.raw(Method::POST, &uri, Some(&token), Some(&body)).await
        }
    };
    let (status, text) = ticket("archive", api.token.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let archive = serde_json::from_str::<Value>(&text).unwrap()["ticket"].as_str().unwrap().to_owned();
    let playlist = format!("/api/cameras/{cam}/streams/main/playback.m3u8?{window}&ticket={archive}");
    let (status, text) = api.raw(Method::GET, &playlist, None, None).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(text.contains("#EXT-X-BYTERANGE"), "{text}");
    let export = api.export_done(&api.token.clone(), &cam, &footage).await;
    let (status, view) = api.call(Method::GET, &format!("/api/exports/{export}"), None).await;
    assert_eq!((status, view["status"].as_str()), (StatusCode::OK, Some("done")), "{view}");
    let (status, text) = ticket("live", api.token.clone()).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no live view of a deleted camera: {text}");

    // Grants still decide: an operator of another site learns nothing of it.
    let (status, user) = api
        .call(
            Method::POST,
            "/api/users",
            Some(json!({"username": "elsewhere", "password": "Guard-password-1",
                        "roles": [{"role": "operator", "site_id": other_site}]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{user}");
    let stranger = api.login("elsewhere", "Guard-password-1").await;
    let (status, listed) = api.raw(Method::GET, "/api/cameras/deleted", Some(&stranger), None).await;
    assert_eq!((status, listed.as_str()), (StatusCode::OK, "[]"));
    let (status, text) = ticket("archive", stranger).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{text}");
}
