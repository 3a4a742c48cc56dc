//! Audit search (`audit.read`, tenant-wide, declared in `routes.rs`).

use axum::{Json, extract::State};
use vms_catalog::{audit, scope};

use super::model::{AuditPage, AuditQuery, AuditView};
use crate::{
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    list_query,
    state::Catalog,
};
use vms_catalog::access::Permission;

/// Searches the tenant's audit trail, newest first. List filters take
/// several values, repeated or comma-separated, and keep entries matching
/// any of them; pages hold `limit` entries (1 to 500, 100 by default), and
/// `next_cursor` passed as `cursor` gives the next, older page.
#[utoipa::path(get, operation_id = "searchAudit", path = "/api/audit", tag = "audit",
    params(("from" = Option<String>, Query, description = "Entries at or after this time, RFC 3339"),
        ("to" = Option<String>, Query, description = "Entries before this time, RFC 3339"),
        ("actor_id" = Option<Vec<uuid::Uuid>>, Query, description = "By any of these users or API keys"),
        ("action" = Option<Vec<String>>, Query,
            description = "Actions starting with any of these, e.g. `auth.` or `camera.update`"),
        ("outcome" = Option<Vec<String>>, Query, description = "Any of `success`, `failure`, `denied`"),
        ("target_kind" = Option<Vec<String>>, Query, description = "Target kinds, e.g. `camera`"),
        ("target_id" = Option<Vec<String>>, Query, description = "Target ids"),
        ("limit" = Option<i64>, Query, description = "Page size, 1 to 500 (100)"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page"),
        ("before" = Option<i64>, Query, deprecated,
            description = "Only entries older than this `seq`: the older form of `cursor`")),
    responses((status = 200, body = AuditPage), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn search_audit(
    State(catalog): State<Catalog>,
    user: AuthUser,
    uri: axum::http::Uri,
) -> Result<Json<AuditPage>, ApiError> {
    user.require(Permission::AuditRead)?;
    let AuditQuery { mut filter } = AuditQuery::parse(uri.query())?;
    let limit = filter.limit;
    filter.limit += 1;
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let records = audit::search(&mut *tx, user.tenant_id, &filter).await?;
    let (records, next_cursor) = list_query::page(records, limit, |r| list_query::encode_number(r.seq));
    let next_before = next_cursor.is_some().then(|| records.last().map(|r| r.seq)).flatten();
    Ok(Json(AuditPage { items: records.into_iter().map(AuditView::from).collect(), next_cursor, next_before }))
}
