//! Helpers for tests that run planes or the whole `vms` binary.

#![allow(dead_code, unsafe_code)]

pub mod audit;
pub mod recording;
pub mod stack;

pub use vms_sandbox::wait_until;

use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// Width, height and codec of an image, as ffprobe reads it.
pub fn probe_image(bytes: &[u8]) -> String {
    let file = tempfile::NamedTempFile::with_suffix(".jpg").unwrap();
    std::fs::write(file.path(), bytes).unwrap();
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0"])
        .arg(file.path())
        .output()
        .expect("ffprobe should be installed");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Returns whether a process exists and is not a zombie.
pub fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat.rsplit_once(") ").is_some_and(|(_, rest)| rest.starts_with('Z')),
        Err(_) => false,
    }
}

/// Returns the pids of every process whose command line mentions `needle`.
pub fn processes_mentioning(needle: &str) -> Vec<(u32, String)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(raw) = std::fs::read(entry.path().join("cmdline")) else { continue };
        let cmdline = String::from_utf8_lossy(&raw).replace('\0', " ");
        if cmdline.contains(needle) && pid != std::process::id() && alive(pid) {
            found.push((pid, cmdline));
        }
    }
    found
}

/// Returns the direct children of `pid`.
pub fn children_of(pid: u32) -> Vec<u32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(child) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        let ppid = stat.rsplit_once(") ").and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok());
        if ppid == Some(pid) {
            found.push(child);
        }
    }
    found
}

/// The listeners `vms up` opens besides control's API, each given a free port.
const LISTENERS: [&str; 12] = [
    "VMS_CONTROL_GRPC_LISTEN",
    "VMS_MEDIA_GRPC_LISTEN",
    "VMS_RESTREAM_LISTEN",
    "VMS_LIVE_LISTEN",
    "VMS_LINK_LISTEN",
    "VMS_ARCHIVE_LISTEN",
    "VMS_RECORDER_GRPC_LISTEN",
    "VMS_AI_GRPC_LISTEN",
    "VMS_METRICS_CONTROL",
    "VMS_METRICS_MEDIA",
    "VMS_METRICS_RECORDER",
    "VMS_METRICS_AI",
];

/// A `vms up` process under test; killed outright if the test fails.
pub struct VmsUp {
    pub child: Child,
    pub data_dir: PathBuf,
    pub http: String,
    pub output: PathBuf,
    pub tls: bool,
}

impl VmsUp {
    /// Starts `vms up` with `envs`, serving plain HTTP; its output goes to `<data_dir>.out`.
    pub fn start(data_dir: &Path, http_port: u16, envs: &[(&str, String)]) -> Self {
        let mut envs = envs.to_vec();
        envs.push(("VMS_CONTROL_TLS_MODE", "off".to_owned()));
        Self::spawn(data_dir, http_port, &envs, false)
    }

    /// Starts `vms up` on its default: HTTPS with a generated certificate.
    pub fn start_tls(data_dir: &Path, http_port: u16, envs: &[(&str, String)]) -> Self {
        Self::spawn(data_dir, http_port, envs, true)
    }

    fn spawn(data_dir: &Path, http_port: u16, envs: &[(&str, String)], tls: bool) -> Self {
        Self::spawn_with(data_dir, http_port, envs, tls, &[])
    }

    /// Starts `vms up` with extra arguments (e.g. `--demo`), serving plain HTTP.
    pub fn start_args(data_dir: &Path, http_port: u16, envs: &[(&str, String)], args: &[&str]) -> Self {
        let mut envs = envs.to_vec();
        envs.push(("VMS_CONTROL_TLS_MODE", "off".to_owned()));
        Self::spawn_with(data_dir, http_port, &envs, false, args)
    }

