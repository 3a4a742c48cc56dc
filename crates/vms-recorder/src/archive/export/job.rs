//! Export jobs: one MP4 made by copying a window's fragments out of the
//! recording files, without re-encoding. Fragments are renumbered and put on
//! one continuous timeline, so the result plays as a single file. A job
//! reports its progress, can be cancelled, and ends with the file's SHA-256
//! and a signed manifest beside it in `<data_dir>/exports/`. Admission,
//! persistence and expiry are the registry's (`registry.rs`, `sweep.rs`).

use std::{
    io::{Read, Seek, SeekFrom, Write},
    path::{Path, PathBuf},
    sync::atomic::{AtomicBool, AtomicU64, Ordering},
};

use chrono::{DateTime, TimeDelta, Utc};
use ed25519_dalek::SigningKey;
use sha2::{Digest, Sha256};
use uuid::Uuid;
use vms_catalog::recording::Fragment;
use vms_codec::fmp4;

use super::{
    files,
    manifest::{self, Manifest, SignedManifest},
};

/// One recording file's part of an export.
#[derive(Debug, Clone)]
pub struct Piece {
    /// The file.
    pub path: PathBuf,
    /// Length of its init segment.
    pub init_len: u64,
    /// Its fragments in the window, in order.
    pub fragments: Vec<Fragment>,
}

/// What to export and for whom.
#[derive(Debug, Clone)]
pub struct Request {
    /// The camera's tenant.
    pub tenant_id: Uuid,
    /// The camera.
    pub camera_id: Uuid,
    /// Its name.
    pub camera_name: String,
    /// `main` or `sub`.
    pub stream: String,
    /// The window.
    pub start: DateTime<Utc>,
    /// End of the window.
    pub end: DateTime<Utc>,
    /// Who asked.
    pub user_id: Uuid,
    /// Their user name.
    pub username: String,
    /// The files and fragments to copy.
    pub pieces: Vec<Piece>,
}

/// A running export: what it copies, how far it got, and whether it was
/// asked to stop. Where it ended is kept in the catalog (`export_jobs`).
pub struct Job {
    /// Its id.
    pub id: Uuid,
    /// The request.
    pub request: Request,
    copied: AtomicU64,
    total: u64,
    cancelled: AtomicBool,
}

impl Job {
    /// A job for `request`, not started.
    pub fn new(id: Uuid, request: Request) -> Self {
        let total = request.pieces.iter().flat_map(|p| &p.fragments).map(|f| f.byte_len as u64).sum::<u64>()
            + request.pieces.first().map_or(0, |p| p.init_len);
        Self { id, request, copied: AtomicU64::new(0), total, cancelled: AtomicBool::new(false) }
    }

    /// Fraction copied, 0 to 1.
    pub fn progress(&self) -> f64 {
        if self.total == 0 { 1.0 } else { self.copied.load(Ordering::Relaxed) as f64 / self.total as f64 }
    }

    /// Size of the file it makes, known before it starts (what the storage cap counts).
    pub fn expected_bytes(&self) -> u64 {
        self.total
    }

