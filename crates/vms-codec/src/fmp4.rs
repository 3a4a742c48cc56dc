//! Fragmented MP4 (ISO/IEC 14496-12) for one video track: the init segment
//! (`ftyp` + `moov`) that heads a recording file, and media fragments
//! (`moof` + `mdat`), one per group of pictures.
//!
//! The codec-specific sample entry (`avc1` with `avcC`, `hvc1` with `hvcC`)
//! comes ready-made from the caller, who learned it from the stream. Times
//! are in the 90 kHz RTP clock.

/// Ticks per second of the track's timescale.
pub const TIMESCALE: u32 = 90_000;

/// One picture of a fragment.
#[derive(Debug, Clone, Copy)]
pub struct Sample<'a> {
    /// The coded picture: NAL units with 4-byte length prefixes.
    pub data: &'a [u8],
    /// Time until the next picture's decoding time, in ticks.
    pub duration: u32,
    /// Presentation time minus decoding time, in ticks (non-zero with B-frames).
    pub composition_offset: i32,
    /// Whether it decodes on its own.
    pub keyframe: bool,
}

/// `sample_depends_on` = 2 (depends on no other picture).
const SYNC_SAMPLE: u32 = 0x0200_0000;
/// `sample_depends_on` = 1, `sample_is_non_sync_sample` = 1.
const NON_SYNC_SAMPLE: u32 = 0x0101_0000;
/// `tfhd`: data offsets are relative to the `moof`.
const DEFAULT_BASE_IS_MOOF: u32 = 0x02_0000;
/// `trun`: data offset, then per sample its duration, size, flags and composition offset.
const TRUN_FLAGS: u32 = 0x00_0001 | 0x00_0100 | 0x00_0200 | 0x00_0400 | 0x00_0800;

/// A unity transformation matrix (tkhd, mvhd).
const MATRIX: [u32; 9] = [0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000];

/// Writes a box: its size and type, then what `body` writes.
fn write_box(out: &mut Vec<u8>, kind: &[u8; 4], body: impl FnOnce(&mut Vec<u8>)) {
    let start = out.len();
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(kind);
    body(out);
    let size = u32::try_from(out.len() - start).expect("a box under 4 GiB");
    out[start..start + 4].copy_from_slice(&size.to_be_bytes());
}

/// Writes a full box: a box starting with a version and flags.
fn write_full_box(out: &mut Vec<u8>, kind: &[u8; 4], version: u8, flags: u32, body: impl FnOnce(&mut Vec<u8>)) {
    write_box(out, kind, |out| {
        out.extend_from_slice(&((u32::from(version) << 24) | (flags & 0x00ff_ffff)).to_be_bytes());
        body(out);
    });
}

fn u16s(out: &mut Vec<u8>, values: &[u16]) {
    values.iter().for_each(|v| out.extend_from_slice(&v.to_be_bytes()));
}

fn u32s(out: &mut Vec<u8>, values: &[u32]) {
    values.iter().for_each(|v| out.extend_from_slice(&v.to_be_bytes()));
}

