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
    fragment_after(Vec::new(), sequence, base_dts, samples)
}

/// Like [`fragment`], written after `prefix` (other boxes) in one buffer.
pub fn fragment_after(prefix: Vec<u8>, sequence: u32, base_dts: u64, samples: &[Sample<'_>]) -> Vec<u8> {
    let payload: usize = samples.iter().map(|s| s.data.len()).sum();
    let mut out = prefix;
    out.reserve(120 + samples.len() * 16 + payload);
    let moof_start = out.len();
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
    let data_offset = (out.len() - moof_start + 8) as u32;
    out[data_offset_at..data_offset_at + 4].copy_from_slice(&data_offset.to_be_bytes());
    write_box(&mut out, b"mdat", |b| samples.iter().for_each(|s| b.extend_from_slice(s.data)));
    out
}

/// Writes a `prft` box (producer reference time, ISO/IEC 14496-12 §8.16.5)
/// for track 1: the picture at decoding time `media_time` was produced (here:
/// reached the VMS) at `ntp` ([`crate::ntp`]).
pub fn producer_reference_time(ntp: u64, media_time: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(32);
    write_full_box(&mut out, b"prft", 1, 0, |b| {
        u32s(b, &[1]);
        b.extend_from_slice(&ntp.to_be_bytes());
        b.extend_from_slice(&media_time.to_be_bytes());
    });
    out
}

/// Reads a `prft` box written by [`producer_reference_time`] (either
/// version): its NTP time and its media time.
pub fn parse_producer_reference_time(prft: &[u8]) -> Option<(u64, u64)> {
    if prft.get(4..8)? != b"prft" {
        return None;
    }
    let version = *prft.get(8)?;
    let ntp = be64(prft, 16)?;
    let media_time = if version == 1 { be64(prft, 24)? } else { u64::from(be32(prft, 24)?) };
    Some((ntp, media_time))
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

/// What a fragment's `moof` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MoofInfo {
    /// Sequence number.
    pub sequence: u32,
    /// Decoding time of its first picture.
    pub base_dts: u64,
    /// Sum of its pictures' durations.
    pub duration: u64,
    /// Number of pictures.
    pub samples: u32,
    /// Bytes of picture data it announces (what its `mdat` must hold).
    pub data_len: u64,
    /// Whether its first picture decodes on its own.
    pub starts_with_keyframe: bool,
    /// Size of its first picture's data.
    pub first_sample_len: u64,
    /// Where its first picture's data starts, from the start of the `moof`
    /// (the `trun` data offset; without one, just past the `mdat` header
    /// that follows the `moof`).
    pub data_offset: u64,
}

fn be32(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

fn be64(data: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(data.get(at..at + 8)?.try_into().ok()?))
}

fn child(data: &[u8], parent: BoxRef, kind: &[u8; 4]) -> Option<BoxRef> {
    children(data, parent).into_iter().find(|b| &b.kind == kind)
}

/// Reads a `moof` (the whole box, header included) of a single-track
/// fragment; `None` if it is not one this module could have written.
pub fn parse_moof(moof: &[u8]) -> Option<MoofInfo> {
    let (top, _) = boxes(moof);
    let moof_box = top.first().filter(|b| &b.kind == b"moof")?;
    let mfhd = child(moof, *moof_box, b"mfhd")?;
    let sequence = be32(moof, mfhd.start + 12)?;
    let traf = child(moof, *moof_box, b"traf")?;
    let tfdt = child(moof, traf, b"tfdt")?;
    let base_dts = match moof.get(tfdt.start + 8)? {
        1 => be64(moof, tfdt.start + 12)?,
        _ => u64::from(be32(moof, tfdt.start + 12)?),
    };
    let trun = child(moof, traf, b"trun")?;
    let flags = be32(moof, trun.start + 8)? & 0x00ff_ffff;
    let samples = be32(moof, trun.start + 12)?;
    let mut at = trun.start + 16;
    let mut data_offset = moof_box.end.checked_sub(moof_box.start)? as u64 + 8;
    if flags & 0x1 != 0 {
        data_offset = u64::from(be32(moof, at)?);
        at += 4;
    }
    let first_flags = if flags & 0x4 != 0 {
        at += 4;
        be32(moof, at - 4)
    } else {
        None
    };
    let per_sample = [0x100, 0x200, 0x400, 0x800].iter().filter(|f| flags & **f != 0).count() * 4;
    if per_sample == 0 || (samples as usize).checked_mul(per_sample)? > trun.end.checked_sub(at)? {
        return None;
    }
    let (mut duration, mut data_len, mut starts_with_keyframe) = (0u64, 0u64, None);
    let mut first_sample_len = None;
    for _ in 0..samples {
        let mut field = at;
        let mut next = |present: bool| -> Option<Option<u32>> {
            if !present {
                return Some(None);
            }
            let v = be32(moof, field)?;
            field += 4;
            Some(Some(v))
        };
        let d = next(flags & 0x100 != 0)?;
        let size = next(flags & 0x200 != 0)?;
        let sample_flags = next(flags & 0x400 != 0)?;
        let _cto = next(flags & 0x800 != 0)?;
        duration += u64::from(d.unwrap_or(0));
        data_len += u64::from(size.unwrap_or(0));
        first_sample_len.get_or_insert(u64::from(size.unwrap_or(0)));
        if starts_with_keyframe.is_none() {
            let f = sample_flags.or(first_flags).unwrap_or(0);
            // sample_is_non_sync_sample is bit 16.
            starts_with_keyframe = Some(f & 0x0001_0000 == 0);
        }
        at += per_sample;
    }
    Some(MoofInfo {
        sequence,
        base_dts,
        duration,
        samples,
        data_len,
        starts_with_keyframe: starts_with_keyframe?,
        first_sample_len: first_sample_len.unwrap_or(0),
        data_offset,
    })
}

/// Renumbers a `moof` (the whole box) in place: its `mfhd` sequence number
/// and its `tfdt` base decoding time, for fragments copied from several
/// files into one. `None` (and nothing changed) if it is not a single-track
/// fragment this module could have written.
pub fn rewrite_moof(moof: &mut [u8], sequence: u32, base_dts: u64) -> Option<()> {
    let (top, _) = boxes(moof);
    let moof_box = *top.first().filter(|b| &b.kind == b"moof")?;
    let mfhd = child(moof, moof_box, b"mfhd")?;
    let traf = child(moof, moof_box, b"traf")?;
    let tfdt = child(moof, traf, b"tfdt")?;
    let version = *moof.get(tfdt.start + 8)?;
    if mfhd.end < mfhd.start + 16 || tfdt.end < tfdt.start + if version == 1 { 20 } else { 16 } {
        return None;
    }
    moof[mfhd.start + 12..mfhd.start + 16].copy_from_slice(&sequence.to_be_bytes());
    if version == 1 {
        moof[tfdt.start + 12..tfdt.start + 20].copy_from_slice(&base_dts.to_be_bytes());
    } else {
        moof[tfdt.start + 12..tfdt.start + 16].copy_from_slice(&u32::try_from(base_dts).ok()?.to_be_bytes());
    }
    Some(())
}

/// What an init segment says about its track.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitInfo {
    /// RFC 6381 codec string (`avc1.PPCCLL` for H.264; `hvc1` for H.265).
    pub codec: String,
    /// Picture width.
    pub width: u32,
    /// Picture height.
    pub height: u32,
}

