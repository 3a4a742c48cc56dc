//! The clips cameras loop: generated once with ffmpeg (never while serving),
//! stored as an Annex B elementary stream plus a timing file, and loaded into
//! memory as access units.
//!
//! Each clip is testsrc2 with its own timecode and frame number burnt in,
//! 25 fps, a keyframe every 2 s and, unless named `_bframes`, no B-frames.
//! The frame number is also drawn for machines ([`IndexStrip`]), so a viewer
//! can tell which picture it shows and, with [`crate::Camsim::sent_at`], how
//! long ago the simulator sent it.

use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::Arc,
};

use anyhow::{Context, bail};
use vms_codec::{Codec, nal};

/// Frame rate of every clip.
pub const FPS: u32 = 25;
/// RTP ticks per frame (90 kHz clock).
pub const FRAME_TICKS: i64 = 90_000 / FPS as i64;
/// Seconds per clip of the test pattern (cameras loop it).
pub const CLIP_SECONDS: u32 = 10;
/// Seconds per clip of real footage: the whole of the walkway (79.5 s), so
/// every person in it walks through (the analytics tests and the demo
/// count them crossing a line that nobody crosses in its first 10 s).
pub const FOOTAGE_SECONDS: u32 = 80;

/// Bumped whenever what `prepare` draws changes, so stale clips are redone.
const DRAWING_VERSION: u32 = 3;

/// Where a clip's frame number is drawn for machines: [`IndexStrip::BITS`]
/// squares side by side, bit 0 first, white for 1 and black for 0, near the
/// picture's bottom-left corner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexStrip {
    /// Side of each square, in pixels.
    pub square: u32,
    /// Left edge of the first square.
    pub left: u32,
    /// Top edge of the squares.
    pub top: u32,
}

impl IndexStrip {
    /// Bits drawn: enough for every picture of a clip.
    pub const BITS: u32 = 8;

    /// The strip of a picture `height` pixels high.
    pub fn for_height(height: u32) -> Self {
        let square = height / 20;
        Self { square, left: square, top: height - 2 * square }
    }

    /// The ffmpeg filters that draw frame number `n` (modulo 2^BITS).
    fn filters(self) -> String {
        let Self { square: s, left, top } = self;
        let mut filters = format!("drawbox=x={left}:y={top}:w={}:h={s}:color=black:t=fill", s * Self::BITS);
        for bit in 0..Self::BITS {
            let x = left + bit * s;
            filters.push_str(&format!(
                ",drawbox=x={x}:y={top}:w={s}:h={s}:color=white:t=fill:enable='mod(floor(n/{}),2)'",
                1u32 << bit
            ));
        }
        filters
    }
}

/// A clip the simulator can serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClipSpec {
    /// Name, also the default camera path.
    pub name: &'static str,
    /// Codec.
    pub codec: Codec,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
    /// Encoded with B-frames (so decoding order differs from display order).
    pub bframes: bool,
    /// Average bit rate, kbit/s.
    pub kbps: u32,
    /// Real footage the clip is made of (looped to the clip's length);
    /// none: the test pattern.
    pub footage: Option<&'static str>,
}

/// OpenCV's sample of people walking in a mall (Debian's opencv-doc).
pub const WALKWAY_FOOTAGE: &str = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";

/// Every clip the simulator knows.
pub const CATALOGUE: &[ClipSpec] = &[
    ClipSpec {
        name: "h264_720p",
        codec: Codec::H264,
        width: 1280,
        height: 720,
        bframes: false,
        kbps: 3000,
        footage: None,
    },
    ClipSpec {
        name: "h264_1080p",
        codec: Codec::H264,
        width: 1920,
        height: 1080,
        bframes: false,
        kbps: 3000,
        footage: None,
    },
    ClipSpec {
        name: "h265_720p",
        codec: Codec::H265,
        width: 1280,
        height: 720,
        bframes: false,
        kbps: 3000,
        footage: None,
    },
    ClipSpec {
        name: "h265_1080p",
        codec: Codec::H265,
        width: 1920,
        height: 1080,
        bframes: false,
        kbps: 3000,
        footage: None,
    },
    // A typical sub stream: what browsers that cannot decode H.265 play instead.
    ClipSpec {
        name: "h264_360p",
        codec: Codec::H264,
        width: 640,
        height: 360,
        bframes: false,
        kbps: 800,
        footage: None,
    },
    ClipSpec {
        name: "h264_720p_bframes",
        codec: Codec::H264,
        width: 1280,
        height: 720,
        bframes: true,
        kbps: 3000,
        footage: None,
    },
    // People walking, for analytics and the demo; needs Debian's opencv-doc.
    ClipSpec {
        name: "walkway_576p",
        codec: Codec::H264,
        width: 768,
        height: 576,
        bframes: false,
        kbps: 1500,
        footage: Some(WALKWAY_FOOTAGE),
    },
    // The load of the benchmarks: a typical 1080p camera main stream.
    ClipSpec {
        name: "h264_1080p_4mbps",
        codec: Codec::H264,
        width: 1920,
        height: 1080,
        bframes: false,
        kbps: 4000,
        footage: None,
    },
];

