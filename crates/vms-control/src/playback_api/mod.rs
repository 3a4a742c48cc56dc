//! Archive playback through control's origin: an HLS playlist (fMP4, with
//! `EXT-X-BYTERANGE` into the segment files) for any time window, and the
//! files' bytes, with HTTP ranges, for HLS and MSE players. Both are
//! authorised by archive stream tickets, since players cannot send the API's
//! bearer token: a one-use playlist ticket (`?ticket=`), and the window-bound
//! fragment ticket the playlist puts in its URLs ([`ticket`]).

pub mod handler;
pub mod playlist;
pub mod span;
pub mod ticket;
pub mod window;
