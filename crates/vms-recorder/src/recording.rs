//! Recording one stream: read it from the media plane's restream, cut it
//! into GOPs and write them into segment files, starting a new file every
//! segment period, at every codec or resolution change and after every
//! reconnect. Failures reconnect with capped, jittered backoff.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::{Context, bail};
use chrono::{DateTime, TimeDelta, Utc};
use futures::StreamExt;
use retina::{
    client::{PlayOptions, Session, SessionOptions, SetupOptions, TcpTransportOptions, Transport},
    codec::{CodecItem, FrameFormat, ParametersRef},
};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;
use vms_base::backoff::Backoff;
use vms_config::StorageRoot;
use vms_plane::StreamAssignment;
use vms_ticket::{Purpose, TicketSigner};

use crate::{
    gop::{GopBuilder, Picture, Timed},
    index::IndexQueue,
    modes::Modes,
    segment::{Format, Owner, Segment},
};

/// How long a ticket for the restream lives (it is used at once).
const TICKET_SECS: i64 = 30;

/// What recording one stream needs.
#[derive(Clone)]
pub(crate) struct Recording {
    pub(crate) assignment: StreamAssignment,
    pub(crate) roots: Vec<StorageRoot>,
    pub(crate) segment_secs: u32,
    /// `rtsp://host:port` of the media plane's restream.
    pub(crate) restream: String,
    pub(crate) tickets: Arc<TicketSigner>,
    pub(crate) index: IndexQueue,
    pub(crate) modes: Arc<Modes>,
    pub(crate) alerts: vms_plane::Alerts,
}

/// The alert a full disk raises.
const DISK_FULL: &str = "recording_disk_full";
/// How long a recorder that ran out of space waits before trying to write again.
const RETRY_WHEN_FULL: Duration = Duration::from_secs(5);

/// Answers whether an error comes from a full disk (or quota).
fn is_storage_full(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::StorageFull || io.kind() == std::io::ErrorKind::QuotaExceeded)
}

/// Records until `cancel`, reconnecting after every failure.
pub(crate) async fn run(recording: Recording, cancel: CancellationToken) {
    let mut backoff = Backoff::new(Duration::from_millis(500), Duration::from_secs(10));
    loop {
        let started = Instant::now();
        let outcome = session(&recording, &cancel).await;
        if cancel.is_cancelled() {
            return;
        }
        if started.elapsed() > Duration::from_secs(60) {
            backoff.reset();
        }
        match outcome {
            Ok(()) => tracing::info!("the restream ended the session; reconnecting"),
            Err(e) if backoff.attempts() < 3 => tracing::warn!(error = %format!("{e:#}"), "recording interrupted"),
            Err(e) => tracing::debug!(error = %format!("{e:#}"), "recording still interrupted"),
        }
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(backoff.next_delay()) => {}
        }
    }
}

/// The restream URL of the stream, with a fresh ticket.
fn restream_url(r: &Recording) -> anyhow::Result<url::Url> {
    let a = &r.assignment;
    let now = Utc::now().timestamp();
    let (ticket, _) = r.tickets.issue(Uuid::nil(), a.tenant_id, a.camera_id, &a.role, Purpose::Live, now, TICKET_SECS);
    let url = format!("{}/{}/{}?ticket={ticket}", r.restream, a.camera_id, a.role);
    url::Url::parse(&url).context("invalid restream URL")
}

