//! Pulling one camera stream with retina: connect, read frames, report what
//! is happening, and reconnect with capped, jittered backoff when it breaks.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use chrono::Utc;
use futures::StreamExt;
use retina::{
    client::{
        Credentials, PlayOptions, Session, SessionGroup, SessionOptions, SetupOptions, TcpTransportOptions, Transport,
        UdpTransportOptions,
    },
    codec::{CodecItem, ParametersRef},
};
use tokio_util::sync::CancellationToken;
use vms_base::{RedactedUrl, backoff::Backoff};
use vms_bus::{
    Subjects,
    hot::{HotState, OfflineReason, StreamState, StreamStatus},
};
use vms_catalog::credentials::CredentialKey;
use vms_plane::StreamAssignment;

use crate::{
    fanout::{Frame, Hub},
    stats::Stats,
    video::VideoParams,
};

/// Damaged packets tolerated in [`DAMAGE_WINDOW`] before the session is restarted.
const DAMAGE_LIMIT: usize = 25;
const DAMAGE_WINDOW: Duration = Duration::from_secs(10);

/// Answers whether a retina error concerns one RTP packet (a damaged or
/// unexpected packet, after which the stream goes on) rather than the session.
fn is_packet_error(e: &retina::Error) -> bool {
    let text = e.to_string();
    text.contains("\nseq: ") && text.contains("\npkt: ")
}

/// No frame for this long means the camera stalled.
const STALL_AFTER: Duration = Duration::from_secs(10);
/// How often an online stream's state is refreshed.
const REPORT_EVERY: Duration = Duration::from_secs(2);
/// States expire unless refreshed, so a dead plane's streams stop looking alive.
const STATE_TTL: Duration = Duration::from_secs(15);

/// Why a session ended, as shown in the stream's state.
#[derive(Debug)]
pub(crate) struct Failure {
    reason: OfflineReason,
    detail: String,
}

impl Failure {
    fn new(reason: OfflineReason, detail: impl ToString) -> Self {
        Self { reason, detail: detail.to_string() }
    }

    /// Classifies a retina error (beyond the status code, its text is the only
    /// handle it offers) into a short reason. Its text is logged, never shown:
    /// it can quote what the device sent, byte for byte.
    fn from_retina(e: retina::Error) -> Self {
        let text = e.to_string();
        tracing::debug!(error = %text, "rtsp session failed");
        match e.status_code() {
            Some(code @ (401 | 403)) => {
                Self::new(OfflineReason::AuthFailed, format!("the camera refused the credentials (RTSP {code})"))
            }
            Some(code) => Self::new(OfflineReason::Error, format!("the camera answered RTSP status {code}")),
            None if text.starts_with("Unable to connect") || text.contains("Connection refused") => {
                Self::new(OfflineReason::Unreachable, "could not connect to the camera")
            }
            None if text.contains("EOF") || text.contains("reset") || text.contains("closed") => {
                Self::new(OfflineReason::Disconnected, "the camera closed the connection")
            }
            None if text.contains("Unparseable") || text.contains("parse") => {
                Self::new(OfflineReason::Error, "the camera's reply is not valid RTSP")
            }
            None => Self::new(OfflineReason::Error, "the RTSP session failed (the media plane's log has the detail)"),
        }
    }
}

/// What the media plane allows itself when talking to cameras.
#[derive(Debug, Clone)]
pub(crate) struct CameraRules {
    /// How long a camera gets to connect and to answer each request.
    pub deadline: Duration,
    /// Which addresses may be connected to.
    pub policy: Arc<vms_config::DevicePolicy>,
}

/// Refuses a camera whose host is, or resolves to, an address the
/// installation does not connect to (see [`vms_config::devices`]). retina
/// resolves the name again when it connects; a name that changes its answer
/// in between (DNS rebinding) is not caught here, which the security guide says.
async fn check_address(url: &url::Url, rules: &CameraRules) -> Result<(), Failure> {
    let Some(host) = url.host_str() else { return Err(Failure::new(OfflineReason::Error, "the URL names no host")) };
    let port = url.port().unwrap_or(if url.scheme() == "rtsps" { 322 } else { 554 });
    let refused = |r: vms_config::AddressRefusal| Failure::new(OfflineReason::RefusedAddress, r);
    rules.policy.check_host(host, port).map_err(refused)?;
    if host.trim_start_matches('[').trim_end_matches(']').parse::<std::net::IpAddr>().is_ok() {
        return Ok(());
    }
    let resolved = match tokio::time::timeout(rules.deadline, tokio::net::lookup_host((host, port))).await {
        Ok(Ok(addrs)) => addrs.collect::<Vec<_>>(),
        Ok(Err(_)) | Err(_) => {
            return Err(Failure::new(OfflineReason::Unreachable, "could not resolve the camera's host name"));
        }
    };
    for addr in resolved {
        rules.policy.check(addr).map_err(refused)?;
    }
    Ok(())
}

