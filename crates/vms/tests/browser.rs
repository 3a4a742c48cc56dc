//! The web app in a real browser: Debian's Chromium, driven by Playwright
//! (`web/e2e/live.mjs`), signs in and plays a 2×2 layout of camsim cameras
//! over WebRTC, MSE and LL-HLS, checking that every tile decodes pictures,
//! saves the layout for the user, and lays out on a phone-sized screen.
//! `web/e2e/layout.mjs` drags a camera from the tree onto a tile and puts a
//! tile, then the grid, full screen; `web/e2e/slow-link.mjs` throttles an MSE
//! viewer's link until it notices it falls behind and catches up;
//! `web/e2e/signout.mjs` signs out and shows the server refuses the tab's old
//! refresh and access tokens. Then (`web/e2e/resilience.mjs`) tiles out
//! of view stop their streams, and after a media plane restart every tile
//! plays again by itself.
//! A second test records a camera and runs `web/e2e/playback.mjs`: a deep
//! link to its playback shows the recorded stretches on the timeline (a
//! thumbnail on hover, the wheel zooms), plays them (1×, a frame step, 8×
//! from the I-frame playlist) and survives a reload; a user without archive
//! rights is refused at the same link.
//! A third runs `web/e2e/events.mjs`: an event posted by an integration
//! arrives live on the events screen with its rule's snapshot and
//! notification, is acknowledged, filtered and opened in playback; an
//! administrator bookmarks a minute from playback, locks and unlocks it,
//! and exports a minute, verified in the browser and downloaded; the
//! health screen shows the camera recording and the storage root; a user
//! made on the admin screen with a role on one camera sees only it.
//! The tests take turns: each starts a whole system and a browser.
//! Screenshots go to `web/test-results/`.
//!
//! Needs the built app (`web/dist`) and its Node modules: `scripts/test.sh`
//! builds them before the Rust tests.

mod common;

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use tokio::io::{AsyncBufReadExt, BufReader};

use common::{
    stack::{camsim, sandbox},
    wait_until,
};
use vms_catalog::camera::Transport;
use vms_sandbox::Sandbox;

const PASSWORD: &str = "Viewer-password-1";

/// Held by each test for its whole run, so the two never share the machine.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Checks the built app and Chromium are there; returns the app's folder.
fn web_app() -> PathBuf {
    let web = web();
    assert!(
        web.join("dist/index.html").is_file() && web.join("node_modules/playwright-core").is_dir(),
        "the web app is not built: run `npm ci && npm run build` in web/ (scripts/test.sh does)"
    );
    assert!(std::path::Path::new("/usr/bin/chromium").is_file(), "Chromium is missing: run scripts/setup.sh");
    web
}

fn web() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../web").canonicalize().unwrap()
}

/// A browser script of `web/e2e/`, signing in to `stack` as the viewer and
/// saving screenshots to `artifacts`.
fn script(web: &Path, name: &str, stack: &Sandbox, artifacts: &Path) -> tokio::process::Command {
    let mut command = tokio::process::Command::new("node");
    command
        .arg(format!("e2e/{name}"))
        .current_dir(web)
        .env("VMS_URL", stack.http())
        .env("VMS_USER", "viewer")
        .env("VMS_PASSWORD", PASSWORD)
        .env("VMS_ARTIFACTS", artifacts);
    command
}

