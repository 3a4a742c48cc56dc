//! An incremental, bounded reader of the `multipart/mixed` and
//! `multipart/x-mixed-replace` replies devices stream events in.
//!
//! Bytes go in as they arrive, in any chunks; whole parts come out. A part
//! with a `Content-Length` is given out as soon as its last byte arrives
//! (event streams send the next boundary only with the next event); one
//! without ends at the next boundary. Every buffer is bounded: no boundary
//! within the part limit, headers longer than [`MAX_HEADERS`] or a part
//! larger than the limit is an error, never a growing buffer. Parts the
//! caller does not keep (pictures, by their content type) are skipped
//! without being held when their length is known.

use crate::alarm::StreamError;

/// The longest part headers accepted.
pub const MAX_HEADERS: usize = 8 * 1024;
/// How many bytes are taken in at a time, so no buffer grows past its bound
/// by more than this, whatever the size of the chunk given.
const STEP: usize = 4096;

/// One part of the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Its `Content-Type`, if given.
    pub content_type: Option<String>,
    /// Its body.
    pub body: Vec<u8>,
}

/// The `boundary` parameter of a multipart `Content-Type`, unquoted.
pub fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        if !key.trim().eq_ignore_ascii_case("boundary") {
            return None;
        }
        let value = value.trim().trim_matches('"');
        (!value.is_empty() && value.len() <= 200 && !value.contains(['\r', '\n'])).then(|| value.to_owned())
    })
}

#[derive(Debug)]
enum State {
    /// Looking for the next boundary line; `skipped` bytes passed over so far.
    Boundary { skipped: usize },
    /// After a boundary: the rest of its line (`--` ends the stream).
    BoundaryLine,
    /// The part's headers, up to the empty line.
    Headers,
    /// A body of known length, kept.
    Body { len: usize, content_type: Option<String> },
    /// A body of known length not kept.
    Skip { left: usize },
    /// A body that ends at the next boundary.
    Open { content_type: Option<String>, keep: bool },
    /// The closing boundary came; the rest is ignored.
    Ended,
}

