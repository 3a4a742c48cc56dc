//! The restream end to end: simulated cameras → media plane → RTSP restream
//! → ffprobe and ffmpeg. H.264 (with and without B-frames) and H.265 keep
//! their codec, size and frame rate, with continuous timestamps over 30 s and
//! no warnings; however many read a stream, its camera serves one session.
//! Readers present a stream ticket from the API or their VMS user name and
//! password (as VLC does); everyone else is refused.

mod common;

use std::{process::Command, time::Duration};

use common::{
    stack::{camsim, sandbox},
    wait_until,
};
use serde_json::Value;
use uuid::Uuid;
use vms_bus::hot::HotState;
use vms_catalog::camera::Transport;
use vms_sandbox::Sandbox;

const VIEWER_PASSWORD: &str = "Viewer-password-1";

/// Runs a command to the end; returns whether it succeeded, stdout and stderr.
async fn run(program: &'static str, args: Vec<String>) -> (bool, String, String) {
    tokio::task::spawn_blocking(move || {
        let out = Command::new(program).args(&args).output().unwrap_or_else(|e| panic!("{program}: {e}"));
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    })
    .await
    .unwrap()
}

/// `ffprobe -v warning` over `url`: stream facts and packet times for
/// `seconds`, as JSON, and whatever it warned about.
async fn probe(url: String, transport: &str, seconds: u32) -> (Value, String) {
    let args = [
        "-v",
        "warning",
        "-rtsp_transport",
        transport,
        "-read_intervals",
        &format!("%+{seconds}"),
        "-select_streams",
        "v",
        "-show_entries",
        "stream=codec_name,width,height,r_frame_rate:packet=pts",
        "-of",
        "json",
        &url,
    ];
    let (ok, out, err) = run("ffprobe", args.iter().map(|a| a.to_string()).collect()).await;
    assert!(ok, "ffprobe {url}: {err}");
    (serde_json::from_str(&out).expect("ffprobe's JSON"), err)
}

