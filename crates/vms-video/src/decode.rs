//! A streaming decoder: coded pictures (length-prefixed NAL units, as MP4
//! samples and the frame link carry them) in decoding order, raw pictures
//! out. The stream's parameter sets go ahead of every keyframe, so the
//! pictures decode whether or not the camera repeated them in-band. Times
//! pass through in the 90 kHz clock. Watermarked exports and the analytics
//! plane both decode through here.

use ffmpeg_next::{
    Packet,
    codec::{self, Id, packet},
    decoder,
    util::frame::video::Video,
};
use vms_codec::{Codec, nal};

/// Why a picture did not decode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The picture is not a sequence of length-prefixed NAL units.
    #[error("the picture at {pts} (90 kHz) is malformed: {detail}")]
    Malformed {
        /// Its presentation time.
        pts: i64,
        /// What is wrong.
        detail: String,
    },
    /// The decoder refused it.
    #[error("the footage did not decode{}: {detail}", at(*pts))]
    Refused {
        /// Presentation time of the picture, when known.
        pts: Option<i64>,
        /// The decoder's error.
        detail: String,
    },
    /// A picture decoded with damage concealed.
    #[error("the footage is damaged{}: a picture decoded with errors", at(*pts))]
    Damaged {
        /// Presentation time of the picture, when known.
        pts: Option<i64>,
    },
}

fn at(pts: Option<i64>) -> String {
    pts.map(|p| format!(" at {p} (90 kHz)")).unwrap_or_default()
}

/// One coded picture handed to [`Decoder::send`].
#[derive(Debug, Clone, Copy)]
pub struct Coded<'a> {
    /// NAL units with 4-byte length prefixes.
    pub data: &'a [u8],
    /// Presentation time, 90 kHz.
    pub pts: i64,
    /// Decoding time, 90 kHz, when known.
    pub dts: Option<i64>,
    /// Whether it decodes on its own.
    pub keyframe: bool,
}

/// A decoder for one stream; single-threaded, so a plane decoding many
/// streams spreads them over its own threads.
pub struct Decoder {
    inner: decoder::Video,
    /// The parameter sets, Annex B.
    parameter_sets: Vec<u8>,
}

impl Decoder {
    /// Opens a decoder for `codec` pictures whose parameter sets (without
    /// start codes) are `parameter_sets`.
    pub fn new<'a>(codec: Codec, parameter_sets: impl IntoIterator<Item = &'a [u8]>) -> Result<Self, DecodeError> {
        let fail = |e: ffmpeg_next::Error| DecodeError::Refused { pts: None, detail: e.to_string() };
        ffmpeg_next::init().map_err(fail)?;
        crate::quiet_ffmpeg();
        let id = match codec {
            Codec::H264 => Id::H264,
            Codec::H265 => Id::HEVC,
        };
        let found = decoder::find(id)
            .ok_or_else(|| DecodeError::Refused { pts: None, detail: format!("FFmpeg has no {id:?} decoder") })?;
        let mut context = codec::Context::new_with_codec(found);
        context.set_time_base((1, i32::try_from(vms_codec::fmp4::TIMESCALE).expect("the timescale fits")));
        let inner = context.decoder().video().map_err(fail)?;
        Ok(Self { inner, parameter_sets: nal::join_annex_b(parameter_sets) })
    }

    /// Hands one picture, in decoding order, to the decoder.
    pub fn send(&mut self, picture: &Coded<'_>) -> Result<(), DecodeError> {
        let nals = nal::split_length_prefixed(picture.data).ok_or_else(|| DecodeError::Malformed {
            pts: picture.pts,
            detail: "its NAL unit lengths run past its end".to_owned(),
        })?;
        let mut stream = Vec::with_capacity(self.parameter_sets.len() + picture.data.len() + 16);
        if picture.keyframe {
            stream.extend_from_slice(&self.parameter_sets);
        }
        stream.extend_from_slice(&nal::join_annex_b(nals));
        let mut packet = Packet::copy(&stream);
        packet.set_pts(Some(picture.pts));
        packet.set_dts(picture.dts);
        if picture.keyframe {
            packet.set_flags(packet::Flags::KEY);
        }
        self.inner
            .send_packet(&packet)
            .map_err(|e| DecodeError::Refused { pts: Some(picture.pts), detail: e.to_string() })
    }

    /// Tells the decoder no picture follows, so it gives up the ones it holds.
    pub fn send_eof(&mut self) -> Result<(), DecodeError> {
        self.inner.send_eof().map_err(|e| DecodeError::Refused { pts: None, detail: e.to_string() })
    }

    /// The next decoded picture, if one is ready; a picture the decoder had
    /// to conceal damage in is an error, not a picture.
    pub fn receive(&mut self) -> Result<Option<Video>, DecodeError> {
        let mut frame = Video::empty();
        match self.inner.receive_frame(&mut frame) {
            Ok(()) => {}
            Err(ffmpeg_next::Error::Eof) => return Ok(None),
            Err(ffmpeg_next::Error::Other { errno }) if errno == ffmpeg_next::util::error::EAGAIN => return Ok(None),
            Err(e) => return Err(DecodeError::Refused { pts: None, detail: e.to_string() }),
        }
        if frame.is_corrupt() || frame.has_decode_errors() {
            return Err(DecodeError::Damaged { pts: frame.timestamp().or(frame.pts()) });
        }
        Ok(Some(frame))
    }
}
