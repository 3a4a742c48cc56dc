//! Sending one session's RTP: pictures paced by their decoding time, RTP
//! timestamps continuing across loops of the clip, RTCP sender reports every
//! few seconds, and the camera's faults.

use std::{sync::Arc, time::Duration};

use rand::RngCore;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use vms_codec::rtp;
use vms_rtsp::server::{Ended, PAYLOAD_TYPE, RtpSender, Sink, Start};

use crate::{
    camera::Options,
    clip::Clip,
    sent::{self, CameraLog},
};

/// Streams `clip` (switching to `alternate` if the camera says so) until
/// cancelled; [`Ended::Dropped`] when the `drop_after` fault fires. Notes
/// each picture's sending in `sent`.
pub(crate) async fn run(
    clip: Arc<Clip>,
    alternate: Option<Arc<Clip>>,
    options: Options,
    sink: Sink,
    start: Start,
    sent: CameraLog,
    cancel: CancellationToken,
) -> Ended {
    let mut clip = clip;
    let mut sender = RtpSender::new(clip.spec.codec, sink, start);
    let began = Instant::now();
    let mut offset: i64 = 0;
    loop {
        for (i, au) in clip.units.iter().enumerate() {
            let due = began + Duration::from_micros(((offset + au.dts).max(0) as u64) * 1_000_000 / 90_000);
            tokio::select! {
                _ = cancel.cancelled() => return Ended::Stopped,
                _ = tokio::time::sleep_until(due) => {}
            }
            let playing = began.elapsed();
            if options.drop_after.is_some_and(|d| playing >= d) {
                return Ended::Dropped;
            }
            if options.stall_after.is_some_and(|d| playing >= d) {
                cancel.cancelled().await;
                return Ended::Stopped;
            }
            let timestamp = start.timestamp.wrapping_add((offset + au.pts) as u32);
            let nals: Vec<&[u8]> = au.nals.iter().map(|n| &n[..]).collect();
            // Junk arrives in sequence, like a damaged packet from a real camera would.
            let junk_header = (i % 25 == 12 && (options.garbage || options.truncate)).then(|| {
                let packetizer = sender.packetizer();
                let sequence = packetizer.next_sequence();
                packetizer.skip(1);
                rtp::RtpHeader { marker: false, payload_type: PAYLOAD_TYPE, sequence, timestamp, ssrc: start.ssrc }
            });
            let mut batch = sender.packetizer().packetize(&nals, timestamp);
            if let Some(header) = junk_header {
                let mut junk = Vec::new();
                if options.garbage {
                    let mut noise = vec![0u8; 300];
                    rand::thread_rng().fill_bytes(&mut noise);
                    rtp::write(&header, &noise, &mut junk);
                } else {
                    rtp::write(&header, &[0x7c], &mut junk);
                    junk.truncate(7);
                }
                batch.insert(0, junk);
            }
            if !sender.send(&batch).await {
                return Ended::Stopped;
            }
            sent::record(&sent, i);
            if !sender.report_if_due(timestamp).await {
                return Ended::Stopped;
            }
        }
        offset += clip.duration;
        if let (Some(after), Some(other)) = (options.switch_after, &alternate)
            && began.elapsed() >= after
            && !Arc::ptr_eq(&clip, other)
        {
            tracing::info!(from = clip.spec.name, to = other.spec.name, "switching resolution");
            clip = other.clone();
        }
    }
}
