//! Reading whole frames from, and writing batches of chunks to, a stream.

use std::io::IoSlice;

use bytes::{Buf, Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::wire::{self, WireError};

/// Most chunks handed to one vectored write (the kernel's `IOV_MAX` is 1024).
const MAX_SLICES: usize = 64;

/// Why a frame could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The peer closed the connection between frames.
    #[error("the peer closed the connection")]
    Closed,
    /// The peer sent bytes that are not the protocol.
    #[error(transparent)]
    Wire(#[from] WireError),
    /// The connection failed.
    #[error("reading from the link failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Reads frames from a stream, buffering what arrives ahead.
pub struct FrameReader<R> {
    io: R,
    buf: BytesMut,
    /// Largest payload taken.
    max: usize,
}

impl<R: AsyncRead + Unpin> FrameReader<R> {
    /// Reads from `io`.
    pub fn new(io: R) -> Self {
        Self { io, buf: BytesMut::with_capacity(64 * 1024), max: wire::MAX_PAYLOAD }
    }

    /// Reads from `io`, refusing payloads over `max` bytes (and buffering little).
    pub fn with_limit(io: R, max: usize) -> Self {
        Self { io, buf: BytesMut::with_capacity(max.min(64 * 1024) + wire::HEADER_LEN), max }
    }

    /// Returns the next whole frame's kind and payload.
    pub async fn next(&mut self) -> Result<(u8, Bytes), ReadError> {
        loop {
            if let Some(frame) = wire::take_frame_within(&mut self.buf, self.max)? {
                return Ok(frame);
            }
            if self.buf.capacity() - self.buf.len() < 1024 {
                self.buf.reserve((self.max + wire::HEADER_LEN).min(64 * 1024));
            }
            if self.io.read_buf(&mut self.buf).await? == 0 {
                return Err(if self.buf.is_empty() {
                    ReadError::Closed
                } else {
                    std::io::Error::from(std::io::ErrorKind::UnexpectedEof).into()
                });
            }
        }
    }

    /// Returns the stream, for writing (a split TCP stream's other half).
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.io
    }
}

/// Writes every chunk of `chunks` to `io` with as few system calls as the
/// kernel allows (vectored writes), then clears the list.
pub async fn write_chunks<W: AsyncWrite + Unpin>(io: &mut W, chunks: &mut Vec<Bytes>) -> std::io::Result<()> {
    let mut at = 0;
    while at < chunks.len() {
        let slices: Vec<IoSlice<'_>> = chunks[at..].iter().take(MAX_SLICES).map(|c| IoSlice::new(c)).collect();
        let mut written = io.write_vectored(&slices).await?;
        if written == 0 {
            return Err(std::io::ErrorKind::WriteZero.into());
        }
        while written > 0 {
            let first = &mut chunks[at];
            if written >= first.len() {
                written -= first.len();
                at += 1;
            } else {
                first.advance(written);
                written = 0;
            }
        }
        while at < chunks.len() && chunks[at].is_empty() {
            at += 1;
        }
    }
    chunks.clear();
    io.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Message;

    #[tokio::test]
    async fn batches_survive_short_writes_and_arrive_whole() {
        // A tiny pipe forces many partial writes.
        let (a, mut b) = tokio::io::duplex(7);
        let sent: Vec<Message> = (0..50)
            .map(|i| {
                Message::Picture(crate::wire::Picture {
                    pts: i,
                    arrived_at_us: i * 1000,
                    keyframe: i % 10 == 0,
                    lost: 0,
                    data: Bytes::from(vec![i as u8; 300]),
                })
            })
            .collect();
        let mut chunks = Vec::new();
        for m in &sent {
            m.encode(&mut chunks);
        }
        let writer = tokio::spawn(async move {
            write_chunks(&mut b, &mut chunks).await.unwrap();
            assert!(chunks.is_empty());
        });
        let mut reader = FrameReader::new(a);
        for expected in &sent {
            let (kind, payload) = reader.next().await.unwrap();
            assert_eq!(&Message::decode(kind, payload).unwrap(), expected);
        }
        writer.await.unwrap();
        assert!(matches!(reader.next().await, Err(ReadError::Closed)));
    }
}