/// The sample entry of an init segment's track: its kind (`avc1`, `hvc1`…),
/// its width and height, and the boxes after its 86-byte VisualSampleEntry
/// (the decoder configuration among them).
fn sample_entry(init: &[u8]) -> Option<([u8; 4], u32, u32, &[u8])> {
    let (top, _) = boxes(init);
    let moov = top.iter().find(|b| &b.kind == b"moov")?;
    let trak = child(init, *moov, b"trak")?;
    let mdia = child(init, trak, b"mdia")?;
    let minf = child(init, mdia, b"minf")?;
    let stbl = child(init, minf, b"stbl")?;
    let stsd = child(init, stbl, b"stsd")?;
    // The entries follow the full box header and the entry count.
    let (entries, _) = boxes(init.get(stsd.start + 16..stsd.end)?);
    let entry = entries.first()?;
    let entry_at = stsd.start + 16 + entry.start;
    let width = u32::from(u16::from_be_bytes(init.get(entry_at + 32..entry_at + 34)?.try_into().ok()?));
    let height = u32::from(u16::from_be_bytes(init.get(entry_at + 34..entry_at + 36)?.try_into().ok()?));
    let body = init.get(entry_at + 86..stsd.start + 16 + entry.end)?;
    Some((entry.kind, width, height, body))
}

