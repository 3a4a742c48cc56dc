//! Control and planes run in-process against the shared test servers, each
//! on its own ports, database and bus prefix.

use std::{future::Future, net::SocketAddr, sync::Arc, time::Duration};

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;
use vms_catalog::{
    Scope,
    camera::{self, CredentialsChange, NewCamera, StreamRole, StreamSpec, Transport},
    credentials::{CredentialKey, Credentials},
    scope,
    site::{self, NewSite},
};
use vms_config::Config;
use vms_plane::PlaneDeps;
use vms_testkit::{TestDatabase, TestEnv, free_port};

/// Starts the camera simulator with `cameras` (`name=clip[?options]`); clips
/// are generated once per build directory.
pub async fn camsim(cameras: &[&str]) -> vms_camsim::Camsim {
    let clips = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("camsim-clips");
    let cameras = cameras.iter().map(|c| vms_camsim::camera::Camera::parse(c).unwrap()).collect();
    vms_camsim::Camsim::start("127.0.0.1:0".parse().unwrap(), &clips, cameras).await.unwrap()
}

/// A simulated camera named `cam` playing `clip`, on a fresh stack that knows
/// it (over TCP); returns the simulator, the stack and the camera's id.
pub async fn one_camera(clip: &str) -> (vms_camsim::Camsim, Stack, Uuid) {
    vms_base::tracing_setup::install();
    let sim = camsim(&[&format!("cam={clip}")]).await;
    let stack = Stack::new(|_| {}).await;
    let (camera, _) = stack.add_camera("cam", sim.url("cam"), Transport::Tcp, None).await;
    (sim, stack, camera)
}

/// A loopback address.
pub fn addr(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

/// A service running in this process.
pub struct Service {
    pub token: CancellationToken,
    pub task: JoinHandle<anyhow::Result<()>>,
}

impl Service {
    pub fn spawn<F>(run: impl FnOnce(CancellationToken) -> F) -> Self
    where
        F: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        let token = CancellationToken::new();
        Self { task: tokio::spawn(run(token.clone())), token }
    }

    /// Stops it and checks it stopped cleanly.
    pub async fn stop(self) {
        self.token.cancel();
        tokio::time::timeout(Duration::from_secs(15), self.task)
            .await
            .expect("service should stop in time")
            .unwrap()
            .expect("service should stop cleanly");
    }
}

/// A configuration, database and bus prefix of its own, and a default
/// tenant with one site.
pub struct Stack {
    pub env: &'static TestEnv,
    pub db: TestDatabase,
    pub config: Arc<Config>,
    pub prefix: String,
    pub tenant: Uuid,
    pub site: Uuid,
    pub key: CredentialKey,
    _dir: tempfile::TempDir,
}

impl Stack {
    /// Prepares a stack; `tweak` adjusts the configuration (every listener is on a free port already).
    pub async fn new(tweak: impl FnOnce(&mut Config)) -> Self {
        let db = TestEnv::shared().await.fresh_database().await;
        Self::with_database(db, tweak).await
    }

    /// Prepares a stack on `db` (a private server's, say).
    pub async fn with_database(db: TestDatabase, tweak: impl FnOnce(&mut Config)) -> Self {
        let env = TestEnv::shared().await;
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config { data_dir: dir.path().to_owned(), ..Config::default() };
        config.control.listen = addr(free_port());
        config.control.grpc_listen = addr(free_port());
        config.control.tls.mode = vms_config::TlsMode::Off;
        config.media.grpc_listen = addr(free_port());
        config.restream.listen = addr(free_port());
        config.live.listen = addr(free_port());
        config.link.listen = addr(free_port());
        config.archive.listen = addr(free_port());
        config.live.webrtc_port = free_port();
        config.live.webrtc_addresses = vec![std::net::Ipv4Addr::LOCALHOST.into()];
        // The tests' cameras are camsim's, on loopback.
        config.devices.allow_loopback = true;
        config.recorder.grpc_listen = addr(free_port());
        config.ai.grpc_listen = addr(free_port());
        tweak(&mut config);
        let key = CredentialKey::load_or_create(&config.secrets_dir()).unwrap();
        let mut tx = scope::begin(&db.pool, Scope::AllTenants).await.unwrap();
        let tenant = vms_catalog::tenant::create(&mut *tx, "default").await.unwrap();
        let hq = NewSite { name: "HQ".into(), description: String::new(), timezone: "UTC".into() };
        let site = site::create(&mut *tx, tenant.id, &hq).await.unwrap();
        tx.commit().await.unwrap();
        Self {
            env,
            db,
            config: Arc::new(config),
            prefix: env.unique_prefix(),
            tenant: tenant.id,
            site: site.id,
            key,
            _dir: dir,
        }
    }