/// Reports state for one stream: to Redis, where the API reads it, and on
/// NATS, for whoever follows streams as they change.
pub(crate) struct Reporter {
    hot: HotState,
    nats: async_nats::Client,
    subject: String,
    stream: uuid::Uuid,
    node_id: String,
    home: tokio::runtime::Handle,
    /// The same state, and the pictures counted, for Prometheus.
    pub(crate) series: crate::metrics::StreamSeries,
}

impl Reporter {
    /// `home` is the plane's main runtime: the Redis and NATS connections
    /// live there, not on the ingest tick (see [`crate::ticked`]), whose
    /// wake-ups are rationed and whose tasks end with it.
    pub(crate) fn new(
        hot: HotState,
        nats: async_nats::Client,
        subjects: &Subjects,
        stream: uuid::Uuid,
        node_id: String,
        home: tokio::runtime::Handle,
        series: crate::metrics::StreamSeries,
    ) -> Self {
        Self { hot, nats, subject: subjects.stream_state(stream), stream, node_id, home, series }
    }

    async fn publish(&self, mut state: StreamState) {
        state.node_id = self.node_id.clone();
        state.updated_at = Utc::now();
        self.series.state(&state);
        let encoded = state.encode();
        let (hot, nats, subject, stream) = (self.hot.clone(), self.nats.clone(), self.subject.clone(), self.stream);
        // Awaited, so a stream's states are stored in the order they happened.
        let _ = self
            .home
            .spawn(async move {
                if let Err(e) = hot.set_stream_state(stream, &encoded, STATE_TTL).await {
                    tracing::debug!(error = %format!("{e:#}"), "failed to store stream state");
                }
                if let Err(e) = nats.publish(subject, encoded.bytes()).await {
                    tracing::debug!(error = %e, "failed to publish stream state");
                }
            })
            .await;
    }

    async fn status(&self, status: StreamStatus, failure: Option<&Failure>) {
        self.publish(StreamState {
            status,
            reason: failure.map(|f| f.reason),
            detail: failure.map(|f| f.detail.clone()),
            ..Default::default()
        })
        .await;
    }
}

/// Presentation times in 90 kHz ticks that only move forward, across
/// reconnects and camera clock jumps, while keeping the small backward steps
/// of B-frames (whose presentation order differs from their decoding order).
pub(crate) struct Timeline {
    /// Output time of the current session's time zero.
    base: i64,
    /// Latest time handed out.
    latest: Option<i64>,
}

/// Nominal gap left between sessions, and after a clock jump (one frame at 25 fps).
const SESSION_GAP: i64 = 3600;
/// Backward steps up to this (1 s) are B-frame reordering, not a clock going back.
const REORDER_LIMIT: i64 = 90_000;

impl Timeline {
    pub(crate) fn new() -> Self {
        Self { base: 0, latest: None }
    }

    /// Starts a new session: its time zero follows what was handed out so far.
    fn new_session(&mut self) {
        if let Some(latest) = self.latest {
            self.base = latest + SESSION_GAP;
        }
    }

    /// Maps a time from the session's start (90 kHz) to output time.
    fn map(&mut self, elapsed: i64) -> i64 {
        let mut pts = self.base + elapsed;
        if let Some(latest) = self.latest
            && pts + REORDER_LIMIT < latest
        {
            // The camera's clock went back: carry on just after the latest picture.
            self.base += latest + SESSION_GAP - pts;
            pts = latest + SESSION_GAP;
        }
        self.latest = Some(self.latest.map_or(pts, |l| l.max(pts)));
        pts
    }
}

