//! Recording one stream: read its pictures from the media plane over the
//! frame link (with their arrival times there), cut them into GOPs and write
//! them into segment files, starting a new file every segment period, at every
//! codec or resolution change, and at every gap (the link reconnected, or the
//! recorder fell behind and lost pictures).

use std::{
    net::SocketAddr,
    sync::Arc,
    time::{Duration, Instant},
};

use chrono::{DateTime, TimeDelta, Utc};
use tokio_util::sync::CancellationToken;
use vms_config::StorageRoot;
use vms_plane::{
    StreamAssignment,
    link::{LinkEvent, LinkSubscription},
};

use crate::{
    gop::{GopBuilder, Picture, Timed},
    index::IndexQueue,
    modes::Modes,
    segment::{Format, Owner, Segment},
};

/// What recording one stream needs.
#[derive(Clone)]
pub(crate) struct Recording {
    pub(crate) assignment: StreamAssignment,
    pub(crate) roots: Vec<StorageRoot>,
    pub(crate) segment_secs: u32,
    /// The media plane's frame link.
    pub(crate) link: SocketAddr,
    /// The installation's internal secret, proven to the link.
    pub(crate) key: Arc<[u8]>,
    pub(crate) index: IndexQueue,
    pub(crate) modes: Arc<Modes>,
    pub(crate) alerts: vms_plane::Alerts,
    /// Where the stream's writes are counted.
    pub(crate) writes: crate::metrics::WriteMetrics,
}

/// The alert a full disk raises.
const DISK_FULL: &str = "recording_disk_full";
/// How long a recorder that ran out of space waits before trying to write again.
const RETRY_WHEN_FULL: Duration = Duration::from_secs(5);
/// How long a recorder whose write failed (other than for space) waits before the next file.
const RETRY_AFTER_ERROR: Duration = Duration::from_secs(1);

/// Answers whether an error comes from a full disk (or quota).
fn is_storage_full(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::StorageFull || io.kind() == std::io::ErrorKind::QuotaExceeded)
}

/// A picture that arrives this much later than its stream's time mapping
/// says comes after a break the link did not see (the camera reconnected
/// while the link stayed up): the file ends there and time is mapped anew.
const DISCONTINUITY: TimeDelta = TimeDelta::seconds(2);
/// Most pictures skipped as already written after a reconnect (the media
/// plane replays its cached GOP), however their times compare.
const MAX_REPLAYED: u32 = 1000;

/// How long the media plane may hold pictures for the recorder so that they
/// arrive in batches, every recorded stream's together: the recorder writes
/// a fragment per GOP and stores each picture's arrival time, so the wait
/// costs nothing a user sees and saves a wake-up per picture per stream.
const LINK_BATCH: Duration = Duration::from_millis(250);

/// Records until `cancel`; the link reconnects by itself after every failure.
pub(crate) async fn run(recording: Recording, cancel: CancellationToken) {
    let a = &recording.assignment;
    let mut link =
        LinkSubscription::new(recording.link, recording.key.clone(), a.camera_id, a.role).batched(LINK_BATCH);
    let mut writer = Writer::new(&recording);
    let mut interruptions = 0u32;
    let mut timescale = 90_000i64;
    // The arrival of the last picture taken, and how many replayed ones are skipped since a reconnect.
    let (mut last_arrival, mut replayed) = (None::<i64>, None::<u32>);
    while let Some(event) = link.next(&cancel).await {
        match event {
            LinkEvent::Description(d) => {
                let format = Format {
                    sample_entry: d.sample_entry.to_vec(),
                    codec: d.codec_string,
                    width: d.width,
                    height: d.height,
                };
                writer.current = Some(format);
                timescale = i64::from(d.timescale.max(1));
                interruptions = 0;
            }
            LinkEvent::Picture(p) => {
                // After a reconnect the media plane starts again at its cached keyframe: what was written is skipped.
                if let Some(skipped) = replayed.as_mut() {
                    if last_arrival.is_some_and(|last| p.arrived_at_us <= last) && *skipped < MAX_REPLAYED {
                        *skipped += 1;
                        continue;
                    }
                    replayed = None;
                }
                last_arrival = Some(p.arrived_at_us);
                let pts = i64::try_from(i128::from(p.pts) * 90_000 / i128::from(timescale)).unwrap_or(p.pts);
                let arrived_at = DateTime::from_timestamp_micros(p.arrived_at_us).unwrap_or_else(Utc::now);
                if p.lost > 0 {
                    tracing::warn!(lost = p.lost, "fell behind the stream; pictures lost, the file ends at the gap");
                    writer.restart().await;
                } else if writer.zero.is_some() && arrived_at - writer.wall(pts) > DISCONTINUITY {
                    tracing::info!("the stream broke and resumed; the file ends at the gap");
                    writer.restart().await;
                }
                let picture = Picture { pts, keyframe: p.keyframe, data: p.data, arrived_at };
                if let Err(e) = writer.push(picture).await {
                    tracing::warn!(error = %format!("{e:#}"), "writing the recording failed; starting a new file");
                    writer.restart().await;
                    tokio::select! {
                        _ = cancel.cancelled() => break,
                        _ = tokio::time::sleep(RETRY_AFTER_ERROR) => {}
                    }
                }
            }
            LinkEvent::Interrupted { reason } => {
                interruptions += 1;
                match interruptions {
                    1..=3 => tracing::warn!(%reason, "recording interrupted; reconnecting"),
                    _ => tracing::debug!(%reason, "recording still interrupted"),
                }
                writer.restart().await;
                replayed = Some(0);
            }
        }
    }
    // Whatever ended the recording, what was received is written and the file closed.
    if let Err(e) = writer.close().await {
        tracing::warn!(error = %format!("{e:#}"), "closing the recording failed");
    }
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
    /// Wall-clock time of the stream's time zero: the earliest that the
    /// pictures' arrival at the media plane allows (arrival times jitter;
    /// the earliest is the least delayed).
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
        let decision = self.recording.modes.decide(a.camera_id, a.role, at);
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
    async fn append(
        &mut self,
        gop: Vec<Timed>,
        format: Format,
        kind: vms_catalog::recording::FootageKind,
    ) -> anyhow::Result<()> {
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
    async fn try_append(
        &mut self,
        gop: Vec<Timed>,
        format: Format,
        kind: vms_catalog::recording::FootageKind,
    ) -> anyhow::Result<()> {
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
                    role: a.role,
                    index: self.recording.index.clone(),
                    writes: self.recording.writes.clone(),
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

    /// Writes and closes what this writer holds (logging a failure) and
    /// starts afresh for what comes after a gap: a new file, a new time
    /// mapping. The format, the event pre-buffer and the full-disk state carry over.
    async fn restart(&mut self) {
        if let Err(e) = self.close().await {
            tracing::warn!(error = %format!("{e:#}"), "closing the recording at a gap failed");
        }
        self.gops = GopBuilder::default();
        self.pending = None;
        self.zero = None;
    }

    /// Writes the GOP in progress and closes the file.
    async fn close(&mut self) -> anyhow::Result<()> {
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
