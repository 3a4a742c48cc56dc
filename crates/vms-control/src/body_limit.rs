//! Reads every request body whole, before routing, so every answer reaches
//! the client.
//!
//! A server that answers before it has read the request's body leaves the
//! client still sending: over HTTP/2 the stream is then reset, and clients
//! such as curl and browsers report no response at all (not the 404 or 400
//! that was sent); over HTTP/1.1 the connection is closed under the client's
//! feet. So the body is read first, up to [`MAX_BODY`]; a longer one is read
//! on and thrown away (up to [`MAX_DRAIN`] bytes within [`DRAIN_TIME`]) and
//! answered with a 400 naming the limit. Past those bounds the answer goes out
//! anyway: a client sending that much is not owed more of our time.
//!
//! Every body the API accepts is small JSON (or an SDP offer), so holding it
//! in memory costs nothing the extractors would not spend anyway.

use std::time::Duration;

use axum::{
    body::{Body, HttpBody},
    extract::Request,
    middleware::Next,
    response::{IntoResponse, Response},
};
use futures::StreamExt;

use crate::error::ApiError;

/// Largest request body the API reads (axum's default limit, which the extractors also apply).
pub const MAX_BODY: usize = 2 << 20;
/// Most bytes of an over-long body read and thrown away, so the client still gets its 400.
pub const MAX_DRAIN: usize = 32 << 20;
/// Longest time spent reading one body.
pub const DRAIN_TIME: Duration = Duration::from_secs(15);

/// Buffers the request's body (see the module doc) and passes the request on.
pub async fn read_whole_body(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    if body.is_end_stream() {
        return next.run(Request::from_parts(parts, body)).await;
    }
    match read(body).await {
        Ok(bytes) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        Err(error) => error.into_response(),
    }
}

async fn read(body: Body) -> Result<bytes::Bytes, ApiError> {
    let deadline = tokio::time::Instant::now() + DRAIN_TIME;
    let mut stream = body.into_data_stream();
    let mut kept = bytes::BytesMut::new();
    let mut total = 0usize;
    loop {
        let chunk = match tokio::time::timeout_at(deadline, stream.next()).await {
            Ok(Some(Ok(chunk))) => chunk,
            Ok(Some(Err(e))) => return Err(ApiError::invalid("body", format!("failed to read: {e}"))),
            Ok(None) => break,
            Err(_) if total > MAX_BODY => break,
            Err(_) => return Err(ApiError::invalid("body", "not received in time")),
        };
        total += chunk.len();
        if total <= MAX_BODY {
            kept.extend_from_slice(&chunk);
        } else if total > MAX_DRAIN {
            break;
        }
    }
    if total > MAX_BODY {
        return Err(ApiError::invalid("body", format!("must be at most {MAX_BODY} bytes")));
    }
    Ok(kept.freeze())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn keeps_a_body_within_the_limit_and_refuses_a_longer_one_after_reading_it() {
        let small = read(Body::from(vec![b'a'; 1000])).await.unwrap();
        assert_eq!(small.len(), 1000);
        let exact = read(Body::from(vec![b'a'; MAX_BODY])).await.unwrap();
        assert_eq!(exact.len(), MAX_BODY);
        let chunks = futures::stream::iter((0..6).map(|_| Ok::<_, std::io::Error>(vec![b'b'; 1 << 20])));
        let error = read(Body::from_stream(chunks)).await.unwrap_err();
        assert!(error.message().starts_with("body: must be at most"), "{}", error.message());
    }
}
