//! The frame link's server (docs/design/0005-frame-link.md): hands each
//! subscriber the pictures of one stream straight from its fan-out hub.
//!
//! A connection must pass the handshake and name its stream within the
//! listener's header timeout. The subscriber then gets the stream's
//! description, and one message per picture, written in batches: whatever
//! the hub queued while the last batch was being written goes out in the
//! next vectored write. A subscriber that asked to batch (`batch_ms`, the
//! recorder does) has its pictures held until the next tick of a grid of
//! that period shared by every subscription of this plane, so its streams'
//! pictures reach it together and wake it once per tick rather than once per
//! picture per stream. A subscriber that falls behind loses its backlog,
//! resumes at the next keyframe (the hub's rule for every consumer) and is
//! told how many pictures it lost. A quiet stream gets a ping every
//! [`PING_EVERY`]; a stream that is not (or no longer) served here gets an
//! end message and the connection closes.

use std::{
    sync::{Arc, OnceLock},
    time::Duration,
};

use bytes::Bytes;
use tokio::{
    net::{TcpListener, TcpStream},
    time::Instant,
};
use tokio_util::sync::CancellationToken;
use vms_base::conn_limit::ConnGate;
use vms_link::{Description, EndReason, FrameReader, Message, Picture, Subscribe};

use crate::{fanout::Frame, streams::Streams, video::VideoParams};

/// How often a quiet stream is pinged.
pub(crate) const PING_EVERY: Duration = Duration::from_secs(5);
/// Pictures a subscriber may have queued before it counts as behind (about
/// 10 s of 25 fps): a recorder writing to a slow disk catches up rather than
/// losing pictures.
const QUEUE: usize = 256;
/// Most pictures written in one batch.
const BATCH: usize = 64;
/// How long a peer has to prove the secret and name its stream (the
/// listener's header timeout, if shorter).
const HANDSHAKE_WITHIN: Duration = Duration::from_secs(2);
/// Largest subscription request read.
const MAX_SUBSCRIBE: usize = 1024;
/// How long one batch may take to reach a subscriber.
const WRITE_WITHIN: Duration = Duration::from_secs(10);
/// How long the last words to a subscriber may take.
const END_WITHIN: Duration = Duration::from_secs(1);
/// Largest picture sent (the link's payload limit, less the picture's header).
const MAX_PICTURE: usize = vms_link::wire::MAX_PAYLOAD - 64;

