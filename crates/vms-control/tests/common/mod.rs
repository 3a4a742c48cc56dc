//! Builds the real control application on real servers for handler tests.

#![allow(dead_code)]

pub mod bus;
pub mod private_pg;

use std::sync::Arc;

use axum::{
    Router,
    body::Body,
    http::{Method, Request, StatusCode},
};
use serde_json::Value;
use tower::ServiceExt;
use vms_config::Config;
use vms_control::{AppState, ControlDeps};
use vms_testkit::{TestDatabase, TestEnv};

pub const ADMIN_PASSWORD: &str = "Admin-password-1";

pub struct Api {
    pub app: Router,
    pub db: TestDatabase,
    pub state: AppState,
    pub token: String,
    /// The recorder's archive, which serves playback and exports to control.
    pub archive: Option<vms_recorder::archive::ArchiveServer>,
    /// Stops the archive when the API goes.
    pub stop: tokio_util::sync::DropGuard,
    _dir: tempfile::TempDir,
    /// Every response body seen, to check that no secret ever leaks.
    pub bodies: std::sync::Mutex<Vec<String>>,
}

pub async fn api() -> Api {
    api_with(|_| {}).await
}

/// Builds the API with a changed configuration.
pub async fn api_with(tweak: impl FnOnce(&mut Config)) -> Api {
    api_on(tweak, None).await
}

/// Builds the API with a changed configuration, on the NATS server at
/// `nats_url` (a private one a test may restart) instead of the shared one.
pub async fn api_on(tweak: impl FnOnce(&mut Config), nats_url: Option<&str>) -> Api {
    api_with_servers(tweak, nats_url, None).await
}

/// Builds the API whose Redis is at `redis_url` (e.g. a closed port) instead
/// of the shared one.
pub async fn api_with_redis(redis_url: &str) -> Api {
    api_with_servers(|_| {}, None, Some(redis_url)).await
}

async fn api_with_servers(tweak: impl FnOnce(&mut Config), nats_url: Option<&str>, redis_url: Option<&str>) -> Api {
    let env = TestEnv::shared().await;
    let db = env.fresh_database().await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config { data_dir: dir.path().to_owned(), ..Config::default() };
    config.archive.listen = "127.0.0.1:0".parse().unwrap();
    tweak(&mut config);
    let deps = ControlDeps {
        db: db.pool.clone(),
        audit_db: sqlx::PgPool::connect(&db.audit_url).await.unwrap(),
        nats_url: nats_url.unwrap_or(env.nats_url()).to_owned(),
        redis_url: redis_url.unwrap_or(env.redis_url()).to_owned(),
        bus_prefix: env.unique_prefix(),
        metrics: Default::default(),
    };
    let state = AppState::new(Arc::new(config), deps).await.unwrap();
    vms_catalog::bootstrap::ensure_admin(&db.pool, Some(ADMIN_PASSWORD)).await.unwrap();
    let mut api = Api::new(state, db, dir);
    api.start_archive().await;
    api.token = api.login("admin", ADMIN_PASSWORD).await;
    api
}

/// The status report a recorder on `node` with its archive at `addr` sends.
pub fn recorder_report(node: &str, addr: std::net::SocketAddr) -> vms_bus::status::PlaneStatusReport {
    vms_bus::status::PlaneStatusReport {
        plane: vms_base::Plane::Recorder,
        node_id: node.to_owned(),
        version: vms_base::VERSION.to_owned(),
        pid: std::process::id(),
        state: vms_bus::status::PlaneState::Running,
        started_at: chrono::Utc::now(),
        reported_at: chrono::Utc::now(),
        assignments_revision: 0,
        assigned_streams: 0,
        control_connected: true,
        grpc_addr: String::new(),
        alerts: Vec::new(),
        endpoints: [("archive".to_owned(), addr.to_string())].into(),
        analytics: Vec::new(),
        storage: Vec::new(),
        restarts: 0,
        restart_cause: None,
        index_lag_secs: None,
    }
}

impl Api {
    /// Starts (or restarts) the recorder's archive on this API's database
    /// and data directory, as the recorder plane does, and makes control
    /// see it as the recorder plane's status report would.
    pub async fn start_archive(&mut self) {
        let stop = tokio_util::sync::CancellationToken::new();
        let archive = vms_recorder::archive::start(
            self.state.config(),
            self.db.pool.clone(),
            self.state.internal_secret().clone(),
            self.state.clock().clone(),
            stop.clone(),
        )
        .await
        .unwrap();
        self.state.plane_registry().record(recorder_report(&self.state.config().node_id, archive.addr));
        self.archive = Some(archive);
        self.stop = stop.drop_guard();
    }

    /// The recorder's exports.
    pub fn exports(&self) -> &vms_recorder::archive::export::registry::Exports {
        &self.archive.as_ref().expect("the archive runs").exports
    }

    /// Rebuilds the router after changing the state (e.g. the licence verifier).
    pub fn rebuild(mut self, change: impl FnOnce(&mut AppState)) -> Api {
        change(&mut self.state);
        self.app = vms_control::app(self.state.clone());
        self
    }

