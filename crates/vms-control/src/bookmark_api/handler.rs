//! Bookmark handlers. A caller sees and writes only bookmarks whose every
//! camera it may play back (`camera.view_archive`); another's, or one naming
//! a camera out of its reach, is not found. Locking and unlocking also need
//! `evidence.lock` on every camera. Audited as `bookmark.create`,
//! `bookmark.update`, `bookmark.delete`, `bookmark.lock` and `bookmark.unlock`.

use axum::{Json, extract::State, http::StatusCode};
use sqlx::PgConnection;
use uuid::Uuid;
use vms_catalog::version::Versioned;
use vms_catalog::{
    access::Permission,
    audit::Outcome,
    bookmark::{self, Bookmark},
    event, scope,
};

use super::model::{BookmarkBody, BookmarkPage, BookmarkQuery, BookmarkView, cursor_of};
use crate::{
    audit,
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    etag::{self, IfMatch, Tagged},
    extract::{ApiJson, ClientIp, IdPath},
    list_query,
    state::Catalog,
};

const VIEW: Permission = Permission::CameraViewArchive;
const LOCK: Permission = Permission::EvidenceLock;

/// The cameras (current or deleted and remembered) the caller may play
/// back; `None` when it may play back every camera of its tenant.
async fn archive_cameras(tx: &mut PgConnection, user: &AuthUser) -> Result<Option<Vec<Uuid>>, ApiError> {
    user.cameras_with(tx, VIEW).await
}

/// Requires `permission` (and `camera.view_archive`) on each of `cameras`,
/// which must be the tenant's: an unknown camera is a bad `field`.
async fn require_cameras(
    tx: &mut PgConnection,
    user: &AuthUser,
    cameras: &[Uuid],
    permission: Permission,
    field: &str,
) -> Result<(), ApiError> {
    let known = event::camera_sites(&mut *tx, user.tenant_id).await?;
    for (i, camera) in cameras.iter().enumerate() {
        let Some((_, site)) = known.iter().find(|(c, _)| c == camera) else {
            return Err(ApiError::invalid(&format!("{field}[{i}]"), "no such camera"));
        };
        user.require_on_camera(VIEW, *site, *camera)?;
        user.require_on_camera(permission, *site, *camera)?;
    }
    Ok(())
}

/// One of the tenant's bookmarks the caller may see (all its cameras within
/// its reach), else not found; locked for update when `writing`.
async fn visible(tx: &mut PgConnection, user: &AuthUser, id: Uuid, writing: bool) -> Result<Bookmark, ApiError> {
    let found = match writing {
        true => bookmark::get_for_update(&mut *tx, user.tenant_id, id).await?,
        false => bookmark::get(&mut *tx, user.tenant_id, id).await?,
    };
    if let Some(reach) = archive_cameras(tx, user).await?
        && !found.cameras.iter().all(|c| reach.contains(c))
    {
        return Err(vms_catalog::CatalogError::NotFound { what: "bookmark", id: id.to_string() }.into());
    }
    Ok(found)
}

async fn record(catalog: &Catalog, user: &AuthUser, ip: &ClientIp, action: &str, b: &Bookmark) {
    let entry = audit::by(user, ip, action, Outcome::Success)
        .target("bookmark", b.id)
        .detail("name", &b.name)
        .detail("description", b.description.chars().take(500).collect::<String>())
        .detail("tags", b.tags.join(","))
        .detail("start", b.start_time.to_rfc3339())
        .detail("end", b.end_time.to_rfc3339())
        .detail("cameras", b.cameras.iter().map(Uuid::to_string).collect::<Vec<_>>().join(","));
    catalog.audit.record(entry).await;
}

