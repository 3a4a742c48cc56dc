//! Prometheus metrics of a running system: each process serves its own on
//! its metrics listener, the figures match what the test did (pictures the
//! simulated camera sent against those the media plane counts, its frame
//! rate against the clip's 25 fps), and Prometheus's own linter accepts
//! every exposition.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{
    stack::{camsim, sandbox},
    wait_until,
};
use vms_catalog::camera::Transport;

/// The value of the sample `name{labels}` in `text`.
fn sample(text: &str, name: &str, labels: &str) -> Option<f64> {
    let prefix = format!("{name}{{{labels}}} ");
    text.lines().find_map(|line| line.strip_prefix(&prefix)).map(|v| v.parse().unwrap())
}

async fn scrape(addr: std::net::SocketAddr) -> String {
    let answer = reqwest::get(format!("http://{addr}/metrics")).await.unwrap();
    assert_eq!(answer.status(), 200, "{addr}");
    answer.text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn each_process_serves_figures_that_match_what_happened() {
    vms_base::tracing_setup::install();
    let sim = camsim(&["cam=h264_720p"]).await;
    let stack = sandbox(|_| {}).await;
    let (camera, _) = stack.add_camera("cam", sim.url("cam"), Transport::Tcp, None).await;
    stack.add_user("watcher", "Watcher-password-1", &["viewer"]).await;
    let _control = stack.start_control().await;
    let _media = stack.start_media();
    let (media, control) = (stack.config.metrics.media, stack.config.metrics.control);
    let labels = format!(r#"camera="{camera}",stream="main""#);

    let online = format!(r#"{labels},state="online""#);
    wait_until("the stream online in the media plane's metrics", Duration::from_secs(40), || async {
        let text = reqwest::get(format!("http://{media}/metrics")).await.ok()?.text().await.ok()?;
        (sample(&text, "vms_stream_state", &online) == Some(1.0)).then_some(())
    })
    .await;
    // A few seconds of pictures, so the 5-second rates settle.
    tokio::time::sleep(Duration::from_secs(6)).await;
    let sent_before = sim.pictures_sent();
    let text = scrape(media).await;
    let sent_after = sim.pictures_sent();

    let received = sample(&text, "vms_stream_frames_received_total", &labels).expect("pictures counted");
    assert!(
        received <= sent_after as f64 && received >= sent_before as f64 - 25.0,
        "received {received}, while the camera sent {sent_before}..{sent_after}"
    );
    let fps = sample(&text, "vms_stream_fps", &labels).unwrap();
    assert!((20.0..=30.0).contains(&fps), "the clip runs at 25 fps, the gauge says {fps}");
    assert!(sample(&text, "vms_stream_bitrate_bytes_per_second", &labels).unwrap() > 10_000.0, "{text}");
    assert!(sample(&text, "vms_stream_received_bytes_total", &labels).unwrap() > received * 100.0, "{text}");
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs_f64();
    let keyframe = sample(&text, "vms_stream_last_keyframe_timestamp_seconds", &labels).unwrap();
    assert!(now - keyframe < 5.0, "a keyframe every 2 s; the last came {} s ago", now - keyframe);
    for state in ["connecting", "offline"] {
        assert_eq!(sample(&text, "vms_stream_state", &format!(r#"{labels},state="{state}""#)), Some(0.0));
    }
    assert_eq!(sample(&text, "vms_stream_reconnects_total", &labels), Some(0.0), "{text}");
    assert!(!text.contains("rtsp://"), "no URL in a label: {text}");
    vms_testkit::promtool_check_metrics(&text);

    // The camera goes away: the state says so, and the next session counts as a reconnect.
    sim.stop().await;
    wait_until("the stream no longer online, and a reconnect tried", Duration::from_secs(30), || async {
        let text = scrape(media).await;
        let gone = sample(&text, "vms_stream_state", &online) == Some(0.0);
        let retried = sample(&text, "vms_stream_reconnects_total", &labels).is_some_and(|n| n >= 1.0);
        (gone && retried).then_some(())
    })
    .await;

    // Control serves its own: the API's requests, and the process's figures.
    let token = stack.login("watcher", "Watcher-password-1").await;
    let cameras = reqwest::Client::new().get(format!("{}/api/cameras", stack.http())).bearer_auth(&token);
    assert!(cameras.send().await.unwrap().status().is_success());
    let text = scrape(control).await;
    let listed = sample(&text, "vms_api_requests_total", r#"route="/api/cameras",method="GET",status="200""#);
    assert_eq!(listed, Some(1.0), "{text}");
    assert!(text.contains("process_resident_memory_bytes"), "{text}");
    vms_testkit::promtool_check_metrics(&text);
}
