//! Archive playback through control's origin: an HLS playlist (fMP4, with
//! `EXT-X-BYTERANGE` into the segment files) for any time window, its
//! I-frame-only variant for fast forward and rewind, and the files' bytes,
//! with HTTP ranges, for HLS and MSE players. All are authorised by archive
//! stream tickets, since players cannot send the API's bearer token: a
//! one-use playlist ticket (`?ticket=`), and the window-bound fragment
//! ticket the playlist puts in its URLs ([`ticket`]). The recorder holding
//! the footage answers ([`crate::archive`]).

pub mod handler;
pub mod ticket;
