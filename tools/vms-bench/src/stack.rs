//! What a benchmark runs against: the test servers (PostgreSQL, Redis, NATS
//! started from the machine's binaries), control in this process, and the
//! plane under measurement as its own `vms run` process, so its CPU and
//! memory are its own.

use std::{
    net::SocketAddr,
    path::Path,
    process::{Child, Command, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;
use vms_bus::hot::HotState;
use vms_catalog::{
    Scope,
    camera::{self, CredentialsChange, NewCamera, StreamRole, StreamSpec, Transport},
    credentials::CredentialKey,
    scope,
    site::{self, NewSite},
};
use vms_config::Config;
use vms_testkit::{TestDatabase, TestEnv, free_port};
use vms_ticket::{Purpose, TicketSigner};

fn loopback() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], free_port()))
}

/// A child process, stopped when dropped.
pub struct Process(pub Child);

impl Process {
    /// Its pid.
    pub fn pid(&self) -> u32 {
        self.0.id()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-INT", &self.0.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn ffmpeg(args: &[&str]) -> anyhow::Result<Process> {
    let child = Command::new("ffmpeg")
        .args(["-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("ffmpeg should be installed")?;
    Ok(Process(child))
}

/// Runs `ffmpeg -rtsp_transport tcp -i URL -c copy -f null -`: a client
/// that reads a stream and throws it away.
pub fn ffmpeg_reader(url: &str) -> anyhow::Result<Process> {
    ffmpeg(&["-i", url, "-c", "copy", "-f", "null", "-"])
}

/// Runs `ffmpeg -rtsp_transport tcp -i URL -c copy -f segment -segment_time 10`
/// into `dir`: the plain way to record a camera to 10-second files.
pub fn ffmpeg_segmenter(url: &str, dir: &Path) -> anyhow::Result<Process> {
    std::fs::create_dir_all(dir)?;
    let pattern = dir.join("%05d.mp4");
    let pattern = pattern.to_string_lossy();
    ffmpeg(&["-i", url, "-c", "copy", "-f", "segment", "-segment_time", "10", &pattern])
}

/// Control in-process and a media plane process, on a database of their own.
pub struct Stack {
    env: &'static TestEnv,
    db: TestDatabase,
    config: Arc<Config>,
    prefix: String,
    tenant: Uuid,
    site: Uuid,
    key: CredentialKey,
    tickets: TicketSigner,
    control: (CancellationToken, JoinHandle<anyhow::Result<()>>),
    media: Process,
    recorder: Option<Process>,
    _dir: tempfile::TempDir,
}

impl Stack {
    /// Starts control here and `vms run media` (and `vms run recorder` when
    /// `record`) from the binary at `vms`.
    pub async fn start(vms: &Path, record: bool) -> anyhow::Result<Self> {
        let env = TestEnv::shared().await;
        let db = env.fresh_database().await;
        let dir = tempfile::tempdir()?;
        let mut config = Config { data_dir: dir.path().to_owned(), ..Config::default() };
        config.control.listen = loopback();
        config.control.grpc_listen = loopback();
        config.control.tls.mode = vms_config::TlsMode::Off;
        // The built web app, for the browser figures of `vms-bench live`.
        config.control.web_dir = Some(std::env::current_dir()?.join("web/dist"));
        config.media.grpc_listen = loopback();
        config.restream.listen = loopback();
        config.live.listen = loopback();
        config.link.listen = loopback();
        config.archive.listen = loopback();
        config.live.webrtc_port = loopback().port();
        config.live.webrtc_addresses = vec![std::net::Ipv4Addr::LOCALHOST.into()];
        // The benchmark's cameras are camsim's, on loopback.
        config.devices.allow_loopback = true;
        config.recorder.grpc_listen = loopback();
        let prefix = env.unique_prefix();
        let key = CredentialKey::load_or_create(&config.secrets_dir())?;
        let tickets = TicketSigner::load_or_create(&config.secrets_dir())?;

        let mut tx = scope::begin(&db.pool, Scope::AllTenants).await?;
        let tenant = vms_catalog::tenant::create(&mut *tx, "default").await?;
        let hq = NewSite { name: "Bench".into(), description: String::new(), timezone: "UTC".into() };
        let site = site::create(&mut *tx, tenant.id, &hq).await?;
        tx.commit().await?;

        let config = Arc::new(config);
        let deps = vms_control::ControlDeps {
            db: db.pool.clone(),
            audit_db: sqlx::PgPool::connect(&db.audit_url).await?,
            nats_url: env.nats_url().to_owned(),
            redis_url: env.redis_url().to_owned(),
            bus_prefix: prefix.clone(),
        };
        let token = CancellationToken::new();
        let control = tokio::spawn(vms_control::serve(config.clone(), deps, token.clone()));

        let plane = |name: &str| -> anyhow::Result<Process> {
            let child = Command::new(vms)
                .args(["run", name])
                .env("VMS_DATA_DIR", &config.data_dir)
                .env("VMS_DATABASE_URL", &db.url)
                .env("VMS_REDIS_URL", env.redis_url())
                .env("VMS_NATS_URL", env.nats_url())
                .env("VMS_BUS_PREFIX", &prefix)
                .env("VMS_CONTROL_GRPC_LISTEN", config.control.grpc_listen.to_string())
                .env("VMS_MEDIA_GRPC_LISTEN", config.media.grpc_listen.to_string())
                .env("VMS_RECORDER_GRPC_LISTEN", config.recorder.grpc_listen.to_string())
                .env("VMS_RESTREAM_LISTEN", config.restream.listen.to_string())
                .env("VMS_LIVE_LISTEN", config.live.listen.to_string())
                .env("VMS_LINK_LISTEN", config.link.listen.to_string())
                .env("VMS_ARCHIVE_LISTEN", config.archive.listen.to_string())
                .env("VMS_LIVE_WEBRTC_PORT", config.live.webrtc_port.to_string())
                .env("VMS_LIVE_WEBRTC_ADDRESSES", "127.0.0.1")
                .env("VMS_DEVICES_ALLOW_LOOPBACK", "true")
                .env("VMS_LOG", "warn")
                .stdin(Stdio::null())
                .spawn()
                .with_context(|| format!("failed to start {}", vms.display()))?;
            Ok(Process(child))
        };
        let media = plane("media")?;
        let recorder = if record { Some(plane("recorder")?) } else { None };
        Ok(Self {
            env,
            db,
            config,
            prefix,
            tenant: tenant.id,
            site: site.id,
            key,
            tickets,
            control: (token, control),
            media,
            recorder,
            _dir: dir,
        })
    }

    /// The media plane's pid.
    pub fn media_pid(&self) -> u32 {
        self.media.pid()
    }

    /// The recorder plane's pid, when it runs.
    pub fn recorder_pid(&self) -> Option<u32> {
        self.recorder.as_ref().map(Process::pid)
    }

    /// Where the recorder writes.
    pub fn recordings(&self) -> std::path::PathBuf {
        self.config.data_dir.join("recordings")
    }

    /// Adds a camera pulling `url`; returns the camera's and its stream's ids.
    pub async fn add_camera(&self, name: &str, url: String) -> anyhow::Result<(Uuid, Uuid)> {
        let new = NewCamera {
            site_id: self.site,
            name: name.into(),
            description: String::new(),
            enabled: true,
            streams: vec![StreamSpec {
                role: StreamRole::Main,
                url,
                transport: Transport::Tcp,
                credentials: CredentialsChange::Keep,
            }],
        };
        let mut tx = scope::begin(&self.db.pool, Scope::AllTenants).await?;
        let created = camera::create(&mut tx, &self.key, self.tenant, &new).await?;
        tx.commit().await?;
        Ok((created.id, created.streams[0].id))
    }

    /// Pictures in the fragments the recorder indexed whose first picture
    /// arrived in `[from, to)`, every camera together.
    pub async fn pictures_recorded(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> anyhow::Result<i64> {
        let mut tx = scope::begin(&self.db.pool, Scope::AllTenants).await?;
        let pictures: Option<i64> = sqlx::query_scalar(
            "SELECT sum(pictures)::bigint FROM recording_fragments WHERE start_time >= $1 AND start_time < $2",
        )
        .bind(from)
        .bind(to)
        .fetch_one(&mut *tx)
        .await?;
        Ok(pictures.unwrap_or(0))
    }

    /// Waits until every stream in `streams` is online.
    pub async fn wait_online(&self, streams: &[Uuid], timeout: Duration) -> anyhow::Result<()> {
        let hot = HotState::new(self.env.redis_url(), format!("{}:", self.prefix))?;
        let deadline = Instant::now() + timeout;
        loop {
            let states = hot.stream_states(streams).await.unwrap_or_default();
            let online = streams
                .iter()
                .filter(|s| states.get(s).is_some_and(|st| st.status == vms_bus::hot::StreamStatus::Online))
                .count();
            if online == streams.len() {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("only {online} of {} streams online after {timeout:?}", streams.len());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// The restream URL of a camera's main stream, with a fresh live ticket.
    pub fn restream_url(&self, camera: Uuid) -> String {
        let now = chrono::Utc::now().timestamp();
        let (ticket, _) = self.tickets.issue(Uuid::nil(), self.tenant, camera, "main", Purpose::Live, now, 60);
        format!("rtsp://{}/{camera}/main?ticket={ticket}", self.config.restream.listen)
    }

    /// Adds a user of the tenant with tenant-wide `roles`.
    pub async fn add_user(&self, username: &str, password: &str, roles: &[&str]) -> anyhow::Result<()> {
        let hash = vms_catalog::password::hash(password);
        let mut tx = scope::begin(&self.db.pool, Scope::AllTenants).await?;
        vms_catalog::user::create(&mut tx, self.tenant, username, &hash, roles).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The control plane's HTTP origin.
    pub fn http(&self) -> String {
        format!("http://{}", self.config.control.listen)
    }

    /// A URL of the media plane's live egress for a camera's main stream
    /// (`whep`, `ws`), with a fresh live ticket.
    pub fn live_url(&self, camera: Uuid, what: &str) -> String {
        let now = chrono::Utc::now().timestamp();
        let (ticket, _) = self.tickets.issue(Uuid::nil(), self.tenant, camera, "main", Purpose::Live, now, 60);
        format!("http://{}/live/{camera}/main/{what}?ticket={ticket}", self.config.live.listen)
    }

    /// Stops the recorder and media planes, then control.
    pub async fn stop(self) {
        drop(self.recorder);
        drop(self.media);
        self.control.0.cancel();
        let _ = self.control.1.await;
    }
}
