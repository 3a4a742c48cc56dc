//! The recording index: segment files and the fragments inside them.
//!
//! The recorder writes it as it records (every statement is idempotent, so
//! a batch retried after a database outage does no harm); playback and
//! export read it to find any moment without scanning files.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::bookmark::SEGMENT_LOCKED;
use crate::{CatalogError, schedule::WeeklyRange};

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
    /// Why it was recorded.
    pub kind: FootageKind,
}

/// Why footage was recorded: it decides which retention keeps it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum FootageKind {
    /// Recorded all the time, or on its schedule (the camera's retention).
    #[default]
    Continuous,
    /// Recorded on an event, its pre- and post-buffer included (the camera's
    /// event retention, when set).
    Event,
}

impl FootageKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            FootageKind::Continuous => "continuous",
            FootageKind::Event => "event",
        }
    }
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
    /// The node whose recorder holds the file (`None`: indexed before
    /// nodes were recorded).
    pub node_id: Option<String>,
}

/// Records a newly opened segment, written by the recorder of `node`
/// (again: a no-op).
pub async fn open_segment(db: impl PgExecutor<'_>, s: &NewSegment, node: &str) -> Result<(), CatalogError> {
    sqlx::query(
        "INSERT INTO recording_segments (id, tenant_id, camera_id, stream_id, stream_role, root, path, start_time, \
         end_time, bytes, codec, width, height, kind, node_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (id) DO NOTHING",
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
    .bind(s.kind.as_str())
    .bind(node)
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
        "SELECT id, camera_id, stream_role, root, path, start_time, end_time, bytes, codec, width, height, open, \
         node_id \
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

/// The nodes whose recorders hold a camera stream's footage overlapping
/// `[start, end)`, the one with the newest footage first (`None`: files
/// indexed before nodes were recorded); empty when nothing is recorded.
pub async fn nodes_in_window(
    db: impl PgExecutor<'_>,
    camera: Uuid,
    role: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<Option<String>>, CatalogError> {
    Ok(sqlx::query_scalar(
        "SELECT node_id FROM recording_segments \
         WHERE camera_id = $1 AND stream_role = $2 AND start_time < $4 AND end_time > $3 \
         GROUP BY node_id ORDER BY max(end_time) DESC",
    )
    .bind(camera)
    .bind(role)
    .bind(start)
    .bind(end)
    .fetch_all(db)
    .await?)
}

/// One stretch of a camera stream with video.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Stretch {
    /// The camera.
    pub camera_id: Uuid,
    /// First moment with video, clipped to the window asked for.
    pub start_time: DateTime<Utc>,
    /// Just past the last moment with video, clipped likewise.
    pub end_time: DateTime<Utc>,
}

/// The stretches with video of several cameras' `role` streams within
/// `[start, end)`, by camera, oldest first, clipped to the window: files
/// that follow each other within 500 ms are one stretch, and the time
/// between stretches was not recorded. Read from `recording_stretches`
/// (migration 0016), which the database keeps as files come and go, so a
/// month of a camera's files is a few rows.
pub async fn stretches(
    db: impl PgExecutor<'_>,
    cameras: &[Uuid],
    role: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<Stretch>, CatalogError> {
    stretches_after(db, cameras, role, start, end, None, None).await
}

/// [`stretches`], only those starting after `after`, at most `limit` of them
/// (for a page of one camera's list).
pub async fn stretches_after(
    db: impl PgExecutor<'_>,
    cameras: &[Uuid],
    role: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    after: Option<DateTime<Utc>>,
    limit: Option<i64>,
) -> Result<Vec<Stretch>, CatalogError> {
    Ok(sqlx::query_as(
        "SELECT camera_id, greatest(start_time, $3) AS start_time, least(end_time, $4) AS end_time \
         FROM recording_stretches \
         WHERE camera_id = ANY($1) AND stream_role = $2 AND start_time < $4 AND end_time > $3 \
         AND ($5::timestamptz IS NULL OR start_time > $5) \
         ORDER BY camera_id, start_time LIMIT $6",
    )
    .bind(cameras)
    .bind(role)
    .bind(start)
    .bind(end)
    .bind(after)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// How many fragments of a camera stream overlap `[start, end)`, counted
/// without reading them.
pub async fn count_fragments(
    db: impl PgExecutor<'_>,
    camera: Uuid,
    role: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<i64, CatalogError> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM recording_fragments f JOIN recording_segments s ON s.id = f.segment_id \
         WHERE s.camera_id = $1 AND s.stream_role = $2 AND s.start_time < $4 AND s.end_time > $3 \
         AND f.start_time < $4 AND f.start_time + make_interval(secs => f.duration_ms / 1000.0) > $3",
    )
    .bind(camera)
    .bind(role)
    .bind(start)
    .bind(end)
    .fetch_one(db)
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

/// The tenant and stream id of a camera's stream, looked up across tenants
/// (the recorder attributing a file found on disk); `None` once the camera is gone.
pub async fn stream_owner(
    db: impl PgExecutor<'_>,
    camera: Uuid,
    role: &str,
) -> Result<Option<(Uuid, Uuid)>, CatalogError> {
    Ok(sqlx::query_as("SELECT tenant_id, id FROM streams WHERE camera_id = $1 AND role = $2")
        .bind(camera)
        .bind(role)
        .fetch_optional(db)
        .await?)
}

/// Makes the index say exactly what a finished file, held by the recorder
/// of `node`, holds: its segment (created under `segment.id` unless the
/// file is indexed already), its end, size and fragments, and no fragment
/// it no longer holds. Returns the segment's id.
pub async fn index_file(
    db: &mut sqlx::PgConnection,
    segment: &NewSegment,
    end_time: DateTime<Utc>,
    fragments: &[Fragment],
    node: &str,
) -> Result<Uuid, CatalogError> {
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO recording_segments (id, tenant_id, camera_id, stream_id, stream_role, root, path, start_time, \
         end_time, bytes, codec, width, height, open, kind, node_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, false, $14, $15) \
         ON CONFLICT (root, path) DO UPDATE SET end_time = EXCLUDED.end_time, bytes = EXCLUDED.bytes, \
         start_time = EXCLUDED.start_time, codec = EXCLUDED.codec, width = EXCLUDED.width, \
         height = EXCLUDED.height, open = false, node_id = EXCLUDED.node_id \
         RETURNING id",
    )
    .bind(segment.id)
    .bind(segment.tenant_id)
    .bind(segment.camera_id)
    .bind(segment.stream_id)
    .bind(&segment.stream_role)
    .bind(&segment.root)
    .bind(&segment.path)
    .bind(segment.start_time)
    .bind(end_time.max(segment.start_time))
    .bind(segment.bytes)
    .bind(&segment.codec)
    .bind(segment.width)
    .bind(segment.height)
    .bind(segment.kind.as_str())
    .bind(node)
    .fetch_one(&mut *db)
    .await?;
    let last = fragments.iter().map(|f| f.seq).max().unwrap_or(0);
    sqlx::query("DELETE FROM recording_fragments WHERE segment_id = $1 AND seq > $2")
        .bind(id)
        .bind(last)
        .execute(&mut *db)
        .await?;
    let column = |f: fn(&Fragment) -> i64| fragments.iter().map(f).collect::<Vec<i64>>();
    sqlx::query(
        "INSERT INTO recording_fragments (segment_id, tenant_id, seq, start_time, duration_ms, byte_offset, \
         byte_len, keyframe, pictures) \
         SELECT $1, $2, seq::int, start_time, duration_ms::int, byte_offset, byte_len::int, keyframe, pictures::int \
         FROM UNNEST($3::bigint[], $4::timestamptz[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bool[], \
         $9::bigint[]) AS f(seq, start_time, duration_ms, byte_offset, byte_len, keyframe, pictures) \
         ON CONFLICT (segment_id, seq) DO UPDATE SET start_time = EXCLUDED.start_time, \
         duration_ms = EXCLUDED.duration_ms, byte_offset = EXCLUDED.byte_offset, byte_len = EXCLUDED.byte_len, \
         keyframe = EXCLUDED.keyframe, pictures = EXCLUDED.pictures",
    )
    .bind(id)
    .bind(segment.tenant_id)
    .bind(column(|f| f.seq.into()))
    .bind(fragments.iter().map(|f| f.start_time).collect::<Vec<_>>())
    .bind(column(|f| f.duration_ms.into()))
    .bind(column(|f| f.byte_offset))
    .bind(column(|f| f.byte_len.into()))
    .bind(fragments.iter().map(|f| f.keyframe).collect::<Vec<_>>())
    .bind(column(|f| f.pictures.into()))
    .execute(&mut *db)
    .await?;
    Ok(id)
}

/// Removes the index entries of files under `root` of `node`'s recorder
/// that are no longer on disk (`present` lists the paths that are);
/// returns how many.
pub async fn forget_missing(
    db: impl PgExecutor<'_>,
    node: &str,
    root: &str,
    present: &[String],
) -> Result<u64, CatalogError> {
    let done = sqlx::query(
        "DELETE FROM recording_segments WHERE root = $1 AND coalesce(node_id, $3) = $3 AND NOT (path = ANY($2))",
    )
    .bind(root)
    .bind(present)
    .bind(node)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// When a camera is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Always (the default).
    #[default]
    Continuous,
    /// During its weekly schedule, in its site's local time.
    Scheduled,
    /// While an event is open, with a pre- and post-buffer.
    Event,
}

impl Mode {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Continuous => "continuous",
            Mode::Scheduled => "scheduled",
            Mode::Event => "event",
        }
    }

    /// Reads a stored name.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "continuous" => Some(Mode::Continuous),
            "scheduled" => Some(Mode::Scheduled),
            "event" => Some(Mode::Event),
            _ => None,
        }
    }
}