impl ClipSpec {
    /// Finds a clip by name.
    pub fn named(name: &str) -> Option<ClipSpec> {
        CATALOGUE.iter().copied().find(|c| c.name == name)
    }

    fn extension(self) -> &'static str {
        match self.codec {
            Codec::H264 => "264",
            Codec::H265 => "265",
        }
    }

    /// Where [`ClipSpec::prepare`] puts the clip's Annex B stream in `dir`.
    pub fn stream_path(self, dir: &Path) -> PathBuf {
        dir.join(format!("{}.v{DRAWING_VERSION}.{}", self.name, self.extension()))
    }

    fn timing_path(self, dir: &Path) -> PathBuf {
        dir.join(format!("{}.v{DRAWING_VERSION}.timing", self.name))
    }

    /// Returns the clip with the same codec at the other resolution (for a mid-stream change).
    pub fn other_resolution(self) -> Option<ClipSpec> {
        CATALOGUE.iter().copied().find(|c| {
            c.codec == self.codec
                && c.bframes == self.bframes
                && c.kbps == self.kbps
                && c.footage == self.footage
                && c.height != self.height
        })
    }

    /// Encodes the clip into `dir` unless it is there already.
    pub fn prepare(self, dir: &Path) -> anyhow::Result<()> {
        if self.stream_path(dir).exists() && self.timing_path(dir).exists() {
            return Ok(());
        }
        std::fs::create_dir_all(dir).with_context(|| format!("failed to create {}", dir.display()))?;
        let font = find_font().context("no TrueType font found; install fonts-dejavu-core")?;
        // Concurrent preparations (tests in one process) each work apart; the
        // final renames are atomic, so the last to finish simply replaces the same clip.
        let tmp = dir.join(format!(".{}.{}.{:x}", self.name, std::process::id(), rand::random::<u64>()));
        std::fs::create_dir_all(&tmp)?;
        let mkv = tmp.join("clip.mkv");
        let text = format!(
            "drawtext=fontfile={}:text='{} %{{pts\\:hms}} #%{{frame_num}}':x=24:y=24:fontsize={}:fontcolor=white:box=1:boxcolor=black@0.6,{}",
            font.display(),
            self.name,
            self.height / 16,
            IndexStrip::for_height(self.height).filters()
        );
        let gop = (2 * FPS).to_string();
        let mut encode = Command::new("ffmpeg");
        encode.args(["-hide_banner", "-loglevel", "error", "-y"]);
        let filters = match self.footage {
            Some(footage) => {
                if !Path::new(footage).is_file() {
                    bail!("{footage} is missing; install Debian's opencv-doc (scripts/setup.sh does)");
                }
                encode.args(["-stream_loop", "-1", "-i", footage]);
                format!("fps={FPS},scale={}:{},{text}", self.width, self.height)
            }
            None => {
                encode
                    .args(["-f", "lavfi", "-i"])
                    .arg(format!("testsrc2=size={}x{}:rate={FPS}", self.width, self.height));
                text
            }
        };
        let seconds = if self.footage.is_some() { FOOTAGE_SECONDS } else { CLIP_SECONDS };
        encode.args(["-vf", &filters, "-t", &seconds.to_string(), "-pix_fmt", "yuv420p"]);
        let bframes = if self.bframes { "2" } else { "0" };
        let bitrate = format!("{}k", self.kbps);
        match self.codec {
            Codec::H264 => encode.args([
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-profile:v",
                "main",
                "-bf",
                bframes,
                "-g",
                &gop,
                "-keyint_min",
                &gop,
                "-sc_threshold",
                "0",
                "-b:v",
                &bitrate,
            ]),
            Codec::H265 => encode.args([
                "-c:v",
                "libx265",
                "-preset",
                "ultrafast",
                "-b:v",
                &bitrate,
                "-x265-params",
                &format!("keyint={gop}:min-keyint={gop}:bframes={bframes}:scenecut=0:log-level=error"),
            ]),
        };
        run(encode.arg(&mkv), "ffmpeg (encode)")?;
        let (bsf, format) = match self.codec {
            Codec::H264 => ("h264_mp4toannexb", "h264"),
            Codec::H265 => ("hevc_mp4toannexb", "hevc"),
        };
        let stream = tmp.join("clip.es");
        run(
            Command::new("ffmpeg")
                .args(["-hide_banner", "-loglevel", "error", "-y", "-i"])
                .arg(&mkv)
                .args(["-c", "copy", "-bsf:v", bsf, "-f", format])
                .arg(&stream),
            "ffmpeg (extract)",
        )?;
        let timing = Command::new("ffprobe")
            .args(["-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts,dts", "-of", "csv=p=0"])
            .arg(&mkv)
            .output()
            .context("failed to run ffprobe; install ffmpeg")?;
        if !timing.status.success() {
            bail!("ffprobe failed: {}", String::from_utf8_lossy(&timing.stderr));
        }
        std::fs::write(tmp.join("clip.timing"), &timing.stdout)?;
        // Timing first: a clip counts as prepared once its stream exists.
        std::fs::rename(tmp.join("clip.timing"), self.timing_path(dir))?;
        std::fs::rename(&stream, self.stream_path(dir))?;
        let _ = std::fs::remove_dir_all(&tmp);
        Ok(())
    }
}

