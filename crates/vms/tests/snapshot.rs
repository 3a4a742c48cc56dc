//! Snapshots through the API: the latest keyframe of an H.264 or H.265
//! stream as a valid JPEG at the stream's own size; a clear 503, never a
//! blank picture, for a camera that is offline.

mod common;

use std::time::Duration;

use common::{
    probe_image,
    stack::{camsim, sandbox},
    wait_until,
};
use serde_json::Value;
use vms_catalog::camera::Transport;

const PASSWORD: &str = "Operator-password-1";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn snapshots_are_jpegs_of_the_latest_keyframe() {
    vms_base::tracing_setup::install();
    let sim = camsim(&["h264=h264_1080p", "h265=h265_720p"]).await;
    let stack = sandbox(|_| {}).await;
    let (h264, _) = stack.add_camera("h264", sim.url("h264"), Transport::Tcp, None).await;
    let (h265, _) = stack.add_camera("h265", sim.url("h265"), Transport::Udp, None).await;
    let closed = format!("rtsp://127.0.0.1:{}/nothing", vms_testkit::free_port());
    let (offline, _) = stack.add_camera("offline", closed, Transport::Tcp, None).await;
    stack.add_user("operator", PASSWORD, &["operator"]).await;
    stack.add_user("auditor", PASSWORD, &["auditor"]).await;
    let control = stack.start_control().await;
    let media = stack.start_media();

    let http = stack.http();
    let client = reqwest::Client::new();
    let token = stack.login("operator", PASSWORD).await;
    let get = |path: String| {
        let request = client.get(format!("{http}{path}")).bearer_auth(&token);
        async move { request.send().await.unwrap() }
    };

    for (camera, expected) in [(h264, "mjpeg,1920,1080"), (h265, "mjpeg,1280,720")] {
        let response = wait_until("a snapshot", Duration::from_secs(40), || async {
            let r = get(format!("/api/cameras/{camera}/snapshot")).await;
            r.status().is_success().then_some(r)
        })
        .await;
        assert_eq!(response.headers()["content-type"], "image/jpeg");
        let captured: chrono::DateTime<chrono::Utc> =
            response.headers()["x-captured-at"].to_str().unwrap().parse().expect("an RFC 3339 time");
        let age = chrono::Utc::now() - captured;
        assert!(age < chrono::TimeDelta::seconds(5), "the keyframe is {age} old");
        let jpeg = response.bytes().await.unwrap();
        assert!(jpeg.starts_with(&[0xff, 0xd8]) && jpeg.ends_with(&[0xff, 0xd9]), "a whole JPEG");
        assert!(jpeg.len() > 20_000, "a real picture, not a blank one: {} bytes", jpeg.len());
        assert_eq!(probe_image(&jpeg), expected);
    }

    let response = get(format!("/api/cameras/{offline}/snapshot")).await;
    assert_eq!(response.status(), 503);
    let body: Value = response.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("not online"), "{body}");
    let response = get(format!("/api/cameras/{h264}/snapshot?stream=sub")).await;
    assert_eq!(response.status(), 404, "no sub stream");

    // Every picture handed out is in the audit trail, with who took it and of what.
    let auditor = stack.login("auditor", PASSWORD).await;
    let trail = stack.get(&auditor, "/api/audit?action=camera.snapshot").await;
    let items = trail["items"].as_array().unwrap();
    for camera in [h264, h265] {
        let entry = items
            .iter()
            .find(|e| e["target_id"] == camera.to_string())
            .unwrap_or_else(|| panic!("no snapshot of {camera} audited: {trail}"));
        assert_eq!(entry["outcome"], "success");
        assert_eq!(entry["details"]["stream"], "main", "{entry}");
    }
    assert_eq!(items.len(), 2, "refused snapshots hand out nothing: {trail}");

    media.stop().await;
    control.stop().await;
    sim.stop().await;
}
