//! Pictures through FFmpeg's libraries: a keyframe decoded on its own and
//! encoded as JPEG, at its own size or scaled down. The media plane's
//! snapshots and the recorder's archive thumbnails both go through here.
//! Everything is CPU-bound: call it from a blocking task.
//!
//! [`decode`] decodes whole streams; [`scale`] converts their pictures to
//! packed luma or RGB, and [`gray`] to the small luma planes motion
//! detection works on.
//!
//! [`watermark`] re-encodes recorded footage with a watermark burnt in, for
//! the one kind of export that does not copy the recorded pictures.

pub mod decode;
pub mod gray;
pub mod scale;
pub mod watermark;

use ffmpeg_next::{
    Packet,
    codec::{self, Id},
    decoder, encoder,
    format::Pixel,
    software::scaling,
    util::frame::video::Video,
};
use vms_codec::{Codec, nal};

/// JPEG quantizer scale (2 is best, 31 worst); 3 is visually lossless for
/// surveillance pictures at a fraction of the size.
const JPEG_QSCALE: i32 = 3;

/// A JPEG picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jpeg {
    /// The JPEG file.
    pub data: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Why there is no picture.
#[derive(Debug, thiserror::Error)]
pub enum VideoError {
    /// The keyframe did not decode.
    #[error("the keyframe did not decode: {0}")]
    Decode(String),
    /// The JPEG encoder failed.
    #[error("JPEG encoding failed: {0}")]
    Encode(String),
}

/// Decodes a keyframe of `codec` (its NAL units length-prefixed, as MP4
/// samples and the frame link carry them) with the stream's
/// `parameter_sets` put ahead, so it decodes whether or not the camera
/// repeated them in-band, and encodes it as JPEG, scaled down to at most
/// `max_width` pixels wide (keeping its aspect, even dimensions) when given.
pub fn keyframe_jpeg<'a>(
    codec: Codec,
    parameter_sets: impl IntoIterator<Item = &'a [u8]>,
    picture: &[u8],
    max_width: Option<u32>,
) -> Result<Jpeg, VideoError> {
    let decoded = decode(codec, parameter_sets, picture)?;
    let (width, height) = scaled_size(decoded.width(), decoded.height(), max_width);
    let data = encode(&decoded, width, height).map_err(|e| VideoError::Encode(e.to_string()))?;
    Ok(Jpeg { data, width, height })
}

/// The size a `width` × `height` picture is scaled to so it is at most
/// `max_width` wide: the aspect kept, both sides even and at least 2.
fn scaled_size(width: u32, height: u32, max_width: Option<u32>) -> (u32, u32) {
    match max_width {
        Some(max) if max < width && width > 0 => {
            let w = (max.max(2)) & !1;
            let h = ((u64::from(height) * u64::from(w) / u64::from(width)) as u32).max(2) & !1;
            (w, h)
        }
        _ => (width, height),
    }
}

fn decode<'a>(
    codec: Codec,
    parameter_sets: impl IntoIterator<Item = &'a [u8]>,
    picture: &[u8],
) -> Result<Video, VideoError> {
    let fail = |e: ffmpeg_next::Error| VideoError::Decode(e.to_string());
    ffmpeg_next::init().map_err(fail)?;
    let id = match codec {
        Codec::H264 => Id::H264,
        Codec::H265 => Id::HEVC,
    };
    let found = decoder::find(id).ok_or_else(|| VideoError::Decode(format!("no {id:?} decoder")))?;
    let mut decoder = codec::Context::new_with_codec(found).decoder().video().map_err(fail)?;
    let nals =
        nal::split_length_prefixed(picture).ok_or_else(|| VideoError::Decode("malformed picture data".to_owned()))?;
    let mut units: Vec<&[u8]> = parameter_sets.into_iter().map(|p| -> &[u8] { p }).collect();
    units.extend(nals);
    let stream = nal::join_annex_b(units);
    decoder.send_packet(&Packet::copy(&stream)).map_err(fail)?;
    decoder.send_eof().map_err(fail)?;
    let mut decoded = Video::empty();
    decoder.receive_frame(&mut decoded).map_err(fail)?;
    Ok(decoded)
}

fn encode(picture: &Video, width: u32, height: u32) -> Result<Vec<u8>, ffmpeg_next::Error> {
    // Full-range 4:2:0, what JPEG viewers expect.
    let mut yuv = Video::empty();
    let mut scaler = scaling::Context::get(
        picture.format(),
        picture.width(),
        picture.height(),
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

/// Keeps FFmpeg's own log (which goes to stderr, around the service's
/// structured log) to errors: decoders, libx264 and the MP4 muxer otherwise
/// tell of every damaged picture and every file they make.
fn quiet_ffmpeg() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| ffmpeg_next::util::log::set_level(ffmpeg_next::util::log::Level::Error));
}

#[cfg(test)]
mod tests {
    use super::scaled_size;

    #[test]
    fn pictures_scale_down_keeping_their_aspect_with_even_sides() {
        assert_eq!(scaled_size(1920, 1080, Some(320)), (320, 180));
        assert_eq!(scaled_size(1280, 720, Some(321)), (320, 180));
        assert_eq!(scaled_size(640, 480, Some(1920)), (640, 480), "never scaled up");
        assert_eq!(scaled_size(640, 480, None), (640, 480));
        assert_eq!(scaled_size(4000, 10, Some(100)), (100, 2), "at least 2 high");
    }
}
