//! What a simulated Hikvision or Dahua NVR is and how it misbehaves, and
//! the HTTP server both run on.
//!
//! NVRs come from a spec like the ONVIF devices' (`yard?channels=8&offline=2,5`):
//!
//! | option | effect |
//! |---|---|
//! | `user`, `password` | its credentials (default `admin` / `camsim`) |
//! | `channels=N` | how many channels it has (default 4, at most 256) |
//! | `offline=2,5` | channels whose camera is reported disconnected |
//! | `names=Gate,Yard` | channel titles in order (percent-decoded); the rest are `Camera 03`... |
//! | `model=M` | its model (percent-decoded) |
//! | `slow_ms=MS` | every answer waits MS milliseconds |
//! | `malformed` | the channel list answers broken XML (Hikvision) or broken JSON (Dahua) |
//! | `analog` | Hikvision: a DVR, whose channels are video inputs; InputProxy answers `notSupport` with HTTP 200 |
//! | `numeric_session` | Dahua: sessions are numbers, as on older firmwares |
//! | `locked` | Dahua: every password proof is refused with "account locked" |
//! | `heartbeat_ms=MS` | the event streams' heartbeat pace (default: Hikvision 2000; Dahua the `heartbeat` seconds its request asks, 5 if none) |
//!
//! Both serve their vendor's alarm stream (Hikvision
//! `/ISAPI/Event/notification/alertStream`, Dahua
//! `/cgi-bin/eventManager.cgi?action=attach`), with heartbeats and the alarms
//! raised through `raise`; at most 16 streams are open at once per NVR.

use std::{net::SocketAddr, time::Duration};

use anyhow::{Context, bail};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// The most channels an NVR may have.
pub const MAX_CHANNELS: u32 = 256;

/// One simulated NVR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NvrConfig {
    /// Its name (the device or machine name it reports).
    pub name: String,
    /// User name.
    pub username: String,
    /// Password.
    pub password: String,
    /// Channel count, 1 to [`MAX_CHANNELS`].
    pub channels: u32,
    /// Channels (from 1) reported offline.
    pub offline: Vec<u32>,
    /// Titles of the first channels.
    pub names: Vec<String>,
    /// Model, if not the vendor sim's default.
    pub model: Option<String>,
    /// Delay before every answer.
    pub slow: Option<Duration>,
    /// The channel list answers broken XML or JSON.
    pub malformed: bool,
    /// Hikvision: a DVR with video inputs and no InputProxy.
    pub analog: bool,
    /// Dahua: sessions are numbers.
    pub numeric_session: bool,
    /// Dahua: the account is locked.
    pub locked: bool,
    /// The event streams' heartbeat pace, if not the vendor's default
    /// (Hikvision 2 s; Dahua as its request asks).
    pub heartbeat: Option<Duration>,
}

impl NvrConfig {
    /// A well-behaved NVR named `name` with four channels.
    pub fn new(name: &str) -> Self {
        NvrConfig {
            name: name.to_owned(),
            username: "admin".into(),
            password: "camsim".into(),
            channels: 4,
            offline: Vec::new(),
            names: Vec::new(),
            model: None,
            slow: None,
            malformed: false,
            analog: false,
            numeric_session: false,
            locked: false,
            heartbeat: None,
        }
    }

