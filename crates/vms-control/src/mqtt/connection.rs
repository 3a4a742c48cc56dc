//! The bridge's connection to the broker: rumqttc's event loop, polled in
//! its own task (it reconnects with backoff and reports how it went), and
//! the sender, which hands queued messages to the client while connected.

use std::{sync::Arc, time::Duration};

use rumqttc::{
    AsyncClient, ConnectReturnCode, ConnectionError, Event, LastWill, MqttOptions, Packet, QoS, TlsConfiguration,
    Transport,
};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use vms_base::backoff::Backoff;
use vms_config::MqttConfig;

use super::{Bridge, Outgoing};

/// Requests waiting in the client for the event loop.
pub const IN_FLIGHT: usize = 64;
/// The first wait before connecting again, doubled up to [`RETRY_MAX`].
const RETRY_FIRST: Duration = Duration::from_millis(500);
/// The longest wait between connection attempts.
const RETRY_MAX: Duration = Duration::from_secs(10);
/// The system's CA bundle (Debian's ca-certificates).
const SYSTEM_ROOTS: &str = "/etc/ssl/certs/ca-certificates.crt";

/// The client options of `config` for node `node`.
pub fn options(config: &MqttConfig, node: &str, availability: &str) -> anyhow::Result<MqttOptions> {
    let broker = config.broker()?.ok_or_else(|| anyhow::anyhow!("mqtt.url is not set"))?;
    let client_id = config.client_id.clone().unwrap_or_else(|| format!("vms-{}", super::topics::level(node)));
    let mut options = MqttOptions::new(client_id, broker.host.clone(), broker.port);
    options.set_keep_alive(Duration::from_secs(30));
    options.set_clean_session(true);
    options.set_max_packet_size(64 * 1024, super::MAX_MESSAGE_BYTES + 64 * 1024);
    options.set_last_will(LastWill::new(availability, "offline", QoS::AtLeastOnce, true));
    if let Some(user) = &config.username {
        let password = match &config.password_file {
            Some(file) => std::fs::read_to_string(file)
                .map_err(|e| anyhow::anyhow!("cannot read mqtt.password_file {}: {e}", file.display()))?
                .trim_end_matches(['\r', '\n'])
                .to_owned(),
            None => String::new(),
        };
        options.set_credentials(user.clone(), password);
    }
    if broker.tls {
        options.set_transport(Transport::tls_with_config(TlsConfiguration::Rustls(Arc::new(tls(config)?))));
    }
    Ok(options)
}

