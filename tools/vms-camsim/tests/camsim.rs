//! Real clients (ffprobe, ffmpeg) against the simulator: codecs, both
//! transports, timestamps continuous across loops, authentication and faults.

use std::{process::Command, time::Instant};

use vms_camsim::{Camsim, camera::Camera};

async fn camsim(cameras: &[&str]) -> Camsim {
    // Clips are generated once per build directory, not per test run.
    let clips = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("camsim-clips");
    let cameras = cameras.iter().map(|c| Camera::parse(c).unwrap()).collect();
    Camsim::start("127.0.0.1:0".parse().unwrap(), &clips, cameras).await.unwrap()
}

fn ffprobe(args: &[&str], url: &str) -> (bool, String) {
    let out = Command::new("ffprobe")
        .args(["-v", "error"])
        .args(args)
        .arg(url)
        .output()
        .expect("ffprobe should be installed");
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn streams_h264_and_h265_over_tcp_and_udp_with_continuous_timestamps() {
    let sim = camsim(&["h264_720p", "h265_720p", "bframes=h264_720p_bframes"]).await;
    for (camera, codec) in [("h264_720p", "h264"), ("h265_720p", "hevc")] {
        for transport in ["tcp", "udp"] {
            let url = sim.url(camera);
            let (ok, out) = blocking(move || {
                ffprobe(
                    &[
                        "-rtsp_transport",
                        transport,
                        "-show_entries",
                        "stream=codec_name,width,height,r_frame_rate",
                        "-of",
                        "csv=p=0",
                    ],
                    &url,
                )
            })
            .await;
            assert!(ok, "{camera}/{transport}: {out}");
            assert_eq!(out.trim(), format!("{codec},1280,720,25/1"), "{camera}/{transport}");
        }
    }
    // 12 s crosses the 10 s loop: every frame one step (3600 ticks) after the last, B-frames included.
    for camera in ["h264_720p", "bframes"] {
        let url = sim.url(camera);
        let (ok, out) = blocking(move || {
            ffprobe(
                &[
                    "-rtsp_transport",
                    "tcp",
                    "-read_intervals",
                    "%+12",
                    "-select_streams",
                    "v",
                    "-show_entries",
                    "packet=pts",
                    "-of",
                    "csv=p=0",
                ],
                &url,
            )
        })
        .await;
        assert!(ok, "{out}");
        let mut pts: Vec<i64> = out.lines().filter_map(|l| l.trim_end_matches(',').parse().ok()).collect();
        pts.sort_unstable();
        assert!(pts.len() >= 290, "{camera}: only {} frames in 12 s", pts.len());
        assert!(pts.windows(2).all(|w| w[1] - w[0] == 3600), "{camera}: timestamps jump");
    }
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn authentication_and_faults_behave_like_real_cameras() {
    let sim = camsim(&["cam=h264_720p?auth=digest&user=op&password=Secret1"]).await;
    let base = format!("rtsp://{}/cam", sim.addr());
    let with = format!("rtsp://op:Secret1@{}/cam", sim.addr());
    let wrong = format!("rtsp://op:nope@{}/cam", sim.addr());
    let (ok, out) =
        blocking(move || ffprobe(&["-rtsp_transport", "tcp", "-show_entries", "stream=codec_name"], &base)).await;
    assert!(!ok && out.contains("401"), "{out}");
    let (ok, out) =
        blocking(move || ffprobe(&["-rtsp_transport", "tcp", "-show_entries", "stream=codec_name"], &wrong)).await;
    assert!(!ok && out.contains("401"), "{out}");
    let (ok, out) =
        blocking(move || ffprobe(&["-rtsp_transport", "tcp", "-show_entries", "stream=codec_name"], &with)).await;
    assert!(ok, "{out}");

    // drop_after: the connection closes on time.
    let dropping = format!("rtsp://op:Secret1@{}/cam?drop_after=1.5", sim.addr());
    let started = Instant::now();
    let status = blocking(move || {
        Command::new("ffmpeg")
            .args(["-v", "error", "-rtsp_transport", "tcp", "-i", &dropping, "-f", "null", "-"])
            .status()
            .unwrap()
    })
    .await;
    let took = started.elapsed().as_secs_f64();
    assert!((1.4..6.0).contains(&took), "dropped after {took:.1} s ({status})");

    // switch_after: the resolution changes mid-stream at the end of a loop.
    let switching = format!("rtsp://op:Secret1@{}/cam?switch_after=1", sim.addr());
    let (ok, out) = blocking(move || {
        ffprobe(
            &[
                "-rtsp_transport",
                "tcp",
                "-read_intervals",
                "%+12",
                "-select_streams",
                "v",
                "-show_entries",
                "frame=width",
                "-of",
                "csv=p=0",
            ],
            &switching,
        )
    })
    .await;
    assert!(ok, "{out}");
    let widths: std::collections::BTreeSet<&str> =
        out.lines().map(|l| l.trim().trim_end_matches(',')).filter(|l| !l.is_empty()).collect();
    assert_eq!(widths.into_iter().collect::<Vec<_>>(), vec!["1280", "1920"], "both resolutions appear");
    sim.stop().await;
}
