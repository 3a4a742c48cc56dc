//! Exports, made by the recorder's archive and reached through control:
//! jobs survive a restart of the recorder; downloads are audited; running exports
//! and the bytes exports hold are capped; finished files expire; files are
//! private to the service account. Who may reach an export is checked in
//! `authorization.rs`.

mod common;

use axum::http::{Method, StatusCode};
use common::{Api, api, api_with};
use serde_json::{Value, json};

/// Creates a site and a camera in it; returns the camera.
async fn camera(api: &Api, site_name: &str) -> String {
    let site = api.create_site(site_name).await;
    let (status, cam) = api
        .call(
            Method::POST,
            "/api/cameras",
            Some(json!({"name": format!("{site_name} Cam"), "site_id": site,
                        "streams": [{"role": "main", "url": "rtsp://10.1.1.1/"}]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{cam}");
    cam["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn exports_survive_a_restart_and_running_ones_end_interrupted() {
    let mut api = api().await;
    let cam = camera(&api, "Depot").await;
    let footage = api.record_footage(&cam, 10).await;
    let done = api.export_done(&api.token.clone(), &cam, &footage).await;
    // A job that was running when its recorder stopped.
    let running = uuid::Uuid::new_v4();
    sqlx::query(
        "INSERT INTO export_jobs (id, tenant_id, camera_id, user_id, node_id, stream, start_time, end_time, status) \
         SELECT $1, tenant_id, id, (SELECT id FROM users WHERE username = 'admin'), $3, 'main', now(), now(), \
         'running' FROM cameras WHERE id = $2",
    )
    .bind(running)
    .bind(cam.parse::<uuid::Uuid>().unwrap())
    .bind(&api.state.config().node_id)
    .execute(&api.db.owner_pool)
    .await
    .unwrap();

    // The recorder comes back.
    api.start_archive().await;
    let get = |uri: String| {
        let api = &api;
        async move { api.raw(Method::GET, &uri, Some(&api.token), None).await }
    };
    let (status, body) = get(format!("/api/exports/{done}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["status"], "done", "{body}");
    let (status, _) = get(format!("/api/exports/{done}/file")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = get(format!("/api/exports/{running}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let view: Value = serde_json::from_str(&body).unwrap();
    assert_eq!((view["status"].as_str(), view["error"].as_str()), (Some("failed"), Some("interrupted")), "{body}");
}

#[tokio::test]
async fn downloads_are_audited() {
    let api = api().await;
    let cam = camera(&api, "Gate").await;
    let footage = api.record_footage(&cam, 5).await;
    let id = api.export_done(&api.token.clone(), &cam, &footage).await;
    let (status, _) = api.call(Method::GET, &format!("/api/exports/{id}/file"), None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = api.call(Method::GET, &format!("/api/exports/{id}/manifest"), None).await;
    assert_eq!(status, StatusCode::OK);
    let mut downloads = Vec::new();
    for _ in 0..100 {
        let (_, page) = api.call(Method::GET, "/api/audit?action=export.download&limit=50", None).await;
        downloads = page["items"].as_array().cloned().unwrap_or_default();
        if downloads.len() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(downloads.len(), 2, "{downloads:?}");
    for entry in &downloads {
        assert_eq!(entry["details"]["export"], id.as_str(), "{entry}");
        assert_eq!(entry["target_id"], cam.as_str(), "{entry}");
        assert_eq!(entry["actor_name"], "admin");
    }
}

#[tokio::test]
async fn running_exports_are_capped_per_user_and_per_server() {
    // 0 is below what the config accepts; it makes the cap hold whatever runs.
    for (tweak, needle) in [
        ((|c: &mut vms_config::Config| c.export.max_running_per_user = 0) as fn(&mut vms_config::Config), "you have"),
        (|c: &mut vms_config::Config| c.export.max_running = 0, "server"),
    ] {
        let api = api_with(tweak).await;
        let cam = camera(&api, "Yard").await;
        let footage = api.record_footage(&cam, 5).await;
        let body = json!({"camera_id": cam, "start": footage.start.to_rfc3339(), "end": footage.end.to_rfc3339()});
        let (status, body) = api.call(Method::POST, "/api/exports", Some(body)).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
        assert!(body["message"].as_str().unwrap().contains(needle), "{body}");
    }
}

#[tokio::test]
async fn exports_count_against_storage_and_expire() {
    let api = api_with(|c| c.export.max_bytes = 4000).await;
    // Control and the recorder tell the time by one clock the test moves.
    let clock = vms_base::clock::ManualClock::new(chrono::Utc::now());
    let shared: vms_base::clock::SharedClock = std::sync::Arc::new(clock.clone());
    let mut api = api.rebuild(|s| s.set_clock(shared));
    api.start_archive().await;
    let cam = camera(&api, "Dock").await;
    let footage = api.record_footage(&cam, 20).await;
    let id = api.export_done(&api.token.clone(), &cam, &footage).await;
    let (_, view) = api.call(Method::GET, &format!("/api/exports/{id}"), None).await;
    let bytes = view["bytes"].as_u64().unwrap();
    let (status, system) = api.call(Method::GET, "/api/system", None).await;
    assert_eq!(status, StatusCode::OK, "{system}");
    assert_eq!(system["exports"]["bytes"].as_u64(), Some(bytes), "{system}");

    // Another export of the same size would pass the cap.
    assert!(bytes <= 4000 && 2 * bytes > 4000, "the fixture is {bytes} bytes");
    let body = json!({"camera_id": cam, "start": footage.start.to_rfc3339(), "end": footage.end.to_rfc3339()});
    let (status, refused) = api.call(Method::POST, "/api/exports", Some(body.clone())).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert!(refused["message"].as_str().unwrap().contains("export.max_bytes"), "{refused}");
    // The cap is the installation's: what other tenants' exports hold is not this caller's to learn.
    assert!(!refused["message"].as_str().unwrap().contains(&bytes.to_string()), "held bytes leak: {refused}");

    // Within its keep time a sweep leaves it; past it, a sweep deletes the file and marks the job.
    let file = api.state.config().data_dir.join("exports").join(format!("{id}.mp4"));
    clock.advance(chrono::TimeDelta::hours(23));
    api.exports().sweep().await.unwrap();
    assert!(file.exists(), "kept for export.keep_secs (24 h by default)");
    let (status, _) = api.call(Method::GET, &format!("/api/exports/{id}/file"), None).await;
    assert_eq!(status, StatusCode::OK);
    clock.advance(chrono::TimeDelta::hours(2));
    api.exports().sweep().await.unwrap();
    assert!(!file.exists(), "the expired file is deleted");
    let (_, view) = api.call(Method::GET, &format!("/api/exports/{id}"), None).await;
    assert_eq!(view["status"], "expired", "{view}");
    let (status, gone) = api.call(Method::GET, &format!("/api/exports/{id}/file"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{gone}");
    assert!(gone["message"].as_str().unwrap().contains("expired"), "{gone}");
    let (_, system) = api.call(Method::GET, "/api/system", None).await;
    assert_eq!(system["exports"]["bytes"].as_u64(), Some(0), "{system}");
    let (status, again) = api.call(Method::POST, "/api/exports", Some(body)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "room again once expired: {again}");
}

#[cfg(unix)]
#[tokio::test]
async fn export_files_are_private_to_the_service() {
    use std::os::unix::fs::PermissionsExt;

    let api = api().await;
    let cam = camera(&api, "Vault").await;
    let footage = api.record_footage(&cam, 5).await;
    let id = api.export_done(&api.token.clone(), &cam, &footage).await;
    let dir = api.state.config().data_dir.join("exports");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700, "the exports directory");
    assert_eq!(mode(&dir.join(format!("{id}.mp4"))), 0o600, "the export");
    assert_eq!(mode(&dir.join(format!("{id}.manifest.json"))), 0o600, "its manifest");
}

/// An hour ago, in whole seconds (as the index keeps times exactly).
fn an_hour_ago() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(chrono::Utc::now().timestamp() - 3600, 0).unwrap()
}

/// Starts exporting `footage` of `camera`, watermarked; returns the export's id.
async fn start_watermarked(api: &Api, camera: &str, footage: &common::Footage) -> String {
    let body = json!({"camera_id": camera, "start": footage.start.to_rfc3339(), "end": footage.end.to_rfc3339(),
                      "watermark": true});
    let (status, started) = api.call(Method::POST, "/api/exports", Some(body)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    started["id"].as_str().unwrap().to_owned()
}

/// Waits until export `id` ends; returns its view and every progress seen while it ran.
async fn ended(api: &Api, id: &str) -> (Value, Vec<f64>) {
    let mut seen = Vec::new();
    for _ in 0..1500 {
        let (status, view) = api.call(Method::GET, &format!("/api/exports/{id}"), None).await;
        assert_eq!(status, StatusCode::OK, "{view}");
        if view["status"] != "running" {
            return (view, seen);
        }
        seen.push(view["progress"].as_f64().unwrap());
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("export {id} never ended");
}

#[tokio::test]
async fn watermarked_exports_are_reencoded_and_their_signed_manifest_says_so() {
    let api = api().await;
    let cam = camera(&api, "Lobby").await;
    let clip = vms_testkit::media::clip(vms_codec::Codec::H265, 320, 240, 50);
    let footage = api.record_recording(&cam, &clip.recording(an_hour_ago())).await;
    let before = chrono::Utc::now() - chrono::TimeDelta::seconds(1);
    let id = start_watermarked(&api, &cam, &footage).await;
    let (view, seen) = ended(&api, &id).await;
    assert_eq!(view["status"], "done", "{view}");
    assert_eq!(view["progress"], 1.0);
    assert!(seen.iter().all(|p| (0.0..=1.0).contains(p)) && seen.is_sorted(), "{seen:?}");

    let (status, manifest) = api.raw(Method::GET, &format!("/api/exports/{id}/manifest"), Some(&api.token), None).await;
    assert_eq!(status, StatusCode::OK, "{manifest}");
    let signed: Value = serde_json::from_str(&manifest).unwrap();
    // The file the recorder serves.
    let file = std::fs::read(api.state.config().data_dir.join("exports").join(format!("{id}.mp4"))).unwrap();
    let mark = &signed["manifest"]["watermark"];
    assert_eq!((mark["user"].as_str(), mark["camera"].as_str()), (Some("admin"), Some("Lobby Cam")), "{signed}");
    let time: chrono::DateTime<chrono::Utc> = mark["time"].as_str().unwrap().parse().unwrap();
    assert!(time >= before && time <= chrono::Utc::now(), "{time}");

    // It verifies with the installation's public key, as `vms export verify` checks it.
    use vms_recorder::archive::export::manifest;
    let public = api.state.config().secrets_dir().join(manifest::EXPORT_PUBLIC_KEY_FILE);
    let key = manifest::parse_public_key(&std::fs::read_to_string(public).unwrap()).unwrap();
    let verified = manifest::verify(manifest.as_bytes(), &file, &key).unwrap();
    assert_eq!(verified.watermark.map(|w| w.user), Some("admin".to_owned()));
    // The API serves the same key, for clients that check manifests themselves.
    let (status, served) = api.raw(Method::GET, "/api/exports/public-key", Some(&api.token), None).await;
    assert_eq!(status, StatusCode::OK, "{served}");
    let served: Value = serde_json::from_str(&served).unwrap();
    assert_eq!(served["public_key"], signed["manifest"]["public_key"], "{served}");

    // And it is H.264 with every picture, whatever the camera sent.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.mp4");
    std::fs::write(&path, &file).unwrap();
    let probe = std::process::Command::new("ffprobe")
        .args(["-v", "error", "-count_frames", "-select_streams", "v:0", "-of", "csv=p=0"])
        .args(["-show_entries", "stream=codec_name,nb_read_frames"])
        .arg(&path)
        .output()
        .expect("failed to run ffprobe; install ffmpeg");
    assert_eq!(String::from_utf8_lossy(&probe.stdout).trim(), "h264,50");
}

#[tokio::test]
async fn a_watermarked_export_of_damaged_footage_fails_with_the_reason() {
    let api = api().await;
    let cam = camera(&api, "Stairs").await;
    let clip = vms_testkit::media::clip(vms_codec::Codec::H264, 320, 240, 50);
    let mut recording = clip.recording(an_hour_ago());
    // The second fragment's first picture says it is longer than the file.
    let at = recording.fragments[1].byte_offset as usize;
    let len = recording.fragments[1].byte_len as usize;
    let first = vms_codec::fmp4::fragment_samples(&recording.file[at..at + len]).unwrap()[0].offset + at;
    recording.file[first..first + 4].copy_from_slice(&u32::MAX.to_be_bytes());
    let footage = api.record_recording(&cam, &recording).await;
    let id = start_watermarked(&api, &cam, &footage).await;
    let (view, _) = ended(&api, &id).await;
    assert_eq!(view["status"], "failed", "{view}");
    let error = view["error"].as_str().unwrap();
    let when = recording.fragments[1].start_time.to_rfc3339();
    assert!(error.contains(&format!("failed to watermark the picture recorded at {when}")), "{error}");
    assert!(error.contains("malformed"), "{error}");
    assert!(!api.state.config().data_dir.join("exports").join(format!("{id}.mp4")).exists());
}

#[tokio::test]
async fn a_stopping_recorder_ends_its_reencodes_at_once_and_leaves_them_for_the_next_start() {
    let api = api().await;
    let cam = camera(&api, "Dock").await;
    // 30 s of 640×480: a re-encode taking seconds, stopped within milliseconds of its start.
    let clip = vms_testkit::media::clip(vms_codec::Codec::H264, 640, 480, 750);
    let footage = api.record_recording(&cam, &clip.recording(an_hour_ago())).await;
    let id = start_watermarked(&api, &cam, &footage).await;
    let job: uuid::Uuid = id.parse().unwrap();
    assert!(api.exports().job(job).is_some(), "the export runs");

    api.exports().stop_all();
    let stopped = tokio::time::Instant::now();
    while api.exports().job(job).is_some() {
        assert!(stopped.elapsed() < std::time::Duration::from_secs(10), "a stopping recorder still re-encodes");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let exports = api.state.config().data_dir.join("exports");
    let left: Vec<_> = std::fs::read_dir(&exports).into_iter().flatten().flatten().map(|e| e.file_name()).collect();
    assert!(left.iter().all(|f| !f.to_string_lossy().starts_with(&id)), "files left behind: {left:?}");
    // Not recorded as cancelled by anyone: the next start marks it interrupted.
    let (status, view) = api.raw(Method::GET, &format!("/api/exports/{id}"), Some(&api.token), None).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let view: Value = serde_json::from_str(&view).unwrap();
    assert_ne!(view["status"], "cancelled", "{view}");
    assert_eq!(api.exports().interrupt_stale().await.unwrap(), 1, "the next start finds it interrupted");
}

/// Records a finished export job of `camera` by `user`, asked for `age_secs` ago.
async fn past_export(api: &Api, camera: &str, user: &str, status: &str, age_secs: i64) -> String {
    let id = uuid::Uuid::new_v4();
    sqlx::query(
        "INSERT INTO export_jobs (id, tenant_id, camera_id, user_id, node_id, stream, start_time, end_time, status, \
         created_at) SELECT $1, tenant_id, id, $3, 'node-a', 'main', now() - interval '1 hour', now(), $4, \
         now() - make_interval(secs => $5) FROM cameras WHERE id = $2",
    )
    .bind(id)
    .bind(camera.parse::<uuid::Uuid>().unwrap())
    .bind(user.parse::<uuid::Uuid>().unwrap())
    .bind(status)
    .bind(age_secs as f64)
    .execute(&api.db.owner_pool)
    .await
    .unwrap();
    id.to_string()
}

/// The ids of every page of `GET /api/exports?{filter}`, walked `limit` at a time.
async fn listed(api: &Api, token: &str, filter: &str, limit: usize) -> Vec<String> {
    let (mut ids, mut cursor) = (Vec::new(), None::<String>);
    loop {
        let after = cursor.as_ref().map(|c| format!("&cursor={c}")).unwrap_or_default();
        let uri = format!("/api/exports?limit={limit}&{filter}{after}");
        let (status, text) = api.raw(Method::GET, &uri, Some(token), None).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {text}");
        let page: Value = serde_json::from_str(&text).unwrap();
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= limit, "{text}");
        ids.extend(items.iter().map(|e| e["id"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return ids,
        }
    }
}

#[tokio::test]
async fn exports_are_listed_newest_first_to_those_who_may_export_their_camera() {
    let api = api().await;
    let (north, south) = (camera(&api, "North").await, camera(&api, "South").await);
    let (_, me) = api.call(Method::GET, "/api/auth/me", None).await;
    let admin = me["id"].as_str().unwrap().to_owned();
    let (_, north_cam) = api.call(Method::GET, &format!("/api/cameras/{north}"), None).await;
    let body = json!({"username": "north-guard", "password": "North-guard-pw-1",
                      "roles": [{"role": "operator", "site_id": north_cam["site_id"]}]});
    let (status, guard) = api.call(Method::POST, "/api/users", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{guard}");
    let guard_id = guard["id"].as_str().unwrap().to_owned();
    let oldest = past_export(&api, &north, &admin, "done", 400).await;
    let failed = past_export(&api, &south, &admin, "failed", 300).await;
    let guards = past_export(&api, &north, &guard_id, "expired", 200).await;
    let newest = past_export(&api, &north, &admin, "done", 100).await;

    let all = listed(&api, &api.token, "", 3).await;
    assert_eq!(
        all,
        [newest.as_str(), guards.as_str(), failed.as_str(), oldest.as_str()],
        "newest first, each once across pages"
    );
    assert_eq!(listed(&api, &api.token, &format!("cameras={south}"), 2).await, [failed.as_str()]);
    assert_eq!(listed(&api, &api.token, "status=failed&status=expired", 1).await, [guards.as_str(), failed.as_str()]);
    assert_eq!(
        listed(&api, &api.token, "status=done,failed&mine=true", 5).await,
        [newest.as_str(), failed.as_str(), oldest.as_str()]
    );
    let (_, page) = api.call(Method::GET, "/api/exports?limit=1", None).await;
    let first = &page["items"][0];
    assert_eq!((first["camera_id"].as_str(), first["stream"].as_str()), (Some(north.as_str()), Some("main")), "{page}");
    assert_eq!(first["requested_by"], admin.as_str(), "{page}");
    assert!(first["created_at"].is_string() && first["start"].is_string() && first["end"].is_string(), "{page}");

    // A site operator sees the exports of that site's cameras, whoever asked for them.
    let token = api.login("north-guard", "North-guard-pw-1").await;
    assert_eq!(listed(&api, &token, "", 10).await, [newest.as_str(), guards.as_str(), oldest.as_str()]);
    assert_eq!(listed(&api, &token, &format!("cameras={south}"), 10).await, Vec::<String>::new());
    assert_eq!(listed(&api, &token, "mine=true", 10).await, [guards.as_str()]);
    // Nor does a viewer without `camera.export` get a list.
    let viewer = api.user_with_roles("looker", &["viewer"]).await;
    let (status, text) = api.raw(Method::GET, "/api/exports", Some(&viewer), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{text}");
    for bad in ["status=lost", "limit=0", "cursor=zz", "cameras=x", "mine=perhaps", "sort=new"] {
        let (status, text) = api.raw(Method::GET, &format!("/api/exports?{bad}"), Some(&api.token), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {text}");
    }
}
