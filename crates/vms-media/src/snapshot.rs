//! Snapshots: a stream's latest keyframe, decoded with FFmpeg and encoded as
//! JPEG at the picture's own size ([`vms_video`]). Only a keyframe decodes on
//! its own, so the picture is at most one GOP old; a stream without one says
//! so rather than making up an image.

use chrono::{DateTime, Utc};

use crate::fanout::Frame;

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
    /// The keyframe did not decode or encode.
    #[error("the latest keyframe gave no picture: {0}")]
    Picture(#[from] vms_video::VideoError),
}

/// Decodes `frame` (a keyframe) and encodes it as JPEG. CPU-bound: call it
/// from a blocking task.
pub fn to_jpeg(frame: &Frame) -> Result<Jpeg, SnapshotError> {
    let sets = frame.params.parameter_sets.iter().map(|p| &p[..]);
    let jpeg = vms_video::keyframe_jpeg(frame.params.codec, sets, &frame.data, None)?;
    Ok(Jpeg { data: jpeg.data, width: jpeg.width, height: jpeg.height, captured_at: frame.arrived_at })
}