/// Asks the API for a live ticket as `username`.
async fn ticket(stack: &Sandbox, username: &str, camera: Uuid) -> String {
    let token = stack.login(username, VIEWER_PASSWORD).await;
    stack.ticket(&token, camera, "live").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn restream_serves_cameras_to_tickets_and_vms_users_only() {
    vms_base::tracing_setup::install();
    let sim = camsim(&["h264=h264_1080p", "h265=h265_720p", "bframes=h264_720p_bframes"]).await;
    let stack = sandbox(|_| {}).await;
    let mut ids = Vec::new();
    for name in ["h264", "h265", "bframes"] {
        let transport = if name == "h265" { Transport::Udp } else { Transport::Tcp };
        ids.push(stack.add_camera(name, sim.url(name), transport, None).await);
    }
    stack.add_user("viewer", VIEWER_PASSWORD, &["viewer"]).await;
    stack.add_user("auditor", VIEWER_PASSWORD, &["auditor"]).await;
    let control = stack.start_control().await;
    let media = stack.start_media();

    let hot = HotState::new(stack.env.redis_url(), format!("{}:", stack.prefix)).unwrap();
    for (_, stream) in &ids {
        wait_until("every camera online", Duration::from_secs(40), || async {
            let states = hot.stream_states(&[*stream]).await.ok()?;
            states.get(stream).filter(|s| s.status == vms_bus::hot::StreamStatus::Online).map(|_| ())
        })
        .await;
    }
    let rtsp = format!("rtsp://{}", stack.config.restream.listen);
    let url = |camera: Uuid| format!("{rtsp}/{camera}/main");

    // 30 s of each stream, read at once, each with a ticket from the API.
    let mut probes = Vec::new();
    for (camera, _) in &ids {
        let with_ticket = format!("{}?ticket={}", url(*camera), ticket(&stack, "viewer", *camera).await);
        probes.push(tokio::spawn(async move { probe(with_ticket, "tcp", 30).await }));
    }
    // Three more readers of one camera: the camera still serves one session.
    let (h264, _) = ids[0];
    let mut extra = Vec::new();
    for _ in 0..3 {
        let with_ticket = format!("{}?ticket={}", url(h264), ticket(&stack, "viewer", h264).await);
        extra.push(tokio::spawn(async move { probe(with_ticket, "tcp", 6).await }));
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(sim.sessions_playing("h264"), 1, "one camera session however many read it");
    for reader in extra {
        let (report, _) = reader.await.unwrap();
        assert!(report["packets"].as_array().is_some_and(|p| p.len() > 100), "every reader gets the stream");
    }
    let expected = [("h264", 1920, 1080), ("hevc", 1280, 720), ("h264", 1280, 720)];
    for (probed, (codec, width, height)) in probes.into_iter().zip(expected) {
        let (report, warnings) = probed.await.unwrap();
        assert!(warnings.trim().is_empty(), "{codec}: ffprobe warned: {warnings}");
        let stream = &report["streams"][0];
        assert_eq!(stream["codec_name"], codec);
        assert_eq!((stream["width"].as_u64(), stream["height"].as_u64()), (Some(width), Some(height)));
        assert_eq!(stream["r_frame_rate"], "25/1", "{codec}");
        let mut pts: Vec<i64> =
            report["packets"].as_array().unwrap().iter().filter_map(|p| p["pts"].as_i64()).collect();
        pts.sort_unstable();
        assert!(pts.len() >= 740, "{codec} {width}x{height}: {} frames in 30 s", pts.len());
        let gaps: Vec<i64> = pts.windows(2).map(|w| w[1] - w[0]).filter(|d| *d != 3600).collect();
        assert!(gaps.is_empty(), "{codec} {width}x{height}: timestamps jump: {gaps:?}");
    }

    // A VMS user name and password, as VLC sends them (Basic), over both transports.
    let with_password = url(h264).replace("rtsp://", &format!("rtsp://viewer:{VIEWER_PASSWORD}@"));
    for transport in ["tcp", "udp"] {
        let args = ["-v", "warning", "-rtsp_transport", transport, "-i", &with_password, "-t", "4"];
        let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        args.extend(["-c", "copy", "-f", "null", "-"].map(String::from));
        let (ok, _, err) = run("ffmpeg", args).await;
        assert!(ok && err.trim().is_empty(), "ffmpeg -c copy over {transport}: {err}");
    }

    // Everyone else is refused, with the status that says why.
    let refused = |url: String| async move {
        let args = ["-v", "error", "-rtsp_transport", "tcp", "-show_entries", "stream=codec_name", &url];
        let (ok, _, err) = run("ffprobe", args.iter().map(|a| a.to_string()).collect()).await;
        assert!(!ok, "{url} should be refused");
        err
    };
    let reused = format!("{}?ticket={}", url(h264), ticket(&stack, "viewer", h264).await);
    probe(reused.clone(), "tcp", 1).await;
    let wrong_camera = format!("{}?ticket={}", url(ids[1].0), ticket(&stack, "viewer", h264).await);
    let cases = [
        (url(h264), "401", "no credentials"),
        (with_password.replace(VIEWER_PASSWORD, "Wrong-password-1"), "401", "a wrong password"),
        (with_password.replace("viewer:", "auditor:"), "403", "a user without camera.view_live"),
        (reused, "401", "a ticket used before"),
        (wrong_camera, "403", "another camera's ticket"),
        (format!("{}?ticket=v1.forged.signature", url(h264)), "401", "a forged ticket"),
        (url(Uuid::new_v4()), "404", "an unknown camera"),
    ];
    for (url, status, what) in cases {
        let err = refused(url).await;
        assert!(err.contains(status), "{what}: expected {status}, got {err}");
    }
    assert!(!media.task.is_finished(), "the media plane is still running");

    media.stop().await;
    control.stop().await;
    sim.stop().await;
}
