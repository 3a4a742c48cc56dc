//! Checks every public listener must pass under idle and slow clients (the
//! limits of `[limits]`): one address cannot starve another, a request head
//! trickled in is cut at the header timeout, and an idle connection at the
//! idle timeout. Each listener's test starts it and says how to ask it one
//! [`Question`] in its protocol.

use std::{net::SocketAddr, time::Duration};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpSocket, TcpStream},
    time::{Instant, timeout},
};
use vms_base::conn_limit::ConnLimits;

/// Limits for these checks: 64 connections per address, 150 in all, no
/// connection-rate limit, and the given timeouts.
pub fn limits(header_secs: u64, idle_secs: u64) -> ConnLimits {
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

/// Connects to `server` from the loopback address `source` (any of 127.0.0.0/8).
pub async fn connect_from(source: [u8; 4], server: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::from((source, 0))).unwrap();
    socket.connect(server).await.unwrap()
}

/// One request in a listener's protocol, and how its answer looks.
pub struct Question {
    /// The request, whole.
    pub request: Vec<u8>,
    /// A success starts so (`HTTP/1.1 200`).
    pub answer_starts: &'static [u8],
    /// The whole answer ends so (`\r\n\r\n`, or the body's last bytes).
    pub answer_ends: &'static [u8],
}

impl Question {
    /// Asks on `stream` and reads the whole answer, which must be a success.
    pub async fn ask(&self, stream: &mut TcpStream) {
        stream.write_all(&self.request).await.unwrap();
        let mut response = Vec::new();
        let mut chunk = [0u8; 1024];
        while !response.ends_with(self.answer_ends) {
            let n = stream.read(&mut chunk).await.unwrap();
            assert!(n > 0, "closed before answering: {}", String::from_utf8_lossy(&response));
            response.extend_from_slice(&chunk[..n]);
        }
        assert!(response.starts_with(self.answer_starts), "{}", String::from_utf8_lossy(&response));
    }
}

/// Whether the server closed `stream` within `wait`.
pub async fn closed_within(stream: &mut TcpStream, wait: Duration) -> bool {
    let mut chunk = [0u8; 64];
    matches!(timeout(wait, stream.read(&mut chunk)).await, Ok(Ok(0) | Err(_)))
}

/// 200 idle connections from 127.0.0.1 to a listener with [`limits`] leave
/// it answering `question` from 127.0.0.2 at once; all but 64 were closed.
pub async fn one_address_cannot_starve_another(addr: SocketAddr, question: &Question) {
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
    let mut other = connect_from([127, 0, 0, 2], addr).await;
    timeout(Duration::from_secs(2), question.ask(&mut other)).await.expect("another address is answered at once");
}

/// A connection that sends only `partial` (a request head cut short) to a
/// listener with a 1 s header timeout is closed after that second, not before.
pub async fn a_partial_head_is_cut_at_the_header_timeout(addr: SocketAddr, partial: &[u8]) {
    let mut slow = connect_from([127, 0, 0, 1], addr).await;
    let opened = Instant::now();
    slow.write_all(partial).await.unwrap();
    assert!(closed_within(&mut slow, Duration::from_secs(3)).await, "a slowloris connection is closed");
    let after = opened.elapsed();
    assert!(after >= Duration::from_millis(900), "closed after the header timeout, not before ({after:?})");
}

/// On a listener with a 1 s header and 3 s idle timeout, a connection that
/// asked `first` outlives the header timeout while idle, answers `second`,
/// and is closed once idle for 3 s after it.
pub async fn an_idle_connection_is_cut_at_the_idle_timeout(addr: SocketAddr, first: &Question, second: &Question) {
    let mut client = connect_from([127, 0, 0, 1], addr).await;
    first.ask(&mut client).await;
    assert!(
        !closed_within(&mut client, Duration::from_millis(2000)).await,
        "an idle connection outlives the (shorter) header timeout"
    );
    second.ask(&mut client).await;
    let answered = Instant::now();
    assert!(closed_within(&mut client, Duration::from_secs(5)).await, "an idle connection is closed");
    let after = answered.elapsed();
    assert!(after >= Duration::from_millis(2900), "closed after the idle timeout, not before ({after:?})");
}
