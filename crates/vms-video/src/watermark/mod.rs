//! Watermarked re-encoding, the one case an export does not copy the
//! recorded pictures: every picture is decoded (H.264 or H.265), the
//! watermark (who exported it, when, and the camera) is burnt into it, and
//! it is encoded again as H.264 into an MP4, keeping its presentation time.
//!
//! The text is drawn with a small built-in bitmap font into the picture's
//! planes ([`overlay`]), not with libavfilter's `drawtext`: that would add
//! libavfilter, FreeType and a font file to every recorder's install, a
//! path to configure and a failure when it is missing, for text that only
//! needs to be legible. The font covers printable ASCII; other characters
//! show as `?` (the signed manifest holds the exact text).
//!
//! Everything is CPU-bound and a long export takes minutes: run it on a
//! blocking thread, a few at most at once.
//!
//! ```ignore
//! let mut reencoder = Reencoder::new(&out, Codec::H265, &parameter_sets, &text, settings)?;
//! for picture in pictures {
//!     reencoder.push(&picture)?;
//! }
//! let summary = reencoder.finish()?;
//! ```

mod encode;
mod font;
mod overlay;

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
};

use ffmpeg_next::{format::Pixel, software::scaling, util::frame::video::Video};
use vms_codec::Codec;

use crate::decode::{Coded, DecodeError, Decoder};

/// What is burnt into the pictures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// Who exported the footage.
    pub user: String,
    /// When, RFC 3339.
    pub time: String,
    /// The camera's name.
    pub camera: String,
}

impl Text {
    /// The lines drawn.
    pub fn lines(&self) -> Vec<String> {
        vec![format!("user: {}", self.user), format!("time: {}", self.time), format!("camera: {}", self.camera)]
    }
}

/// How to encode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// About how many pictures a second come (what rate control plans for).
    pub frame_rate: u32,
    /// Bits per second the encoder keeps under (the source's rate, so the
    /// export comes out about the source's size); at least 256 kbit/s.
    pub max_bit_rate: u64,
    /// Encoder threads.
    pub threads: usize,
}

/// One recorded picture, in decoding order.
#[derive(Debug, Clone, Copy)]
pub struct Picture<'a> {
    /// NAL units with 4-byte length prefixes (an MP4 sample).
    pub data: &'a [u8],
    /// Decoding time, 90 kHz.
    pub dts: i64,
    /// Presentation time, 90 kHz.
    pub pts: i64,
    /// How long it shows, 90 kHz (the last picture's length is the file's end).
    pub duration: u32,
    /// Whether it decodes on its own.
    pub keyframe: bool,
}

/// What a finished re-encode made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Pictures written.
    pub pictures: u64,
    /// Their width.
    pub width: u32,
    /// Their height.
    pub height: u32,
    /// Where the watermark's box lies in them: left, top, width, height.
    pub area: Option<(u32, u32, u32, u32)>,
}

/// Why a watermarked re-encode failed.
#[derive(Debug, thiserror::Error)]
pub enum WatermarkError {
    /// A recorded picture did not decode: malformed, refused by the
    /// decoder, or damaged.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// Fewer pictures decoded than went in (the decoder dropped damaged ones).
    #[error("only {decoded} of the {pictures} recorded pictures decoded; the footage is damaged")]
    Missing {
        /// Pictures decoded.
        decoded: u64,
        /// Pictures given.
        pictures: u64,
    },
    /// The pictures are too small to carry the text: exporting them would
    /// give footage without the watermark its manifest promises.
    #[error("the pictures ({width}x{height}) are too small to carry the watermark")]
    TooSmall {
        /// Picture width.
        width: u32,
        /// Picture height.
        height: u32,
    },
    /// A picture changed size mid-stream.
    #[error("the picture size changed from {from:?} to {to:?} mid-export")]
    SizeChanged {
        /// Size of the first picture.
        from: (u32, u32),
        /// Size of the picture that differs.
        to: (u32, u32),
    },
    /// The encoder failed.
    #[error("failed to encode the watermarked pictures: {0}")]
    Encode(String),
    /// The MP4 could not be written.
    #[error("failed to write {}: {detail}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The error.
        detail: String,
    },
}

/// A re-encode in progress: pictures go in with [`Reencoder::push`], the
/// file is finished by [`Reencoder::finish`]. Dropped unfinished, it leaves
/// an incomplete file for the caller to delete.
pub struct Reencoder {
    path: PathBuf,
    lines: Vec<String>,
    settings: Settings,
    decoder: Decoder,
    /// Opened at the first decoded picture, whose size it takes.
    output: Option<Opened>,
    pushed: u64,
    decoded: u64,
    /// How long each picture not yet encoded shows, by presentation time.
    durations: HashMap<i64, u32>,
}

