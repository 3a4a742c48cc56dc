//! What is recorded of a camera stream in a time window, read from the
//! index once for playback and export alike.

use chrono::{DateTime, Utc};
use uuid::Uuid;
use vms_catalog::{
    CatalogError,
    recording::{self, Fragment, Segment},
};

use super::playlist;

/// One file and all its fragments.
pub struct Recorded {
    /// The segment.
    pub segment: Segment,
    /// Its fragments, in order.
    pub fragments: Vec<Fragment>,
}

impl Recorded {
    /// Length of the file's init segment (where its first fragment starts).
    pub fn init_len(&self) -> i64 {
        self.fragments.first().map_or(0, |f| f.byte_offset)
    }

    /// Its fragments overlapping `[start, end)`.
    pub fn in_window(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<&Fragment> {
        playlist::overlapping(&self.fragments, start, end)
    }
}

/// Reads the files of a camera stream that overlap `[start, end)`, oldest
/// first, with their fragments (two queries, however many files).
pub async fn recorded(
    db: &mut sqlx::PgConnection,
    camera: Uuid,
    role: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<Recorded>, CatalogError> {
    let segments = recording::segments(&mut *db, camera, role, start, end).await?;
    let ids: Vec<Uuid> = segments.iter().map(|s| s.id).collect();
    let mut fragments = recording::fragments_of(&mut *db, &ids).await?;
    Ok(segments
        .into_iter()
        .map(|segment| {
            let fragments = fragments.remove(&segment.id).unwrap_or_default();
            Recorded { segment, fragments }
        })
        .collect())
}
