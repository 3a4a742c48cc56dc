//! The sockets every WebRTC session shares: one UDP socket and one TCP
//! listener (ICE-TCP, passive, RFC 4571 framing) per offered address, all on
//! `live.webrtc_port`. Incoming packets are routed to their session by
//! source address once known, and before that by the ICE ufrag in a STUN
//! binding request's USERNAME.
//!
//! ICE-TCP connections pass the `[limits]` gate (a refused one is closed at
//! once), must send their first frame within the header timeout, and are
//! closed after the idle timeout without a frame (a live browser sends STUN
//! consent checks every few seconds).

use std::{
    collections::HashMap,
    net::{IpAddr, SocketAddr},
    sync::{Arc, Mutex},
};

use anyhow::Context;
use str0m::net::Protocol;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream, UdpSocket},
    sync::mpsc,
};
use tokio_util::{sync::CancellationToken, task::TaskTracker};
use vms_base::Supervisor;

use vms_base::conn_limit::{ConnGate, ConnPermit};
use vms_codec::stun;

/// Outgoing packets a TCP connection may have waiting.
const TCP_QUEUE: usize = 1024;

/// One packet for a session.
pub(crate) struct Inbound {
    pub(crate) data: Vec<u8>,
    pub(crate) source: SocketAddr,
    pub(crate) destination: SocketAddr,
    pub(crate) proto: Protocol,
    /// Where answers go, for a packet that came over TCP.
    pub(crate) reply: Option<mpsc::Sender<Vec<u8>>>,
}

type SessionTx = mpsc::Sender<Inbound>;

/// The shared sockets and the routing table.
pub(crate) struct Net {
    udp: HashMap<SocketAddr, Arc<UdpSocket>>,
    /// The addresses offered as candidates (UDP and TCP alike).
    pub(crate) addresses: Vec<SocketAddr>,
    by_ufrag: Mutex<HashMap<String, SessionTx>>,
    by_source: Mutex<HashMap<(Protocol, SocketAddr), SessionTx>>,
}

impl Net {
    /// Binds `port` on every address in `ips` (UDP and TCP), and starts
    /// reading on `tasks`. Each socket's reader runs under `supervisor`: a
    /// packet that makes routing panic restarts that reader instead of
    /// silently ending WebRTC for every viewer.
    pub(crate) async fn bind(
        ips: &[IpAddr],
        port: u16,
        gate: ConnGate,
        shutdown: CancellationToken,
        tasks: &TaskTracker,
        supervisor: &Supervisor,
    ) -> anyhow::Result<Arc<Self>> {
        let mut udp = HashMap::new();
        let mut listeners = Vec::new();
        for ip in ips {
            let addr = SocketAddr::new(*ip, port);
            let socket = UdpSocket::bind(addr)
                .await
                .with_context(|| format!("failed to bind WebRTC UDP on {addr} (live.webrtc_port)"))?;
            let listener = TcpListener::bind(addr)
                .await
                .with_context(|| format!("failed to bind WebRTC TCP on {addr} (live.webrtc_port)"))?;
            udp.insert(addr, Arc::new(socket));
            listeners.push(listener);
        }
        let net = Arc::new(Self {
            addresses: udp.keys().copied().collect(),
            udp,
            by_ufrag: Mutex::default(),
            by_source: Mutex::default(),
        });
        // The tracker waits for each supervised task, so the ports are free
        // once it is done, as before.
        for (addr, socket) in &net.udp {
            let (net, socket, cancel) = (net.clone(), socket.clone(), shutdown.clone());
            tasks.spawn(supervisor.spawn(format!("webrtc_udp {addr}"), shutdown.clone(), move || {
                read_udp(net.clone(), socket.clone(), cancel.clone())
            }));
        }
        for listener in listeners {
            let addr = listener.local_addr()?;
            let (net, listener, gate, cancel, connections) =
                (net.clone(), Arc::new(listener), gate.clone(), shutdown.clone(), tasks.clone());
            tasks.spawn(supervisor.spawn(format!("webrtc_tcp {addr}"), shutdown.clone(), move || {
                accept_tcp(net.clone(), listener.clone(), gate.clone(), cancel.clone(), connections.clone())
            }));
        }
        Ok(net)
    }

    /// Sends a UDP datagram from the local `source` address.
    pub(crate) async fn send_udp(&self, source: SocketAddr, destination: SocketAddr, data: &[u8]) {
        match self.udp.get(&source) {
            Some(socket) => {
                if let Err(e) = socket.send_to(data, destination).await {
                    tracing::debug!(%destination, error = %e, "WebRTC UDP send failed");
                }
            }
            None => tracing::debug!(%source, "no WebRTC socket for this source address"),
        }
    }

    /// Routes packets with STUN username `ufrag:*` to `session`.
    pub(crate) fn register(&self, ufrag: &str, session: SessionTx) {
        self.by_ufrag.lock().expect("routing lock should not be poisoned").insert(ufrag.to_owned(), session);
    }

