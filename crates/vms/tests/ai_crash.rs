//! Crash containment: the analytics plane killed with SIGKILL while it runs
//! the person model on real footage (both cores busy). Recording and live
//! view never notice: the recorder's footage has no gap across the kill and a
//! restream viewer keeps receiving pictures. Started again (as `vms up`'s
//! supervisor would; that restart is checked in supervisor.rs), the plane
//! resumes and reports people again.

mod common;

use std::{
    process::Stdio,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use chrono::{TimeDelta, Utc};
use common::stack::{camsim, sandbox};
use futures::StreamExt;
use tokio::io::AsyncBufReadExt;
use vms_bus::{Subjects, events::Event};

/// The spawned plane's environment for the real person model.
fn with_model(command: &mut std::process::Command) {
    let model = std::env::var("VMS_PERSON_MODEL").expect(
        "VMS_PERSON_MODEL is not set: run scripts/setup.sh and source scripts/env.sh (scripts/test.sh does both)",
    );
    let labels =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../vms-ai/testdata/models/fall_detection.labels");
    command.env("VMS_ANALYTICS_MODEL", model).env("VMS_ANALYTICS_LABELS", labels);
}

/// A plane process, killed (SIGKILL) when dropped, so a failing test leaves none behind.
struct Plane(std::process::Child);

impl Plane {
    fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Plane {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The next person the plane reports, within `limit`.
async fn next_person(events: &mut async_nats::Subscriber, limit: Duration) -> Event {
    let message = tokio::time::timeout(limit, events.next())
        .await
        .expect("no person reported in time")
        .expect("the subscription ended");
    serde_json::from_slice(&message.payload).expect("an event in the documented JSON")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killing_the_analytics_plane_under_load_touches_neither_recording_nor_live_view() {
    vms_base::tracing_setup::install();
    let sim = camsim(&["walkway=walkway_576p"]).await;
    // Files of 4 s, so the footage around the kill is indexed soon after.
    let stack = sandbox(|c| c.recording.segment_secs = 4).await;
    let (camera, _) = stack.add_camera("walkway", sim.url("walkway"), vms_catalog::camera::Transport::Tcp, None).await;
    let control = stack.start_control().await;
    let media = stack.start_media();
    let recorder = stack.start_recorder();
    let nats = vms_bus::nats::connect(stack.env.nats_url(), "ai-crash-test").await.unwrap();
    let subjects = Subjects::new(stack.prefix.clone());
    let objects = subjects.event(&stack.tenant.to_string(), &camera.to_string(), "object");
    let mut events = nats.subscribe(objects).await.unwrap();
    let spawn_ai = || {
        let mut command = stack.command(&["run", "ai"]);
        with_model(&mut command);
        Plane(command.spawn().expect("failed to start vms run ai"))
    };
    let mut ai = spawn_ai();

    // The plane finds people: the model is busy.
    let person = next_person(&mut events, Duration::from_secs(90)).await;
    assert_eq!(person.attributes["label"], "person", "{person:?}");

    // A live viewer of the restream, as VLC would be, once the stream is
    // pulled (a person seen means it is); ffmpeg says how many pictures it has had.
    let mut viewer = tokio::process::Command::new("ffmpeg")
        .args(["-v", "error", "-rtsp_transport", "tcp", "-i", &stack.restream_url(camera)])
        .args(["-t", "180", "-c", "copy", "-f", "null", "-", "-progress", "pipe:1", "-stats_period", "0.25"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("ffmpeg should be installed");
    // When each count of pictures was reported.
    let seen: Arc<Mutex<Vec<(Instant, u64)>>> = Default::default();
    let progress = seen.clone();
    let mut lines = tokio::io::BufReader::new(viewer.stdout.take().unwrap()).lines();
    tokio::spawn(async move {
        while let Ok(Some(line)) = lines.next_line().await {
            if let Some(n) = line.strip_prefix("frame=").and_then(|n| n.trim().parse().ok()) {
                progress.lock().unwrap().push((Instant::now(), n));
            }
        }
    });

    tokio::time::sleep(Duration::from_secs(3)).await;

    // Recording has been going for a while: the footage before the kill is there to compare with.
    let recording_since = || async {
        let mut tx = vms_catalog::scope::begin(&stack.db.pool, vms_catalog::Scope::AllTenants).await.unwrap();
        let now = Utc::now();
        let found = vms_catalog::recording::stretches(&mut *tx, &[camera], "main", now - TimeDelta::minutes(5), now)
            .await
            .unwrap();
        found.last().map(|s| s.start_time)
    };
    tokio::time::timeout(Duration::from_secs(60), async {
        while recording_since().await.is_none_or(|since| since > Utc::now() - TimeDelta::seconds(8)) {
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    })
    .await
    .expect("the recorder records");

    // SIGKILL, mid-inference.
    // To the microsecond, as the catalog keeps times.
    let killed = chrono::DateTime::from_timestamp_micros(Utc::now().timestamp_micros()).unwrap();
    let killed_at = Instant::now();
    ai.kill();
    tokio::time::sleep(Duration::from_secs(10)).await;

    // Started again, it resumes: people are reported again, under new events.
    let mut ai = spawn_ai();
    while let Ok(Some(_)) = tokio::time::timeout(Duration::from_millis(100), events.next()).await {}
    let again = next_person(&mut events, Duration::from_secs(90)).await;
    assert_eq!(again.attributes["label"], "person", "{again:?}");
    assert!(again.start > killed, "a new event after the restart: {again:?}");

    // Live view went on: pictures kept coming through the kill and the restart, never stalling a second.
    let counts = seen.lock().unwrap().clone();
    let around: Vec<&(Instant, u64)> = counts
        .iter()
        .filter(|(t, _)| *t + Duration::from_secs(5) >= killed_at && *t <= killed_at + Duration::from_secs(15))
        .collect();
    assert!(around.len() >= 40, "the viewer reported {} times around the kill", around.len());
    let stalled =
        around.windows(2).filter(|w| w[1].1 == w[0].1 && w[1].0 - w[0].0 >= Duration::from_millis(200)).count();
    let pictures = around.last().unwrap().1 - around[0].1;
    assert!(pictures >= 15 * 20, "the viewer got {pictures} pictures in the 20 s around the kill (25 a second sent)");
    let longest = around.windows(2).map(|w| w[1].0 - w[0].0).max().unwrap_or_default();
    assert!(longest < Duration::from_secs(1), "the viewer waited {longest:?} for a report ({stalled} stalls)");

    // Recording went on: one stretch of footage from before the kill to after it.
    let window = (killed - TimeDelta::seconds(5), killed + TimeDelta::seconds(15));
    let stretches = || async {
        let mut tx = vms_catalog::scope::begin(&stack.db.pool, vms_catalog::Scope::AllTenants).await.unwrap();
        vms_catalog::recording::stretches(&mut *tx, &[camera], "main", window.0, window.1).await.unwrap()
    };
    let covered = tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            let found = stretches().await;
            if found.len() == 1 && found[0].start_time == window.0 && found[0].end_time == window.1 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    })
    .await;
    assert!(covered.is_ok(), "footage around the kill: {:?}", stretches().await);

    ai.kill();
    recorder.stop().await;
    media.stop().await;
    control.stop().await;
    sim.stop().await;
}
