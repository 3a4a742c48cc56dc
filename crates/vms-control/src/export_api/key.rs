//! `GET /api/exports/public-key`: the installation's export signing key
//! (its public half), so a client that checks an export's signed manifest
//! (the web app, an investigator's tool) checks it against the key this
//! server signs with, not against the key the manifest names.

use axum::{Json, extract::State};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    auth::AuthUser,
    error::{ApiError, ErrorBody},
    state::Archive,
};

/// The export signing key.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportKey {
    /// The Ed25519 public key, hex (64 characters), as manifests name it.
    pub public_key: String,
}

/// The public key export manifests are signed with (needs `camera.export`
/// somewhere). 503 until a recorder has made the key on its first start.
#[utoipa::path(get, operation_id = "getExportPublicKey", path = "/api/exports/public-key", tag = "exports",
    responses((status = 200, body = ExportKey), (status = 403, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn export_key(State(archive): State<Archive>, _user: AuthUser) -> Result<Json<ExportKey>, ApiError> {
    let path = archive.config.export_public_key_path();
    let text = tokio::fs::read_to_string(&path).await.map_err(|e| {
        tracing::warn!(path = %path.display(), error = %e, "cannot read the export public key");
        ApiError::unavailable("the export signing key", "a recorder makes it when it first starts")
    })?;
    let key = text.trim().to_ascii_lowercase();
    if key.len() != 64 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
        tracing::error!(path = %path.display(), "the export public key file does not hold a hex Ed25519 key");
        return Err(ApiError::internal("the export public key file is damaged"));
    }
    Ok(Json(ExportKey { public_key: key }))
}
