//! Events handlers. `routes.rs` lets in callers holding the route's
//! permission somewhere; here it is checked against each event's camera:
//! a search returns only events of cameras the caller may read events of
//! (and camera-less events only to tenant-wide readers), and one event of
//! another camera is refused (403). Events are catalog rows under tenant
//! isolation: another tenant's id is not found.

use axum::{Json, extract::State, http::StatusCode};

use sqlx::PgConnection;
use uuid::Uuid;
use vms_base::ErrorCode;
use vms_catalog::{
    access::Permission,
    audit::Outcome,
    camera,
    event::{self, StoredEvent, search::EventCursor},
    scope,
};

use super::{
    model::{Bucket, EventHistogram, EventPage, EventView, PostEvent, PostedEvent},
    query::{EventQuery, encode_cursor},
};
use crate::{
    audit,
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    events::{Events, check},
    extract::{ApiJson, ClientIp, IdPath},
    list_query,
    state::Catalog,
};

const READ: Permission = Permission::EventRead;

/// Searches the caller's events, newest first (by start). Lists take
/// comma-separated values (or repeat): `cameras`, `sites`, `types`,
/// `labels`, `zones`; `start` and `end` (RFC 3339) keep events going on in
/// that window; `q` finds text in the type, label or camera name. Pages
/// hold `limit` events (1 to 500, 100 by default); pass `next_cursor` as
/// `cursor` for the next.
#[utoipa::path(get, operation_id = "searchEvents", path = "/api/events", tag = "events",
    params(("cameras" = Option<Vec<uuid::Uuid>>, Query, description = "Any of these cameras"),
        ("sites" = Option<Vec<uuid::Uuid>>, Query, description = "Any of these sites"),
        ("types" = Option<Vec<String>>, Query, description = "Any of these event types"),
        ("labels" = Option<Vec<String>>, Query, description = "Any of these object labels"),
        ("zones" = Option<Vec<String>>, Query, description = "Any of these zones"),
        ("start" = Option<String>, Query, description = "Events going on at or after this time, RFC 3339"),
        ("end" = Option<String>, Query, description = "Events that started before this time, RFC 3339"),
        ("has_snapshot" = Option<bool>, Query, description = "Only events with (or without) a snapshot"),
        ("q" = Option<String>, Query, description = "Text in the type, label or camera name"),
        ("limit" = Option<i64>, Query, description = "Page size, 1 to 500 (100)"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page")),
    responses((status = 200, body = EventPage), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn search_events(
    State(catalog): State<Catalog>,
    user: AuthUser,
    uri: axum::http::Uri,
) -> Result<Json<EventPage>, ApiError> {
    let mut query = EventQuery::parse(uri.query(), false)?;
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    bound_time(&mut tx).await?;
    query.filter.visible_cameras = visible_cameras(&mut tx, &user).await?;
    let found = event::search::search(&mut *tx, user.tenant_id, &query.filter, query.cursor, query.limit + 1).await?;
    let (found, next_cursor) =
        list_query::page(found, query.limit, |e| encode_cursor(EventCursor { start: e.start_time, id: e.id }));
    Ok(Json(EventPage { items: found.into_iter().map(EventView::from).collect(), next_cursor }))
}

/// Counts the caller's events per time bucket between `start` and `end`
/// (RFC 3339, both required), `bucket` seconds wide (at most 2000 buckets),
/// with the same filters as the search; for a timeline.
#[utoipa::path(get, operation_id = "getEventHistogram", path = "/api/events/histogram", tag = "events",
    params(("start" = String, Query, description = "Window start, RFC 3339"),
        ("end" = String, Query, description = "Window end, RFC 3339"),
        ("bucket" = i64, Query, description = "Bucket width in seconds"),
        ("cameras" = Option<Vec<uuid::Uuid>>, Query, description = "Any of these cameras"),
        ("sites" = Option<Vec<uuid::Uuid>>, Query, description = "Any of these sites"),
        ("types" = Option<Vec<String>>, Query, description = "Any of these event types"),
        ("labels" = Option<Vec<String>>, Query, description = "Any of these object labels"),
        ("zones" = Option<Vec<String>>, Query, description = "Any of these zones"),
        ("has_snapshot" = Option<bool>, Query, description = "Only events with (or without) a snapshot"),
        ("q" = Option<String>, Query, description = "Text in the type, label or camera name")),
    responses((status = 200, body = EventHistogram), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn event_histogram(
    State(catalog): State<Catalog>,
    user: AuthUser,
    uri: axum::http::Uri,
) -> Result<Json<EventHistogram>, ApiError> {
    let mut query = EventQuery::parse(uri.query(), true)?;
    let origin = query.filter.start.expect("a histogram query has a start");
    let bucket = query.bucket_secs.expect("a histogram query has a bucket");
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    bound_time(&mut tx).await?;
    query.filter.visible_cameras = visible_cameras(&mut tx, &user).await?;
    let buckets = event::search::histogram(&mut *tx, user.tenant_id, &query.filter, origin, bucket).await?;
    Ok(Json(EventHistogram { buckets: buckets.into_iter().map(|(start, count)| Bucket { start, count }).collect() }))
}

/// One event (needs `event.read` on its camera).
#[utoipa::path(get, operation_id = "getEvent", path = "/api/events/{id}", tag = "events",
    params(("id" = Uuid, Path, description = "Event id")),
    responses((status = 200, body = EventView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_event(
    State(catalog): State<Catalog>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> Result<Json<EventView>, ApiError> {
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let found = event::get(&mut *tx, user.tenant_id, id).await?;
    require_visible(&mut tx, &user, &found).await?;
    Ok(Json(found.into()))
}

/// Acknowledges an event (needs `event.read` on its camera; audited). The
/// first acknowledgement stands; acknowledging again changes nothing.
#[utoipa::path(post, operation_id = "acknowledgeEvent", path = "/api/events/{id}/ack", tag = "events",
    params(("id" = Uuid, Path, description = "Event id")),
    responses((status = 200, body = EventView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn acknowledge_event(
    State(catalog): State<Catalog>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
) -> Result<Json<EventView>, ApiError> {
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let found = event::get(&mut *tx, user.tenant_id, id).await?;
    require_visible(&mut tx, &user, &found).await?;
    let acked = event::acknowledge(&mut tx, user.tenant_id, id, user.user_id).await?;
    crate::commit(tx).await?;
    if found.acked_at.is_none() {
        let entry = audit::by(&user, &ip, "event.acknowledge", Outcome::Success)
            .target("event", id)
            .detail("type", &acked.kind);
        let entry = match acked.camera_id {
            Some(camera) => entry.detail("camera", camera),
            None => entry,
        };
        catalog.audit.record(entry).await;
    }
    Ok(Json(acked.into()))
}

/// Posts an event for a camera (needs `event.create` on it): a door sensor
/// or an access-control system telling the VMS what happened. It travels
/// the bus like every other event and is stored within moments; 503 while
/// the bus is unreachable, so the integration can retry with the same `id`.
#[utoipa::path(post, operation_id = "createEvent", path = "/api/events", tag = "events",
    request_body = PostEvent,
    responses((status = 202, body = PostedEvent), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn post_event(
    State(catalog): State<Catalog>,
    State(events): State<Events>,
    user: AuthUser,
    ApiJson(body): ApiJson<PostEvent>,
) -> Result<(StatusCode, Json<PostedEvent>), ApiError> {
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let cam = camera::for_archive(&mut *tx, user.tenant_id, body.camera_id).await?;
    drop(tx);
    if cam.deleted_at.is_some() {
        return Err(ApiError::new(ErrorCode::NotFound, format!("camera {} not found", cam.id)));
    }
    user.require_on_camera(Permission::EventCreate, cam.site_id, cam.id)?;
    if check::RESERVED_TYPES.contains(&body.kind.as_str()) {
        return Err(ApiError::invalid(
            "type",
            format!("`{}` is made by the VMS itself; name your own type", body.kind),
        ));
    }
    let mut attributes = body.attributes.unwrap_or_default();
    // Who posted it is what control knows, never what the body says.
    let poster = match &user.api_key {
        Some((key, _)) => serde_json::json!({"kind": "api_key", "id": key}),
        None => serde_json::json!({"kind": "user", "id": user.user_id}),
    };
    attributes.insert("posted_by".to_owned(), poster);
    // A client's own id is kept within its tenant: the stored id derives
    // from both, so no tenant can take (or block) an id another one uses.
    let id = body.id.map_or_else(Uuid::new_v4, |own| Uuid::new_v5(&user.tenant_id, own.as_bytes()));
    let event = vms_bus::events::Event {
        id,
        tenant_id: user.tenant_id,
        camera_id: Some(cam.id),
        kind: body.kind,
        start: body.start.unwrap_or_else(|| catalog.clock.now()),
        end: body.end,
        attributes,
        seq: 0,
    };
    check::check_fields(&event).map_err(|why| match why {
        check::Rejection::Invalid(message) if message.starts_with("type") => ApiError::invalid("type", message),
        check::Rejection::Invalid(message) if message.starts_with("end") => ApiError::invalid("end", message),
        check::Rejection::Invalid(message) if message.contains("ahead") || message.contains("ago") => {
            ApiError::invalid("start", message)
        }
        other => ApiError::invalid("attributes", other.to_string().trim_start_matches("invalid: ")),
    })?;
    let js = async_nats::jetstream::new(events.nats.clone());
    let published = async {
        vms_bus::events::ensure_stream(&js, &events.subjects).await?;
        vms_bus::events::publish(&js, &events.subjects, &event).await
    };
    if let Err(e) = published.await {
        tracing::warn!(error = %format!("{e:#}"), "cannot publish a posted event");
        return Err(ApiError::new(ErrorCode::Unavailable, "the event bus is unavailable; try again"));
    }
    Ok((StatusCode::ACCEPTED, Json(PostedEvent { id: event.id })))
}

/// Caps a search's time in the database: text and attribute filters with
/// no window read a tenant's every event, and one caller must not hold a
/// connection for long.
async fn bound_time(tx: &mut PgConnection) -> Result<(), ApiError> {
    sqlx::query("SET LOCAL statement_timeout = '10s'")
        .execute(&mut *tx)
        .await
        .map_err(vms_catalog::CatalogError::from)?;
    Ok(())
}

/// The cameras whose events the caller may read: `None` for a tenant-wide
/// reader (every event, camera-less ones too).
pub(super) async fn visible_cameras(tx: &mut PgConnection, user: &AuthUser) -> Result<Option<Vec<Uuid>>, ApiError> {
    user.cameras_with(tx, READ).await
}

/// Fails with 403 unless the caller may read `found`: `event.read` on its
/// camera (by the camera's site now), or tenant-wide.
pub(super) async fn require_visible(
    tx: &mut PgConnection,
    user: &AuthUser,
    found: &StoredEvent,
) -> Result<(), ApiError> {
    if user.access.tenant_wide(READ) {
        return Ok(());
    }
    let Some(camera) = found.camera_id else { return Err(ApiError::forbidden(READ)) };
    match camera::for_archive(&mut *tx, user.tenant_id, camera).await {
        Ok(cam) => user.require_on_camera(READ, cam.site_id, cam.id),
        Err(_) => Err(ApiError::forbidden(READ)),
    }
}
