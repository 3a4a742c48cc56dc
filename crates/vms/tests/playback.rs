//! Playback and export of a recorded window: an HLS playlist ffmpeg plays
//! from the right picture, the files' bytes behind archive tickets (one use
//! for the playlist, the window's bytes only for its fragments), and an
//! exported MP4 whose signed manifest verifies until one byte changes.

mod common;

use std::{path::Path, process::Command, time::Duration};

use chrono::{DateTime, Utc};
use common::{
    recording::*,
    stack::{camsim, sandbox},
    wait_until,
};
use uuid::Uuid;
use vms_catalog::camera::Transport;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_window_plays_over_hls_and_exports_to_a_verified_mp4() {
    vms_base::tracing_setup::install();
    let sim = camsim(&["cam=h264_720p"]).await;
    let stack = sandbox(|c| c.recording.segment_secs = 10).await;
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
    let secs = chrono::SecondsFormat::Millis;
    // Each playlist spends its ticket: every fetch below gets a URL of its own.
    let playlist_url = || async {
        let ticket = stack.ticket(&token, camera, "archive").await;
        format!(
            "{}/api/cameras/{camera}/streams/main/playback.m3u8?start={}&end={}&ticket={ticket}",
            stack.http(),
            start.to_rfc3339_opts(secs, true),
            end.to_rfc3339_opts(secs, true)
        )
    };
    let url = playlist_url().await;
    let playlist = reqwest::get(&url).await.unwrap().text().await.unwrap();
    assert_eq!(reqwest::get(&url).await.unwrap().status(), 401, "a playlist ticket opens one playlist");
    assert!(playlist.contains("#EXT-X-DISCONTINUITY"), "the window crosses files: {playlist}");
    let first_time: DateTime<Utc> =
        playlist.lines().find_map(|l| l.strip_prefix("#EXT-X-PROGRAM-DATE-TIME:")).unwrap().parse().unwrap();
    let lead = (start - first_time).num_milliseconds();
    assert!((0..=2000).contains(&lead), "playback starts at the keyframe {lead} ms before the window");

    // ffmpeg plays it through without an error.
    let errors =
        Command::new("ffmpeg").args(["-v", "error", "-i", &playlist_url().await, "-f", "null", "-"]).output().unwrap();
    assert!(errors.status.success() && errors.stderr.is_empty(), "{}", String::from_utf8_lossy(&errors.stderr));

    // The first picture is the clip's picture for that moment, as its burnt-in clock says: the
    // recording's first picture pins the clip's timeline, the window's start is so many
    // pictures later, and playback starts at most one GOP (50 pictures) before it.
    let clips = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("camsim-clips");
    let clip_path = vms_camsim::clip::ClipSpec::named("h264_720p").unwrap().stream_path(&clips);
    let clip = grey_pictures(clip_path.to_str().unwrap(), None);
    assert_eq!(clip.len(), 250, "a 10 s clip at 25 fps");
    let recorded_first = clip_index(&clip, &grey_pictures(first.to_str().unwrap(), Some(1))[0]);
    let played_first = clip_index(&clip, &grey_pictures(&playlist_url().await, Some(1))[0]);
    let wanted = (recorded_first as i64 + (start - origin).num_milliseconds() / 40).rem_euclid(250);
    let before = (wanted - played_first as i64).rem_euclid(250);
    assert!(before < 50, "played from clip picture {played_first}, wanted {wanted}: {before} pictures early");
    assert_eq!(played_first % 50, 0, "it starts at a keyframe");

    // The files' bytes refuse a ticket for another camera and a forged one, serve the
    // ranges the playlist lists, and refuse the fragment before the window.
    let file_url = playlist.lines().find(|l| l.starts_with("/api/recordings/")).unwrap();
    let stranger = Uuid::new_v4();
    let now = Utc::now().timestamp();
    let signer = vms_ticket::TicketSigner::load_or_create(&stack.config.secrets_dir()).unwrap();
    let window = vms_ticket::Window { start_ms: start.timestamp_millis(), end_ms: end.timestamp_millis() };
    let grant = vms_ticket::Grant {
        user: Uuid::nil(),
        tenant: stack.tenant,
        session: None,
        camera: stranger,
        stream: "main",
        purpose: vms_ticket::Purpose::Fragments,
        window: Some(window),
    };
    let (other, _) = signer.sign(&grant, now, 60);
    let segment_id = file_url.split('/').nth(3).unwrap();
    let with = |t: &str| format!("{}/api/recordings/{segment_id}/{t}/video.mp4", stack.http());
    assert_eq!(reqwest::get(with(&other)).await.unwrap().status(), 403, "another camera's ticket");
    assert_eq!(reqwest::get(with("v1.forged.x")).await.unwrap().status(), 401, "a forged ticket");
    let read = |range: String| {
        let request = reqwest::Client::new().get(format!("{}{file_url}", stack.http())).header("Range", range);
        async move { request.send().await.unwrap() }
    };
    let ranged = read("bytes=0-99".into()).await;
    assert_eq!(ranged.status(), 206);
    assert_eq!(ranged.bytes().await.unwrap().len(), 100);
    let init_len: u64 =
        playlist.lines().find_map(|l| l.split("BYTERANGE=\"").nth(1)?.split('@').next()?.parse().ok()).unwrap();
    let (len, offset) = playlist
        .lines()
        .find_map(|l| l.strip_prefix("#EXT-X-BYTERANGE:")?.split_once('@'))
        .map(|(len, offset)| (len.parse::<u64>().unwrap(), offset.parse::<u64>().unwrap()))
        .unwrap();
    assert_eq!(read(format!("bytes={offset}-{}", offset + len - 1)).await.status(), 206, "a listed fragment");
    assert!(offset > init_len, "the window starts 2.3 s into the file, after its first fragment: {playlist}");
    assert_eq!(read(format!("bytes={init_len}-{}", offset - 1)).await.status(), 403, "the fragment before the window");
    assert_eq!(reqwest::get(format!("{}{file_url}", stack.http())).await.unwrap().status(), 403, "the whole file");

    // The I-frame playlist of the window lists the same fragments, each as the range
    // from its moof through its keyframe, and those ranges are served.
    let iframes_url = playlist_url().await.replace("/playback.m3u8?", "/iframes.m3u8?");
    let iframes = reqwest::get(&iframes_url).await.unwrap().text().await.unwrap();
    assert!(iframes.contains("#EXT-X-I-FRAMES-ONLY\n"), "{iframes}");
    let ranges = |text: &str| -> Vec<(u64, u64)> {
        text.lines()
            .filter_map(|l| l.strip_prefix("#EXT-X-BYTERANGE:")?.split_once('@'))
            .map(|(len, offset)| (len.parse().unwrap(), offset.parse().unwrap()))
            .collect()
    };
    let (fragments, keyframes) = (ranges(&playlist), ranges(&iframes));
    assert_eq!(keyframes.len(), fragments.len(), "{iframes}");
    for ((whole, at), (key, key_at)) in fragments.iter().zip(&keyframes) {
        assert_eq!(at, key_at, "a keyframe starts its fragment");
        assert!(key < whole && *key > 1000, "the keyframe, not the fragment: {key} of {whole} bytes");
    }
    let iframe_file = iframes.lines().find(|l| l.starts_with("/api/recordings/")).unwrap();
    let (key, key_at) = keyframes[0];
    let keyframe = reqwest::Client::new()
        .get(format!("{}{iframe_file}", stack.http()))
        .header("Range", format!("bytes={key_at}-{}", key_at + key - 1))
        .send()
        .await
        .unwrap();
    assert_eq!(keyframe.status(), 206);
    let keyframe = keyframe.bytes().await.unwrap();
    assert_eq!((keyframe.len() as u64, &keyframe[4..8]), (key, &b"moof"[..]));

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
    assert!(String::from_utf8_lossy(&checked.stdout).contains("pictures as recorded"));

    // The same window watermarked: re-encoded as H.264 with every picture,
    // and its signed manifest says with what text.
    let body = serde_json::json!({
        "camera_id": camera,
        "start": start.to_rfc3339_opts(secs, true),
        "end": end.to_rfc3339_opts(secs, true),
        "watermark": true,
    });
    let created = stack.post(Some(&token), "/api/exports", body).await;
    let marked_id = created["id"].as_str().unwrap_or_else(|| panic!("{created}")).to_owned();
    wait_until("the watermarked export", Duration::from_secs(120), || async {
        let view: serde_json::Value = get(format!("/api/exports/{marked_id}")).await.json().await.unwrap();
        assert_ne!(view["status"], "failed", "{view}");
        (view["status"] == "done").then_some(view)
    })
    .await;
    let (marked, marked_manifest) = (out.path().join("marked.mp4"), out.path().join("marked.manifest.json"));
    std::fs::write(&marked, get(format!("/api/exports/{marked_id}/file")).await.bytes().await.unwrap()).unwrap();
    std::fs::write(&marked_manifest, get(format!("/api/exports/{marked_id}/manifest")).await.bytes().await.unwrap())
        .unwrap();
    assert!(decode_errors(&marked).is_empty(), "the watermarked export plays: {}", decode_errors(&marked));
    assert_eq!(probe(&marked).1, pictures, "every picture of the window, re-encoded");
    let checked = stack.vms(&["export", "verify", marked.to_str().unwrap(), marked_manifest.to_str().unwrap()]);
    assert!(checked.status.success(), "{}", String::from_utf8_lossy(&checked.stderr));
    let said = String::from_utf8_lossy(&checked.stdout);
    assert!(said.contains("verified") && said.contains("watermarked (re-encoded): user watcher"), "{said}");

    // A thumbnail of a moment in the window: the keyframe at or before it, 320 pixels wide.
    let moment = (start + chrono::TimeDelta::seconds(3)).to_rfc3339_opts(secs, true);
    let thumbnail = get(format!("/api/cameras/{camera}/streams/main/thumbnail.jpg?at={moment}")).await;
    assert_eq!(thumbnail.status(), 200);
    assert_eq!(thumbnail.headers()["content-type"], "image/jpeg");
    let taken: DateTime<Utc> = thumbnail.headers()["x-picture-time"].to_str().unwrap().parse().unwrap();
    let before = (start + chrono::TimeDelta::seconds(3) - taken).num_milliseconds();
    assert!((0..=2000).contains(&before), "the keyframe at or before the moment: {before} ms");
    let jpeg = out.path().join("thumbnail.jpg");
    std::fs::write(&jpeg, thumbnail.bytes().await.unwrap()).unwrap();
    let size = Command::new("ffprobe")
        .args(["-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0", jpeg.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&size.stdout).trim(), "320,180", "a 1280×720 picture, scaled down");
    let long_ago = (origin - chrono::TimeDelta::hours(1)).to_rfc3339_opts(secs, true);
    let missing = get(format!("/api/cameras/{camera}/streams/main/thumbnail.jpg?at={long_ago}")).await;
    assert_eq!(missing.status(), 404, "nothing recorded then");

    recorder.stop().await;
    media.stop().await;
    control.stop().await;
    sim.stop().await;
}
