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
//! authenticated:
//! - a body for a path or method no route takes is read and thrown away,
//!   never kept;
//! - a body of up to [`SMALL_BODY`] (every login, refresh and ordinary API
//!   call) is kept without asking, so nothing larger can crowd it out;
//! - a larger one first reserves room for its whole declared length (or the
//!   limit, when it declares none) in a [`BodyBudget`]: all requests together
//!   hold at most `limits.max_buffered_body_mib`, one client address at most
//!   [`PER_ADDRESS`] of it. A request finding no room waits up to
//!   [`BUDGET_WAIT`], then gets 503 with `Retry-After`; one that proves longer
//!   than the limit gives its room back at once and is drained.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

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
/// Bodies up to this size are kept without reserving room.
pub const SMALL_BODY: usize = 64 << 10;
/// Most room one client address (an IPv6 client: its /64) holds at once.
pub const PER_ADDRESS: usize = 8 << 20;
/// The budget's unit: one permit holds this many bytes.
const UNIT: usize = 1024;

/// The request bodies the server holds at once, in bytes, across every
/// connection and per client address. Shared by clones.
#[derive(Clone)]
pub struct BodyBudget {
    units: Arc<Semaphore>,
    total: usize,
    /// Bytes reserved per client address.
    held: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// Room reserved for one body; given back when dropped.
#[derive(Debug)]
pub struct Room {
    _units: OwnedSemaphorePermit,
    _share: Option<Share>,
}

/// One address's part of a reservation; given back when dropped.
#[derive(Debug)]
struct Share {
    address: IpAddr,
    bytes: usize,
    held: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl Drop for Share {
    fn drop(&mut self) {
        let mut held = self.held.lock().expect("body budget lock should not be poisoned");
        if let Some(bytes) = held.get_mut(&self.address) {
            *bytes = bytes.saturating_sub(self.bytes);
            if *bytes == 0 {
                held.remove(&self.address);
            }
        }
    }
}

impl BodyBudget {
    /// A budget of `mib` MiB.
    pub fn new(mib: u32) -> Self {
        let total = (mib as usize).saturating_mul(1 << 20);
        Self { units: Arc::new(Semaphore::new(total / UNIT)), total, held: Arc::default() }
    }