/// Pulls `assignment` until `cancel`, reconnecting after every failure, and
/// hands every frame to `hub`, within `rules`.
pub(crate) async fn run(
    assignment: StreamAssignment,
    key: Arc<CredentialKey>,
    reporter: Reporter,
    hub: Arc<Hub>,
    rules: Arc<CameraRules>,
    cancel: CancellationToken,
) {
    let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(30));
    let group = Arc::new(SessionGroup::default());
    let mut timeline = Timeline::new();
    let mut first = true;
    loop {
        if !std::mem::take(&mut first) {
            reporter.series.reconnect();
        }
        reporter.status(StreamStatus::Connecting, None).await;
        let started = Instant::now();
        timeline.new_session();
        let outcome = tokio::select! {
            _ = cancel.cancelled() => return,
            outcome = session(&assignment, &key, &reporter, &hub, &mut timeline, group.clone(), &rules) => outcome,
        };
        // What follows a break must start at a keyframe of its own.
        hub.reset();
        // A session that ran a while earns a fresh backoff schedule.
        if started.elapsed() > Duration::from_secs(60) {
            backoff.reset();
        }
        if backoff.attempts() < 3 {
            tracing::warn!(reason = %outcome.reason, detail = %outcome.detail, "stream offline; retrying");
        } else {
            tracing::debug!(reason = %outcome.reason, detail = %outcome.detail, "stream still offline");
        }
        reporter.status(StreamStatus::Offline, Some(&outcome)).await;
        let delay = backoff.next_delay();
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(delay) => {}
        }
    }
}

/// Waits at most `deadline` for the camera's reply to `request`. A camera
/// that accepts the connection and then says nothing would otherwise hold
/// the stream "connecting" for ever.
async fn reply<T>(
    deadline: Duration,
    request: &str,
    answer: impl std::future::Future<Output = Result<T, retina::Error>>,
) -> Result<T, Failure> {
    match tokio::time::timeout(deadline, answer).await {
        Ok(Ok(answer)) => Ok(answer),
        Ok(Err(e)) => Err(Failure::from_retina(e)),
        Err(_) => Err(Failure::new(
            OfflineReason::TimedOut,
            format!("timed out waiting for the camera's {request} reply ({} s)", deadline.as_secs_f32()),
        )),
    }
}

