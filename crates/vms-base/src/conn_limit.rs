//! Admission of new connections on a public listener, before anything about
//! the client is known but its address.
//!
//! A [`ConnGate`] enforces three limits per listener: a cap on open
//! connections, a cap on open connections per client address (so one client
//! cannot take every slot), and a token bucket per address on new
//! connections (so a client cannot make the server do TLS handshakes or
//! authentication checks as fast as it can connect). Addresses in
//! [`ConnLimits::exempt`] (the planes' own addresses, a reverse proxy) skip
//! the per-address limits but still count toward the listener's cap.
//!
//! IPv6 clients are counted per /64, the smallest block a host is usually
//! given. A refused connection is accepted and closed at once by the caller:
//! leaving it in the kernel's backlog would fill the backlog and stall every
//! client, while closing it tells the client at once and costs one accept.

use std::{
    collections::HashMap,
    net::{IpAddr, Ipv6Addr},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Most token buckets a gate keeps; beyond it, full (idle) buckets are
/// dropped, and if every bucket is in use they are all forgotten (the
/// connection caps still hold).
const MAX_BUCKETS: usize = 65_536;
/// How often a gate logs that it refuses connections.
const WARN_EVERY: Duration = Duration::from_secs(60);

/// The limits of one listener.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnLimits {
    /// Most connections open at once.
    pub max_connections: usize,
    /// Most connections open at once from one address (IPv6: one /64).
    pub max_per_address: usize,
    /// Time a client has to send a request's line and headers (and, for TLS,
    /// to finish the handshake).
    pub header_timeout: Duration,
    /// Time a connection may stay open with no request in flight.
    pub idle_timeout: Duration,
    /// New connections one address may open per second, on average.
    pub new_per_second: u32,
    /// New connections one address may open at once before the rate applies.
    pub burst: u32,
    /// Addresses exempt from the per-address limits.
    pub exempt: Vec<IpAddr>,
}

/// Why a connection was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The listener holds its most connections.
    Full,
    /// The client's address holds its most connections.
    AddressFull,
    /// The client's address opens connections too fast.
    TooFast,
}

impl Refused {
    /// Names the reason in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Refused::Full => "listener full",
            Refused::AddressFull => "too many connections from this address",
            Refused::TooFast => "too many new connections from this address",
        }
    }
}

/// The admission state of one listener; cheap to clone (shared).
#[derive(Debug, Clone)]
pub struct ConnGate {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    limits: ConnLimits,
    slots: Arc<Semaphore>,
    counts: Mutex<Counts>,
}

#[derive(Debug, Default)]
struct Counts {
    open: HashMap<IpAddr, usize>,
    buckets: HashMap<IpAddr, Bucket>,
    last_warning: Option<Instant>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// One admitted connection's slot, given back when dropped.
#[derive(Debug)]
pub struct ConnPermit {
    inner: Arc<Inner>,
    key: Option<IpAddr>,
    _slot: OwnedSemaphorePermit,
}

impl ConnGate {
    /// Creates the gate of one listener.
    pub fn new(limits: ConnLimits) -> Self {
        let slots = Arc::new(Semaphore::new(limits.max_connections));
        Self { inner: Arc::new(Inner { limits, slots, counts: Mutex::default() }) }
    }

    /// Returns the limits this gate enforces.
    pub fn limits(&self) -> &ConnLimits {
        &self.inner.limits
    }

    /// Admits a new connection from `peer`, or says why not (and logs it,
    /// at most once a minute per listener).
    pub fn admit(&self, peer: IpAddr, listener: &'static str) -> Result<ConnPermit, Refused> {
        let result = self.admit_at(peer, Instant::now());
        if let Err(refused) = result {
            let mut counts = self.inner.counts.lock().expect("gate lock should not be poisoned");
            if counts.last_warning.is_none_or(|at| at.elapsed() >= WARN_EVERY) {
                counts.last_warning = Some(Instant::now());
                tracing::warn!(listener, %peer, reason = refused.as_str(), "refusing connections");
            }
        }
        result
    }

