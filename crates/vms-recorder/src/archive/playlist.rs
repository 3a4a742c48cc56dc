//! Writing the HLS playlist of a time window.

use std::fmt::Write;

use chrono::{DateTime, SecondsFormat, Utc};
use vms_catalog::recording::{Fragment, Segment};

/// One file's part of the window: the segment and its fragments that overlap it.
pub struct Part<'a> {
    /// The segment.
    pub segment: &'a Segment,
    /// Length of its init segment (where its first fragment starts).
    pub init_len: i64,
    /// Its fragments that overlap the window, in order.
    pub fragments: Vec<&'a Fragment>,
}

/// Picks the fragments of `fragments` that overlap `[start, end)`. The first
/// starts at or before `start` (fragments start at keyframes), so playback
/// begins with a whole picture.
pub fn overlapping(fragments: &[Fragment], start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<&Fragment> {
    fragments
        .iter()
        .filter(|f| f.start_time < end && f.start_time + chrono::TimeDelta::milliseconds(f.duration_ms.into()) > start)
        .collect()
}

/// One entry of a playlist: a fragment, and the byte range of its file
/// that plays it (the whole fragment, or its keyframe alone).
pub struct Entry<'a> {
    /// The fragment.
    pub fragment: &'a Fragment,
    /// Where the range starts in the file.
    pub offset: u64,
    /// Its length.
    pub len: u64,
}

/// Writes a VOD playlist: each file after an `EXT-X-DISCONTINUITY`, with
/// its init segment as `EXT-X-MAP` and a byte range per fragment;
/// `file_url` gives the URL of a segment's file.
pub fn write(parts: &[Part<'_>], file_url: impl Fn(&Segment) -> String) -> String {
    let files: Vec<_> = parts
        .iter()
        .map(|p| {
            let entries = p
                .fragments
                .iter()
                .map(|f| Entry { fragment: f, offset: f.byte_offset.max(0) as u64, len: f.byte_len.max(0) as u64 })
                .collect();
            (p.segment, p.init_len, entries)
        })
        .collect();
    write_entries(&files, false, file_url)
}

/// Writes a VOD playlist of `files` (a segment, the length of its init
/// segment, its entries), `EXT-X-I-FRAMES-ONLY` when `iframes`; files
/// without entries are left out.
pub fn write_entries(
    files: &[(&Segment, i64, Vec<Entry<'_>>)],
    iframes: bool,
    file_url: impl Fn(&Segment) -> String,
) -> String {
    let longest = files.iter().flat_map(|f| &f.2).map(|e| e.fragment.duration_ms).max().unwrap_or(1000);
    let mut out = String::new();
    out.push_str("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-PLAYLIST-TYPE:VOD\n");
    out.push_str(if iframes { "#EXT-X-I-FRAMES-ONLY\n" } else { "#EXT-X-INDEPENDENT-SEGMENTS\n" });
    let _ = writeln!(out, "#EXT-X-TARGETDURATION:{}", (longest as u64).div_ceil(1000).max(1));
    out.push_str("#EXT-X-MEDIA-SEQUENCE:0\n");
    for (i, (segment, init_len, entries)) in files.iter().filter(|f| !f.2.is_empty()).enumerate() {
        let url = file_url(segment);
        if i > 0 {
            out.push_str("#EXT-X-DISCONTINUITY\n");
        }
        let _ = writeln!(out, "#EXT-X-MAP:URI=\"{url}\",BYTERANGE=\"{init_len}@0\"");
        for e in entries {
            let f = e.fragment;
            let _ =
                writeln!(out, "#EXT-X-PROGRAM-DATE-TIME:{}", f.start_time.to_rfc3339_opts(SecondsFormat::Millis, true));
            let _ = writeln!(out, "#EXTINF:{:.3},", f64::from(f.duration_ms) / 1000.0);
            let _ = writeln!(out, "#EXT-X-BYTERANGE:{}@{}", e.len, e.offset);
            let _ = writeln!(out, "{url}");
        }
    }
    out.push_str("#EXT-X-ENDLIST\n");
    out
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;
    use uuid::Uuid;

    use super::*;

    fn fragment(seq: i32, start: DateTime<Utc>, offset: i64) -> Fragment {
        Fragment {
            seq,
            start_time: start,
            duration_ms: 2000,
            byte_offset: offset,
            byte_len: 1000,
            keyframe: true,
            pictures: 50,
        }
    }

    #[test]
    fn the_playlist_starts_at_the_keyframe_before_the_window() {
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let at = |s: i64| t0 + TimeDelta::seconds(s);
        let fragments: Vec<Fragment> =
            (0..5).map(|i| fragment(i + 1, at(2 * i64::from(i)), 700 + 1000 * i64::from(i))).collect();
        let picked = overlapping(&fragments, at(3), at(6));
        assert_eq!(
            picked.iter().map(|f| f.seq).collect::<Vec<_>>(),
            vec![2, 3],
            "2 s..4 s holds 3 s; 4 s..6 s ends at 6 s"
        );
        let segment = Segment {
            id: Uuid::nil(),
            camera_id: Uuid::nil(),
            stream_role: "main".into(),
            root: "/r".into(),
            path: "p.mp4".into(),
            start_time: t0,
            end_time: at(10),
            bytes: 5700,
            codec: "avc1.64001f".into(),
            width: 1280,
            height: 720,
            open: false,
            node_id: None,
        };
        let text = write(&[Part { segment: &segment, init_len: 700, fragments: picked }], |_| "f.mp4".into());
        assert!(text.contains("#EXT-X-MAP:URI=\"f.mp4\",BYTERANGE=\"700@0\""), "{text}");
        assert!(text.contains("#EXT-X-BYTERANGE:1000@1700\nf.mp4\n"), "{text}");
        assert!(text.contains("#EXT-X-PROGRAM-DATE-TIME:2027-01-15T08:00:02.000Z"), "{text}");
        assert!(text.ends_with("#EXT-X-ENDLIST\n"));
    }
}
