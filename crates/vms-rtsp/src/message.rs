//! RTSP requests and responses on a byte stream that may also carry
//! interleaved RTP/RTCP frames (`$`, channel, length, data).

use std::fmt::Write as _;

/// Largest request head (request line and headers) accepted.
pub const MAX_HEAD: usize = 16 * 1024;
/// Largest request body accepted.
pub const MAX_BODY: usize = 64 * 1024;

/// An RTSP request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Method, e.g. `DESCRIBE`.
    pub method: String,
    /// Request URI.
    pub uri: String,
    /// Headers in order, names as sent.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
}

impl Request {
    /// Returns the first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Returns the `CSeq`, which every response must echo.
    pub fn cseq(&self) -> Option<&str> {
        self.header("CSeq")
    }
}

/// What arrived on the connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    /// A request.
    Request(Request),
    /// An interleaved binary frame (RTCP receiver reports, usually).
    Frame {
        /// Channel number.
        channel: u8,
        /// Payload.
        data: Vec<u8>,
    },
}

/// Why the stream cannot be read further.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MessageError {
    /// The request line is not `METHOD URI RTSP/1.0`.
    #[error("malformed request line")]
    RequestLine,
    /// A header line has no colon.
    #[error("malformed header line")]
    Header,
    /// `Content-Length` is not a number or too large.
    #[error("invalid Content-Length")]
    ContentLength,
    /// The head is larger than [`MAX_HEAD`].
    #[error("request head too large")]
    TooLarge,
    /// Not UTF-8 text.
    #[error("request is not text")]
    NotText,
    /// The protocol version is not RTSP/1.0.
    #[error("unsupported protocol version")]
    Version,
}

/// Reads the next message from the front of `buf`, removing its bytes.
/// Returns `Ok(None)` when more bytes are needed.
pub fn read(buf: &mut Vec<u8>) -> Result<Option<Incoming>, MessageError> {
    // Skip stray CR/LF between messages (clients send them as keep-alives).
    let skip = buf.iter().take_while(|b| **b == b'\r' || **b == b'\n').count();
    buf.drain(..skip);
    if buf.is_empty() {
        return Ok(None);
    }
    if buf[0] == b'$' {
        if buf.len() < 4 {
            return Ok(None);
        }
        let len = usize::from(u16::from_be_bytes([buf[2], buf[3]]));
        if buf.len() < 4 + len {
            return Ok(None);
        }
        let channel = buf[1];
        let data = buf[4..4 + len].to_vec();
        buf.drain(..4 + len);
        return Ok(Some(Incoming::Frame { channel, data }));
    }
    let Some(head_end) = find(buf, b"\r\n\r\n") else {
        return if buf.len() > MAX_HEAD { Err(MessageError::TooLarge) } else { Ok(None) };
    };
    if head_end > MAX_HEAD {
        return Err(MessageError::TooLarge);
    }
    let head = std::str::from_utf8(&buf[..head_end]).map_err(|_| MessageError::NotText)?;
    let mut lines = head.split("\r\n");
    let mut parts = lines.next().unwrap_or_default().split(' ');
    let (Some(method), Some(uri), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(MessageError::RequestLine);
    };
    if method.is_empty() || uri.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') {
        return Err(MessageError::RequestLine);
    }
    if version != "RTSP/1.0" {
        return Err(MessageError::Version);
    }
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line.split_once(':').ok_or(MessageError::Header)?;
        if name.is_empty() || name.contains(' ') {
            return Err(MessageError::Header);
        }
        headers.push((name.to_owned(), value.trim().to_owned()));
    }
    let length = match headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("Content-Length")) {
        Some((_, v)) => v.parse::<usize>().ok().filter(|l| *l <= MAX_BODY).ok_or(MessageError::ContentLength)?,
        None => 0,
    };
    let total = head_end + 4 + length;
    if buf.len() < total {
        return Ok(None);
    }
    let request =
        Request { method: method.to_owned(), uri: uri.to_owned(), headers, body: buf[head_end + 4..total].to_vec() };
    buf.drain(..total);
    Ok(Some(Incoming::Request(request)))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// An RTSP response being built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers in order.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
}

