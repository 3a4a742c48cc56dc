//! RTSP clients such as VLC sign in with VMS credentials: control checks them
//! against the camera, under the login rate limits, and audits the outcome.

mod common;

use axum::http::{Method, StatusCode};
use common::api_with;
use serde_json::json;
use tonic::Request;
use vms_control::test_utils::StreamAccessService;
use vms_proto::v1::{CredentialsRequest, stream_access_server::StreamAccess};

fn ask(user: &str, password: &str, camera: &str, purpose: &str) -> Request<CredentialsRequest> {
    Request::new(CredentialsRequest {
        username: user.into(),
        password: password.into(),
        camera_id: camera.into(),
        stream: "main".into(),
        purpose: purpose.into(),
        client_addr: "198.51.100.4".into(),
    })
}

#[tokio::test]
async fn credentials_open_only_what_the_user_may_watch() {
    let api = api_with(|c| c.control.login_failures_before_lockout = 2).await;
    let site = api.create_site("HQ").await;
    let (status, cam) = api
        .call(
            Method::POST,
            "/api/cameras",
            Some(json!({"name": "Gate", "site_id": site, "streams": [{"role": "main", "url": "rtsp://g/"}]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let cam = cam["id"].as_str().unwrap().to_owned();
    api.user_with_roles("vlc-viewer", &["viewer"]).await;
    let service = StreamAccessService::new(&api.state);

    let ok = service.check_credentials(ask("vlc-viewer", "User-password-1", &cam, "live")).await.unwrap().into_inner();
    assert!(ok.allowed && ok.authenticated, "{}", ok.reason);
    let archive =
        service.check_credentials(ask("vlc-viewer", "User-password-1", &cam, "archive")).await.unwrap().into_inner();
    assert!(!archive.allowed && archive.reason.contains("camera.view_archive"), "{}", archive.reason);
    assert!(archive.authenticated, "right credentials without the permission: 403, not 401");
    let elsewhere = service
        .check_credentials(ask("vlc-viewer", "User-password-1", &uuid::Uuid::new_v4().to_string(), "live"))
        .await
        .unwrap();
    let elsewhere = elsewhere.into_inner();
    assert!(!elsewhere.allowed && elsewhere.authenticated);

    // A guesser at another address locks the account for that address only.
    let from_elsewhere = |password: &str| {
        let mut request = ask("vlc-viewer", password, &cam, "live");
        request.get_mut().client_addr = "203.0.113.9".into();
        request
    };
    for _ in 0..2 {
        let wrong = service.check_credentials(from_elsewhere("Wrong-pass-123")).await.unwrap().into_inner();
        assert!(!wrong.allowed && !wrong.authenticated);
    }
    let locked = service.check_credentials(from_elsewhere("User-password-1")).await.unwrap().into_inner();
    assert!(
        !locked.allowed && locked.reason.contains("too many"),
        "brute force over RTSP is throttled too: {}",
        locked.reason
    );
    let owner = service.check_credentials(ask("vlc-viewer", "User-password-1", &cam, "live")).await.unwrap();
    assert!(owner.into_inner().allowed, "the address the user signed in from is not locked");
    assert!(service.check_credentials(ask("vlc-viewer", "x", "not-a-uuid", "live")).await.is_err());

    let (_, trail) = api.call(Method::GET, "/api/audit?action=stream.rtsp", None).await;
    let outcomes: Vec<&str> =
        trail["items"].as_array().unwrap().iter().map(|e| e["outcome"].as_str().unwrap()).collect();
    assert!(
        outcomes.contains(&"success") && outcomes.contains(&"denied") && outcomes.contains(&"failure"),
        "{outcomes:?}"
    );
}