/// Writes the init segment of a video track of `width`×`height` whose
/// pictures `sample_entry` (a whole `avc1`/`hvc1` box) describes.
pub fn init_segment(sample_entry: &[u8], width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(700 + sample_entry.len());
    write_box(&mut out, b"ftyp", |b| {
        b.extend_from_slice(b"iso5");
        u32s(b, &[512]);
        for brand in [b"iso5", b"iso6", b"isom", b"mp41"] {
            b.extend_from_slice(brand);
        }
    });
    write_box(&mut out, b"moov", |b| {
        write_full_box(b, b"mvhd", 0, 0, |b| {
            u32s(b, &[0, 0, TIMESCALE, 0, 0x0001_0000]);
            u16s(b, &[0x0100, 0]);
            u32s(b, &[0, 0]);
            u32s(b, &MATRIX);
            u32s(b, &[0; 6]);
            u32s(b, &[2]);
        });
        write_box(b, b"trak", |b| {
            write_full_box(b, b"tkhd", 0, 0x3, |b| {
                u32s(b, &[0, 0, 1, 0, 0, 0, 0]);
                u16s(b, &[0, 0, 0, 0]);
                u32s(b, &MATRIX);
                u32s(b, &[width << 16, height << 16]);
            });
            write_box(b, b"mdia", |b| {
                write_full_box(b, b"mdhd", 0, 0, |b| {
                    u32s(b, &[0, 0, TIMESCALE, 0]);
                    // Language "und", packed ISO-639-2/T.
                    u16s(b, &[0x55c4, 0]);
                });
                write_full_box(b, b"hdlr", 0, 0, |b| {
                    u32s(b, &[0]);
                    b.extend_from_slice(b"vide");
                    u32s(b, &[0, 0, 0]);
                    b.extend_from_slice(b"VideoHandler\0");
                });
                write_box(b, b"minf", |b| {
                    write_full_box(b, b"vmhd", 0, 1, |b| u16s(b, &[0, 0, 0, 0]));
                    write_box(b, b"dinf", |b| {
                        write_full_box(b, b"dref", 0, 0, |b| {
                            u32s(b, &[1]);
                            write_full_box(b, b"url ", 0, 1, |_| {});
                        });
                    });
                    write_box(b, b"stbl", |b| {
                        write_full_box(b, b"stsd", 0, 0, |b| {
                            u32s(b, &[1]);
                            b.extend_from_slice(sample_entry);
                        });
                        write_full_box(b, b"stts", 0, 0, |b| u32s(b, &[0]));
                        write_full_box(b, b"stsc", 0, 0, |b| u32s(b, &[0]));
                        write_full_box(b, b"stsz", 0, 0, |b| u32s(b, &[0, 0]));
                        write_full_box(b, b"stco", 0, 0, |b| u32s(b, &[0]));
                    });
                });
            });
        });
        write_box(b, b"mvex", |b| {
            write_full_box(b, b"trex", 0, 0, |b| u32s(b, &[1, 1, 0, 0, 0]));
        });
    });
    out
}

/// Writes one media fragment: `moof` (fragment `sequence`, starting at
/// decoding time `base_dts`) and the `mdat` holding `samples`.
pub fn fragment(sequence: u32, base_dts: u64, samples: &[Sample<'_>]) -> Vec<u8> {
    let payload: usize = samples.iter().map(|s| s.data.len()).sum();
    let mut out = Vec::with_capacity(120 + samples.len() * 16 + payload);
    let mut data_offset_at = 0;
    write_box(&mut out, b"moof", |b| {
        write_full_box(b, b"mfhd", 0, 0, |b| u32s(b, &[sequence]));
        write_box(b, b"traf", |b| {
            write_full_box(b, b"tfhd", 0, DEFAULT_BASE_IS_MOOF, |b| u32s(b, &[1]));
            write_full_box(b, b"tfdt", 1, 0, |b| b.extend_from_slice(&base_dts.to_be_bytes()));
            // Version 1: composition offsets are signed.
            write_full_box(b, b"trun", 1, TRUN_FLAGS, |b| {
                u32s(b, &[samples.len() as u32]);
                data_offset_at = b.len();
                u32s(b, &[0]);
                for s in samples {
                    let flags = if s.keyframe { SYNC_SAMPLE } else { NON_SYNC_SAMPLE };
                    u32s(b, &[s.duration, s.data.len() as u32, flags]);
                    b.extend_from_slice(&s.composition_offset.to_be_bytes());
                }
            });
        });
    });
    // The first sample starts right after the moof and the mdat's header.
    let data_offset = (out.len() + 8) as u32;
    out[data_offset_at..data_offset_at + 4].copy_from_slice(&data_offset.to_be_bytes());
    write_box(&mut out, b"mdat", |b| samples.iter().for_each(|s| b.extend_from_slice(s.data)));
    out
}

/// A box found by [`boxes`]: its type and where it lies in the buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoxRef {
    /// The four-character type.
    pub kind: [u8; 4],
    /// Offset of its header.
    pub start: usize,
    /// Offset just past its end.
    pub end: usize,
}

