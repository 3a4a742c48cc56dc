//! Archive tickets (issue 11, point 10): a playlist ticket opens one
//! playlist; the ticket the playlist hands its fragment URLs opens only the
//! bytes of its window, lives about as long as the window, and dies within
//! seconds when its user is disabled or loses the grant.

mod common;

use axum::http::{Method, StatusCode};
use chrono::{DateTime, TimeDelta, Utc};
use common::{Api, api};
use serde_json::{Value, json};
use uuid::Uuid;
use vms_catalog::recording::{self, Fragment, NewSegment};

/// Length of the fake file's init segment.
const INIT_LEN: i64 = 700;
/// Length of each of its five 2-second fragments.
const FRAGMENT_LEN: i64 = 1000;

/// A camera with one recorded file of five 2-second fragments.
struct Recorded {
    api: Api,
    camera: Uuid,
    t0: DateTime<Utc>,
}

async fn recorded() -> Recorded {
    let api = api().await;
    let site = api.create_site("HQ").await;
    let body = json!({"name": "Gate", "site_id": site, "streams": [{"role": "main", "url": "rtsp://a/"}]});
    let (status, cam) = api.call(Method::POST, "/api/cameras", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{cam}");
    let camera: Uuid = cam["id"].as_str().unwrap().parse().unwrap();
    let stream: Uuid = cam["streams"][0]["id"].as_str().unwrap().parse().unwrap();
    // The recorder's own storage root: it opens no file outside its roots.
    let root = api.state.config().data_dir.join("recordings");
    std::fs::create_dir_all(&root).unwrap();
    let bytes: Vec<u8> = (0..INIT_LEN + 5 * FRAGMENT_LEN).map(|i| i as u8).collect();
    std::fs::write(root.join("seg.mp4"), bytes).unwrap();

    let t0 = DateTime::from_timestamp(Utc::now().timestamp() - 3600, 0).unwrap();
    let mut tx = vms_catalog::scope::begin(&api.db.pool, vms_catalog::Scope::AllTenants).await.unwrap();
    let tenant = vms_catalog::tenant::find_by_name(&mut *tx, "default").await.unwrap().unwrap().id;
    let segment = Uuid::new_v4();
    let new = NewSegment {
        id: segment,
        tenant_id: tenant,
        camera_id: camera,
        stream_id: stream,
        stream_role: "main".into(),
        root: root.to_str().unwrap().into(),
        path: "seg.mp4".into(),
        start_time: t0,
        codec: "avc1.64001f".into(),
        width: 1280,
        height: 720,
        bytes: INIT_LEN,
        kind: vms_catalog::recording::FootageKind::Continuous,
    };
    recording::open_segment(&mut *tx, &new, &api.state.config().node_id).await.unwrap();
    for i in 0..5 {
        let fragment = Fragment {
            seq: i + 1,
            start_time: t0 + TimeDelta::seconds(2 * i64::from(i)),
            duration_ms: 2000,
            byte_offset: INIT_LEN + FRAGMENT_LEN * i64::from(i),
            byte_len: FRAGMENT_LEN as i32,
            keyframe: true,
            pictures: 50,
        };
        let end = fragment.start_time + TimeDelta::seconds(2);
        let size = fragment.byte_offset + FRAGMENT_LEN;
        recording::add_fragment(&mut tx, tenant, segment, &fragment, end, size).await.unwrap();
    }
    recording::close_segment(&mut *tx, segment).await.unwrap();
    tx.commit().await.unwrap();
    Recorded { api, camera, t0 }
}

impl Recorded {
    /// An archive ticket for the main stream, issued to whoever `token` authenticates.
    async fn ticket(&self, token: &str) -> String {
        let uri = format!("/api/cameras/{}/streams/main/ticket", self.camera);
        let body = json!({"purpose": "archive"}).to_string();
        let (status, text) = self.api.raw(Method::POST, &uri, Some(token), Some(&body)).await;
        assert_eq!(status, StatusCode::CREATED, "{text}");
        serde_json::from_str::<Value>(&text).unwrap()["ticket"].as_str().unwrap().to_owned()
    }

    /// Asks for the playlist of the window from `from` to `to` seconds after the recording started.
    async fn playlist(&self, ticket: &str, from: i64, to: i64) -> (StatusCode, String) {
        let at = |s: i64| (self.t0 + TimeDelta::seconds(s)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let uri = format!(
            "/api/cameras/{}/streams/main/playback.m3u8?start={}&end={}&ticket={ticket}",
            self.camera,
            at(from),
            at(to)
        );
        self.api.raw(Method::GET, &uri, None, None).await
    }

    /// The fragment URL of a playlist (all point at the one file).
    fn file_url(playlist: &str) -> String {
        playlist.lines().find(|l| l.starts_with("/api/recordings/")).unwrap_or_else(|| panic!("{playlist}")).into()
    }

    /// Reads `range` (`None`: the whole file) of a fragment URL.
    async fn read(&self, url: &str, range: Option<&str>) -> StatusCode {
        let mut request = axum::http::Request::builder().uri(url);
        if let Some(r) = range {
            request = request.header("range", r);
        }
        let request = request.body(axum::body::Body::empty()).unwrap();
        tower::ServiceExt::oneshot(self.api.app.clone(), request).await.unwrap().status()
    }

    /// The id of the user `token` authenticates.
    async fn user_id(&self, token: &str) -> String {
        let (_, me) = self.api.raw(Method::GET, "/api/auth/me", Some(token), None).await;
        serde_json::from_str::<Value>(&me).unwrap()["id"].as_str().unwrap().to_owned()
    }
}

/// Issue 11, point 10: the fragment ticket opens the init segment and the
/// fragments overlapping its window, nothing else of the file, and lives as
/// long as the window plus a margin rather than hours.
#[tokio::test]
async fn a_fragment_ticket_opens_only_the_bytes_of_its_window() {
    let r = recorded().await;
    let ticket = r.ticket(&r.api.token).await;
    let (status, playlist) = r.playlist(&ticket, 3, 6).await;
    assert_eq!(status, StatusCode::OK, "{playlist}");
    let url = Recorded::file_url(&playlist);
    // 3 s..6 s overlaps the 2nd (2 s..4 s, bytes 1700..2700) and 3rd (4 s..6 s, bytes 2700..3700) fragments.
    assert!(playlist.contains("#EXT-X-BYTERANGE:1000@1700\n"), "{playlist}");
    assert_eq!(r.read(&url, Some("bytes=0-699")).await, StatusCode::PARTIAL_CONTENT, "the init segment");
    assert_eq!(r.read(&url, Some("bytes=1700-2699")).await, StatusCode::PARTIAL_CONTENT, "a fragment in the window");
    assert_eq!(r.read(&url, Some("bytes=1700-3699")).await, StatusCode::PARTIAL_CONTENT, "both, in one range");

    assert_eq!(r.read(&url, Some("bytes=700-1699")).await, StatusCode::FORBIDDEN, "the fragment before the window");
    assert_eq!(r.read(&url, Some("bytes=3700-4699")).await, StatusCode::FORBIDDEN, "the fragment after it");
    assert_eq!(r.read(&url, Some("bytes=2700-3700")).await, StatusCode::FORBIDDEN, "one byte past it");
    assert_eq!(r.read(&url, Some("bytes=-100")).await, StatusCode::FORBIDDEN, "the file's tail");
    assert_eq!(r.read(&url, None).await, StatusCode::FORBIDDEN, "the whole file");

    // The fragment ticket is no playlist ticket: it cannot buy a ticket for another window.
    let fragment_ticket = url.split('/').nth(4).unwrap();
    let (status, text) = r.playlist(fragment_ticket, 0, 10).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{text}");

    let verifier = vms_ticket::TicketVerifier::load(&r.api.state.config().secrets_dir()).unwrap();
    let claims = verifier.decode(fragment_ticket, Utc::now().timestamp()).unwrap();
    let lifetime = claims.exp - claims.iat;
    assert!(lifetime <= 3 + 15 * 60, "a 3-second window needs no {lifetime}-second ticket");
}

/// Issue 11, point 10: a playlist ticket is spent by the playlist it opens.
#[tokio::test]
async fn a_playlist_ticket_opens_one_playlist() {
    let r = recorded().await;
    let ticket = r.ticket(&r.api.token).await;
    assert_eq!(r.playlist(&ticket, 0, 10).await.0, StatusCode::OK);
    let (status, text) = r.playlist(&ticket, 0, 10).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{text}");
    assert!(text.contains("already used"), "{text}");
}

/// Issue 11, point 10: disabling a user ends their outstanding archive tickets.
#[tokio::test]
async fn disabling_the_user_ends_their_archive_tickets() {
    let r = recorded().await;
    let token = r.api.user_with_roles("watcher", &["operator"]).await;
    let (status, playlist) = r.playlist(&r.ticket(&token).await, 0, 10).await;
    assert_eq!(status, StatusCode::OK, "{playlist}");
    let url = Recorded::file_url(&playlist);
    let unused = r.ticket(&token).await;
    assert_eq!(r.read(&url, Some("bytes=0-99")).await, StatusCode::PARTIAL_CONTENT);

    let user = r.user_id(&token).await;
    let (status, body) =
        r.api.call(Method::PATCH, &format!("/api/users/{user}"), Some(json!({"disabled": true}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(r.read(&url, Some("bytes=0-99")).await, StatusCode::UNAUTHORIZED, "the fragment ticket");
    assert_eq!(r.playlist(&unused, 0, 10).await.0, StatusCode::UNAUTHORIZED, "an unused playlist ticket");
}

/// Issue 11, point 10: taking away the grant ends outstanding archive
/// tickets, even those issued through an API key (which belong to no login).
#[tokio::test]
async fn revoking_the_grant_ends_archive_tickets_issued_with_an_api_key() {
    let r = recorded().await;
    let token = r.api.user_with_roles("watcher", &["operator"]).await;
    let body = json!({"name": "wall", "permissions": ["camera.view_archive"]}).to_string();
    let (status, created) = r.api.raw(Method::POST, "/api/api-keys", Some(&token), Some(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let key = serde_json::from_str::<Value>(&created).unwrap()["key"].as_str().unwrap().to_owned();
    let (status, playlist) = r.playlist(&r.ticket(&key).await, 0, 10).await;
    assert_eq!(status, StatusCode::OK, "{playlist}");
    let url = Recorded::file_url(&playlist);
    assert_eq!(r.read(&url, Some("bytes=0-99")).await, StatusCode::PARTIAL_CONTENT);

    let user = r.user_id(&token).await;
    let (status, body) =
        r.api.call(Method::PATCH, &format!("/api/users/{user}"), Some(json!({"roles": ["viewer"]}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(r.read(&url, Some("bytes=0-99")).await, StatusCode::UNAUTHORIZED);
}

/// The recorder's archive answers control only: a call without the internal
/// secret, or with another, gets nothing, and a segment's bytes are not
/// served for another camera than the one control names.
#[tokio::test]
async fn the_archive_takes_calls_bearing_the_internal_secret_only() {
    let r = recorded().await;
    let addr = r.api.archive.as_ref().unwrap().addr;
    let at = |s: i64| (r.t0 + TimeDelta::seconds(s)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (t0, t1) = (at(3), at(6));
    let mut tx = vms_catalog::scope::begin(&r.api.db.pool, vms_catalog::Scope::AllTenants).await.unwrap();
    let tenant = vms_catalog::tenant::find_by_name(&mut *tx, "default").await.unwrap().unwrap().id;
    let segments = recording::segments(&mut *tx, r.camera, "main", r.t0, r.t0 + TimeDelta::seconds(10)).await.unwrap();
    drop(tx);
    assert_eq!(segments[0].node_id.as_deref(), Some(r.api.state.config().node_id.as_str()), "the index names the node");
    let bytes_of = |camera: Uuid| {
        format!("/archive/segments/{}?tenant={tenant}&camera={camera}&role=main&start={t0}&end={t1}", segments[0].id)
    };
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<axum::body::Body>();
    let call = |path: String, authorization: Option<String>| {
        let client = client.clone();
        async move {
            let mut request = hyper::Request::get(format!("http://{addr}{path}"));
            if let Some(value) = authorization {
                request = request.header("authorization", value);
            }
            let request = request.body(axum::body::Body::empty()).unwrap();
            client.request(request).await.unwrap().status()
        }
    };
    let secret = r.api.state.internal_secret().authorization().to_owned();
    let wrong = vms_proto::auth::InternalSecret::from_bytes(&[7; 32]).authorization().to_owned();
    assert_eq!(call(bytes_of(r.camera), None).await, StatusCode::UNAUTHORIZED, "no secret");
    assert_eq!(call(bytes_of(r.camera), Some(wrong)).await, StatusCode::UNAUTHORIZED, "another secret");
    assert_eq!(call(bytes_of(Uuid::new_v4()), Some(secret.clone())).await, StatusCode::FORBIDDEN, "another camera");
    let other_tenant = bytes_of(r.camera).replace(&format!("tenant={tenant}"), &format!("tenant={}", Uuid::new_v4()));
    assert_eq!(call(other_tenant, Some(secret.clone())).await, StatusCode::NOT_FOUND, "another tenant sees no file");
    // 3 s..6 s opens the init segment and two fragments only: the whole file is refused even to control.
    assert_eq!(call(bytes_of(r.camera), Some(secret)).await, StatusCode::FORBIDDEN);
}

/// Tickets live by the server's clock: a playlist ticket past its lifetime
/// opens nothing, and the fragment ticket of a playlist dies a margin after
/// its window's length, without anyone waiting for either.
#[tokio::test]
async fn archive_tickets_expire_by_the_clock() {
    let mut r = recorded().await;
    let clock = vms_base::clock::ManualClock::new(Utc::now());
    let shared: vms_base::clock::SharedClock = std::sync::Arc::new(clock.clone());
    r.api = r.api.rebuild(|s| s.set_clock(shared));
    let ttl = i64::from(r.api.state.config().control.ticket_ttl_secs);

    let stale = r.ticket(&r.api.token).await;
    clock.advance(TimeDelta::seconds(ttl + 1));
    let (status, text) = r.playlist(&stale, 3, 6).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a ticket past its lifetime: {text}");

    let (status, playlist) = r.playlist(&r.ticket(&r.api.token).await, 3, 6).await;
    assert_eq!(status, StatusCode::OK, "{playlist}");
    let url = Recorded::file_url(&playlist);
    assert_eq!(r.read(&url, Some("bytes=0-699")).await, StatusCode::PARTIAL_CONTENT);
    clock.advance(TimeDelta::minutes(16));
    assert_eq!(r.read(&url, Some("bytes=0-699")).await, StatusCode::UNAUTHORIZED, "a 3-second window's ticket");
}
