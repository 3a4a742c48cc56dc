//! `vms-bench live`: live egress to browsers.
//!
//! - vms-media CPU with V WebRTC viewers of one camera (str0m peers in this
//!   process, receiving over ICE/DTLS/SRTP like a browser), against the same
//!   V viewers over MSE (fMP4 over WebSocket) and against no viewer at all,
//!   in the same run;
//! - in Chromium (`web/e2e/bench.mjs`): the time from opening a camera to
//!   its first decoded picture, median of 20, per transport, and the WebRTC
//!   latency to the screen: glass to glass, from camsim sending a picture to
//!   Chromium showing it (the picture's index is drawn into it), and in parts.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, SystemTime},
};

use anyhow::Context;
use futures::StreamExt;
use tokio::task::JoinSet;
use uuid::Uuid;
use vms_camsim::clip::{ClipSpec, IndexStrip};
use vms_testkit::whep;

use crate::{CLIP, Fixture, WARM_UP, procstat};

const USER: &str = "bench";
const PASSWORD: &str = "Bench-password-1";

/// Viewers of one kind, each counting the pictures it receives and, where
/// the sender stamps them, how long each took from its arrival at the media
/// plane to the viewer (milliseconds).
struct Viewers {
    tasks: JoinSet<()>,
    pictures: Arc<AtomicU64>,
    delays: Arc<Mutex<Vec<f64>>>,
}

impl Viewers {
    fn new() -> Self {
        Self { tasks: JoinSet::new(), pictures: Arc::default(), delays: Arc::default() }
    }

    /// Median and 95th percentile of the delays since the last call, in ms.
    fn take_delays(&self) -> Option<(f64, f64, usize)> {
        let mut delays = std::mem::take(&mut *self.delays.lock().expect("delays lock should not be poisoned"));
        if delays.is_empty() {
            return None;
        }
        delays.sort_by(f64::total_cmp);
        Some((delays[delays.len() / 2], delays[delays.len() * 95 / 100], delays.len()))
    }

    /// Pictures received so far by all of them.
    fn pictures(&self) -> u64 {
        self.pictures.load(Ordering::Relaxed)
    }
}

async fn webrtc_viewers(f: &Fixture, camera: Uuid, n: usize) -> anyhow::Result<Viewers> {
    let mut viewers = Viewers::new();
    for _ in 0..n {
        let mut viewer = whep::Viewer::connect(&f.sandbox.live_url(camera, "whep")).await?;
        let (count, delays) = (viewers.pictures.clone(), viewers.delays.clone());
        viewers.tasks.spawn(async move {
            while let Ok(picture) = viewer.next().await {
                count.fetch_add(1, Ordering::Relaxed);
                if let Some(Ok(delay)) = picture.arrived_at_server.map(|t| SystemTime::now().duration_since(t)) {
                    let mut delays = delays.lock().expect("delays lock should not be poisoned");
                    if delays.len() < 1_000_000 {
                        delays.push(delay.as_secs_f64() * 1000.0);
                    }
                }
            }
        });
    }
    Ok(viewers)
}

