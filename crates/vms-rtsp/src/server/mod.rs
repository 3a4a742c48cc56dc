//! An RTSP server: accepts connections and runs each one's session
//! (OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER keep-alives) over
//! TCP-interleaved or UDP transport, with Basic or Digest authentication.
//! What it serves comes from a [`Source`]: the camera simulator's clips, or
//! the media plane's live streams.
//!
//! Each connection passes the listener's [`ConnGate`] first (a refused one is
//! closed at once), must send each request within the header timeout, and
//! is closed after the idle timeout with no request and nothing playing.

mod sender;
mod session;
mod sink;

use std::{future::Future, sync::Arc};

use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use vms_base::conn_limit::ConnGate;
use vms_codec::Codec;

pub use sender::RtpSender;
pub use sink::{Ended, Sink, Start};

use crate::message::Request;

/// RTP payload type used for video.
pub const PAYLOAD_TYPE: u8 = 96;

/// The authentication a refused request is challenged with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Challenge {
    /// Basic only.
    Basic,
    /// Digest, and Basic for clients without Digest.
    Digest,
}

/// Why a request was not authorized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No or wrong credentials: 401 with this challenge.
    Challenge(Challenge),
    /// Valid credentials without the right to this stream: 403.
    Forbidden,
    /// The check itself could not be made (the service deciding is down): 503.
    Unavailable,
}

/// What DESCRIBE announces about a stream.
#[derive(Debug, Clone)]
pub struct Description {
    /// The session name (`s=` line).
    pub title: String,
    /// Video codec.
    pub codec: Codec,
    /// Parameter sets (VPS/SPS/PPS) without start codes.
    pub parameter_sets: Vec<Arc<[u8]>>,
    /// RTP time of the first picture sent, from the session's start timestamp
    /// (announced in RTP-Info).
    pub first_rtp_offset: u32,
}

/// What a source knows of the connection a request came on: the realm and
/// nonce a Digest response is checked against, and the client's address.
#[derive(Debug, Clone, Copy)]
pub struct Connection<'a> {
    /// The server's realm.
    pub realm: &'a str,
    /// The nonce this connection handed out (unique per connection).
    pub nonce: &'a str,
    /// The client's address.
    pub peer: std::net::SocketAddr,
}

/// What a server serves.
pub trait Source: Send + Sync + 'static {
    /// One resolved stream, kept by a session from DESCRIBE to TEARDOWN.
    type Media: Clone + Send + Sync + 'static;

    /// Resolves a request URI to a stream, or to the status code to answer.
    /// `current` is what this session resolved before, for URIs built from
    /// Content-Base.
    fn resolve(&self, uri: &url::Url, current: Option<&Self::Media>) -> Result<Self::Media, u16>;

    /// Checks a request's credentials for `media`; `Err` says how to refuse it.
    fn authorize(
        &self,
        request: &Request,
        media: &Self::Media,
        connection: Connection<'_>,
    ) -> impl Future<Output = Result<(), Refusal>> + Send;

    /// Describes `media` for DESCRIBE and PLAY, or gives the status code to
    /// answer (503 for a live stream with no picture yet, say).
    fn describe(&self, media: &Self::Media) -> Result<Description, u16>;

    /// Sends `media` into `sink` until `cancel` fires or the stream ends.
    fn play(
        &self,
        media: &Self::Media,
        sink: Sink,
        start: Start,
        cancel: CancellationToken,
    ) -> impl Future<Output = Ended> + Send + 'static;
}

/// Serves RTSP on `listener` from `source` until `shutdown`, which also ends
/// every session, admitting connections through `gate`.
pub async fn serve<S: Source>(
    listener: TcpListener,
    source: Arc<S>,
    realm: &'static str,
    gate: ConnGate,
    shutdown: CancellationToken,
) {
    let timeouts = session::Timeouts { header: gate.limits().header_timeout, idle: gate.limits().idle_timeout };
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            accepted = listener.accept() => match accepted {
                Ok((socket, peer)) => {
                    let Ok(permit) = gate.admit(peer.ip(), "rtsp") else { continue };
                    let _ = socket.set_nodelay(true);
                    let session = session::serve(socket, source.clone(), realm, timeouts, shutdown.clone());
                    tokio::spawn(async move {
                        session.await;
                        drop(permit);
                    });
                }
                Err(e) => {
                    // Out of descriptors, say: pause rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
            },
        }
    }
}
