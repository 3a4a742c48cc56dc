//! The frame link: how the media plane hands a stream's pictures to the
//! recorder, the analytics plane and any other internal consumer, without
//! packetizing them into RTP and back (docs/design/0005-frame-link.md).
//!
//! One TCP connection per subscription, opened by the consumer: a mutual
//! [`handshake`] under the installation's internal secret, one
//! [`wire::Subscribe`], then the stream's [`wire::Description`] and one
//! [`wire::Picture`] per picture, each with its presentation time, the wall
//! clock time it reached the media plane and how many pictures the consumer
//! lost just before it. This crate holds the protocol only; the server lives
//! in the media plane, the client in `vms-plane`.

pub mod handshake;
pub mod io;
pub mod wire;

pub use handshake::HandshakeError;
pub use io::{FrameReader, ReadError, write_chunks};
pub use wire::{Codec, Description, EndReason, MAX_BATCH_MS, Message, Picture, Subscribe, WireError};