fn run(cmd: &mut Command, what: &str) -> anyhow::Result<()> {
    let out = cmd.output().with_context(|| format!("failed to run {what}; install ffmpeg"))?;
    if !out.status.success() {
        bail!("{what} failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(())
}

fn find_font() -> Option<PathBuf> {
    ["/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// One picture of a clip.
#[derive(Debug, Clone)]
pub struct AccessUnit {
    /// NAL units, without start codes.
    pub nals: Vec<Arc<[u8]>>,
    /// Presentation time in 90 kHz ticks from the clip's start.
    pub pts: i64,
    /// Decoding time in 90 kHz ticks from the clip's start.
    pub dts: i64,
    /// Whether it decodes on its own.
    pub keyframe: bool,
}

/// A clip in memory.
#[derive(Debug)]
pub struct Clip {
    /// What it is.
    pub spec: ClipSpec,
    /// Its pictures in decoding order.
    pub units: Vec<AccessUnit>,
    /// Parameter sets from its first keyframe (for SDP).
    pub parameter_sets: Vec<Arc<[u8]>>,
    /// Length of one loop in 90 kHz ticks.
    pub duration: i64,
}

impl Clip {
    /// Loads a prepared clip from `dir`.
    pub fn load(spec: ClipSpec, dir: &Path) -> anyhow::Result<Clip> {
        let path = spec.stream_path(dir);
        let bytes = std::fs::read(&path).with_context(|| format!("failed to read {}", path.display()))?;
        let nals = nal::split_annex_b(&bytes);
        let grouped = nal::access_units(spec.codec, &nals);
        let timing = std::fs::read_to_string(spec.timing_path(dir))?;
        // Presentation times, in decoding order, in milliseconds (Matroska's unit).
        let pts: Vec<i64> = timing
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                l.split(',')
                    .next()
                    .and_then(|v| v.trim().parse::<i64>().ok())
                    .map(|ms| ms * 90)
                    .ok_or_else(|| anyhow::anyhow!("malformed timing line `{l}`"))
            })
            .collect::<anyhow::Result<_>>()?;
        if pts.len() != grouped.len() {
            bail!(
                "{}: {} pictures but {} timestamps; delete the clip to regenerate it",
                spec.name,
                grouped.len(),
                pts.len()
            );
        }
        // Matroska keeps no decoding times; at a constant rate they are one frame
        // apart, delayed just enough that no picture decodes after it is shown.
        let delay = pts.iter().enumerate().map(|(i, p)| i as i64 * FRAME_TICKS - p).max().unwrap_or(0).max(0);
        let times: Vec<(i64, i64)> =
            pts.iter().enumerate().map(|(i, p)| (*p, i as i64 * FRAME_TICKS - delay)).collect();
        let base = times.iter().map(|(_, dts)| *dts).min().unwrap_or(0);
        let units: Vec<AccessUnit> = grouped
            .iter()
            .zip(&times)
            .map(|(au, (pts, dts))| AccessUnit {
                keyframe: au.iter().any(|n| spec.codec.is_keyframe(n)),
                nals: au.iter().map(|n| Arc::from(*n)).collect(),
                pts: pts - base,
                dts: dts - base,
            })
            .collect();
        let first_key = units.iter().find(|u| u.keyframe).context("clip has no keyframe")?;
        let parameter_sets = first_key.nals.iter().filter(|n| spec.codec.parameter_set(n).is_some()).cloned().collect();
        let duration = units.len() as i64 * FRAME_TICKS;
        Ok(Clip { spec, units, parameter_sets, duration })
    }
}
