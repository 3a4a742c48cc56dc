//! Live egress through the control plane's origin (`/api/live/...`): fMP4
//! over WebSocket and LL-HLS, checked by decoding what arrives with ffmpeg,
//! and WHEP, checked with a real WebRTC peer (str0m) that receives H.264
//! pictures over ICE, DTLS and SRTP, on UDP and on the ICE-TCP fallback. Tickets are single-use per viewer.

mod common;

use std::{process::Command, time::Duration};

use common::{
    stack::{camsim, sandbox},
    wait_until,
};
use futures::StreamExt;
use serde_json::Value;
use tokio_tungstenite::tungstenite::{self, Message};
use uuid::Uuid;
use vms_catalog::camera::Transport;
use vms_sandbox::Sandbox;
use vms_testkit::whep;

const PASSWORD: &str = "Operator-password-1";

struct Viewer<'a> {
    stack: &'a Sandbox,
    http: String,
    token: String,
    client: reqwest::Client,
}

impl Viewer<'_> {
    async fn ticket(&self, camera: Uuid) -> String {
        self.stack.ticket(&self.token, camera, "live").await
    }

    fn live(&self, camera: Uuid, what: &str, ticket: &str) -> String {
        format!("{}/api/live/{camera}/main/{what}?ticket={ticket}", self.http)
    }
}

/// Reads the WebSocket's description, init segment and `count` fragments.
async fn read_ws(url: &str, count: usize) -> (Value, Vec<u8>, Vec<Vec<u8>>) {
    let (mut socket, _) = tokio_tungstenite::connect_async(url.replace("http://", "ws://")).await.unwrap();
    let mut describe = Value::Null;
    let mut init = Vec::new();
    let mut fragments = Vec::new();
    while fragments.len() < count {
        let message = tokio::time::timeout(Duration::from_secs(10), socket.next()).await.unwrap().unwrap().unwrap();
        match message {
            Message::Text(text) => describe = serde_json::from_str(&text).unwrap(),
            Message::Binary(data) if init.is_empty() => init = data.to_vec(),
            Message::Binary(data) => fragments.push(data.to_vec()),
            _ => {}
        }
    }
    (describe, init, fragments)
}

