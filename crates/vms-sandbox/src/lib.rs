//! A VMS deployment of its own on the shared test servers, for the system
//! tests of `vms` and for `vms-bench`.
//!
//! ```ignore
//! let sandbox = Sandbox::builder().vms_binary(env!("CARGO_BIN_EXE_vms")).config(|c| c.recording.segment_secs = 4).build().await;
//! let (camera, stream) = sandbox.add_camera("cam", sim.url("cam"), Transport::Tcp, None).await;
//! let control = sandbox.start_control().await;    // in this process
//! let media = sandbox.spawn_plane("media");        // `vms run media`
//! sandbox.wait_online(&[stream], Duration::from_secs(30)).await?;
//! ```
//!
//! A [`Sandbox`] owns a database of its own (from [`TestEnv`]), a data
//! directory, a configuration whose listeners are all on free loopback ports,
//! a bus prefix, and a default tenant with one site. On it a caller runs
//! control in this process ([`Sandbox::start_control`]) and the planes as
//! `vms run <plane>` processes pointed at the same database, Redis, NATS,
//! prefix and listeners ([`Sandbox::spawn_plane`]); with the `in-process`
//! feature, the media and recorder planes run in this process instead
//! ([`Sandbox::start_media`], [`Sandbox::start_recorder`]). It adds cameras
//! and users straight to the catalog, waits for streams to be online, and
//! gets tickets and URLs.
//!
//! It does not own the servers (`vms-testkit` does) or the cameras
//! (`vms-camsim`). It is not part of `vms-testkit` because it depends on the
//! planes, and they dev-depend on `vms-testkit`. Like `vms-testkit` it panics
//! when setting up fails, naming the step; waits whose outcome a caller may
//! report return a `Result`.

mod service;

pub use service::{Process, Service};

use std::{
    future::Future,
    net::{Ipv4Addr, SocketAddr},
    path::PathBuf,
    process::{Child, Command, Output, Stdio},
    sync::{Arc, OnceLock},
    time::{Duration, Instant},
};

use anyhow::bail;
use uuid::Uuid;
use vms_bus::hot::{HotState, StreamStatus};
use vms_catalog::{
    Scope,
    camera::{self, CredentialsChange, NewCamera, StreamRole, StreamSpec, Transport},
    credentials::{CredentialKey, Credentials},
    scope,
    site::{self, NewSite},
};
use vms_config::Config;
use vms_testkit::{TestDatabase, TestEnv, free_port};
use vms_ticket::{Purpose, TicketSigner};

/// Polls `check` every 50 ms until it returns `Some`, or panics after `timeout` naming `what`.
pub async fn wait_until<T, F, Fut>(what: &str, timeout: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out after {timeout:?} waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A free port on loopback.
fn loopback() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], free_port()))
}

/// Prepares a [`Sandbox`]: its data directory and configuration exist from
/// [`Sandbox::builder`] on; [`build`](Self::build) adds the database and catalog.
pub struct SandboxBuilder {
    dir: tempfile::TempDir,
    config: Config,
    database: Option<TestDatabase>,
    vms: Option<PathBuf>,
    site_name: String,
    process_log: String,
}

impl SandboxBuilder {
    /// Uses `db` (a private server's, say) instead of a fresh database of the shared server.
    pub fn database(mut self, db: TestDatabase) -> Self {
        self.database = Some(db);
        self
    }

    /// Adjusts the configuration; every listener is on a free loopback port already.
    pub fn config(mut self, tweak: impl FnOnce(&mut Config)) -> Self {
        tweak(&mut self.config);
        self
    }

    /// Sets the `vms` binary that [`Sandbox::vms`] and [`Sandbox::spawn_plane`] run (none unless set).
    pub fn vms_binary(mut self, path: impl Into<PathBuf>) -> Self {
        self.vms = Some(path.into());
        self
    }

    /// Names the default tenant's site (`HQ` unless set).
    pub fn site_name(mut self, name: impl Into<String>) -> Self {
        self.site_name = name.into();
        self
    }

    /// Sets `VMS_LOG` of the `vms` processes (`info` unless set).
    pub fn process_log(mut self, filter: impl Into<String>) -> Self {
        self.process_log = filter.into();
        self
    }

