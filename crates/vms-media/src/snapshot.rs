//! Snapshots: a stream's latest keyframe, decoded with FFmpeg and encoded as
//! JPEG at the picture's own size. Only a keyframe decodes on its own, so the
//! picture is at most one GOP old; a stream without one says so rather than
//! making up an image.

use chrono::{DateTime, Utc};
use ffmpeg_next::{
    Packet,
    codec::{self, Id},
    decoder, encoder,
    format::Pixel,
    software::scaling,
    util::frame::video::Video,
};
use vms_codec::{Codec, nal};

use crate::fanout::Frame;

/// JPEG quantizer scale (2 is best, 31 worst); 3 is visually lossless for
/// surveillance pictures at a fraction of the size.
const JPEG_QSCALE: i32 = 3;

/// A JPEG picture.
#[derive(Debug, Clone)]
pub struct Jpeg {
    /// The JPEG file.
    pub data: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// When the keyframe arrived.
    pub captured_at: DateTime<Utc>,
}

/// Why there is no snapshot.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// The stream has not delivered a keyframe since it (re)connected.
    #[error("no keyframe yet: the stream is connecting or offline")]
    NoKeyframe,
    /// The keyframe did not decode.
    #[error("the latest keyframe did not decode: {0}")]
    Decode(String),
    /// The JPEG encoder failed.
    #[error("JPEG encoding failed: {0}")]
    Encode(String),
}

/// Decodes `frame` (a keyframe) and encodes it as JPEG. CPU-bound: call it
/// from a blocking task.
pub fn to_jpeg(frame: &Frame) -> Result<Jpeg, SnapshotError> {
    let picture = decode(frame)?;
    let (width, height) = (picture.width(), picture.height());
    let data = encode(&picture).map_err(|e| SnapshotError::Encode(e.to_string()))?;
    Ok(Jpeg { data, width, height, captured_at: frame.arrived_at })
}

fn decode(frame: &Frame) -> Result<Video, SnapshotError> {
    let fail = |e: ffmpeg_next::Error| SnapshotError::Decode(e.to_string());
    ffmpeg_next::init().map_err(fail)?;
    let id = match frame.params.codec {
        Codec::H264 => Id::H264,
        Codec::H265 => Id::HEVC,
    };
    let codec = decoder::find(id).ok_or_else(|| SnapshotError::Decode(format!("no {id:?} decoder")))?;
    let mut decoder = codec::Context::new_with_codec(codec).decoder().video().map_err(fail)?;
    // Annex B with the parameter sets ahead, so the picture decodes whether
    // or not the camera repeated them in-band.
    let nals = nal::split_length_prefixed(&frame.data)
        .ok_or_else(|| SnapshotError::Decode("malformed picture data".to_owned()))?;
    let sets = frame.params.parameter_sets.iter().map(|p| &p[..]);
    let stream = nal::join_annex_b(sets.chain(nals));
    decoder.send_packet(&Packet::copy(&stream)).map_err(fail)?;
    decoder.send_eof().map_err(fail)?;
    let mut picture = Video::empty();
    decoder.receive_frame(&mut picture).map_err(fail)?;
    Ok(picture)
}

fn encode(picture: &Video) -> Result<Vec<u8>, ffmpeg_next::Error> {
    let (width, height) = (picture.width(), picture.height());
    // Full-range 4:2:0, what JPEG viewers expect.
    let mut yuv = Video::empty();
    let mut scaler = scaling::Context::get(
        picture.format(),
        width,
        height,
        Pixel::YUVJ420P,
        width,
        height,
        scaling::Flags::BILINEAR,
    )?;
    scaler.run(picture, &mut yuv)?;

    let codec = encoder::find(Id::MJPEG).ok_or(ffmpeg_next::Error::EncoderNotFound)?;
    let mut settings = codec::Context::new_with_codec(codec).encoder().video()?;
    settings.set_width(width);
    settings.set_height(height);
    settings.set_format(Pixel::YUVJ420P);
    settings.set_time_base((1, 25));
    // A fixed quantizer rather than a bit rate: one picture has no rate to keep.
    settings.set_flags(codec::Flags::QSCALE);
    settings.set_qmin(JPEG_QSCALE);
    settings.set_qmax(JPEG_QSCALE);
    let mut encoder = settings.open_as(codec)?;
    encoder.send_frame(&yuv)?;
    encoder.send_eof()?;
    let mut packet = Packet::empty();
    encoder.receive_packet(&mut packet)?;
    Ok(packet.data().map(<[u8]>::to_vec).unwrap_or_default())
}
