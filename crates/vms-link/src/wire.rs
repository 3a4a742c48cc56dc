//! The link's messages and their bytes. Pure code: no I/O.
//!
//! After the handshake ([`crate::handshake`]) every message is framed the
//! same way: one byte of kind, a big-endian `u32` payload length, then the
//! payload. The client sends one [`Subscribe`]; the server answers with a
//! [`Description`], then one [`Picture`] per coded picture (a new
//! description whenever the codec or resolution changes), [`Message::Ping`]
//! when the stream is quiet, and [`Message::End`] when it stops serving.
//!
//! A picture's payload goes out as the very `Bytes` the fan-out hub holds:
//! [`Message::encode`] appends it to the chunk list as is, after a small
//! header chunk, so no picture is copied on the way to the socket.

use bytes::{Buf, BufMut, Bytes, BytesMut};
use uuid::Uuid;

/// Largest payload either side accepts (a 4K keyframe is a few MiB).
pub const MAX_PAYLOAD: usize = 16 << 20;
/// Most parameter sets a description carries (H.265 has three).
const MAX_PARAMETER_SETS: usize = 16;
/// Bytes of a frame's header: kind and length.
pub const HEADER_LEN: usize = 5;

const SUBSCRIBE: u8 = 1;
const DESCRIPTION: u8 = 2;
const PICTURE: u8 = 3;
const PING: u8 = 4;
const END: u8 = 5;

/// Why a peer's bytes cannot be read. The connection ends.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// A payload announced longer than [`MAX_PAYLOAD`].
    #[error("a message of {0} bytes is over the link's limit")]
    TooLong(usize),
    /// A kind this side does not expect from its peer.
    #[error("unexpected message kind {0}")]
    UnexpectedKind(u8),
    /// A payload that ends early or holds a value out of range.
    #[error("malformed {0} message")]
    Malformed(&'static str),
}

/// The video coding of a stream: the codec type every plane uses.
pub use vms_codec::Codec;

/// A client's request: one stream of one camera.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscribe {
    /// The camera.
    pub camera: Uuid,
    /// Its stream (`main`, `sub`).
    pub role: String,
    /// How long, in milliseconds, the client lets a picture wait so that it
    /// goes out with others (0: send each as soon as it arrives). The server
    /// caps it at [`MAX_BATCH_MS`]. Optional on the wire: a request without
    /// it asks for 0.
    pub batch_ms: u16,
}

/// The longest wait a subscriber may ask pictures to batch for.
pub const MAX_BATCH_MS: u16 = 1000;

/// How the pictures that follow are coded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Description {
    /// Codec.
    pub codec: Codec,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Ticks per second of [`Picture::pts`] (90 000).
    pub timescale: u32,
    /// RFC 6381 codec string (`avc1.640028`).
    pub codec_string: String,
    /// SPS and PPS (H.264) or VPS, SPS and PPS (H.265), without start codes.
    pub parameter_sets: Vec<Bytes>,
    /// The ISO BMFF sample entry (`avc1`/`hvc1` box) describing the stream.
    pub sample_entry: Bytes,
}

/// One coded picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// Presentation time in [`Description::timescale`] ticks.
    pub pts: i64,
    /// When the media plane received it, in Unix microseconds.
    pub arrived_at_us: i64,
    /// Whether it decodes on its own.
    pub keyframe: bool,
    /// Pictures this subscriber lost just before this one, having fallen
    /// behind (it resumes at a keyframe).
    pub lost: u32,
    /// NAL units, each with a 4-byte big-endian length prefix.
    pub data: Bytes,
}

/// Why the server stops serving a subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    /// No such stream is served here (not assigned to this plane, or no
    /// camera): try later, or another plane.
    NotFound,
    /// The stream stopped (unassigned, camera deleted).
    Closed,
    /// The media plane is stopping.
    ShuttingDown,
    /// The request was not understood.
    BadRequest,
}

/// What the server sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// How the pictures that follow are coded.
    Description(Description),
    /// A picture.
    Picture(Picture),
    /// Nothing to send for a while: the peer is alive.
    Ping,
    /// No more pictures; the server closes the connection.
    End {
        /// Why.
        reason: EndReason,
        /// For the log.
        message: String,
    },
}

impl EndReason {
    fn code(self) -> u8 {
        match self {
            EndReason::NotFound => 1,
            EndReason::Closed => 2,
            EndReason::ShuttingDown => 3,
            EndReason::BadRequest => 4,
        }
    }

    fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            1 => EndReason::NotFound,
            2 => EndReason::Closed,
            3 => EndReason::ShuttingDown,
            4 => EndReason::BadRequest,
            _ => return None,
        })
    }
}

/// Appends one framed message of `kind` whose payload is `parts`.
fn frame(out: &mut Vec<Bytes>, kind: u8, head: BytesMut, tail: Option<&Bytes>) {
    let len = head.len() + tail.map_or(0, Bytes::len);
    let mut framed = BytesMut::with_capacity(HEADER_LEN + head.len());
    framed.put_u8(kind);
    framed.put_u32(u32::try_from(len).unwrap_or(u32::MAX));
    framed.extend_from_slice(&head);
    out.push(framed.freeze());
    if let Some(tail) = tail.filter(|t| !t.is_empty()) {
        out.push(tail.clone());
    }
}

fn put_short(buf: &mut BytesMut, bytes: &[u8]) {
    let len = bytes.len().min(u16::MAX as usize);
    buf.put_u16(len as u16);
    buf.extend_from_slice(&bytes[..len]);
}

impl Subscribe {
    /// Appends the request's bytes to `out`.
    pub fn encode(&self, out: &mut Vec<Bytes>) {
        let mut head = BytesMut::with_capacity(20 + self.role.len());
        head.extend_from_slice(self.camera.as_bytes());
        put_short(&mut head, self.role.as_bytes());
        head.put_u16(self.batch_ms);
        frame(out, SUBSCRIBE, head, None);
    }

    /// Reads a request from a whole frame.
    pub fn decode(kind: u8, mut payload: Bytes) -> Result<Self, WireError> {
        if kind != SUBSCRIBE {
            return Err(WireError::UnexpectedKind(kind));
        }
        let bad = || WireError::Malformed("subscribe");
        if payload.remaining() < 16 {
            return Err(bad());
        }
        let camera = Uuid::from_slice(&payload.split_to(16)).map_err(|_| bad())?;
        let role = String::from_utf8(take_short(&mut payload).ok_or_else(bad)?.to_vec()).map_err(|_| bad())?;
        let batch_ms = match payload.remaining() {
            0 => 0,
            2 => payload.get_u16().min(MAX_BATCH_MS),
            _ => return Err(bad()),
        };
        Ok(Subscribe { camera, role, batch_ms })
    }
}

impl Message {
    /// Appends the message's bytes to `out`; a picture's data is appended as
    /// the same `Bytes`, not copied.
    pub fn encode(&self, out: &mut Vec<Bytes>) {
        match self {
            Message::Description(d) => {
                let mut head = BytesMut::with_capacity(64 + d.sample_entry.len());
                head.put_u8(match d.codec {
                    Codec::H264 => 1,
                    Codec::H265 => 2,
                });
                head.put_u32(d.width);
                head.put_u32(d.height);
                head.put_u32(d.timescale);
                put_short(&mut head, d.codec_string.as_bytes());
                let sets = d.parameter_sets.len().min(MAX_PARAMETER_SETS);
                head.put_u8(sets as u8);
                for set in &d.parameter_sets[..sets] {
                    put_short(&mut head, set);
                }
                head.put_u32(d.sample_entry.len() as u32);
                head.extend_from_slice(&d.sample_entry);
                frame(out, DESCRIPTION, head, None);
            }
            Message::Picture(p) => {
                let mut head = BytesMut::with_capacity(21);
                head.put_i64(p.pts);
                head.put_i64(p.arrived_at_us);
                head.put_u8(u8::from(p.keyframe));
                head.put_u32(p.lost);
                frame(out, PICTURE, head, Some(&p.data));
            }
            Message::Ping => frame(out, PING, BytesMut::new(), None),
            Message::End { reason, message } => {
                let mut head = BytesMut::with_capacity(3 + message.len());
                head.put_u8(reason.code());
                put_short(&mut head, message.as_bytes());
                frame(out, END, head, None);
            }
        }
    }

