//! Audit search (`audit.read`, tenant-wide, declared in `routes.rs`).

use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
};
use vms_catalog::{audit, scope};

use super::model::{AuditPage, AuditQuery, AuditView};
use crate::{
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    state::Catalog,
};
use vms_catalog::access::Permission;

/// Searches the tenant's audit trail, newest first.
#[utoipa::path(get, operation_id = "searchAudit", path = "/api/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = AuditPage), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn search_audit(
    State(catalog): State<Catalog>,
    user: AuthUser,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Json<AuditPage>, ApiError> {
    user.require(Permission::AuditRead)?;
    let Query(q) = query.map_err(|e| ApiError::invalid("query", e.body_text()))?;
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::invalid("limit", "must be between 1 and 500"));
    }
    if let Some(outcome) = &q.outcome
        && !["success", "failure", "denied"].contains(&outcome.as_str())
    {
        return Err(ApiError::invalid("outcome", "must be success, failure or denied"));
    }
    let filter = audit::AuditFilter {
        from: q.from,
        to: q.to,
        actor_id: q.actor_id,
        action: q.action,
        outcome: q.outcome,
        target_kind: q.target_kind,
        target_id: q.target_id,
        before_seq: q.before,
        limit,
    };
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let records = audit::search(&mut *tx, user.tenant_id, &filter).await?;
    let next_before = (records.len() as i64 == limit).then(|| records.last().map(|r| r.seq)).flatten();
    Ok(Json(AuditPage { items: records.into_iter().map(AuditView::from).collect(), next_before }))
}
