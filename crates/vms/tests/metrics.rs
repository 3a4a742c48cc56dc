//! Prometheus metrics of a running system: each process serves its own on
//! its metrics listener, the figures match what the test did (pictures the
//! simulated camera sent against those the media plane counts, its frame
//! rate against the clip's 25 fps, the bytes the recorder counts against
//! those on disk), Prometheus's own linter accepts every exposition, and a
//! real Prometheus scrapes them all.

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

/// A Prometheus server (Debian's) scraping `targets` every second.
struct Prometheus {
    child: tokio::process::Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl Prometheus {
    async fn start(targets: &[(&str, std::net::SocketAddr)]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let jobs: String = targets
            .iter()
            .map(|(name, addr)| format!("  - job_name: {name}\n    static_configs:\n      - targets: [\"{addr}\"]\n"))
            .collect();
        let config = format!("global:\n  scrape_interval: 2s\n  scrape_timeout: 2s\nscrape_configs:\n{jobs}");
        std::fs::write(dir.path().join("prometheus.yml"), config).unwrap();
        let port = vms_testkit::free_port();
        let child = tokio::process::Command::new("prometheus")
            .arg(format!("--config.file={}", dir.path().join("prometheus.yml").display()))
            .arg(format!("--storage.tsdb.path={}", dir.path().join("data").display()))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(dir.path().join("prometheus.log")).unwrap())
            .kill_on_drop(true)
            .spawn()
            .expect("prometheus is missing: scripts/setup.sh installs Debian's prometheus package");
        Self { child, url: format!("http://127.0.0.1:{port}"), _dir: dir }
    }

