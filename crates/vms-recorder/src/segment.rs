//! One recording file: an init segment, then one fragment per GOP, each
//! written with a single `write` and made durable with `fdatasync` before
//! the next. A power cut loses at most the fragment being written (one GOP,
//! about 2 s); a torn tail is cut off by recovery.
//!
//! Files live at `<root>/<camera>/<stream>/<yyyy>/<mm>/<dd>/<start>.mp4`,
//! `<start>` being the UTC time of the first picture (`20261121T184500.123Z`).
//! Files are created 0600 and directories 0700, for the service account only.

use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{DateTime, Datelike, TimeDelta, Utc};
use tokio::{fs::File, io::AsyncWriteExt};
use uuid::Uuid;
use vms_codec::fmp4;

use vms_catalog::recording::{Fragment, NewSegment};

use crate::{
    gop::Timed,
    index::{Event, IndexQueue},
};

/// What a file's pictures are coded with; a change starts a new file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Format {
    /// The `avc1`/`hvc1` sample entry box.
    pub(crate) sample_entry: Vec<u8>,
    /// RFC 6381 codec string.
    pub(crate) codec: String,
    pub(crate) width: u32,
    pub(crate) height: u32,
}

/// Whose stream a file holds, and where its index entries go.
#[derive(Clone)]
pub(crate) struct Owner {
    pub(crate) tenant: Uuid,
    pub(crate) camera: Uuid,
    pub(crate) stream_id: Uuid,
    pub(crate) role: vms_base::StreamRole,
    pub(crate) index: IndexQueue,
    /// Where the stream's writes are counted.
    pub(crate) writes: crate::metrics::WriteMetrics,
}

/// A file being written.
pub(crate) struct Segment {
    id: Uuid,
    owner: Owner,
    path: PathBuf,
    /// Its storage root, and its path relative to it.
    root: PathBuf,
    relative: PathBuf,
    /// The index missed an update of this file (the queue was full): it
    /// gets no more, and the whole file is reread when it closes.
    behind: bool,
    file: File,
    format: Format,
    kind: vms_catalog::recording::FootageKind,
    /// Wall-clock time of the first picture.
    started_at: DateTime<Utc>,
    /// Decoding time of the first picture; the file's timeline starts at zero there.
    origin: i64,
    /// Decoding time just past the last picture written.
    end_dts: i64,
    sequence: u32,
    bytes: u64,
    pictures: u64,
}

/// Creates `dir` and its missing parents readable by the service account
/// only (0700): footage is not for other accounts on the host.
async fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = tokio::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(0o700);
    builder.create(dir).await
}

/// Where a segment starting at `started_at` goes, relative to its root.
pub(crate) fn path_for(camera: Uuid, stream: vms_base::StreamRole, started_at: DateTime<Utc>) -> PathBuf {
    PathBuf::from(camera.to_string())
        .join(stream.as_str())
        .join(format!("{:04}", started_at.year()))
        .join(format!("{:02}", started_at.month()))
        .join(format!("{:02}", started_at.day()))
        .join(format!("{}.mp4", started_at.format("%Y%m%dT%H%M%S%.3fZ")))
}

impl Segment {
    /// Creates the file under `root` and writes its init segment;
    /// `first_dts` is the decoding time of the first picture it will hold.
    pub(crate) async fn create(
        owner: Owner,
        root: &Path,
        format: Format,
        kind: vms_catalog::recording::FootageKind,
        started_at: DateTime<Utc>,
        first_dts: i64,
    ) -> anyhow::Result<Self> {
        let relative = path_for(owner.camera, owner.role, started_at);
        let path = root.join(&relative);
        if let Some(dir) = path.parent() {
            private_dir(dir).await.with_context(|| format!("failed to create {}", dir.display()))?;
        }
        let mut options = File::options();
        options.create_new(true).write(true);
        #[cfg(unix)]
        options.mode(0o600);
        let mut file = options.open(&path).await.with_context(|| format!("failed to create {}", path.display()))?;
        let init = fmp4::init_segment(&format.sample_entry, format.width, format.height);
        // tokio reports a failed write at the next flush, not at write_all.
        let written = async {
            file.write_all(&init).await?;
            file.flush().await
        };
        if let Err(e) = written.await {
            // A file without a whole init segment holds nothing: it goes.
            drop(file);
            let _ = tokio::fs::remove_file(&path).await;
            return Err(anyhow::Error::from(e).context(format!("failed to write {}", path.display())));
        }
        let bytes = init.len() as u64;
        let id = Uuid::new_v4();
        let queued = owner.index.send(Event::Opened(NewSegment {
            id,
            tenant_id: owner.tenant,
            camera_id: owner.camera,
            stream_id: owner.stream_id,
            stream_role: owner.role.to_string(),
            root: root.to_string_lossy().into_owned(),
            path: relative.to_string_lossy().into_owned(),
            start_time: started_at,
            codec: format.codec.clone(),
            width: format.width as i32,
            height: format.height as i32,
            bytes: bytes as i64,
            kind,
        }));
        Ok(Self {
            id,
            owner,
            path,
            root: root.to_owned(),
            relative,
            behind: !queued,
            file,
            format,
            kind,
            started_at,
            origin: first_dts,
            end_dts: first_dts,
            sequence: 0,
            bytes,
            pictures: 0,
        })
    }