/// The encoding side once the picture size is known.
struct Opened {
    output: encode::Output,
    size: (u32, u32),
    /// Converts every decoded picture into an owned `YUV420P` picture (the
    /// decoder's own may still be referenced by the pictures after it).
    scaler: scaling::Context,
    from: Pixel,
    overlay: Option<overlay::Overlay>,
}

impl Reencoder {
    /// Starts a re-encode of `codec` pictures whose parameter sets (from
    /// the recording's `avcC`/`hvcC`) are `parameter_sets`, into an MP4 at
    /// `path` (created or truncated when the first picture decodes).
    pub fn new(
        path: &Path,
        codec: Codec,
        parameter_sets: &[Vec<u8>],
        text: &Text,
        settings: Settings,
    ) -> Result<Self, WatermarkError> {
        Ok(Self {
            path: path.to_owned(),
            lines: text.lines(),
            settings,
            decoder: Decoder::new(codec, parameter_sets.iter().map(Vec::as_slice))?,
            output: None,
            pushed: 0,
            decoded: 0,
            durations: HashMap::new(),
        })
    }

    /// Decodes one picture and writes those the decoder gives back, watermarked.
    pub fn push(&mut self, picture: &Picture<'_>) -> Result<(), WatermarkError> {
        let coded = Coded { data: picture.data, pts: picture.pts, dts: Some(picture.dts), keyframe: picture.keyframe };
        self.decoder.send(&coded)?;
        self.durations.insert(picture.pts, picture.duration);
        self.pushed += 1;
        self.drain()
    }

    /// Decodes and writes the pictures still held, and finishes the file.
    pub fn finish(mut self) -> Result<Summary, WatermarkError> {
        self.decoder.send_eof()?;
        self.drain()?;
        if self.decoded != self.pushed {
            return Err(WatermarkError::Missing { decoded: self.decoded, pictures: self.pushed });
        }
        let opened = self.output.ok_or(WatermarkError::Missing { decoded: 0, pictures: self.pushed })?;
        let area = opened.overlay.as_ref().map(overlay::Overlay::area);
        let pictures = opened.output.finish()?;
        Ok(Summary { pictures, width: opened.size.0, height: opened.size.1, area })
    }

    fn drain(&mut self) -> Result<(), WatermarkError> {
        while let Some(decoded) = self.decoder.receive()? {
            self.decoded += 1;
            self.write(&decoded)?;
        }
        Ok(())
    }

    fn write(&mut self, decoded: &Video) -> Result<(), WatermarkError> {
        let size = (decoded.width(), decoded.height());
        let opened = match &mut self.output {
            Some(opened) => opened,
            None => {
                let overlay = overlay::Overlay::new(&self.lines, size.0, size.1)
                    .ok_or(WatermarkError::TooSmall { width: size.0, height: size.1 })?;
                let scaler = scaler(decoded)?;
                let output = encode::Output::create(&self.path, decoded, &self.settings)?;
                self.output.insert(Opened { output, size, scaler, from: decoded.format(), overlay: Some(overlay) })
            }
        };
        if size != opened.size {
            return Err(WatermarkError::SizeChanged { from: opened.size, to: size });
        }
        if decoded.format() != opened.from {
            opened.scaler = scaler(decoded)?;
            opened.from = decoded.format();
        }
        let mut picture = Video::new(Pixel::YUV420P, size.0, size.1);
        opened.scaler.run(decoded, &mut picture).map_err(|e| WatermarkError::Encode(e.to_string()))?;
        if let Some(overlay) = &opened.overlay {
            overlay.draw(&mut picture);
        }
        let pts = decoded.timestamp().or(decoded.pts());
        picture.set_pts(pts);
        let duration = pts.and_then(|p| self.durations.remove(&p)).unwrap_or(0);
        opened.output.send(&mut picture, decoded.is_key(), duration)
    }
}

/// A converter from `decoded`'s format to `YUV420P` at the same size.
fn scaler(decoded: &Video) -> Result<scaling::Context, WatermarkError> {
    scaling::Context::get(
        decoded.format(),
        decoded.width(),
        decoded.height(),
        Pixel::YUV420P,
        decoded.width(),
        decoded.height(),
        scaling::Flags::POINT,
    )
    .map_err(|e| WatermarkError::Encode(format!("cannot convert {:?} pictures: {e}", decoded.format())))
}
