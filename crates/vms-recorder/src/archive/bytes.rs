//! Serving a file's bytes, whole or one HTTP range of them, streamed from
//! disk.

use std::{io::SeekFrom, path::Path};

use axum::{
    body::Body,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio_util::io::ReaderStream;
use vms_base::ErrorCode;
use vms_http::Refusal;

use super::span;

/// Parses a single `bytes=a-b`, `bytes=a-` or `bytes=-n` range of a `len`-byte file.
fn byte_range(header: &str, len: u64) -> Option<(u64, u64)> {
    let spec = header.strip_prefix("bytes=")?.trim();
    if spec.contains(',') {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let (start, end) = match (first.trim(), last.trim()) {
        ("", n) => {
            let n: u64 = n.parse().ok()?;
            (len.checked_sub(n.min(len))?, len.checked_sub(1)?)
        }
        (a, "") => (a.parse().ok()?, len.checked_sub(1)?),
        (a, b) => (a.parse().ok()?, b.parse::<u64>().ok()?.min(len.checked_sub(1)?)),
    };
    (start <= end && end < len).then_some((start, end))
}

/// Streams `path` (the `range` asked for, or all of it) as `content_type`.
/// With `opened`, only bytes inside one of its spans may be read (403
/// otherwise); a file that is gone is 404.
pub(crate) async fn serve(
    path: &Path,
    opened: Option<&[(u64, u64)]>,
    range: Option<&str>,
    content_type: &'static str,
) -> Result<Response, Refusal> {
    let mut file = tokio::fs::File::open(path)
        .await
        .map_err(|_| Refusal::new(ErrorCode::NotFound, "the file is no longer on disk"))?;
    let len = file.metadata().await.map_err(internal)?.len();
    let (status, start, end) = match range {
        None => (StatusCode::OK, 0, len.saturating_sub(1)),
        Some(r) => match byte_range(r, len) {
            Some((a, b)) => (StatusCode::PARTIAL_CONTENT, a, b),
            None => {
                let refused = [(header::CONTENT_RANGE, format!("bytes */{len}"))];
                return Ok((StatusCode::RANGE_NOT_SATISFIABLE, refused).into_response());
            }
        },
    };
    if opened.is_some_and(|spans| !span::covers(spans, start, end)) {
        return Err(Refusal::new(
            ErrorCode::PermissionDenied,
            "stream ticket refused: those bytes lie outside the window the ticket opens",
        ));
    }
    file.seek(SeekFrom::Start(start)).await.map_err(internal)?;
    let count = if len == 0 { 0 } else { end - start + 1 };
    let body = Body::from_stream(ReaderStream::new(file.take(count)));
    let mut response = (status, body).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, header::HeaderValue::from_static(content_type));
    h.insert(header::ACCEPT_RANGES, header::HeaderValue::from_static("bytes"));
    h.insert(header::CONTENT_LENGTH, count.into());
    if status == StatusCode::PARTIAL_CONTENT {
        let value = format!("bytes {start}-{end}/{len}");
        h.insert(header::CONTENT_RANGE, value.parse().expect("a valid header"));
    }
    Ok(response)
}

fn internal(e: std::io::Error) -> Refusal {
    tracing::warn!(error = %e, "reading an archive file failed");
    Refusal::new(ErrorCode::Internal, "the file could not be read")
}

#[cfg(test)]
mod tests {
    use super::byte_range;

    #[test]
    fn byte_ranges_parse_like_http_says() {
        assert_eq!(byte_range("bytes=0-99", 1000), Some((0, 99)));
        assert_eq!(byte_range("bytes=900-", 1000), Some((900, 999)));
        assert_eq!(byte_range("bytes=-100", 1000), Some((900, 999)));
        assert_eq!(byte_range("bytes=990-2000", 1000), Some((990, 999)));
        assert_eq!(byte_range("bytes=1000-1001", 1000), None, "past the end");
        assert_eq!(byte_range("bytes=5-1", 1000), None);
        assert_eq!(byte_range("bytes=0-1,5-6", 1000), None, "one range only");
        assert_eq!(byte_range("items=0-1", 1000), None);
    }
}