/// A camera's recording settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// When it is recorded.
    pub mode: Mode,
    /// The weekly ranges of `Scheduled`.
    pub schedule: Vec<WeeklyRange>,
    /// Seconds before an event's start that are kept (`Event`).
    pub pre_buffer_secs: i32,
    /// Seconds after an event's end that are recorded (`Event`).
    pub post_buffer_secs: i32,
    /// Days its recordings are kept; `None` keeps them until space runs short.
    pub retention_days: Option<i32>,
    /// Days its event footage is kept; `None` means as `retention_days`.
    pub event_retention_days: Option<i32>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            mode: Mode::Continuous,
            schedule: Vec::new(),
            pre_buffer_secs: 5,
            post_buffer_secs: 10,
            retention_days: None,
            event_retention_days: None,
        }
    }
}

#[derive(sqlx::FromRow)]
struct SettingsRow {
    mode: String,
    schedule: sqlx::types::Json<Vec<WeeklyRange>>,
    pre_buffer_secs: i32,
    post_buffer_secs: i32,
    retention_days: Option<i32>,
    event_retention_days: Option<i32>,
}

impl From<SettingsRow> for Settings {
    fn from(r: SettingsRow) -> Self {
        Settings {
            mode: Mode::parse(&r.mode).unwrap_or_default(),
            schedule: r.schedule.0,
            pre_buffer_secs: r.pre_buffer_secs,
            post_buffer_secs: r.post_buffer_secs,
            retention_days: r.retention_days,
            event_retention_days: r.event_retention_days,
        }
    }
}