    /// Appends one GOP as a fragment and makes it durable.
    pub(crate) async fn append(&mut self, gop: &[Timed]) -> anyhow::Result<()> {
        let Some(first) = gop.first() else { return Ok(()) };
        let samples: Vec<fmp4::Sample<'_>> = gop
            .iter()
            .map(|t| fmp4::Sample {
                data: &t.picture.data,
                duration: t.duration,
                composition_offset: t.composition_offset(),
                keyframe: t.picture.keyframe,
            })
            .collect();
        self.sequence += 1;
        let base = u64::try_from(first.dts - self.origin).unwrap_or(0);
        let fragment = fmp4::fragment(self.sequence, base, &samples);
        // tokio reports a failed write at the next flush (not at write_all,
        // nor at sync_data), so the flush comes before the bytes are counted.
        let started = std::time::Instant::now();
        self.file.write_all(&fragment).await.with_context(|| format!("failed to write {}", self.path.display()))?;
        self.file.flush().await.with_context(|| format!("failed to write {}", self.path.display()))?;
        self.file.sync_data().await.with_context(|| format!("failed to sync {}", self.path.display()))?;
        self.owner.writes.fragment(fragment.len(), started.elapsed().as_secs_f64());
        let offset = self.bytes;
        self.bytes += fragment.len() as u64;
        self.pictures += gop.len() as u64;
        let last = gop.last().expect("a GOP has pictures");
        self.end_dts = last.dts + i64::from(last.duration);
        let duration = self.end_dts - first.dts;
        if self.behind {
            return Ok(());
        }
        self.behind = !self.owner.index.send(Event::Fragment {
            tenant: self.owner.tenant,
            segment: self.id,
            fragment: Fragment {
                seq: self.sequence as i32,
                start_time: self.at(first.dts),
                duration_ms: (duration * 1000 / 90_000) as i32,
                byte_offset: offset as i64,
                byte_len: fragment.len() as i32,
                keyframe: first.picture.keyframe,
                pictures: gop.len() as i32,
            },
            end_time: self.ended_at(),
            bytes: self.bytes as i64,
        });
        Ok(())
    }

    /// Wall-clock time of decoding time `dts`.
    fn at(&self, dts: i64) -> DateTime<Utc> {
        self.started_at + TimeDelta::microseconds((dts - self.origin) * 1_000_000 / 90_000)
    }

    /// The format its pictures are coded with.
    pub(crate) fn format(&self) -> &Format {
        &self.format
    }

    /// `continuous` or `event` footage.
    pub(crate) fn kind(&self) -> vms_catalog::recording::FootageKind {
        self.kind
    }

    /// Seconds of video it holds.
    pub(crate) fn seconds(&self) -> f64 {
        (self.end_dts - self.origin) as f64 / f64::from(fmp4::TIMESCALE)
    }

    /// Wall-clock time just past its last picture.
    pub(crate) fn ended_at(&self) -> DateTime<Utc> {
        self.at(self.end_dts)
    }

    /// Ends the file after a failed write: cuts whatever part of a fragment
    /// got onto the disk, so the file ends with its last whole fragment and
    /// plays, and closes it.
    pub(crate) async fn abort(self) {
        if let Err(e) = self.file.set_len(self.bytes).await {
            tracing::error!(path = %self.path.display(), error = %e, "cannot cut a failed write off a segment");
        }
        let _ = self.file.sync_all().await;
        let (path, id, tenant, index, empty) =
            (self.path.clone(), self.id, self.owner.tenant, self.owner.index.clone(), self.pictures == 0);
        if let Err(e) = self.close().await {
            tracing::warn!(error = %format!("{e:#}"), "closing a segment after a failed write");
        }
        if empty {
            // No picture made it: the file and its index entry go.
            let _ = tokio::fs::remove_file(&path).await;
            index.send(Event::Discarded { tenant, segment: id });
        }
    }

    /// Closes the file, logging what it holds.
    pub(crate) async fn close(mut self) -> anyhow::Result<()> {
        self.file.flush().await?;
        if self.behind {
            tracing::info!(path = %self.path.display(), "the index missed part of this segment; rereading it");
            self.owner.index.reread(self.root.clone(), self.relative.clone());
        } else {
            self.owner.index.send(Event::Closed { tenant: self.owner.tenant, segment: self.id });
        }
        tracing::info!(
            path = %self.path.display(),
            seconds = format!("{:.2}", self.seconds()),
            pictures = self.pictures,
            bytes = self.bytes,
            ended_at = %self.ended_at(),
            "segment closed"
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[tokio::test]
    async fn recordings_are_private_to_the_service() {
        use std::os::unix::fs::PermissionsExt;

        let root = tempfile::tempdir().unwrap();
        let (index, _events) = crate::index::queue();
        let owner = Owner {
            tenant: Uuid::new_v4(),
            camera: Uuid::new_v4(),
            stream_id: Uuid::new_v4(),
            role: vms_base::StreamRole::Main,
            index,
            writes: Default::default(),
        };
        let format = Format {
            sample_entry: vec![0, 0, 0, 8, b'a', b'v', b'c', b'1'],
            codec: "avc1".into(),
            width: 64,
            height: 64,
        };
        let started_at = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let segment = Segment::create(
            owner.clone(),
            root.path(),
            format,
            vms_catalog::recording::FootageKind::Continuous,
            started_at,
            0,
        )
        .await
        .unwrap();
        segment.close().await.unwrap();

        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let file = root.path().join(path_for(owner.camera, vms_base::StreamRole::Main, started_at));
        assert_eq!(mode(&file), 0o600, "the recording file");
        let mut dir = file.parent().unwrap();
        while dir != root.path() {
            assert_eq!(mode(dir), 0o700, "{}", dir.display());
            dir = dir.parent().unwrap();
        }
    }
}
