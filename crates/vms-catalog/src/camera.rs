//! Cameras and their streams.
//!
//! A camera belongs to a site and has one stream per role (main, sub). A
//! stream's credentials are sealed before they are written and are never read
//! back by these queries: callers see only whether a stream has credentials.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use crate::{
    CatalogError, TenantId,
    credentials::{CredentialKey, Credentials},
};

pub use vms_base::stream::{StreamRole, Transport};

/// A stream as the API shows it: no secrets.
#[derive(Debug, Clone, Serialize)]
pub struct Stream {
    /// Id.
    pub id: Uuid,
    /// Owning camera.
    pub camera_id: Uuid,
    /// Main or sub.
    pub role: StreamRole,
    /// RTSP URL without credentials.
    pub url: String,
    /// TCP or UDP.
    pub transport: Transport,
    /// Whether credentials are stored for this stream.
    pub has_credentials: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// A camera with its streams.
#[derive(Debug, Clone, Serialize)]
pub struct Camera {
    /// Id.
    pub id: Uuid,
    /// Owning tenant.
    pub tenant_id: TenantId,
    /// Site the camera belongs to.
    pub site_id: Uuid,
    /// Name, unique within the site.
    pub name: String,
    /// Free text.
    pub description: String,
    /// Whether the planes should pull it.
    pub enabled: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Streams, main first.
    pub streams: Vec<Stream>,
}

/// What to do with a stream's stored credentials.
#[derive(Debug, Clone, Default)]
pub enum CredentialsChange {
    /// Keep what is stored (none for a new stream).
    #[default]
    Keep,
    /// Remove stored credentials.
    Clear,
    /// Store these, sealed.
    Set(Credentials),
}

/// A stream to create, or to update in place when its role already exists.
#[derive(Debug, Clone)]
pub struct StreamSpec {
    /// Main or sub; one stream per role.
    pub role: StreamRole,
    /// RTSP URL without credentials.
    pub url: String,
    /// TCP or UDP.
    pub transport: Transport,
    /// Credentials to store.
    pub credentials: CredentialsChange,
}

/// Fields of a new camera.
#[derive(Debug, Clone)]
pub struct NewCamera {
    /// Site in the same tenant.
    pub site_id: Uuid,
    /// Name, unique within the site.
    pub name: String,
    /// Free text.
    pub description: String,
    /// Whether the planes should pull it.
    pub enabled: bool,
    /// At least one stream, one per role.
    pub streams: Vec<StreamSpec>,
}

/// A partial update; `None` leaves a field unchanged. `streams`, when given,
/// is the complete new set: roles not named are removed.
#[derive(Debug, Clone, Default)]
pub struct CameraUpdate {
    /// New site.
    pub site_id: Option<Uuid>,
    /// New name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// Enable or disable.
    pub enabled: Option<bool>,
    /// New stream set.
    pub streams: Option<Vec<StreamSpec>>,
}

#[derive(sqlx::FromRow)]
struct CameraRow {
    id: Uuid,
    tenant_id: Uuid,
    site_id: Uuid,
    name: String,
    description: String,
    enabled: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct StreamRow {
    id: Uuid,
    camera_id: Uuid,
    role: String,
    url: String,
    transport: String,
    has_credentials: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl StreamRow {
    fn into_stream(self) -> Result<Stream, CatalogError> {
        let bad = |what: &str, value: &str| CatalogError::Crypto(format!("stored {what} `{value}` is invalid"));
        Ok(Stream {
            role: self.role.parse().map_err(|_| bad("role", &self.role))?,
            transport: self.transport.parse().map_err(|_| bad("transport", &self.transport))?,
            id: self.id,
            camera_id: self.camera_id,
            url: self.url,
            has_credentials: self.has_credentials,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

const CAMERA_COLUMNS: &str = "id, tenant_id, site_id, name, description, enabled, created_at, updated_at";
const STREAM_COLUMNS: &str =
    "id, camera_id, role, url, transport, credentials IS NOT NULL AS has_credentials, created_at, updated_at";

async fn attach_streams(
    db: impl PgExecutor<'_>,
    tenant: TenantId,
    rows: Vec<CameraRow>,
) -> Result<Vec<Camera>, CatalogError> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let streams: Vec<StreamRow> = sqlx::query_as(&format!(
        "SELECT {STREAM_COLUMNS} FROM streams WHERE tenant_id = $1 AND camera_id = ANY($2) ORDER BY role"
    ))
    .bind(tenant)
    .bind(&ids)
    .fetch_all(db)
    .await?;
    let mut cameras: Vec<Camera> = rows
        .into_iter()
        .map(|r| Camera {
            id: r.id,
            tenant_id: r.tenant_id,
            site_id: r.site_id,
            name: r.name,
            description: r.description,
            enabled: r.enabled,
            created_at: r.created_at,
            updated_at: r.updated_at,
            streams: Vec::new(),
        })
        .collect();
    for stream in streams {
        let stream = stream.into_stream()?;
        if let Some(camera) = cameras.iter_mut().find(|c| c.id == stream.camera_id) {
            camera.streams.push(stream);
        }
    }
    for camera in &mut cameras {
        camera.streams.sort_by_key(|s| s.role);
    }
    Ok(cameras)
}

/// Lists the tenant's cameras, optionally of one site, by name.
pub async fn list(db: &mut PgConnection, tenant: TenantId, site: Option<Uuid>) -> Result<Vec<Camera>, CatalogError> {
    let rows: Vec<CameraRow> = sqlx::query_as(&format!(
        "SELECT {CAMERA_COLUMNS} FROM cameras WHERE tenant_id = $1 AND ($2::uuid IS NULL OR site_id = $2) \
         ORDER BY name, id"
    ))
    .bind(tenant)
    .bind(site)
    .fetch_all(&mut *db)
    .await?;
    attach_streams(&mut *db, tenant, rows).await
}

/// Returns one camera of the tenant.
pub async fn get(db: &mut PgConnection, tenant: TenantId, id: Uuid) -> Result<Camera, CatalogError> {
    let row: CameraRow =
        sqlx::query_as(&format!("SELECT {CAMERA_COLUMNS} FROM cameras WHERE tenant_id = $1 AND id = $2"))
            .bind(tenant)
            .bind(id)
            .fetch_optional(&mut *db)
            .await?
            .ok_or_else(|| CatalogError::not_found("camera", id))?;
    let mut cameras = attach_streams(&mut *db, tenant, vec![row]).await?;
    Ok(cameras.pop().expect("one camera row in, one camera out"))
}

/// Counts the tenant's cameras (for licence limits).
pub async fn count(db: impl PgExecutor<'_>, tenant: TenantId) -> Result<i64, CatalogError> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM cameras WHERE tenant_id = $1").bind(tenant).fetch_one(db).await?)
}

fn map_camera_write(e: sqlx::Error, name: Option<&str>) -> CatalogError {
    let e = CatalogError::from(e);
    if e.is_foreign_key_violation() {
        CatalogError::invalid("site_id", "no such site")
    } else if e.is_unique_violation() {
        CatalogError::AlreadyExists(format!(
            "a camera named `{}` already exists in this site",
            name.unwrap_or_default()
        ))
    } else {
        e
    }
}

/// Creates a camera and its streams; call inside a scoped transaction so it is atomic.
pub async fn create(
    tx: &mut PgConnection,
    key: &CredentialKey,
    tenant: TenantId,
    new: &NewCamera,
) -> Result<Camera, CatalogError> {
    let id = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO cameras (id, tenant_id, site_id, name, description, enabled) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(tenant)
    .bind(new.site_id)
    .bind(&new.name)
    .bind(&new.description)
    .bind(new.enabled)
    .execute(&mut *tx)
    .await
    .map_err(|e| map_camera_write(e, Some(&new.name)))?;
    write_streams(tx, key, tenant, id, &new.streams).await?;
    get(tx, tenant, id).await
}

/// Applies a partial update; call inside a scoped transaction so it is atomic.
pub async fn update(
    tx: &mut PgConnection,
    key: &CredentialKey,
    tenant: TenantId,
    id: Uuid,
    change: &CameraUpdate,
) -> Result<Camera, CatalogError> {
    let updated = sqlx::query(
        "UPDATE cameras SET site_id = COALESCE($3, site_id), name = COALESCE($4, name), \
         description = COALESCE($5, description), enabled = COALESCE($6, enabled), updated_at = now() \
         WHERE tenant_id = $1 AND id = $2",
    )
    .bind(tenant)
    .bind(id)
    .bind(change.site_id)
    .bind(&change.name)
    .bind(&change.description)
    .bind(change.enabled)
    .execute(&mut *tx)
    .await
    .map_err(|e| map_camera_write(e, change.name.as_deref()))?;
    if updated.rows_affected() == 0 {
        return Err(CatalogError::not_found("camera", id));
    }
    if let Some(streams) = &change.streams {
        let roles: Vec<&str> = streams.iter().map(|s| s.role.as_str()).collect();
        sqlx::query("DELETE FROM streams WHERE tenant_id = $1 AND camera_id = $2 AND role <> ALL($3)")
            .bind(tenant)
            .bind(id)
            .bind(&roles)
            .execute(&mut *tx)
            .await?;
        write_streams(tx, key, tenant, id, streams).await?;
    }
    get(tx, tenant, id).await
}

/// Inserts each stream, or updates it in place when the camera already has its role
/// (so stream ids, and the recordings filed under them, stay stable).
async fn write_streams(
    tx: &mut PgConnection,
    key: &CredentialKey,
    tenant: TenantId,
    camera: Uuid,
    streams: &[StreamSpec],
) -> Result<(), CatalogError> {
    for spec in streams {
        let existing: Option<(Uuid, String)> =
            sqlx::query_as("SELECT id, url FROM streams WHERE tenant_id = $1 AND camera_id = $2 AND role = $3")
                .bind(tenant)
                .bind(camera)
                .bind(spec.role.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        let id = existing.as_ref().map_or_else(Uuid::new_v4, |(id, _)| *id);
        let sealed = match &spec.credentials {
            CredentialsChange::Set(c) => Some(key.seal(c, id.as_bytes())),
            CredentialsChange::Keep | CredentialsChange::Clear => None,
        };
        // Credentials were given for one server: a stream moved to another
        // (whoever runs it would be sent them) keeps them only if they are given again.
        let moved = existing.as_ref().is_some_and(|(_, old)| !same_server(old, &spec.url));
        if moved && matches!(spec.credentials, CredentialsChange::Keep) {
            tracing::info!(stream_id = %id, "stream moved to another server; its stored credentials are dropped");
        }
        let keep = matches!(spec.credentials, CredentialsChange::Keep) && !moved;
        if existing.is_some() {
            sqlx::query(
                "UPDATE streams SET url = $2, transport = $3, \
                 credentials = CASE WHEN $5 THEN credentials ELSE $4 END, updated_at = now() WHERE id = $1",
            )
            .bind(id)
            .bind(&spec.url)
            .bind(spec.transport.as_str())
            .bind(sealed)
            .bind(keep)
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query(
                "INSERT INTO streams (id, tenant_id, camera_id, role, url, transport, credentials) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(tenant)
            .bind(camera)
            .bind(spec.role.as_str())
            .bind(&spec.url)
            .bind(spec.transport.as_str())
            .bind(sealed)
            .execute(&mut *tx)
            .await
            .map_err(|e| match CatalogError::from(e) {
                e if e.is_unique_violation() => {
                    CatalogError::invalid("streams", format!("role `{}` is given more than once", spec.role))
                }
                e => e,
            })?;
        }
    }
    Ok(())
}

/// Answers whether two stream URLs reach the same server: the same scheme
/// (RTSPS is not traded for plain RTSP), host and port (554 for `rtsp`, 322
/// for `rtsps` when none is written). Unparsable URLs are never the same.
fn same_server(a: &str, b: &str) -> bool {
    let server = |u: &str| {
        let u = url::Url::parse(u).ok()?;
        let default = match u.scheme() {
            "rtsps" => 322,
            _ => 554,
        };
        Some((u.scheme().to_owned(), u.host_str()?.to_ascii_lowercase(), u.port().unwrap_or(default)))
    };
    matches!((server(a), server(b)), (Some(a), Some(b)) if a == b)
}

/// Deletes a camera and its streams.
pub async fn delete(db: impl PgExecutor<'_>, tenant: TenantId, id: Uuid) -> Result<(), CatalogError> {
    let result =
        sqlx::query("DELETE FROM cameras WHERE tenant_id = $1 AND id = $2").bind(tenant).bind(id).execute(db).await?;
    if result.rows_affected() == 0 {
        return Err(CatalogError::not_found("camera", id));
    }
    Ok(())
}

/// Returns `(camera, site)` for every camera of the tenant (for permission checks).
pub async fn sites_of_cameras(db: impl PgExecutor<'_>, tenant: TenantId) -> Result<Vec<(Uuid, Uuid)>, CatalogError> {
    Ok(sqlx::query_as("SELECT id, site_id FROM cameras WHERE tenant_id = $1").bind(tenant).fetch_all(db).await?)
}

/// Counts every tenant's cameras (for the installation's licence limit) and
/// holds a lock until the transaction ends, so two concurrent additions
/// cannot both take the last licensed camera.
pub async fn count_all_for_quota(db: &mut PgConnection) -> Result<i64, CatalogError> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('vms_camera_quota'))").execute(&mut *db).await?;
    count_all(db).await
}

/// Counts every tenant's cameras (nothing else about them is revealed).
pub async fn count_all(db: impl PgExecutor<'_>) -> Result<i64, CatalogError> {
    Ok(sqlx::query_scalar("SELECT vms_camera_count()").fetch_one(db).await?)
}

/// A camera as the archive knows it: live, or deleted with footage kept.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ArchiveCamera {
    /// Id.
    pub id: Uuid,
    /// The site it belongs, or belonged, to (grants on it still count).
    pub site_id: Uuid,
    /// Its name, or its name when deleted.
    pub name: String,
    /// When it was deleted; `None` while it exists.
    pub deleted_at: Option<DateTime<Utc>>,
}

/// Finds a camera of `tenant` for its archive: the camera, or the record
/// of it once deleted (its footage stays playable and exportable until
/// retention removes it); not found when neither exists.
pub async fn for_archive(db: impl PgExecutor<'_>, tenant: TenantId, id: Uuid) -> Result<ArchiveCamera, CatalogError> {
    sqlx::query_as(
        "SELECT id, site_id, name, NULL::timestamptz AS deleted_at FROM cameras WHERE tenant_id = $1 AND id = $2 \
         UNION ALL \
         SELECT id, site_id, name, deleted_at FROM deleted_cameras WHERE tenant_id = $1 AND id = $2 \
         AND NOT EXISTS (SELECT 1 FROM cameras WHERE id = $2) \
         LIMIT 1",
    )
    .bind(tenant)
    .bind(id)
    .fetch_optional(db)
    .await?
    .ok_or_else(|| CatalogError::not_found("camera", id))
}

/// The deleted cameras of `tenant` whose footage is kept, newest deletion first.
pub async fn deleted_with_footage(
    db: impl PgExecutor<'_>,
    tenant: TenantId,
) -> Result<Vec<ArchiveCamera>, CatalogError> {
    Ok(sqlx::query_as(
        "SELECT d.id, d.site_id, d.name, d.deleted_at FROM deleted_cameras d \
         WHERE d.tenant_id = $1 AND NOT EXISTS (SELECT 1 FROM cameras c WHERE c.id = d.id) \
         AND EXISTS (SELECT 1 FROM recording_segments s WHERE s.camera_id = d.id) \
         ORDER BY d.deleted_at DESC",
    )
    .bind(tenant)
    .fetch_all(db)
    .await?)
}

/// Forgets deleted cameras of which no footage is left, a day after their
/// deletion at the earliest (a recorder's index may still be catching up
/// with files it wrote before); returns how many. Runs across tenants
/// (retention's work).
pub async fn forget_deleted_without_footage(db: impl PgExecutor<'_>) -> Result<u64, CatalogError> {
    let done = sqlx::query(
        "DELETE FROM deleted_cameras d WHERE d.deleted_at < now() - interval '1 day' \
         AND NOT EXISTS (SELECT 1 FROM recording_segments s WHERE s.camera_id = d.id)",
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}
