//! WebRTC egress (WHEP): a browser posts an SDP offer for one stream and gets
//! an answer; H.264 pictures then flow to it as RTP without transcoding.
//!
//! The media plane is an ICE-lite peer with host candidates only: UDP and
//! passive TCP on `live.webrtc_port` of each address in
//! `live.webrtc_addresses`. Each viewer is a task of its own; the sockets
//! are shared ([`net`]). Answering the offer itself touches no socket
//! ([`offer`]).

pub(crate) mod net;
pub mod offer;
mod session;

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Arc, Mutex},
};

pub(crate) use offer::WhepError;
use tokio::sync::mpsc;
use tokio_util::{sync::CancellationToken, task::TaskTracker};

use crate::{fanout::Hub, viewers::Viewing};

/// Packets a session may have queued.
const INBOUND: usize = 256;

/// Browsers decode WebRTC video in arrival order, so B-frames stutter there.
pub(crate) const B_FRAMES: &str =
    "the stream has B-frames, which browsers cannot play over WebRTC; use MSE (fMP4 over WebSocket)";

/// The WebRTC viewers of this plane.
pub(crate) struct WebRtc {
    net: Arc<net::Net>,
    answerer: offer::Answerer,
    sessions: Mutex<HashMap<String, CancellationToken>>,
    /// Where session tasks run (each holds the shared sockets).
    tasks: TaskTracker,
}

impl WebRtc {
    /// Binds the WebRTC sockets on `port` of `ips` (or of every local
    /// address when `ips` is empty); its tasks run on `tasks`, the socket
    /// readers under `supervisor`.
    pub(crate) async fn bind(
        ips: &[IpAddr],
        port: u16,
        gate: vms_base::conn_limit::ConnGate,
        shutdown: CancellationToken,
        tasks: TaskTracker,
        supervisor: &vms_base::Supervisor,
    ) -> anyhow::Result<Self> {
        let ips = if ips.is_empty() { net::local_addresses() } else { ips.to_vec() };
        let net = net::Net::bind(&ips, port, gate, shutdown, &tasks, supervisor).await?;
        let answerer = offer::Answerer::new(&net.addresses)?;
        tracing::info!(addresses = ?net.addresses, "WebRTC listening (UDP and TCP)");
        Ok(Self { net, answerer, sessions: Mutex::default(), tasks })
    }

    /// Answers `offer` with a session sending `hub`'s pictures until `end`
    /// is cancelled (or the viewer leaves), holding `viewing` meanwhile;
    /// returns the session id and the answer.
    pub(crate) fn open(
        &self,
        offer: &str,
        hub: Arc<Hub>,
        end: CancellationToken,
        viewing: Viewing,
    ) -> Result<(String, String), WhepError> {
        let params = hub.params().ok_or_else(|| WhepError::NotReady("the stream has no picture yet".into()))?;
        if params.codec != vms_codec::Codec::H264 {
            return Err(WhepError::Unsupported(format!(
                "{} cannot be sent over WebRTC; use MSE (fMP4 over WebSocket)",
                params.codec_string
            )));
        }
        if hub.reorders() {
            return Err(WhepError::Unsupported(B_FRAMES.into()));
        }
        let (mut rtc, answer) = self.answerer.answer(offer)?;
        let ufrag = rtc.direct_api().local_ice_credentials().ufrag;
        let (tx, inbound) = mpsc::channel(INBOUND);
        self.net.register(&ufrag, tx);
        let id = uuid::Uuid::new_v4().simple().to_string();
        let cancel = end;
        self.sessions.lock().expect("sessions lock should not be poisoned").insert(id.clone(), cancel.clone());
        let (net, done) = (self.net.clone(), cancel.clone());
        let viewer = session::Viewer { rtc, inbound, hub, net: self.net.clone(), cancel };
        self.tasks.spawn(async move {
            session::run(viewer).await;
            drop(viewing);
            net.unregister(&ufrag);
            // Marks the session ended, so `close` forgets it.
            done.cancel();
        });
        Ok((id, answer))
    }

    /// Ends a session; returns whether it existed.
    pub(crate) fn close(&self, id: &str) -> bool {
        let mut sessions = self.sessions.lock().expect("sessions lock should not be poisoned");
        sessions.retain(|_, c| !c.is_cancelled());
        sessions.remove(id).map(|c| c.cancel()).is_some()
    }
}
