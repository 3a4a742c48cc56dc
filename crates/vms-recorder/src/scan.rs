//! Reading segment files back: what they hold, fragment by fragment, and
//! where a torn tail must be cut. The files are the source of truth; crash
//! recovery and `vms recorder reindex` rebuild the index from what this
//! finds. The boxes are read by [`vms_codec::fmp4_layout`] (fuzzed as
//! `fmp4_layout`); this names the file and turns its fragments into index rows.

use std::{
    fs::File,
    path::{Path, PathBuf},
};

use anyhow::Context;
use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use uuid::Uuid;
use vms_catalog::recording::Fragment;
use vms_codec::{fmp4::InitInfo, fmp4_layout};

/// A segment file as found on disk.
#[derive(Debug, Clone)]
pub(crate) struct ScannedFile {
    /// The storage root it is under.
    pub(crate) root: PathBuf,
    /// Its path relative to the root.
    pub(crate) relative: PathBuf,
    /// The camera and stream its directories name.
    pub(crate) camera: Uuid,
    pub(crate) role: vms_base::StreamRole,
    /// Wall-clock time of its first picture (from its name).
    pub(crate) started_at: DateTime<Utc>,
    /// Codec and size, from its init segment.
    pub(crate) init: InitInfo,
    /// Its whole fragments.
    pub(crate) fragments: Vec<Fragment>,
    /// Bytes up to the end of the last whole fragment.
    pub(crate) whole_len: u64,
    /// Bytes on disk when found (more than `whole_len` when the tail is torn).
    pub(crate) found_len: u64,
}

impl ScannedFile {
    /// Wall-clock time just past its last picture.
    pub(crate) fn ended_at(&self) -> DateTime<Utc> {
        self.fragments
            .last()
            .map(|f| f.start_time + TimeDelta::milliseconds(f.duration_ms.into()))
            .unwrap_or(self.started_at)
    }
}

/// The start time a segment's name carries (`20261121T184500.123Z.mp4`).
pub(crate) fn start_from_name(path: &Path) -> Option<DateTime<Utc>> {
    let stem = path.file_stem()?.to_str()?;
    NaiveDateTime::parse_from_str(stem, "%Y%m%dT%H%M%S%.3fZ").ok().map(|t| t.and_utc())
}

/// Scans the segment at `root/relative`. `None` when it holds no usable
/// video at all (not even a whole init segment).
pub(crate) fn scan(root: &Path, relative: &Path) -> anyhow::Result<Option<ScannedFile>> {
    let path = root.join(relative);
    let mut parts = relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned());
    let camera: Uuid = parts.next().and_then(|c| c.parse().ok()).context("no camera id in the path")?;
    let role: vms_base::StreamRole = parts.next().and_then(|r| r.parse().ok()).context("no stream role in the path")?;
    let started_at = start_from_name(&path).context("no start time in the file name")?;
    let mut file = File::open(&path).with_context(|| format!("failed to open {}", path.display()))?;
    let found_len = file.metadata()?.len();

    let Some(layout) = fmp4_layout::read(&mut file, found_len)? else { return Ok(None) };
    let fragments = layout
        .fragments
        .iter()
        .map(|f| {
            Ok(Fragment {
                seq: f.moof.sequence as i32,
                start_time: fragment_time(started_at, f.moof.base_dts)
                    .with_context(|| format!("fragment {} has an impossible time", f.moof.sequence))?,
                duration_ms: (f.moof.duration.saturating_mul(1000) / 90_000).min(i32::MAX as u64) as i32,
                byte_offset: f.offset as i64,
                byte_len: f.len as i32,
                keyframe: f.moof.starts_with_keyframe,
                pictures: f.moof.samples as i32,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Some(ScannedFile {
        root: root.to_owned(),
        relative: relative.to_owned(),
        camera,
        role,
        started_at,
        init: layout.init,
        fragments,
        whole_len: layout.whole_len,
        found_len,
    }))
}

/// The wall-clock time of a fragment `base_dts` 90 kHz ticks after the file's
/// start; `None` when a damaged or crafted file names a time no calendar holds
/// (it would otherwise overflow and panic recovery).
fn fragment_time(started_at: DateTime<Utc>, base_dts: u64) -> Option<DateTime<Utc>> {
    let micros = i64::try_from(i128::from(base_dts) * 1_000_000 / 90_000).ok()?;
    started_at.checked_add_signed(TimeDelta::microseconds(micros))
}

/// Cuts a torn tail off a scanned file and makes the cut durable.
pub(crate) fn cut_torn_tail(scanned: &ScannedFile) -> anyhow::Result<()> {
    if scanned.found_len == scanned.whole_len {
        return Ok(());
    }
    let path = scanned.root.join(&scanned.relative);
    let file = std::fs::OpenOptions::new().write(true).open(&path)?;
    file.set_len(scanned.whole_len).with_context(|| format!("failed to truncate {}", path.display()))?;
    file.sync_all()?;
    tracing::warn!(
        path = %path.display(),
        cut = scanned.found_len - scanned.whole_len,
        "cut the torn tail of a segment"
    );
    Ok(())
}

/// Every segment file under `dir` (recursively), as paths relative to `root`, sorted.
pub(crate) fn files_under(root: &Path, dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "mp4")
                && let Ok(relative) = path.strip_prefix(root)
            {
                found.push(relative.to_owned());
            }
        }
    }
    found.sort();
    found
}

/// The newest day directory of every stream under `root`
/// (`<camera>/<stream>/<yyyy>/<mm>/<dd>`): where a file interrupted by a
/// crash lies.
pub(crate) fn newest_days(root: &Path) -> Vec<PathBuf> {
    let subdirs = |dir: &Path| -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> =
            std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
        dirs.sort();
        dirs
    };
    let mut days = Vec::new();
    for camera in subdirs(root) {
        for stream in subdirs(&camera) {
            let newest = subdirs(&stream)
                .last()
                .and_then(|y| subdirs(y).last().cloned())
                .and_then(|m| subdirs(&m).last().cloned());
            days.extend(newest);
        }
    }
    days
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragment_times_follow_the_ticks_and_refuse_what_no_calendar_holds() {
        let start = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        assert_eq!(fragment_time(start, 90_000), Some(start + TimeDelta::seconds(1)));
        assert_eq!(fragment_time(start, u64::MAX), None, "a crafted moof must not panic recovery");
        assert_eq!(fragment_time(start, 810_000_000_000_000_000), None, "fits an i64 but no calendar");
    }
}