/// The settings columns, in `SettingsRow` order.
const SETTINGS_COLUMNS: &str =
    "mode, schedule, pre_buffer_secs, post_buffer_secs, retention_days, event_retention_days";

/// Returns a camera's recording settings (the defaults when never set).
pub async fn settings(db: impl PgExecutor<'_>, camera: Uuid) -> Result<Settings, CatalogError> {
    let found: Option<SettingsRow> =
        sqlx::query_as(&format!("SELECT {SETTINGS_COLUMNS} FROM recording_settings WHERE camera_id = $1"))
            .bind(camera)
            .fetch_optional(db)
            .await?;
    Ok(found.map(Settings::from).unwrap_or_default())
}

/// When one camera records, as the recorder needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CameraMode {
    /// The camera.
    pub camera_id: Uuid,
    /// Its settings.
    pub settings: Settings,
    /// Its site's IANA time zone.
    pub timezone: String,
}

/// Every camera's recording mode, with its site's time zone (across
/// tenants: the recorder's own view). Cameras never configured are absent
/// and record continuously.
pub async fn modes(db: impl PgExecutor<'_>) -> Result<Vec<CameraMode>, CatalogError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        camera_id: Uuid,
        timezone: String,
        #[sqlx(flatten)]
        settings: SettingsRow,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT r.camera_id, s.timezone, {} FROM recording_settings r \
         JOIN cameras c ON c.id = r.camera_id JOIN sites s ON s.id = c.site_id",
        SETTINGS_COLUMNS.split(", ").map(|c| format!("r.{c}")).collect::<Vec<_>>().join(", ")
    ))
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CameraMode { camera_id: r.camera_id, settings: r.settings.into(), timezone: r.timezone })
        .collect())
}

