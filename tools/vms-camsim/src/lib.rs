//! Simulated cameras for demos and tests: an RTSP server looping real
//! H.264/H.265 clips with continuous timestamps, over TCP-interleaved or UDP,
//! with Basic or Digest authentication and injectable faults.
//!
//! Run with `vms-camsim serve --clips DIR` (clips are generated on first use
//! with ffmpeg, never while serving); each camera is
//! `rtsp://HOST:PORT/<name>`, by default one per clip in [`clip::CATALOGUE`].
//! Tests run it in-process through [`Camsim::start`].

pub mod camera;
pub mod clip;
pub mod dahua;
mod event_stream;
pub mod hikvision;
mod http_digest;
pub mod nvr;
pub mod onvif;
mod sent;
mod silent;
mod source;
mod stream;
mod vendor_paths;

use std::{collections::HashMap, net::SocketAddr, path::Path, sync::Arc, time::SystemTime};

use anyhow::Context;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::{
    camera::Camera,
    clip::{Clip, ClipSpec},
    sent::SendLog,
    silent::Silenced,
    source::{Cameras, Playing},
};

/// The realm of the simulator's authentication challenges.
const REALM: &str = "vms-camsim";

/// A running simulator.
pub struct Camsim {
    addr: SocketAddr,
    playing: Playing,
    sent: SendLog,
    silenced: Silenced,
    shutdown: CancellationToken,
    task: tokio::task::JoinHandle<()>,
}

impl Camsim {
    /// Prepares the clips the cameras need in `clips_dir`, binds `listen` and serves.
    pub async fn start(listen: SocketAddr, clips_dir: &Path, cameras: Vec<Camera>) -> anyhow::Result<Camsim> {
        // The other resolution is loaded too, since `switch_after` may come in a request's query.
        let mut needed: Vec<ClipSpec> = cameras.iter().map(|c| c.clip).collect();
        needed.extend(cameras.iter().filter_map(|c| c.clip.other_resolution()));
        let dir = clips_dir.to_owned();
        let clips = tokio::task::spawn_blocking(move || -> anyhow::Result<HashMap<&'static str, Arc<Clip>>> {
            let mut clips = HashMap::new();
            for spec in needed {
                if clips.contains_key(spec.name) {
                    continue;
                }
                spec.prepare(&dir).with_context(|| format!("failed to prepare clip {}", spec.name))?;
                clips.insert(spec.name, Arc::new(Clip::load(spec, &dir)?));
            }
            Ok(clips)
        })
        .await??;
        let listener = TcpListener::bind(listen).await.with_context(|| format!("failed to bind {listen}"))?;
        let addr = listener.local_addr()?;
        let shutdown = CancellationToken::new();
        let playing = Playing::default();
        let sent = SendLog::default();
        let silenced = Silenced::default();
        let source = Arc::new(Cameras {
            cameras,
            clips,
            playing: playing.clone(),
            sent: sent.clone(),
            silenced: silenced.clone(),
            shutdown: shutdown.clone(),
        });
        let task = tokio::spawn(vms_rtsp::server::serve(listener, source, REALM, lab_gate(), shutdown.clone()));
        tracing::info!(%addr, "camsim serving");
        Ok(Camsim { addr, playing, sent, silenced, shutdown, task })
    }

    /// Returns the address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Returns how many sessions are playing `camera` now.
    pub fn sessions_playing(&self, camera: &str) -> usize {
        self.playing.count(camera)
    }

    /// Returns when `camera` sent picture `index` of its clip (the number
    /// drawn into it, see [`clip::IndexStrip`]) in the last 40 s or so, oldest first.
    pub fn sent_at(&self, camera: &str, index: usize) -> Vec<SystemTime> {
        self.sent.sent_at(camera, index)
    }

    /// Returns how many pictures every camera has sent since the start, all
    /// sessions together.
    pub fn pictures_sent(&self) -> u64 {
        self.sent.total()
    }

    /// Makes `camera` stop answering DESCRIBE, SETUP and PLAY (as the `silent`
    /// option does), or answer again; sessions already playing go on.
    pub fn set_silent(&self, camera: &str, silent: bool) {
        self.silenced.set(camera, silent);
    }

    /// Returns the URL of a camera.
    pub fn url(&self, camera: &str) -> String {
        format!("rtsp://{}/{camera}", self.addr)
    }

    /// Stops accepting and ends every session.
    pub async fn stop(self) {
        self.shutdown.cancel();
        let _ = self.task.await;
    }

    /// Waits until `shutdown` is cancelled, then stops.
    pub async fn serve_until(self, shutdown: CancellationToken) {
        shutdown.cancelled().await;
        self.stop().await;
    }
}

/// Connection limits of a simulator: wide enough for every test and
/// benchmark (hundreds of readers from one address), tight enough that a
/// stuck client is eventually let go.
fn lab_gate() -> vms_base::conn_limit::ConnGate {
    use std::time::Duration;
    vms_base::conn_limit::ConnGate::new(vms_base::conn_limit::ConnLimits {
        max_connections: 8192,
        max_per_address: 8192,
        header_timeout: Duration::from_secs(30),
        idle_timeout: Duration::from_secs(300),
        new_per_second: 10_000,
        burst: 10_000,
        exempt: Vec::new(),
    })
}
