//! The frame link's client: one stream's pictures from the media plane
//! (docs/design/0005-frame-link.md), for the recorder now and analytics next.
//!
//! [`LinkSubscription::next`] connects on first use, proves the
//! installation's secret (and checks the media plane's proof), subscribes,
//! and then yields the stream's descriptions and pictures. Whenever the
//! connection breaks, the media plane goes quiet for three ping intervals, or
//! the stream is not served (yet), it yields [`LinkEvent::Interrupted`] once
//! and connects again after a capped, jittered backoff, until cancelled. A
//! consumer therefore sees every gap: a picture's `lost` field for pictures
//! skipped while it fell behind, and an interruption for a reconnect.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use tokio::net::TcpStream;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;
use vms_base::backoff::Backoff;
use vms_link::{Description, EndReason, FrameReader, Message, Picture, Subscribe};

/// How long a silent media plane is trusted: three of its ping intervals.
const SILENCE: Duration = Duration::from_secs(15);
/// How long connecting and the handshake may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// What a subscription yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkEvent {
    /// How the pictures that follow are coded; always first after a (re)connect.
    Description(Description),
    /// A picture.
    Picture(Picture),
    /// The link broke or the stream is not served; reconnecting. Pictures
    /// from now until the next description are lost.
    Interrupted {
        /// Why, for the log.
        reason: String,
    },
}

/// One stream's pictures over the frame link, reconnecting as needed.
pub struct LinkSubscription {
    addr: SocketAddr,
    key: Arc<[u8]>,
    request: Subscribe,
    backoff: Backoff,
    connection: Option<FrameReader<TcpStream>>,
    /// Whether the last connection broke, so the next connect waits first.
    broken: bool,
}

impl LinkSubscription {
    /// Subscribes to `role` of `camera` at the media plane's link `addr`,
    /// proving the installation's secret `key`. Nothing connects until [`Self::next`].
    pub fn new(addr: SocketAddr, key: Arc<[u8]>, camera: Uuid, role: vms_base::StreamRole) -> Self {
        Self {
            addr,
            key,
            request: Subscribe { camera, role: role.to_string(), batch_ms: 0 },
            backoff: Backoff::new(Duration::from_millis(200), Duration::from_secs(10)),
            connection: None,
            broken: false,
        }
    }

    /// Lets pictures wait up to `wait` (at most a second) at the media plane
    /// so that they arrive in batches, with those of the consumer's other
    /// batched streams: fewer wake-ups for a consumer that needs no
    /// low latency (the recorder). Arrival times are unchanged.
    pub fn batched(mut self, wait: Duration) -> Self {
        let ms = wait.as_millis().min(u128::from(vms_link::MAX_BATCH_MS));
        self.request.batch_ms = ms as u16;
        self
    }

    /// Returns the next event, or `None` once `cancel` is cancelled and
    /// what had already arrived from the media plane has been handed over.
    pub async fn next(&mut self, cancel: &CancellationToken) -> Option<LinkEvent> {
        loop {
            if self.connection.is_none() {
                if self.broken {
                    let wait = self.backoff.next_delay();
                    tokio::select! {
                        _ = cancel.cancelled() => return None,
                        _ = tokio::time::sleep(wait) => {}
                    }
                }
                let connected = tokio::select! {
                    _ = cancel.cancelled() => return None,
                    connected = tokio::time::timeout(CONNECT_TIMEOUT, self.connect()) => connected,
                };
                match connected {
                    Ok(Ok(connection)) => self.connection = Some(connection),
                    Ok(Err(e)) => return Some(self.interrupted(format!("{e:#}"))),
                    Err(_) => return Some(self.interrupted("the media plane did not answer in time".into())),
                }
            }
            let connection = self.connection.as_mut().expect("connected above");
            let read = if cancel.is_cancelled() {
                // Stopping: what has already arrived (a batch, perhaps) is
                // still handed over; nothing more is waited for.
                match futures::FutureExt::now_or_never(connection.next()) {
                    Some(Ok(frame)) => Ok(Ok(frame)),
                    _ => return None,
                }
            } else {
                tokio::select! {
                    _ = cancel.cancelled() => continue,
                    read = tokio::time::timeout(SILENCE, connection.next()) => read,
                }
            };
            let message = match read {
                Err(_) => return Some(self.interrupted(format!("the media plane sent nothing for {SILENCE:?}"))),
                Ok(Err(e)) => return Some(self.interrupted(e.to_string())),
                Ok(Ok((kind, payload))) => match Message::decode(kind, payload) {
                    Ok(message) => message,
                    Err(e) => return Some(self.interrupted(e.to_string())),
                },
            };
            match message {
                Message::Description(description) => {
                    self.backoff.reset();
                    return Some(LinkEvent::Description(description));
                }
                Message::Picture(picture) => return Some(LinkEvent::Picture(picture)),
                Message::Ping => continue,
                Message::End { reason, message } => {
                    let why = match reason {
                        EndReason::NotFound => "not served by this media plane",
                        EndReason::Closed => "stopped",
                        EndReason::ShuttingDown => "ended: the media plane is stopping",
                        EndReason::BadRequest => "refused as a bad request",
                    };
                    return Some(self.interrupted(format!("the stream {why} ({message})")));
                }
            }
        }
    }

    /// Forgets the connection and says why; the next call reconnects after a backoff.
    fn interrupted(&mut self, reason: String) -> LinkEvent {
        self.connection = None;
        self.broken = true;
        LinkEvent::Interrupted { reason }
    }

    async fn connect(&self) -> anyhow::Result<FrameReader<TcpStream>> {
        let mut socket = TcpStream::connect(self.addr)
            .await
            .map_err(|e| anyhow::anyhow!("cannot reach the media plane's frame link at {}: {e}", self.addr))?;
        socket.set_nodelay(true)?;
        vms_link::handshake::client(&mut socket, &self.key).await?;
        let mut out = Vec::new();
        self.request.encode(&mut out);
        vms_link::write_chunks(&mut socket, &mut out).await?;
        Ok(FrameReader::new(socket))
    }
}
