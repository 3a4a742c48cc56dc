//! The live events feed: `GET /api/events/ws`, a WebSocket streaming every
//! new and updated event the caller may read, as control stores it.
//!
//! A caller authenticates with its bearer token or API key, or, from a
//! browser (which cannot set headers on a WebSocket), with a one-use ticket
//! from `POST /api/events/ws-ticket` in the query. Filters are those of the
//! search (`cameras`, `sites`, `types`, `labels`, `zones`). Each message is
//! `{"type": "event", "event": {…}, "cursor"}`; `{"type": "heartbeat", "at"}`
//! comes every [`HEARTBEAT`]. A rule's notify action sends
//! `{"type": "notification", "rule": {"id", "name"}, "message", "event"}` to
//! the feeds that would get its event (live only, never replayed).
//! Discovery scans send `{"type": "discovery", …}` to the feeds of their
//! tenant's users who may scan (live only; docs/guide/devices.md). After a reconnect, `after=<the last cursor>`
//! first replays every change since that message (up to [`REPLAY_MAX`],
//! then `{"type": "truncated"}` says to search for the rest), then goes
//! live; a feed that falls behind the broadcast catches up the same way,
//! from the database. (`after=<event id>` resumes from that event's latest
//! change, which skips changes made meanwhile to events before it: the
//! cursor is exact.) The feed ends when the caller's login is revoked.

use std::{sync::Arc, time::Duration};

use axum::{
    Json,
    extract::{
        FromRequestParts, State, WebSocketUpgrade,
        ws::{Message, WebSocket},
    },
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::Response,
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::sync::broadcast;
use utoipa::ToSchema;
use uuid::Uuid;
use vms_base::ErrorCode;
use vms_catalog::{
    event::{
        self, StoredEvent,
        search::{EventFilter, FeedPosition},
    },
    scope,
};

use super::{
    handler::{require_visible, visible_cameras},
    model::EventView,
    query::EventQuery,
};
use crate::{
    AppState,
    auth::{self, AuthUser},
    error::{ApiError, ErrorBody},
    extract::ClientIp,
    list_query::{decode_token, encode_token},
    rules::actions::Notification,
    state::{AuthState, Catalog},
};

/// Events read per replay query.
pub const REPLAY_LIMIT: i64 = 1000;
/// Most events replayed at once after a reconnect or a lag; beyond, the
/// client is told to search.
pub const REPLAY_MAX: usize = 10_000;
/// How far before the feed opened its catching up after a lag starts, so a
/// change committed just after the feed subscribed but dated a moment
/// before is not missed (the client drops what it has seen by cursor).
const OPEN_MARGIN: chrono::TimeDelta = chrono::TimeDelta::seconds(5);
/// How often a quiet feed says it is alive.
pub const HEARTBEAT: Duration = Duration::from_secs(15);
/// How often the caller's login is checked for revocation.
const RECHECK: Duration = Duration::from_secs(30);
/// How long one message may take to send before the feed is dropped.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a feed ticket lives.
const TICKET_TTL: Duration = Duration::from_secs(30);

/// A ticket to open the feed from a browser.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FeedTicket {
    /// Pass as `ticket` in the feed's query; it works once.
    pub ticket: String,
    /// Seconds it stays valid.
    pub expires_in: u64,
}

/// What a ticket stands for: the access token and tenant header it was issued under.
#[derive(Serialize, Deserialize)]
struct TicketGrant {
    token: String,
    tenant: Option<String>,
}

/// Issues a one-use ticket (30 s) to open the events feed from a browser,
/// which cannot send a bearer token on a WebSocket. Needs a login (an API
/// key sends its header on the WebSocket itself).
#[utoipa::path(post, operation_id = "issueEventFeedTicket", path = "/api/events/ws-ticket", tag = "events",
    responses((status = 201, body = FeedTicket), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 503, body = ErrorBody)))]