    /// Queries `expr` until its first result's value passes `ok`; returns it.
    async fn query_until(&self, what: &str, expr: &str, ok: impl Fn(f64) -> bool) -> f64 {
        let client = reqwest::Client::new();
        wait_until(what, Duration::from_secs(30), || async {
            let answer =
                client.get(format!("{}/api/v1/query", self.url)).query(&[("query", expr)]).send().await.ok()?;
            let body: serde_json::Value = answer.json().await.ok()?;
            let value: f64 = body["data"]["result"][0]["value"][1].as_str()?.parse().ok()?;
            ok(value).then_some(value)
        })
        .await
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

/// The metric names (`vms_…`, `process_…`) a text mentions.
fn metric_names(text: &str) -> Vec<&str> {
    let word = |c: char| c.is_ascii_lowercase() || c == '_';
    let mut names = Vec::new();
    for (at, _) in text.match_indices("vms_").chain(text.match_indices("process_")) {
        if text[..at].chars().next_back().is_some_and(|c| word(c) || c.is_ascii_alphanumeric()) {
            continue;
        }
        let end = text[at..].find(|c: char| !word(c)).map_or(text.len(), |n| at + n);
        names.push(&text[at..end]);
    }
    names
}

/// Every file under `dir`.
fn files_under(dir: &std::path::Path) -> Vec<std::fs::DirEntry> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if entry.file_type().unwrap().is_dir() {
            found.extend(files_under(&entry.path()));
        } else {
            found.push(entry);
        }
    }
    found
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
    // Retention measures the roots each sweep: every second here. The root has
    // a quota (far above what the test records), so it is shown too.
    let stack = sandbox(|c| {
        c.recording.retention_interval_secs = 1;
        let path = c.data_dir.join("recordings");
        c.recording.roots = vec![vms_config::StorageRoot { path, max_bytes: Some(10 << 30) }];
    })
    .await;
    let (camera, _) = stack.add_camera("cam", sim.url("cam"), Transport::Tcp, None).await;
    stack.add_user("watcher", "Watcher-password-1", &["viewer"]).await;
    let _control = stack.start_control().await;
    let _media = stack.start_media();
    let _recorder = stack.start_recorder();
    let (media, control, recorder) =
        (stack.config.metrics.media, stack.config.metrics.control, stack.config.metrics.recorder);
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
        // At most 3 s of pictures still on their way on a busy machine.
        received <= sent_after as f64 && received >= sent_before as f64 - 75.0,
        "received {received}, while the camera sent {sent_before}..{sent_after}"
    );
    let fps = sample(&text, "vms_stream_fps", &labels).unwrap();
    assert!((15.0..=35.0).contains(&fps), "the clip runs at 25 fps, the gauge says {fps}");
    assert!(sample(&text, "vms_stream_bitrate_bytes_per_second", &labels).unwrap() > 10_000.0, "{text}");
    assert!(sample(&text, "vms_stream_received_bytes_total", &labels).unwrap() > received * 100.0, "{text}");
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs_f64();
    let keyframe = sample(&text, "vms_stream_last_keyframe_timestamp_seconds", &labels).unwrap();
    assert!(now - keyframe < 10.0, "a keyframe every 2 s; the last came {} s ago", now - keyframe);
    for state in ["connecting", "offline"] {
        assert_eq!(sample(&text, "vms_stream_state", &format!(r#"{labels},state="{state}""#)), Some(0.0));
    }
    assert_eq!(sample(&text, "vms_stream_reconnects_total", &labels), Some(0.0), "{text}");
    assert!(sample(&text, "vms_stream_frames_dropped_total", &labels).is_some(), "{text}");
    assert!(!text.contains("rtsp://"), "no URL in a label: {text}");
    vms_testkit::promtool_check_metrics(&text);

    // A browser watching over MSE is counted as a viewer of the stream, while it watches.
    let token = stack.login("watcher", "Watcher-password-1").await;
    let ticket = stack.ticket(&token, camera, "live").await;
    let url = format!("ws://{}/api/live/{camera}/main/ws?ticket={ticket}", stack.config.control.listen);
    let (socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let watching = format!(r#"{labels},transport="mse""#);
    wait_until("the MSE viewer counted", Duration::from_secs(10), || async {
        (sample(&scrape(media).await, "vms_stream_viewers", &watching) == Some(1.0)).then_some(())
    })
    .await;
    drop(socket);
    wait_until("the viewer gone", Duration::from_secs(10), || async {
        sample(&scrape(media).await, "vms_stream_viewers", &watching).is_none().then_some(())
    })
    .await;

    // The recorder counts what it wrote: at most what is on disk now (a
    // fragment is counted once synced), and no more than the files' headers
    // and a GOP in flight less.
    let root = stack.config.recording_roots()[0].path.clone();
    let written_labels = labels.clone();
    let text = wait_until("the recorder's first fragments", Duration::from_secs(60), || async {
        let text = scrape(recorder).await;
        sample(&text, "vms_recorder_written_bytes_total", &written_labels).is_some_and(|n| n > 0.0).then_some(text)
    })
    .await;
    let on_disk: u64 = files_under(&root).iter().map(|f| f.metadata().unwrap().len()).sum();
    let written = sample(&text, "vms_recorder_written_bytes_total", &labels).unwrap();
    assert!(
        written <= on_disk as f64 && written >= on_disk as f64 - 2_000_000.0,
        "counted {written} bytes written, {on_disk} on disk"
    );
    assert!(text.contains("vms_recorder_fragment_write_seconds_count "), "{text}");
    let root_label = format!(r#"root="{}""#, root.display());
    let text = wait_until("the root measured", Duration::from_secs(20), || async {
        let text = scrape(recorder).await;
        sample(&text, "vms_storage_free_bytes", &root_label).is_some_and(|b| b > 0.0).then_some(text)
    })
    .await;
    assert!(sample(&text, "vms_storage_size_bytes", &root_label).is_some_and(|b| b > 0.0), "{text}");
    assert_eq!(sample(&text, "vms_storage_quota_bytes", &root_label), Some((10u64 << 30) as f64), "{text}");
    assert_eq!(sample(&text, "vms_retention_removed_files_total", r#"reason="age""#), Some(0.0), "{text}");
    let lag = text.lines().find_map(|l| l.strip_prefix("vms_recorder_index_lag_seconds ")).unwrap();
    assert!(lag.parse::<f64>().unwrap() < 30.0, "the index keeps up with the files: {lag} s behind");
    assert_eq!(sample(&text, "vms_recorder_index_updates_dropped_total", r#"reason="shed""#), Some(0.0), "{text}");
    vms_testkit::promtool_check_metrics(&text);

    // Every figure the Grafana dashboard draws is one the processes export
    // (the analytics plane's: in tests/analytics.rs, which runs a model).
    let exported = [scrape(control).await, scrape(media).await, text.clone()].concat();
    let dashboard =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/grafana/vms-dashboard.json")).unwrap();
    for name in metric_names(&dashboard).into_iter().filter(|n| !n.starts_with("vms_analytics_")) {
        let family = ["_bucket", "_sum", "_count"].iter().fold(name, |n, s| n.strip_suffix(s).unwrap_or(n));
        assert!(
            exported.contains(&format!("# TYPE {family} "))
                || exported.contains(&format!("\n{name} "))
                || exported.contains(&format!("\n{name}{{")),
            "the dashboard draws {name}, which no process exports"
        );
    }

    // A real Prometheus scrapes the three, and answers queries over what it got.
    let prometheus = Prometheus::start(&[("control", control), ("media", media), ("recorder", recorder)]).await;
    let up = prometheus.query_until("up == 1 for every process", "count(up == 1)", |v| v == 3.0).await;
    assert_eq!(up, 3.0);
    let fps = format!(r#"vms_stream_fps{{camera="{camera}"}}"#);
    let seen = prometheus.query_until("the stream's fps in Prometheus", &fps, |v| v > 0.0).await;
    assert!((15.0..=35.0).contains(&seen), "{seen}");
    drop(prometheus);

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
    let cameras = reqwest::Client::new().get(format!("{}/api/cameras", stack.http())).bearer_auth(&token);
    assert!(cameras.send().await.unwrap().status().is_success());
    let text = scrape(control).await;
    let listed = sample(&text, "vms_api_requests_total", r#"route="/api/cameras",method="GET",status="200""#);
    assert_eq!(listed, Some(1.0), "{text}");
    assert!(text.contains("process_resident_memory_bytes"), "{text}");
    vms_testkit::promtool_check_metrics(&text);
}
