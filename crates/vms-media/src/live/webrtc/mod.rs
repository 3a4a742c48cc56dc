//! WebRTC egress (WHEP): a browser posts an SDP offer for one stream and gets
//! an answer; H.264 pictures then flow to it as RTP without transcoding.
//!
//! The media plane is an ICE-lite peer with host candidates only: UDP and
//! passive TCP on `live.webrtc_port` of each address in
//! `live.webrtc_addresses`. Each viewer is a task of its own; the sockets
//! are shared ([`net`]).

pub(crate) mod net;
mod session;

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Arc, Mutex},
    time::Instant,
};

use str0m::{Candidate, Rtc, change::SdpOffer, crypto::CryptoProvider, net::TcpType};
use tokio::sync::mpsc;
use tokio_util::{sync::CancellationToken, task::TaskTracker};

use crate::{fanout::Hub, viewers::Viewing};

/// Packets a session may have queued.
const INBOUND: usize = 256;
/// RTP packets kept per viewer for retransmission and for a keyframe burst.
const SEND_BUFFER: usize = 4000;

/// The RTP header extension id offered for `abs-capture-time` (free in str0m's standard map).
const ABS_CAPTURE_TIME_ID: u8 = 5;

/// Browsers decode WebRTC video in arrival order, so B-frames stutter there.
pub(crate) const B_FRAMES: &str =
    "the stream has B-frames, which browsers cannot play over WebRTC; use MSE (fMP4 over WebSocket)";

/// Why an offer got no answer.
#[derive(Debug, thiserror::Error)]
pub(crate) enum WhepError {
    /// The offer is not SDP we can answer: 400.
    #[error("{0}")]
    BadOffer(String),
    /// The stream cannot be sent over WebRTC (H.265): 415.
    #[error("{0}")]
    Unsupported(String),
    /// The stream has no picture yet: 503.
    #[error("{0}")]
    NotReady(String),
}

/// Parses a viewer's SDP offer. The parser's own message (which names its
/// internals, down to heap addresses) goes to the debug log, not to the viewer.
pub(crate) fn parse_offer(offer: &str) -> Result<SdpOffer, WhepError> {
    SdpOffer::from_sdp_string(offer).map_err(|e| {
        tracing::debug!(error = %e, "malformed SDP offer");
        WhepError::BadOffer("malformed SDP offer".into())
    })
}

/// The WebRTC viewers of this plane.
pub(crate) struct WebRtc {
    net: Arc<net::Net>,
    candidates: Vec<Candidate>,
    crypto: Arc<CryptoProvider>,
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
        let net = net::Net::bind(&ips, port, gate, shutdown.clone(), &tasks, supervisor).await?;
        let mut candidates = Vec::new();
        for addr in &net.addresses {
            candidates.push(Candidate::host(*addr, "udp")?);
            candidates.push(Candidate::builder().tcp().host(*addr).tcptype(TcpType::Passive).build()?);
        }
        tracing::info!(addresses = ?net.addresses, "WebRTC listening (UDP and TCP)");
        Ok(Self {
            net,
            candidates,
            crypto: Arc::new(str0m::crypto::from_feature_flags()),
            sessions: Mutex::default(),
            tasks,
        })
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
        let offer = parse_offer(offer)?;
        let mut rtc = Rtc::builder()
            .set_ice_lite(true)
            .set_crypto_provider(self.crypto.clone())
            .clear_codecs()
            .enable_h264(true)
            .set_send_buffer_video(SEND_BUFFER)
            // When each picture reached the media plane, for viewers that measure latency.
            .set_extension(ABS_CAPTURE_TIME_ID, str0m::rtp::Extension::AbsoluteCaptureTime)
            .build(Instant::now());
        for candidate in &self.candidates {
            let _ = rtc.add_local_candidate(candidate.clone());
        }
        let answer = rtc.sdp_api().accept_offer(offer).map_err(|e| {
            tracing::debug!(error = %e, "SDP offer cannot be answered");
            WhepError::BadOffer(
                "the SDP offer cannot be answered (it needs H.264 video, ICE credentials and a DTLS fingerprint)"
                    .into(),
            )
        })?;
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
        Ok((id, answer.to_sdp_string()))
    }

    /// Ends a session; returns whether it existed.
    pub(crate) fn close(&self, id: &str) -> bool {
        let mut sessions = self.sessions.lock().expect("sessions lock should not be poisoned");
        sessions.retain(|_, c| !c.is_cancelled());
        sessions.remove(id).map(|c| c.cancel()).is_some()
    }
}