    /// Parses `name[?option&option=value...]` (see the module's table).
    pub fn parse(spec: &str) -> anyhow::Result<Self> {
        let (name, query) = spec.split_once('?').unwrap_or((spec, ""));
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            bail!("an NVR name is letters, digits, `_` and `-`: `{name}`");
        }
        let mut config = NvrConfig::new(name);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |raw: &str| -> anyhow::Result<String> {
                Ok(percent_encoding::percent_decode_str(raw)
                    .decode_utf8()
                    .context("option values are UTF-8")?
                    .into_owned())
            };
            let number = |text: &str| text.trim().parse::<u32>().with_context(|| format!("`{key}` takes numbers"));
            match key {
                "user" => config.username = decode(raw)?,
                "password" => config.password = decode(raw)?,
                "channels" => {
                    config.channels = number(raw)?;
                    if !(1..=MAX_CHANNELS).contains(&config.channels) {
                        bail!("`channels` is 1 to {MAX_CHANNELS}");
                    }
                }
                "offline" => {
                    config.offline = raw.split(',').filter(|s| !s.is_empty()).map(number).collect::<Result<_, _>>()?
                }
                "names" => config.names = raw.split(',').map(decode).collect::<Result<_, _>>()?,
                "model" => config.model = Some(decode(raw)?),
                "slow_ms" => config.slow = Some(Duration::from_millis(number(raw)?.into())),
                "malformed" => config.malformed = true,
                "analog" => config.analog = true,
                "numeric_session" => config.numeric_session = true,
                "locked" => config.locked = true,
                "heartbeat_ms" => {
                    let ms = number(raw)?;
                    if ms == 0 {
                        bail!("`heartbeat_ms` is at least 1");
                    }
                    config.heartbeat = Some(Duration::from_millis(ms.into()));
                }
                _ => bail!("unknown NVR option `{pair}`"),
            }
        }
        Ok(config)
    }

    /// The title of channel `number` (from 1).
    pub fn channel_name(&self, number: u32) -> String {
        let given = number.checked_sub(1).and_then(|i| self.names.get(i as usize));
        given.cloned().unwrap_or_else(|| format!("Camera {number:02}"))
    }

    /// Whether channel `number`'s camera is connected.
    pub fn online(&self, number: u32) -> bool {
        !self.offline.contains(&number)
    }

    /// A serial number, stable per name.
    pub fn serial(&self, prefix: &str) -> String {
        let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, self.name.as_bytes()).simple().to_string();
        format!("{prefix}{}", id[..12].to_ascii_uppercase())
    }
}

/// An HTTP service running until stopped.
pub(crate) struct Served {
    /// Where it listens.
    pub(crate) addr: SocketAddr,
    shutdown: CancellationToken,
    task: tokio::task::JoinHandle<()>,
}

impl Served {
    /// Binds `http` and serves `router` there.
    pub(crate) async fn start(router: axum::Router, http: SocketAddr) -> anyhow::Result<Served> {
        let listener = TcpListener::bind(http).await.with_context(|| format!("failed to bind {http}"))?;
        let addr = listener.local_addr()?;
        let shutdown = CancellationToken::new();
        let stop = shutdown.clone();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).with_graceful_shutdown(stop.cancelled_owned()).await;
        });
        Ok(Served { addr, shutdown, task })
    }

    /// `http://host:port/`.
    pub(crate) fn base_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Stops serving.
    pub(crate) async fn stop(self) {
        self.shutdown.cancel();
        let _ = self.task.await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_options() {
        let c = NvrConfig::parse("yard?channels=8&offline=2,5&user=op&password=p%26w&slow_ms=250&malformed&names=Gate,Back%20yard&model=X%201").unwrap();
        assert_eq!((c.name.as_str(), c.channels), ("yard", 8));
        assert_eq!(c.offline, [2, 5]);
        assert!(!c.online(2) && c.online(3));
        assert_eq!((c.username.as_str(), c.password.as_str()), ("op", "p&w"));
        assert_eq!(c.slow, Some(Duration::from_millis(250)));
        assert!(c.malformed && !c.analog);
        assert_eq!(c.channel_name(2), "Back yard");
        assert_eq!(c.channel_name(3), "Camera 03");
        assert_eq!(c.model.as_deref(), Some("X 1"));
        assert_eq!(NvrConfig::parse("n?heartbeat_ms=150").unwrap().heartbeat, Some(Duration::from_millis(150)));
        assert!(NvrConfig::parse("n?heartbeat_ms=0").is_err());
        assert_eq!(NvrConfig::parse("n").unwrap(), NvrConfig::new("n"));
        assert!(NvrConfig::parse("n?channels=0").is_err());
        assert!(NvrConfig::parse("n?channels=257").is_err());
        assert!(NvrConfig::parse("n?offline=a").is_err());
        assert!(NvrConfig::parse("n?bogus").is_err());
        assert!(NvrConfig::parse("a/b").is_err());
        assert_ne!(NvrConfig::new("a").serial("X"), NvrConfig::new("b").serial("X"));
    }
}