/// Reads an init segment (`ftyp` + `moov`) written by [`init_segment`].
pub fn parse_init(init: &[u8]) -> Option<InitInfo> {
    let (kind, width, height, body) = sample_entry(init)?;
    let codec = match &kind {
        b"avc1" | b"avc3" => {
            // avcC: version, then profile, compatibility, level.
            let (inner, _) = boxes(body);
            let avcc = inner.iter().find(|b| &b.kind == b"avcC")?;
            let p = body.get(avcc.start + 9..avcc.start + 12)?;
            format!("avc1.{:02X}{:02X}{:02X}", p[0], p[1], p[2])
        }
        other => String::from_utf8_lossy(other).into_owned(),
    };
    Some(InitInfo { codec, width, height })
}

/// The codec of an init segment's track and the parameter sets its decoder
/// configuration (`avcC` or `hvcC`) carries, in order (VPS, SPS, PPS), for
/// a decoder that takes them in-band; `None` for another codec or a
/// configuration that does not parse.
pub fn parameter_sets(init: &[u8]) -> Option<(crate::nal::Codec, Vec<Vec<u8>>)> {
    let (kind, _, _, body) = sample_entry(init)?;
    let (inner, _) = boxes(body);
    let read_sets = |data: &[u8], mut at: usize, count: usize, sets: &mut Vec<Vec<u8>>| -> Option<usize> {
        for _ in 0..count {
            let len = usize::from(u16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?));
            sets.push(data.get(at + 2..at + 2 + len)?.to_vec());
            at += 2 + len;
        }
        Some(at)
    };
    let mut sets = Vec::new();
    match &kind {
        b"avc1" | b"avc3" => {
            let avcc = inner.iter().find(|b| &b.kind == b"avcC")?;
            let config = body.get(avcc.start + 8..avcc.end)?;
            let sps = usize::from(*config.get(5)? & 0x1f);
            let at = read_sets(config, 6, sps, &mut sets)?;
            let pps = usize::from(*config.get(at)?);
            read_sets(config, at + 1, pps, &mut sets)?;
            Some((crate::nal::Codec::H264, sets))
        }
        b"hvc1" | b"hev1" => {
            let hvcc = inner.iter().find(|b| &b.kind == b"hvcC")?;
            let config = body.get(hvcc.start + 8..hvcc.end)?;
            let arrays = usize::from(*config.get(22)?);
            let mut at = 23;
            for _ in 0..arrays {
                let count = usize::from(u16::from_be_bytes(config.get(at + 1..at + 3)?.try_into().ok()?));
                at = read_sets(config, at + 3, count, &mut sets)?;
            }
            Some((crate::nal::Codec::H265, sets))
        }
        _ => None,
    }
}

/// One picture of a fragment, as [`fragment_samples`] finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleAt {
    /// Where its data (NAL units with 4-byte length prefixes) starts in the fragment.
    pub offset: usize,
    /// Its length.
    pub len: usize,
    /// Its decoding time: the fragment's base decoding time plus the
    /// durations of the pictures before it.
    pub dts: u64,
    /// Time until the next picture's decoding time, in ticks.
    pub duration: u32,
    /// Presentation time minus decoding time, in ticks.
    pub composition_offset: i32,
    /// Whether it decodes on its own.
    pub keyframe: bool,
}