    /// Reserves room for `bytes` for a client at `address`, waiting for the
    /// shared budget until `deadline` at most; the address's share is checked at once.
    async fn reserve(
        &self,
        address: Option<IpAddr>,
        bytes: usize,
        deadline: tokio::time::Instant,
    ) -> Result<Room, ApiError> {
        if bytes > self.total {
            return Err(busy());
        }
        let share = match address.map(vms_base::conn_limit::address_key) {
            None => None,
            Some(address) => {
                let mut held = self.held.lock().expect("body budget lock should not be poisoned");
                let mine = held.entry(address).or_default();
                if *mine + bytes > PER_ADDRESS.min(self.total) {
                    return Err(busy());
                }
                *mine += bytes;
                Some(Share { address, bytes, held: self.held.clone() })
            }
        };
        // Without room in time, the share goes back as it drops.
        let units = u32::try_from(bytes.div_ceil(UNIT)).unwrap_or(u32::MAX);
        match tokio::time::timeout_at(deadline, self.units.clone().acquire_many_owned(units)).await {
            Ok(Ok(units)) => Ok(Room { _units: units, _share: share }),
            _ => Err(busy()),
        }
    }
}

fn busy() -> ApiError {
    ApiError::new(
        vms_base::ErrorCode::Unavailable,
        "the server is receiving too many request bodies; try again shortly",
    )
    .with_retry_after(Duration::from_secs(5))
}

/// What a body reader may keep.
enum Keep<'a> {
    /// Nothing: no route will read it.
    Nothing,
    /// Small bodies freely; larger ones within the budget, for this address.
    Within(&'a BodyBudget, Option<IpAddr>),
}

/// Buffers the request's body (see the module doc) and passes the request on.
pub async fn read_whole_body(State(budget): State<BodyBudget>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    if body.is_end_stream() {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let keep = if crate::routes::is_routed(&parts.method, parts.uri.path()) {
        Keep::Within(&budget, crate::extract::ClientIp::of(&parts.extensions).0)
    } else {
        Keep::Nothing
    };
    match read(body, keep).await {
        // The room is held until the handler has answered: its extractors read the body.
        Ok((bytes, _room)) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        Err(error) => error.into_response(),
    }
}

/// Reads `body` whole, keeping what `keep` allows. Returns the bytes kept
/// and the room they hold, if they needed any.
async fn read(body: Body, keep: Keep<'_>) -> Result<(bytes::Bytes, Option<Room>), ApiError> {
    let started = tokio::time::Instant::now();
    let deadline = started + DRAIN_TIME;
    let declared = body.size_hint().exact().map(|n| usize::try_from(n).unwrap_or(usize::MAX));
    let mut room = match keep {
        Keep::Within(budget, address) if declared.is_none_or(|n| n > SMALL_BODY && n <= MAX_BODY) => {
            let want = declared.unwrap_or(MAX_BODY);
            Some(budget.reserve(address, want, started + BUDGET_WAIT).await?)
        }
        _ => None,
    };
    let keeping = matches!(keep, Keep::Within(..)) && declared.is_none_or(|n| n <= MAX_BODY);
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
        if total > MAX_DRAIN {
            break;
        }
        if total > MAX_BODY {
            // Refused whatever else comes: nothing more is kept, the room goes back now.
            room = None;
            kept = bytes::BytesMut::new();
            continue;
        }
        if keeping {
            kept.extend_from_slice(&chunk);
        }
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

    fn ip(n: u8) -> Option<IpAddr> {
        Some(IpAddr::from([192, 0, 2, n]))
    }

    #[tokio::test]
    async fn keeps_a_body_within_the_limit_and_refuses_a_longer_one_after_reading_it() {
        let budget = BodyBudget::new(64);
        let (small, room) = read(Body::from(vec![b'a'; 1000]), Keep::Within(&budget, ip(1))).await.unwrap();
        assert_eq!(small.len(), 1000);
        assert!(room.is_none(), "a small body needs no room");
        let (exact, room) = read(Body::from(vec![b'a'; MAX_BODY]), Keep::Within(&budget, ip(1))).await.unwrap();
        assert_eq!(exact.len(), MAX_BODY);
        assert!(room.is_some());
        drop(room);
        let error = read(chunks(6, 1 << 20), Keep::Within(&budget, ip(1))).await.unwrap_err();
        assert!(error.message().starts_with("body: must be at most"), "{}", error.message());
        assert_eq!(budget.units.available_permits(), (64 << 20) / UNIT, "everything taken was given back");
        assert!(budget.held.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_body_nothing_will_read_is_drained_not_kept() {
        let (kept, room) = read(chunks(2, 1 << 20), Keep::Nothing).await.unwrap();
        assert!(kept.is_empty() && room.is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn large_bodies_wait_for_room_then_get_503_while_small_ones_pass() {
        let budget = BodyBudget::new(4);
        let big = || Body::from(vec![b'a'; 1500 << 10]);
        let (_, first) = read(big(), Keep::Within(&budget, ip(1))).await.unwrap();
        let (_, second) = read(big(), Keep::Within(&budget, ip(2))).await.unwrap();
        // 3000 KiB of the 4 MiB are held: another 1500 KiB waits, and gives up after BUDGET_WAIT.
        let error = read(big(), Keep::Within(&budget, ip(3))).await.unwrap_err();
        assert_eq!(error.code(), vms_base::ErrorCode::Unavailable, "{}", error.message());
        // A login-sized body is never held up by them.
        let (login, _) = read(Body::from(vec![b'a'; 300]), Keep::Within(&budget, ip(3))).await.unwrap();
        assert_eq!(login.len(), 300);
        drop((first, second));
        let (third, _) = read(big(), Keep::Within(&budget, ip(3))).await.unwrap();
        assert_eq!(third.len(), 1500 << 10);
    }

    #[tokio::test]
    async fn one_address_holds_at_most_its_share() {
        let budget = BodyBudget::new(64);
        let mut held = Vec::new();
        for _ in 0..(PER_ADDRESS / MAX_BODY) {
            held.push(read(Body::from(vec![b'a'; MAX_BODY]), Keep::Within(&budget, ip(9))).await.unwrap().1);
        }
        let error = read(Body::from(vec![b'a'; MAX_BODY]), Keep::Within(&budget, ip(9))).await.unwrap_err();
        assert_eq!(error.code(), vms_base::ErrorCode::Unavailable, "past its share an address waits for nobody");
        let (other, _) = read(Body::from(vec![b'a'; MAX_BODY]), Keep::Within(&budget, ip(10))).await.unwrap();
        assert_eq!(other.len(), MAX_BODY, "another address has its own share");
        drop(held);
        assert!(budget.held.lock().unwrap().get(&IpAddr::from([192, 0, 2, 9])).is_none());
    }
}