/// Serves the link on `listener` until `shutdown`, admitting connections through `gate`.
pub(crate) async fn serve(
    listener: TcpListener,
    streams: Streams,
    key: Arc<[u8]>,
    gate: ConnGate,
    shutdown: CancellationToken,
) {
    let deadline = gate.limits().header_timeout;
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            accepted = listener.accept() => match accepted {
                Ok((socket, peer)) => {
                    let Ok(permit) = gate.admit(peer.ip(), "link") else { continue };
                    let _ = socket.set_nodelay(true);
                    let (streams, key, shutdown) = (streams.clone(), key.clone(), shutdown.clone());
                    tokio::spawn(async move {
                        if let Err(e) = subscriber(socket, &streams, &key, deadline, shutdown).await {
                            tracing::debug!(%peer, error = %e, "frame link connection ended");
                        }
                        drop(permit);
                    });
                }
                Err(e) => {
                    tracing::warn!(error = %e, "frame link accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
        }
    }
}

/// Serves one connection: handshake, subscription, pictures.
async fn subscriber(
    mut socket: TcpStream,
    streams: &Streams,
    key: &[u8],
    deadline: Duration,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    // Nothing is buffered for a peer that has not proven the secret, and it
    // gets a short while to do so and to name its stream.
    let deadline = deadline.min(HANDSHAKE_WITHIN);
    let request = tokio::time::timeout(deadline, async {
        vms_link::handshake::server(&mut socket, key).await?;
        let mut reader = FrameReader::with_limit(&mut socket, MAX_SUBSCRIBE);
        let (kind, payload) = reader.next().await?;
        anyhow::Ok(Subscribe::decode(kind, payload))
    })
    .await
    .map_err(|_| anyhow::anyhow!("no subscription within {deadline:?}"))??;
    let mut sender = Sender { socket, out: Vec::new(), shutdown };
    let subscribe = match request {
        Ok(s) => s,
        Err(e) => return sender.end(EndReason::BadRequest, e.to_string()).await,
    };
    let role = match subscribe.role.parse::<vms_base::StreamRole>() {
        Ok(role) => role,
        Err(e) => return sender.end(EndReason::BadRequest, e.to_string()).await,
    };
    let Some(published) = streams.get(subscribe.camera, role) else {
        let message = format!("stream {}/{} is not served here", subscribe.camera, subscribe.role);
        return sender.end(EndReason::NotFound, message).await;
    };
    tracing::debug!(camera_id = %subscribe.camera, stream = %subscribe.role, "frame link subscriber");
    let batch = Duration::from_millis(u64::from(subscribe.batch_ms.min(vms_link::MAX_BATCH_MS)));
    let mut consumer = published.hub.subscribe(QUEUE);
    let mut described: Option<Arc<VideoParams>> = None;
    // Pictures too large to send, counted with the next one sent as lost.
    let mut dropped = 0u64;
    // Whether the last batch was cut at its size limit.
    let mut full = false;
    // When the subscriber last got anything (for a batching one's pings).
    let mut last_sent = Instant::now();
    loop {
        let first = if batch.is_zero() || full {
            tokio::select! {
                _ = sender.shutdown.cancelled() => {
                    return sender.end(EndReason::ShuttingDown, "the media plane is stopping".into()).await;
                }
                _ = tokio::time::sleep(PING_EVERY) => None,
                frame = consumer.next() => match frame {
                    Some(frame) => Some(frame),
                    None => return sender.end(EndReason::Closed, "the stream stopped".into()).await,
                },
            }
        } else {
            // A batching subscriber's pictures wait for the next tick. Its task
            // sleeps until then rather than waiting on the hub, so a picture
            // published meanwhile wakes nothing.
            tokio::select! {
                _ = sender.shutdown.cancelled() => {
                    return sender.end(EndReason::ShuttingDown, "the media plane is stopping".into()).await;
                }
                _ = tokio::time::sleep_until(next_tick(batch)) => {}
            }
            // Closed is read before draining, so pictures published before
            // the close still go out before the end.
            let closed = consumer.is_closed();
            match consumer.try_next() {
                Some(frame) => Some(frame),
                None if closed => return sender.end(EndReason::Closed, "the stream stopped".into()).await,
                None if last_sent.elapsed() >= PING_EVERY => None,
                None => continue,
            }
        };
        let Some(first) = first else {
            Message::Ping.encode(&mut sender.out);
            sender.flush().await?;
            last_sent = Instant::now();
            continue;
        };
        let mut frame = Some(first);
        let mut batched = 0;
        while let Some(f) = frame.take() {
            if f.data.len() > MAX_PICTURE {
                tracing::warn!(bytes = f.data.len(), "a picture too large for the frame link was dropped");
                dropped += 1;
            } else {
                if described.as_ref().is_none_or(|d| !Arc::ptr_eq(d, &f.params) && **d != *f.params) {
                    Message::Description(describe(&f.params)).encode(&mut sender.out);
                    described = Some(f.params.clone());
                }
                picture(&f, consumer.take_lost() + std::mem::take(&mut dropped)).encode(&mut sender.out);
            }
            batched += 1;
            if batched < BATCH {
                frame = consumer.try_next();
            }
        }
        full = batched == BATCH;
        sender.flush().await?;
        last_sent = Instant::now();
    }
}

/// The next instant on a grid of `period` shared by every subscription of
/// this process (anchored at the first call), so that batches for all of a
/// subscriber's streams leave together.
fn next_tick(period: Duration) -> Instant {
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    let origin = *ORIGIN.get_or_init(Instant::now);
    let since = Instant::now().saturating_duration_since(origin).as_nanos();
    let period_ns = period.as_nanos().max(1);
    let next = (since / period_ns + 1) * period_ns;
    origin + Duration::from_nanos(u64::try_from(next).unwrap_or(u64::MAX))
}

/// The writing half of a subscription: every write is bounded in time and
/// cut short by shutdown, so a subscriber that stops reading costs its
/// connection, not the plane's ability to stop.
struct Sender {
    socket: TcpStream,
    out: Vec<Bytes>,
    shutdown: CancellationToken,
}

impl Sender {
    /// Writes what is queued.
    async fn flush(&mut self) -> anyhow::Result<()> {
        tokio::select! {
            written = tokio::time::timeout(WRITE_WITHIN, vms_link::write_chunks(&mut self.socket, &mut self.out)) => {
                written.map_err(|_| anyhow::anyhow!("the subscriber read nothing for {WRITE_WITHIN:?}"))??;
                Ok(())
            }
            _ = self.shutdown.cancelled() => anyhow::bail!("the media plane is stopping"),
        }
    }

    /// Says why the subscription ends (if the subscriber still listens) and ends it.
    async fn end(mut self, reason: EndReason, message: String) -> anyhow::Result<()> {
        Message::End { reason, message }.encode(&mut self.out);
        let _ = tokio::time::timeout(END_WITHIN, vms_link::write_chunks(&mut self.socket, &mut self.out)).await;
        Ok(())
    }
}

fn describe(params: &VideoParams) -> Description {
    Description {
        codec: params.codec,
        width: params.width,
        height: params.height,
        timescale: 90_000,
        codec_string: params.codec_string.clone(),
        parameter_sets: params.parameter_sets.clone(),
        sample_entry: params.sample_entry.clone(),
    }
}

fn picture(frame: &Frame, lost: u64) -> Message {
    Message::Picture(Picture {
        pts: frame.pts,
        arrived_at_us: frame.arrived_at.timestamp_micros(),
        keyframe: frame.keyframe,
        lost: u32::try_from(lost).unwrap_or(u32::MAX),
        data: Bytes::clone(&frame.data),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn ticks_fall_on_one_grid_for_every_subscription() {
        let period = Duration::from_millis(250);
        let first = next_tick(period);
        assert!(first > Instant::now() && first - Instant::now() <= period);
        tokio::time::advance(Duration::from_millis(100)).await;
        assert_eq!(next_tick(period), first, "a later caller waits for the same tick");
        tokio::time::sleep_until(first).await;
        assert_eq!(next_tick(period), first + period, "at a tick, the next one is a period on");
        assert_eq!(next_tick(Duration::from_millis(50)) - first, Duration::from_millis(50));
    }
}
