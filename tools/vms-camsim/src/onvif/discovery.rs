//! The WS-Discovery responder: answers Probes for cameras or devices (or
//! with no type at all) with a ProbeMatch to the sender.

use std::sync::Arc;

use tokio::net::UdpSocket;
use tokio_util::sync::CancellationToken;

use super::{Device, replies};

/// Whether a Probe's types ask for what this device is.
fn wanted(types: Option<&str>) -> bool {
    types.is_none_or(|t| t.split_whitespace().any(|t| t.ends_with("NetworkVideoTransmitter") || t.ends_with("Device")))
}

/// Answers probes on `socket` until `shutdown`.
pub async fn respond(socket: UdpSocket, device: Arc<Device>, shutdown: CancellationToken) {
    let mut buf = vec![0u8; 65_535];
    loop {
        let (len, from) = tokio::select! {
            _ = shutdown.cancelled() => return,
            received = socket.recv_from(&mut buf) => match received {
                Ok(r) => r,
                Err(_) => continue,
            },
        };
        let Ok(message) = vms_devices::xml::parse(&buf[..len]) else { continue };
        let Some(probe) = message.find("Probe") else { continue };
        if !wanted(probe.text_of("Types")) {
            continue;
        }
        let relates_to = message.text_of("MessageID").unwrap_or("");
        let host = if device.config.xaddr_unspecified {
            format!("0.0.0.0:{}", device.http.port())
        } else {
            device.http.to_string()
        };
        let reply = replies::probe_matches(&device, relates_to, &format!("http://{host}/onvif/device_service"));
        let _ = socket.send_to(reply.as_bytes(), from).await;
    }
}
