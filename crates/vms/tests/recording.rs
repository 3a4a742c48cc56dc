//! Recording end to end: camsim → media → restream → recorder → files,
//! checked with ffprobe and ffmpeg. A minute of H.264 (with and without
//! B-frames) lands in 20-second segment files that follow each other without
//! a gap, add up to the time recorded, hold every picture, and decode
//! without an error; the PostgreSQL index lists every file and fragment
//! exactly as they lie on disk.

mod common;

use std::{
    path::{Path, PathBuf},
    process::Command,
    time::Duration,
};

use chrono::{DateTime, NaiveDateTime, Utc};
use common::{
    stack::{Stack, camsim},
    wait_until,
};
use uuid::Uuid;
use vms_catalog::{Scope, camera::Transport, recording, scope};

/// Every `.mp4` under `dir`, sorted by name (which is by start time).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "mp4") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The start time a segment's file name carries.
fn started_at(path: &Path) -> DateTime<Utc> {
    let stem = path.file_stem().unwrap().to_str().unwrap();
    NaiveDateTime::parse_from_str(stem, "%Y%m%dT%H%M%S%.3fZ").expect("a start time").and_utc()
}

/// Duration (s) and number of pictures of a file, by ffprobe; fails on any error.
fn probe(path: &Path) -> (f64, u64) {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-count_packets", "-select_streams", "v"])
        .args(["-show_entries", "format=duration:stream=nb_read_packets", "-of", "default=nw=1:nk=1"])
        .arg(path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut lines = text.lines();
    let packets = lines.next().unwrap().parse().unwrap();
    let duration = lines.next().unwrap().parse().unwrap();
    (duration, packets)
}

/// Decodes a whole file; returns what ffmpeg complained about.
fn decode_errors(path: &Path) -> String {
    let out = Command::new("ffmpeg").args(["-v", "error", "-i"]).arg(path).args(["-f", "null", "-"]).output().unwrap();
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The index holds one closed segment per file, whose fragments tile the
/// file after its init segment.
async fn check_index(stack: &Stack, camera: Uuid, files: &[PathBuf]) {
    let mut tx = scope::begin(&stack.db.pool, Scope::Tenant(stack.tenant)).await.unwrap();
    let (from, to) = (Utc::now() - chrono::TimeDelta::hours(1), Utc::now());
    let segments = recording::segments(&mut *tx, camera, "main", from, to).await.unwrap();
    let indexed: Vec<PathBuf> = segments.iter().map(|s| Path::new(&s.root).join(&s.path)).collect();
    assert_eq!(indexed, files, "one index entry per file, in order");
    for (segment, file) in segments.iter().zip(files) {
        let size = std::fs::metadata(file).unwrap().len() as i64;
        assert!(!segment.open, "{}: closed when the recorder stopped", segment.path);
        assert_eq!(segment.bytes, size, "{}", segment.path);
        let fragments = recording::fragments(&mut *tx, segment.id).await.unwrap();
        assert!(fragments.iter().all(|f| f.keyframe), "every fragment starts with a keyframe");
        assert!(fragments.windows(2).all(|w| w[0].byte_offset + i64::from(w[0].byte_len) == w[1].byte_offset));
        let last = fragments.last().unwrap();
        assert_eq!(last.byte_offset + i64::from(last.byte_len), size, "{}: fragments reach the end", segment.path);
        let (_, pictures) = probe(file);
        assert_eq!(fragments.iter().map(|f| f.pictures as u64).sum::<u64>(), pictures, "{}", segment.path);
        assert_eq!(fragments[0].start_time, segment.start_time);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_minute_of_video_lands_in_whole_segments() {
    vms_base::tracing_setup::install();
    let sim = camsim(&["plain=h264_720p", "bframes=h264_720p_bframes"]).await;
    let stack = Stack::new(|c| c.recording.segment_secs = 20).await;
    let mut cameras: Vec<(&str, Uuid)> = Vec::new();
    for name in ["plain", "bframes"] {
        cameras.push((name, stack.add_camera(name, sim.url(name), Transport::Tcp, None).await.0));
    }
    stack.add_user("watcher", "Watcher-password-1", &["operator"]).await;
    let control = stack.start_control().await;
    let media = stack.start_media();
    let recorder = stack.start_recorder();

    let root = stack.config.data_dir.join("recordings");
    for (name, camera) in &cameras {
        let dir = root.join(camera.to_string()).join("main");
        wait_until(&format!("{name} recording"), Duration::from_secs(90), || async {
            (!files_under(&dir).is_empty()).then_some(())
        })
        .await;
    }
    tokio::time::sleep(Duration::from_secs(60)).await;
    recorder.stop().await;
    let stopped_at = Utc::now();

    for (name, camera) in &cameras {
        let files = files_under(&root.join(camera.to_string()).join("main"));
        assert!(files.len() >= 3, "{name}: 20 s segments over a minute, got {files:?}");
        let mut total = 0.0;
        for (i, file) in files.iter().enumerate() {
            let (duration, pictures) = probe(file);
            let errors = decode_errors(file);
            assert!(errors.is_empty(), "{name}: {} does not decode cleanly: {errors}", file.display());
            let expected = (duration * 25.0).round() as u64;
            if i + 1 == files.len() {
                // Stopped mid-GOP: B-frames shown before the last P-frame may not have arrived.
                assert!(
                    pictures + 2 >= expected && pictures <= expected,
                    "{name}: {pictures} pictures in {duration} s"
                );
            } else {
                assert_eq!(pictures, expected, "{name}: every picture of {} is there", file.display());
                assert!((19.9..=22.1).contains(&duration), "{name}: {} lasts {duration} s", file.display());
                // The next file starts where this one ends: no gap, no overlap.
                let ends = started_at(file) + chrono::TimeDelta::milliseconds((duration * 1000.0) as i64);
                let gap = (started_at(&files[i + 1]) - ends).num_milliseconds().abs();
                assert!(gap < 200, "{name}: {gap} ms between {} and the next file", file.display());
            }
            total += duration;
        }
        check_index(&stack, *camera, &files).await;
        // The first GOP comes from the media plane's cache, up to one GOP (2 s) older than its arrival.
        let span = (stopped_at - started_at(&files[0])).num_milliseconds() as f64 / 1000.0;
        assert!(total >= span - 0.5 && total <= span + 2.5, "{name}: files hold {total:.2} s for {span:.2} s recorded");

        // The API shows one stretch without a gap, from the first picture to the stop.
        let token = stack.login("watcher", "Watcher-password-1").await;
        let secs = chrono::SecondsFormat::Secs;
        let from = (started_at(&files[0]) - chrono::TimeDelta::minutes(5)).to_rfc3339_opts(secs, true);
        let to = Utc::now().to_rfc3339_opts(secs, true);
        let url = format!("{}/api/cameras/{camera}/streams/main/recordings", stack.http());
        let get = |start: String| {
            let request = reqwest::Client::new().get(&url).query(&[("start", start), ("end", to.clone())]);
            let request = request.bearer_auth(&token);
            async move { request.send().await.unwrap() }
        };
        let listed: serde_json::Value = get(from).await.json().await.unwrap();
        let ranges = listed["ranges"].as_array().unwrap_or_else(|| panic!("{listed}"));
        assert_eq!(ranges.len(), 1, "{name}: one stretch, no gap: {listed}");
        let range_start: DateTime<Utc> = ranges[0]["start"].as_str().unwrap().parse().unwrap();
        assert!((range_start - started_at(&files[0])).num_milliseconds().abs() < 10, "{listed}");
        let bad = get("yesterday".to_owned()).await;
        assert_eq!(bad.status(), 400);
        assert!(bad.text().await.unwrap().contains("start"), "the error names the field");
    }

    media.stop().await;
    control.stop().await;
    sim.stop().await;
}

/// Stops a plane process the way a service manager does (SIGINT) and waits.
fn interrupt(mut child: std::process::Child) {
    let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
    for _ in 0..200 {
        if child.try_wait().unwrap().is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_killed_recorder_leaves_files_that_play_and_an_index_that_matches() {
    vms_base::tracing_setup::install();
    let sim = camsim(&["cam=h264_720p"]).await;
    let stack = Stack::new(|_| {}).await;
    let (camera, _) = stack.add_camera("cam", sim.url("cam"), Transport::Tcp, None).await;
    let control = stack.start_control().await;
    let media = stack.start_media();
    let dir = stack.config.data_dir.join("recordings").join(camera.to_string()).join("main");

    let mut recorder = stack.spawn_plane("recorder");
    let first = wait_until("a few fragments on disk", Duration::from_secs(90), || async {
        files_under(&dir).pop().filter(|f| std::fs::metadata(f).is_ok_and(|m| m.len() > 2_000_000))
    })
    .await;
    recorder.kill().unwrap(); // SIGKILL
    recorder.wait().unwrap();

    // The crash tore the fragment being written: half of one is at the end.
    let whole = std::fs::read(&first).unwrap();
    let (boxes, _) = vms_codec::fmp4::boxes(&whole);
    let last_moof = boxes.iter().rev().find(|b| &b.kind == b"moof").unwrap();
    let torn = &whole[last_moof.start..last_moof.start + (last_moof.end - last_moof.start) * 2 + 4000];
    let mut file = std::fs::OpenOptions::new().append(true).open(&first).unwrap();
    std::io::Write::write_all(&mut file, torn).unwrap();
    drop(file);

    let restarted = Utc::now();
    let recorder = stack.spawn_plane("recorder");
    let second = wait_until("recording to resume", Duration::from_secs(20), || async {
        files_under(&dir).into_iter().find(|f| *f != first)
    })
    .await;
    let resumed = (started_at(&second) - restarted).num_milliseconds();
    assert!(resumed <= 2000, "recording resumed {resumed} ms after the restart");
    assert_eq!(std::fs::metadata(&first).unwrap().len(), whole.len() as u64, "the torn tail is cut, nothing more");
    assert!(decode_errors(&first).is_empty(), "the crashed file plays: {}", decode_errors(&first));
    probe(&first);
    tokio::time::sleep(Duration::from_secs(5)).await;
    tokio::task::spawn_blocking(move || interrupt(recorder)).await.unwrap();

    let files = files_under(&dir);
    assert_eq!(files, vec![first.clone(), second.clone()]);
    check_index(&stack, camera, &files).await;

    // The whole index rebuilt from the files says the same.
    sqlx::query("DELETE FROM recording_segments").execute(&stack.db.owner_pool).await.unwrap();
    let out = stack.vms(&["recorder", "reindex"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}{}", String::from_utf8_lossy(&out.stderr));
    assert!(said.contains("indexed 2 files"), "{said}");
    check_index(&stack, camera, &files).await;

    media.stop().await;
    control.stop().await;
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn recording_goes_on_while_postgres_is_away_and_the_index_catches_up() {
    vms_base::tracing_setup::install();
    let sim = camsim(&["cam=h264_720p"]).await;
    let (mut pg, db) = vms_testkit::PrivatePostgres::start().await;
    let stack = Stack::with_database(db, |c| c.recording.segment_secs = 10).await;
    let (camera, _) = stack.add_camera("cam", sim.url("cam"), Transport::Tcp, None).await;
    let control = stack.start_control().await;
    let media = stack.start_media();
    let recorder = stack.start_recorder();
    let dir = stack.config.data_dir.join("recordings").join(camera.to_string()).join("main");
    wait_until("recording", Duration::from_secs(90), || async { (!files_under(&dir).is_empty()).then_some(()) }).await;
    tokio::time::sleep(Duration::from_secs(3)).await;

    pg.stop().await;
    let before = files_under(&dir).len();
    tokio::time::sleep(Duration::from_secs(30)).await;
    let during = files_under(&dir).len();
    assert!(during >= before + 2, "new 10 s files while the database is away: {before} → {during}");
    // The recorder is even restarted before the database returns: what it had
    // queued in memory is lost, and the index catches up from the files.
    recorder.stop().await;
    let outage_files = files_under(&dir);
    pg.restart().await;
    let recorder = stack.start_recorder();
    tokio::time::sleep(Duration::from_secs(10)).await;
    recorder.stop().await;

    let files = files_under(&dir);
    assert!(files.len() > outage_files.len(), "recording resumed after the restart");
    // Through the outage itself, not a moment is missing.
    for pair in outage_files.windows(2) {
        let (duration, _) = probe(&pair[0]);
        let ends = started_at(&pair[0]) + chrono::TimeDelta::milliseconds((duration * 1000.0) as i64);
        let gap = (started_at(&pair[1]) - ends).num_milliseconds().abs();
        assert!(gap < 200, "{gap} ms between {} and the next file", pair[0].display());
    }
    check_index(&stack, camera, &files).await;

    media.stop().await;
    control.stop().await;
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn retention_deletes_the_oldest_recordings_by_quota_and_by_age() {
    vms_base::tracing_setup::install();
    let sim = camsim(&["cam=h264_720p"]).await;
    const QUOTA: u64 = 4_000_000;
    let stack = Stack::new(|c| {
        c.recording.segment_secs = 2;
        c.recording.retention_interval_secs = 1;
        c.recording.min_free_bytes = 0;
        let root = c.data_dir.join("quota-root");
        c.recording.roots = vec![vms_config::StorageRoot { path: root, max_bytes: Some(QUOTA) }];
    })
    .await;
    let root = stack.config.recording.roots[0].path.clone();
    let (camera, _) = stack.add_camera("cam", sim.url("cam"), Transport::Tcp, None).await;
    stack.add_user("boss", "Boss-password-1", &["admin"]).await;
    let control = stack.start_control().await;
    let media = stack.start_media();
    let recorder = stack.start_recorder();
    let dir = root.join(camera.to_string()).join("main");
    let first = wait_until("recording", Duration::from_secs(90), || async { files_under(&dir).first().cloned() }).await;

    // By quota: the root never holds much more than its quota, and the oldest files go first.
    for _ in 0..20 {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let used: u64 = files_under(&dir).iter().map(|f| std::fs::metadata(f).map_or(0, |m| m.len())).sum();
        assert!(used <= QUOTA + 1_500_000, "{used} bytes under a {QUOTA}-byte quota");
    }
    assert!(!first.exists(), "the oldest file went first");

    // By age: a camera kept for one day loses what is older.
    let token = stack.login("boss", "Boss-password-1").await;
    let put = |body: serde_json::Value| {
        let request = reqwest::Client::new()
            .put(format!("{}/api/cameras/{camera}/recording", stack.http()))
            .bearer_auth(&token)
            .json(&body);
        async move { request.send().await.unwrap() }
    };
    let refused = put(serde_json::json!({"retention_days": 0})).await;
    assert_eq!(refused.status(), 400);
    assert!(refused.text().await.unwrap().contains("retention_days"));
    assert_eq!(put(serde_json::json!({"retention_days": 1})).await.status(), 200);
    let aged: Vec<PathBuf> = files_under(&dir).into_iter().take(2).collect();
    for file in &aged {
        let relative = file.strip_prefix(&root).unwrap().to_string_lossy().into_owned();
        sqlx::query(
            "UPDATE recording_segments SET start_time = start_time - interval '2 days', \
             end_time = end_time - interval '2 days' WHERE path = $1 AND NOT open",
        )
        .bind(relative)
        .execute(&stack.db.owner_pool)
        .await
        .unwrap();
    }
    wait_until("aged files deleted", Duration::from_secs(10), || async {
        aged.iter().all(|f| !f.exists()).then_some(())
    })
    .await;

    recorder.stop().await;
    let files = files_under(&dir);
    assert!(!files.is_empty(), "the newest recordings stay");
    let mut tx = scope::begin(&stack.db.pool, Scope::Tenant(stack.tenant)).await.unwrap();
    let (from, to) = (Utc::now() - chrono::TimeDelta::days(3), Utc::now());
    let segments = recording::segments(&mut *tx, camera, "main", from, to).await.unwrap();
    let indexed: Vec<PathBuf> = segments.iter().map(|s| Path::new(&s.root).join(&s.path)).collect();
    assert_eq!(indexed, files, "the index lists exactly the files left");

    media.stop().await;
    control.stop().await;
    sim.stop().await;
}

/// A small tmpfs, unmounted when dropped.
struct SmallDisk(PathBuf);

impl SmallDisk {
    /// Mounts `megabytes` of tmpfs, if this machine lets the test (root, or CAP_SYS_ADMIN).
    fn mount(megabytes: u32) -> Option<Self> {
        let dir = tempfile::Builder::new().prefix("vms-small-disk-").tempdir_in("/tmp").unwrap().keep();
        let size = format!("size={megabytes}m");
        let mounted = Command::new("mount").args(["-t", "tmpfs", "-o", &size, "tmpfs"]).arg(&dir).output();
        if mounted.is_ok_and(|o| o.status.success()) {
            Some(Self(dir))
        } else {
            let _ = std::fs::remove_dir(&dir);
            None
        }
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
        let _ = std::fs::remove_dir(&self.0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_nearly_full_disk_makes_room_and_recording_goes_on() {
    vms_base::tracing_setup::install();
    let Some(disk) = SmallDisk::mount(16) else {
        eprintln!("cannot mount a tmpfs here; disk pressure is covered through the quota test");
        return;
    };
    const FLOOR: u64 = 6 << 20;
    let sim = camsim(&["cam=h264_720p"]).await;
    let root = disk.0.join("recordings");
    let stack = Stack::new(|c| {
        c.recording.segment_secs = 2;
        c.recording.retention_interval_secs = 1;
        c.recording.min_free_bytes = FLOOR;
        c.recording.roots = vec![vms_config::StorageRoot { path: root.clone(), max_bytes: None }];
    })
    .await;
    let (camera, _) = stack.add_camera("cam", sim.url("cam"), Transport::Tcp, None).await;
    let control = stack.start_control().await;
    let media = stack.start_media();
    let recorder = stack.start_recorder();
    let dir = root.join(camera.to_string()).join("main");
    let first = wait_until("recording", Duration::from_secs(90), || async { files_under(&dir).first().cloned() }).await;

    // 16 MB with a 6 MB floor holds about 25 s of this camera: record longer.
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let free = Command::new("df").args(["--output=avail", "-B1"]).arg(&disk.0).output().unwrap();
        let free: u64 = String::from_utf8_lossy(&free.stdout).lines().nth(1).unwrap().trim().parse().unwrap();
        assert!(free > 1 << 20, "the disk never fills: {free} bytes left");
    }
    assert!(!first.exists(), "the oldest recordings made room");
    let newest = files_under(&dir).pop().unwrap();
    let age = Utc::now() - started_at(&newest);
    assert!(age < chrono::TimeDelta::seconds(5), "recording goes on: newest file is {age} old");

    recorder.stop().await;
    media.stop().await;
    control.stop().await;
    sim.stop().await;
}

/// Decodes pictures of `input` to 64×36 grey, one buffer each (all, or the first `frames`).
fn grey_pictures(input: &str, frames: Option<u32>) -> Vec<Vec<u8>> {
    let mut cmd = Command::new("ffmpeg");
    cmd.args(["-v", "error", "-i", input]);
    if let Some(n) = frames {
        cmd.args(["-frames:v", &n.to_string()]);
    }
    let out = cmd.args(["-vf", "scale=64:36,format=gray", "-f", "rawvideo", "-"]).output().unwrap();
    assert!(out.status.success(), "{input}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout.chunks(64 * 36).map(<[u8]>::to_vec).collect()
}

/// Which picture of the clip `picture` is (they decode identically: nothing is re-encoded).
fn clip_index(clip: &[Vec<u8>], picture: &[u8]) -> usize {
    let distance = |a: &[u8]| a.iter().zip(picture).map(|(x, y)| x.abs_diff(*y) as u64).sum::<u64>();
    (0..clip.len()).min_by_key(|i| distance(&clip[*i])).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_window_plays_over_hls_and_exports_to_a_verified_mp4() {
    vms_base::tracing_setup::install();
    let sim = camsim(&["cam=h264_720p"]).await;
    let stack = Stack::new(|c| c.recording.segment_secs = 10).await;
    let (camera, _) = stack.add_camera("cam", sim.url("cam"), Transport::Tcp, None).await;
    stack.add_user("watcher", "Watcher-password-1", &["operator"]).await;
    let control = stack.start_control().await;
    let media = stack.start_media();
    let recorder = stack.start_recorder();
    let dir = stack.config.data_dir.join("recordings").join(camera.to_string()).join("main");
    let first = wait_until("three files", Duration::from_secs(60), || async {
        let files = files_under(&dir);
        (files.len() >= 3).then(|| files[0].clone())
    })
    .await;

    // A window from 12.3 s to 20.3 s after the first picture: inside the second file, into the third.
    let origin = started_at(&first);
    let start = origin + chrono::TimeDelta::milliseconds(12_300);
    let end = start + chrono::TimeDelta::seconds(8);
    let token = stack.login("watcher", "Watcher-password-1").await;
    let path = format!("/api/cameras/{camera}/streams/main/ticket");
    let issued = stack.post(Some(&token), &path, serde_json::json!({"purpose": "archive"})).await;
    let ticket = issued["ticket"].as_str().unwrap();
    let secs = chrono::SecondsFormat::Millis;
    let url = format!(
        "{}/api/cameras/{camera}/streams/main/playback.m3u8?start={}&end={}&ticket={ticket}",
        stack.http(),
        start.to_rfc3339_opts(secs, true),
        end.to_rfc3339_opts(secs, true)
    );
    let playlist = reqwest::get(&url).await.unwrap().text().await.unwrap();
    assert!(playlist.contains("#EXT-X-DISCONTINUITY"), "the window crosses files: {playlist}");
    let first_time: DateTime<Utc> =
        playlist.lines().find_map(|l| l.strip_prefix("#EXT-X-PROGRAM-DATE-TIME:")).unwrap().parse().unwrap();
    let lead = (start - first_time).num_milliseconds();
    assert!((0..=2000).contains(&lead), "playback starts at the keyframe {lead} ms before the window");

    // ffmpeg plays it through without an error.
    let errors = Command::new("ffmpeg").args(["-v", "error", "-i", &url, "-f", "null", "-"]).output().unwrap();
    assert!(errors.status.success() && errors.stderr.is_empty(), "{}", String::from_utf8_lossy(&errors.stderr));

    // The first picture is the clip's picture for that moment, as its burnt-in clock says: the
    // recording's first picture pins the clip's timeline, the window's start is so many
    // pictures later, and playback starts at most one GOP (50 pictures) before it.
    let clip_path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("camsim-clips/h264_720p.264");
    let clip = grey_pictures(clip_path.to_str().unwrap(), None);
    assert_eq!(clip.len(), 250, "a 10 s clip at 25 fps");
    let recorded_first = clip_index(&clip, &grey_pictures(first.to_str().unwrap(), Some(1))[0]);
    let played_first = clip_index(&clip, &grey_pictures(&url, Some(1))[0]);
    let wanted = (recorded_first as i64 + (start - origin).num_milliseconds() / 40).rem_euclid(250);
    let before = (wanted - played_first as i64).rem_euclid(250);
    assert!(before < 50, "played from clip picture {played_first}, wanted {wanted}: {before} pictures early");
    assert_eq!(played_first % 50, 0, "it starts at a keyframe");

    // The files' bytes refuse a ticket for another camera and a forged one, and serve ranges.
    let file_url = playlist.lines().find(|l| l.starts_with("/api/recordings/")).unwrap();
    let stranger = Uuid::new_v4();
    let now = Utc::now().timestamp();
    let signer = vms_ticket::TicketSigner::load_or_create(&stack.config.secrets_dir()).unwrap();
    let (other, _) = signer.issue(Uuid::nil(), stack.tenant, stranger, "main", vms_ticket::Purpose::Archive, now, 60);
    let segment_id = file_url.split('/').nth(3).unwrap();
    let with = |t: &str| format!("{}/api/recordings/{segment_id}/{t}/video.mp4", stack.http());
    assert_eq!(reqwest::get(with(&other)).await.unwrap().status(), 403, "another camera's ticket");
    assert_eq!(reqwest::get(with("v1.forged.x")).await.unwrap().status(), 401, "a forged ticket");
    let ranged = reqwest::Client::new()
        .get(format!("{}{file_url}", stack.http()))
        .header("Range", "bytes=0-99")
        .send()
        .await
        .unwrap();
    assert_eq!(ranged.status(), 206);
    assert_eq!(ranged.bytes().await.unwrap().len(), 100);

    // Export the same window: one MP4, starting at the same picture, that verifies;
    // the same file with one byte flipped does not.
    let body = serde_json::json!({
        "camera_id": camera,
        "start": start.to_rfc3339_opts(secs, true),
        "end": end.to_rfc3339_opts(secs, true),
    });
    let created = stack.post(Some(&token), "/api/exports", body).await;
    let id = created["id"].as_str().unwrap_or_else(|| panic!("{created}")).to_owned();
    let client = reqwest::Client::new();
    let get = |path: String| {
        let request = client.get(format!("{}{path}", stack.http())).bearer_auth(&token);
        async move { request.send().await.unwrap() }
    };
    let done = wait_until("the export", Duration::from_secs(30), || async {
        let view: serde_json::Value = get(format!("/api/exports/{id}")).await.json().await.unwrap();
        assert_ne!(view["status"], "failed", "{view}");
        (view["status"] == "done").then_some(view)
    })
    .await;
    assert_eq!(done["progress"], 1.0);
    let out = tempfile::tempdir().unwrap();
    let (file, manifest) = (out.path().join("export.mp4"), out.path().join("export.manifest.json"));
    std::fs::write(&file, get(format!("/api/exports/{id}/file")).await.bytes().await.unwrap()).unwrap();
    std::fs::write(&manifest, get(format!("/api/exports/{id}/manifest")).await.bytes().await.unwrap()).unwrap();
    assert_eq!(done["sha256"].as_str().unwrap().len(), 64);
    assert!(decode_errors(&file).is_empty(), "the export plays: {}", decode_errors(&file));
    let (duration, pictures) = probe(&file);
    assert_eq!(pictures, (duration * 25.0).round() as u64, "one continuous timeline");
    assert!((8.0..=10.5).contains(&duration), "the window and its lead-in: {duration} s");
    assert_eq!(clip_index(&clip, &grey_pictures(file.to_str().unwrap(), Some(1))[0]), played_first);
    let verify = |f: &Path| stack.vms(&["export", "verify", f.to_str().unwrap(), manifest.to_str().unwrap()]);
    let checked = verify(&file);
    assert!(checked.status.success(), "{}", String::from_utf8_lossy(&checked.stderr));
    assert!(String::from_utf8_lossy(&checked.stdout).contains("verified"));
    let mut bytes = std::fs::read(&file).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    let flipped = out.path().join("flipped.mp4");
    std::fs::write(&flipped, bytes).unwrap();
    let refused = verify(&flipped);
    assert!(!refused.status.success(), "a flipped byte must not verify");
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("was changed"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let audited: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'export.create'")
        .fetch_one(&stack.db.owner_pool)
        .await
        .unwrap();
    assert_eq!(audited, 1, "the export is audited");

    recorder.stop().await;
    media.stop().await;
    control.stop().await;
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn scheduled_cameras_record_only_in_their_sites_local_hours() {
    use jiff::{ToSpan, tz::TimeZone};
    vms_base::tracing_setup::install();
    let sim = camsim(&["on=h264_720p", "off=h264_720p"]).await;
    let stack = Stack::new(|c| c.recording.segment_secs = 4).await;
    // The site keeps Tokyo time (UTC+9, no daylight saving): schedules read its clock.
    sqlx::query("UPDATE sites SET timezone = 'Asia/Tokyo'").execute(&stack.db.owner_pool).await.unwrap();
    let (on, _) = stack.add_camera("on", sim.url("on"), Transport::Tcp, None).await;
    let (off, _) = stack.add_camera("off", sim.url("off"), Transport::Tcp, None).await;
    stack.add_user("boss", "Boss-password-1", &["admin"]).await;
    let control = stack.start_control().await;
    let token = stack.login("boss", "Boss-password-1").await;
    let put = |camera: Uuid, body: serde_json::Value| {
        let request = reqwest::Client::new()
            .put(format!("{}/api/cameras/{camera}/recording", stack.http()))
            .bearer_auth(&token)
            .json(&body);
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
        }
    };
    let tokyo = TimeZone::get("Asia/Tokyo").unwrap();
    if jiff::Zoned::now().with_time_zone(tokyo.clone()).minute() >= 58 {
        tokio::time::sleep(Duration::from_secs(150)).await; // Not across an hour's end.
    }
    let local = jiff::Zoned::now().with_time_zone(tokyo);
    let day = |z: &jiff::Zoned| z.strftime("%a").to_string().to_lowercase();
    // This hour on Tokyo's clock (in UTC it is another hour), and a day that is not now anywhere.
    let this_hour = serde_json::json!({
        "mode": "scheduled",
        "schedule": [{"days": [day(&local)], "start": format!("{:02}:00", local.hour()), "end": format!("{:02}:00", local.hour() + 1)}],
    });
    let never = serde_json::json!({
        "mode": "scheduled",
        "schedule": [{"days": [day(&local.checked_add(3.days()).unwrap())], "start": "00:00", "end": "24:00"}],
    });
    put(on, this_hour.clone()).await;
    put(off, never.clone()).await;
    let media = stack.start_media();
    let recorder = stack.start_recorder();
    let dir = |camera: Uuid| stack.config.data_dir.join("recordings").join(camera.to_string()).join("main");

    wait_until("the scheduled camera recording", Duration::from_secs(90), || async {
        (!files_under(&dir(on)).is_empty()).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert!(files_under(&dir(off)).is_empty(), "outside its schedule nothing is recorded");

    // Swap the schedules: within a refresh (5 s) and a GOP, each follows its new one.
    put(off, this_hour).await;
    put(on, never).await;
    wait_until("the other camera recording", Duration::from_secs(30), || async {
        (!files_under(&dir(off)).is_empty()).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_secs(10)).await;
    let stopped: Vec<(PathBuf, u64)> =
        files_under(&dir(on)).into_iter().map(|f| (f.clone(), std::fs::metadata(&f).unwrap().len())).collect();
    tokio::time::sleep(Duration::from_secs(6)).await;
    let later: Vec<(PathBuf, u64)> =
        files_under(&dir(on)).into_iter().map(|f| (f.clone(), std::fs::metadata(&f).unwrap().len())).collect();
    assert_eq!(stopped, later, "a camera out of its schedule stops recording");
    for file in files_under(&dir(on)) {
        assert!(decode_errors(&file).is_empty(), "{} plays", file.display());
    }

    recorder.stop().await;
    media.stop().await;
    control.stop().await;
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn event_cameras_record_from_the_pre_buffer_to_the_post_buffer() {
    use vms_proto::v1::{EventRequest, recorder_client::RecorderClient};
    vms_base::tracing_setup::install();
    let sim = camsim(&["cam=h264_720p"]).await;
    let stack = Stack::new(|_| {}).await;
    let (camera, _) = stack.add_camera("cam", sim.url("cam"), Transport::Tcp, None).await;
    stack.add_user("boss", "Boss-password-1", &["admin"]).await;
    let control = stack.start_control().await;
    let token = stack.login("boss", "Boss-password-1").await;
    let settings =
        serde_json::json!({"mode": "event", "pre_buffer_secs": 4, "post_buffer_secs": 3, "event_retention_days": 90});
    let put = reqwest::Client::new()
        .put(format!("{}/api/cameras/{camera}/recording", stack.http()))
        .bearer_auth(&token)
        .json(&settings)
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    let media = stack.start_media();
    let recorder = stack.start_recorder();
    let dir = stack.config.data_dir.join("recordings").join(camera.to_string()).join("main");
    let addr = format!("http://{}", stack.config.recorder.grpc_listen);
    let mut client = wait_until("the recorder's gRPC", Duration::from_secs(20), || async {
        RecorderClient::connect(addr.clone()).await.ok()
    })
    .await;
    tokio::time::sleep(Duration::from_secs(12)).await;
    assert!(files_under(&dir).is_empty(), "no event, no recording");

    let ask = |camera: Uuid| EventRequest {
        camera_id: camera.to_string(),
        stream: String::new(),
        event_id: "motion-1".into(),
    };
    let unknown = client.start_event(ask(Uuid::new_v4())).await.unwrap_err();
    assert_eq!(unknown.code(), tonic::Code::NotFound);
    let opened_at = Utc::now();
    assert_eq!(client.start_event(ask(camera)).await.unwrap().into_inner().open_events, 1);
    let file = wait_until("the event's recording", Duration::from_secs(10), || async { files_under(&dir).pop() }).await;
    tokio::time::sleep(Duration::from_secs(6)).await;
    let closed_at = Utc::now();
    assert_eq!(client.stop_event(ask(camera)).await.unwrap().into_inner().open_events, 0);
    // The post-buffer (3 s) and the GOP under way, then nothing more.
    tokio::time::sleep(Duration::from_secs(8)).await;
    let size = std::fs::metadata(&file).unwrap().len();
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(std::fs::metadata(&file).unwrap().len(), size, "recording stopped after the post-buffer");
    assert_eq!(files_under(&dir), vec![file.clone()]);

    let (duration, _) = probe(&file);
    assert!(decode_errors(&file).is_empty());
    let lead = (opened_at - started_at(&file)).num_milliseconds();
    assert!((3_700..=6_300).contains(&lead), "the file starts {lead} ms before the event: its 4 s pre-buffer");
    let ends = started_at(&file) + chrono::TimeDelta::milliseconds((duration * 1000.0) as i64);
    let tail = (ends - closed_at).num_milliseconds();
    assert!((1_000..=5_500).contains(&tail), "the file ends {tail} ms after the event: its 3 s post-buffer");
    recorder.stop().await;
    let kind: String =
        sqlx::query_scalar("SELECT kind FROM recording_segments").fetch_one(&stack.db.owner_pool).await.unwrap();
    assert_eq!(kind, "event", "event footage is marked, for its own retention");

    media.stop().await;
    control.stop().await;
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_full_disk_stops_recording_cleanly_raises_an_alert_and_resumes() {
    vms_base::tracing_setup::install();
    let Some(disk) = SmallDisk::mount(10) else {
        eprintln!("cannot mount a tmpfs here; the quota test covers disk pressure");
        return;
    };
    let sim = camsim(&["cam=h264_720p"]).await;
    let root = disk.0.join("recordings");
    let stack = Stack::new(|c| {
        c.recording.segment_secs = 4;
        // No floor and no quota: nothing can be freed, the disk fills.
        c.recording.min_free_bytes = 0;
        c.recorder.status_interval_secs = 1;
        c.recording.roots = vec![vms_config::StorageRoot { path: root.clone(), max_bytes: None }];
    })
    .await;
    let (camera, _) = stack.add_camera("cam", sim.url("cam"), Transport::Tcp, None).await;
    let control = stack.start_control().await;
    let media = stack.start_media();
    let recorder = stack.start_recorder();
    let dir = root.join(camera.to_string()).join("main");
    let recorder_health = || async {
        let ready: serde_json::Value =
            reqwest::get(format!("{}/health/ready", stack.http())).await.unwrap().json().await.unwrap();
        ready["components"]["recorder"].clone()
    };
    let alert = wait_until("the disk-full alert", Duration::from_secs(60), || async {
        let health = recorder_health().await;
        (health["ready"] == false && health.to_string().contains("no space left")).then_some(health)
    })
    .await;
    assert!(alert.to_string().contains(&root.display().to_string()), "{alert}");

    // Stopped cleanly: every file ends with a whole fragment and plays.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let files = files_under(&dir);
    assert!(files.len() >= 2, "{files:?}");
    for file in &files {
        assert!(decode_errors(file).is_empty(), "{} is not corrupt: {}", file.display(), decode_errors(file));
        let whole = std::fs::read(file).unwrap();
        let (_, end) = vms_codec::fmp4::boxes(&whole);
        assert_eq!(end, whole.len(), "{} has no torn tail", file.display());
    }

    // Space returns (an operator moves old footage away): recording resumes by itself.
    for file in &files[..files.len() / 2] {
        std::fs::remove_file(file).unwrap();
    }
    let newest = files.last().unwrap().clone();
    wait_until("recording to resume", Duration::from_secs(30), || async {
        files_under(&dir).into_iter().any(|f| f > newest).then_some(())
    })
    .await;
    wait_until("the alert to clear", Duration::from_secs(20), || async {
        (recorder_health().await["ready"] == true).then_some(())
    })
    .await;

    recorder.stop().await;
    media.stop().await;
    control.stop().await;
    sim.stop().await;
}