/// Stores a camera's recording settings.
pub async fn set_settings(
    db: impl PgExecutor<'_>,
    tenant: Uuid,
    camera: Uuid,
    settings: &Settings,
) -> Result<(), CatalogError> {
    sqlx::query(
        "INSERT INTO recording_settings (camera_id, tenant_id, mode, schedule, pre_buffer_secs, post_buffer_secs, \
         retention_days, event_retention_days) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (camera_id) DO UPDATE SET mode = EXCLUDED.mode, schedule = EXCLUDED.schedule, \
         pre_buffer_secs = EXCLUDED.pre_buffer_secs, post_buffer_secs = EXCLUDED.post_buffer_secs, \
         retention_days = EXCLUDED.retention_days, event_retention_days = EXCLUDED.event_retention_days, \
         updated_at = now()",
    )
    .bind(camera)
    .bind(tenant)
    .bind(settings.mode.as_str())
    .bind(sqlx::types::Json(&settings.schedule))
    .bind(settings.pre_buffer_secs)
    .bind(settings.post_buffer_secs)
    .bind(settings.retention_days)
    .bind(settings.event_retention_days)
    .execute(db)
    .await?;
    Ok(())
}

/// A finished segment retention may delete.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Expired {
    /// Its id.
    pub id: Uuid,
    /// Its storage root.
    pub root: String,
    /// Its path relative to the root.
    pub path: String,
    /// Its size.
    pub bytes: i64,
}

/// Finished segments of `node`'s recorder under `roots` (its own: never
/// another node's, even where their roots have the same path) that have
/// outlived their retention, oldest first, across tenants
/// (retention is the system's work). Retention is the camera's (event
/// footage: its event retention, when set); `orphan_days` once the camera
/// is deleted (its settings went with it); none at all once the tenant is
/// deleted (its footage goes at once). Footage under a bookmark's evidence
/// lock is never listed.
pub async fn past_retention(
    db: impl PgExecutor<'_>,
    node: &str,
    roots: &[String],
    orphan_days: i32,
    limit: i64,
) -> Result<Vec<Expired>, CatalogError> {
    Ok(sqlx::query_as(&format!(
        "SELECT s.id, s.root, s.path, s.bytes FROM recording_segments s \
         LEFT JOIN recording_settings r ON r.camera_id = s.camera_id \
         CROSS JOIN LATERAL (SELECT CASE \
             WHEN NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = s.tenant_id) THEN 0 \
             WHEN NOT EXISTS (SELECT 1 FROM cameras c WHERE c.id = s.camera_id) THEN $2 \
             WHEN s.kind = 'event' THEN coalesce(r.event_retention_days, r.retention_days) \
             ELSE r.retention_days END AS days) k \
         WHERE s.root = ANY($1) AND coalesce(s.node_id, $4) = $4 AND NOT s.open AND k.days IS NOT NULL \
         AND s.end_time < now() - make_interval(days => k.days) AND NOT {SEGMENT_LOCKED} \
         ORDER BY s.start_time LIMIT $3",
    ))
    .bind(roots)
    .bind(orphan_days)
    .bind(limit)
    .bind(node)
    .fetch_all(db)
    .await?)
}

/// Bytes indexed under a storage root of `node`'s recorder, files being
/// written included.
pub async fn bytes_in_root(db: impl PgExecutor<'_>, node: &str, root: &str) -> Result<i64, CatalogError> {
    Ok(sqlx::query_scalar(
        "SELECT coalesce(sum(bytes), 0)::bigint FROM recording_segments \
         WHERE root = $1 AND coalesce(node_id, $2) = $2",
    )
    .bind(root)
    .bind(node)
    .fetch_one(db)
    .await?)
}

