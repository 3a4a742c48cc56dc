//! The restream: every pulled stream served again over RTSP at
//! `rtsp://HOST:8554/<camera id>/<main|sub>`, for the recorder, the analytics
//! plane and any standard client, however many read it (the camera still sees
//! one connection).
//!
//! A reader starts at the latest keyframe from the GOP cache, so its first
//! picture decodes at once. Pictures pass through untouched: their NAL units
//! (parameter sets ahead of every keyframe included) are packetized as they
//! came, with RTP time taken from the monotonic presentation time. A reader
//! that falls behind skips to the next keyframe; when the stream is
//! unassigned or changes codec, readers are dropped and reconnect. A reader
//! whose user is revoked is disconnected ([`crate::viewers`]).

use std::{
    future::Future,
    sync::{Arc, Mutex},
};

use tokio_util::sync::CancellationToken;
use uuid::Uuid;
use vms_base::StreamRole;
use vms_codec::nal;
use vms_rtsp::{
    message::Request,
    server::{Connection, Description, Ended, Refusal, RtpSender, Sink, Source, Start},
};

use crate::{
    access::{Access, Target},
    streams::{Published, Streams},
};

/// Frames a reader may fall behind by before it skips to the next keyframe
/// (about 10 s at 25 fps).
const QUEUE_FRAMES: usize = 256;

/// The restream's [`Source`]: the plane's pulled streams.
pub(crate) struct Restream {
    pub(crate) streams: Streams,
    pub(crate) access: std::sync::Arc<Access>,
}

/// A stream as one RTSP session resolved it.
#[derive(Clone)]
pub(crate) struct Media {
    stream: Published,
    /// The stream ticket from the URI's `?ticket=`, kept for the session's
    /// later requests (whose URIs, built from Content-Base, carry no query).
    ticket: Option<String>,
    /// The user this session's SETUP admitted, whose revocation ends its PLAY.
    viewer: Arc<Mutex<Option<crate::access::Admission>>>,
}

impl Source for Restream {
    type Media = Media;

    /// Resolves `/<camera id>/<main|sub>[/trackID=0][?ticket=...]`.
    fn resolve(&self, uri: &url::Url, current: Option<&Media>) -> Result<Media, u16> {
        let mut segments = uri.path_segments().ok_or(404u16)?;
        let camera_id: Uuid = segments.next().and_then(|s| s.parse().ok()).ok_or(404u16)?;
        let role: StreamRole = segments.next().and_then(|r| r.parse().ok()).ok_or(404u16)?;
        if !matches!(segments.next(), None | Some("") | Some("trackID=0")) {
            return Err(404);
        }
        let stream = self.streams.get(camera_id, role).ok_or(404u16)?;
        let ticket = match uri.query_pairs().find(|(k, _)| k == "ticket") {
            Some((_, t)) => Some(t.into_owned()),
            None => current
                .filter(|c| c.stream.camera_id == camera_id && c.stream.role == role)
                .and_then(|c| c.ticket.clone()),
        };
        Ok(Media { stream, ticket, viewer: Arc::default() })
    }

    fn authorize(
        &self,
        request: &Request,
        media: &Media,
        connection: Connection<'_>,
    ) -> impl Future<Output = Result<(), Refusal>> + Send {
        let target = Target {
            camera_id: media.stream.camera_id,
            tenant_id: media.stream.tenant_id,
            role: media.stream.role,
            ticket: media.ticket.as_deref(),
        };
        let checked = self.access.check(request, target, connection);
        async move {
            let admission = checked.await?;
            *media.viewer.lock().expect("viewer lock should not be poisoned") = Some(admission);
            Ok(())
        }
    }

    fn describe(&self, media: &Media) -> Result<Description, u16> {
        // A stream with no picture yet (the camera is connecting or offline)
        // has nothing to describe: clients retry.
        let params = media.stream.hub.params().ok_or(503u16)?;
        Ok(Description {
            title: format!("{}/{}", media.stream.camera_id, media.stream.role),
            codec: params.codec,
            parameter_sets: params.parameter_sets.iter().map(|p| Arc::from(&p[..])).collect(),
            first_rtp_offset: 0,
        })
    }

    fn play(
        &self,
        media: &Media,
        sink: Sink,
        start: Start,
        cancel: CancellationToken,
    ) -> impl Future<Output = Ended> + Send + 'static {
        let hub = media.stream.hub.clone();
        // The codec the session was described with, near enough: a change
        // between DESCRIBE and now shows as a mismatch below.
        let described = hub.params().map(|p| p.codec);
        let mut consumer = hub.subscribe(QUEUE_FRAMES);
        let revoked = CancellationToken::new();
        let viewer = *media.viewer.lock().expect("viewer lock should not be poisoned");
        let watched = crate::viewers::Watched {
            camera: media.stream.camera_id,
            role: media.stream.role,
            transport: crate::viewers::Transport::Rtsp,
        };
        let viewing = viewer.map(|a| self.access.viewers().watch(a.user, a.confirmed_at, revoked.clone(), watched));
        async move {
            let _viewing = viewing;
            let Some(codec) = described else { return Ended::Dropped };
            let mut sender = RtpSender::new(codec, sink, start);
            let mut first_pts = None;
            loop {
                let frame = tokio::select! {
                    _ = cancel.cancelled() => return Ended::Stopped,
                    // Dropped, so the connection closes and nothing more is served on it.
                    _ = revoked.cancelled() => return Ended::Dropped,
                    frame = consumer.next() => frame,
                };
                // The stream was unassigned.
                let Some(frame) = frame else { return Ended::Dropped };
                if frame.params.codec != codec {
                    // Another codec needs another SDP: the client must DESCRIBE again.
                    return Ended::Dropped;
                }
                let Some(nals) = nal::split_length_prefixed(&frame.data) else {
                    tracing::debug!(pts = frame.pts, "skipping a malformed picture");
                    continue;
                };
                let first = *first_pts.get_or_insert(frame.pts);
                // RTP time is 90 kHz and wraps: the offset from the first
                // picture, taken modulo 2^32, keeps B-frames' earlier times.
                let timestamp = start.timestamp.wrapping_add((frame.pts - first) as u32);
                if !sender.send_picture(&nals, timestamp).await {
                    return Ended::Stopped;
                }
                // Sender reports map the wall clock to a picture being shown
                // now, not to the GOP cache's backlog.
                if consumer.pending() == 0 && !sender.report_if_due(timestamp).await {
                    return Ended::Stopped;
                }
            }
        }
    }
}
