//! The I-frame-only playlist (`EXT-X-I-FRAMES-ONLY`, RFC 8216 §4.3.3.6) of
//! a window, for fast forward and rewind above 4×: one entry per fragment,
//! its `moof` and its first picture (every fragment starts with a
//! keyframe), lasting until the next fragment. Where the keyframe ends is
//! read from each fragment's `moof`, which the index does not hold.

use std::{
    fs::File,
    io::{Read, Seek, SeekFrom},
    path::Path,
};

use vms_catalog::recording::{Fragment, Segment};
use vms_codec::fmp4;

use super::{
    Archive,
    playlist::{self, Entry, Part},
};

/// Largest `moof` read: a fragment of a few hundred pictures needs a few KiB.
const MAX_MOOF: u64 = 1 << 20;

/// Where one fragment's keyframe lies: the byte range from its `moof`
/// through its first picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Keyframe {
    /// Start of the `moof`.
    pub offset: u64,
    /// Bytes from there through the first picture.
    pub len: u64,
    /// Bytes of the first picture, which end the range.
    pub sample_len: u64,
}

/// Finds where `fragment`'s keyframe lies in `file`; `None` if its `moof`
/// cannot be read or does not start with a keyframe.
pub(crate) fn keyframe_of(file: &mut File, fragment: &Fragment) -> std::io::Result<Option<Keyframe>> {
    let offset = fragment.byte_offset.max(0) as u64;
    let mut header = [0u8; 8];
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(&mut header)?;
    let size = u64::from(u32::from_be_bytes(header[..4].try_into().expect("4 bytes")));
    if &header[4..] != b"moof" || !(8..=MAX_MOOF).contains(&size) {
        return Ok(None);
    }
    let mut moof = vec![0u8; size as usize];
    moof[..8].copy_from_slice(&header);
    file.read_exact(&mut moof[8..])?;
    Ok(fmp4::parse_moof(&moof)
        .filter(|info| info.starts_with_keyframe && info.first_sample_len > 0)
        .map(|info| Keyframe {
            offset,
            len: info.data_offset + info.first_sample_len,
            sample_len: info.first_sample_len,
        })
        .filter(|k| k.len <= fragment.byte_len.max(0) as u64))
}

/// Finds the keyframe of each fragment of `fragments` in the file at `path`;
/// a fragment whose `moof` cannot be read (the file gone to retention, say,
/// or cut short) gets `None` and is left out, as are all of a file that
/// does not open.
fn locate(path: &Path, fragments: &[Fragment]) -> Vec<Option<Keyframe>> {
    let Ok(mut file) = File::open(path) else { return vec![None; fragments.len()] };
    fragments.iter().map(|f| keyframe_of(&mut file, f).ok().flatten()).collect()
}

