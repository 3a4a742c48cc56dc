//! Watermarked exports: the window's pictures are decoded, the watermark
//! control gave (user, export time, camera) is burnt into each, and they
//! are encoded again as H.264 into one MP4 ([`vms_video::watermark`]),
//! each keeping its presentation time on the same continuous timeline a
//! plain export has. Progress counts pictures. The encoder is held to the
//! footage's own bit rate, so the file comes out about the footage's size
//! (what the storage cap counted when the export was admitted); a file
//! that grows well past that is stopped.
//!
//! Re-encoding takes every core it is given for as long as the window
//! plays or longer, so the registry runs one at a time
//! ([`REENCODES_AT_ONCE`]) on a blocking thread, with half the cores.

use std::{io, path::Path};

use anyhow::Context;
use chrono::{SecondsFormat, TimeDelta};
use sha2::{Digest, Sha256};
use vms_codec::fmp4;
use vms_video::watermark::{Picture, Reencoder, Settings, Text};

use super::{files, job::Job, manifest::Watermark, source};

/// Watermarked exports re-encoded at once on this recorder; others wait their turn.
pub const REENCODES_AT_ONCE: usize = 1;
/// Most encoder threads one re-encode takes.
const MAX_THREADS: usize = 4;

/// How far past the footage's size the watermarked file may grow: a quarter, and 1 MiB.
fn size_limit(expected: u64) -> u64 {
    expected + expected / 4 + (1 << 20)
}

/// Encoder settings for `job`'s footage: its frame rate and bit rate, as
/// the index tells them.
fn settings(job: &Job) -> Settings {
    let fragments = || job.request.pieces.iter().flat_map(|p| &p.fragments);
    let millis: u64 = fragments().map(|f| u64::try_from(f.duration_ms).unwrap_or(0)).sum::<u64>().max(1);
    let pictures: u64 = fragments().map(|f| u64::try_from(f.pictures).unwrap_or(0)).sum();
    let bytes: u64 = fragments().map(|f| u64::try_from(f.byte_len).unwrap_or(0)).sum();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    Settings {
        frame_rate: u32::try_from((pictures * 1000).div_ceil(millis)).unwrap_or(u32::MAX).max(1),
        max_bit_rate: bytes.saturating_mul(8 * 1000) / millis,
        threads: (cores / 2).clamp(1, MAX_THREADS),
    }
}

