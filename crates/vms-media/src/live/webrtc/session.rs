//! One WebRTC viewer: drives its `Rtc` (ICE-lite, DTLS, SRTP) from the
//! packets routed to it, its timers and the stream's pictures, which go out
//! as H.264 RTP as they came from the camera.

use std::{collections::HashMap, net::SocketAddr, sync::Arc, time::Duration};

use str0m::{
    Event, IceConnectionState, Input, Output, Rtc,
    format::Codec as RtcCodec,
    media::{MediaKind, MediaTime, Mid, Pt},
    net::{Protocol, Receive},
    rtp::AbsCaptureTime,
};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::net::{Inbound, Net};
use crate::fanout::{Consumer, Frame, Hub};

/// Pictures a viewer may fall behind by before it skips to the next keyframe.
const BACKLOG: usize = 50;
/// A viewer that has not connected by then is given up.
const CONNECT_WITHIN: Duration = Duration::from_secs(30);

/// What a session needs besides its `Rtc`.
pub(crate) struct Viewer {
    pub(crate) rtc: Rtc,
    pub(crate) inbound: mpsc::Receiver<Inbound>,
    pub(crate) hub: Arc<Hub>,
    pub(crate) net: Arc<Net>,
    pub(crate) cancel: CancellationToken,
}

/// Runs a session until the viewer leaves, the stream ends or it is cancelled.
pub(crate) async fn run(mut v: Viewer) {
    let started = tokio::time::Instant::now();
    let mut video: Option<Mid> = None;
    let mut pt: Option<Pt> = None;
    let mut frames: Option<Consumer> = None;
    let mut tcp: HashMap<SocketAddr, mpsc::Sender<Vec<u8>>> = HashMap::new();
    let mut first_keyframe_sent = false;
    loop {
        let deadline = loop {
            match v.rtc.poll_output() {
                Ok(Output::Timeout(t)) => break t,
                Ok(Output::Transmit(t)) => match t.proto {
                    Protocol::Udp => v.net.send_udp(t.source, t.destination, &t.contents).await,
                    _ => {
                        if let Some(reply) = tcp.get(&t.destination) {
                            let _ = reply.try_send(t.contents.to_vec());
                        }
                    }
                },
                Ok(Output::Event(event)) => match event {
                    Event::MediaAdded(m) if m.kind == MediaKind::Video => video = video.or(Some(m.mid)),
                    Event::Connected => {
                        tracing::debug!("WebRTC viewer connected");
                        frames = Some(v.hub.subscribe(BACKLOG));
                    }
                    Event::IceConnectionStateChange(IceConnectionState::Disconnected) => v.rtc.disconnect(),
                    _ => {}
                },
                Err(e) => {
                    tracing::debug!(error = %e, "WebRTC session failed");
                    return;
                }
            }
        };
        if !v.rtc.is_alive() || (frames.is_none() && started.elapsed() > CONNECT_WITHIN) {
            return;
        }
        let deadline = tokio::time::Instant::from_std(deadline);
        tokio::select! {
            _ = v.cancel.cancelled() => return,
            inbound = v.inbound.recv() => {
                let Some(packet) = inbound else { return };
                if let Some(reply) = packet.reply {
                    tcp.insert(packet.source, reply);
                }
                let Ok(contents) = packet.data.as_slice().try_into() else { continue };
                let input = Input::Receive(
                    std::time::Instant::now(),
                    Receive { proto: packet.proto, source: packet.source, destination: packet.destination, contents },
                );
                if let Err(e) = v.rtc.handle_input(input) {
                    tracing::debug!(error = %e, "WebRTC input refused; closing");
                    return;
                }
            }
            frame = next(&mut frames) => {
                let Some(frame) = frame else { return };
                if frame.params.codec != vms_codec::Codec::H264 {
                    tracing::info!("the stream is no longer H.264; closing the WebRTC viewer");
                    return;
                }
                if v.hub.reorders() {
                    // The viewer reconnects, is refused with the reason, and moves on to MSE.
                    tracing::info!("{}; closing the WebRTC viewer", super::B_FRAMES);
                    return;
                }
                if !first_keyframe_sent && !frame.keyframe {
                    continue;
                }
                let Some(mid) = video else { continue };
                if write(&mut v.rtc, mid, &mut pt, &frame) {
                    first_keyframe_sent = true;
                }
            }
            _ = tokio::time::sleep_until(deadline) => {
                if let Err(e) = v.rtc.handle_input(Input::Timeout(std::time::Instant::now())) {
                    tracing::debug!(error = %e, "WebRTC timer failed; closing");
                    return;
                }
            }
        }
    }
}

/// The next picture, once the viewer is connected.
async fn next(frames: &mut Option<Consumer>) -> Option<Arc<Frame>> {
    match frames {
        Some(frames) => frames.next().await,
        None => std::future::pending().await,
    }
}

/// Hands a picture to the packetizer; returns whether it was taken.
fn write(rtc: &mut Rtc, mid: Mid, pt: &mut Option<Pt>, frame: &Frame) -> bool {
    let Some(writer) = rtc.writer(mid) else { return false };
    if pt.is_none() {
        *pt = choose_payload_type(writer.payload_params().map(|p| (p.pt(), p.spec())), &frame.params.codec_string);
    }
    let Some(chosen) = *pt else { return false };
    let rtp_time = MediaTime::from_90khz(frame.pts.max(0) as u64);
    // The picture's arrival at the media plane, so a viewer can tell how long it took to reach it.
    let arrived = AbsCaptureTime { capture_time: std::time::SystemTime::from(frame.arrived_at), clock_offset: None };
    match writer.abs_capture_time(arrived).write(chosen, std::time::Instant::now(), rtp_time, frame.annex_b()) {
        Ok(()) => true,
        Err(e) => {
            tracing::debug!(error = %e, "WebRTC write failed");
            false
        }
    }
}

/// Picks the browser's H.264 payload type (packetization mode 1), preferring
/// the stream's own profile; browsers decode any profile they offer.
fn choose_payload_type(
    offered: impl Iterator<Item = (Pt, str0m::format::CodecSpec)>,
    codec_string: &str,
) -> Option<Pt> {
    let profile =
        codec_string.strip_prefix("avc1.").and_then(|p| p.get(..2)).and_then(|p| u32::from_str_radix(p, 16).ok());
    let candidates: Vec<(Pt, Option<u32>)> = offered
        .filter(|(_, spec)| spec.codec == RtcCodec::H264 && spec.format.packetization_mode == Some(1))
        .map(|(pt, spec)| (pt, spec.format.profile_level_id.map(|id| id >> 16)))
        .collect();
    candidates.iter().find(|(_, p)| profile.is_some() && *p == profile).or(candidates.first()).map(|(pt, _)| *pt)
}
