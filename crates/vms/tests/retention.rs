//! Retention and disk space: the oldest recordings go first, by camera age
//! and root quota; a free-space floor keeps a small disk from filling; and
//! a disk that fills anyway stops recording cleanly, raises an alert and
//! recovers by itself. Footage outlives neither its camera's deletion (by
//! the orphan retention) nor its tenant's, and a sweep never touches another
//! recorder's storage roots. Footage a bookmark locks as evidence outlives
//! age and quota until it is unlocked, and a root that only locked footage
//! fills says so.

mod common;

use std::{
    path::{Path, PathBuf},
    process::Command,
    time::Duration,
};

use chrono::Utc;
use common::{
    recording::*,
    stack::{camsim, sandbox},
    wait_until,
};
use vms_catalog::{Scope, camera::Transport, recording, scope};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn retention_deletes_the_oldest_recordings_by_quota_and_by_age() {
    vms_base::tracing_setup::install();
    let sim = camsim(&["cam=h264_720p"]).await;
    const QUOTA: u64 = 4_000_000;
    let stack = sandbox(|c| {
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
    let newest = files_under(&dir).pop().unwrap();
    let age = Utc::now() - started_at(&newest);
    assert!(age < chrono::TimeDelta::seconds(5), "recording goes on under pressure: newest file is {age} old");

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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_nearly_full_disk_makes_room_and_recording_goes_on() {
    vms_base::tracing_setup::install();
    let disk = match SmallDisk::mount(16) {
        Ok(disk) => disk,
        Err(why) => {
            // The quota test makes the same assertions (oldest first, bounded use, recording goes on).
            return skipped("a_nearly_full_disk_makes_room_and_recording_goes_on", &why);
        }
    };
    const FLOOR: u64 = 6 << 20;
    let sim = camsim(&["cam=h264_720p"]).await;
    let root = disk.0.join("recordings");
    let stack = sandbox(|c| {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_full_disk_stops_recording_cleanly_raises_an_alert_and_resumes() {
    vms_base::tracing_setup::install();
    let disk = match SmallDisk::mount(10) {
        Ok(disk) => disk,
        // Nothing else fills a disk: the clean stop, the alert and the resume go unchecked.
        Err(why) => return skipped("a_full_disk_stops_recording_cleanly_raises_an_alert_and_resumes", &why),
    };
    let sim = camsim(&["cam=h264_720p"]).await;
    let root = disk.0.join("recordings");
    let stack = sandbox(|c| {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn locked_evidence_outlives_age_and_the_free_space_floor_until_it_is_unlocked() {
    vms_base::tracing_setup::install();
    let stack = sandbox(|c| {
        c.recording.retention_interval_secs = 1;
        // No disk has this much free: retention always needs room, and only
        // what is locked may stay.
        c.recording.min_free_bytes = 1 << 50;
        c.recorder.status_interval_secs = 1;
        let root = c.data_dir.join("evidence-root");
        c.recording.roots = vec![vms_config::StorageRoot { path: root, max_bytes: None }];
    })
    .await;
    let root = stack.config.recording.roots[0].path.clone();
    let (camera, _) = stack.add_camera("cam", "rtsp://127.0.0.1:9/none".into(), Transport::Tcp, None).await;
    stack.add_user("boss", "Boss-password-1", &["admin"]).await;
    let control = stack.start_control().await;
    let token = stack.login("boss", "Boss-password-1").await;
    let put = reqwest::Client::new()
        .put(format!("{}/api/cameras/{camera}/recording", stack.http()))
        .bearer_auth(&token)
        .json(&serde_json::json!({"retention_days": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    let ages = [10, 9, 8].map(chrono::TimeDelta::days);
    let mut files = Vec::new();
    for age in ages {
        files.push(recorded(&stack, stack.tenant, camera, &root, age).await);
    }
    let evidence = &files[1];
    let start = started_at(evidence);
    let body = serde_json::json!({"name": "break-in", "cameras": [camera],
        "start": start - chrono::TimeDelta::seconds(1), "end": start + chrono::TimeDelta::seconds(1)});
    let bookmark = stack.post(Some(&token), "/api/bookmarks", body).await;
    let id = bookmark["id"].as_str().unwrap_or_else(|| panic!("{bookmark}")).to_owned();
    let locked = stack.post(Some(&token), &format!("/api/bookmarks/{id}/lock"), serde_json::json!({})).await;
    assert_eq!(locked["locked"], true, "{locked}");

    let recorder = stack.start_recorder();
    wait_until("the unlocked footage deleted", Duration::from_secs(20), || async {
        (!files[0].exists() && !files[2].exists()).then_some(())
    })
    .await;
    let recorder_health = || async {
        let ready: serde_json::Value =
            reqwest::get(format!("{}/health/ready", stack.http())).await.unwrap().json().await.unwrap();
        ready["components"]["recorder"].clone()
    };
    let alert = wait_until("the locked-full alert", Duration::from_secs(20), || async {
        let health = recorder_health().await;
        health.to_string().contains("locked as evidence").then_some(health)
    })
    .await;
    assert!(alert.to_string().contains(&root.display().to_string()), "{alert}");
    // The recorder reports the root: its filesystem, and the one file left, locked, as its oldest footage.
    sqlx::query("UPDATE users SET super_admin = true WHERE username = 'boss'")
        .execute(&stack.db.owner_pool)
        .await
        .unwrap();
    let admin = stack.login("boss", "Boss-password-1").await;
    let size = std::fs::metadata(evidence).unwrap().len();
    let reported = wait_until("the root in /api/system", Duration::from_secs(20), || async {
        let system = stack.get(&admin, "/api/system").await;
        let recorder = system["planes"].as_array()?.iter().find(|p| p["plane"] == "recorder")?.clone();
        let root = recorder["storage"].as_array()?.first()?.clone();
        (root["recorded_bytes"] == size).then_some(root)
    })
    .await;
    assert_eq!(reported["path"], root.display().to_string(), "{reported}");
    assert_eq!(reported["locked_bytes"], size, "{reported}");
    let total = reported["total_bytes"].as_u64().unwrap();
    assert!(total > 0 && reported["free_bytes"].as_u64().unwrap() <= total, "{reported}");
    let oldest = chrono::DateTime::parse_from_rfc3339(reported["oldest"].as_str().unwrap()).unwrap();
    assert!((oldest.with_timezone(&Utc) - start).num_seconds().abs() <= 1, "{reported} vs {start}");
    // The tenant hears of it: a recording_alert event, open while it lasts.
    let recording_alert = || async {
        sqlx::query_as::<_, (String, Option<chrono::DateTime<Utc>>)>(
            "SELECT attributes->>'alert', end_time FROM events WHERE type = 'recording_alert' AND tenant_id = $1",
        )
        .bind(stack.tenant)
        .fetch_optional(&stack.db.owner_pool)
        .await
        .unwrap()
    };
    let (kind, end) = wait_until("the recording_alert event", Duration::from_secs(30), recording_alert).await;
    assert_eq!((kind.as_str(), end), ("evidence_fills_storage", None));
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(evidence.exists(), "locked footage outlives its age and the free-space floor");

    let unlocked = stack.post(Some(&token), &format!("/api/bookmarks/{id}/unlock"), serde_json::json!({})).await;
    assert_eq!(unlocked["locked"], false, "{unlocked}");
    wait_until("the unlocked evidence deleted", Duration::from_secs(20), || async {
        (!evidence.exists()).then_some(())
    })
    .await;
    wait_until("the alert to clear", Duration::from_secs(20), || async {
        (!recorder_health().await.to_string().contains("locked as evidence")).then_some(())
    })
    .await;
    wait_until("the recording_alert event to end", Duration::from_secs(30), || async {
        recording_alert().await.and_then(|(_, end)| end)
    })
    .await;
    assert!(indexed_paths(&stack).await.is_empty(), "the index follows the files");

    recorder.stop().await;
    control.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn footage_of_a_deleted_camera_ages_out_but_another_recorders_root_is_never_touched() {
    vms_base::tracing_setup::install();
    let stack = sandbox(|c| {
        c.recording.retention_interval_secs = 1;
        c.recording.min_free_bytes = 0;
        c.recording.roots = vec![vms_config::StorageRoot { path: c.data_dir.join("own"), max_bytes: None }];
    })
    .await;
    let own = stack.config.recording.roots[0].path.clone();
    // Where the recorder of another node writes, in the same database.
    let elsewhere = stack.config.data_dir.join("another-node");
    let days = chrono::TimeDelta::days;

    // A camera kept 100 days, then deleted: its settings go with it.
    let (gone, _) = stack.add_camera("gone", "rtsp://127.0.0.1:9/gone".into(), Transport::Tcp, None).await;
    let (kept, _) = stack.add_camera("kept", "rtsp://127.0.0.1:9/kept".into(), Transport::Tcp, None).await;
    let mut tx = scope::begin(&stack.db.pool, Scope::Tenant(stack.tenant)).await.unwrap();
    let hundred = recording::Settings { retention_days: Some(100), ..Default::default() };
    recording::set_settings(&mut *tx, stack.tenant, gone, &hundred).await.unwrap();
    let one = recording::Settings { retention_days: Some(1), ..Default::default() };
    recording::set_settings(&mut *tx, stack.tenant, kept, &one).await.unwrap();
    tx.commit().await.unwrap();
    let orphan_old = recorded(&stack, stack.tenant, gone, &own, days(40)).await;
    let orphan_young = recorded(&stack, stack.tenant, gone, &own, days(10)).await;
    let foreign_orphan = recorded(&stack, stack.tenant, gone, &elsewhere, days(40)).await;
    let foreign_expired = recorded(&stack, stack.tenant, kept, &elsewhere, days(3)).await;
    let mut tx = scope::begin(&stack.db.pool, Scope::Tenant(stack.tenant)).await.unwrap();
    vms_catalog::camera::delete(&mut *tx, stack.tenant, gone).await.unwrap();
    tx.commit().await.unwrap();

    let recorder = stack.start_recorder();
    // The default orphan retention is 30 days.
    wait_until("the deleted camera's old footage to go", Duration::from_secs(20), || async {
        (!orphan_old.exists()).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    recorder.stop().await;

    let left = [orphan_young, foreign_orphan, foreign_expired];
    for file in &left {
        assert!(file.exists(), "{} stays", file.display());
    }
    assert_eq!(indexed_paths(&stack).await, sorted(&left), "the index lists exactly the files left");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_deleted_tenants_recordings_are_removed_from_disk() {
    vms_base::tracing_setup::install();
    let stack = sandbox(|c| {
        c.recording.retention_interval_secs = 1;
        c.recording.min_free_bytes = 0;
    })
    .await;
    let root = stack.config.data_dir.join("recordings");
    let mut tx = scope::begin(&stack.db.pool, Scope::AllTenants).await.unwrap();
    let other = vms_catalog::tenant::create(&mut *tx, "leaving").await.unwrap().id;
    tx.commit().await.unwrap();
    let hour = chrono::TimeDelta::hours(1);
    // Footage of a camera the tenant deleted before leaving, and a neighbour's.
    let theirs = recorded(&stack, other, uuid::Uuid::new_v4(), &root, hour).await;
    let ours = recorded(&stack, stack.tenant, uuid::Uuid::new_v4(), &root, hour).await;

    let recorder = stack.start_recorder();
    let mut tx = scope::begin(&stack.db.pool, Scope::AllTenants).await.unwrap();
    vms_catalog::tenant::delete_empty(&mut tx, other).await.unwrap();
    tx.commit().await.unwrap();
    wait_until("the deleted tenant's files to go", Duration::from_secs(20), || async {
        (!theirs.exists()).then_some(())
    })
    .await;
    recorder.stop().await;

    assert!(ours.exists(), "another tenant's footage stays");
    assert_eq!(indexed_paths(&stack).await, vec![ours]);
}

fn sorted(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = files.to_vec();
    files.sort();
    files
}
