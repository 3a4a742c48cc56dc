//! Media fixtures made on the spot: short H.264 and H.265 clips encoded by
//! the machine's ffmpeg (testsrc2, 25 fps, a keyframe every second, no
//! B-frames), and recording files of them in the recorder's layout (an
//! init segment whose `avcC`/`hvcC` carries the parameter sets, then one
//! fragment per GOP) with the index entries the recorder would write. A
//! missing ffmpeg fails the test with an install hint.

use std::process::{Command, Stdio};

use chrono::{DateTime, TimeDelta, Utc};
use vms_catalog::recording::Fragment;
use vms_codec::{Codec, fmp4, nal};

/// Pictures per second of every clip.
pub const FPS: u32 = 25;
/// 90 kHz ticks per picture.
pub const FRAME_TICKS: u32 = 90_000 / FPS;

/// One coded picture.
#[derive(Debug, Clone)]
pub struct Picture {
    /// Its NAL units, 4-byte length-prefixed, parameter sets left out.
    pub data: Vec<u8>,
    /// Whether it decodes on its own.
    pub keyframe: bool,
}

/// A short clip, in decoding (and presentation) order.
#[derive(Debug, Clone)]
pub struct Clip {
    /// Its codec.
    pub codec: Codec,
    /// Picture width.
    pub width: u32,
    /// Picture height.
    pub height: u32,
    /// Parameter sets, without start codes: (VPS,) SPS, PPS.
    pub parameter_sets: Vec<Vec<u8>>,
    /// The pictures, [`FRAME_TICKS`] apart.
    pub pictures: Vec<Picture>,
}

/// A recording file of a clip and what the index holds of it.
#[derive(Debug, Clone)]
pub struct Recording {
    /// The file.
    pub file: Vec<u8>,
    /// Length of its init segment.
    pub init_len: u64,
    /// Its fragments' index entries.
    pub fragments: Vec<Fragment>,
    /// RFC 6381 codec string, as the segment index keeps it.
    pub codec_string: String,
    /// Picture width.
    pub width: u32,
    /// Picture height.
    pub height: u32,
}

/// Encodes `frames` pictures of `width` × `height` test pattern with `codec`.
pub fn clip(codec: Codec, width: u32, height: u32, frames: u32) -> Clip {
    clip_of(codec, &format!("testsrc2=size={width}x{height}:rate={FPS}"), width, height, frames)
}

/// Encodes `frames` pictures of `width` × `height` made by the lavfi
/// filter graph `source` (which must produce that size at [`FPS`]) with `codec`.
pub fn clip_of(codec: Codec, source: &str, width: u32, height: u32, frames: u32) -> Clip {
    let gop = FPS.to_string();
    let mut ffmpeg = Command::new("ffmpeg");
    ffmpeg.args(["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", source]).args([
        "-frames:v",
        &frames.to_string(),
        "-pix_fmt",
        "yuv420p",
    ]);
    match codec {
        Codec::H264 => ffmpeg.args(["-c:v", "libx264", "-preset", "veryfast", "-bf", "0", "-g", &gop]).args([
            "-keyint_min",
            &gop,
            "-sc_threshold",
            "0",
            "-f",
            "h264",
            "-",
        ]),
        Codec::H265 => ffmpeg.args(["-c:v", "libx265", "-preset", "ultrafast", "-x265-params"]).args([
            &format!("keyint={gop}:min-keyint={gop}:bframes=0:scenecut=0:log-level=error"),
            "-f",
            "hevc",
            "-",
        ]),
    };
    let out = ffmpeg.stdin(Stdio::null()).output().expect("failed to run ffmpeg; install it (scripts/setup.sh)");
    assert!(out.status.success(), "ffmpeg failed: {}", String::from_utf8_lossy(&out.stderr));
    let nals = nal::split_annex_b(&out.stdout);
    let mut parameter_sets = Vec::new();
    let mut pictures = Vec::new();
    for unit in nal::access_units(codec, &nals) {
        for set in unit.iter().filter(|n| codec.parameter_set(n).is_some()) {
            if !parameter_sets.iter().any(|s: &Vec<u8>| s == set) {
                parameter_sets.push(set.to_vec());
            }
        }
        let keyframe = unit.iter().any(|n| codec.is_keyframe(n));
        let data = nal::join_length_prefixed(unit.iter().copied().filter(|n| codec.parameter_set(n).is_none()));
        pictures.push(Picture { data, keyframe });
    }
    assert_eq!(pictures.len(), frames as usize, "ffmpeg made {} pictures, not {frames}", pictures.len());
    Clip { codec, width, height, parameter_sets, pictures }
}