    /// Creates the database (unless one was given), the key that seals camera
    /// credentials, and the default tenant with its site.
    pub async fn build(self) -> Sandbox {
        let env = TestEnv::shared().await;
        let db = match self.database {
            Some(db) => db,
            None => env.fresh_database().await,
        };
        let config = self.config;
        let key = CredentialKey::load_or_create(&config.secrets_dir()).expect("failed to create the credential key");
        let mut tx = scope::begin(&db.pool, Scope::AllTenants).await.expect("failed to begin a transaction");
        let tenant = vms_catalog::tenant::create(&mut *tx, "default").await.expect("failed to create the tenant");
        let new_site = NewSite { name: self.site_name, description: String::new(), timezone: "UTC".into() };
        let site = site::create(&mut *tx, tenant.id, &new_site).await.expect("failed to create the site");
        tx.commit().await.expect("failed to commit the tenant and site");
        Sandbox {
            env,
            db,
            config: Arc::new(config),
            prefix: env.unique_prefix(),
            tenant: tenant.id,
            site: site.id,
            key,
            vms: self.vms,
            process_log: self.process_log,
            tickets: OnceLock::new(),
            _dir: self.dir,
        }
    }
}

/// A configuration, database and bus prefix of its own on the shared test
/// servers, and a default tenant with one site.
pub struct Sandbox {
    /// The shared servers.
    pub env: &'static TestEnv,
    /// The sandbox's database.
    pub db: TestDatabase,
    /// The configuration its services run with.
    pub config: Arc<Config>,
    /// The prefix of its NATS subjects and Redis keys.
    pub prefix: String,
    /// The default tenant.
    pub tenant: Uuid,
    /// The default tenant's site.
    pub site: Uuid,
    /// The key camera credentials are sealed with.
    pub key: CredentialKey,
    vms: Option<PathBuf>,
    process_log: String,
    /// Loaded on first use, so that control creates the key when it starts first.
    tickets: OnceLock<TicketSigner>,
    _dir: tempfile::TempDir,
}

impl Sandbox {
    /// Starts preparing a sandbox: a data directory, and a configuration with
    /// every listener on a free loopback port and loopback cameras allowed.
    pub fn builder() -> SandboxBuilder {
        let dir = tempfile::tempdir().expect("failed to create the sandbox's data dir");
        let mut config = Config { data_dir: dir.path().to_owned(), ..Config::default() };
        config.control.listen = loopback();
        config.control.grpc_listen = loopback();
        config.control.tls.mode = vms_config::TlsMode::Off;
        config.media.grpc_listen = loopback();
        config.restream.listen = loopback();
        config.live.listen = loopback();
        config.link.listen = loopback();
        config.archive.listen = loopback();
        config.metrics.control = loopback();
        config.metrics.media = loopback();
        config.metrics.recorder = loopback();
        config.metrics.ai = loopback();
        config.live.webrtc_port = free_port();
        config.live.webrtc_addresses = vec![Ipv4Addr::LOCALHOST.into()];
        // The cameras are camsim's, on loopback.
        config.devices.allow_loopback = true;
        config.recorder.grpc_listen = loopback();
        config.ai.grpc_listen = loopback();
        SandboxBuilder { dir, config, database: None, vms: None, site_name: "HQ".into(), process_log: "info".into() }
    }

    /// Where the recorder writes.
    pub fn recordings(&self) -> PathBuf {
        self.config.data_dir.join("recordings")
    }

    /// What the control plane of this sandbox connects to.
    pub async fn control_deps(&self) -> vms_control::ControlDeps {
        vms_control::ControlDeps {
            db: self.db.pool.clone(),
            audit_db: sqlx::PgPool::connect(&self.db.audit_url).await.expect("failed to connect as the audit role"),
            nats_url: self.env.nats_url().to_owned(),
            redis_url: self.env.redis_url().to_owned(),
            bus_prefix: self.prefix.clone(),
            metrics: Default::default(),
        }
    }

    /// Starts the control plane in this process and waits until its HTTP API answers.
    pub async fn start_control(&self) -> Service {
        let deps = self.control_deps().await;
        let config = self.config.clone();
        let control = Service::spawn(|token| vms_control::serve(config, deps, token));
        let live = format!("{}/health/live", self.http());
        wait_until("control's HTTP API", Duration::from_secs(20), || async {
            reqwest::get(&live).await.ok().filter(|r| r.status().is_success()).map(|_| ())
        })
        .await;
        control
    }

