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

use crate::{AppState, error::ApiError};

/// Checks a playlist ticket for `role` of `camera`, then spends it.
pub async fn spend_playlist_ticket(
    state: &AppState,
    token: &str,
    camera: Uuid,
    role: &str,
) -> Result<Ticket, ApiError> {
    let now = state.clock.now().timestamp();
    let ticket = state.ticket_keys.verify(token, camera, role, Purpose::Archive, now)?;
    ensure_not_revoked(state, &ticket).await?;
    let remaining = Duration::from_secs((ticket.exp - now).max(1) as u64);
    match state.hot.spend_ticket(ticket.jti, remaining).await {
        Ok(true) => Ok(ticket),
        Ok(false) => Err(TicketError::AlreadyUsed.into()),
        Err(e) => Err(ApiError::unavailable("ticket store", format!("{e:#}"))),
    }
}

/// Mints the fragment ticket of a playlist opened with `playlist` for
/// `[start, end)`: same user, login, camera and stream, living the window's
/// length plus a margin ([`vms_ticket::window_ttl`]).
pub fn mint_fragment_ticket(state: &AppState, playlist: &Ticket, start: DateTime<Utc>, end: DateTime<Utc>) -> String {
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
    state.tickets.sign(&grant, state.clock.now().timestamp(), ttl).0
}

/// Authenticates a fragment ticket (not yet checked against a file) and
/// returns it with its window.
pub async fn open_fragment_ticket(state: &AppState, token: &str) -> Result<(Ticket, Window), ApiError> {
    let ticket = state.ticket_keys.decode(token, state.clock.now().timestamp())?;
    let window = match (ticket.purpose, ticket.win) {
        (Purpose::Fragments, Some(window)) => window,
        _ => return Err(TicketError::WrongPurpose.into()),
    };
    ensure_not_revoked(state, &ticket).await?;
    Ok((ticket, window))
}

/// Refuses a ticket whose login was revoked, or whose user's tickets were
/// revoked after it was issued.
async fn ensure_not_revoked(state: &AppState, ticket: &Ticket) -> Result<(), ApiError> {
    match state.hot.is_ticket_revoked(ticket.sub, ticket.sid, ticket.iat).await {
        Ok(false) => Ok(()),
        Ok(true) => Err(TicketError::Revoked.into()),
        Err(e) => Err(ApiError::unavailable("ticket revocation check", format!("{e:#}"))),
    }
}