    /// Wraps a built state; `dir` (its data directory) lives as long as the API.
    pub fn new(state: AppState, db: TestDatabase, dir: tempfile::TempDir) -> Api {
        Api {
            app: vms_control::app(state.clone()),
            db,
            state,
            token: String::new(),
            archive: None,
            stop: tokio_util::sync::CancellationToken::new().drop_guard(),
            _dir: dir,
            bodies: Default::default(),
        }
    }

    pub async fn raw(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> (StatusCode, String) {
        let (status, _, text) = self.raw_from(None, method, uri, token, body).await;
        (status, text)
    }

    /// Sends a request with the admin's token and one extra header.
    pub async fn raw_with_header(&self, name: &str, value: &str, method: Method, uri: &str) -> (StatusCode, String) {
        let token = self.token.clone();
        self.raw_header_token(&token, name, value, method, uri).await
    }

    /// Sends a request with `token` and one extra header.
    pub async fn raw_header_token(
        &self,
        token: &str,
        name: &str,
        value: &str,
        method: Method,
        uri: &str,
    ) -> (StatusCode, String) {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .header("authorization", format!("Bearer {token}"))
            .header(name, value)
            .body(Body::empty())
            .unwrap();
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let bytes = axum::body::to_bytes(res.into_body(), 16 << 20).await.unwrap();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Sends a request as if from `ip`, returning status, headers and body.
    pub async fn raw_from(
        &self,
        ip: Option<&str>,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        self.raw_from_with(ip, &[], method, uri, token, body).await
    }

    /// Sends a request as if from `ip` with extra `headers`.
    pub async fn raw_from_with(
        &self,
        ip: Option<&str>,
        headers: &[(&str, &str)],
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let mut req = Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        if let Some(ip) = ip {
            let addr: std::net::SocketAddr = format!("{ip}:40000").parse().unwrap();
            req = req.extension(axum::extract::ConnectInfo(addr));
        }
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        if body.is_some() {
            req = req.header("content-type", "application/json");
        }
        let req = req.body(body.map(|b| Body::from(b.to_owned())).unwrap_or_else(Body::empty)).unwrap();
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), 16 << 20).await.unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        self.bodies.lock().unwrap().push(text.clone());
        (status, headers, text)
    }

    pub async fn call(&self, method: Method, uri: &str, body: Option<Value>) -> (StatusCode, Value) {
        let body = body.map(|b| b.to_string());
        let (status, text) = self.raw(method, uri, Some(&self.token.clone()), body.as_deref()).await;
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn login(&self, username: &str, password: &str) -> String {
        let body = serde_json::json!({ "username": username, "password": password }).to_string();
        let (status, text) = self.raw(Method::POST, "/api/auth/login", None, Some(&body)).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        let v: Value = serde_json::from_str(&text).unwrap();
        v["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn create_site(&self, name: &str) -> String {
        let (status, body) = self.call(Method::POST, "/api/sites", Some(serde_json::json!({ "name": name }))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["id"].as_str().unwrap().to_owned()
    }

    /// Creates a user in the default tenant with tenant-wide `roles` and returns their access token.
    pub async fn user_with_roles(&self, username: &str, roles: &[&str]) -> String {
        let password = "User-password-1";
        let mut tx = vms_catalog::scope::begin(&self.db.pool, vms_catalog::Scope::AllTenants).await.unwrap();
        let tenant = vms_catalog::tenant::find_by_name(&mut *tx, "default").await.unwrap().unwrap();
        let hash = vms_catalog::password::hash(password);
        vms_catalog::user::create(&mut tx, tenant.id, username, &hash, roles).await.unwrap();
        tx.commit().await.unwrap();
        self.login(username, password).await
    }

    /// Asserts that `secret` appears in no response body seen so far.
    pub fn assert_never_returned(&self, secret: &str) {
        for body in self.bodies.lock().unwrap().iter() {
            assert!(!body.contains(secret), "a response leaked a secret: {body}");
        }
    }
}

/// Asserts a 400 whose message names `field`.
pub fn assert_bad_field(status: StatusCode, body: &Value, field: &str) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["code"], "invalid_argument", "{body}");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(message.starts_with(field) || message.contains(&format!("`{field}`")), "expected {field} in {message}");
}

/// Everything logged on this test's thread (every level), as text.
pub struct CapturedLogs {
    buffer: Arc<std::sync::Mutex<Vec<u8>>>,
    _guard: tracing::subscriber::DefaultGuard,
}

impl CapturedLogs {
    /// Returns what was logged so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.buffer.lock().unwrap()).into_owned()
    }
}