async fn mse_viewers(f: &Fixture, camera: Uuid, n: usize) -> anyhow::Result<Viewers> {
    let mut viewers = Viewers::new();
    for _ in 0..n {
        let url = f.sandbox.live_url(camera, "ws").replace("http://", "ws://");
        let (mut socket, _) = tokio_tungstenite::connect_async(url).await.context("MSE WebSocket")?;
        let count = viewers.pictures.clone();
        viewers.tasks.spawn(async move {
            while let Some(Ok(message)) = socket.next().await {
                if message.is_binary() {
                    count.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
    }
    Ok(viewers)
}

/// Measures media's CPU for `seconds` while `viewers` watch; returns CPU
/// seconds per viewer-minute (or per minute with none) and pictures per
/// viewer-second.
async fn measure(f: &Fixture, viewers: &Viewers, n: usize, seconds: u64) -> anyhow::Result<(f64, f64, f64)> {
    tokio::time::sleep(WARM_UP).await;
    // The GOP cache's burst at the start is old by design: only live pictures count.
    viewers.take_delays();
    let before = viewers.pictures();
    let (cpu, rss) = procstat::measure(&[f.media.pid()], seconds).await?;
    let pictures = (viewers.pictures() - before) as f64 / (n.max(1) as f64 * seconds as f64);
    Ok((cpu / (n.max(1) as f64 * seconds as f64 / 60.0), rss, pictures))
}

/// Runs the benchmark and prints the report.
pub(crate) async fn run(f: &mut Fixture, viewers: usize, seconds: u64) -> anyhow::Result<()> {
    f.grow_to(1).await?;
    let camera = f.added[0].0;

    let idle = measure(f, &Viewers::new(), 0, seconds).await?;
    let mut webrtc = webrtc_viewers(f, camera, viewers).await?;
    let with_webrtc = measure(f, &webrtc, viewers, seconds).await?;
    let webrtc_delay = webrtc.take_delays();
    webrtc.tasks.shutdown().await;
    let mut mse = mse_viewers(f, camera, viewers).await?;
    let with_mse = measure(f, &mse, viewers, seconds).await?;
    mse.tasks.shutdown().await;

    println!();
    println!("vms-media live egress: one camera ({CLIP}, 25 fps), {viewers} viewers, {seconds} s per run");
    println!();
    println!(
        "{:<22} | {:>24} | {:>13} | {:>22}",
        "viewers", "media CPU s/viewer-min", "media RSS MiB", "pictures/viewer/s"
    );
    println!("{:<22} | {:>24.3} | {:>13.1} | {:>22}", "none (ingest only)", idle.0, idle.1, "-");
    for (name, (cpu, rss, pictures)) in
        [(format!("{viewers} × WebRTC"), with_webrtc), (format!("{viewers} × MSE (baseline)"), with_mse)]
    {
        // The ingest's own share is taken out: what remains is the egress cost per viewer.
        let egress = cpu - idle.0 / viewers as f64;
        println!("{name:<22} | {egress:>24.3} | {rss:>13.1} | {pictures:>22.1}");
    }
    println!();
    println!(
        "CPU s/viewer-min: CPU seconds per viewer-minute spent on egress (ingest subtracted); 1.0 = one core per viewer."
    );
    match webrtc_delay {
        Some((median, p95, n)) => println!(
            "WebRTC, picture's arrival at the media plane → whole picture at the viewer (abs-capture-time): \
             median {median:.1} ms, p95 {p95:.1} ms over {n} pictures"
        ),
        None => println!("WebRTC: the media plane stamped no pictures with their arrival time"),
    }

    browser(f, camera).await
}

/// Time to first picture and WebRTC latency in Chromium.
async fn browser(f: &Fixture, camera: Uuid) -> anyhow::Result<()> {
    if !std::path::Path::new("web/dist/index.html").is_file() {
        println!("\nbrowser figures skipped: the web app is not built (scripts/bench.sh builds it)");
        return Ok(());
    }
    f.sandbox.add_user(USER, PASSWORD, &["operator"]).await;
    let spec = ClipSpec::named(CLIP).context("the benchmark clip")?;
    let strip = IndexStrip::for_height(spec.height);
    let out = tokio::process::Command::new("node")
        .arg("e2e/bench.mjs")
        .current_dir("web")
        .env("VMS_URL", f.sandbox.http())
        .env("VMS_USER", USER)
        .env("VMS_PASSWORD", PASSWORD)
        .env("VMS_CAMERA", camera.to_string())
        .env("VMS_INDEX_STRIP", format!("{},{},{}", strip.square, strip.left, strip.top))
        .output();
    let out = tokio::time::timeout(Duration::from_secs(600), out).await.context("the browser bench timed out")??;
    if !out.status.success() {
        anyhow::bail!("the browser bench failed:\n{}", String::from_utf8_lossy(&out.stderr));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let figures: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap_or("{}"))?;
    println!();
    println!("Chromium (headless, software decoding): opening a camera to its first decoded picture");
    println!("{:<8} | {:>10} | {:>8} | {:>8} | {:>3}", "", "median ms", "min ms", "max ms", "n");
    for protocol in ["webrtc", "mse", "hls"] {
        let p = &figures["first_frame_ms"][protocol];
        println!(
            "{protocol:<8} | {:>10.0} | {:>8.0} | {:>8.0} | {:>3}",
            p["median"].as_f64().unwrap_or(f64::NAN),
            p["min"].as_f64().unwrap_or(f64::NAN),
            p["max"].as_f64().unwrap_or(f64::NAN),
            p["n"].as_u64().unwrap_or(0)
        );
    }
    let latency = &figures["webrtc_latency_ms"];
    println!();
    let shown = latency["shown"].as_array().map_or(0, Vec::len);
    match glass_to_glass(f, &latency["shown"]) {
        Some((median, p95, n)) => println!(
            "WebRTC latency, glass to glass: camsim sends a picture → Chromium shows it (its index read from the \
             picture): median {median:.0} ms, p95 {p95:.0} ms over {n} of {shown} pictures shown"
        ),
        None => println!("WebRTC latency, glass to glass: no picture shown could be matched with its sending"),
    }
    let mut any = false;
    for (key, what) in [
        ("sender_reports", "media plane sends → screen (RTCP sender reports' NTP time, sampled by the player)"),
        ("capture", "capture (RTCP sender reports) → expected display"),
        ("receive", "last RTP packet received → expected display"),
    ] {
        if let Some(median) = latency[key]["median"].as_f64() {
            any = true;
            println!(
                "WebRTC latency, {what}: median {median:.0} ms, p95 {:.0} ms over {} pictures",
                latency[key]["p95"].as_f64().unwrap_or(f64::NAN),
                latency[key]["frames"].as_u64().unwrap_or(0)
            );
        }
    }
    if !any {
        println!("WebRTC latency: Chromium reported neither capture nor receive times");
    }
    Ok(())
}

/// Matches each picture Chromium showed (its clip index and expected display
/// time, ms since the Unix epoch) with camsim's latest sending of that
/// picture before it; returns the median and 95th percentile delay in ms.
fn glass_to_glass(f: &Fixture, shown: &serde_json::Value) -> Option<(f64, f64, usize)> {
    let mut delays: Vec<f64> = shown
        .as_array()?
        .iter()
        .filter_map(|s| {
            let index = usize::try_from(s["index"].as_u64()?).ok()?;
            let at = SystemTime::UNIX_EPOCH + Duration::from_secs_f64(s["at_ms"].as_f64()? / 1000.0);
            let sent = f.source.camsim()?.sent_at("c0", index).into_iter().rfind(|t| *t <= at)?;
            let delay = at.duration_since(sent).ok()?.as_secs_f64() * 1000.0;
            // A loop of the clip is 10 s: a longer delay is a misread index.
            (delay < 5000.0).then_some(delay)
        })
        .collect();
    if delays.is_empty() {
        return None;
    }
    delays.sort_by(f64::total_cmp);
    Some((delays[delays.len() / 2], delays[delays.len() * 95 / 100], delays.len()))
}