/// Searches the bookmarks the caller may see, newest first (by start).
#[utoipa::path(get, operation_id = "listBookmarks", path = "/api/bookmarks", tag = "bookmarks",
    params(("q" = Option<String>, Query, description = "Text in the name or description"),
        ("tags" = Option<Vec<String>>, Query, description = "Any of these tags"),
        ("cameras" = Option<Vec<uuid::Uuid>>, Query, description = "Any of these cameras"),
        ("start" = Option<String>, Query, description = "Only those ending after, RFC 3339"),
        ("end" = Option<String>, Query, description = "Only those starting before, RFC 3339"),
        ("locked" = Option<bool>, Query, description = "Only locked (or unlocked) ones"),
        ("limit" = Option<i64>, Query, description = "1 to 500 (100)"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page")),
    responses((status = 200, body = BookmarkPage), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_bookmarks(
    State(catalog): State<Catalog>,
    user: AuthUser,
    uri: axum::http::Uri,
) -> Result<Json<BookmarkPage>, ApiError> {
    let query = BookmarkQuery::parse(uri.query())?;
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let reach = archive_cameras(&mut tx, &user).await?;
    let found =
        bookmark::search(&mut *tx, user.tenant_id, &query.filter, reach.as_deref(), query.cursor, query.limit + 1)
            .await?;
    let items: Vec<BookmarkView> = found.into_iter().map(BookmarkView::from).collect();
    let (items, next_cursor) = list_query::page(items, query.limit, cursor_of);
    Ok(Json(BookmarkPage { items, next_cursor }))
}

/// Bookmarks a time range on cameras (needs `camera.view_archive` on each).
#[utoipa::path(post, operation_id = "createBookmark", path = "/api/bookmarks", tag = "bookmarks", request_body = BookmarkBody,
    responses((status = 201, body = BookmarkView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_bookmark(
    State(catalog): State<Catalog>,
    user: AuthUser,
    ip: ClientIp,
    ApiJson(body): ApiJson<BookmarkBody>,
) -> Result<(StatusCode, Json<BookmarkView>), ApiError> {
    let spec = body.spec()?;
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    require_cameras(&mut tx, &user, &spec.cameras, VIEW, "cameras").await?;
    let created = bookmark::create(&mut *tx, user.tenant_id, Some(user.user_id), &spec).await?;
    crate::commit(tx).await?;
    record(&catalog, &user, &ip, "bookmark.create", &created).await;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// One bookmark.
#[utoipa::path(get, operation_id = "getBookmark", path = "/api/bookmarks/{id}", tag = "bookmarks",
    params(("id" = Uuid, Path, description = "Bookmark id")),
    responses((status = 200, body = BookmarkView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_bookmark(
    State(catalog): State<Catalog>,
    user: AuthUser,
    IdPath(id): IdPath,
) -> Result<Tagged<Json<BookmarkView>>, ApiError> {
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let version = etag::version(&mut tx, user.tenant_id, Versioned::Bookmark(id)).await?;
    let found = visible(&mut tx, &user, id, false).await?;
    Ok(etag::tagged(version, Json(found.into())))
}

/// Replaces a bookmark whole. A locked one keeps its cameras and range
/// (409 if they would change); its name, description and tags may change.
#[utoipa::path(put, operation_id = "updateBookmark", path = "/api/bookmarks/{id}", tag = "bookmarks", request_body = BookmarkBody,
    params(("id" = Uuid, Path, description = "Bookmark id")),
    responses((status = 200, body = BookmarkView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update_bookmark(
    State(catalog): State<Catalog>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
    if_match: IfMatch,
    ApiJson(body): ApiJson<BookmarkBody>,
) -> Result<Tagged<Json<BookmarkView>>, ApiError> {
    let spec = body.spec()?;
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let found = visible(&mut tx, &user, id, true).await?;
    require_cameras(&mut tx, &user, &spec.cameras, VIEW, "cameras").await?;
    if found.locked_at.is_some() {
        // Evidence: only those who may lock it may reword it.
        require_cameras(&mut tx, &user, &found.cameras, LOCK, "cameras").await?;
    }
    if_match.check(&mut tx, user.tenant_id, Versioned::Bookmark(id)).await?;
    let updated = bookmark::update(&mut *tx, user.tenant_id, id, &spec).await?;
    let version = etag::version(&mut tx, user.tenant_id, Versioned::Bookmark(id)).await?;
    crate::commit(tx).await?;
    record(&catalog, &user, &ip, "bookmark.update", &updated).await;
    Ok(etag::tagged(version, Json(updated.into())))
}

/// Deletes a bookmark; a locked one must be unlocked first (409).
#[utoipa::path(delete, operation_id = "deleteBookmark", path = "/api/bookmarks/{id}", tag = "bookmarks",
    params(("id" = Uuid, Path, description = "Bookmark id")),
    responses((status = 204, description = "deleted"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn delete_bookmark(
    State(catalog): State<Catalog>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
) -> Result<StatusCode, ApiError> {
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let found = visible(&mut tx, &user, id, true).await?;
    bookmark::delete(&mut *tx, user.tenant_id, id).await?;
    crate::commit(tx).await?;
    record(&catalog, &user, &ip, "bookmark.delete", &found).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Locks a bookmark's footage as evidence (needs `evidence.lock` on each of
/// its cameras): retention never removes it until it is unlocked.
#[utoipa::path(post, operation_id = "lockBookmark", path = "/api/bookmarks/{id}/lock", tag = "bookmarks",
    params(("id" = Uuid, Path, description = "Bookmark id")),
    responses((status = 200, body = BookmarkView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn lock_bookmark(
    State(catalog): State<Catalog>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
) -> Result<Json<BookmarkView>, ApiError> {
    set_lock(catalog, user, ip, id, true).await
}

/// Unlocks a bookmark's footage (needs `evidence.lock` on each of its
/// cameras): retention treats it as any other footage again.
#[utoipa::path(post, operation_id = "unlockBookmark", path = "/api/bookmarks/{id}/unlock", tag = "bookmarks",
    params(("id" = Uuid, Path, description = "Bookmark id")),
    responses((status = 200, body = BookmarkView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn unlock_bookmark(
    State(catalog): State<Catalog>,
    user: AuthUser,
    ip: ClientIp,
    IdPath(id): IdPath,
) -> Result<Json<BookmarkView>, ApiError> {
    set_lock(catalog, user, ip, id, false).await
}

async fn set_lock(
    catalog: Catalog,
    user: AuthUser,
    ip: ClientIp,
    id: Uuid,
    lock: bool,
) -> Result<Json<BookmarkView>, ApiError> {
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let found = visible(&mut tx, &user, id, true).await?;
    require_cameras(&mut tx, &user, &found.cameras, LOCK, "cameras").await?;
    if lock && found.end_time > chrono::Utc::now() {
        return Err(ApiError::new(
            vms_base::ErrorCode::FailedPrecondition,
            format!("a bookmark is locked once its range has passed; this one ends at {}", found.end_time.to_rfc3339()),
        ));
    }
    let now = bookmark::set_lock(&mut *tx, user.tenant_id, id, lock.then_some(user.user_id)).await?;
    crate::commit(tx).await?;
    if found.locked_at.is_some() != lock {
        record(&catalog, &user, &ip, if lock { "bookmark.lock" } else { "bookmark.unlock" }, &now).await;
    }
    Ok(Json(now.into()))
}