/// What the recordings in a storage root of `node`'s recorder take, and where they start.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct RootUsage {
    /// Bytes of all its segments.
    pub bytes: i64,
    /// Bytes of its segments under evidence lock.
    pub locked_bytes: i64,
    /// Where its oldest segment starts.
    pub oldest: Option<DateTime<Utc>>,
}

/// Sums a storage root's segments in one pass (for status reports).
pub async fn root_usage(db: impl PgExecutor<'_>, node: &str, root: &str) -> Result<RootUsage, CatalogError> {
    Ok(sqlx::query_as(&format!(
        "SELECT coalesce(sum(s.bytes), 0)::bigint AS bytes, \
                coalesce(sum(s.bytes) FILTER (WHERE {SEGMENT_LOCKED}), 0)::bigint AS locked_bytes, \
                min(s.start_time) AS oldest \
         FROM recording_segments s WHERE s.root = $1 AND coalesce(s.node_id, $2) = $2"
    ))
    .bind(root)
    .bind(node)
    .fetch_one(db)
    .await?)
}

/// The oldest finished segments of a storage root of `node`'s recorder,
/// but those under evidence lock.
pub async fn oldest_in_root(
    db: impl PgExecutor<'_>,
    node: &str,
    root: &str,
    limit: i64,
) -> Result<Vec<Expired>, CatalogError> {
    Ok(sqlx::query_as(&format!(
        "SELECT s.id, s.root, s.path, s.bytes FROM recording_segments s \
         WHERE s.root = $1 AND coalesce(s.node_id, $3) = $3 AND NOT s.open AND NOT {SEGMENT_LOCKED} \
         ORDER BY s.start_time LIMIT $2",
    ))
    .bind(root)
    .bind(limit)
    .bind(node)
    .fetch_all(db)
    .await?)
}

/// Removes a segment from the index (before its file goes); false when it
/// was gone already, is being written, or was locked as evidence since it
/// was listed.
pub async fn forget_segment(db: impl PgExecutor<'_>, segment: Uuid) -> Result<bool, CatalogError> {
    let done = sqlx::query(&format!(
        "DELETE FROM recording_segments s WHERE s.id = $1 AND NOT s.open AND NOT {SEGMENT_LOCKED}"
    ))
    .bind(segment)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Bytes under evidence lock in a storage root of `node`'s recorder.
pub async fn locked_bytes_in_root(db: impl PgExecutor<'_>, node: &str, root: &str) -> Result<i64, CatalogError> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT coalesce(sum(s.bytes), 0)::bigint FROM recording_segments s \
         WHERE s.root = $1 AND coalesce(s.node_id, $2) = $2 AND {SEGMENT_LOCKED}"
    ))
    .bind(root)
    .bind(node)
    .fetch_one(db)
    .await?)
}

/// Returns one segment, if the caller's tenant may see it.
pub async fn segment(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<Segment>, CatalogError> {
    Ok(sqlx::query_as(
        "SELECT id, camera_id, stream_role, root, path, start_time, end_time, bytes, codec, width, height, open, \
         node_id \
         FROM recording_segments WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?)
}

/// Answers whether the index lists the file `root/path` as finished (so
/// with every fragment, which are all recorded before it is closed).
pub async fn is_indexed(db: impl PgExecutor<'_>, root: &str, path: &str) -> Result<bool, CatalogError> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM recording_segments WHERE root = $1 AND path = $2 AND NOT open)",
    )
    .bind(root)
    .bind(path)
    .fetch_one(db)
    .await?)
}

/// The fragments of several segments, in order, by segment (one query).
pub async fn fragments_of(
    db: impl PgExecutor<'_>,
    segments: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, Vec<Fragment>>, CatalogError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        segment_id: Uuid,
        #[sqlx(flatten)]
        fragment: Fragment,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT segment_id, seq, start_time, duration_ms, byte_offset, byte_len, keyframe, pictures \
         FROM recording_fragments WHERE segment_id = ANY($1) ORDER BY segment_id, seq",
    )
    .bind(segments)
    .fetch_all(db)
    .await?;
    let mut by_segment: std::collections::HashMap<Uuid, Vec<Fragment>> = Default::default();
    for row in rows {
        by_segment.entry(row.segment_id).or_default().push(row.fragment);
    }
    Ok(by_segment)
}
