//! What each camera's analysis has done, for the plane's status.

use serde::Serialize;

/// Counters and state of one camera's analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CameraStats {
    /// Pictures received over the frame link.
    pub received: u64,
    /// Pictures the media plane skipped for this consumer (it fell behind).
    pub lost: u64,
    /// Pictures decoded.
    pub decoded: u64,
    /// Pictures analysed.
    pub analysed: u64,
    /// Pictures that failed to decode.
    pub decode_errors: u64,
    /// Whether only keyframes are decoded (the detect rate is that low).
    pub keyframes_only: bool,
    /// Whether motion is going on.
    pub motion: bool,
    /// The last error, until the stream decodes again.
    pub error: Option<String>,
}
