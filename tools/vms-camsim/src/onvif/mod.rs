//! Simulated ONVIF devices: a WS-Discovery responder (UDP) and the device,
//! media (ver10 and ver20), PTZ and events (PullPoint) services (SOAP over HTTP), with the
//! misbehaviour of real firmwares on request (see [`config`]).
//!
//! Written from the ONVIF Core, Media, Media2 and PTZ specifications and the
//! WS-Discovery 2005/04 draft. Profiles point at streams of the simulator's
//! RTSP server, so an onboarded device plays.

pub mod config;
mod discovery;
mod events;
pub mod ptz;
mod replies;
mod service;

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
};

use anyhow::Context;
use tokio::net::{TcpListener, UdpSocket};
use tokio_util::sync::CancellationToken;

pub use self::config::OnvifConfig;
use crate::http_digest::DigestAuth;

/// A device's state, shared by its services.
pub struct Device {
    /// What it is.
    pub config: OnvifConfig,
    /// Its HTTP address.
    http: SocketAddr,
    /// The RTSP server its profiles point at (`rtsp://host:port`).
    rtsp_base: String,
    /// The PTZ head.
    head: Mutex<ptz::Head>,
    /// HTTP Digest, for firmwares that want it.
    digest: DigestAuth,
    /// PullPoint subscriptions and the alarms raised.
    events: events::Events,
}

impl Device {
    /// `http://host:port/onvif/<path>`.
    fn service_url(&self, path: &str) -> String {
        format!("http://{}/onvif/{path}", self.http)
    }

    /// The device's clock, skew applied.
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now() + chrono::TimeDelta::seconds(self.config.skew_secs)
    }
}

/// A running simulated ONVIF device.
pub struct OnvifDevice {
    device: Arc<Device>,
    discovery: Option<SocketAddr>,
    shutdown: CancellationToken,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl OnvifDevice {
    /// Serves `config`'s services on `http` and, when given, answers
    /// WS-Discovery probes on `discovery`. Its profiles point at `rtsp_base`.
    pub async fn start(
        config: OnvifConfig,
        http: SocketAddr,
        discovery: Option<SocketAddr>,
        rtsp_base: &str,
    ) -> anyhow::Result<OnvifDevice> {
        let listener = TcpListener::bind(http).await.with_context(|| format!("failed to bind {http}"))?;
        let device = Arc::new(Device {
            config,
            http: listener.local_addr()?,
            rtsp_base: rtsp_base.trim_end_matches('/').to_owned(),
            head: Mutex::new(ptz::Head::default()),
            digest: DigestAuth::new("camsim-onvif"),
            events: events::Events::default(),
        });
        let shutdown = CancellationToken::new();
        let mut tasks = Vec::new();
        let router = service::router(device.clone());
        let stop = shutdown.clone();
        tasks.push(tokio::spawn(async move {
            let _ = axum::serve(listener, router).with_graceful_shutdown(stop.cancelled_owned()).await;
        }));
        let discovery = match discovery {
            Some(addr) => {
                let socket =
                    UdpSocket::bind(addr).await.with_context(|| format!("failed to bind discovery on {addr}"))?;
                let bound = socket.local_addr()?;
                tasks.push(tokio::spawn(discovery::respond(socket, device.clone(), shutdown.clone())));
                Some(bound)
            }
            None => None,
        };
        tracing::info!(name = %device.config.name, http = %device.http, ?discovery, "simulated ONVIF device serving");
        Ok(OnvifDevice { device, discovery, shutdown, tasks })
    }

    /// The device service URL.
    pub fn device_url(&self) -> String {
        self.device.service_url("device_service")
    }

    /// Where it answers probes, if it does.
    pub fn discovery_addr(&self) -> Option<SocketAddr> {
        self.discovery
    }

    /// Its endpoint reference.
    pub fn endpoint(&self) -> String {
        self.device.config.endpoint()
    }

    /// The PTZ head's position now: pan, tilt, zoom.
    pub fn ptz_position(&self) -> ptz::Vector {
        self.device.head.lock().expect("head lock").status().0
    }

    /// Raises (or clears) an alarm: every live PullPoint subscription gets it.
    pub fn raise(&self, kind: vms_devices::alarm::AlarmKind, active: bool) {
        self.device.events.raise(kind, active, self.device.now());
    }

    /// Forgets every PullPoint subscription, as a device does when it restarts.
    pub fn restart_events(&self) {
        self.device.events.forget();
    }

    /// Stops serving.
    pub async fn stop(self) {
        self.shutdown.cancel();
        for task in self.tasks {
            let _ = task.await;
        }
    }
}
