//! A bounded HTTP(S) listener, with the limits of `[limits]`: control's
//! API and the recorder's archive serve through it.
//!
//! Every accepted connection passes the listener's [`ConnGate`] first (a
//! refused one is closed at once, before any TLS handshake), then must
//! finish the TLS handshake and send each request head within the header
//! timeout, and may stay open between requests for the idle timeout; a
//! connection past either is dropped. A request in flight, a streamed
//! response and an upgraded (WebSocket) connection are not bounded here.
//!
//! HTTP/2 counts any frame received while idle (a PING, say) as the start
//! of a request, so an idle HTTP/2 connection may be closed after the
//! header timeout rather than the idle timeout.

use std::{convert::Infallible, net::SocketAddr, pin::Pin, task::Poll, time::Duration};

use crate::activity::{Activity, Busy, Tracked};
use axum::{Router, body::Body, extract::ConnectInfo};
use axum_server::{
    accept::Accept,
    tls_rustls::{RustlsAcceptor, RustlsConfig},
};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::{
    io::{AsyncRead, AsyncWrite},
    net::{TcpListener, TcpStream},
};
use tokio_util::{sync::CancellationToken, task::TaskTracker};
use tower::ServiceExt;
use vms_base::conn_limit::{ConnGate, ConnPermit};

/// How long stopping lets requests in flight finish before closing them.
const DRAIN_WITHIN: Duration = Duration::from_secs(10);

/// Requests one HTTP/2 connection may have in flight at once (hyper's
/// default is 200). Each may hold a body of up to 2 MiB before it is handled,
/// so this bounds what one connection can make the server hold; a grid of 16
/// LL-HLS tiles needs about 32.
pub const MAX_STREAMS_PER_CONNECTION: u32 = 64;

/// Serves `router` on `listener` (over TLS when `tls` is given) until
/// `shutdown`, then lets requests in flight finish for up to 10 s.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    tls: Option<RustlsConfig>,
    gate: ConnGate,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let limits = (gate.limits().header_timeout, gate.limits().idle_timeout);
    let tls = tls.map(|config| RustlsAcceptor::new(config).handshake_timeout(limits.0));
    let connections = TaskTracker::new();
    let stop_now = CancellationToken::new();
    loop {
        let (stream, peer) = tokio::select! {
            _ = shutdown.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of descriptors, say: pause rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let Ok(permit) = gate.admit(peer.ip(), "http") else { continue };
        let _ = stream.set_nodelay(true);
        let conn =
            Conn { peer, router: router.clone(), limits, shutdown: shutdown.clone(), stop_now: stop_now.clone() };
        connections.spawn(conn.run(stream, tls.clone(), permit));
    }
    connections.close();
    if tokio::time::timeout(DRAIN_WITHIN, connections.wait()).await.is_err() {
        tracing::warn!("HTTP requests still in flight after {DRAIN_WITHIN:?}; closing them");
        stop_now.cancel();
        connections.wait().await;
    }
    Ok(())
}

/// One accepted connection.
struct Conn {
    peer: SocketAddr,
    router: Router,
    /// Header and idle timeouts.
    limits: (Duration, Duration),
    shutdown: CancellationToken,
    stop_now: CancellationToken,
}

impl Conn {
    async fn run(self, stream: TcpStream, tls: Option<RustlsAcceptor>, _permit: ConnPermit) {
        let activity = Activity::new();
        match tls {
            None => self.drive(Tracked { io: stream, activity: activity.clone() }, activity).await,
            Some(acceptor) => {
                let handshake = tokio::select! {
                    _ = self.stop_now.cancelled() => return,
                    handshake = acceptor.accept(stream, ()) => handshake,
                };
                match handshake {
                    Ok((io, ())) => self.drive(Tracked { io, activity: activity.clone() }, activity).await,
                    Err(e) => tracing::debug!(peer = %self.peer, error = %e, "TLS handshake failed"),
                }
            }
        }
    }

    /// Serves requests on `io` until the client leaves, a timeout, or shutdown.
    async fn drive<I>(self, io: Tracked<I>, activity: std::sync::Arc<Activity>)
    where
        I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let (peer, router, on_request) = (self.peer, self.router, activity.clone());
        let service = hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            let busy = on_request.begin();
            let call = router.clone().oneshot(request);
            async move {
                let response = call.await?;
                Ok::<_, Infallible>(response.map(|body| Body::new(Tracing { body, _busy: busy })))
            }
        });
        let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
        builder.http2().max_concurrent_streams(MAX_STREAMS_PER_CONNECTION);
        let conn = builder.serve_connection_with_upgrades(TokioIo::new(io), service);
        tokio::pin!(conn);
        let (header, idle) = self.limits;
        let mut draining = false;
        loop {
            let deadline = activity.deadline(header, idle);
            tokio::select! {
                result = conn.as_mut() => {
                    if let Err(e) = result {
                        tracing::debug!(%peer, error = %e, "HTTP connection ended with an error");
                    }
                    return;
                }
                _ = activity.changed() => {}
                _ = sleep_until(deadline) => {
                    if activity.deadline(header, idle).is_some_and(|d| d <= tokio::time::Instant::now()) {
                        tracing::debug!(%peer, "closing a slow or idle HTTP connection");
                        return;
                    }
                }
                _ = self.shutdown.cancelled(), if !draining => {
                    draining = true;
                    conn.as_mut().graceful_shutdown();
                }
                _ = self.stop_now.cancelled() => return,
            }
        }
    }
}

async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// A response body that keeps its connection busy until it is dropped.
struct Tracing {
    body: Body,
    _busy: Busy,
}

impl http_body::Body for Tracing {
    type Data = bytes::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}
