//! A mosquitto broker of one test's own (Debian's `mosquitto`), with a user
//! and password, which the test may stop and start again; and
//! `mosquitto_sub` as the independent reader of what was published.

use std::{
    path::PathBuf,
    process::Stdio,
    time::{Duration, Instant},
};

use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
};

const BROKER: &str = "/usr/sbin/mosquitto";
const SUB: &str = "/usr/bin/mosquitto_sub";
/// The user `mosquitto_sub` reads as: its password never changes.
const READER: (&str, &str) = ("reader", "reader-secret-1");

/// A running (or stopped) broker. It knows two users: the one the VMS is
/// given ([`user`](Self::user), whose password a test may change) and the
/// reader `mosquitto_sub` connects as.
pub struct Mosquitto {
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// The one user it accepts.
    pub user: String,
    /// That user's password.
    pub password: String,
    /// The CA that signed its certificate, when it speaks TLS.
    pub ca: Option<PathBuf>,
    conf: PathBuf,
    child: Option<Child>,
    dir: tempfile::TempDir,
}

impl Mosquitto {
    /// Whether Debian's mosquitto is installed (scripts/setup.sh installs it).
    pub fn installed() -> bool {
        std::path::Path::new(BROKER).exists() && std::path::Path::new(SUB).exists()
    }

    /// Starts a broker that accepts only its users, with their passwords.
    pub async fn start() -> Self {
        Self::start_with(false).await
    }

    /// The same, speaking only TLS with a certificate for `127.0.0.1`
    /// signed by a CA of its own ([`ca`](Self::ca)).
    pub async fn start_tls() -> Self {
        Self::start_with(true).await
    }

    async fn start_with(tls: bool) -> Self {
        assert!(Self::installed(), "mosquitto and mosquitto-clients are needed: run scripts/setup.sh");
        let dir = tempfile::Builder::new().prefix("vms-mosquitto-").tempdir().expect("a temporary directory");
        let (user, password) = ("vms".to_owned(), "broker-secret-1".to_owned());
        let passwords = dir.path().join("passwords");
        let made = std::process::Command::new("/usr/bin/mosquitto_passwd")
            .args(["-b", "-c"])
            .arg(&passwords)
            .args([&user, &password])
            .output()
            .expect("mosquitto_passwd should run");
        assert!(made.status.success(), "mosquitto_passwd: {}", String::from_utf8_lossy(&made.stderr));
        let reader = std::process::Command::new("/usr/bin/mosquitto_passwd")
            .arg("-b")
            .arg(&passwords)
            .args([READER.0, READER.1])
            .output()
            .expect("mosquitto_passwd should run");
        assert!(reader.status.success(), "mosquitto_passwd: {}", String::from_utf8_lossy(&reader.stderr));
        let port = crate::free_port();
        let conf = dir.path().join("mosquitto.conf");
        let mut text = format!(
            "listener {port} 127.0.0.1\nallow_anonymous false\npassword_file {}\npersistence false\n\
             log_dest stderr\nlog_type error\nlog_type warning\n",
            passwords.display()
        );
        // Run as root, mosquitto would switch to its own user, who cannot read the test's files.
        if nix_is_root() {
            text.push_str("user root\n");
        }
        let ca = tls.then(|| {
            let (ca, cert, key) = certificates(dir.path());
            text.push_str(&format!(
                "cafile {}\ncertfile {}\nkeyfile {}\n",
                ca.display(),
                cert.display(),
                key.display()
            ));
            ca
        });
        std::fs::write(&conf, text).expect("the broker's configuration");
        let mut broker = Self { port, user, password, ca, conf, child: None, dir };
        broker.restart().await;
        broker
    }

    /// Changes the user's password; the broker reads it when it starts again.
    pub fn set_password(&mut self, password: &str) {
        let made = std::process::Command::new("/usr/bin/mosquitto_passwd")
            .arg("-b")
            .arg(self.dir.path().join("passwords"))
            .args([&self.user, password])
            .output()
            .expect("mosquitto_passwd should run");
        assert!(made.status.success(), "mosquitto_passwd: {}", String::from_utf8_lossy(&made.stderr));
        self.password = password.to_owned();
    }

    /// Makes the running broker read its password file again (SIGHUP):
    /// connected clients stay, new connections meet the new password.
    pub fn reload(&self) {
        let pid = self.child.as_ref().and_then(|c| c.id()).expect("the broker is running");
        let sent = std::process::Command::new("kill").args(["-HUP", &pid.to_string()]).status().expect("kill runs");
        assert!(sent.success(), "SIGHUP to mosquitto");
    }

    /// Starts it again after [`stop`](Self::stop), on the same port.
    pub async fn restart(&mut self) {
        if self.child.is_some() {
            return;
        }
        let log = std::fs::File::create(self.dir.path().join("mosquitto.log")).expect("the broker's log");
        let child = Command::new(BROKER)
            .arg("-c")
            .arg(&self.conf)
            .stdout(Stdio::null())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .expect("mosquitto should start");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await.is_err() {
            assert!(Instant::now() < deadline, "mosquitto did not listen on {} in 10 s", self.port);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Stops it (kills it: a broker that goes away).
    pub async fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill().await;
        }
    }