/// One session with the restream; files are closed whatever ends it.
async fn session(r: &Recording, cancel: &CancellationToken) -> anyhow::Result<()> {
    let options = SessionOptions::default().user_agent("techno-support-vms recorder".into());
    let mut described = Session::describe(restream_url(r)?, options).await.context("DESCRIBE")?;
    let Some(index) = described.streams().iter().position(|s| s.media() == "video") else {
        bail!("the restream offers no video");
    };
    let setup = SetupOptions::default()
        .transport(Transport::Tcp(TcpTransportOptions::default()))
        .frame_format(FrameFormat::MP4);
    described.setup(index, setup).await.context("SETUP")?;
    let playing = described.play(PlayOptions::default()).await.context("PLAY")?;
    let mut frames = playing.demuxed().context("demuxing")?;
    let mut writer = Writer::new(r);
    let outcome = loop {
        let item = tokio::select! {
            _ = cancel.cancelled() => break Ok(()),
            item = frames.next() => item,
        };
        let frame = match item {
            None => break Ok(()),
            Some(Err(e)) => break Err(anyhow::Error::from(e).context("reading the restream")),
            Some(Ok(CodecItem::VideoFrame(frame))) => frame,
            Some(Ok(_)) => continue,
        };
        if (frame.has_new_parameters() || writer.current.is_none())
            && let Some(ParametersRef::Video(v)) = frames.streams()[index].parameters()
        {
            let (width, height) = v.pixel_dimensions();
            let sample_entry = v.mp4_sample_entry().build().context("building the sample entry")?;
            let codec = v.rfc6381_codec().to_owned();
            writer.current = Some(Format { sample_entry, codec, width, height });
        }
        let ts = frame.timestamp();
        let picture = Picture {
            pts: ts.elapsed() * 90_000 / i64::from(ts.clock_rate().get()),
            keyframe: frame.is_random_access_point(),
            data: bytes::Bytes::from(frame.into_data()),
            arrived_at: Utc::now(),
        };
        if let Err(e) = writer.push(picture).await {
            break Err(e);
        }
    };
    // Whatever ended the session, what was received is written and the file closed.
    let closed = writer.finish().await;
    outcome.and(closed)
}

/// Turns pictures into GOPs and GOPs into files.
struct Writer<'a> {
    recording: &'a Recording,
    gops: GopBuilder,
    /// The format of the pictures arriving now.
    current: Option<Format>,
    /// The format of the GOP being collected (set at its keyframe).
    pending: Option<Format>,
    segment: Option<Segment>,
    /// Wall-clock time of the session's time zero: the earliest that the
    /// pictures' arrival allows. The first pictures come in a burst from the
    /// media plane's GOP cache, late for their timestamps; live ones pin it.
    zero: Option<DateTime<Utc>>,
    /// GOPs not recorded, kept for an event's pre-buffer.
    held: std::collections::VecDeque<(Vec<Timed>, Format)>,
    /// When a write last failed for want of space.
    full_since: Option<Instant>,
}

impl<'a> Writer<'a> {
    fn new(recording: &'a Recording) -> Self {
        Self {
            recording,
            gops: GopBuilder::default(),
            current: None,
            pending: None,
            segment: None,
            zero: None,
            held: Default::default(),
            full_since: None,
        }
    }

    /// Wall-clock time of 90 kHz time `ticks`.
    fn wall(&self, ticks: i64) -> DateTime<Utc> {
        self.zero.unwrap_or_else(Utc::now) + TimeDelta::microseconds(ticks * 1_000_000 / 90_000)
    }

    async fn push(&mut self, picture: Picture) -> anyhow::Result<()> {
        let zero = picture.arrived_at - TimeDelta::microseconds(picture.pts * 1_000_000 / 90_000);
        self.zero = Some(self.zero.map_or(zero, |z| z.min(zero)));
        let keyframe = picture.keyframe;
        let done = self.gops.push(picture);
        // A keyframe ends the GOP before it, which was coded as its own keyframe said.
        let format = if keyframe { std::mem::replace(&mut self.pending, self.current.clone()) } else { None };
        if let (Some(gop), Some(format)) = (done, format) {
            self.write(gop, format).await?;
        }
        Ok(())
    }

    async fn write(&mut self, gop: Vec<Timed>, format: Format) -> anyhow::Result<()> {
        let Some(first) = gop.first() else { return Ok(()) };
        let a = &self.recording.assignment;
        let at = self.wall(first.dts);
        let decision = self.recording.modes.decide(a.camera_id, &a.role, at);
        if !decision.record {
            // Not recording now: the file is finished, and the GOP is held for a pre-buffer.
            if let Some(segment) = self.segment.take() {
                segment.close().await?;
            }
            self.held.push_back((gop, format));
            while self.held.front().is_some_and(|(g, _)| self.ends_before(g, at - decision.pre_buffer)) {
                self.held.pop_front();
            }
            return Ok(());
        }
        // Recording starts: the held GOPs within the pre-buffer before the events go first.
        if let Some(since) = decision.since {
            let keep_from = since - decision.pre_buffer;
            for (held, held_format) in std::mem::take(&mut self.held) {
                if !self.ends_before(&held, keep_from) {
                    self.append(held, held_format, decision.kind).await?;
                }
            }
        }
        self.held.clear();
        self.append(gop, format, decision.kind).await
    }

