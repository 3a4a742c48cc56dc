//! The streams the planes must serve, read across tenants.
//!
//! This is the system's own view for orchestration, not a user's: it returns
//! sealed credentials so the media plane can open them on its node.

use sqlx::PgExecutor;
use uuid::Uuid;

use crate::{
    CatalogError,
    camera::{StreamRole, Transport},
};

/// A stream of an enabled camera, as planes receive it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaneStream {
    /// Owning tenant.
    pub tenant_id: Uuid,
    /// Camera.
    pub camera_id: Uuid,
    /// Camera name, for logs.
    pub camera_name: String,
    /// Stream.
    pub stream_id: Uuid,
    /// Main or sub.
    pub role: StreamRole,
    /// RTSP URL without credentials.
    pub url: String,
    /// TCP or UDP.
    pub transport: Transport,
    /// Credentials sealed for this stream id, if any.
    pub sealed_credentials: Option<Vec<u8>>,
    /// The camera's analytics settings: its own, or the defaults. A stored
    /// setting this version cannot read leaves the camera unanalysed (and
    /// is logged), rather than analysed in a way nobody asked for.
    pub analytics: Option<vms_base::analytics::CameraAnalytics>,
}

#[derive(sqlx::FromRow)]
struct Row {
    tenant_id: Uuid,
    camera_id: Uuid,
    camera_name: String,
    stream_id: Uuid,
    role: String,
    url: String,
    transport: String,
    credentials: Option<Vec<u8>>,
    analytics: Option<serde_json::Value>,
}

/// Returns every stream of every enabled camera, ordered by camera and role.
pub async fn enabled_streams(db: impl PgExecutor<'_>) -> Result<Vec<PlaneStream>, CatalogError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT c.tenant_id, c.id AS camera_id, c.name AS camera_name, s.id AS stream_id, s.role, s.url, \
         s.transport, s.credentials, a.settings AS analytics \
         FROM cameras c JOIN streams s ON s.camera_id = c.id AND s.tenant_id = c.tenant_id \
         LEFT JOIN camera_analytics a ON a.camera_id = c.id \
         WHERE c.enabled ORDER BY c.id, s.role",
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(PlaneStream {
                role: r
                    .role
                    .parse()
                    .map_err(|e: vms_base::stream::UnknownWord| CatalogError::invalid("role", e.to_string()))?,
                transport: r
                    .transport
                    .parse()
                    .map_err(|e: vms_base::stream::UnknownWord| CatalogError::invalid("transport", e.to_string()))?,
                tenant_id: r.tenant_id,
                camera_id: r.camera_id,
                camera_name: r.camera_name,
                stream_id: r.stream_id,
                url: r.url,
                sealed_credentials: r.credentials,
                analytics: match r.analytics.map(crate::analytics::parse) {
                    None => Some(Default::default()),
                    Some(Ok(settings)) => Some(settings),
                    Some(Err(e)) => {
                        tracing::error!(camera_id = %r.camera_id, error = %e, "unreadable analytics settings");
                        None
                    }
                },
            })
        })
        .collect()
}

/// Returns the catalog revision: it grows with every change to cameras or streams.
pub async fn revision(db: impl PgExecutor<'_>) -> Result<u64, CatalogError> {
    let rev: i64 = sqlx::query_scalar("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM catalog_revision")
        .fetch_one(db)
        .await?;
    Ok(rev.max(0) as u64)
}

/// Channel on which PostgreSQL notifies catalog changes (payload: the new revision).
pub const CHANGE_CHANNEL: &str = "vms_catalog";

/// Returns the id of a camera's `role` stream, whatever its tenant: for
/// routing a request to the plane that pulls it (callers authorise it
/// otherwise). Run it in an all-tenants scope.
pub async fn stream_id(db: impl PgExecutor<'_>, camera_id: Uuid, role: &str) -> Result<Option<Uuid>, CatalogError> {
    let id: Option<(Uuid,)> = sqlx::query_as("SELECT id FROM streams WHERE camera_id = $1 AND role = $2")
        .bind(camera_id)
        .bind(role)
        .fetch_optional(db)
        .await?;
    Ok(id.map(|(id,)| id))
}

/// `(stream, tenant, camera, role)` of every stream (run across tenants), to
/// tell whose camera a stream state from a media plane concerns.
pub async fn stream_owners(db: impl PgExecutor<'_>) -> Result<Vec<(Uuid, Uuid, Uuid, String)>, CatalogError> {
    Ok(sqlx::query_as("SELECT id, tenant_id, camera_id, role FROM streams").fetch_all(db).await?)
}
