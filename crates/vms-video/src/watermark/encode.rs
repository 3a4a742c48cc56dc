//! The encoding half: watermarked pictures into H.264 with libx264, muxed
//! by libavformat into an MP4 (its index at the front, so it plays while it
//! downloads). Each picture keeps its presentation time; the source's
//! keyframes stay keyframes, so the export seeks as the recording did.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
};

use ffmpeg_next::{
    Dictionary, Packet, Rational,
    codec::{self, threading},
    encoder, format,
    format::Pixel,
    picture,
    util::frame::video::Video,
};

use super::{Settings, WatermarkError};

/// x264's speed/size trade-off: a fast preset, since an export of hours
/// of footage should finish in well under that.
const PRESET: &str = "veryfast";
/// Constant rate factor: visually close to the source, as evidence should be,
/// within the bit rate cap.
const CRF: &str = "20";
/// Lowest bit rate cap, bits per second: even a very light source keeps legible text.
const MIN_BIT_RATE: u64 = 256_000;

fn encode_error(e: ffmpeg_next::Error) -> WatermarkError {
    WatermarkError::Encode(e.to_string())
}

pub(super) struct Output {
    path: PathBuf,
    muxer: format::context::Output,
    encoder: encoder::Video,
    time_base: Rational,
    stream_time_base: Rational,
    /// Pictures written.
    written: u64,
    /// How long the pictures sent and not yet written show, by presentation time.
    durations: HashMap<i64, u32>,
}

impl Output {
    /// Opens `path` for a `width` × `height` H.264 track whose pictures
    /// come as `YUV420P` with times in the 90 kHz clock, described by
    /// `like` (its colour space travels to the encoded stream).
    pub(super) fn create(path: &Path, like: &Video, settings: &Settings) -> Result<Self, WatermarkError> {
        let write = |e: ffmpeg_next::Error| WatermarkError::Write { path: path.to_owned(), detail: e.to_string() };
        if path.to_str().is_none() {
            return Err(WatermarkError::Write { path: path.to_owned(), detail: "the path is not UTF-8".to_owned() });
        }
        let mut muxer = format::output_as(path, "mp4").map_err(write)?;
        let global_header = muxer.format().flags().contains(format::Flags::GLOBAL_HEADER);
        let x264 = encoder::find_by_name("libx264").ok_or_else(|| {
            WatermarkError::Encode("FFmpeg has no libx264 encoder; install Debian's libavcodec".to_owned())
        })?;
        let time_base = Rational::new(1, i32::try_from(vms_codec::fmp4::TIMESCALE).expect("the timescale fits"));
        let mut context = codec::Context::new_with_codec(x264);
        context.set_threading(threading::Config { count: settings.threads.max(1), ..Default::default() });
        let mut video = context.encoder().video().map_err(encode_error)?;
        video.set_width(like.width());
        video.set_height(like.height());
        video.set_format(Pixel::YUV420P);
        video.set_time_base(time_base);
        video.set_frame_rate(Some(Rational::new(settings.frame_rate.max(1) as i32, 1)));
        // Without B-frames every picture is written as it comes, in the
        // order it is shown: its decoding time is its presentation time.
        video.set_max_b_frames(0);
        video.set_colorspace(like.color_space());
        video.set_color_primaries(like.color_primaries());
        video.set_color_transfer_characteristic(like.color_transfer_characteristic());
        if global_header {
            video.set_flags(codec::Flags::GLOBAL_HEADER);
        }
        let max_rate = settings.max_bit_rate.max(MIN_BIT_RATE);
        let mut options = Dictionary::new();
        options.set("preset", PRESET);
        options.set("crf", CRF);
        // A keyframe asked for (the source's) is an IDR picture, where a player can start.
        options.set("forced-idr", "1");
        options.set("maxrate", &max_rate.to_string());
        options.set("bufsize", &(2 * max_rate).to_string());
        let encoder = video.open_as_with(x264, options).map_err(encode_error)?;
        let mut stream = muxer.add_stream(x264).map_err(encode_error)?;
        stream.set_time_base(time_base);
        stream.set_parameters(&encoder);
        let mut header = Dictionary::new();
        header.set("movflags", "+faststart");
        muxer.write_header_with(header).map_err(write)?;
        let stream_time_base = muxer.stream(0).expect("the stream was just added").time_base();
        Ok(Self {
            path: path.to_owned(),
            muxer,
            encoder,
            time_base,
            stream_time_base,
            written: 0,
            durations: HashMap::new(),
        })
    }

    /// Encodes one picture (presentation time in its `pts`), a keyframe if
    /// `keyframe`, shown for `duration` (90 kHz; what the encoder does not
    /// carry, and the MP4 needs for its last picture).
    pub(super) fn send(&mut self, picture: &mut Video, keyframe: bool, duration: u32) -> Result<(), WatermarkError> {
        picture.set_kind(if keyframe { picture::Type::I } else { picture::Type::None });
        if let Some(pts) = picture.pts() {
            self.durations.insert(pts, duration);
        }
        self.encoder.send_frame(picture).map_err(encode_error)?;
        self.drain()
    }

    /// Flushes the encoder and finishes the file; returns the pictures written.
    pub(super) fn finish(mut self) -> Result<u64, WatermarkError> {
        self.encoder.send_eof().map_err(encode_error)?;
        self.drain()?;
        self.muxer.write_trailer().map_err(|e| self.write_error(e))?;
        Ok(self.written)
    }

    fn write_error(&self, e: ffmpeg_next::Error) -> WatermarkError {
        WatermarkError::Write { path: self.path.clone(), detail: e.to_string() }
    }

    fn drain(&mut self) -> Result<(), WatermarkError> {
        let mut packet = Packet::empty();
        loop {
            match self.encoder.receive_packet(&mut packet) {
                Ok(()) => {}
                Err(ffmpeg_next::Error::Eof) => return Ok(()),
                Err(ffmpeg_next::Error::Other { errno }) if errno == ffmpeg_next::util::error::EAGAIN => return Ok(()),
                Err(e) => return Err(encode_error(e)),
            }
            packet.set_stream(0);
            if let Some(duration) = packet.pts().and_then(|pts| self.durations.remove(&pts)) {
                packet.set_duration(duration.into());
            }
            packet.rescale_ts(self.time_base, self.stream_time_base);
            packet.set_position(-1);
            packet.write_interleaved(&mut self.muxer).map_err(|e| self.write_error(e))?;
            self.written += 1;
        }
    }
}