/// Lists the top-level boxes of `data` as far as they are whole; the second
/// value is where the first incomplete or malformed box starts (the end of
/// `data` when all are whole), which is where a torn file should be cut.
pub fn boxes(data: &[u8]) -> (Vec<BoxRef>, usize) {
    let mut found = Vec::new();
    let mut at = 0;
    while data.len() - at >= 8 {
        let size32 = u32::from_be_bytes(data[at..at + 4].try_into().expect("4 bytes"));
        let kind: [u8; 4] = data[at + 4..at + 8].try_into().expect("4 bytes");
        let size = match size32 {
            // A 64-bit size follows the type.
            1 if data.len() - at >= 16 => u64::from_be_bytes(data[at + 8..at + 16].try_into().expect("8 bytes")),
            // To the end of the file: only a writer that stopped mid-box leaves this.
            0 | 1 => break,
            n => u64::from(n),
        };
        let Some(end) = usize::try_from(size).ok().and_then(|s| at.checked_add(s)) else { break };
        if size < 8 || end > data.len() {
            break;
        }
        found.push(BoxRef { kind, start: at, end });
        at = end;
    }
    (found, at)
}

/// Returns the child boxes of a container box's body.
pub fn children(data: &[u8], container: BoxRef) -> Vec<BoxRef> {
    let body = container.start + 8;
    let (inner, _) = boxes(&data[body..container.end]);
    inner.into_iter().map(|b| BoxRef { start: b.start + body, end: b.end + body, ..b }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(data: &[u8]) -> Vec<String> {
        boxes(data).0.iter().map(|b| String::from_utf8_lossy(&b.kind).into_owned()).collect()
    }

    #[test]
    fn init_segment_nests_the_sample_entry_in_moov() {
        let entry = {
            let mut e = Vec::new();
            write_box(&mut e, b"avc1", |b| b.extend_from_slice(&[7; 20]));
            e
        };
        let init = init_segment(&entry, 1920, 1080);
        assert_eq!(kinds(&init), ["ftyp", "moov"]);
        let (top, end) = boxes(&init);
        assert_eq!(end, init.len());
        let moov: Vec<String> =
            children(&init, top[1]).iter().map(|b| String::from_utf8_lossy(&b.kind).into_owned()).collect();
        assert_eq!(moov, ["mvhd", "trak", "mvex"]);
        assert!(init.windows(entry.len()).any(|w| w == entry), "the sample entry is inside");
    }

    #[test]
    fn fragment_offsets_point_at_the_first_sample() {
        let (a, b) = ([1u8, 2, 3], [4u8, 5]);
        let samples = [
            Sample { data: &a, duration: 3600, composition_offset: 0, keyframe: true },
            Sample { data: &b, duration: 3600, composition_offset: 3600, keyframe: false },
        ];
        let frag = fragment(7, 90_000, &samples);
        let (top, end) = boxes(&frag);
        assert_eq!((kinds(&frag), end), (vec!["moof".to_owned(), "mdat".to_owned()], frag.len()));
        let mdat = top[1];
        assert_eq!(&frag[mdat.start + 8..mdat.end], &[1, 2, 3, 4, 5]);
        // trun's data offset (relative to the moof) lands on the mdat's payload.
        let trun = frag.windows(4).position(|w| w == b"trun").unwrap() - 4;
        let offset = u32::from_be_bytes(frag[trun + 16..trun + 20].try_into().unwrap()) as usize;
        assert_eq!(offset, mdat.start + 8);
    }

    #[test]
    fn a_torn_tail_is_found_where_the_last_whole_box_ends() {
        let sample = [9u8; 100];
        let one = fragment(1, 0, &[Sample { data: &sample, duration: 3600, composition_offset: 0, keyframe: true }]);
        let mut file = one.clone();
        file.extend_from_slice(&one[..one.len() - 10]);
        let (found, end) = boxes(&file);
        assert_eq!(found.len(), 3, "moof, mdat and the second moof");
        assert_eq!(end, found[2].end, "the cut falls after the last whole box");
        assert!(boxes(&[0, 0, 0, 0, b'm', b'd', b'a', b't']).0.is_empty(), "size 0 is never whole");
    }

    proptest::proptest! {
        #[test]
        fn box_walking_never_panics(data in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            let (found, end) = boxes(&data);
            proptest::prop_assert!(end <= data.len());
            for b in found {
                proptest::prop_assert!(b.start < b.end && b.end <= data.len());
                let _ = children(&data, b);
            }
        }
    }
}
