//! The recording index: segment files and the fragments inside them.
//!
//! The recorder writes it as it records (every statement is idempotent, so
//! a batch retried after a database outage does no harm); playback and
//! export read it to find any moment without scanning files.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::CatalogError;

/// A segment file as it is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSegment {
    /// Its id.
    pub id: Uuid,
    /// The camera's tenant.
    pub tenant_id: Uuid,
    /// The camera.
    pub camera_id: Uuid,
    /// The stream.
    pub stream_id: Uuid,
    /// `main` or `sub`.
    pub stream_role: String,
    /// The storage root.
    pub root: String,
    /// The file's path relative to the root.
    pub path: String,
    /// Wall-clock time of its first picture.
    pub start_time: DateTime<Utc>,
    /// RFC 6381 codec string.
    pub codec: String,
    /// Picture width.
    pub width: i32,
    /// Picture height.
    pub height: i32,
    /// Bytes written so far (the init segment).
    pub bytes: i64,
}

/// One fragment (a GOP) of a segment.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Fragment {
    /// Sequence number in its file, from 1.
    pub seq: i32,
    /// Wall-clock time of its first picture.
    pub start_time: DateTime<Utc>,
    /// Its duration, in milliseconds.
    pub duration_ms: i32,
    /// Where its `moof` starts in the file.
    pub byte_offset: i64,
    /// Its length, `moof` and `mdat` together.
    pub byte_len: i32,
    /// Whether it starts with a keyframe.
    pub keyframe: bool,
    /// Number of pictures.
    pub pictures: i32,
}

/// A segment as the index holds it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Segment {
    /// Its id.
    pub id: Uuid,
    /// The camera.
    pub camera_id: Uuid,
    /// `main` or `sub`.
    pub stream_role: String,
    /// The storage root.
    pub root: String,
    /// The file's path relative to the root.
    pub path: String,
    /// Wall-clock time of its first picture.
    pub start_time: DateTime<Utc>,
    /// Wall-clock time just past its last picture.
    pub end_time: DateTime<Utc>,
    /// File size.
    pub bytes: i64,
    /// RFC 6381 codec string.
    pub codec: String,
    /// Picture width.
    pub width: i32,
    /// Picture height.
    pub height: i32,
    /// Still being written.
    pub open: bool,
}

/// Records a newly opened segment (again: a no-op).
pub async fn open_segment(db: impl PgExecutor<'_>, s: &NewSegment) -> Result<(), CatalogError> {
    sqlx::query(
        "INSERT INTO recording_segments (id, tenant_id, camera_id, stream_id, stream_role, root, path, start_time, \
         end_time, bytes, codec, width, height) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, $12) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(s.id)
    .bind(s.tenant_id)
    .bind(s.camera_id)
    .bind(s.stream_id)
    .bind(&s.stream_role)
    .bind(&s.root)
    .bind(&s.path)
    .bind(s.start_time)
    .bind(s.bytes)
    .bind(&s.codec)
    .bind(s.width)
    .bind(s.height)
    .execute(db)
    .await?;
    Ok(())
}

/// Records a fragment appended to `segment` (again: a no-op), and the
/// segment's new end and size.
pub async fn add_fragment(
    db: &mut sqlx::PgConnection,
    tenant: Uuid,
    segment: Uuid,
    f: &Fragment,
    end_time: DateTime<Utc>,
    bytes: i64,
) -> Result<(), CatalogError> {
    sqlx::query(
        "INSERT INTO recording_fragments (segment_id, tenant_id, seq, start_time, duration_ms, byte_offset, \
         byte_len, keyframe, pictures) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
    )
    .bind(segment)
    .bind(tenant)
    .bind(f.seq)
    .bind(f.start_time)
    .bind(f.duration_ms)
    .bind(f.byte_offset)
    .bind(f.byte_len)
    .bind(f.keyframe)
    .bind(f.pictures)
    .execute(&mut *db)
    .await?;
    sqlx::query(
        "UPDATE recording_segments SET end_time = greatest(end_time, $2), bytes = greatest(bytes, $3) WHERE id = $1",
    )
    .bind(segment)
    .bind(end_time)
    .bind(bytes)
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// Marks a segment finished.
pub async fn close_segment(db: impl PgExecutor<'_>, segment: Uuid) -> Result<(), CatalogError> {
    sqlx::query("UPDATE recording_segments SET open = false WHERE id = $1").bind(segment).execute(db).await?;
    Ok(())
}

/// Returns a camera stream's segments overlapping `[start, end)`, oldest first.
pub async fn segments(
    db: impl PgExecutor<'_>,
    camera: Uuid,
    role: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<Segment>, CatalogError> {
    Ok(sqlx::query_as(
        "SELECT id, camera_id, stream_role, root, path, start_time, end_time, bytes, codec, width, height, open \
         FROM recording_segments WHERE camera_id = $1 AND stream_role = $2 AND start_time < $4 AND end_time > $3 \
         ORDER BY start_time",
    )
    .bind(camera)
    .bind(role)
    .bind(start)
    .bind(end)
    .fetch_all(db)
    .await?)
}

/// Returns a segment's fragments in order.
pub async fn fragments(db: impl PgExecutor<'_>, segment: Uuid) -> Result<Vec<Fragment>, CatalogError> {
    Ok(sqlx::query_as(
        "SELECT seq, start_time, duration_ms, byte_offset, byte_len, keyframe, pictures \
         FROM recording_fragments WHERE segment_id = $1 ORDER BY seq",
    )
    .bind(segment)
    .fetch_all(db)
    .await?)
}