impl Clip {
    /// The MP4 sample entry: `avc1` with `avcC`, or `hvc1` with `hvcC`.
    pub fn sample_entry(&self) -> Vec<u8> {
        let sets = |kind: u8| -> Vec<&Vec<u8>> {
            self.parameter_sets.iter().filter(|s| self.codec.nal_type(s) == Some(kind)).collect()
        };
        let push_sets = |out: &mut Vec<u8>, sets: &[&Vec<u8>]| {
            for s in sets {
                out.extend_from_slice(&(s.len() as u16).to_be_bytes());
                out.extend_from_slice(s);
            }
        };
        let (kind, config_kind, config) = match self.codec {
            Codec::H264 => {
                let (sps, pps) = (sets(7), sets(8));
                let first = sps.first().expect("an H.264 clip has an SPS");
                let mut c = vec![1, first[1], first[2], first[3], 0xff, 0xe0 | sps.len() as u8];
                push_sets(&mut c, &sps);
                c.push(pps.len() as u8);
                push_sets(&mut c, &pps);
                (b"avc1", b"avcC", c)
            }
            Codec::H265 => {
                let sps = sets(33);
                let first = sps.first().expect("an H.265 clip has an SPS");
                // Version, then the SPS's profile, tier and level as they stand.
                let mut c = vec![1];
                c.extend((0..12).map(|i| first.get(3 + i).copied().unwrap_or(0)));
                // Segmentation, parallelism, 4:2:0, 8 bits, frame rate, 4-byte lengths.
                c.extend_from_slice(&[0xf0, 0x00, 0xfc, 0xfd, 0xf8, 0xf8, 0, 0, 0x0f]);
                c.push(3);
                for kind in [32u8, 33, 34] {
                    let these = sets(kind);
                    c.push(0x80 | kind);
                    c.extend_from_slice(&(these.len() as u16).to_be_bytes());
                    push_sets(&mut c, &these);
                }
                (b"hvc1", b"hvcC", c)
            }
        };
        let mut config_box = ((8 + config.len()) as u32).to_be_bytes().to_vec();
        config_box.extend_from_slice(config_kind);
        config_box.extend_from_slice(&config);
        let mut entry = Vec::new();
        entry.extend_from_slice(&((86 + config_box.len()) as u32).to_be_bytes());
        entry.extend_from_slice(kind);
        entry.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 1]);
        entry.extend_from_slice(&[0; 16]);
        entry.extend_from_slice(&(self.width as u16).to_be_bytes());
        entry.extend_from_slice(&(self.height as u16).to_be_bytes());
        entry.extend_from_slice(&[0, 0x48, 0, 0, 0, 0x48, 0, 0, 0, 0, 0, 0, 0, 1]);
        entry.extend_from_slice(&[0; 32]);
        entry.extend_from_slice(&[0, 0x18, 0xff, 0xff]);
        debug_assert_eq!(entry.len(), 86);
        entry.extend_from_slice(&config_box);
        entry
    }

    /// The clip as a recording file whose first picture was taken at
    /// `start`: one fragment per GOP, each starting with a keyframe.
    pub fn recording(&self, start: DateTime<Utc>) -> Recording {
        let mut file = fmp4::init_segment(&self.sample_entry(), self.width, self.height);
        let init_len = file.len() as u64;
        let mut gops: Vec<&[Picture]> = Vec::new();
        let mut from = 0;
        for i in 1..=self.pictures.len() {
            if i == self.pictures.len() || self.pictures[i].keyframe {
                gops.push(&self.pictures[from..i]);
                from = i;
            }
        }
        let mut fragments = Vec::with_capacity(gops.len());
        let mut done = 0u64;
        for (i, gop) in gops.iter().enumerate() {
            let samples: Vec<fmp4::Sample<'_>> = gop
                .iter()
                .map(|p| fmp4::Sample {
                    data: &p.data,
                    duration: FRAME_TICKS,
                    composition_offset: 0,
                    keyframe: p.keyframe,
                })
                .collect();
            let bytes = fmp4::fragment(i as u32 + 1, done * u64::from(FRAME_TICKS), &samples);
            fragments.push(Fragment {
                seq: i as i32 + 1,
                start_time: start + TimeDelta::milliseconds((done * 1000 / u64::from(FPS)) as i64),
                duration_ms: (gop.len() as u64 * 1000 / u64::from(FPS)) as i32,
                byte_offset: file.len() as i64,
                byte_len: bytes.len() as i32,
                keyframe: gop[0].keyframe,
                pictures: gop.len() as i32,
            });
            file.extend_from_slice(&bytes);
            done += gop.len() as u64;
        }
        let init = fmp4::parse_init(&file[..init_len as usize]).expect("the init segment reads back");
        Recording { file, init_len, fragments, codec_string: init.codec, width: self.width, height: self.height }
    }
}