/// Decodes a file with ffmpeg; returns the number of pictures, failing on any error.
fn decode(path: &std::path::Path) -> usize {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-count_frames", "-select_streams", "v:0"])
        .args(["-show_entries", "stream=nb_read_frames", "-of", "csv=p=0"])
        .arg(path)
        .output()
        .expect("ffprobe should be installed");
    assert!(out.status.success() && out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().trim_end_matches(',').parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn browsers_get_live_video_over_mse_ll_hls_and_webrtc() {
    vms_base::tracing_setup::install();
    let sim = camsim(&["h264=h264_1080p", "h265=h265_720p", "bframes=h264_720p_bframes"]).await;
    let stack = sandbox(|_| {}).await;
    let (h264, _) = stack.add_camera("h264", sim.url("h264"), Transport::Tcp, None).await;
    let (h265, _) = stack.add_camera("h265", sim.url("h265"), Transport::Tcp, None).await;
    let (bframes, _) = stack.add_camera("bframes", sim.url("bframes"), Transport::Tcp, None).await;
    stack.add_user("operator", PASSWORD, &["operator"]).await;
    let control = stack.start_control().await;
    let media = stack.start_media();
    let viewer = Viewer {
        stack: &stack,
        http: stack.http(),
        token: stack.login("operator", PASSWORD).await,
        client: reqwest::Client::new(),
    };
    for camera in [h264, h265, bframes] {
        wait_until("the stream's first keyframe", Duration::from_secs(40), || async {
            let url = format!("{}/api/cameras/{camera}/snapshot", viewer.http);
            let r = viewer.client.get(url).bearer_auth(&viewer.token).send().await.unwrap();
            r.status().is_success().then_some(())
        })
        .await;
    }
    let dir = tempfile::tempdir().unwrap();

    // MSE: H.264 (with and without B-frames) and H.265 arrive as decodable fMP4, starting at a keyframe.
    let cases = [(h264, "avc1.", (1920, 1080)), (h265, "hvc1", (1280, 720)), (bframes, "avc1.", (1280, 720))];
    for (camera, codec, size) in cases {
        let url = viewer.live(camera, "ws", &viewer.ticket(camera).await);
        let (describe, init, fragments) = read_ws(&url, 60).await;
        assert_eq!(describe["type"], "init");
        assert!(describe["codec"].as_str().unwrap().starts_with(codec), "{describe}");
        assert!(describe["mime"].as_str().unwrap().starts_with("video/mp4; codecs="), "{describe}");
        assert_eq!((describe["width"].as_u64(), describe["height"].as_u64()), (Some(size.0), Some(size.1)));
        let (boxes, _) = vms_codec::fmp4::boxes(&fragments[0]);
        let moof = boxes.iter().find(|b| &b.kind == b"moof").expect("a moof");
        let first = vms_codec::fmp4::parse_moof(&fragments[0][moof.start..moof.end]).unwrap();
        assert!(first.starts_with_keyframe, "a viewer starts at a keyframe");
        // Each picture says when it reached the media plane (a prft ahead of its moof), so the
        // player can tell when it falls behind; the newest one is live.
        let mut arrivals = Vec::new();
        for fragment in &fragments {
            let (boxes, _) = vms_codec::fmp4::boxes(fragment);
            assert_eq!(&boxes[0].kind, b"prft");
            let (arrived, media_time) =
                vms_codec::fmp4::parse_producer_reference_time(&fragment[..boxes[0].end]).unwrap();
            let moof = vms_codec::fmp4::parse_moof(&fragment[boxes[1].start..boxes[1].end]).unwrap();
            assert_eq!(media_time, moof.base_dts, "the prft names the picture of its moof");
            arrivals.push((vms_codec::ntp::to_unix_micros(arrived) / 1000) as i64);
        }
        let now = chrono::Utc::now().timestamp_millis();
        assert!(arrivals.windows(2).all(|w| w[0] <= w[1]), "arrivals in order: {arrivals:?}");
        let newest = now - arrivals[59];
        assert!((0..1500).contains(&newest), "the last picture arrived {newest} ms ago: {arrivals:?} (now {now})");
        let file = dir.path().join(format!("{camera}.mp4"));
        std::fs::write(&file, [init, fragments.concat()].concat()).unwrap();
        assert_eq!(decode(&file), 60, "every picture sent decodes");
    }

    // A ticket opens one viewer only; none at all is refused too.
    let ticket = viewer.ticket(h264).await;
    let url = viewer.live(h264, "ws", &ticket);
    let (_first, _) = tokio_tungstenite::connect_async(url.replace("http://", "ws://")).await.unwrap();
    for url in [url.clone(), url.replace(&format!("?ticket={ticket}"), "")] {
        match tokio_tungstenite::connect_async(url.replace("http://", "ws://")).await {
            Err(tungstenite::Error::Http(response)) => assert_eq!(response.status(), 401),
            other => panic!("a spent or missing ticket must be refused: {:?}", other.map(|_| ())),
        }
    }

    // LL-HLS: ~200 ms parts, blocking reload, and ffmpeg plays it.
    let index =
        viewer.client.get(viewer.live(h264, "hls/index.m3u8", &viewer.ticket(h264).await)).send().await.unwrap();
    assert_eq!(index.status(), 200);
    let index = index.text().await.unwrap();
    let media_path = index.lines().find(|l| l.ends_with("media.m3u8")).expect("a variant");
    let media_url = format!("{}/api/live/{h264}/main/hls/{media_path}", viewer.http);
    let playlist = viewer.client.get(&media_url).send().await.unwrap().text().await.unwrap();
    assert!(playlist.contains("#EXT-X-PART-INF:PART-TARGET=0.200"), "{playlist}");
    assert!(playlist.contains("CAN-BLOCK-RELOAD=YES"), "{playlist}");
    let hint = playlist.lines().find_map(|l| l.strip_prefix("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"part")).unwrap();
    let (msn, part) = hint.trim_end_matches(".m4s\"").split_once('.').unwrap();
    let blocked = viewer.client.get(format!("{media_url}?_HLS_msn={msn}&_HLS_part={part}")).send().await.unwrap();
    let blocked = blocked.text().await.unwrap();
    assert!(blocked.contains(&format!("URI=\"part{msn}.{part}.m4s\"")), "the playlist waited for the part: {blocked}");
    let durations: Vec<f64> = blocked
        .lines()
        .filter_map(|l| l.strip_prefix("#EXT-X-PART:DURATION="))
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert!(durations.len() >= 2 && durations.iter().all(|d| *d <= 0.2 + 1e-6 && *d >= 0.1), "{durations:?}");
    // ffmpeg reads whole segments only: wait (blocking reload) until two are complete.
    let whole = viewer.client.get(format!("{media_url}?_HLS_msn=2")).send().await.unwrap().text().await.unwrap();
    assert!(whole.contains("seg1.m4s"), "{whole}");
    let recorded = dir.path().join("hls.mp4");
    let hls_url = viewer.live(h264, "hls/index.m3u8", &viewer.ticket(h264).await);
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i", &hls_url, "-t", "4", "-c", "copy", "-y"])
        .arg(&recorded)
        .output()
        .unwrap();
    assert!(out.status.success() && out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(decode(&recorded) >= 75, "ffmpeg read seconds of LL-HLS");

    // WebRTC: H.264 pictures arrive at a real peer; H.265 is refused with a reason.
    let mut peer = whep::Viewer::connect(&viewer.live(h264, "whep", &viewer.ticket(h264).await)).await.unwrap();
    let mut pictures = Vec::new();
    while pictures.len() < 50 {
        let next = tokio::time::timeout(Duration::from_secs(20), peer.next()).await;
        pictures.push(next.expect("pictures arrive over WebRTC").unwrap());
    }
    assert!(pictures[0].keyframe, "the first picture is a keyframe");
    let stamped = pictures.iter().filter_map(|p| p.arrived_at_server).count();
    assert_eq!(stamped, pictures.len(), "every picture says when it reached the media plane (abs-capture-time)");
    assert!(pictures.iter().all(|p| p.bytes > 100));
    assert!(peer.session().contains(&format!("/api/live/{h264}/main/whep/")), "{}", peer.session());
    assert_eq!(peer.leave().await.unwrap(), 204, "the viewer leaves with DELETE");
    // Where UDP is blocked, the same over ICE-TCP.
    let mut tcp = whep::Viewer::connect_tcp(&viewer.live(h264, "whep", &viewer.ticket(h264).await)).await.unwrap();
    for i in 0..25 {
        let picture = tokio::time::timeout(Duration::from_secs(20), tcp.next()).await;
        let picture = picture.expect("pictures arrive over ICE-TCP").unwrap();
        assert!(i > 0 || picture.keyframe, "the first picture over TCP is a keyframe");
    }
    assert_eq!(tcp.leave().await.unwrap(), 204);
    let refused = whep::post_offer(&viewer.live(h265, "whep", &viewer.ticket(h265).await)).await.unwrap();
    assert_eq!(refused.status(), 415);
    // Browsers play WebRTC video in arrival order: B-frames go to MSE instead.
    let refused = whep::post_offer(&viewer.live(bframes, "whep", &viewer.ticket(bframes).await)).await.unwrap();
    assert_eq!(refused.status(), 415);
    let why: Value = refused.json().await.unwrap();
    assert_eq!(why["code"], "unsupported_media");
    assert!(why["message"].as_str().unwrap().contains("B-frames"), "{why}");
    let bad = viewer
        .client
        .post(viewer.live(h264, "whep", &viewer.ticket(h264).await))
        .header("content-type", "application/sdp")
        .body("v=0\r\nthis is not sdp")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400, "a malformed offer gets a clear error");
    let why: Value = bad.json().await.unwrap();
    assert_eq!(
        (why["code"].as_str(), why["message"].as_str()),
        (Some("invalid_argument"), Some("malformed SDP offer"))
    );
    assert!(!why.to_string().contains("0x"), "no parser internals (heap addresses) in {why}");

    // Stopping the media plane lets go of its ports even while viewers are
    // connected, so a plane started again at once serves them.
    let mut held = whep::Viewer::connect(&viewer.live(h264, "whep", &viewer.ticket(h264).await)).await.unwrap();
    let mut held_tcp = whep::Viewer::connect_tcp(&viewer.live(h264, "whep", &viewer.ticket(h264).await)).await.unwrap();
    for peer in [&mut held, &mut held_tcp] {
        tokio::time::timeout(Duration::from_secs(20), peer.next()).await.expect("a picture").unwrap();
    }
    media.stop().await;
    let media = stack.start_media();
    let mut back = wait_until("WebRTC through the restarted media plane", Duration::from_secs(30), || async {
        whep::Viewer::connect(&viewer.live(h264, "whep", &viewer.ticket(h264).await)).await.ok()
    })
    .await;
    let picture = tokio::time::timeout(Duration::from_secs(20), back.next()).await;
    assert!(picture.expect("pictures arrive after the restart").unwrap().keyframe);
    drop((held, held_tcp, back));

    // Clear errors: an unknown camera, and a media plane that went away.
    let unknown = viewer.client.get(viewer.live(Uuid::new_v4(), "hls/index.m3u8", "x")).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    media.stop().await;
    let gone = viewer.client.get(viewer.live(h264, "hls/index.m3u8", &viewer.ticket(h264).await)).send().await.unwrap();
    assert_eq!(gone.status(), 503);
    assert!(gone.text().await.unwrap().contains("media plane"));
    control.stop().await;
}