/// Lists the pictures of one fragment (`moof` then `mdat`, as
/// [`fragment`] writes it) with where their data lies; `None` if the
/// fragment is not one this module could have written, or announces data
/// past its end.
pub fn fragment_samples(fragment: &[u8]) -> Option<Vec<SampleAt>> {
    let (top, _) = boxes(fragment);
    let moof_box = *top.first().filter(|b| &b.kind == b"moof")?;
    let mdat = top.get(1).filter(|b| &b.kind == b"mdat")?;
    let info = parse_moof(&fragment[moof_box.start..moof_box.end])?;
    let traf = child(fragment, moof_box, b"traf")?;
    let trun = child(fragment, traf, b"trun")?;
    let flags = be32(fragment, trun.start + 8)? & 0x00ff_ffff;
    // Duration and size are what the muxer always writes; without them
    // (defaults in `tfhd`) the fragment is not one of ours.
    if flags & 0x300 != 0x300 {
        return None;
    }
    let mut at = trun.start + 16 + if flags & 0x1 != 0 { 4 } else { 0 };
    let first_flags = if flags & 0x4 != 0 {
        at += 4;
        be32(fragment, at - 4)
    } else {
        None
    };
    let mut offset = moof_box.start.checked_add(usize::try_from(info.data_offset).ok()?)?;
    let mut dts = info.base_dts;
    let mut samples = Vec::with_capacity(info.samples as usize);
    for i in 0..info.samples {
        let duration = be32(fragment, at)?;
        let len = be32(fragment, at + 4)? as usize;
        at += 8;
        let sample_flags = if flags & 0x400 != 0 {
            at += 4;
            be32(fragment, at - 4)
        } else if i == 0 {
            first_flags
        } else {
            None
        };
        let composition_offset = if flags & 0x800 != 0 {
            at += 4;
            be32(fragment, at - 4)? as i32
        } else {
            0
        };
        let end = offset.checked_add(len)?;
        if offset < mdat.start + 8 || end > mdat.end {
            return None;
        }
        // sample_is_non_sync_sample is bit 16.
        let keyframe = sample_flags.is_some_and(|f| f & 0x0001_0000 == 0);
        samples.push(SampleAt { offset, len, dts, duration, composition_offset, keyframe });
        offset = end;
        dts = dts.checked_add(u64::from(duration))?;
    }
    Some(samples)
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
    fn producer_reference_time_carries_wall_clock_time() {
        for unix_micros in [0, 1_763_769_600_123_456, 1_763_769_600_999_999] {
            let ntp = crate::ntp::from_unix_micros(unix_micros);
            let prft = producer_reference_time(ntp, 90_000 * 3600);
            assert_eq!(kinds(&prft), ["prft"]);
            assert_eq!(prft.len(), 32);
            assert_eq!(parse_producer_reference_time(&prft), Some((ntp, 90_000 * 3600)));
        }
        assert_eq!(parse_producer_reference_time(b"\0\0\0\x20moof"), None);
        assert_eq!(parse_producer_reference_time(&producer_reference_time(5, 6)[..20]), None, "torn");
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

        // After a prft in the same buffer, the offset still counts from the moof.
        let after = fragment_after(producer_reference_time(1, 90_000), 7, 90_000, &samples);
        assert_eq!(kinds(&after), ["prft", "moof", "mdat"]);
        assert_eq!(&after[32..], &frag[..], "the same fragment, after the prft");
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

    #[test]
    fn fragments_and_init_segments_read_back() {
        let (a, b) = ([1u8; 10], [2u8; 7]);
        let samples = [
            Sample { data: &a, duration: 3600, composition_offset: 3600, keyframe: true },
            Sample { data: &b, duration: 3000, composition_offset: 0, keyframe: false },
        ];
        let frag = fragment(4, 123_456, &samples);
        let (top, _) = boxes(&frag);
        let info = parse_moof(&frag[top[0].start..top[0].end]).unwrap();
        assert_eq!(
            info,
            MoofInfo {
                sequence: 4,
                base_dts: 123_456,
                duration: 6600,
                samples: 2,
                data_len: 17,
                starts_with_keyframe: true,
                first_sample_len: 10,
                data_offset: info.data_offset,
            }
        );
        let first = top[0].start + info.data_offset as usize;
        assert_eq!(&frag[first..first + 10], &a, "the first picture's data is where the moof says");
        // avc1 with an avcC for High profile level 4.0.
        let mut entry = Vec::new();
        write_box(&mut entry, b"avc1", |e| {
            e.extend_from_slice(&[0; 24]);
            u16s(e, &[1920, 1080]);
            e.extend_from_slice(&[0; 50]);
            write_box(e, b"avcC", |c| c.extend_from_slice(&[1, 0x64, 0x00, 0x28, 0xff]));
        });
        let init = init_segment(&entry, 1920, 1080);
        assert_eq!(parse_init(&init), Some(InitInfo { codec: "avc1.640028".into(), width: 1920, height: 1080 }));
        assert_eq!(parameter_sets(&init), None, "an avcC without its parameter-set counts does not parse");
        let mut entry = Vec::new();
        write_box(&mut entry, b"avc1", |e| {
            e.extend_from_slice(&[0; 24]);
            u16s(e, &[64, 64]);
            e.extend_from_slice(&[0; 50]);
            write_box(e, b"avcC", |c| {
                c.extend_from_slice(&[1, 0x64, 0x00, 0x28, 0xff, 0xe1]);
                c.extend_from_slice(&[0, 3, 0x67, 0x64, 0x28]);
                c.extend_from_slice(&[1, 0, 2, 0x68, 0xee]);
            });
        });
        let sets = parameter_sets(&init_segment(&entry, 64, 64)).unwrap();
        assert_eq!(sets, (crate::nal::Codec::H264, vec![vec![0x67, 0x64, 0x28], vec![0x68, 0xee]]));
    }

    #[test]
    fn moofs_renumber_in_place() {
        let sample = [5u8; 9];
        let mut frag =
            fragment(3, 7200, &[Sample { data: &sample, duration: 3600, composition_offset: 0, keyframe: true }]);
        let (top, _) = boxes(&frag);
        let moof = top[0];
        rewrite_moof(&mut frag[moof.start..moof.end], 12, 900_000).unwrap();
        let info = parse_moof(&frag[moof.start..moof.end]).unwrap();
        assert_eq!((info.sequence, info.base_dts, info.duration), (12, 900_000, 3600));
        assert!(rewrite_moof(&mut [0u8; 16], 1, 1).is_none());
    }

    #[test]
    fn fragment_samples_lie_where_the_moof_says() {
        let (a, b, c) = ([1u8; 10], [2u8; 7], [3u8; 4]);
        let samples = [
            Sample { data: &a, duration: 3600, composition_offset: 7200, keyframe: true },
            Sample { data: &b, duration: 3000, composition_offset: 0, keyframe: false },
            Sample { data: &c, duration: 3600, composition_offset: 3600, keyframe: false },
        ];
        let frag = fragment_after(producer_reference_time(1, 2), 4, 90_000, &samples);
        let frag = &frag[32..];
        let found = fragment_samples(frag).unwrap();
        assert_eq!(found.len(), 3);
        for (at, s) in found.iter().zip(&samples) {
            assert_eq!(&frag[at.offset..at.offset + at.len], s.data);
            assert_eq!(
                (at.duration, at.composition_offset, at.keyframe),
                (s.duration, s.composition_offset, s.keyframe)
            );
        }
        assert_eq!(found.iter().map(|s| s.dts).collect::<Vec<_>>(), [90_000, 93_600, 96_600]);
        assert_eq!(fragment_samples(&frag[..frag.len() - 1]), None, "a torn mdat");
        let mut lying = frag.to_vec();
        // The first sample's size, in the trun, claims more than the mdat holds.
        let trun = lying.windows(4).position(|w| w == b"trun").unwrap() - 4;
        lying[trun + 24..trun + 28].copy_from_slice(&1000u32.to_be_bytes());
        assert_eq!(fragment_samples(&lying), None);
    }

    proptest::proptest! {
        #[test]
        fn reading_fragments_never_panics(data in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            let _ = parse_moof(&data);
            let _ = parse_init(&data);
            let _ = rewrite_moof(&mut data.clone(), 1, 1);
            let _ = fragment_samples(&data);
        }

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