    /// Reads a message from a whole frame.
    pub fn decode(kind: u8, mut payload: Bytes) -> Result<Self, WireError> {
        match kind {
            DESCRIPTION => decode_description(&mut payload).map(Message::Description),
            PICTURE => {
                let bad = || WireError::Malformed("picture");
                if payload.remaining() < 21 {
                    return Err(bad());
                }
                let pts = payload.get_i64();
                let arrived_at_us = payload.get_i64();
                let flags = payload.get_u8();
                if flags > 1 {
                    return Err(bad());
                }
                let lost = payload.get_u32();
                Ok(Message::Picture(Picture { pts, arrived_at_us, keyframe: flags == 1, lost, data: payload }))
            }
            PING if payload.is_empty() => Ok(Message::Ping),
            PING => Err(WireError::Malformed("ping")),
            END => {
                let bad = || WireError::Malformed("end");
                if payload.remaining() < 1 {
                    return Err(bad());
                }
                let reason = EndReason::from_code(payload.get_u8()).ok_or_else(bad)?;
                let message = String::from_utf8_lossy(&take_short(&mut payload).ok_or_else(bad)?).into_owned();
                Ok(Message::End { reason, message })
            }
            other => Err(WireError::UnexpectedKind(other)),
        }
    }
}

fn decode_description(payload: &mut Bytes) -> Result<Description, WireError> {
    let bad = || WireError::Malformed("description");
    if payload.remaining() < 13 {
        return Err(bad());
    }
    let codec = match payload.get_u8() {
        1 => Codec::H264,
        2 => Codec::H265,
        _ => return Err(bad()),
    };
    let width = payload.get_u32();
    let height = payload.get_u32();
    let timescale = payload.get_u32();
    if timescale == 0 {
        return Err(bad());
    }
    let codec_string = String::from_utf8(take_short(payload).ok_or_else(bad)?.to_vec()).map_err(|_| bad())?;
    if !payload.has_remaining() {
        return Err(bad());
    }
    let sets = payload.get_u8() as usize;
    if sets > MAX_PARAMETER_SETS {
        return Err(bad());
    }
    let parameter_sets = (0..sets).map(|_| take_short(payload).ok_or_else(bad)).collect::<Result<Vec<_>, _>>()?;
    if payload.remaining() < 4 {
        return Err(bad());
    }
    let entry_len = payload.get_u32() as usize;
    if payload.remaining() != entry_len {
        return Err(bad());
    }
    let sample_entry = payload.split_to(entry_len);
    Ok(Description { codec, width, height, timescale, codec_string, parameter_sets, sample_entry })
}

/// Takes a `u16`-length-prefixed field.
fn take_short(payload: &mut Bytes) -> Option<Bytes> {
    if payload.remaining() < 2 {
        return None;
    }
    let len = payload.get_u16() as usize;
    (payload.remaining() >= len).then(|| payload.split_to(len))
}

/// Takes one whole frame off the front of `buf`: its kind and payload
/// (sharing `buf`'s allocation). `Ok(None)` until the frame is complete.
pub fn take_frame(buf: &mut BytesMut) -> Result<Option<(u8, Bytes)>, WireError> {
    take_frame_within(buf, MAX_PAYLOAD)
}