/// Finds the keyframes of every part's fragments, reading the files off the
/// async runtime while holding `turn`; a file this recorder does not hold is left out. `None`
/// when no keyframe of the window could be read.
pub(crate) async fn locate_all(
    archive: &Archive,
    parts: &[Part<'_>],
    turn: tokio::sync::OwnedSemaphorePermit,
) -> Option<Vec<Vec<Option<Keyframe>>>> {
    let jobs: Vec<(Option<std::path::PathBuf>, Vec<Fragment>)> = parts
        .iter()
        .map(|part| (archive.file_of(part.segment), part.fragments.iter().map(|f| (*f).clone()).collect()))
        .collect();
    let located = tokio::task::spawn_blocking(move || {
        let _turn = turn;
        jobs.iter()
            .map(|(path, fragments)| match path {
                Some(path) => locate(path, fragments),
                None => vec![None; fragments.len()],
            })
            .collect::<Vec<_>>()
    })
    .await
    .ok()?;
    located.iter().flatten().any(Option::is_some).then_some(located)
}

/// Writes the I-frame playlist of `parts`, whose keyframes are `located`
/// (one list per part, one entry per fragment); `file_url` gives the URL of
/// a segment's file.
pub(crate) fn write(
    parts: &[Part<'_>],
    located: &[Vec<Option<Keyframe>>],
    file_url: impl Fn(&Segment) -> String,
) -> String {
    let files: Vec<_> = parts
        .iter()
        .zip(located)
        .map(|(part, keyframes)| {
            let entries = part
                .fragments
                .iter()
                .zip(keyframes)
                .filter_map(|(f, k)| k.map(|k| Entry { fragment: f, offset: k.offset, len: k.len }))
                .collect();
            (part.segment, part.init_len, entries)
        })
        .collect();
    playlist::write_entries(&files, true, file_url)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, TimeDelta};

    use super::*;

    #[test]
    fn each_entry_is_a_fragments_moof_and_keyframe() {
        let dir = tempfile::tempdir().unwrap();
        let mut entry = Vec::new();
        entry.extend_from_slice(&16u32.to_be_bytes());
        entry.extend_from_slice(b"avc1");
        entry.extend_from_slice(&[0; 8]);
        let mut file = fmp4::init_segment(&entry, 64, 64);
        let init_len = file.len() as i64;
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let (key, delta) = ([7u8; 300], [8u8; 40]);
        let mut fragments = Vec::new();
        for i in 0..3u32 {
            let samples = [
                fmp4::Sample { data: &key, duration: 45_000, composition_offset: 0, keyframe: true },
                fmp4::Sample { data: &delta, duration: 45_000, composition_offset: 0, keyframe: false },
            ];
            let bytes = fmp4::fragment(i + 1, u64::from(i) * 90_000, &samples);
            fragments.push(Fragment {
                seq: i as i32 + 1,
                start_time: t0 + TimeDelta::seconds(i64::from(i)),
                duration_ms: 1000,
                byte_offset: file.len() as i64,
                byte_len: bytes.len() as i32,
                keyframe: true,
                pictures: 2,
            });
            file.extend_from_slice(&bytes);
        }
        let path = dir.path().join("f.mp4");
        std::fs::write(&path, &file).unwrap();
        let refs: Vec<&Fragment> = fragments.iter().collect();
        let found = locate(&path, &fragments);
        for (f, k) in fragments.iter().zip(&found) {
            let k = k.expect("every fragment has its keyframe");
            assert_eq!(k.offset, f.byte_offset as u64);
            assert!(k.len < f.byte_len as u64, "the delta picture is left out");
            let end = (k.offset + k.len) as usize;
            assert_eq!(&file[end - 300..end], &key, "the range ends with the keyframe's data");
        }
        let segment = Segment {
            id: uuid::Uuid::nil(),
            camera_id: uuid::Uuid::nil(),
            stream_role: "main".into(),
            root: "/r".into(),
            path: "p.mp4".into(),
            start_time: t0,
            end_time: t0 + TimeDelta::seconds(3),
            bytes: file.len() as i64,
            codec: "avc1.64001f".into(),
            width: 64,
            height: 64,
            open: false,
            node_id: None,
        };
        let part = Part { segment: &segment, init_len, fragments: refs };
        let text = write(&[part], &[found], |_| "f.mp4".into());
        assert!(text.contains("#EXT-X-I-FRAMES-ONLY\n"), "{text}");
        assert_eq!(text.matches("#EXT-X-BYTERANGE:").count(), 3, "{text}");
        assert!(text.contains(&format!("#EXT-X-MAP:URI=\"f.mp4\",BYTERANGE=\"{init_len}@0\"")), "{text}");
    }

    #[test]
    fn a_fragment_that_is_no_moof_is_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("junk.mp4");
        std::fs::write(&path, vec![0u8; 4096]).unwrap();
        let f = Fragment {
            seq: 1,
            start_time: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
            duration_ms: 1000,
            byte_offset: 100,
            byte_len: 1000,
            keyframe: true,
            pictures: 1,
        };
        assert_eq!(locate(&path, &[f]), vec![None]);
        assert_eq!(locate(&dir.path().join("gone.mp4"), &[]), vec![], "a file that is gone");
    }
}
