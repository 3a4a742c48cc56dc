//! Control's HTTP listener under idle and slow connections: it keeps
//! answering other addresses, and closes slow and idle connections after
//! their timeouts (`[limits]`, docs/guide/security.md).

use std::{net::SocketAddr, time::Duration};

use axum::{Router, routing::get};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpSocket, TcpStream},
    time::{Instant, timeout},
};
use tokio_util::sync::CancellationToken;
use vms_base::conn_limit::{ConnGate, ConnLimits};

fn limits(header_secs: u64, idle_secs: u64) -> ConnLimits {
    ConnLimits {
        max_connections: 150,
        max_per_address: 64,
        header_timeout: Duration::from_secs(header_secs),
        idle_timeout: Duration::from_secs(idle_secs),
        new_per_second: 1000,
        burst: 1000,
        exempt: Vec::new(),
    }
}

/// Starts the listener on loopback with a one-route router; stops when the token drops.
async fn start(limits: ConnLimits) -> (SocketAddr, tokio_util::sync::DropGuard) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = Router::new().route("/ping", get(|| async { "pong" }));
    let shutdown = CancellationToken::new();
    tokio::spawn(vms_control::http_server::serve(listener, router, None, ConnGate::new(limits), shutdown.clone()));
    (addr, shutdown.drop_guard())
}

/// Connects to `server` from the loopback address `source`.
async fn connect_from(source: [u8; 4], server: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::from((source, 0))).unwrap();
    socket.connect(server).await.unwrap()
}

/// Sends `GET /ping` and reads its response (keep-alive).
async fn ping(stream: &mut TcpStream) {
    stream.write_all(b"GET /ping HTTP/1.1\r\nHost: vms\r\n\r\n").await.unwrap();
    let mut response = Vec::new();
    let mut chunk = [0u8; 1024];
    while !response.ends_with(b"\r\n\r\npong") {
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "closed before answering: {}", String::from_utf8_lossy(&response));
        response.extend_from_slice(&chunk[..n]);
    }
    assert!(response.starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&response));
}

/// Whether the server closed `stream` within `wait`.
async fn closed_within(stream: &mut TcpStream, wait: Duration) -> bool {
    let mut chunk = [0u8; 64];
    matches!(timeout(wait, stream.read(&mut chunk)).await, Ok(Ok(0) | Err(_)))
}

#[tokio::test]
async fn idle_connections_from_one_address_do_not_starve_another() {
    let (addr, _stop) = start(limits(30, 30)).await;
    let mut idle = Vec::new();
    for _ in 0..200 {
        idle.push(connect_from([127, 0, 0, 1], addr).await);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut refused = 0;
    for stream in &mut idle {
        if closed_within(stream, Duration::from_millis(10)).await {
            refused += 1;
        }
    }
    assert_eq!(refused, 200 - 64, "one address holds at most max_per_address connections");

    let asked = Instant::now();
    let mut other = connect_from([127, 0, 0, 2], addr).await;
    timeout(Duration::from_secs(2), ping(&mut other)).await.expect("another address is answered at once");
    assert!(asked.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_partial_request_head_is_closed_after_the_header_timeout() {
    let (addr, _stop) = start(limits(1, 30)).await;
    let mut slow = connect_from([127, 0, 0, 1], addr).await;
    let opened = Instant::now();
    slow.write_all(b"GET /ping HTTP/1.1\r\nHost: vms\r\nX-Slow: ").await.unwrap();
    assert!(closed_within(&mut slow, Duration::from_secs(3)).await, "a slowloris connection is closed");
    let after = opened.elapsed();
    assert!(after >= Duration::from_millis(900), "closed after the header timeout, not before ({after:?})");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    let (addr, _stop) = start(limits(1, 3)).await;
    let mut client = connect_from([127, 0, 0, 1], addr).await;
    ping(&mut client).await;
    assert!(
        !closed_within(&mut client, Duration::from_millis(2000)).await,
        "an idle connection outlives the (shorter) header timeout"
    );
    ping(&mut client).await;
    let answered = Instant::now();
    assert!(closed_within(&mut client, Duration::from_secs(5)).await, "an idle connection is closed");
    let after = answered.elapsed();
    assert!(after >= Duration::from_millis(2900), "closed after the idle timeout, not before ({after:?})");
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
    assert_eq!(streams, vms_control::http_server::MAX_STREAMS_PER_CONNECTION as usize);
    assert!(streams <= 64, "{streams} requests in flight per connection");
}