/// [`take_frame`] refusing payloads over `max` bytes.
pub fn take_frame_within(buf: &mut BytesMut, max: usize) -> Result<Option<(u8, Bytes)>, WireError> {
    if buf.len() < HEADER_LEN {
        return Ok(None);
    }
    let len = u32::from_be_bytes([buf[1], buf[2], buf[3], buf[4]]) as usize;
    if len > max.min(MAX_PAYLOAD) {
        return Err(WireError::TooLong(len));
    }
    if buf.len() < HEADER_LEN + len {
        buf.reserve(HEADER_LEN + len - buf.len());
        return Ok(None);
    }
    let kind = buf[0];
    buf.advance(HEADER_LEN);
    Ok(Some((kind, buf.split_to(len).freeze())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(chunks: &[Bytes]) -> BytesMut {
        let mut all = BytesMut::new();
        for c in chunks {
            all.extend_from_slice(c);
        }
        all
    }

    fn round_trip(message: &Message) -> Message {
        let mut out = Vec::new();
        message.encode(&mut out);
        let mut buf = joined(&out);
        let (kind, payload) = take_frame(&mut buf).unwrap().unwrap();
        assert!(buf.is_empty());
        Message::decode(kind, payload).unwrap()
    }

    fn description() -> Description {
        Description {
            codec: Codec::H265,
            width: 3840,
            height: 2160,
            timescale: 90_000,
            codec_string: "hvc1.1.6.L150.B0".into(),
            parameter_sets: vec![Bytes::from_static(b"\x40\x01vps"), Bytes::from_static(b"\x42\x01sps")],
            sample_entry: Bytes::from_static(b"....hvc1 entry"),
        }
    }

    #[test]
    fn every_message_comes_back_as_sent() {
        let picture = Picture {
            pts: -5,
            arrived_at_us: 1_764_633_600_000_000,
            keyframe: true,
            lost: 7,
            data: Bytes::from_static(b"\0\0\0\x02\x65\x88"),
        };
        for message in [
            Message::Description(description()),
            Message::Picture(picture),
            Message::Ping,
            Message::End { reason: EndReason::NotFound, message: "no such stream".into() },
        ] {
            assert_eq!(round_trip(&message), message);
        }
        let subscribe = Subscribe { camera: Uuid::new_v4(), role: "main".into(), batch_ms: 250 };
        let mut out = Vec::new();
        subscribe.encode(&mut out);
        let (kind, payload) = take_frame(&mut joined(&out)).unwrap().unwrap();
        assert_eq!(Subscribe::decode(kind, payload).unwrap(), subscribe);
    }

    #[test]
    fn a_subscription_may_leave_out_its_batch_and_cannot_ask_for_more_than_the_cap() {
        let camera = Uuid::new_v4();
        let mut old = BytesMut::new();
        old.extend_from_slice(camera.as_bytes());
        put_short(&mut old, b"sub");
        let request = Subscribe::decode(SUBSCRIBE, old.clone().freeze()).unwrap();
        assert_eq!(request, Subscribe { camera, role: "sub".into(), batch_ms: 0 });

        let mut greedy = old.clone();
        greedy.put_u16(u16::MAX);
        assert_eq!(Subscribe::decode(SUBSCRIBE, greedy.freeze()).unwrap().batch_ms, MAX_BATCH_MS);

        let mut odd = old;
        odd.put_u8(1);
        assert!(Subscribe::decode(SUBSCRIBE, odd.freeze()).is_err(), "one stray byte is malformed");
    }

    #[test]
    fn a_picture_is_sent_as_the_hubs_own_bytes() {
        let data = Bytes::from(vec![7u8; 100_000]);
        let mut out = Vec::new();
        Message::Picture(Picture { pts: 0, arrived_at_us: 0, keyframe: false, lost: 0, data: data.clone() })
            .encode(&mut out);
        assert_eq!(out.len(), 2, "a header chunk, then the data");
        assert_eq!(out[1].as_ptr(), data.as_ptr(), "the very allocation, not a copy");
        assert_eq!(out[0].len(), HEADER_LEN + 21);
    }

    #[test]
    fn frames_arrive_in_pieces_and_oversized_ones_are_refused() {
        let mut out = Vec::new();
        Message::Ping.encode(&mut out);
        Message::End { reason: EndReason::Closed, message: "bye".into() }.encode(&mut out);
        let all = joined(&out);
        let mut buf = BytesMut::new();
        let mut got = Vec::new();
        for byte in all.iter() {
            buf.put_u8(*byte);
            while let Some((kind, payload)) = take_frame(&mut buf).unwrap() {
                got.push(Message::decode(kind, payload).unwrap());
            }
        }
        assert_eq!(got, vec![Message::Ping, Message::End { reason: EndReason::Closed, message: "bye".into() }]);

        let mut huge = BytesMut::from(&[PICTURE, 0xff, 0xff, 0xff, 0xff][..]);
        assert_eq!(take_frame(&mut huge), Err(WireError::TooLong(u32::MAX as usize)));
    }

    #[test]
    fn malformed_payloads_are_errors_not_panics() {
        assert_eq!(Message::decode(PICTURE, Bytes::from_static(b"short")), Err(WireError::Malformed("picture")));
        assert_eq!(Message::decode(PING, Bytes::from_static(b"x")), Err(WireError::Malformed("ping")));
        assert_eq!(Message::decode(SUBSCRIBE, Bytes::new()), Err(WireError::UnexpectedKind(SUBSCRIBE)));
        assert_eq!(Message::decode(99, Bytes::new()), Err(WireError::UnexpectedKind(99)));
        assert!(Subscribe::decode(SUBSCRIBE, Bytes::from_static(&[0; 17])).is_err());
        let mut out = Vec::new();
        Message::Description(description()).encode(&mut out);
        let (_, payload) = take_frame(&mut joined(&out)).unwrap().unwrap();
        for cut in 0..payload.len() {
            assert!(Message::decode(DESCRIPTION, payload.slice(..cut)).is_err(), "cut at {cut}");
        }
    }

    proptest::proptest! {
        #[test]
        fn no_input_panics_the_decoder(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let mut buf = BytesMut::from(&bytes[..]);
            while let Ok(Some((kind, payload))) = take_frame(&mut buf) {
                let _ = Message::decode(kind, payload.clone());
                let _ = Subscribe::decode(kind, payload);
            }
        }
    }
}