    /// Adds a camera with one main stream; returns the camera's and the stream's ids.
    pub async fn add_camera(
        &self,
        name: &str,
        url: String,
        transport: Transport,
        credentials: Option<(&str, &str)>,
    ) -> (Uuid, Uuid) {
        let credentials = match credentials {
            Some((u, p)) => CredentialsChange::Set(Credentials { username: u.into(), password: p.into() }),
            None => CredentialsChange::Keep,
        };
        let new = NewCamera {
            site_id: self.site,
            name: name.into(),
            description: String::new(),
            enabled: true,
            streams: vec![StreamSpec { role: StreamRole::Main, url, transport, credentials }],
        };
        let mut tx = scope::begin(&self.db.pool, Scope::AllTenants).await.unwrap();
        let created = camera::create(&mut tx, &self.key, self.tenant, &new).await.unwrap();
        tx.commit().await.unwrap();
        (created.id, created.streams[0].id)
    }

    /// Adds a user of the default tenant with tenant-wide `roles`.
    pub async fn add_user(&self, username: &str, password: &str, roles: &[&str]) -> Uuid {
        let hash = vms_catalog::password::hash(password);
        let mut tx = scope::begin(&self.db.pool, Scope::AllTenants).await.unwrap();
        let id = vms_catalog::user::create(&mut tx, self.tenant, username, &hash, roles).await.unwrap();
        tx.commit().await.unwrap();
        id
    }

    /// The connections every plane needs.
    pub fn plane_deps(&self) -> PlaneDeps {
        PlaneDeps {
            nats_url: self.env.nats_url().to_owned(),
            redis_url: self.env.redis_url().to_owned(),
            bus_prefix: self.prefix.clone(),
        }
    }

    /// What the control plane of this stack connects to.
    pub async fn control_deps(&self) -> vms_control::ControlDeps {
        vms_control::ControlDeps {
            db: self.db.pool.clone(),
            audit_db: sqlx::PgPool::connect(&self.db.audit_url).await.unwrap(),
            nats_url: self.env.nats_url().to_owned(),
            redis_url: self.env.redis_url().to_owned(),
            bus_prefix: self.prefix.clone(),
        }
    }

    /// Starts the control plane and waits until its HTTP API answers.
    pub async fn start_control(&self) -> Service {
        let deps = self.control_deps().await;
        let config = self.config.clone();
        let control = Service::spawn(|token| vms_control::serve(config, deps, token));
        let live = format!("{}/health/live", self.http());
        super::wait_until("control's HTTP API", Duration::from_secs(20), || async {
            reqwest::get(&live).await.ok().filter(|r| r.status().is_success()).map(|_| ())
        })
        .await;
        control
    }

    /// Starts the media plane.
    pub fn start_media(&self) -> Service {
        let (config, deps) = (self.config.clone(), self.plane_deps());
        Service::spawn(|token| vms_media::serve(config, deps, token))
    }

    /// Starts the recorder plane.
    pub fn start_recorder(&self) -> Service {
        let (config, deps, db) = (self.config.clone(), self.plane_deps(), self.db.pool.clone());
        Service::spawn(|token| vms_recorder::serve(config, deps, db, token))
    }