pub async fn issue_feed_ticket(
    State(auth_state): State<AuthState>,
    user: AuthUser,
    headers: HeaderMap,
) -> Result<(StatusCode, Json<FeedTicket>), ApiError> {
    if user.api_key.is_some() {
        return Err(ApiError::invalid("x-api-key", "API keys open the feed with their header; tickets are for logins"));
    }
    let token = bearer(&headers).ok_or_else(|| ApiError::unauthenticated("missing bearer token"))?;
    let tenant = headers.get(auth::TENANT_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let grant = serde_json::to_string(&TicketGrant { token: token.to_owned(), tenant }).expect("a grant serialises");
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let ticket = URL_SAFE_NO_PAD.encode(raw);
    auth_state.hot.put_feed_ticket(&digest(&ticket), &grant, TICKET_TTL).await.map_err(|e| {
        tracing::warn!(error = %format!("{e:#}"), "cannot keep a feed ticket");
        ApiError::new(ErrorCode::Unavailable, "cannot issue a ticket now; try again")
    })?;
    Ok((StatusCode::CREATED, Json(FeedTicket { ticket, expires_in: TICKET_TTL.as_secs() })))
}

/// Streams new and updated events the caller may read (needs `event.read`
/// on their cameras; events with no camera to tenant-wide readers only).
/// Authenticate with a bearer token or API key header, or `ticket` from
/// `POST /api/events/ws-ticket`. `after` (an event id) replays what changed
/// since that event first. Filters: `cameras`, `sites`, `types`, `labels`,
/// `zones` (comma-separated).
#[utoipa::path(get, operation_id = "openEventFeed", path = "/api/events/ws", tag = "events",
    params(("ticket" = Option<String>, Query, description = "A ticket from POST /api/events/ws-ticket, for browsers"),
        ("after" = Option<Uuid>, Query, description = "Replay what changed after this event first"),
        ("cameras" = Option<Vec<uuid::Uuid>>, Query, description = "Any of these cameras"),
        ("sites" = Option<Vec<uuid::Uuid>>, Query, description = "Any of these sites"),
        ("types" = Option<Vec<String>>, Query, description = "Any of these event types"),
        ("labels" = Option<Vec<String>>, Query, description = "Any of these object labels"),
        ("zones" = Option<Vec<String>>, Query, description = "Any of these zones")),
    responses((status = 101, description = "the feed"), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn event_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    ip: ClientIp,
    upgrade: Result<WebSocketUpgrade, <WebSocketUpgrade as FromRequestParts<AppState>>::Rejection>,
) -> Result<Response, ApiError> {
    let (query, ticket, after) = feed_query(uri.query())?;
    let user = match ticket {
        Some(ticket) => redeem(&state, &ticket, &ip).await?,
        None => auth::authenticate(&state.catalog, &state.auth, &headers, &ip.label()).await?,
    };
    if !user.access.anywhere(vms_catalog::access::Permission::EventRead) {
        return Err(ApiError::forbidden(vms_catalog::access::Permission::EventRead));
    }
    // Clients only close and ping: nothing they send needs more than this.
    let upgrade = upgrade
        .map_err(|e| ApiError::invalid("upgrade", format!("not a WebSocket request: {e}")))?
        .max_message_size(4096)
        .max_frame_size(4096);
    let permit = state.events.feeds.take(user.api_key.as_ref().map_or(user.user_id, |(key, _)| *key))?;
    let mut filter = query.filter;
    let mut tx = scope::begin(&state.catalog.db, user.scope()).await?;
    filter.visible_cameras = visible_cameras(&mut tx, &user).await?;
    let start = match after {
        Some(After::Cursor(position)) => Some(position),
        Some(After::Event(id)) => {
            let found = event::get(&mut *tx, user.tenant_id, id).await?;
            require_visible(&mut tx, &user, &found).await?;
            Some(FeedPosition::of(&found))
        }
        None => None,
    };
    let opened: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("SELECT now()").fetch_one(&mut *tx).await.map_err(vms_catalog::CatalogError::from)?;
    drop(tx);
    // Subscribed before replaying, so nothing falls between the two.
    let live = state.events.feed.subscribe();
    let notes = state.events.notifications.subscribe();
    let scans = state.devices.scans.notes.subscribe();
    // An API key is checked again now and then with its own header; a login by its session.
    let key_headers = user.api_key.is_some().then(|| headers.clone());
    let feed = Feed {
        catalog: state.catalog.clone(),
        auth: state.auth.clone(),
        user,
        key_headers,
        ip: ip.label(),
        filter,
        position: start,
        floor: FeedPosition { updated_at: opened - OPEN_MARGIN, id: Uuid::nil() },
    };
    let mut response = upgrade.on_upgrade(move |socket| feed.run(socket, live, notes, scans, permit));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// Where a reconnecting feed resumes.
enum After {
    /// Exactly after the message that carried this cursor.
    Cursor(FeedPosition),
    /// After this event's latest change.
    Event(Uuid),
}

/// A message's cursor: where the feed stood once it was sent.
fn cursor(p: FeedPosition) -> String {
    encode_token(p.updated_at, p.id)
}

fn parse_after(text: &str) -> Result<After, ApiError> {
    if let Ok(id) = text.parse() {
        return Ok(After::Event(id));
    }
    let (updated_at, id) = decode_token(text)
        .ok_or_else(|| ApiError::invalid("after", "must be a cursor this feed gave, or an event id"))?;
    Ok(After::Cursor(FeedPosition { updated_at, id }))
}

/// Parses the feed's query: the search's list filters, `ticket` and `after`.
fn feed_query(query: Option<&str>) -> Result<(EventQuery, Option<String>, Option<After>), ApiError> {
    let (mut rest, mut ticket, mut after) = (Vec::new(), None, None);
    for (key, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match key.as_ref() {
            "ticket" => ticket = Some(value.into_owned()),
            "after" => after = Some(parse_after(&value)?),
            "cameras" | "sites" | "types" | "labels" | "zones" => rest.push((key.into_owned(), value.into_owned())),
            other => return Err(ApiError::invalid(other, "is not a parameter of the feed")),
        }
    }
    let rest: String = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(rest).finish();
    Ok((EventQuery::parse(Some(&rest), false)?, ticket, after))
}

/// Authenticates with a feed ticket, spending it.
async fn redeem(state: &AppState, ticket: &str, ip: &ClientIp) -> Result<AuthUser, ApiError> {
    let refused = || ApiError::unauthenticated("the ticket is unknown, spent or expired");
    let grant = state.auth.hot.take_feed_ticket(&digest(ticket)).await.map_err(|e| {
        tracing::warn!(error = %format!("{e:#}"), "cannot check a feed ticket");
        ApiError::new(ErrorCode::Unavailable, "cannot check the ticket now; try again")
    })?;
    let grant: TicketGrant = grant.and_then(|g| serde_json::from_str(&g).ok()).ok_or_else(refused)?;
    let mut headers = HeaderMap::new();
    let bearer = HeaderValue::from_str(&format!("Bearer {}", grant.token)).map_err(|_| refused())?;
    headers.insert(header::AUTHORIZATION, bearer);
    if let Some(tenant) = grant.tenant.and_then(|t| HeaderValue::from_str(&t).ok()) {
        headers.insert(auth::TENANT_HEADER, tenant);
    }
    auth::authenticate(&state.catalog, &state.auth, &headers, &ip.label()).await
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer ")).map(str::trim)
}

fn digest(ticket: &str) -> String {
    Sha256::digest(ticket.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// One open feed.
struct Feed {
    catalog: Catalog,
    auth: AuthState,
    user: AuthUser,
    /// The headers of an API key's request, to check the key again.
    key_headers: Option<HeaderMap>,
    /// The client's address, for the key's last use.
    ip: String,
    filter: EventFilter,
    /// The last event sent (or the one to replay after).
    position: Option<FeedPosition>,
    /// Where catching up starts when nothing was sent yet.
    floor: FeedPosition,
}

/// Why a feed stops.
enum Stop {
    /// The client went away or could not keep up with sending.
    Gone,
    /// The login was revoked.
    Revoked,
}

impl Feed {
    async fn run(
        mut self,
        mut socket: WebSocket,
        mut live: broadcast::Receiver<Arc<StoredEvent>>,
        mut notes: broadcast::Receiver<Arc<Notification>>,
        mut scans: broadcast::Receiver<Arc<crate::device_api::scan::ScanNote>>,
        _permit: super::slots::FeedSlot,
    ) {
        let outcome = async {
            if self.position.is_some() {
                self.replay(&mut socket).await?;
            }
            // A lag before anything was sent catches up from when the feed opened.
            let mut heartbeat = tokio::time::interval_at(tokio::time::Instant::now() + HEARTBEAT, HEARTBEAT);
            let mut recheck = tokio::time::interval_at(tokio::time::Instant::now() + RECHECK, RECHECK);
            loop {
                tokio::select! {
                    received = live.recv() => match received {
                        Ok(event) => self.send_if_wanted(&mut socket, &event).await?,
                        // Fell behind the broadcast: catch up from the database.
                        Err(broadcast::error::RecvError::Lagged(_)) => self.replay(&mut socket).await?,
                        Err(broadcast::error::RecvError::Closed) => return Err(Stop::Gone),
                    },
                    note = notes.recv() => match note {
                        Ok(note) => self.notify_if_wanted(&mut socket, &note).await?,
                        // Notifications are live only: those missed are gone.
                        Err(broadcast::error::RecvError::Lagged(_)) => {}
                        Err(broadcast::error::RecvError::Closed) => return Err(Stop::Gone),
                    },
                    note = scans.recv() => match note {
                        Ok(note) => self.scan_if_wanted(&mut socket, &note).await?,
                        // Live only too: a scan is read whole with GET.
                        Err(broadcast::error::RecvError::Lagged(_)) => {}
                        Err(broadcast::error::RecvError::Closed) => return Err(Stop::Gone),
                    },
                    incoming = socket.recv() => match incoming {
                        Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return Err(Stop::Gone),
                        Some(Ok(_)) => {}
                    },
                    _ = heartbeat.tick() => {
                        let beat = serde_json::json!({"type": "heartbeat", "at": chrono::Utc::now()});
                        send(&mut socket, beat.to_string()).await?;
                    }
                    _ = recheck.tick() => self.check_login().await?,
                }
            }
        };
        let stop: Result<(), Stop> = outcome.await;
        if let Err(Stop::Revoked) = stop {
            let _ = socket
                .send(Message::Close(Some(axum::extract::ws::CloseFrame {
                    code: 4001,
                    reason: "login revoked".into(),
                })))
                .await;
        }
    }

    /// Sends what changed after the feed's position, oldest change first,
    /// in pages, up to [`REPLAY_MAX`] (then a `truncated` notice).
    async fn replay(&mut self, socket: &mut WebSocket) -> Result<(), Stop> {
        let mut sent = 0;
        loop {
            let after = self.position.unwrap_or(self.floor);
            let found = async {
                let mut tx = scope::begin(&self.catalog.db, self.user.scope()).await?;
                event::search::changed_after(&mut *tx, self.user.tenant_id, &self.filter, after, REPLAY_LIMIT).await
            };
            let events = match found.await {
                Ok(events) => events,
                Err(e) => return self.replay_failed(socket, e).await,
            };
            let page = events.len();
            for e in &events {
                self.send_if_wanted(socket, e).await?;
                // Past events the filter drops too, so the next page starts after them.
                let position = FeedPosition::of(e);
                if self.position.is_none_or(|p| position > p) {
                    self.position = Some(position);
                }
            }
            sent += page;
            if (page as i64) < REPLAY_LIMIT {
                return Ok(());
            }
            if sent >= REPLAY_MAX {
                let notice = serde_json::json!({"type": "truncated",
                    "message": "more events changed than a feed replays; search for the rest",
                    "cursor": self.position.map(cursor)});
                return send(socket, notice.to_string()).await;
            }
        }
    }

    /// The database is away: says so and ends the feed; the client
    /// reconnects with `after` later.
    async fn replay_failed(&self, socket: &mut WebSocket, e: vms_catalog::CatalogError) -> Result<(), Stop> {
        tracing::warn!(error = %e, "cannot replay events to a feed");
        let notice = serde_json::json!({"type": "error", "message": "cannot replay missed events now"});
        send(socket, notice.to_string()).await?;
        Err(Stop::Gone)
    }

    async fn send_if_wanted(&mut self, socket: &mut WebSocket, event: &StoredEvent) -> Result<(), Stop> {
        let position = FeedPosition::of(event);
        if event.tenant_id != self.user.tenant_id
            || !self.filter.matches(event)
            || self.position.is_some_and(|p| position <= p)
        {
            return Ok(());
        }
        self.position = Some(position);
        let message =
            serde_json::json!({"type": "event", "event": EventView::from(event.clone()), "cursor": cursor(position)});
        send(socket, message.to_string()).await
    }

    /// Sends a rule's notification if the caller may read its event and
    /// the event passes the feed's filters.
    async fn notify_if_wanted(&mut self, socket: &mut WebSocket, note: &Notification) -> Result<(), Stop> {
        if note.event.tenant_id != self.user.tenant_id || !self.filter.matches(&note.event) {
            return Ok(());
        }
        let message = serde_json::json!({"type": "notification",
            "rule": {"id": note.rule_id, "name": note.rule_name},
            "message": note.message,
            "event": EventView::from(StoredEvent::clone(&note.event))});
        send(socket, message.to_string()).await
    }

    /// Sends a discovery scan's news to a caller of its tenant who may scan.
    async fn scan_if_wanted(
        &mut self,
        socket: &mut WebSocket,
        note: &crate::device_api::scan::ScanNote,
    ) -> Result<(), Stop> {
        if note.tenant != self.user.tenant_id
            || !self.user.access.tenant_wide(vms_catalog::access::Permission::CameraManage)
        {
            return Ok(());
        }
        send(socket, note.message.to_string()).await
    }

    /// Ends the feed once the caller's login is revoked (logout, disabled
    /// user) or its API key revoked or expired.
    async fn check_login(&self) -> Result<(), Stop> {
        if let Some(headers) = &self.key_headers {
            return match auth::authenticate(&self.catalog, &self.auth, headers, &self.ip).await {
                Err(e) if e.code() == ErrorCode::Unauthenticated => Err(Stop::Revoked),
                _ => Ok(()),
            };
        }
        let Some(session) = self.user.session else { return Ok(()) };
        match self.auth.hot.is_session_revoked(session).await {
            Ok(true) => Err(Stop::Revoked),
            Ok(false) => Ok(()),
            Err(e) => {
                tracing::warn!(error = %format!("{e:#}"), "cannot check a feed's login");
                Ok(())
            }
        }
    }
}

async fn send(socket: &mut WebSocket, text: String) -> Result<(), Stop> {
    match tokio::time::timeout(SEND_TIMEOUT, socket.send(Message::Text(text.into()))).await {
        Ok(Ok(())) => Ok(()),
        _ => Err(Stop::Gone),
    }
}

/// The events state's share of the feeds: a broadcast of what the consumer
/// stores, and the bounds on open feeds.
pub fn channels(max_feeds: usize) -> (broadcast::Sender<Arc<StoredEvent>>, Arc<super::slots::FeedSlots>) {
    (broadcast::channel(4096).0, super::slots::FeedSlots::new(max_feeds))
}
