//! The decoding half: recorded pictures (length-prefixed NAL units, as MP4
//! samples hold them) into raw pictures, with the stream's parameter sets
//! put ahead of every keyframe, so they decode whether or not the camera
//! repeated them in-band. Times pass through in the 90 kHz clock.

use ffmpeg_next::{
    Packet,
    codec::{self, Id, packet},
    decoder,
    util::frame::video::Video,
};
use vms_codec::{Codec, nal};

use super::{Picture, WatermarkError};

pub(super) struct Decoder {
    inner: decoder::Video,
    /// The parameter sets, Annex B.
    parameter_sets: Vec<u8>,
}

impl Decoder {
    pub(super) fn new(codec: Codec, parameter_sets: &[Vec<u8>]) -> Result<Self, WatermarkError> {
        let fail = |e: ffmpeg_next::Error| WatermarkError::Decode { pts: None, detail: e.to_string() };
        ffmpeg_next::init().map_err(fail)?;
        super::quiet_ffmpeg();
        let id = match codec {
            Codec::H264 => Id::H264,
            Codec::H265 => Id::HEVC,
        };
        let found = decoder::find(id)
            .ok_or_else(|| WatermarkError::Decode { pts: None, detail: format!("FFmpeg has no {id:?} decoder") })?;
        let mut context = codec::Context::new_with_codec(found);
        context.set_time_base((1, i32::try_from(vms_codec::fmp4::TIMESCALE).expect("the timescale fits")));
        let inner = context.decoder().video().map_err(fail)?;
        Ok(Self { inner, parameter_sets: nal::join_annex_b(parameter_sets.iter().map(Vec::as_slice)) })
    }

    /// Hands one picture, in decoding order, to the decoder.
    pub(super) fn send(&mut self, picture: &Picture<'_>) -> Result<(), WatermarkError> {
        let nals = nal::split_length_prefixed(picture.data).ok_or_else(|| WatermarkError::Malformed {
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
        packet.set_dts(Some(picture.dts));
        if picture.keyframe {
            packet.set_flags(packet::Flags::KEY);
        }
        self.inner
            .send_packet(&packet)
            .map_err(|e| WatermarkError::Decode { pts: Some(picture.pts), detail: e.to_string() })
    }

    /// Tells the decoder no picture follows, so it gives up the ones it holds.
    pub(super) fn send_eof(&mut self) -> Result<(), WatermarkError> {
        self.inner.send_eof().map_err(|e| WatermarkError::Decode { pts: None, detail: e.to_string() })
    }

    /// The next decoded picture, if one is ready; a picture the decoder had
    /// to conceal damage in is an error, not a picture.
    pub(super) fn receive(&mut self) -> Result<Option<Video>, WatermarkError> {
        let mut frame = Video::empty();
        match self.inner.receive_frame(&mut frame) {
            Ok(()) => {}
            Err(ffmpeg_next::Error::Eof) => return Ok(None),
            Err(ffmpeg_next::Error::Other { errno }) if errno == ffmpeg_next::util::error::EAGAIN => return Ok(None),
            Err(e) => return Err(WatermarkError::Decode { pts: None, detail: e.to_string() }),
        }
        if frame.is_corrupt() || frame.has_decode_errors() {
            return Err(WatermarkError::Damaged { pts: frame.timestamp().or(frame.pts()) });
        }
        Ok(Some(frame))
    }
}
