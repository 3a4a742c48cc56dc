//! Licence handlers: super-admins only (declared in `routes.rs`), since the
//! licence belongs to the installation, not to one tenant.

use axum::{Json, body::Bytes, extract::State};
use vms_catalog::{audit::Outcome, camera, scope};

use super::model::LicenseView;
use crate::{
    audit,
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    extract::ClientIp,
    state::Catalog,
};

async fn view(catalog: &Catalog, user: &AuthUser) -> Result<LicenseView, ApiError> {
    let mut tx = scope::begin(&catalog.db, user.scope()).await?;
    let in_use = camera::count_all(&mut *tx).await?;
    let e = catalog.licensing.entitlement().await;
    Ok(LicenseView::new(e, in_use, catalog.licensing.installation_id()))
}

/// Shows the licence in force and what it allows.
#[utoipa::path(get, operation_id = "getLicense", path = "/api/license", tag = "license",
    responses((status = 200, body = LicenseView), (status = 403, body = ErrorBody)))]
pub async fn get_license(State(catalog): State<Catalog>, user: AuthUser) -> Result<Json<LicenseView>, ApiError> {
    user.require_super_admin()?;
    Ok(Json(view(&catalog, &user).await?))
}

/// Installs a licence file (the body is the file as issued); it is verified offline first.
#[utoipa::path(put, operation_id = "installLicense", path = "/api/license", tag = "license",
    request_body(content = Object, content_type = "application/json", description = "The licence file as issued (a JSON document), sent as it is",
        example = json!({
            "format": "vms-license-1",
            "key_id": "d63ec74d107ccd97",
            "payload": "eyJsaWNlbnNlX2lkIjoiMGQ0YzlhNWUtMmI3Zi00ZTFhLThjM2QtNmY1ZTRkM2MyYjFhIiwiY3VzdG9tZXIiOiJFeGFtcGxlIExvZ2lzdGljcyBHbWJIIiwibWF4X2NhbWVyYXMiOjY0LCJmZWF0dXJlcyI6W10sImlzc3VlZF9hdCI6IjIwMjYtMTEtMTVUMDA6MDA6MDBaIiwiZXhwaXJlc19hdCI6IjIwMjctMTEtMTVUMDA6MDA6MDBaIiwiaW5zdGFsbGF0aW9uX2lkIjpudWxsfQ==",
            "signature": "M7DDJNXIXiXJx23g7ZOJtnZdMCajPWYnNkqPBDRQ3hlzQFYPzgsUdbPBz+3cflfff0AGk1L7j7a64/pq95Othw=="
        })),
    responses((status = 200, body = LicenseView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn install_license(
    State(catalog): State<Catalog>,
    user: AuthUser,
    ip: ClientIp,
    body: Bytes,
) -> Result<Json<LicenseView>, ApiError> {
    user.require_super_admin()?;
    let text = std::str::from_utf8(&body).map_err(|_| ApiError::invalid("license", "is not UTF-8 text"))?;
    let outcome = catalog.licensing.install(text).await;
    let entry =
        audit::by(&user, &ip, "license.install", if outcome.is_ok() { Outcome::Success } else { Outcome::Failure });
    let entry = match &outcome {
        Ok(e) => entry.detail("customer", e.terms.as_ref().map(|t| &t.customer)).detail("max_cameras", e.max_cameras),
        Err(_) => entry,
    };
    catalog.audit.record(entry).await;
    outcome?;
    Ok(Json(view(&catalog, &user).await?))
}
