//! Stream tickets: issued per purpose against the camera's permissions, and
//! verifiable by the planes from the public keys control publishes.

mod common;

use axum::http::{Method, StatusCode};
use common::api;
use serde_json::{Value, json};
use vms_ticket::{Purpose, TicketError, TicketVerifier};

#[tokio::test]
async fn a_ticket_opens_its_camera_only_for_its_purpose() {
    let api = api().await;
    let site = api.create_site("HQ").await;
    let mut cameras = Vec::new();
    for name in ["A", "B"] {
        let (status, cam) = api
            .call(
                Method::POST,
                "/api/cameras",
                Some(json!({"name": name, "site_id": site, "streams": [{"role": "main", "url": "rtsp://a/"}]})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        cameras.push(cam["id"].as_str().unwrap().parse::<uuid::Uuid>().unwrap());
    }
    let (a, b) = (cameras[0], cameras[1]);
    let (status, issued) = api
        .call(Method::POST, &format!("/api/cameras/{a}/streams/main/ticket"), Some(json!({"purpose": "live"})))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{issued}");
    let token = issued["ticket"].as_str().unwrap();

    // What the media plane does: trust the keys control published, no database.
    let verifier = TicketVerifier::load(&api.state.config().secrets_dir()).unwrap();
    let now = chrono::Utc::now().timestamp();
    let ticket = verifier.verify(token, a, "main", Purpose::Live, now).unwrap();
    assert_eq!(ticket.sub.to_string(), api.call(Method::GET, "/api/auth/me", None).await.1["id"].as_str().unwrap());
    assert_eq!(verifier.verify(token, b, "main", Purpose::Live, now), Err(TicketError::WrongStream));
    assert_eq!(verifier.verify(token, a, "main", Purpose::Archive, now), Err(TicketError::WrongPurpose));
    assert_eq!(verifier.verify(token, a, "main", Purpose::Live, now + 61), Err(TicketError::Expired));

    let (status, _) =
        api.call(Method::POST, &format!("/api/cameras/{a}/streams/sub/ticket"), Some(json!({"purpose": "live"}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "camera A has no sub stream");

    // A viewer may watch live but not play back.
    let viewer = api.user_with_roles("watcher", &["viewer"]).await;
    let live = json!({"purpose": "live"}).to_string();
    let archive = json!({"purpose": "archive"}).to_string();
    let uri = format!("/api/cameras/{a}/streams/main/ticket");
    let (status, _) = api.raw(Method::POST, &uri, Some(&viewer), Some(&live)).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, text) = api.raw(Method::POST, &uri, Some(&viewer), Some(&archive)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{text}");
    assert!(text.contains("camera.view_archive"));

    let (_, trail) = api.call(Method::GET, "/api/audit?action=stream.view_live", None).await;
    let items: &Vec<Value> = trail["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "every start of live viewing is audited: {trail}");
}

/// Issue 12 (groundwork): every route naming `{camera}/{role}` reads it the
/// same way: a stream that is neither `main` nor `sub` is a 404 naming it,
/// and a camera id that is no UUID a 400.
#[tokio::test]
async fn every_stream_path_refuses_an_unknown_stream_alike() {
    let api = api().await;
    let id = uuid::Uuid::new_v4();
    let token = api.token.clone();
    let routes = [
        (Method::POST, "streams/{role}/ticket", Some(r#"{"purpose": "live"}"#)),
        (Method::GET, "streams/{role}/recordings?start=2026-01-01T00:00:00Z&end=2026-01-02T00:00:00Z", None),
        (
            Method::GET,
            "streams/{role}/playback.m3u8?start=2026-01-01T00:00:00Z&end=2026-01-02T00:00:00Z&ticket=t",
            None,
        ),
    ];
    for (method, path, body) in routes {
        let uri = format!("/api/cameras/{id}/{}", path.replace("{role}", "third"));
        let (status, text) = api.raw(method.clone(), &uri, Some(&token), body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {uri}: {text}");
        assert!(text.contains("no such stream") && text.contains("third"), "{text}");
        let uri = format!("/api/cameras/not-a-uuid/{}", path.replace("{role}", "main"));
        let (status, text) = api.raw(method.clone(), &uri, Some(&token), body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{method} {uri}: {text}");
    }
    let (status, text) = api.raw(Method::GET, &format!("/api/live/{id}/third/index.m3u8"), None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{text}");
    assert!(text.contains("no such stream"), "{text}");
}
