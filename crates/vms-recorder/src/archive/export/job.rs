//! Export jobs: one MP4 made by copying a window's fragments out of the
//! recording files, without re-encoding. Fragments are renumbered and put on
//! one continuous timeline, so the result plays as a single file. A
//! watermarked export re-encodes instead ([`super::watermark`]). A job
//! reports its progress, can be cancelled, and ends with the file's SHA-256
//! and a signed manifest beside it in `<data_dir>/exports/`. Admission,
//! persistence and expiry are the registry's (`registry.rs`, `sweep.rs`).

use std::{
    io::Write,
    path::{Path, PathBuf},
    sync::atomic::{AtomicBool, AtomicU64, Ordering},
};

use chrono::{DateTime, Utc};
use ed25519_dalek::SigningKey;
use sha2::{Digest, Sha256};
use uuid::Uuid;
use vms_catalog::recording::Fragment;
use vms_codec::fmp4;

use super::{
    files,
    manifest::{self, Manifest, SignedManifest, Watermark},
    source, watermark,
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
    /// The text to burn into the pictures, re-encoding them; `None` copies them.
    pub watermark: Option<Watermark>,
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
    /// Work done: bytes copied, or pictures re-encoded when watermarked.
    done: AtomicU64,
    /// All the work: bytes to copy, or pictures to re-encode.
    work: u64,
    /// Bytes of the footage: the init segment and the fragments.
    bytes: u64,
    cancelled: AtomicBool,
}

impl Job {
    /// A job for `request`, not started.
    pub fn new(id: Uuid, request: Request) -> Self {
        let fragments = || request.pieces.iter().flat_map(|p| &p.fragments);
        let bytes =
            fragments().map(|f| f.byte_len as u64).sum::<u64>() + request.pieces.first().map_or(0, |p| p.init_len);
        let work = match request.watermark {
            None => bytes,
            Some(_) => fragments().map(|f| u64::try_from(f.pictures).unwrap_or(0)).sum(),
        };
        Self { id, request, done: AtomicU64::new(0), work, bytes, cancelled: AtomicBool::new(false) }
    }

    /// Fraction done, 0 to 1: of the bytes copied, or of the pictures
    /// re-encoded when watermarked.
    pub fn progress(&self) -> f64 {
        if self.work == 0 { 1.0 } else { (self.done.load(Ordering::Relaxed) as f64 / self.work as f64).min(1.0) }
    }

    /// Counts `n` more bytes copied or pictures re-encoded.
    pub(super) fn advance(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }

    /// Size of the file it makes, known before it starts (what the storage
    /// cap counts): the footage's size, which a watermarked export is
    /// encoded to stay about ([`super::watermark`]).
    pub fn expected_bytes(&self) -> u64 {
        self.bytes
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

/// Makes `job`'s file `<dir>/<id>.mp4` (through a `.part` file that a
/// failure removes), copied or, with a watermark, re-encoded, and writes
/// the signed manifest beside it.
pub fn run(job: &Job, dir: &Path, key: &SigningKey) -> anyhow::Result<Manifest> {
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
    let ((video_start, video_end), sha256) = match &r.watermark {
        None => remux(job, &part)?,
        Some(text) => watermark::reencode(job, &part, text)?,
    };
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
        sha256,
        user_id: r.user_id,
        username: r.username.clone(),
        created_at: Utc::now(),
        public_key: hex::encode(key.verifying_key().as_bytes()),
        watermark: r.watermark.clone(),
    };
    let signed: SignedManifest = manifest::sign(manifest.clone(), key);
    let mut file = files::create_file(&files::manifest_path(dir, job.id))?;
    file.write_all(&serde_json::to_vec_pretty(&signed)?)?;
    file.sync_all()?;
    Ok(manifest)
}

/// Copies the fragments into `part`, renumbered on one timeline; returns
/// the span of the footage and the file's SHA-256, hex.
fn remux(job: &Job, part: &Path) -> anyhow::Result<(source::Span, String)> {
    let mut out = files::create_file(part)?;
    let mut hash = Sha256::new();
    let mut write = |bytes: &[u8]| -> anyhow::Result<()> {
        out.write_all(bytes)?;
        hash.update(bytes);
        job.advance(bytes.len() as u64);
        Ok(())
    };
    let (mut sequence, mut dts) = (0u32, 0u64);
    let span = source::read(job, |step| match step {
        source::Step::Init(init) => write(init),
        source::Step::Fragment(mut found) => {
            sequence += 1;
            let moof = found.moof;
            fmp4::rewrite_moof(&mut found.bytes[moof.start..moof.end], sequence, dts)
                .ok_or_else(|| anyhow::anyhow!("cannot renumber a fragment of {}", found.path.display()))?;
            dts += found.info.duration;
            write(&found.bytes)
        }
    })?;
    out.sync_all()?;
    Ok((span, hex::encode(hash.finalize())))
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

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
                watermark: None,
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
        assert!(run(&cancelled, &exports, &key).is_err());
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
        let manifest = run(&done, &exports, &SigningKey::from_bytes(&[9; 32])).unwrap();
        let file = std::fs::read(files::file_path(&exports, done.id)).unwrap();
        assert_eq!(manifest.sha256, manifest::sha256_hex(&file));
        assert_eq!(manifest.bytes, file.len() as u64);
        assert_eq!(done.expected_bytes(), file.len() as u64, "the storage cap counts the real size");
        assert_eq!(done.progress(), 1.0);
    }
}