impl Response {
    /// Starts a response with `status`, echoing the request's CSeq.
    pub fn to(request: &Request, status: u16) -> Self {
        let mut r = Self { status, headers: Vec::new(), body: Vec::new() };
        if let Some(cseq) = request.cseq() {
            r.headers.push(("CSeq".to_owned(), cseq.to_owned()));
        }
        r
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    /// Sets the body and its content type.
    pub fn body(mut self, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        self.headers.push(("Content-Type".to_owned(), content_type.to_owned()));
        self.body = body.into();
        self
    }

    /// Serializes the response.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut head = format!("RTSP/1.0 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            let _ = write!(head, "{name}: {value}\r\n");
        }
        if !self.body.is_empty() {
            let _ = write!(head, "Content-Length: {}\r\n", self.body.len());
        }
        head.push_str("\r\n");
        let mut out = head.into_bytes();
        out.extend_from_slice(&self.body);
        out
    }
}

/// Returns the reason phrase of a status code (RFC 2326 §7.1.1).
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        454 => "Session Not Found",
        455 => "Method Not Valid in This State",
        459 => "Aggregate Operation Not Allowed",
        461 => "Unsupported Transport",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "RTSP Version Not Supported",
        _ => "Unknown",
    }
}

/// Frames an RTP or RTCP packet for interleaving on `channel`.
pub fn interleave(channel: u8, packet: &[u8], out: &mut Vec<u8>) {
    debug_assert!(packet.len() <= usize::from(u16::MAX), "interleaved frames carry at most 64 KiB");
    out.push(b'$');
    out.push(channel);
    out.extend_from_slice(&(packet.len() as u16).to_be_bytes());
    out.extend_from_slice(packet);
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn reads_requests_and_frames_as_they_arrive() {
        let wire = b"OPTIONS rtsp://h/cam RTSP/1.0\r\nCSeq: 1\r\n\r\n$\x01\x00\x03abc\r\nANNOUNCE rtsp://h/x RTSP/1.0\r\nCSeq: 2\r\nContent-Length: 4\r\n\r\nbody";
        let mut buf = Vec::new();
        let mut seen = Vec::new();
        for byte in wire.iter() {
            buf.push(*byte);
            while let Some(m) = read(&mut buf).unwrap() {
                seen.push(m);
            }
        }
        assert_eq!(seen.len(), 3);
        let Incoming::Request(first) = &seen[0] else { panic!("{seen:?}") };
        assert_eq!((first.method.as_str(), first.uri.as_str(), first.cseq()), ("OPTIONS", "rtsp://h/cam", Some("1")));
        assert_eq!(seen[1], Incoming::Frame { channel: 1, data: b"abc".to_vec() });
        let Incoming::Request(third) = &seen[2] else { panic!() };
        assert_eq!(third.body, b"body");
        assert!(buf.is_empty());
    }

    #[test]
    fn refuses_malformed_requests() {
        for bad in [
            &b"GET / HTTP/1.1\r\n\r\n"[..],
            b"OPTIONS\r\n\r\n",
            b"OPTIONS rtsp://h RTSP/1.0\r\nno colon\r\n\r\n",
            b"OPTIONS rtsp://h RTSP/1.0\r\nContent-Length: lots\r\n\r\n",
            b"OPTIONS rtsp://h RTSP/1.0\r\nContent-Length: 99999999\r\n\r\n",
            b"lower rtsp://h RTSP/1.0\r\n\r\n",
        ] {
            assert!(read(&mut bad.to_vec()).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        assert_eq!(read(&mut vec![b'X'; MAX_HEAD + 1]), Err(MessageError::TooLarge));
    }

    #[test]
    fn writes_responses_with_cseq_and_length() {
        let mut buf = b"DESCRIBE rtsp://h/c RTSP/1.0\r\nCSeq: 7\r\n\r\n".to_vec();
        let Some(Incoming::Request(req)) = read(&mut buf).unwrap() else { panic!() };
        let bytes = Response::to(&req, 200).body("application/sdp", "v=0\r\n").to_bytes();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "RTSP/1.0 200 OK\r\nCSeq: 7\r\nContent-Type: application/sdp\r\nContent-Length: 5\r\n\r\nv=0\r\n"
        );
        let mut framed = Vec::new();
        interleave(0, b"rtp", &mut framed);
        assert_eq!(framed, b"$\x00\x00\x03rtp");
    }

    proptest! {
        #[test]
        fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let mut buf = bytes;
            for _ in 0..8 {
                match read(&mut buf) {
                    Ok(Some(_)) => continue,
                    _ => break,
                }
            }
        }
    }
}