/// Re-encodes `job`'s footage with `watermark` burnt in into `part`;
/// returns the span of the footage and the file's SHA-256, hex.
pub(super) fn reencode(job: &Job, part: &Path, watermark: &Watermark) -> anyhow::Result<(source::Span, String)> {
    let text = Text {
        user: watermark.user.clone(),
        time: watermark.time.to_rfc3339_opts(SecondsFormat::Secs, true),
        camera: watermark.camera.clone(),
    };
    let settings = settings(job);
    let limit = size_limit(job.expected_bytes());
    let mut reencoder: Option<Reencoder> = None;
    // The timeline of the export: each fragment starts where the one before ended.
    let mut timeline = 0u64;
    let span = source::read(job, |step| match step {
        source::Step::Init(init) => {
            let (codec, parameter_sets) = fmp4::parameter_sets(init).ok_or_else(|| {
                anyhow::anyhow!("the recording describes no H.264 or H.265 stream that can be decoded")
            })?;
            // Made here, private, before FFmpeg opens it.
            files::create_file(part)?;
            reencoder = Some(Reencoder::new(part, codec, &parameter_sets, &text, settings)?);
            Ok(())
        }
        source::Step::Fragment(found) => {
            let reencoder = reencoder.as_mut().expect("the init segment comes first");
            let f = found.index;
            let moof_at = found.moof.start;
            let samples = fmp4::fragment_samples(&found.bytes[moof_at..]).ok_or_else(|| {
                anyhow::anyhow!(
                    "the fragment of {} at byte {} is damaged: its pictures do not lie where it says",
                    found.path.display(),
                    f.byte_offset
                )
            })?;
            for s in &samples {
                let into = s.dts.saturating_sub(found.info.base_dts);
                let dts = i64::try_from(timeline + into)?;
                let picture = Picture {
                    data: &found.bytes[moof_at + s.offset..moof_at + s.offset + s.len],
                    dts,
                    pts: dts + i64::from(s.composition_offset),
                    duration: s.duration,
                    keyframe: s.keyframe,
                };
                reencoder.push(&picture).with_context(|| {
                    let at = f.start_time + TimeDelta::microseconds((into * 1000 / 90) as i64);
                    format!("failed to watermark the picture recorded at {}", at.to_rfc3339())
                })?;
                job.advance(1);
            }
            timeline += found.info.duration;
            let written = std::fs::metadata(part)?.len();
            if written > limit {
                anyhow::bail!(
                    "the watermarked file outgrew the footage ({written} bytes written of {} recorded); export a shorter window",
                    job.expected_bytes()
                );
            }
            Ok(())
        }
    })?;
    let summary = reencoder.take().expect("a window with footage has an init segment").finish()?;
    tracing::debug!(export = %job.id, pictures = summary.pictures, "watermarked export encoded");
    let mut file = std::fs::File::open(part)?;
    file.sync_all()?;
    let mut hash = Sha256::new();
    io::copy(&mut file, &mut hash)?;
    Ok((span, hex::encode(hash.finalize())))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use chrono::{DateTime, Utc};
    use ed25519_dalek::SigningKey;
    use uuid::Uuid;
    use vms_codec::Codec;
    use vms_testkit::media;

    use super::*;
    use crate::archive::export::{
        job::{self, Piece, Request},
        manifest,
    };

    fn start() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap()
    }

    /// A recording of `frames` pictures of `codec` in `dir`: fragments of 25 pictures.
    fn recording(dir: &Path, codec: Codec, frames: u32) -> Piece {
        let recorded = media::clip(codec, 320, 240, frames).recording(start());
        let path = dir.join("recording.mp4");
        std::fs::write(&path, &recorded.file).unwrap();
        Piece { path, init_len: recorded.init_len, fragments: recorded.fragments }
    }

    fn watermarked(piece: Piece) -> Job {
        let mark = Watermark { user: "alice".into(), time: start() + TimeDelta::days(3), camera: "Gate".into() };
        Job::new(
            Uuid::new_v4(),
            Request {
                tenant_id: Uuid::new_v4(),
                camera_id: Uuid::new_v4(),
                camera_name: "Gate".into(),
                stream: "main".into(),
                start: start(),
                end: start() + TimeDelta::hours(1),
                user_id: Uuid::new_v4(),
                username: "alice".into(),
                watermark: Some(mark),
                pieces: vec![piece],
            },
        )
    }

    fn ffprobe(path: &Path) -> serde_json::Value {
        let out = std::process::Command::new("ffprobe")
            .args(["-v", "error", "-count_frames", "-select_streams", "v:0", "-of", "json"])
            .args(["-show_entries", "stream=codec_name,nb_read_frames:format=duration"])
            .arg(path)
            .output()
            .expect("failed to run ffprobe; install ffmpeg");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn left_behind(exports: &Path, id: Uuid) -> Vec<PathBuf> {
        [files::file_path(exports, id), files::part_path(exports, id), files::manifest_path(exports, id)]
            .into_iter()
            .filter(|p| p.exists())
            .collect()
    }

    #[test]
    fn watermarked_exports_are_h264_with_every_picture_and_say_so_signed() {
        for codec in [Codec::H264, Codec::H265] {
            let dir = tempfile::tempdir().unwrap();
            let exports = dir.path().join("exports");
            let key = SigningKey::from_bytes(&[9; 32]);
            let done = watermarked(recording(dir.path(), codec, 60));
            assert_eq!(done.progress(), 0.0);
            let made = job::run(&done, &exports, &key).unwrap();
            assert_eq!(done.progress(), 1.0, "60 pictures of 60");

            let path = files::file_path(&exports, done.id);
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
                assert_eq!(mode, 0o600, "FFmpeg wrote into the private file made for it");
            }
            let probe = ffprobe(&path);
            assert_eq!(probe["streams"][0]["codec_name"], "h264", "{codec:?}: {probe}");
            assert_eq!(probe["streams"][0]["nb_read_frames"], "60", "{codec:?}: {probe}");
            let duration: f64 = probe["format"]["duration"].as_str().unwrap().parse().unwrap();
            assert!((duration - 2.4).abs() < 0.05, "{codec:?}: {duration} s");

            let signed = std::fs::read(files::manifest_path(&exports, done.id)).unwrap();
            let file = std::fs::read(&path).unwrap();
            let verified = manifest::verify(&signed, &file, &key.verifying_key()).unwrap();
            assert_eq!(verified, made);
            let mark = verified.watermark.expect("the manifest says it is watermarked");
            assert_eq!((mark.user.as_str(), mark.camera.as_str()), ("alice", "Gate"));
            assert_eq!((verified.video_start, verified.video_end), (start(), start() + TimeDelta::milliseconds(2400)));
            assert!(made.bytes < size_limit(done.expected_bytes()), "{} bytes", made.bytes);
        }
    }

    #[test]
    fn a_damaged_fragment_fails_the_export_with_where_and_why() {
        let dir = tempfile::tempdir().unwrap();
        let exports = dir.path().join("exports");
        let key = SigningKey::from_bytes(&[9; 32]);
        let piece = recording(dir.path(), Codec::H264, 60);
        let second = piece.fragments[1].clone();
        let original = std::fs::read(&piece.path).unwrap();

        // The second fragment's moof is overwritten.
        let mut file = original.clone();
        let at = second.byte_offset as usize;
        file[at..at + 16].fill(0xee);
        std::fs::write(&piece.path, &file).unwrap();
        let failed = watermarked(piece.clone());
        let e = format!("{:#}", job::run(&failed, &exports, &key).unwrap_err());
        assert!(e.contains(&format!("no whole fragment at byte {at}")), "{e}");
        assert_eq!(left_behind(&exports, failed.id), Vec::<PathBuf>::new());

        // A picture of it claims more data than it has.
        let mut file = original.clone();
        let samples = fmp4::fragment_samples(&file[at..at + second.byte_len as usize]).unwrap();
        let third = at + samples[2].offset;
        file[third..third + 4].copy_from_slice(&u32::MAX.to_be_bytes());
        std::fs::write(&piece.path, &file).unwrap();
        let failed = watermarked(piece.clone());
        let e = format!("{:#}", job::run(&failed, &exports, &key).unwrap_err());
        let when = (second.start_time + TimeDelta::milliseconds(80)).to_rfc3339();
        assert!(e.contains(&format!("failed to watermark the picture recorded at {when}")), "{e}");
        assert!(e.contains("malformed"), "{e}");
        // The first fragment's 25 pictures and two of the second's were done.
        assert!((failed.progress() - 27.0 / 60.0).abs() < 1e-9, "{}", failed.progress());
        assert_eq!(left_behind(&exports, failed.id), Vec::<PathBuf>::new());
    }
}
