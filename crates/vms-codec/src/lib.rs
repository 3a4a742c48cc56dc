//! Video codec and RTP plumbing shared by camsim, the media plane and the
//! recorder. Pure code: it reads and writes byte slices and knows no socket,
//! file or service.
//!
//! - [`nal`]: H.264 (ITU-T H.264 §7.3.1) and H.265 (ITU-T H.265 §7.3.1.2) NAL
//!   units in Annex B byte streams;
//! - [`rtp`]: RTP packets (RFC 3550 §5.1);
//! - [`packetize`] and [`depacketize`]: RTP payload formats for H.264
//!   (RFC 6184: single NAL, STAP-A, FU-A) and H.265 (RFC 7798: single NAL, AP, FU);
//! - [`sdp`]: SDP media descriptions with parameter sets (RFC 6184 §8.1, RFC 7798 §7.1);
//! - [`fmp4`]: fragmented MP4 for recordings (init segments, one fragment per
//!   GOP) and a box walker that finds where a torn file must be cut;
//! - [`fmp4_layout`]: a recording file read back from any `Read + Seek`
//!   (its init segment and whole fragments), for crash recovery and reindexing;
//! - [`ntp`]: NTP timestamps, the wall-clock time of RTCP and `prft`.
//!
//! Every function that reads network input returns an error on malformed
//! data and never panics; property tests check that on arbitrary bytes.

pub mod depacketize;
pub mod fmp4;
pub mod fmp4_layout;
pub mod nal;
pub mod ntp;
pub mod packetize;
pub mod rtcp;
pub mod rtp;
pub mod sdp;
pub mod stun;

pub use nal::Codec;