    fn admit_at(&self, peer: IpAddr, now: Instant) -> Result<ConnPermit, Refused> {
        let limits = &self.inner.limits;
        let peer = peer.to_canonical();
        let key = (!limits.exempt.contains(&peer)).then(|| address_key(peer));
        let mut counts = self.inner.counts.lock().expect("gate lock should not be poisoned");
        if let Some(key) = key {
            if counts.open.get(&key).copied().unwrap_or(0) >= limits.max_per_address {
                return Err(Refused::AddressFull);
            }
            if !counts.take_token(key, limits, now) {
                return Err(Refused::TooFast);
            }
        }
        let slot = self.inner.slots.clone().try_acquire_owned().map_err(|_| Refused::Full)?;
        if let Some(key) = key {
            *counts.open.entry(key).or_default() += 1;
        }
        Ok(ConnPermit { inner: self.inner.clone(), key, _slot: slot })
    }
}

impl Counts {
    fn take_token(&mut self, key: IpAddr, limits: &ConnLimits, now: Instant) -> bool {
        let (rate, burst) = (f64::from(limits.new_per_second), f64::from(limits.burst));
        if !self.buckets.contains_key(&key) && self.buckets.len() >= MAX_BUCKETS {
            let refill = Duration::from_secs_f64(burst / rate);
            self.buckets.retain(|_, b| now.saturating_duration_since(b.at) < refill);
            if self.buckets.len() >= MAX_BUCKETS {
                self.buckets.clear();
            }
        }
        let bucket = self.buckets.entry(key).or_insert(Bucket { tokens: burst, at: now });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

impl Drop for ConnPermit {
    fn drop(&mut self) {
        let Some(key) = self.key else { return };
        let mut counts = self.inner.counts.lock().expect("gate lock should not be poisoned");
        if let Some(open) = counts.open.get_mut(&key) {
            *open -= 1;
            if *open == 0 {
                counts.open.remove(&key);
            }
        }
    }
}

/// The address a client is counted under: itself for IPv4, its /64 for IPv6.
/// The unit per-address limits count in: an IPv4 address (an IPv4-mapped
/// IPv6 address counts as its IPv4 one), or an IPv6 /64, which one host
/// usually holds whole and could otherwise spread its attempts across.
pub fn address_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        ip @ IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !((1u128 << 64) - 1))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> ConnLimits {
        ConnLimits {
            max_connections: 4,
            max_per_address: 2,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            new_per_second: 1,
            burst: 3,
            exempt: vec!["127.0.0.1".parse().unwrap()],
        }
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn caps_each_address_and_the_listener() {
        let gate = ConnGate::new(limits());
        let now = Instant::now();
        let a1 = gate.admit_at(ip("10.0.0.1"), now).unwrap();
        let _a2 = gate.admit_at(ip("10.0.0.1"), now).unwrap();
        assert_eq!(gate.admit_at(ip("10.0.0.1"), now).unwrap_err(), Refused::AddressFull);
        let _b = gate.admit_at(ip("10.0.0.2"), now).unwrap();
        let _c = gate.admit_at(ip("10.0.0.3"), now).unwrap();
        assert_eq!(gate.admit_at(ip("10.0.0.4"), now).unwrap_err(), Refused::Full);
        drop(a1);
        let _a3 = gate.admit_at(ip("10.0.0.1"), now).unwrap();
    }

    #[test]
    fn limits_the_rate_of_new_connections() {
        let gate = ConnGate::new(limits());
        let now = Instant::now();
        for _ in 0..3 {
            drop(gate.admit_at(ip("10.0.0.1"), now).unwrap());
        }
        assert_eq!(gate.admit_at(ip("10.0.0.1"), now).unwrap_err(), Refused::TooFast);
        drop(gate.admit_at(ip("10.0.0.1"), now + Duration::from_secs(1)).unwrap());
    }

    #[test]
    fn exempt_addresses_skip_the_per_address_limits_only() {
        let gate = ConnGate::new(limits());
        let now = Instant::now();
        let held: Vec<_> = (0..4).map(|_| gate.admit_at(ip("127.0.0.1"), now).unwrap()).collect();
        assert_eq!(gate.admit_at(ip("::ffff:127.0.0.1"), now).unwrap_err(), Refused::Full);
        drop(held);
    }

    #[test]
    fn counts_ipv6_per_64() {
        let gate = ConnGate::new(limits());
        let now = Instant::now();
        let _a = gate.admit_at(ip("2001:db8::1"), now).unwrap();
        let _b = gate.admit_at(ip("2001:db8::2"), now).unwrap();
        assert_eq!(gate.admit_at(ip("2001:db8::3"), now).unwrap_err(), Refused::AddressFull);
        let _c = gate.admit_at(ip("2001:db8:0:1::1"), now).unwrap();
    }
}