/// What a finished script printed, out and err together.
fn output_of(out: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_web_app_plays_a_2x2_layout_over_webrtc_mse_and_hls() {
    vms_base::tracing_setup::install();
    let _turn = ONE_AT_A_TIME.lock().await;
    let web = web_app();
    let sim = camsim(&["one=h264_720p", "two=h264_720p", "three=h264_1080p", "four=h264_720p"]).await;
    let dist = web.join("dist");
    let stack = sandbox(|c| c.control.web_dir = Some(dist)).await;
    let mut cameras = Vec::new();
    for name in ["one", "two", "three", "four"] {
        cameras.push(stack.add_camera(name, sim.url(name), Transport::Tcp, None).await.0);
    }
    stack.add_user("viewer", PASSWORD, &["operator"]).await;
    let control = stack.start_control().await;
    let media = stack.start_media();
    let token = stack.login("viewer", PASSWORD).await;
    let client = reqwest::Client::new();
    for camera in &cameras {
        wait_until("every camera online", Duration::from_secs(40), || async {
            let url = format!("{}/api/cameras/{camera}/snapshot", stack.http());
            client.get(url).bearer_auth(&token).send().await.ok().filter(|r| r.status().is_success()).map(|_| ())
        })
        .await;
    }

    let artifacts = web.join("test-results");
    let run = script(&web, "live.mjs", &stack, &artifacts).env("VMS_PROTOCOLS", "webrtc,mse,hls").output();
    let out =
        tokio::time::timeout(Duration::from_secs(240), run).await.expect("the browser test should finish").unwrap();
    let printed = output_of(&out);
    println!("{printed}");
    assert!(out.status.success(), "the browser test failed:\n{printed}");
    assert!(printed.contains("layout saved: ok"), "a custom layout is saved:\n{printed}");
    assert!(printed.contains("live screen accessibility: ok"), "axe-core finds nothing serious:\n{printed}");
    assert!(printed.contains("phone layout: ok"), "the app works at a phone's size:\n{printed}");
    assert!(artifacts.join("live-phone.png").is_file());
    for protocol in ["webrtc", "mse", "hls"] {
        let decoded = printed.lines().filter(|l| l.starts_with(&format!("{protocol} ")) && l.ends_with(" ok")).count();
        assert_eq!(decoded, 4, "every tile decodes over {protocol}:\n{printed}");
        assert!(artifacts.join(format!("live-2x2-{protocol}.png")).is_file(), "a screenshot of the {protocol} run");
    }

    // Working a layout by hand: drag and drop, full screen. An MSE viewer on a slow link.
    for (name, steps) in [
        ("layout.mjs", &["drag onto a tile: ok", "tile full screen: ok", "grid full screen: ok"][..]),
        ("slow-link.mjs", &["slow link: ok"][..]),
        ("signout.mjs", &["sign out: ok", "sign out with a lapsed access token: ok"][..]),
    ] {
        let run = script(&web, name, &stack, &artifacts).output();
        let out = tokio::time::timeout(Duration::from_secs(150), run).await.expect("the run should finish").unwrap();
        let printed = output_of(&out);
        println!("{printed}");
        assert!(out.status.success(), "{name} failed:\n{printed}");
        for step in steps {
            assert!(printed.contains(step), "{step}:\n{printed}");
        }
    }

    // Off-screen tiles stop; after a media plane restart every tile comes back by itself.
    let signal = tempfile::tempdir().unwrap();
    let signal_file = signal.path().join("restarted");
    let mut resilience = script(&web, "resilience.mjs", &stack, &artifacts)
        .env("VMS_SIGNAL_FILE", &signal_file)
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(resilience.stdout.take().unwrap()).lines();
    let mut printed = String::new();
    let ready = tokio::time::timeout(Duration::from_secs(120), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            printed.push_str(&line);
            printed.push('\n');
            if line == "reconnect: ready" {
                return true;
            }
        }
        false
    })
    .await
    .expect("the resilience run should get ready");
    assert!(ready, "the resilience run ended early:\n{printed}");
    media.stop().await;
    let media = stack.start_media();
    std::fs::write(&signal_file, b"").unwrap();
    let rest = tokio::time::timeout(Duration::from_secs(120), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            printed.push_str(&line);
            printed.push('\n');
        }
        resilience.wait().await.unwrap()
    })
    .await
    .expect("the resilience run should finish");
    println!("{printed}");
    assert!(rest.success(), "the resilience run failed:\n{printed}");
    assert!(printed.contains("offscreen: ok") && printed.contains("reconnect: ok"), "{printed}");

    media.stop().await;
    control.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_web_app_plays_back_a_recording_from_a_deep_link() {
    vms_base::tracing_setup::install();
    let _turn = ONE_AT_A_TIME.lock().await;
    let web = web_app();
    let sim = camsim(&["cam=h264_720p"]).await;
    let dist = web.join("dist");
    let stack = sandbox(|c| {
        c.control.web_dir = Some(dist);
        c.recording.segment_secs = 10;
    })
    .await;
    let (camera, _) = stack.add_camera("cam", sim.url("cam"), Transport::Tcp, None).await;
    stack.add_user("viewer", PASSWORD, &["operator"]).await;
    stack.add_user("watcher", PASSWORD, &["viewer"]).await;
    let control = stack.start_control().await;
    let media = stack.start_media();
    let recorder = stack.start_recorder();
    let token = stack.login("viewer", PASSWORD).await;

    // The script plays from half a minute before the latest footage, at 1× and then 8×.
    let recorded = |answer: serde_json::Value| -> Option<i64> {
        let ranges = answer["cameras"][0]["ranges"].as_array()?.clone();
        let secs = |v: &serde_json::Value| chrono::DateTime::parse_from_rfc3339(v.as_str()?).ok();
        Some(ranges.iter().filter_map(|r| Some((secs(&r["end"])? - secs(&r["start"])?).num_seconds())).sum())
    };
    wait_until("45 s recorded", Duration::from_secs(120), || async {
        let now = chrono::Utc::now();
        let path = format!(
            "/api/recordings/ranges?camera_id={camera}&start={}&end={}",
            (now - chrono::TimeDelta::hours(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            (now + chrono::TimeDelta::minutes(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        );
        recorded(stack.get(&token, &path).await).filter(|&s| s >= 45)
    })
    .await;

    let artifacts = web.join("test-results");
    let run = script(&web, "playback.mjs", &stack, &artifacts)
        .env("VMS_CAMERA", camera.to_string())
        .env("VMS_VIEWER_USER", "watcher")
        .env("VMS_VIEWER_PASSWORD", PASSWORD)
        .output();
    let out =
        tokio::time::timeout(Duration::from_secs(180), run).await.expect("the playback run should finish").unwrap();
    let printed = output_of(&out);
    println!("{printed}");
    assert!(out.status.success(), "playback.mjs failed:\n{printed}");
    for step in [
        "deep link opens playback: ok",
        "recorded ranges on the timeline: ok",
        "thumbnail while hovering: ok",
        "wheel zoom: ok",
        "plays the recording: ok",
        "frame step: ok",
        "fast forward 8× (I-frame playlist): ok",
        "reload keeps the screen: ok",
        "no archive rights, no playback: ok",
    ] {
        assert!(printed.contains(step), "{step}:\n{printed}");
    }
    assert!(artifacts.join("playback-1x.png").is_file(), "a screenshot of playback");

    recorder.stop().await;
    media.stop().await;
    control.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_web_app_shows_events_live_and_bookmarks_footage() {
    vms_base::tracing_setup::install();
    let _turn = ONE_AT_A_TIME.lock().await;
    let web = web_app();
    let sim = camsim(&["cam=h264_720p"]).await;
    let dist = web.join("dist");
    let stack = sandbox(|c| {
        c.control.web_dir = Some(dist);
        c.recording.segment_secs = 10;
    })
    .await;
    let (camera, stream) = stack.add_camera("Gate", sim.url("cam"), Transport::Tcp, None).await;
    stack.add_user("viewer", PASSWORD, &["operator"]).await;
    let boss = stack.add_user("boss", PASSWORD, &["admin"]).await;
    // The installation's administrator, who sees every plane and storage root on the health screen.
    sqlx::query("UPDATE users SET super_admin = true WHERE id = $1")
        .bind(boss)
        .execute(&stack.db.owner_pool)
        .await
        .unwrap();
    let control = stack.start_control().await;
    let media = stack.start_media();
    let recorder = stack.start_recorder();
    let boss = stack.login("boss", PASSWORD).await;
    stack.wait_online(&[stream], Duration::from_secs(30)).await.unwrap();
    let rule = serde_json::json!({"name": "door", "conditions": {"types": ["door_forced"]},
        "actions": [{"kind": "snapshot"}, {"kind": "notify", "message": "Door forced open"}]});
    let rule = stack.post(Some(&boss), "/api/rules", rule).await;
    assert!(rule["id"].is_string(), "{rule}");

    // The event is posted as having started 20 s before: its snapshot and
    // "play from here" come from the archive; the export is of the minute
    // ending half a minute before the script's end.
    wait_until("90 s recorded", Duration::from_secs(150), || async {
        let now = chrono::Utc::now();
        let path = format!(
            "/api/recordings/ranges?camera_id={camera}&start={}&end={}",
            (now - chrono::TimeDelta::hours(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            (now + chrono::TimeDelta::minutes(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        );
        let first = stack.get(&boss, &path).await["cameras"][0]["ranges"][0]["start"].as_str().map(str::to_owned)?;
        let first = chrono::DateTime::parse_from_rfc3339(&first).ok()?;
        (now - first.with_timezone(&chrono::Utc) >= chrono::TimeDelta::seconds(90)).then_some(())
    })
    .await;

    let artifacts = web.join("test-results");
    let run = script(&web, "events.mjs", &stack, &artifacts)
        .env("VMS_CAMERA", camera.to_string())
        .env("VMS_POST_TOKEN", &boss)
        .env("VMS_ADMIN_USER", "boss")
        .env("VMS_ADMIN_PASSWORD", PASSWORD)
        .env("VMS_CAMERA_URL", sim.url("cam"))
        .output();
    let out = tokio::time::timeout(Duration::from_secs(300), run).await.expect("the events run should finish").unwrap();
    let printed = output_of(&out);
    println!("{printed}");
    assert!(out.status.success(), "events.mjs failed:\n{printed}");
    for step in [
        "events screen with its live feed: ok",
        "a new event arrives live at the top: ok",
        "the rule's notification shows: ok",
        "the rule's snapshot shows in the row: ok",
        "acknowledged, and still after a reload: ok",
        "a filter hides it: ok",
        "play from here: ok",
        "bookmark and lock from playback: ok",
        "found by tag, and unlocked: ok",
        "export runs to the end: ok",
        "export verified in the browser: ok",
        "export downloads: ok",
        "add a camera by its RTSP address: ok",
        "create a user with a camera-scoped role: ok",
        "the guard sees only that camera: ok",
        "sign out: ok",
        "health shows the camera recording and the storage root: ok",
        "every screen fits a phone: ok",
        "no serious accessibility violations: ok",
    ] {
        assert!(printed.contains(step), "{step}:\n{printed}");
    }
    assert!(artifacts.join("events.png").is_file(), "a screenshot of the events screen");
    assert!(artifacts.join("bookmarks.png").is_file(), "a screenshot of the bookmarks screen");
    assert!(artifacts.join("admin-users.png").is_file(), "a screenshot of the users section");
    // What the browser downloaded is the recording: ffprobe reads its video.
    let probe = std::process::Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name", "-of", "csv=p=0"])
        .arg(artifacts.join("export.mp4"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&probe.stdout).trim(), "h264", "{probe:?}");

    // What the browser did is on the server: the event acknowledged, the bookmark unlocked.
    let events = stack.get(&boss, "/api/events?types=door_forced").await;
    let event = &events["items"][0];
    assert!(event["acknowledged_at"].is_string() && event["has_snapshot"] == true, "{events}");
    let bookmarks = stack.get(&boss, "/api/bookmarks?tags=e2e").await;
    assert_eq!(bookmarks["items"][0]["locked"], false, "{bookmarks}");

    recorder.stop().await;
    media.stop().await;
    control.stop().await;
}