    /// Asks it to stop at the next fragment.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    /// Whether it was asked to stop.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}

/// Copies `job`'s fragments into `<dir>/<id>.mp4` (through a `.part` file
/// that a failure removes) and writes the signed manifest beside it.
pub fn remux(job: &Job, dir: &Path, key: &SigningKey) -> anyhow::Result<Manifest> {
    let made = write_files(job, dir, key);
    if made.is_err() {
        let _ = std::fs::remove_file(files::part_path(dir, job.id));
    }
    made
}

fn write_files(job: &Job, dir: &Path, key: &SigningKey) -> anyhow::Result<Manifest> {
    let r = &job.request;
    files::create_dir(dir)?;
    let part = files::part_path(dir, job.id);
    let mut out = files::create_file(&part)?;
    let mut hash = Sha256::new();
    let mut write = |bytes: &[u8]| -> anyhow::Result<()> {
        out.write_all(bytes)?;
        hash.update(bytes);
        job.copied.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        Ok(())
    };
    let read = |file: &mut std::fs::File, at: u64, len: u64| -> anyhow::Result<Vec<u8>> {
        let mut bytes = vec![0; len as usize];
        file.seek(SeekFrom::Start(at))?;
        file.read_exact(&mut bytes)?;
        Ok(bytes)
    };
    let mut init: Option<Vec<u8>> = None;
    let (mut sequence, mut dts) = (0u32, 0u64);
    let mut span: Option<(DateTime<Utc>, DateTime<Utc>)> = None;
    for piece in &r.pieces {
        let mut file = std::fs::File::open(&piece.path)?;
        let this_init = read(&mut file, 0, piece.init_len)?;
        match &init {
            None => {
                write(&this_init)?;
                init = Some(this_init);
            }
            Some(first) if *first != this_init => {
                let at = piece.fragments.first().map(|f| f.start_time.to_rfc3339()).unwrap_or_default();
                anyhow::bail!(
                    "the window spans a change of codec or resolution at {at}; export the parts on either side separately"
                );
            }
            Some(_) => {}
        }
        for f in &piece.fragments {
            if job.is_cancelled() {
                anyhow::bail!("cancelled");
            }
            let mut bytes = read(&mut file, f.byte_offset as u64, f.byte_len as u64)?;
            let (boxes, _) = fmp4::boxes(&bytes);
            let moof = boxes.first().filter(|b| &b.kind == b"moof").copied();
            let info = moof.and_then(|m| fmp4::parse_moof(&bytes[m.start..m.end]));
            let (Some(moof), Some(info)) = (moof, info) else {
                anyhow::bail!("{} has no whole fragment at byte {}", piece.path.display(), f.byte_offset);
            };
            sequence += 1;
            fmp4::rewrite_moof(&mut bytes[moof.start..moof.end], sequence, dts)
                .ok_or_else(|| anyhow::anyhow!("cannot renumber a fragment of {}", piece.path.display()))?;
            dts += info.duration;
            write(&bytes)?;
            let end = f.start_time + TimeDelta::milliseconds(f.duration_ms.into());
            span = Some(span.map_or((f.start_time, end), |(s, _)| (s, end)));
        }
    }
    out.sync_all()?;
    drop(out);
    let (video_start, video_end) = span.ok_or_else(|| anyhow::anyhow!("nothing is recorded in this window"))?;
    let path = files::file_path(dir, job.id);
    std::fs::rename(&part, &path)?;
    let manifest = Manifest {
        version: 1,
        export_id: job.id,
        tenant_id: r.tenant_id,
        camera_id: r.camera_id,
        camera_name: r.camera_name.clone(),
        stream: r.stream.clone(),
        start: r.start,
        end: r.end,
        video_start,
        video_end,
        bytes: std::fs::metadata(&path)?.len(),
        sha256: hex::encode(hash.finalize()),
        user_id: r.user_id,
        username: r.username.clone(),
        created_at: Utc::now(),
        public_key: hex::encode(key.verifying_key().as_bytes()),
    };
    let signed: SignedManifest = manifest::sign(manifest.clone(), key);
    let mut file = files::create_file(&files::manifest_path(dir, job.id))?;
    file.write_all(&serde_json::to_vec_pretty(&signed)?)?;
    file.sync_all()?;
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A recording file of `count` one-picture fragments, and its fragments' index entries.
    fn recording(dir: &Path, count: usize) -> Piece {
        let mut entry = Vec::new();
        entry.extend_from_slice(&16u32.to_be_bytes());
        entry.extend_from_slice(b"avc1");
        entry.extend_from_slice(&[0; 8]);
        let mut file = fmp4::init_segment(&entry, 64, 64);
        let init_len = file.len() as u64;
        let start = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let picture = [0u8, 0, 0, 4, 0x65, 1, 2, 3];
        let mut fragments = Vec::with_capacity(count);
        for i in 0..count {
            let sample = fmp4::Sample { data: &picture, duration: 3600, composition_offset: 0, keyframe: true };
            let bytes = fmp4::fragment(i as u32 + 1, i as u64 * 3600, &[sample]);
            fragments.push(Fragment {
                seq: i as i32 + 1,
                start_time: start + TimeDelta::milliseconds(40 * i as i64),
                duration_ms: 40,
                byte_offset: file.len() as i64,
                byte_len: bytes.len() as i32,
                keyframe: true,
                pictures: 1,
            });
            file.extend_from_slice(&bytes);
        }
        let path = dir.join("recording.mp4");
        std::fs::write(&path, file).unwrap();
        Piece { path, init_len, fragments }
    }

    fn job(piece: Piece) -> Job {
        let start = piece.fragments[0].start_time;
        Job::new(
            Uuid::new_v4(),
            Request {
                tenant_id: Uuid::new_v4(),
                camera_id: Uuid::new_v4(),
                camera_name: "Gate".into(),
                stream: "main".into(),
                start,
                end: start + TimeDelta::hours(1),
                user_id: Uuid::new_v4(),
                username: "op".into(),
                pieces: vec![piece],
            },
        )
    }

    #[test]
    fn a_cancelled_export_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let exports = dir.path().join("exports");
        let key = SigningKey::from_bytes(&[9; 32]);
        let cancelled = job(recording(dir.path(), 50));
        cancelled.cancel();
        assert!(remux(&cancelled, &exports, &key).is_err());
        assert!(cancelled.progress() < 1.0, "stopped before the end");
        for path in [
            files::file_path(&exports, cancelled.id),
            files::part_path(&exports, cancelled.id),
            files::manifest_path(&exports, cancelled.id),
        ] {
            assert!(!path.exists(), "{}", path.display());
        }
    }

    #[test]
    fn a_finished_export_matches_its_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let exports = dir.path().join("exports");
        let done = job(recording(dir.path(), 50));
        let manifest = remux(&done, &exports, &SigningKey::from_bytes(&[9; 32])).unwrap();
        let file = std::fs::read(files::file_path(&exports, done.id)).unwrap();
        assert_eq!(manifest.sha256, manifest::sha256_hex(&file));
        assert_eq!(manifest.bytes, file.len() as u64);
        assert_eq!(done.expected_bytes(), file.len() as u64, "the storage cap counts the real size");
        assert_eq!(done.progress(), 1.0);
    }
}
