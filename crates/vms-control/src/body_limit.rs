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
//! Every body the API accepts is small JSON (or an SDP offer). What is held
//! is bounded all the same, since it is held before anyone has
//! authenticated: a body for a path or method no route takes is read and
//! thrown away, never kept; and the bodies kept at once, all requests
//! together, fit in a [`BodyBudget`] (`limits.max_buffered_body_mib`). A
//! request whose body does not fit waits up to [`BUDGET_WAIT`] for room, then
//! gets 503 with `Retry-After`.

use std::{sync::Arc, time::Duration};

use axum::{
    body::{Body, HttpBody},
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use futures::StreamExt;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::ApiError;

/// Largest request body the API reads (axum's default limit, which the extractors also apply).
pub const MAX_BODY: usize = 2 << 20;
/// Most bytes of an over-long body read and thrown away, so the client still gets its 400.
pub const MAX_DRAIN: usize = 32 << 20;
/// Longest time spent reading one body.
pub const DRAIN_TIME: Duration = Duration::from_secs(15);
/// Longest a request waits for room in the [`BodyBudget`].
pub const BUDGET_WAIT: Duration = Duration::from_secs(5);
/// The budget's unit: one permit holds this many bytes.
const UNIT: usize = 1024;

/// The request bodies the server holds at once, in bytes, across every
/// connection. Shared by clones.
#[derive(Clone)]
pub struct BodyBudget {
    units: Arc<Semaphore>,
    total: u32,
}

impl BodyBudget {
    /// A budget of `mib` MiB.
    pub fn new(mib: u32) -> Self {
        let total = mib.saturating_mul(1024);
        Self { units: Arc::new(Semaphore::new(total as usize)), total }
    }

    /// Takes room for `bytes` more, waiting until `deadline` at most.
    async fn take(&self, bytes: usize, deadline: tokio::time::Instant) -> Result<OwnedSemaphorePermit, ApiError> {
        let units = u32::try_from(bytes.div_ceil(UNIT)).unwrap_or(u32::MAX);
        if units > self.total {
            return Err(busy());
        }
        tokio::time::timeout_at(deadline, self.units.clone().acquire_many_owned(units))
            .await
            .map_err(|_| busy())?
            .map_err(|_| busy())
    }
}

fn busy() -> ApiError {
    ApiError::new(
        vms_base::ErrorCode::Unavailable,
        "the server is receiving too many request bodies; try again shortly",
    )
    .with_retry_after(Duration::from_secs(5))
}

/// Buffers the request's body (see the module doc) and passes the request on.
pub async fn read_whole_body(State(budget): State<BodyBudget>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    if body.is_end_stream() {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let keep = crate::routes::is_routed(&parts.method, parts.uri.path());
    match read(body, keep.then_some(&budget)).await {
        // The room is held until the handler has answered: its extractors read the body.
        Ok((bytes, _room)) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        Err(error) => error.into_response(),
    }
}

/// Reads `body` whole, keeping it within `budget`, or only draining it when
/// there is none (nothing will read it). Returns the bytes kept and the room they hold.
async fn read(
    body: Body,
    budget: Option<&BodyBudget>,
) -> Result<(bytes::Bytes, Option<OwnedSemaphorePermit>), ApiError> {
    let started = tokio::time::Instant::now();
    let deadline = started + DRAIN_TIME;
    let mut stream = body.into_data_stream();
    let mut kept = bytes::BytesMut::new();
    let mut room: Option<OwnedSemaphorePermit> = None;
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
        if total > MAX_DRAIN {
            break;
        }
        let Some(budget) = budget.filter(|_| total <= MAX_BODY) else { continue };
        let held = room.as_ref().map_or(0, |r| r.num_permits() * UNIT);
        if total > held {
            let more = budget.take(total - held, (started + BUDGET_WAIT).max(tokio::time::Instant::now())).await?;
            match room.as_mut() {
                Some(r) => r.merge(more),
                None => room = Some(more),
            }
        }
        kept.extend_from_slice(&chunk);
    }
    if total > MAX_BODY {
        return Err(ApiError::invalid("body", format!("must be at most {MAX_BODY} bytes")));
    }
    Ok((kept.freeze(), room))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(n: usize, size: usize) -> Body {
        Body::from_stream(futures::stream::iter((0..n).map(move |_| Ok::<_, std::io::Error>(vec![b'b'; size]))))
    }

    #[tokio::test]
    async fn keeps_a_body_within_the_limit_and_refuses_a_longer_one_after_reading_it() {
        let budget = BodyBudget::new(64);
        let (small, room) = read(Body::from(vec![b'a'; 1000]), Some(&budget)).await.unwrap();
        assert_eq!(small.len(), 1000);
        assert_eq!(room.unwrap().num_permits(), 1, "room for what is kept, rounded up to KiB");
        let (exact, _) = read(Body::from(vec![b'a'; MAX_BODY]), Some(&budget)).await.unwrap();
        assert_eq!(exact.len(), MAX_BODY);
        let error = read(chunks(6, 1 << 20), Some(&budget)).await.unwrap_err();
        assert!(error.message().starts_with("body: must be at most"), "{}", error.message());
        assert_eq!(budget.units.available_permits(), 64 * 1024, "everything taken was given back");
    }

    #[tokio::test]
    async fn a_body_nothing_will_read_is_drained_not_kept() {
        let (kept, room) = read(chunks(2, 1 << 20), None).await.unwrap();
        assert!(kept.is_empty() && room.is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn bodies_beyond_the_budget_wait_for_room_then_get_503() {
        let budget = BodyBudget::new(1);
        let (_, held) = read(Body::from(vec![b'a'; 700 << 10]), Some(&budget)).await.unwrap();
        // 700 KiB of the 1 MiB is held: another 700 KiB waits, and gives up after BUDGET_WAIT.
        let error = read(Body::from(vec![b'a'; 700 << 10]), Some(&budget)).await.unwrap_err();
        assert_eq!(error.code(), vms_base::ErrorCode::Unavailable, "{}", error.message());
        // Once the first is answered, its room is free again.
        drop(held);
        let (second, _) = read(Body::from(vec![b'a'; 700 << 10]), Some(&budget)).await.unwrap();
        assert_eq!(second.len(), 700 << 10);
        // A body larger than the whole budget is refused at once.
        let error = read(chunks(2, 600 << 10), Some(&budget)).await.unwrap_err();
        assert_eq!(error.code(), vms_base::ErrorCode::Unavailable);
    }
}