    /// Whether a GOP ends before `moment`.
    fn ends_before(&self, gop: &[Timed], moment: DateTime<Utc>) -> bool {
        gop.last().is_some_and(|t| self.wall(t.dts + i64::from(t.duration)) < moment)
    }

    /// Appends a GOP, or drops it while the disk is full: the file being
    /// written ends at its last whole fragment, a critical alert is raised,
    /// and writing resumes by itself once a retry finds space again.
    async fn append(&mut self, gop: Vec<Timed>, format: Format, kind: &'static str) -> anyhow::Result<()> {
        if self.full_since.is_some_and(|t| t.elapsed() < RETRY_WHEN_FULL) {
            return Ok(());
        }
        match self.try_append(gop, format, kind).await {
            Ok(()) => {
                if self.full_since.take().is_some() {
                    tracing::info!("space is back; recording resumed");
                    self.recording.alerts.clear(DISK_FULL);
                }
                Ok(())
            }
            Err(e) if is_storage_full(&e) => {
                if let Some(segment) = self.segment.take() {
                    segment.abort().await;
                }
                if self.full_since.is_none() {
                    tracing::error!(error = %format!("{e:#}"), "disk full: recording stopped until space returns");
                }
                let roots: Vec<String> = self.recording.roots.iter().map(|r| r.path.display().to_string()).collect();
                let message = format!(
                    "no space left to record on {}; retention could not free enough, recording resumes when space returns",
                    roots.join(", ")
                );
                self.recording.alerts.raise(DISK_FULL, &message);
                self.full_since = Some(Instant::now());
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// Appends a GOP to the current file, starting a new one when the
    /// format, the kind of footage or the segment period says so.
    async fn try_append(&mut self, gop: Vec<Timed>, format: Format, kind: &'static str) -> anyhow::Result<()> {
        let Some(first) = gop.first() else { return Ok(()) };
        let period = f64::from(self.recording.segment_secs);
        if let Some(segment) =
            self.segment.take_if(|s| *s.format() != format || s.kind() != kind || s.seconds() >= period)
        {
            segment.close().await?;
        }
        let segment = match &mut self.segment {
            Some(segment) => segment,
            None => {
                let a = &self.recording.assignment;
                let owner = Owner {
                    tenant: a.tenant_id,
                    camera: a.camera_id,
                    stream_id: a.stream_id,
                    role: a.role.clone(),
                    index: self.recording.index.clone(),
                };
                // Segments start where their first picture does, not when the file is opened.
                let started_at = self.wall(first.dts);
                let root = choose_root(&self.recording.roots);
                let created = Segment::create(owner, &root, format, kind, started_at, first.dts).await?;
                self.segment.insert(created)
            }
        };
        segment.append(&gop).await
    }

    async fn finish(mut self) -> anyhow::Result<()> {
        if let (Some(gop), Some(format)) = (self.gops.finish(), self.pending.take()) {
            self.write(gop, format).await?;
        }
        if let Some(segment) = self.segment.take() {
            segment.close().await?;
        }
        Ok(())
    }
}

/// The root a new segment goes to: the one with the most free space, so
/// several disks fill evenly (each root's quota is kept by retention).
fn choose_root(roots: &[StorageRoot]) -> std::path::PathBuf {
    roots
        .iter()
        .max_by_key(|r| {
            // A root not created yet counts by the filesystem it will be on.
            let probe = std::iter::successors(Some(r.path.as_path()), |p| p.parent()).find(|p| p.exists());
            probe.and_then(|p| crate::space::available(p).ok()).unwrap_or(0)
        })
        .map(|r| r.path.clone())
        .expect("at least one storage root")
}