#[derive(Clone)]
struct SharedBuffer(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for SharedBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Captures every log line and span field of this thread until the result is dropped
/// (`#[tokio::test]` runs the handlers on the test's thread).
pub fn capture_logs() -> CapturedLogs {
    let buffer = Arc::new(std::sync::Mutex::new(Vec::new()));
    let writer = SharedBuffer(buffer.clone());
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    CapturedLogs { buffer, _guard: tracing::subscriber::set_default(subscriber) }
}

/// A recorded window of footage: what [`Api::record_footage`] indexed.
pub struct Footage {
    /// Time of its first picture.
    pub start: chrono::DateTime<chrono::Utc>,
    /// Just past its last picture.
    pub end: chrono::DateTime<chrono::Utc>,
}

impl Api {
    /// Writes a small valid recording file (an init segment and `fragments`
    /// one-picture fragments of 40 ms) for `camera`'s main stream under the
    /// data directory, and indexes it as the recorder would, so it can be
    /// played back and exported.
    pub async fn record_footage(&self, camera: &str, fragments: usize) -> Footage {
        use vms_catalog::recording::Fragment;
        use vms_codec::fmp4;

        let camera: uuid::Uuid = camera.parse().unwrap();
        let mut entry = Vec::new();
        entry.extend_from_slice(&16u32.to_be_bytes());
        entry.extend_from_slice(b"avc1");
        entry.extend_from_slice(&[0; 8]);
        let mut file = fmp4::init_segment(&entry, 64, 64);
        let start = chrono::Utc::now() - chrono::TimeDelta::hours(1);
        let picture = [0u8, 0, 0, 4, 0x65, 1, 2, 3];
        let mut index = Vec::with_capacity(fragments);
        for i in 0..fragments {
            let sample = fmp4::Sample { data: &picture, duration: 3600, composition_offset: 0, keyframe: true };
            let bytes = fmp4::fragment(i as u32 + 1, i as u64 * 3600, &[sample]);
            index.push(Fragment {
                seq: i as i32 + 1,
                start_time: start + chrono::TimeDelta::milliseconds(40 * i as i64),
                duration_ms: 40,
                byte_offset: file.len() as i64,
                byte_len: bytes.len() as i32,
                keyframe: true,
                pictures: 1,
            });
            file.extend_from_slice(&bytes);
        }
        let init_len = fmp4::init_segment(&entry, 64, 64).len() as u64;
        let recording = vms_testkit::media::Recording {
            file,
            init_len,
            fragments: index,
            codec_string: "avc1.640028".into(),
            width: 64,
            height: 64,
        };
        self.record_recording(&camera.to_string(), &recording).await
    }

    /// Writes `recording` (real footage, [`vms_testkit::media`]) as a file of
    /// `camera`'s main stream under the data directory, and indexes it as the
    /// recorder would, from its fragments' times.
    pub async fn record_recording(&self, camera: &str, recording: &vms_testkit::media::Recording) -> Footage {
        use vms_catalog::recording::NewSegment;

        let camera: uuid::Uuid = camera.parse().unwrap();
        let first = recording.fragments.first().expect("a recording has fragments");
        let last = recording.fragments.last().expect("a recording has fragments");
        let (start, end) =
            (first.start_time, last.start_time + chrono::TimeDelta::milliseconds(last.duration_ms.into()));
        let root = self.state.config().data_dir.join("recordings");
        let relative = format!("{camera}/main/{}.mp4", uuid::Uuid::new_v4());
        std::fs::create_dir_all(root.join(&relative).parent().unwrap()).unwrap();
        std::fs::write(root.join(&relative), &recording.file).unwrap();

        let mut tx = vms_catalog::scope::begin(&self.db.pool, vms_catalog::Scope::AllTenants).await.unwrap();
        let (tenant, stream) = vms_catalog::recording::stream_owner(&mut *tx, camera, "main")
            .await
            .unwrap()
            .expect("the camera has a main stream");
        let segment = NewSegment {
            id: uuid::Uuid::new_v4(),
            tenant_id: tenant,
            camera_id: camera,
            stream_id: stream,
            stream_role: "main".into(),
            root: root.to_string_lossy().into_owned(),
            path: relative,
            start_time: start,
            codec: recording.codec_string.clone(),
            width: recording.width as i32,
            height: recording.height as i32,
            bytes: recording.file.len() as i64,
            kind: vms_catalog::recording::FootageKind::Continuous,
        };
        vms_catalog::recording::index_file(&mut tx, &segment, end, &recording.fragments, &self.state.config().node_id)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        Footage { start, end }
    }

    /// Exports `camera`'s whole `footage` as `token` and waits until the
    /// export is done; returns its id.
    pub async fn export_done(&self, token: &str, camera: &str, footage: &Footage) -> String {
        let body = serde_json::json!({"camera_id": camera, "start": footage.start.to_rfc3339(),
                                      "end": footage.end.to_rfc3339()})
        .to_string();
        let (status, text) = self.raw(Method::POST, "/api/exports", Some(token), Some(&body)).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{text}");
        let id = serde_json::from_str::<Value>(&text).unwrap()["id"].as_str().unwrap().to_owned();
        for _ in 0..500 {
            let (status, text) = self.raw(Method::GET, &format!("/api/exports/{id}"), Some(token), None).await;
            assert_eq!(status, StatusCode::OK, "{text}");
            let view: Value = serde_json::from_str(&text).unwrap();
            match view["status"].as_str().unwrap() {
                "running" => tokio::time::sleep(std::time::Duration::from_millis(20)).await,
                "done" => return id,
                other => panic!("export {other}: {text}"),
            }
        }
        panic!("the export never finished");
    }
}
