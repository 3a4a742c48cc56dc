//! Recording end to end: camsim → media → frame link → recorder → files,
//! checked with ffprobe and ffmpeg. A minute of H.264 (with and without
//! B-frames) lands in 20-second segment files that follow each other without
//! a gap, add up to the time recorded, hold every picture, and decode
//! without an error; the PostgreSQL index lists every file and fragment
//! exactly as they lie on disk, through a killed recorder, a database
//! outage and rows the database refuses.

mod common;

use std::time::Duration;

use chrono::{DateTime, Utc};
use common::{
    recording::*,
    stack::{builder, camsim, one_camera, sandbox},
    wait_until,
};
use uuid::Uuid;
use vms_catalog::camera::Transport;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_minute_of_video_lands_in_whole_segments() {
    vms_base::tracing_setup::install();
    let sim = camsim(&["plain=h264_720p", "bframes=h264_720p_bframes"]).await;
    let stack = sandbox(|c| c.recording.segment_secs = 20).await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_killed_recorder_leaves_files_that_play_and_an_index_that_matches() {
    let (sim, stack, camera) = one_camera("h264_720p").await;
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
    let stack = builder().database(db).config(|c| c.recording.segment_secs = 10).build().await;
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
async fn a_row_the_database_refuses_holds_up_no_other_camera() {
    vms_base::tracing_setup::install();
    let sim = camsim(&["refused=h264_720p", "fine=h264_720p"]).await;
    let stack = sandbox(|c| c.recording.segment_secs = 2).await;
    let (refused, _) = stack.add_camera("refused", sim.url("refused"), Transport::Tcp, None).await;
    let (fine, _) = stack.add_camera("fine", sim.url("fine"), Transport::Tcp, None).await;
    // Every row of one camera breaks a rule of the database, as rows of a
    // deleted tenant or with an impossible value would: a permanent failure.
    let rule =
        format!("ALTER TABLE recording_segments ADD CONSTRAINT refuse_one CHECK (camera_id <> '{refused}') NOT VALID");
    sqlx::query(&rule).execute(&stack.db.owner_pool).await.unwrap();
    let control = stack.start_control().await;
    let media = stack.start_media();
    let recorder = stack.start_recorder();
    let root = stack.config.data_dir.join("recordings");
    let dir = |camera: Uuid| root.join(camera.to_string()).join("main");

    wait_until("both cameras recording", Duration::from_secs(90), || async {
        (files_under(&dir(refused)).len() >= 2 && !files_under(&dir(fine)).is_empty()).then_some(())
    })
    .await;
    let indexed = |camera: Uuid| {
        let pool = stack.db.owner_pool.clone();
        async move {
            let count: i64 = sqlx::query_scalar("SELECT count(*) FROM recording_segments WHERE camera_id = $1")
                .bind(camera)
                .fetch_one(&pool)
                .await
                .unwrap();
            count
        }
    };
    wait_until("the other camera's files indexed", Duration::from_secs(20), || async {
        (indexed(fine).await >= 2).then_some(())
    })
    .await;
    assert_eq!(indexed(refused).await, 0, "the refused rows are dropped");
    assert!(vms_recorder::dropped_index_updates().refused > 0, "and counted");
    recorder.stop().await;
    check_index(&stack, fine, &files_under(&dir(fine))).await;

    // The files are the truth: once the database takes the rows, a reindex brings them back.
    sqlx::query("ALTER TABLE recording_segments DROP CONSTRAINT refuse_one")
        .execute(&stack.db.owner_pool)
        .await
        .unwrap();
    let out = stack.vms(&["recorder", "reindex"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    check_index(&stack, refused, &files_under(&dir(refused))).await;

    media.stop().await;
    control.stop().await;
    sim.stop().await;
}