    /// The environment that makes a `vms` process use this sandbox.
    pub fn process_env(&self) -> Vec<(&'static str, String)> {
        let c = &self.config;
        vec![
            ("VMS_DATA_DIR", c.data_dir.to_string_lossy().into_owned()),
            ("VMS_DATABASE_URL", self.db.url.clone()),
            ("VMS_DATABASE_AUDIT_URL", self.db.audit_url.clone()),
            ("VMS_CONTROL_LISTEN", c.control.listen.to_string()),
            ("VMS_CONTROL_TLS_MODE", "off".to_owned()),
            ("VMS_REDIS_URL", self.env.redis_url().to_owned()),
            ("VMS_NATS_URL", self.env.nats_url().to_owned()),
            ("VMS_BUS_PREFIX", self.prefix.clone()),
            ("VMS_CONTROL_GRPC_LISTEN", c.control.grpc_listen.to_string()),
            ("VMS_MEDIA_GRPC_LISTEN", c.media.grpc_listen.to_string()),
            ("VMS_RECORDER_GRPC_LISTEN", c.recorder.grpc_listen.to_string()),
            ("VMS_AI_GRPC_LISTEN", c.ai.grpc_listen.to_string()),
            ("VMS_RESTREAM_LISTEN", c.restream.listen.to_string()),
            ("VMS_LIVE_LISTEN", c.live.listen.to_string()),
            ("VMS_LINK_LISTEN", c.link.listen.to_string()),
            ("VMS_ARCHIVE_LISTEN", c.archive.listen.to_string()),
            ("VMS_METRICS_CONTROL", c.metrics.control.to_string()),
            ("VMS_METRICS_MEDIA", c.metrics.media.to_string()),
            ("VMS_METRICS_RECORDER", c.metrics.recorder.to_string()),
            ("VMS_METRICS_AI", c.metrics.ai.to_string()),
            ("VMS_LIVE_WEBRTC_PORT", c.live.webrtc_port.to_string()),
            ("VMS_LIVE_WEBRTC_ADDRESSES", "127.0.0.1".to_owned()),
            ("VMS_DEVICES_ALLOW_LOOPBACK", c.devices.allow_loopback.to_string()),
            ("VMS_RECORDING_SEGMENT_SECS", c.recording.segment_secs.to_string()),
            ("VMS_LOG", self.process_log.clone()),
        ]
    }

    /// A `vms <args>` command with this sandbox's environment and no stdin.
    pub fn command(&self, args: &[&str]) -> Command {
        let vms = self.vms.as_ref().expect("the sandbox should be built with SandboxBuilder::vms_binary");
        let mut command = Command::new(vms);
        command.args(args).envs(self.process_env()).stdin(Stdio::null());
        command
    }

    /// Runs `vms <args>` against this sandbox and waits for it; returns its output.
    pub fn vms(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap_or_else(|e| panic!("failed to run vms {args:?}: {e}"))
    }

    /// Starts `vms run <plane>` as a process of its own (one a caller may kill);
    /// its output goes to this process's.
    pub fn spawn_plane(&self, plane: &str) -> Child {
        self.command(&["run", plane]).spawn().unwrap_or_else(|e| panic!("failed to start vms run {plane}: {e}"))
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
        let mut tx = scope::begin(&self.db.pool, Scope::AllTenants).await.expect("failed to begin a transaction");
        let created = camera::create(&mut tx, &self.key, self.tenant, &new).await.expect("failed to create the camera");
        tx.commit().await.expect("failed to commit the camera");
        (created.id, created.streams[0].id)
    }

    /// Adds a user of the default tenant with tenant-wide `roles`.
    pub async fn add_user(&self, username: &str, password: &str, roles: &[&str]) -> Uuid {
        let hash = vms_catalog::password::hash(password);
        let mut tx = scope::begin(&self.db.pool, Scope::AllTenants).await.expect("failed to begin a transaction");
        let id = vms_catalog::user::create(&mut tx, self.tenant, username, &hash, roles)
            .await
            .expect("failed to create the user");
        tx.commit().await.expect("failed to commit the user");
        id
    }

    /// The streams' hot state, as the planes publish it.
    pub fn hot_state(&self) -> HotState {
        HotState::new(self.env.redis_url(), format!("{}:", self.prefix)).expect("failed to open the hot state")
    }

