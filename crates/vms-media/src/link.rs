//! The frame link's server (docs/design/0005-frame-link.md): hands each
//! subscriber the pictures of one stream straight from its fan-out hub.
//!
//! A connection must pass the handshake and name its stream within the
//! listener's header timeout. The subscriber then gets the stream's
//! description, and one message per picture, written in batches: whatever
//! the hub queued while the last batch was being written goes out in the
//! next vectored write. A subscriber that falls behind loses its backlog,
//! resumes at the next keyframe (the hub's rule for every consumer) and is
//! told how many pictures it lost. A quiet stream gets a ping every
//! [`PING_EVERY`]; a stream that is not (or no longer) served here gets an
//! end message and the connection closes.

use std::{sync::Arc, time::Duration};

use bytes::Bytes;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;
use vms_base::conn_limit::ConnGate;
use vms_link::{Codec, Description, EndReason, FrameReader, Message, Picture, Subscribe};

use crate::{fanout::Frame, streams::Streams, video::VideoParams};

/// How often a quiet stream is pinged.
pub(crate) const PING_EVERY: Duration = Duration::from_secs(5);
/// Pictures a subscriber may have queued before it counts as behind (about
/// 10 s of 25 fps): a recorder writing to a slow disk catches up rather than
/// losing pictures.
const QUEUE: usize = 256;
/// Most pictures written in one batch.
const BATCH: usize = 64;

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
    socket: TcpStream,
    streams: &Streams,
    key: &[u8],
    deadline: Duration,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let mut reader = FrameReader::new(socket);
    let request = tokio::time::timeout(deadline, async {
        vms_link::handshake::server(reader.get_mut(), key).await?;
        let (kind, payload) = reader.next().await?;
        anyhow::Ok(Subscribe::decode(kind, payload))
    })
    .await
    .map_err(|_| anyhow::anyhow!("no subscription within {deadline:?}"))??;
    let mut socket = reader.get_mut();
    let mut out = Vec::new();
    let subscribe = match request {
        Ok(s) => s,
        Err(e) => {
            Message::End { reason: EndReason::BadRequest, message: e.to_string() }.encode(&mut out);
            return Ok(vms_link::write_chunks(&mut socket, &mut out).await?);
        }
    };
    let role = match subscribe.role.parse::<vms_base::StreamRole>() {
        Ok(role) => role,
        Err(e) => {
            Message::End { reason: EndReason::BadRequest, message: e.to_string() }.encode(&mut out);
            return Ok(vms_link::write_chunks(&mut socket, &mut out).await?);
        }
    };
    let Some(published) = streams.get(subscribe.camera, role) else {
        let message = format!("stream {}/{} is not served here", subscribe.camera, subscribe.role);
        Message::End { reason: EndReason::NotFound, message }.encode(&mut out);
        return Ok(vms_link::write_chunks(&mut socket, &mut out).await?);
    };
    tracing::debug!(camera_id = %subscribe.camera, stream = %subscribe.role, "frame link subscriber");
    let mut consumer = published.hub.subscribe(QUEUE);
    let mut described: Option<Arc<VideoParams>> = None;
    loop {
        let first = tokio::select! {
            _ = shutdown.cancelled() => {
                Message::End { reason: EndReason::ShuttingDown, message: "the media plane is stopping".into() }
                    .encode(&mut out);
                return Ok(vms_link::write_chunks(&mut socket, &mut out).await?);
            }
            _ = tokio::time::sleep(PING_EVERY) => None,
            frame = consumer.next() => match frame {
                Some(frame) => Some(frame),
                None => {
                    Message::End { reason: EndReason::Closed, message: "the stream stopped".into() }.encode(&mut out);
                    return Ok(vms_link::write_chunks(&mut socket, &mut out).await?);
                }
            },
        };
        let Some(first) = first else {
            Message::Ping.encode(&mut out);
            vms_link::write_chunks(&mut socket, &mut out).await?;
            continue;
        };
        let mut frame = Some(first);
        let mut batched = 0;
        while let Some(f) = frame.take() {
            if described.as_ref().is_none_or(|d| !Arc::ptr_eq(d, &f.params) && **d != *f.params) {
                if let Some(description) = describe(&f.params) {
                    Message::Description(description).encode(&mut out);
                }
                described = Some(f.params.clone());
            }
            picture(&f, consumer.take_lost()).encode(&mut out);
            batched += 1;
            if batched < BATCH {
                frame = consumer.try_next();
            }
        }
        vms_link::write_chunks(&mut socket, &mut out).await?;
    }
}

fn describe(params: &VideoParams) -> Option<Description> {
    let codec = match params.codec {
        vms_codec::Codec::H264 => Codec::H264,
        vms_codec::Codec::H265 => Codec::H265,
    };
    Some(Description {
        codec,
        width: u16::try_from(params.width).ok()?,
        height: u16::try_from(params.height).ok()?,
        timescale: 90_000,
        codec_string: params.codec_string.clone(),
        parameter_sets: params.parameter_sets.clone(),
        sample_entry: params.sample_entry.clone(),
    })
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
