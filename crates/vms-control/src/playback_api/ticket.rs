//! The two archive tickets of playback. A playlist ticket (purpose
//! `archive`, issued through the API) opens one playlist and is spent by
//! it; the playlist mints a fragment ticket (purpose `fragments`) bound to
//! its window, for its fragment URLs. Both die within seconds when their
//! login ends or their user is disabled or loses a grant (markers in Redis,
//! checked on every request); without Redis they are refused (503), since
//! neither spending nor revocation could be checked.

use std::time::Duration;

use chrono::{DateTime, Utc};
use uuid::Uuid;
use vms_ticket::{Grant, Purpose, Ticket, TicketError, Window};

use crate::{error::ApiError, state::Archive};

/// Checks a playlist ticket for `role` of `camera` at `now` (Unix
/// seconds), then spends it.
pub async fn spend_playlist_ticket(
    archive: &Archive,
    now: i64,
    token: &str,
    camera: Uuid,
    role: &str,
) -> Result<Ticket, ApiError> {
    let ticket = archive.ticket_keys.verify(token, camera, role, Purpose::Archive, now)?;
    ensure_not_revoked(archive, &ticket).await?;
    let remaining = Duration::from_secs((ticket.exp - now).max(1) as u64);
    match archive.hot.spend_ticket(ticket.jti, remaining).await {
        Ok(true) => Ok(ticket),
        Ok(false) => Err(TicketError::AlreadyUsed.into()),
        Err(e) => Err(ApiError::unavailable("ticket store", format!("{e:#}"))),
    }
}

/// Mints at `now` (Unix seconds) the fragment ticket of a playlist opened
/// with `playlist` for `[start, end)`: same user, login, camera and stream,
/// living the window's length plus a margin ([`vms_ticket::window_ttl`]).
pub fn mint_fragment_ticket(
    archive: &Archive,
    now: i64,
    playlist: &Ticket,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> String {
    let grant = Grant {
        user: playlist.sub,
        tenant: playlist.tid,
        session: playlist.sid,
        camera: playlist.cam,
        stream: &playlist.stream,
        purpose: Purpose::Fragments,
        window: Some(Window { start_ms: start.timestamp_millis(), end_ms: end.timestamp_millis() }),
    };
    let ttl = vms_ticket::window_ttl((end - start).num_seconds());
    archive.tickets.sign(&grant, now, ttl).0
}

/// Authenticates a fragment ticket at `now` (Unix seconds; not yet checked
/// against a file) and returns it with its window.
pub async fn open_fragment_ticket(archive: &Archive, now: i64, token: &str) -> Result<(Ticket, Window), ApiError> {
    let ticket = archive.ticket_keys.decode(token, now)?;
    let window = match (ticket.purpose, ticket.win) {
        (Purpose::Fragments, Some(window)) => window,
        _ => return Err(TicketError::WrongPurpose.into()),
    };
    ensure_not_revoked(archive, &ticket).await?;
    Ok((ticket, window))
}

/// Refuses a ticket whose login was revoked, or whose user's tickets were
/// revoked after it was issued.
async fn ensure_not_revoked(archive: &Archive, ticket: &Ticket) -> Result<(), ApiError> {
    match archive.hot.is_ticket_revoked(ticket.sub, ticket.sid, ticket.iat).await {
        Ok(false) => Ok(()),
        Ok(true) => Err(TicketError::Revoked.into()),
        Err(e) => Err(ApiError::unavailable("ticket revocation check", format!("{e:#}"))),
    }
}