    /// Forgets a session's routes.
    pub(crate) fn unregister(&self, ufrag: &str) {
        self.by_ufrag.lock().expect("routing lock should not be poisoned").remove(ufrag);
        self.by_source.lock().expect("routing lock should not be poisoned").retain(|_, tx| !tx.is_closed());
    }

    fn route(&self, packet: Inbound) {
        let key = (packet.proto, packet.source);
        let known = self.by_source.lock().expect("routing lock should not be poisoned").get(&key).cloned();
        let session = match known.filter(|tx| !tx.is_closed()) {
            Some(tx) => tx,
            None => {
                let Some(ufrag) = stun::local_ufrag(&packet.data) else {
                    return;
                };
                let Some(tx) = self.by_ufrag.lock().expect("routing lock should not be poisoned").get(ufrag).cloned()
                else {
                    tracing::debug!(source = %packet.source, "STUN for no session");
                    return;
                };
                let mut by_source = self.by_source.lock().expect("routing lock should not be poisoned");
                by_source.retain(|_, tx| !tx.is_closed());
                by_source.insert(key, tx.clone());
                tx
            }
        };
        // A full queue means the session is stuck; losing a packet is what UDP does anyway.
        let _ = session.try_send(packet);
    }
}

async fn read_udp(net: Arc<Net>, socket: Arc<UdpSocket>, shutdown: CancellationToken) {
    let Ok(local) = socket.local_addr() else { return };
    let mut buf = vec![0u8; 2048];
    loop {
        let received = tokio::select! {
            _ = shutdown.cancelled() => return,
            received = socket.recv_from(&mut buf) => received,
        };
        match received {
            Ok((n, source)) => net.route(Inbound {
                data: buf[..n].to_vec(),
                source,
                destination: local,
                proto: Protocol::Udp,
                reply: None,
            }),
            // ICMP errors from a viewer that went away surface here; keep serving the others.
            Err(e) => tracing::debug!(error = %e, "WebRTC UDP receive failed"),
        }
    }
}

async fn accept_tcp(
    net: Arc<Net>,
    listener: Arc<TcpListener>,
    gate: ConnGate,
    shutdown: CancellationToken,
    tasks: TaskTracker,
) {
    loop {
        let accepted = tokio::select! {
            _ = shutdown.cancelled() => return,
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((stream, peer)) => {
                let Ok(permit) = gate.admit(peer.ip(), "webrtc-tcp") else { continue };
                let _ = stream.set_nodelay(true);
                tasks.spawn(serve_tcp(net.clone(), stream, peer, (gate.clone(), permit), shutdown.child_token()));
            }
            Err(e) => {
                tracing::warn!(error = %e, "WebRTC TCP accept failed");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        }
    }
}

/// Reads RFC 4571 frames (a 16-bit length, then the packet) from one ICE-TCP
/// connection and writes the session's answers back the same way.
async fn serve_tcp(
    net: Arc<Net>,
    stream: TcpStream,
    peer: SocketAddr,
    (gate, _permit): (ConnGate, ConnPermit),
    cancel: CancellationToken,
) {
    let (header, idle) = (gate.limits().header_timeout, gate.limits().idle_timeout);
    let Ok(local) = stream.local_addr() else { return };
    let (mut reader, mut writer) = stream.into_split();
    let (reply, mut outgoing) = mpsc::channel::<Vec<u8>>(TCP_QUEUE);
    let write_cancel = cancel.clone();
    tokio::spawn(async move {
        while let Some(packet) = outgoing.recv().await {
            let Ok(len) = u16::try_from(packet.len()) else { continue };
            let mut framed = Vec::with_capacity(packet.len() + 2);
            framed.extend_from_slice(&len.to_be_bytes());
            framed.extend_from_slice(&packet);
            if writer.write_all(&framed).await.is_err() {
                break;
            }
        }
        write_cancel.cancel();
    });
    let mut wait = header;
    loop {
        let mut len = [0u8; 2];
        let read = tokio::select! {
            _ = cancel.cancelled() => return,
            read = tokio::time::timeout(wait, reader.read_exact(&mut len)) => read,
        };
        if !matches!(read, Ok(Ok(_))) {
            return;
        }
        let mut data = vec![0u8; usize::from(u16::from_be_bytes(len))];
        if !matches!(tokio::time::timeout(header, reader.read_exact(&mut data)).await, Ok(Ok(_))) {
            return;
        }
        wait = idle;
        net.route(Inbound { data, source: peer, destination: local, proto: Protocol::Tcp, reply: Some(reply.clone()) });
    }
}

/// The addresses to offer when none are configured: every IPv4 address of
/// this machine's interfaces.
pub(crate) fn local_addresses() -> Vec<IpAddr> {
    let mut ips: Vec<IpAddr> = if_addrs::get_if_addrs()
        .map(|ifs| ifs.into_iter().map(|i| i.ip()).filter(IpAddr::is_ipv4).collect())
        .unwrap_or_default();
    ips.sort();
    ips.dedup();
    if ips.is_empty() {
        ips.push(IpAddr::from([127, 0, 0, 1]));
    }
    ips
}
