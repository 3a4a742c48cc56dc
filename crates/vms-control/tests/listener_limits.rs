//! Control's HTTP listener under idle and slow connections: it keeps
//! answering other addresses, and closes slow and idle connections after
//! their timeouts (`[limits]`, docs/guide/security.md).

use std::net::SocketAddr;

use axum::{Router, routing::get};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;
use vms_base::conn_limit::{ConnGate, ConnLimits};
use vms_testkit::listener::{self, Question, limits};

/// Starts the listener on loopback with a one-route router; stops when the token drops.
async fn start(limits: ConnLimits) -> (SocketAddr, tokio_util::sync::DropGuard) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = Router::new().route("/ping", get(|| async { "pong" }));
    let shutdown = CancellationToken::new();
    tokio::spawn(vms_http::serve(listener, router, None, ConnGate::new(limits), shutdown.clone()));
    (addr, shutdown.drop_guard())
}

/// `GET /ping` on a kept-alive connection.
fn ping() -> Question {
    Question {
        request: b"GET /ping HTTP/1.1\r\nHost: vms\r\n\r\n".to_vec(),
        answer_starts: b"HTTP/1.1 200",
        answer_ends: b"\r\n\r\npong",
    }
}

#[tokio::test]
async fn idle_connections_from_one_address_do_not_starve_another() {
    let (addr, _stop) = start(limits(30, 30)).await;
    listener::one_address_cannot_starve_another(addr, &ping()).await;
}

#[tokio::test]
async fn a_partial_request_head_is_closed_after_the_header_timeout() {
    let (addr, _stop) = start(limits(1, 30)).await;
    listener::a_partial_head_is_cut_at_the_header_timeout(addr, b"GET /ping HTTP/1.1\r\nHost: vms\r\nX-Slow: ").await;
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    let (addr, _stop) = start(limits(1, 3)).await;
    listener::an_idle_connection_is_cut_at_the_idle_timeout(addr, &ping(), &ping()).await;
}

/// Review of issue 11: each HTTP/2 request may hold a body of up to 2 MiB
/// before it is handled, so one connection may not keep hyper's default of
/// 200 in flight; the server says how many in its SETTINGS.
#[tokio::test]
async fn an_http2_connection_holds_a_bounded_number_of_requests() {
    let (addr, _stop) = start(limits(10, 60)).await;
    let tcp = TcpStream::connect(addr).await.unwrap();
    let (mut send, mut connection) = h2::client::handshake(tcp).await.unwrap();
    let request = axum::http::Request::get(format!("http://{addr}/ping")).body(()).unwrap();
    let (response, _) = send.send_request(request, true).unwrap();
    let response = tokio::select! {
        response = response => response.unwrap(),
        ended = &mut connection => panic!("the connection ended first: {ended:?}"),
    };
    assert_eq!(response.status(), 200);
    let streams = connection.max_concurrent_send_streams();
    assert_eq!(streams, vms_http::MAX_STREAMS_PER_CONNECTION as usize);
    assert!(streams <= 64, "{streams} requests in flight per connection");
}
