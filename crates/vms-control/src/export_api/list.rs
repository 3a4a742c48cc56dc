//! `GET /api/exports`: the exports of the cameras the caller may export,
//! newest first, a page at a time, so an operator finds yesterday's
//! evidence again without having kept its id.

use axum::{Json, extract::State};
use futures::StreamExt;
use vms_catalog::{
    access::Permission,
    event::camera_sites,
    export::{self, ExportFilter},
    scope,
};

use super::{
    handler::progress_of,
    model::{ExportPage, ExportView},
};
use crate::{
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    list_query,
    state::{Archive, Catalog},
};

/// How long a page waits for its running exports' progress.
const PROGRESS_WITHIN: std::time::Duration = std::time::Duration::from_secs(5);

/// The statuses an export can have.
const STATUSES: [&str; 5] = ["running", "done", "failed", "cancelled", "expired"];

/// Reads the query: `cameras` and `status` (repeated or comma-separated),
/// `mine`, `limit` and `cursor`.
fn parse(query: Option<&str>, caller: &AuthUser) -> Result<(ExportFilter, i64, Option<String>), ApiError> {
    let (mut f, mut limit, mut cursor) = (ExportFilter::default(), list_query::DEFAULT_LIMIT, None);
    for (key, value) in list_query::pairs(query) {
        let key = key.as_str();
        match key {
            "cameras" => list_query::push_ids(&mut f.cameras, key, &value)?,
            "status" => list_query::push_words(&mut f.statuses, key, &value)?,
            "mine" => f.user_id = list_query::flag(key, &value)?.then_some(caller.user_id),
            "limit" => limit = list_query::limit(key, &value)?,
            "cursor" => cursor = Some(value),
            other => return Err(ApiError::invalid(other, "is not a parameter of this request")),
        }
    }
    if let Some(odd) = f.statuses.iter().find(|s| !STATUSES.contains(&s.as_str())) {
        return Err(ApiError::invalid("status", format!("{odd:?} is not one of {}", STATUSES.join(", "))));
    }
    Ok((f, limit, cursor))
}

/// Lists the exports of the cameras on which the caller holds
/// `camera.export`, newest first: `cameras` and `status` take several
/// values (repeated or comma-separated), `mine=true` keeps the caller's
/// own. Pages hold `limit` exports (1 to 500, 100 by default);
/// `next_cursor` passed as `cursor` gives the next.
#[utoipa::path(get, operation_id = "listExports", path = "/api/exports", tag = "exports",
    params(("cameras" = Option<Vec<uuid::Uuid>>, Query, description = "Only these cameras' exports"),
        ("status" = Option<Vec<String>>, Query,
            description = "Only with any of these statuses: `running`, `done`, `failed`, `cancelled`, `expired`"),
        ("mine" = Option<bool>, Query, description = "Only the caller's own exports"),
        ("limit" = Option<i64>, Query, description = "Page size, 1 to 500 (100)"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page")),
    responses((status = 200, body = ExportPage), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_exports(
    State(catalog): State<Catalog>,
    State(archive): State<Archive>,
    user: AuthUser,
    uri: axum::http::Uri,
) -> Result<Json<ExportPage>, ApiError> {
    let (mut filter, limit, cursor) = parse(uri.query(), &user)?;
    let before = cursor.map(|text| list_query::time_cursor("cursor", &text)).transpose()?;
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    // Cameras retention has forgotten are out even for a tenant-wide caller,
    // as `GET /api/exports/{id}` finds none of their exports either.
    filter.reach = match user.cameras_with(&mut tx, Permission::CameraExport).await? {
        Some(held) => Some(held),
        None => Some(camera_sites(&mut *tx, user.tenant_id).await?.into_iter().map(|(camera, _)| camera).collect()),
    };
    let rows = export::list(&mut *tx, user.tenant_id, &filter, before, limit + 1).await?;
    drop(tx);
    let (rows, next_cursor) = list_query::page(rows, limit, |r| list_query::encode_token(r.created_at, r.id));
    // A running export's progress comes from its recorder, a few at a time
    // and within one deadline: a hung recorder leaves it unknown (0).
    let asks = rows.clone().into_iter().map(|row| {
        let archive = archive.clone();
        async move { if row.status == "running" { progress_of(&archive, &row).await } else { None } }
    });
    let asked = futures::stream::iter(asks).buffered(8).collect::<Vec<Option<f64>>>();
    let progress = tokio::time::timeout(PROGRESS_WITHIN, asked).await.unwrap_or_else(|_| vec![None; rows.len()]);
    let items = rows.iter().zip(progress).map(|(row, p)| ExportView::new(row, p)).collect();
    Ok(Json(ExportPage { items, next_cursor }))
}
