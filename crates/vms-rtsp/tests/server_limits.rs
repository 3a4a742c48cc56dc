//! The RTSP server under idle and slow connections: it keeps answering other
//! addresses, and closes slow and idle connections after their timeouts.

use std::{net::SocketAddr, sync::Arc};

use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use vms_base::conn_limit::{ConnGate, ConnLimits};
use vms_rtsp::{
    message::Request,
    server::{Connection, Description, Ended, Refusal, Sink, Source, Start},
};
use vms_testkit::listener::{self, Question, limits};

/// Serves nothing: every stream is 404, which OPTIONS never asks about.
struct Nothing;

impl Source for Nothing {
    type Media = ();

    fn resolve(&self, _uri: &url::Url, _current: Option<&()>) -> Result<(), u16> {
        Err(404)
    }

    async fn authorize(&self, _request: &Request, _media: &(), _connection: Connection<'_>) -> Result<(), Refusal> {
        Ok(())
    }

    fn describe(&self, _media: &()) -> Result<Description, u16> {
        Err(404)
    }

    fn play(
        &self,
        _media: &(),
        _sink: Sink,
        _start: Start,
        _cancel: CancellationToken,
    ) -> impl Future<Output = Ended> + Send + 'static {
        std::future::ready(Ended::Stopped)
    }
}

/// Starts the server on loopback; it stops when the guard drops.
async fn start(limits: ConnLimits) -> (SocketAddr, tokio_util::sync::DropGuard) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let shutdown = CancellationToken::new();
    tokio::spawn(vms_rtsp::server::serve(listener, Arc::new(Nothing), "test", ConnGate::new(limits), shutdown.clone()));
    (addr, shutdown.drop_guard())
}

/// OPTIONS, numbered `cseq`.
fn options(cseq: u32) -> Question {
    Question {
        request: format!("OPTIONS rtsp://vms/ RTSP/1.0\r\nCSeq: {cseq}\r\n\r\n").into_bytes(),
        answer_starts: b"RTSP/1.0 200",
        answer_ends: b"\r\n\r\n",
    }
}

#[tokio::test]
async fn idle_connections_from_one_address_do_not_starve_another() {
    let (addr, _stop) = start(limits(30, 30)).await;
    listener::one_address_cannot_starve_another(addr, &options(1)).await;
}

#[tokio::test]
async fn a_partial_request_is_closed_after_the_header_timeout() {
    let (addr, _stop) = start(limits(1, 30)).await;
    listener::a_partial_head_is_cut_at_the_header_timeout(addr, b"OPTIONS rtsp://vms/ RTSP/1.0\r\nCSeq: 1\r\n").await;
}

#[tokio::test]
async fn an_idle_connection_is_closed_after_the_idle_timeout() {
    let (addr, _stop) = start(limits(1, 3)).await;
    listener::an_idle_connection_is_cut_at_the_idle_timeout(addr, &options(1), &options(2)).await;
}