/// One session, from DESCRIBE until it breaks; returns why it ended.
async fn session(
    a: &StreamAssignment,
    key: &CredentialKey,
    reporter: &Reporter,
    hub: &Hub,
    timeline: &mut Timeline,
    group: Arc<SessionGroup>,
    rules: &CameraRules,
) -> Failure {
    let deadline = rules.deadline;
    let url = match url::Url::parse(&a.source_url) {
        Ok(u) => u,
        Err(e) => {
            return Failure::new(OfflineReason::Error, format!("invalid URL {}: {e}", RedactedUrl(&a.source_url)));
        }
    };
    if let Err(refused) = check_address(&url, rules).await {
        return refused;
    }
    let creds = match a.sealed_credentials() {
        Some(sealed) => match key.open(&sealed, a.stream_id.as_bytes()) {
            Ok(c) => Some(Credentials { username: c.username, password: c.password }),
            Err(e) => return Failure::new(OfflineReason::Error, e),
        },
        None => None,
    };
    let options = SessionOptions::default().creds(creds).session_group(group).user_agent("techno-support-vms".into());
    let mut described = match reply(deadline, "DESCRIBE", Session::describe(url, options)).await {
        Ok(s) => s,
        Err(f) => return f,
    };
    let Some(index) = described.streams().iter().position(|s| s.media() == "video") else {
        return Failure::new(OfflineReason::NoVideo, "the camera offers no video stream");
    };
    let codec = described.streams()[index].encoding_name().to_ascii_lowercase();
    if codec != "h264" && codec != "h265" {
        return Failure::new(OfflineReason::UnsupportedCodec, format!("{codec} is not H.264 or H.265"));
    }
    let transport = if a.transport == vms_base::Transport::Udp {
        Transport::Udp(UdpTransportOptions::default())
    } else {
        Transport::Tcp(TcpTransportOptions::default())
    };
    if let Err(f) = reply(deadline, "SETUP", described.setup(index, SetupOptions::default().transport(transport))).await
    {
        return f;
    }
    let playing = match reply(deadline, "PLAY", described.play(PlayOptions::default())).await {
        Ok(p) => p,
        Err(f) => return f,
    };
    let mut frames = match playing.demuxed() {
        Ok(d) => d,
        Err(e) => return Failure::from_retina(e),
    };
    let mut stats = Stats::new(codec);
    let mut params: Option<Arc<VideoParams>> = None;
    let mut last_report = Instant::now() - REPORT_EVERY;
    let mut damage: std::collections::VecDeque<Instant> = std::collections::VecDeque::new();
    loop {
        let next = match tokio::time::timeout(STALL_AFTER, frames.next()).await {
            Err(_) => return Failure::new(OfflineReason::Stalled, format!("no video for {} s", STALL_AFTER.as_secs())),
            Ok(None) => return Failure::new(OfflineReason::Disconnected, "the camera ended the session"),
            // A damaged packet costs the picture it belongs to, not the session,
            // unless the damage goes on.
            Ok(Some(Err(e))) if is_packet_error(&e) => {
                let now = Instant::now();
                damage.push_back(now);
                while damage.front().is_some_and(|t| now.duration_since(*t) > DAMAGE_WINDOW) {
                    damage.pop_front();
                }
                if damage.len() > DAMAGE_LIMIT {
                    return Failure::new(
                        OfflineReason::Corrupt,
                        format!("{} damaged packets in {} s; last: {e}", damage.len(), DAMAGE_WINDOW.as_secs()),
                    );
                }
                if damage.len() == 1 {
                    tracing::warn!(error = %e, "damaged packet skipped");
                } else {
                    tracing::debug!(error = %e, "damaged packet skipped");
                }
                continue;
            }
            Ok(Some(Err(e))) => return Failure::from_retina(e),
            Ok(Some(Ok(item))) => item,
        };
        if let CodecItem::VideoFrame(frame) = next {
            let keyframe = frame.is_random_access_point();
            // Real changes (a new resolution) come with a keyframe; "parameters"
            // in the middle of a GOP are a damaged packet that happened to parse.
            if frame.has_new_parameters() && !keyframe && params.is_some() {
                tracing::debug!("ignoring parameter sets outside a keyframe");
            } else if (frame.has_new_parameters() || params.is_none())
                && let Some(ParametersRef::Video(v)) = frames.streams()[index].parameters()
                && let Some(new) = VideoParams::from_retina(v)
            {
                if let Some(old) = &params
                    && (old.width, old.height) != (new.width, new.height)
                {
                    tracing::info!(from = ?(old.width, old.height), to = ?(new.width, new.height), "resolution changed");
                }
                stats.dimensions = Some((new.width, new.height));
                stats.codec_string = Some(new.codec_string.clone());
                params = Some(Arc::new(new));
            }
            // Until the camera has said how its pictures are coded, nobody could decode them.
            let Some(params) = params.clone() else { continue };
            stats.frame(frame.data().len(), keyframe);
            reporter.series.frame(frame.data().len());
            let ts = frame.timestamp();
            let elapsed = ts.elapsed() * 90_000 / i64::from(ts.clock_rate().get());
            // The frame's buffer moves into the hub: no copy of the picture.
            let data = bytes::Bytes::from(frame.into_data());
            hub.publish(Frame {
                data,
                pts: timeline.map(elapsed),
                keyframe,
                params,
                arrived_at: Utc::now(),
                annex_b: Default::default(),
            });
            if last_report.elapsed() >= REPORT_EVERY {
                reporter.publish(stats.state()).await;
                last_report = Instant::now();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeline_moves_forward_across_sessions_and_clock_jumps() {
        let mut t = Timeline::new();
        t.new_session();
        assert_eq!((t.map(0), t.map(3600), t.map(7200)), (0, 3600, 7200));
        t.new_session();
        assert_eq!(t.map(0), 7200 + SESSION_GAP, "a reconnect continues after the last picture");
        assert_eq!(t.map(3600), 7200 + SESSION_GAP + 3600);
        // The camera's clock jumps back: output still moves forward.
        let before = t.map(900_000);
        let after = t.map(100);
        assert_eq!(after, before + SESSION_GAP);
        assert_eq!(t.map(3700), after + 3600);
    }

    #[test]
    fn timeline_keeps_b_frame_order() {
        let mut t = Timeline::new();
        t.new_session();
        // Decoding order I P B B: presentation times 0, 3, 1, 2 (frames of 3600 ticks).
        let out: Vec<i64> = [0, 10_800, 3600, 7200, 21_600, 14_400, 18_000].iter().map(|e| t.map(*e)).collect();
        assert_eq!(out, vec![0, 10_800, 3600, 7200, 21_600, 14_400, 18_000]);
    }
}