    /// The URL the VMS is given.
    pub fn url(&self) -> String {
        let scheme = if self.ca.is_some() { "mqtts" } else { "mqtt" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    /// The reader's user name and password (allowed to subscribe to everything).
    pub fn reader(&self) -> (&'static str, &'static str) {
        READER
    }

    /// `mosquitto_sub`'s arguments to reach it as the reader.
    fn reader_args(&self) -> Vec<String> {
        let mut args: Vec<String> =
            ["-h", "127.0.0.1", "-p", &self.port.to_string(), "-u", READER.0, "-P", READER.1].map(str::to_owned).into();
        if let Some(ca) = &self.ca {
            args.extend(["--cafile".to_owned(), ca.display().to_string()]);
        }
        args
    }

    /// Subscribes to `topic` with `mosquitto_sub` (`-v`: each line is
    /// `topic payload`), as the test's independent reader.
    pub async fn subscribe(&self, topic: &str) -> Subscriber {
        let mut child = Command::new(SUB)
            .args(self.reader_args())
            .args(["-q", "1", "-v", "-t", topic])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("mosquitto_sub should start");
        let lines = BufReader::new(child.stdout.take().expect("piped stdout"));
        // Let it subscribe before anything is published.
        tokio::time::sleep(Duration::from_millis(300)).await;
        Subscriber { _child: child, lines }
    }
}

/// A CA and a server certificate for `127.0.0.1` it signed, written in
/// `dir`: `(ca, cert, key)`.
fn certificates(dir: &std::path::Path) -> (PathBuf, PathBuf, PathBuf) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    // Names of their own: a certificate named as its issuer reads as self-signed.
    ca_params.distinguished_name.push(DnType::CommonName, "vms test broker CA");
    let ca_key = KeyPair::generate().expect("a CA key");
    let ca_cert = ca_params.self_signed(&ca_key).expect("the CA certificate");
    let issuer = Issuer::new(ca_params, ca_key);
    let mut params = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).expect("parameters");
    params.distinguished_name.push(DnType::CommonName, "127.0.0.1");
    let key = KeyPair::generate().expect("a key");
    let cert = params.signed_by(&key, &issuer).expect("the broker's certificate");
    let files = (dir.join("ca.pem"), dir.join("server.pem"), dir.join("server.key"));
    std::fs::write(&files.0, ca_cert.pem()).expect("ca.pem");
    std::fs::write(&files.1, cert.pem()).expect("server.pem");
    std::fs::write(&files.2, key.serialize_pem()).expect("server.key");
    files
}

fn nix_is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(1) == Some("0")))
        .unwrap_or(false)
}

/// What `mosquitto_sub` reads.
pub struct Subscriber {
    _child: Child,
    lines: BufReader<tokio::process::ChildStdout>,
}

impl Subscriber {
    /// The next `(topic, payload)` within `within`, or `None`. A binary
    /// payload (a JPEG) comes as several lines of lossy text.
    pub async fn next(&mut self, within: Duration) -> Option<(String, String)> {
        let mut raw = Vec::new();
        let read = tokio::time::timeout(within, self.lines.read_until(b'\n', &mut raw)).await.ok()?.ok()?;
        if read == 0 {
            return None;
        }
        let line = String::from_utf8_lossy(&raw);
        let line = line.trim_end_matches('\n');
        let (topic, payload) = line.split_once(' ').unwrap_or((line, ""));
        Some((topic.to_owned(), payload.to_owned()))
    }

    /// Reads until a message on a topic `wanted` accepts, failing after `within`.
    pub async fn until(&mut self, within: Duration, wanted: impl Fn(&str, &str) -> bool) -> (String, String) {
        let deadline = Instant::now() + within;
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.next(left).await {
                Some((topic, payload)) if wanted(&topic, &payload) => return (topic, payload),
                Some((topic, payload)) => {
                    seen.push(format!("{topic} {}", payload.chars().take(120).collect::<String>()))
                }
                None => break,
            }
        }
        panic!("no wanted MQTT message within {within:?}; seen: {seen:#?}");
    }
}

impl Mosquitto {
    /// The payload retained on `topic` (bytes as sent: a JPEG stays whole),
    /// read by `mosquitto_sub`; `None` if nothing is retained there within 5 s.
    pub async fn retained(&self, topic: &str) -> Option<Vec<u8>> {
        let out = Command::new(SUB)
            .args(self.reader_args())
            .args(["-q", "1", "-C", "1", "-N", "-W", "5", "-t", topic])
            .output()
            .await
            .expect("mosquitto_sub should run");
        (out.status.success() && !out.stdout.is_empty()).then_some(out.stdout)
    }
}