fn tls(config: &MqttConfig) -> anyhow::Result<rustls::ClientConfig> {
    use rustls::pki_types::{CertificateDer, pem::PemObject};
    let file = config.ca_file.clone().unwrap_or_else(|| SYSTEM_ROOTS.into());
    let pem = std::fs::read(&file).map_err(|e| anyhow::anyhow!("cannot read the CA file {}: {e}", file.display()))?;
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&pem) {
        roots.add(cert.map_err(|e| anyhow::anyhow!("bad certificate in {}: {e}", file.display()))?)?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// What a failed connection means, for operators.
fn describe(error: &ConnectionError, broker: &str) -> String {
    match error {
        // Mosquitto answers a wrong password with "not authorised".
        ConnectionError::ConnectionRefused(
            code @ (ConnectReturnCode::BadUserNamePassword | ConnectReturnCode::NotAuthorized),
        ) => format!(
            "the broker {broker} refused the user name or password ({code:?}): check mqtt.username and mqtt.password_file"
        ),
        ConnectionError::ConnectionRefused(code) => format!("the broker {broker} refused the connection: {code:?}"),
        ConnectionError::Io(e) => format!("cannot reach the broker {broker}: {e}"),
        ConnectionError::Tls(e) => format!("TLS with the broker {broker} failed: {e}"),
        ConnectionError::NetworkTimeout => format!("the broker {broker} did not answer in time"),
        other => format!("the connection to the broker {broker} broke: {other}"),
    }
}

/// Runs the bridge until `cancel`: connects, reconnects with backoff, and
/// sends what is queued. Returns an error for a configuration that cannot
/// work (an unreadable password or CA file; the supervisor tries again and
/// `/api/system` shows why).
pub async fn run(bridge: Arc<Bridge>, node: String, cancel: CancellationToken) -> anyhow::Result<()> {
    let availability = bridge.topics.availability();
    let options = match options(&bridge.config, &node, &availability) {
        Ok(options) => options,
        Err(e) => {
            bridge.connected(Some(format!("{e:#}")));
            return Err(e);
        }
    };
    let broker = format!("{}:{}", options.broker_address().0, options.broker_address().1);
    let (client, mut eventloop) = AsyncClient::new(options, IN_FLIGHT);
    let (connected_tx, mut connected) = watch::channel(false);
    let poller = {
        let (bridge, client, availability, cancel) =
            (bridge.clone(), client.clone(), availability.clone(), cancel.clone());
        async move {
            let mut backoff = Backoff::new(RETRY_FIRST, RETRY_MAX);
            loop {
                let polled = tokio::select! {
                    polled = eventloop.poll() => polled,
                    _ = cancel.cancelled() => break,
                };
                match polled {
                    Ok(Event::Incoming(Packet::ConnAck(_))) => {
                        tracing::info!(broker, "connected to the MQTT broker");
                        backoff = Backoff::new(RETRY_FIRST, RETRY_MAX);
                        bridge.connected(None);
                        let _ = client.try_publish(&availability, QoS::AtLeastOnce, true, "online");
                        let _ = connected_tx.send(true);
                    }
                    Ok(Event::Incoming(Packet::PubAck(_))) => {
                        bridge.published.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                    Ok(_) => {}
                    Err(e) => {
                        let why = describe(&e, &broker);
                        if *connected_tx.borrow() || bridge.view().last_error.as_deref() != Some(why.as_str()) {
                            tracing::warn!(error = %why, "MQTT broker unavailable; queueing messages");
                        }
                        bridge.connected(Some(why));
                        let _ = connected_tx.send(false);
                        // What the broker had not acknowledged goes back in the
                        // queue: with a clean session, the client would drop it.
                        bridge.requeue(unacknowledged(&mut eventloop.pending));
                        tokio::select! {
                            _ = tokio::time::sleep(backoff.next_delay()) => {}
                            _ = cancel.cancelled() => return,
                        }
                    }
                }
            }
            // Stopping: say so, and give the event loop a moment to send it.
            let _ = client.try_publish(&availability, QoS::AtLeastOnce, true, "offline");
            let _ = client.try_disconnect();
            let _ = tokio::time::timeout(Duration::from_secs(2), async {
                while let Ok(event) = eventloop.poll().await {
                    if matches!(event, Event::Outgoing(rumqttc::Outgoing::Disconnect)) {
                        break;
                    }
                }
            })
            .await;
        }
    };
    let sender = async {
        loop {
            connected.wait_for(|up| *up).await?;
            let Some(Outgoing { topic, payload, retain }) = bridge.next() else {
                tokio::select! {
                    _ = bridge.wake.notified() => {}
                    _ = connected.changed() => {}
                }
                continue;
            };
            // Waits while the client holds IN_FLIGHT requests. A message the
            // connection loses on the way comes back through `requeue`.
            client.publish(topic, QoS::AtLeastOnce, retain, payload).await?;
        }
    };
    tokio::select! {
        _ = poller => Ok(()),
        result = sender => result,
    }
}

/// The publishes among requests the client kept from a broken connection,
/// taken out of it.
fn unacknowledged(pending: &mut std::collections::VecDeque<rumqttc::Request>) -> Vec<Outgoing> {
    pending
        .drain(..)
        .filter_map(|request| match request {
            rumqttc::Request::Publish(p) => {
                Some(Outgoing { topic: p.topic, payload: p.payload.to_vec(), retain: p.retain })
            }
            _ => None,
        })
        .collect()
}