    /// Waits until every stream in `streams` is online.
    pub async fn wait_online(&self, streams: &[Uuid], timeout: Duration) -> anyhow::Result<()> {
        let hot = self.hot_state();
        let deadline = Instant::now() + timeout;
        loop {
            let states = hot.stream_states(streams).await.unwrap_or_default();
            let online =
                streams.iter().filter(|s| states.get(s).is_some_and(|st| st.status == StreamStatus::Online)).count();
            if online == streams.len() {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("only {online} of {} streams online after {timeout:?}", streams.len());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
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
        self.send(reqwest::Method::GET, Some(token), path, None).await
    }

    /// POSTs JSON to the API, with `token` as the bearer; returns the JSON answer.
    pub async fn post(&self, token: Option<&str>, path: &str, body: serde_json::Value) -> serde_json::Value {
        self.send(reqwest::Method::POST, token, path, Some(body)).await
    }

    /// PUTs JSON to the API, with `token` as the bearer; returns the JSON answer.
    pub async fn put(&self, token: &str, path: &str, body: serde_json::Value) -> serde_json::Value {
        self.send(reqwest::Method::PUT, Some(token), path, Some(body)).await
    }

    async fn send(
        &self,
        method: reqwest::Method,
        token: Option<&str>,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> serde_json::Value {
        let mut request = reqwest::Client::new().request(method, format!("{}{path}", self.http()));
        if let Some(body) = body {
            request = request.json(&body);
        }
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap().json().await.unwrap()
    }

    /// Asks the API for a ticket to `camera`'s main stream for `purpose`
    /// (`live`, `archive` or `export`), as the holder of `token`.
    pub async fn ticket(&self, token: &str, camera: Uuid, purpose: &str) -> String {
        let path = format!("/api/cameras/{camera}/streams/main/ticket");
        let issued = self.post(Some(token), &path, serde_json::json!({"purpose": purpose})).await;
        issued["ticket"].as_str().unwrap_or_else(|| panic!("a {purpose} ticket: {issued}")).to_owned()
    }

    /// A live ticket to `camera`'s main stream for a minute, signed here
    /// with the sandbox's key rather than asked of the API.
    fn live_ticket(&self, camera: Uuid) -> String {
        let signer = self.tickets.get_or_init(|| {
            TicketSigner::load_or_create(&self.config.secrets_dir()).expect("failed to load the ticket signing key")
        });
        let now = chrono::Utc::now().timestamp();
        signer.issue(Uuid::nil(), self.tenant, camera, "main", Purpose::Live, now, 60).0
    }

    /// The restream URL of a camera's main stream, with a fresh live ticket.
    pub fn restream_url(&self, camera: Uuid) -> String {
        format!("rtsp://{}/{camera}/main?ticket={}", self.config.restream.listen, self.live_ticket(camera))
    }

    /// A URL of the media plane's live egress for a camera's main stream
    /// (`whep`, `ws`), with a fresh live ticket.
    pub fn live_url(&self, camera: Uuid, what: &str) -> String {
        format!("http://{}/live/{camera}/main/{what}?ticket={}", self.config.live.listen, self.live_ticket(camera))
    }
}

#[cfg(feature = "in-process")]
impl Sandbox {
    /// The connections every plane needs.
    pub fn plane_deps(&self) -> vms_plane::PlaneDeps {
        vms_plane::PlaneDeps {
            nats_url: self.env.nats_url().to_owned(),
            redis_url: self.env.redis_url().to_owned(),
            bus_prefix: self.prefix.clone(),
            metrics: Default::default(),
        }
    }

    /// Starts the media plane in this process.
    pub fn start_media(&self) -> Service {
        let (config, deps) = (self.config.clone(), self.plane_deps());
        Service::spawn(|token| vms_media::serve(config, deps, token))
    }

    /// Starts the recorder plane in this process.
    pub fn start_recorder(&self) -> Service {
        let (config, deps, db) = (self.config.clone(), self.plane_deps(), self.db.pool.clone());
        Service::spawn(|token| vms_recorder::serve(config, deps, db, token))
    }

    /// Starts the analytics plane in this process.
    pub fn start_ai(&self) -> Service {
        let (config, deps) = (self.config.clone(), self.plane_deps());
        Service::spawn(|token| vms_ai::serve(config, deps, token))
    }
}
