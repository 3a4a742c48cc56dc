//! LL-HLS playlists (RFC 8216bis): the multivariant playlist naming one
//! viewing session's media playlist, and the media playlist of a segmenter.

use std::fmt::Write;

use chrono::SecondsFormat;

use super::segmenter::Segmenter;

/// Complete segments whose parts are still listed (older ones are listed whole).
const PARTS_FOR: usize = 2;

/// The multivariant playlist: one variant, the session's media playlist.
pub(crate) fn multivariant(session: &str, codec: &str, width: u32, height: u32) -> String {
    format!(
        "#EXTM3U\n#EXT-X-VERSION:9\n#EXT-X-INDEPENDENT-SEGMENTS\n\
         #EXT-X-STREAM-INF:BANDWIDTH=4000000,CODECS=\"{codec}\",RESOLUTION={width}x{height}\n\
         s/{session}/media.m3u8\n"
    )
}

/// The media playlist of the segments in `s`'s window.
pub(crate) fn media(s: &Segmenter) -> String {
    let part_target = s.part_target();
    let target_duration = s.segments.iter().map(|seg| seg.duration()).fold(1.0_f64, f64::max).ceil() as u64;
    let first = s.segments.front().map_or(0, |seg| seg.msn);
    let mut out = String::with_capacity(4096);
    let _ = write!(
        out,
        "#EXTM3U\n#EXT-X-VERSION:9\n#EXT-X-TARGETDURATION:{target_duration}\n\
         #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK={:.3}\n\
         #EXT-X-PART-INF:PART-TARGET={part_target:.3}\n\
         #EXT-X-MEDIA-SEQUENCE:{first}\n#EXT-X-DISCONTINUITY-SEQUENCE:{}\n",
        part_target * 3.0,
        s.discontinuity_sequence,
    );
    let complete = s.segments.iter().filter(|seg| seg.complete).count();
    for (i, seg) in s.segments.iter().enumerate() {
        if seg.discontinuity && i > 0 {
            out.push_str("#EXT-X-DISCONTINUITY\n");
        }
        if i == 0 || seg.discontinuity {
            let _ = writeln!(out, "#EXT-X-MAP:URI=\"init{}.mp4\"", seg.init);
        }
        let _ =
            writeln!(out, "#EXT-X-PROGRAM-DATE-TIME:{}", seg.started_at.to_rfc3339_opts(SecondsFormat::Millis, true));
        if !seg.complete || i + PARTS_FOR >= complete {
            for (p, part) in seg.parts.iter().enumerate() {
                let independent = if part.independent { ",INDEPENDENT=YES" } else { "" };
                let _ = writeln!(
                    out,
                    "#EXT-X-PART:DURATION={:.5},URI=\"part{}.{p}.m4s\"{independent}",
                    part.duration, seg.msn
                );
            }
        }
        if seg.complete {
            let _ = write!(out, "#EXTINF:{:.5},\nseg{}.m4s\n", seg.duration(), seg.msn);
        }
    }
    if let Some((msn, part)) = s.next_part() {
        let _ = writeln!(out, "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"part{msn}.{part}.m4s\"");
    }
    out
}
