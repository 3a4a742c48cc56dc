//! Which bytes of a recording file a playlist's window opens: the init
//! segment and the fragments overlapping the window (the same fragments
//! the playlist lists), and nothing in between. Control passes the window
//! of the fragment ticket a player presents.

use chrono::{DateTime, Utc};
use vms_catalog::recording::Fragment;

use super::playlist;

/// Returns the byte spans `[a, b)` of a file that the window `[start,
/// end)` opens, merged where they touch, in order; empty when no fragment
/// overlaps it.
pub fn opened(fragments: &[Fragment], start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<(u64, u64)> {
    let inside = playlist::overlapping(fragments, start, end);
    let Some(first) = fragments.first() else { return Vec::new() };
    if inside.is_empty() {
        return Vec::new();
    }
    let init = (0, first.byte_offset.max(0) as u64);
    let mut spans: Vec<(u64, u64)> = vec![init];
    for f in inside {
        let (a, b) = (f.byte_offset.max(0) as u64, (f.byte_offset.max(0) as u64) + f.byte_len.max(0) as u64);
        match spans.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => spans.push((a, b)),
        }
    }
    spans
}

/// Answers whether the inclusive byte range `first..=last` lies within one span.
pub fn covers(spans: &[(u64, u64)], first: u64, last: u64) -> bool {
    spans.iter().any(|&(a, b)| a <= first && last < b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fragments() -> Vec<Fragment> {
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        (0..5)
            .map(|i| Fragment {
                seq: i + 1,
                start_time: t0 + chrono::TimeDelta::seconds(2 * i64::from(i)),
                duration_ms: 2000,
                byte_offset: 700 + 1000 * i64::from(i),
                byte_len: 1000,
                keyframe: true,
                pictures: 50,
            })
            .collect()
    }

    #[test]
    fn a_window_opens_the_init_segment_and_its_fragments_only() {
        let ms = 1_800_000_000_000;
        let at = |ms| DateTime::<Utc>::from_timestamp_millis(ms).unwrap();
        let spans = opened(&fragments(), at(ms + 3000), at(ms + 6000));
        assert_eq!(spans, vec![(0, 700), (1700, 3700)]);
        assert!(covers(&spans, 0, 699) && covers(&spans, 1700, 3699));
        assert!(!covers(&spans, 0, 700), "one byte into the first fragment");
        assert!(!covers(&spans, 2700, 3700), "one byte past the window");
        assert!(!covers(&spans, 700, 1699));

        let first = opened(&fragments(), at(ms), at(ms + 1));
        assert_eq!(first, vec![(0, 1700)], "the init segment and the first fragment touch");
        assert!(opened(&fragments(), at(ms + 10_000), at(ms + 20_000)).is_empty());
        assert!(opened(&[], at(ms), at(ms + 20_000)).is_empty());
    }
}
