//! The recorded stretches of one or many cameras, for timelines: files that
//! follow each other join, gaps stay visible, the window clips, and each
//! camera named gets its own list, in the order asked.

mod common;

use axum::http::{Method, StatusCode};
use chrono::{DateTime, TimeDelta, Utc};
use common::{Api, api};
use serde_json::{Value, json};
use uuid::Uuid;
use vms_catalog::recording::{self, NewSegment};

async fn camera(api: &Api, site: &str, name: &str) -> (Uuid, Uuid) {
    let body = json!({"name": name, "site_id": site, "streams": [{"role": "main", "url": "rtsp://10.1.1.1/"}]});
    let (status, cam) = api.call(Method::POST, "/api/cameras", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{cam}");
    (cam["id"].as_str().unwrap().parse().unwrap(), cam["streams"][0]["id"].as_str().unwrap().parse().unwrap())
}

/// Indexes a file of `camera` from `start` to `end` seconds after `t0` (no file on disk: ranges read the index only).
async fn file(api: &Api, (camera, stream): (Uuid, Uuid), t0: DateTime<Utc>, start: i64, end: i64) {
    let mut tx = vms_catalog::scope::begin(&api.db.pool, vms_catalog::Scope::AllTenants).await.unwrap();
    let (tenant, _) = recording::stream_owner(&mut *tx, camera, "main").await.unwrap().unwrap();
    let segment = NewSegment {
        id: Uuid::new_v4(),
        tenant_id: tenant,
        camera_id: camera,
        stream_id: stream,
        stream_role: "main".into(),
        root: "/nowhere".into(),
        path: format!("{camera}/{start}.mp4"),
        start_time: t0 + TimeDelta::seconds(start),
        codec: "avc1.64001f".into(),
        width: 640,
        height: 360,
        bytes: 1000,
        kind: vms_catalog::recording::FootageKind::Continuous,
    };
    recording::index_file(&mut tx, &segment, t0 + TimeDelta::seconds(end), &[], "local").await.unwrap();
    tx.commit().await.unwrap();
}

/// The stretches of `camera`'s main stream, as seconds from `t0`.
async fn stretches_of(pool: &sqlx::PgPool, camera: Uuid, t0: DateTime<Utc>) -> Vec<(i64, i64)> {
    let at = |s: i64| t0 + TimeDelta::seconds(s);
    let mut tx = vms_catalog::scope::begin(pool, vms_catalog::Scope::AllTenants).await.unwrap();
    let found = recording::stretches(&mut *tx, &[camera], "main", at(-3600), at(7200)).await.unwrap();
    found.into_iter().map(|s| ((s.start_time - t0).num_seconds(), (s.end_time - t0).num_seconds())).collect()
}

#[tokio::test]
async fn many_cameras_ranges_come_in_one_request() {
    let api = api().await;
    let site = api.create_site("HQ").await;
    let (gate, yard, idle) =
        (camera(&api, &site, "Gate").await, camera(&api, &site, "Yard").await, camera(&api, &site, "Idle").await);
    let t0 = DateTime::from_timestamp(Utc::now().timestamp() - 86_400, 0).unwrap();
    // Gate: 0–600 and 600–1200 follow each other; a gap; 1500–2100.
    for (a, b) in [(0, 600), (600, 1200), (1500, 2100)] {
        file(&api, gate, t0, a, b).await;
    }
    // Yard: 99.6–699.6, then 700–900: 0.4 s apart, within the 500 ms the index may round.
    file(&api, yard, t0, 100, 700).await;
    let mut tx = vms_catalog::scope::begin(&api.db.pool, vms_catalog::Scope::AllTenants).await.unwrap();
    sqlx::query("UPDATE recording_segments SET start_time = start_time - interval '400 ms', end_time = end_time - interval '400 ms' WHERE camera_id = $1")
        .bind(yard.0)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    file(&api, yard, t0, 700, 900).await;

    let at = |s: i64| (t0 + TimeDelta::seconds(s)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let uri = format!(
        "/api/recordings/ranges?camera_id={}&camera_id={}&camera_id={}&start={}&end={}",
        yard.0,
        gate.0,
        idle.0,
        at(300),
        at(2000)
    );
    let (status, body) = api.call(Method::GET, &uri, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let ranges = |i: usize| -> Vec<(String, String)> {
        body["cameras"][i]["ranges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["start"].as_str().unwrap().to_owned(), r["end"].as_str().unwrap().to_owned()))
            .collect()
    };
    let t = |s: i64| Value::String(at(s)).as_str().unwrap().parse::<DateTime<Utc>>().unwrap();
    let parsed = |i| ranges(i).into_iter().map(|(a, b)| (a.parse().unwrap(), b.parse().unwrap())).collect::<Vec<_>>();
    assert_eq!(body["cameras"][0]["camera_id"], yard.0.to_string(), "in the order asked");
    assert_eq!(parsed(1), vec![(t(300), t(1200)), (t(1500), t(2000))], "joined, the gap kept, clipped: {body}");
    assert_eq!(parsed(0), vec![(t(300), t(900))], "files 0.4 s apart are one stretch: {body}");
    assert!(parsed(2).is_empty(), "a camera with nothing recorded is listed, empty: {body}");

    // The single-camera listing says the same.
    let one = format!("/api/cameras/{}/streams/main/recordings?start={}&end={}", gate.0, at(300), at(2000));
    let (status, single) = api.call(Method::GET, &one, None).await;
    assert_eq!(status, StatusCode::OK, "{single}");
    assert_eq!(single["ranges"], body["cameras"][1]["ranges"]);
    assert!(single.get("next_cursor").is_none(), "{single}");
    // A page at a time: the first stretch (clipped), then the rest.
    let (status, first) = api.call(Method::GET, &format!("{one}&limit=1"), None).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["ranges"], json!([body["cameras"][1]["ranges"][0]]), "{first}");
    let cursor = first["next_cursor"].as_str().expect("a second page");
    let (status, second) = api.call(Method::GET, &format!("{one}&limit=1&cursor={cursor}"), None).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert_eq!(second["ranges"], json!([body["cameras"][1]["ranges"][1]]), "{second}");
    assert!(second.get("next_cursor").is_none(), "{second}");
    let elsewhere =
        format!("/api/cameras/{}/streams/main/recordings?start={}&end={}&cursor={cursor}", yard.0, at(300), at(2000));
    assert_eq!(api.call(Method::GET, &elsewhere, None).await.0, StatusCode::BAD_REQUEST, "another camera's cursor");
    for bad in ["limit=0", "limit=501", "cursor=zz"] {
        assert_eq!(api.call(Method::GET, &format!("{one}&{bad}"), None).await.0, StatusCode::BAD_REQUEST, "{bad}");
    }

    let unknown = format!("/api/recordings/ranges?camera_id={}&start={}&end={}", Uuid::new_v4(), at(0), at(10));
    assert_eq!(api.call(Method::GET, &unknown, None).await.0, StatusCode::NOT_FOUND);
    let long = format!("/api/recordings/ranges?camera_id={}&start={}&end={}", gate.0, at(0), at(40 * 86_400));
    assert_eq!(api.call(Method::GET, &long, None).await.0, StatusCode::BAD_REQUEST, "at most 31 days");
}

/// The stretches follow the index whoever changes it: retention taking the
/// oldest file, a file going from the middle (the stretch splits) or the
/// end, and a file whose times are corrected (reindex).
#[tokio::test]
async fn stretches_follow_files_that_go_or_move() {
    let api = api().await;
    let site = api.create_site("HQ").await;
    let cam = camera(&api, &site, "Gate").await;
    let t0 = DateTime::from_timestamp(Utc::now().timestamp() - 86_400, 0).unwrap();
    for a in (0..3000).step_by(600) {
        file(&api, cam, t0, a, a + 600).await;
    }
    let at = |s: i64| t0 + TimeDelta::seconds(s);
    let pool = &api.db.pool;
    let stretches = || stretches_of(pool, cam.0, t0);
    let change = |sql: &'static str, start: i64| async move {
        let mut tx = vms_catalog::scope::begin(pool, vms_catalog::Scope::AllTenants).await.unwrap();
        let done = sqlx::query(sql).bind(cam.0).bind(at(start)).execute(&mut *tx).await.unwrap();
        assert_eq!(done.rows_affected(), 1, "{sql}");
        tx.commit().await.unwrap();
    };
    let delete = "DELETE FROM recording_segments WHERE camera_id = $1 AND start_time = $2";
    assert_eq!(stretches().await, vec![(0, 3000)]);
    change(delete, 0).await;
    assert_eq!(stretches().await, vec![(600, 3000)], "retention took the oldest file");
    change(delete, 1800).await;
    assert_eq!(stretches().await, vec![(600, 1800), (2400, 3000)], "a file from the middle splits the stretch");
    change(delete, 2400).await;
    assert_eq!(stretches().await, vec![(600, 1800)], "the newest file of a stretch");
    let moved = "UPDATE recording_segments SET start_time = start_time + interval '1 hour', \
                 end_time = end_time + interval '1 hour' WHERE camera_id = $1 AND start_time = $2";
    change(moved, 1200).await;
    assert_eq!(stretches().await, vec![(600, 1200), (4800, 5400)], "a file whose times were corrected");
    let mut tx = vms_catalog::scope::begin(&api.db.pool, vms_catalog::Scope::AllTenants).await.unwrap();
    sqlx::query("DELETE FROM recording_segments WHERE camera_id = $1").bind(cam.0).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    assert!(stretches().await.is_empty(), "nothing left, nothing listed");
}

/// Files that overlap (a clock step, crash repair) keep their stretch right
/// as they go, and a file growing as it is written, under its tenant's
/// scope as the recorder writes, extends its stretch.
#[tokio::test]
async fn stretches_hold_overlapping_and_growing_files() {
    let api = api().await;
    let site = api.create_site("HQ").await;
    let cam = camera(&api, &site, "Gate").await;
    let t0 = DateTime::from_timestamp(Utc::now().timestamp() - 86_400, 0).unwrap();
    let at = |s: i64| t0 + TimeDelta::seconds(s);
    let pool = &api.db.pool;
    let stretches = || stretches_of(pool, cam.0, t0);
    let delete = |start: i64| async move {
        let mut tx = vms_catalog::scope::begin(pool, vms_catalog::Scope::AllTenants).await.unwrap();
        sqlx::query("DELETE FROM recording_segments WHERE camera_id = $1 AND start_time = $2")
            .bind(cam.0)
            .bind(at(start))
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    };
    for (a, b) in [(0, 150), (50, 80), (140, 200)] {
        file(&api, cam, t0, a, b).await;
    }
    assert_eq!(stretches().await, vec![(0, 200)]);
    delete(140).await;
    assert_eq!(stretches().await, vec![(0, 150)], "the newest file went; the longest one still ends at 150");
    file(&api, cam, t0, 149, 300).await;
    delete(0).await;
    assert_eq!(stretches().await, vec![(50, 80), (149, 300)], "the file that covered the gap went");

    // A file opened and growing fragment by fragment, as the recorder indexes it.
    let mut tx = vms_catalog::scope::begin(pool, vms_catalog::Scope::AllTenants).await.unwrap();
    let (tenant, _) = recording::stream_owner(&mut *tx, cam.0, "main").await.unwrap().unwrap();
    drop(tx);
    let segment = NewSegment {
        id: Uuid::new_v4(),
        tenant_id: tenant,
        camera_id: cam.0,
        stream_id: cam.1,
        stream_role: "main".into(),
        root: "/nowhere".into(),
        path: "growing.mp4".into(),
        start_time: at(1000),
        codec: "avc1.64001f".into(),
        width: 640,
        height: 360,
        bytes: 700,
        kind: vms_catalog::recording::FootageKind::Continuous,
    };
    let mut tx = vms_catalog::scope::begin(pool, vms_catalog::Scope::Tenant(tenant)).await.unwrap();
    recording::open_segment(&mut *tx, &segment, "local").await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(stretches().await, vec![(50, 80), (149, 300)], "an empty file is no video yet");
    for i in 0..3i64 {
        let fragment = recording::Fragment {
            seq: i as i32 + 1,
            start_time: at(1000 + 2 * i),
            duration_ms: 2000,
            byte_offset: 700 + 1000 * i,
            byte_len: 1000,
            keyframe: true,
            pictures: 50,
        };
        let mut tx = vms_catalog::scope::begin(pool, vms_catalog::Scope::Tenant(tenant)).await.unwrap();
        recording::add_fragment(&mut tx, tenant, segment.id, &fragment, at(1002 + 2 * i), 1700 + 1000 * i)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    assert_eq!(stretches().await, vec![(50, 80), (149, 300), (1000, 1006)], "the file grew its stretch");
}