    fn spawn_with(data_dir: &Path, http_port: u16, envs: &[(&str, String)], tls: bool, args: &[&str]) -> Self {
        let output = data_dir.with_extension("out");
        let out = std::fs::File::create(&output).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_vms"));
        cmd.arg("up")
            .args(args)
            .arg("--data-dir")
            .arg(data_dir)
            .env("VMS_CONTROL_LISTEN", format!("127.0.0.1:{http_port}"))
            .env("VMS_LOG", "info")
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out);
        // Every listener on a free port, so tests run side by side (`envs` may override).
        for key in LISTENERS {
            cmd.env(key, format!("127.0.0.1:{}", vms_testkit::free_port()));
        }
        cmd.env("VMS_LIVE_WEBRTC_PORT", vms_testkit::free_port().to_string())
            .env("VMS_LIVE_WEBRTC_ADDRESSES", "127.0.0.1")
            .env("VMS_DEVICES_ALLOW_LOOPBACK", "true");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("vms up should start");
        let scheme = if tls { "https" } else { "http" };
        VmsUp { child, data_dir: data_dir.to_owned(), http: format!("{scheme}://127.0.0.1:{http_port}"), output, tls }
    }

    pub fn output(&self) -> String {
        std::fs::read_to_string(&self.output).unwrap_or_default()
    }

    /// Returns a client that trusts the system's generated CA (once it exists).
    pub fn client(&self) -> Option<reqwest::Client> {
        if !self.tls {
            return Some(reqwest::Client::new());
        }
        let ca = std::fs::read(self.data_dir.join("tls/ca.pem")).ok()?;
        reqwest::Client::builder().add_root_certificate(reqwest::Certificate::from_pem(&ca).ok()?).build().ok()
    }

    /// Waits until `/health/ready` answers 200.
    pub async fn wait_ready(&mut self, timeout: Duration) {
        let url = format!("{}/health/ready", self.http);
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(client) = self.client()
                && let Ok(r) = client.get(&url).send().await
                && r.status().is_success()
            {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("vms up exited early ({status}):\n{}", self.output());
            }
            assert!(Instant::now() < deadline, "vms up not ready after {timeout:?}:\n{}", self.output());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the start-up banner is printed (it follows readiness).
    pub async fn wait_banner(&self) -> String {
        wait_until("the start-up banner", Duration::from_secs(30), || async {
            let out = self.output();
            out.contains("Press Ctrl-C to stop.").then_some(out)
        })
        .await
    }

    /// Returns the pid recorded for `name` (a plane or an embedded server).
    pub fn pid(&self, name: &str) -> Option<u32> {
        std::fs::read_to_string(self.data_dir.join("run").join(format!("{name}.pid"))).ok()?.trim().parse().ok()
    }

    /// Sends SIGINT (what Ctrl-C does) and waits for a clean exit.
    pub async fn interrupt(&mut self, timeout: Duration) {
        let pid = self.child.id() as libc::pid_t;
        // SAFETY: kill has no memory-safety preconditions.
        unsafe { libc::kill(pid, libc::SIGINT) };
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "vms up exited with {status}:\n{}", self.output());
                return;
            }
            assert!(Instant::now() < deadline, "vms up did not stop in {timeout:?}:\n{}", self.output());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Logs in over HTTP and returns the access token.
    pub async fn login(&self, password: &str) -> String {
        let res = self
            .client()
            .expect("the certificate exists once the system is ready")
            .post(format!("{}/api/auth/login", self.http))
            .json(&serde_json::json!({"username": "admin", "password": password}))
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "login failed: {}", res.status());
        res.json::<serde_json::Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned()
    }
}

impl Drop for VmsUp {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            // Its children carry a parent-death signal and follow it.
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// `vms up` against the test servers (configured by URL, so it starts none
/// of its own), its administrator's password `password`, with `extra`
/// settings in its environment.
#[allow(dead_code)]
pub async fn up_on_test_servers(data_dir: &Path, password: &str, extra: &[(&str, String)]) -> VmsUp {
    let env = vms_testkit::TestEnv::shared().await;
    let db = env.fresh_database().await;
    let mut envs = vec![
        ("VMS_DATABASE_URL", db.url.clone()),
        ("VMS_DATABASE_OWNER_URL", db.owner_url.clone()),
        ("VMS_DATABASE_AUDIT_URL", db.audit_url.clone()),
        ("VMS_REDIS_URL", env.redis_url().to_owned()),
        ("VMS_NATS_URL", env.nats_url().to_owned()),
        ("VMS_BUS_PREFIX", env.unique_prefix()),
        ("VMS_ADMIN_PASSWORD", password.to_owned()),
    ];
    envs.extend(extra.iter().cloned());
    VmsUp::start(data_dir, vms_testkit::free_port(), &envs)
}

/// A data directory the `postgres` user can reach (PostgreSQL refuses to run as root).
pub fn reachable_tempdir() -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::Builder::new().prefix("vms-e2e-").tempdir_in("/tmp").unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}
