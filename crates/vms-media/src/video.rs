//! What decoding a stream's pictures takes, as the camera last announced it.

use bytes::Bytes;
use retina::codec::{VideoParameters, VideoParametersCodec};
use vms_codec::Codec;

/// A stream's codec, picture size and parameter sets. Every frame carries the
/// parameters it was coded with, so a consumer sees a change (a new
/// resolution, say) at the very frame it happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VideoParams {
    /// The codec.
    pub codec: Codec,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// RFC 6381 codec string, such as `avc1.640028`.
    pub codec_string: String,
    /// Parameter sets without start codes: SPS and PPS (H.264), or VPS, SPS
    /// and PPS (H.265).
    pub parameter_sets: Vec<Bytes>,
    /// The MP4 sample entry (`avc1` with `avcC`, `hvc1` with `hvcC`) for
    /// fragmented MP4; empty when it could not be built.
    pub sample_entry: Bytes,
}

impl VideoParams {
    /// Takes what retina learned from the SDP or the stream; `None` for a
    /// codec the VMS does not pass through.
    pub(crate) fn from_retina(v: &VideoParameters) -> Option<Self> {
        let (codec, parameter_sets) = match v.codec_params() {
            VideoParametersCodec::H264 { sps, pps } => (Codec::H264, vec![sps.clone(), pps.clone()]),
            VideoParametersCodec::H265 { vps, sps, pps } => (Codec::H265, vec![vps.clone(), sps.clone(), pps.clone()]),
            _ => return None,
        };
        let (width, height) = v.pixel_dimensions();
        let sample_entry = match v.mp4_sample_entry().build() {
            Ok(entry) => Bytes::from(entry),
            Err(e) => {
                tracing::warn!(error = %e, "cannot describe the stream for MP4; MSE and LL-HLS will refuse it");
                Bytes::new()
            }
        };
        Some(Self { codec, width, height, codec_string: v.rfc6381_codec().to_owned(), parameter_sets, sample_entry })
    }
}