/// Splits a multipart stream into parts.
pub struct MultipartReader {
    delimiter: Vec<u8>,
    buf: Vec<u8>,
    state: State,
    max_part: usize,
    keep: fn(Option<&str>) -> bool,
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Where the headers end (after their empty line), if they have.
fn headers_end(buf: &[u8]) -> Option<usize> {
    if buf.starts_with(b"\r\n") {
        return Some(2);
    }
    if buf.starts_with(b"\n") {
        return Some(1);
    }
    let crlf = find(buf, b"\r\n\r\n").map(|i| i + 4);
    let lf = find(buf, b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

impl MultipartReader {
    /// A reader for parts separated by `--boundary`, keeping parts up to
    /// `max_part` bytes whose content type `keep` accepts.
    pub fn new(boundary: &str, max_part: usize, keep: fn(Option<&str>) -> bool) -> Self {
        MultipartReader {
            delimiter: format!("--{boundary}").into_bytes(),
            buf: Vec::new(),
            state: State::Boundary { skipped: 0 },
            max_part,
            keep,
        }
    }

    /// Whether the closing boundary has come.
    pub fn ended(&self) -> bool {
        matches!(self.state, State::Ended)
    }

    /// Takes in `bytes` and gives out the parts they complete.
    pub fn push(&mut self, bytes: &[u8]) -> Result<Vec<Part>, StreamError> {
        let mut parts = Vec::new();
        for piece in bytes.chunks(STEP) {
            if self.ended() {
                break;
            }
            self.buf.extend_from_slice(piece);
            self.drain(&mut parts)?;
        }
        Ok(parts)
    }

    /// Reads what the buffer holds as far as it goes.
    fn drain(&mut self, parts: &mut Vec<Part>) -> Result<(), StreamError> {
        loop {
            match &mut self.state {
                State::Boundary { skipped } => match find(&self.buf, &self.delimiter) {
                    Some(at) => {
                        self.buf.drain(..at + self.delimiter.len());
                        self.state = State::BoundaryLine;
                    }
                    None => {
                        // Keep what could be the start of a boundary cut by the chunk.
                        let passed = self.buf.len().saturating_sub(self.delimiter.len() - 1);
                        self.buf.drain(..passed);
                        *skipped += passed;
                        if *skipped > self.max_part {
                            return Err(StreamError::NoBoundary { limit: self.max_part });
                        }
                        return Ok(());
                    }
                },
                State::BoundaryLine => {
                    if self.buf.len() < 2 {
                        return Ok(());
                    }
                    if self.buf.starts_with(b"--") {
                        self.buf.clear();
                        self.state = State::Ended;
                        return Ok(());
                    }
                    let Some(end) = self.buf.iter().position(|b| *b == b'\n') else {
                        if self.buf.len() > MAX_HEADERS {
                            return Err(StreamError::HeadersTooLarge { limit: MAX_HEADERS });
                        }
                        return Ok(());
                    };
                    self.buf.drain(..=end);
                    self.state = State::Headers;
                }
                State::Headers => {
                    let Some(end) = headers_end(&self.buf) else {
                        if self.buf.len() > MAX_HEADERS {
                            return Err(StreamError::HeadersTooLarge { limit: MAX_HEADERS });
                        }
                        return Ok(());
                    };
                    if end > MAX_HEADERS {
                        return Err(StreamError::HeadersTooLarge { limit: MAX_HEADERS });
                    }
                    let headers: Vec<u8> = self.buf.drain(..end).collect();
                    let (content_type, length) = read_headers(&headers);
                    let keep = (self.keep)(content_type.as_deref());
                    self.state = match length {
                        Some(len) if !keep => State::Skip { left: len },
                        Some(len) if len > self.max_part => {
                            return Err(StreamError::PartTooLarge { limit: self.max_part });
                        }
                        Some(len) => State::Body { len, content_type },
                        None => State::Open { content_type, keep },
                    };
                }
                State::Body { len, content_type } => {
                    if self.buf.len() < *len {
                        return Ok(());
                    }
                    let body = self.buf.drain(..*len).collect();
                    parts.push(Part { content_type: content_type.take(), body });
                    self.state = State::Boundary { skipped: 0 };
                }
                State::Skip { left } => {
                    let n = (*left).min(self.buf.len());
                    self.buf.drain(..n);
                    *left -= n;
                    if *left > 0 {
                        return Ok(());
                    }
                    self.state = State::Boundary { skipped: 0 };
                }
                State::Open { content_type, keep } => {
                    let Some(at) = find(&self.buf, &self.delimiter) else {
                        if self.buf.len() > self.max_part + self.delimiter.len() {
                            return Err(StreamError::PartTooLarge { limit: self.max_part });
                        }
                        return Ok(());
                    };
                    let mut body: Vec<u8> = self.buf.drain(..at).collect();
                    // The line break before the boundary belongs to it.
                    if body.ends_with(b"\n") {
                        body.pop();
                        if body.ends_with(b"\r") {
                            body.pop();
                        }
                    }
                    if *keep {
                        parts.push(Part { content_type: content_type.take(), body });
                    }
                    self.state = State::Boundary { skipped: 0 };
                }
                State::Ended => {
                    self.buf.clear();
                    return Ok(());
                }
            }
        }
    }
}

/// `Content-Type` and `Content-Length` of a part's headers.
fn read_headers(headers: &[u8]) -> (Option<String>, Option<usize>) {
    let text = String::from_utf8_lossy(headers);
    let mut content_type = None;
    let mut length = None;
    for line in text.lines() {
        let Some((name, value)) = line.split_once(':') else { continue };
        let value = value.trim();
        if name.trim().eq_ignore_ascii_case("Content-Type") {
            content_type = Some(value.to_owned());
        } else if name.trim().eq_ignore_ascii_case("Content-Length") {
            length = value.parse().ok();
        }
    }
    (content_type, length)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn all(_: Option<&str>) -> bool {
        true
    }

    fn text_only(content_type: Option<&str>) -> bool {
        content_type.is_none_or(|t| t.starts_with("text/"))
    }

    const STREAM: &[u8] = b"preamble\r\n--b\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nfirst\r\n--b\r\nContent-Type: image/jpeg\r\nContent-Length: 4\r\n\r\n\xff\xd8\xff\xd9\r\n--b\r\nContent-Type: text/plain\r\n\r\nno length\r\n--b--\r\nafter";

    #[test]
    fn boundaries_come_from_the_content_type() {
        assert_eq!(boundary("multipart/mixed; boundary=boundary").as_deref(), Some("boundary"));
        assert_eq!(boundary("multipart/x-mixed-replace;Boundary=\"myboundary\"").as_deref(), Some("myboundary"));
        assert_eq!(boundary("multipart/mixed"), None);
        assert_eq!(boundary("multipart/mixed; boundary="), None);
    }

    #[test]
    fn parts_come_out_whatever_the_chunking() {
        let expected = vec![
            Part { content_type: Some("text/plain".into()), body: b"first".to_vec() },
            Part { content_type: Some("text/plain".into()), body: b"no length".to_vec() },
        ];
        for size in [1, 2, 3, 7, 64, STREAM.len()] {
            let mut reader = MultipartReader::new("b", 1024, text_only);
            let mut parts = Vec::new();
            for chunk in STREAM.chunks(size) {
                parts.extend(reader.push(chunk).unwrap());
            }
            assert_eq!(parts, expected, "chunks of {size}");
            assert!(reader.ended());
        }
    }

    #[test]
    fn a_part_with_a_length_is_given_out_before_the_next_boundary() {
        let mut reader = MultipartReader::new("b", 1024, all);
        let parts = reader.push(b"--b\r\nContent-Length: 3\r\n\r\nabc").unwrap();
        assert_eq!(parts, [Part { content_type: None, body: b"abc".to_vec() }]);
    }

    #[test]
    fn streams_without_boundaries_or_with_endless_parts_are_refused() {
        let mut reader = MultipartReader::new("b", 1024, all);
        let junk = vec![b'x'; 600];
        assert!(reader.push(&junk).is_ok());
        assert_eq!(reader.push(&junk).unwrap_err(), StreamError::NoBoundary { limit: 1024 });
        let mut reader = MultipartReader::new("b", 1024, all);
        reader.push(b"--b\r\nContent-Type: text/plain\r\n\r\n").unwrap();
        assert_eq!(reader.push(&[b'y'; 2048]).unwrap_err(), StreamError::PartTooLarge { limit: 1024 });
        let mut reader = MultipartReader::new("b", 1024, all);
        assert_eq!(
            reader.push(b"--b\r\nContent-Length: 5000\r\n\r\n").unwrap_err(),
            StreamError::PartTooLarge { limit: 1024 }
        );
        let mut reader = MultipartReader::new("b", 1 << 20, all);
        reader.push(b"--b\r\nX-Long: ").unwrap();
        assert_eq!(
            reader.push(&[b'h'; MAX_HEADERS + 1]).unwrap_err(),
            StreamError::HeadersTooLarge { limit: MAX_HEADERS }
        );
    }

    #[test]
    fn skipped_parts_are_not_held() {
        let mut reader = MultipartReader::new("b", 16, text_only);
        reader.push(b"--b\r\nContent-Type: image/jpeg\r\nContent-Length: 100000\r\n\r\n").unwrap();
        for _ in 0..100 {
            assert!(reader.push(&[0u8; 1000]).unwrap().is_empty());
            assert!(reader.buf.len() <= STEP);
        }
        let parts = reader.push(b"\r\n--b\r\nContent-Type: text/plain\r\n\r\nok\r\n--b").unwrap();
        assert_eq!(parts.len(), 1);
    }

    proptest! {
        #[test]
        fn never_panics_and_stays_bounded(chunks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..300), 0..20)) {
            let mut reader = MultipartReader::new("b", 512, all);
            for chunk in chunks {
                if reader.push(&chunk).is_err() {
                    break;
                }
                prop_assert!(reader.buf.len() <= 512 + MAX_HEADERS + STEP);
            }
        }
    }
}