    /// The environment that makes a `vms` process use this stack.
    pub fn process_env(&self) -> Vec<(&'static str, String)> {
        let c = &self.config;
        vec![
            ("VMS_DATA_DIR", c.data_dir.to_string_lossy().into_owned()),
            ("VMS_DATABASE_URL", self.db.url.clone()),
            ("VMS_REDIS_URL", self.env.redis_url().to_owned()),
            ("VMS_NATS_URL", self.env.nats_url().to_owned()),
            ("VMS_BUS_PREFIX", self.prefix.clone()),
            ("VMS_CONTROL_GRPC_LISTEN", c.control.grpc_listen.to_string()),
            ("VMS_MEDIA_GRPC_LISTEN", c.media.grpc_listen.to_string()),
            ("VMS_RECORDER_GRPC_LISTEN", c.recorder.grpc_listen.to_string()),
            ("VMS_RESTREAM_LISTEN", c.restream.listen.to_string()),
            ("VMS_LIVE_LISTEN", c.live.listen.to_string()),
            ("VMS_LINK_LISTEN", c.link.listen.to_string()),
            ("VMS_ARCHIVE_LISTEN", c.archive.listen.to_string()),
            ("VMS_LIVE_WEBRTC_PORT", c.live.webrtc_port.to_string()),
            ("VMS_LIVE_WEBRTC_ADDRESSES", "127.0.0.1".to_owned()),
            ("VMS_DEVICES_ALLOW_LOOPBACK", c.devices.allow_loopback.to_string()),
            ("VMS_RECORDING_SEGMENT_SECS", c.recording.segment_secs.to_string()),
            ("VMS_LOG", "info".to_owned()),
        ]
    }

    /// Runs `vms <args>` against this stack and waits for it; returns its output.
    pub fn vms(&self, args: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_vms")).args(args).envs(self.process_env()).output().unwrap()
    }

    /// Starts `vms run <plane>` as a process of its own (one a test may kill).
    pub fn spawn_plane(&self, plane: &str) -> std::process::Child {
        std::process::Command::new(env!("CARGO_BIN_EXE_vms"))
            .args(["run", plane])
            .envs(self.process_env())
            .stdin(std::process::Stdio::null())
            .spawn()
            .unwrap()
    }

    /// The control plane's HTTP origin.
    pub fn http(&self) -> String {
        format!("http://{}", self.config.control.listen)
    }

    /// Logs in over HTTP; returns the access token.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let body = serde_json::json!({"username": username, "password": password});
        let answer = self.post(None, "/api/auth/login", body).await;
        answer["access_token"].as_str().unwrap_or_else(|| panic!("login as {username}: {answer}")).to_owned()
    }

    /// GETs JSON from the API, with `token` as the bearer.
    pub async fn get(&self, token: &str, path: &str) -> serde_json::Value {
        let request = reqwest::Client::new().get(format!("{}{path}", self.http())).bearer_auth(token);
        request.send().await.unwrap().json().await.unwrap()
    }

    /// Asks the API for a ticket to `camera`'s main stream for `purpose`
    /// (`live`, `archive` or `export`), as the holder of `token`.
    pub async fn ticket(&self, token: &str, camera: Uuid, purpose: &str) -> String {
        let path = format!("/api/cameras/{camera}/streams/main/ticket");
        let issued = self.post(Some(token), &path, serde_json::json!({"purpose": purpose})).await;
        issued["ticket"].as_str().unwrap_or_else(|| panic!("a {purpose} ticket: {issued}")).to_owned()
    }

    /// POSTs JSON to the API, with `token` as the bearer; returns the JSON answer.
    pub async fn post(&self, token: Option<&str>, path: &str, body: serde_json::Value) -> serde_json::Value {
        let mut request = reqwest::Client::new().post(format!("{}{path}", self.http())).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap().json().await.unwrap()
    }
}
