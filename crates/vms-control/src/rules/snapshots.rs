//! Where event snapshots are kept: JPEG files under the data directory's
//! `snapshots/`, one per event, at `<tenant>/<yyyy>/<mm>/<dd>/<event>.jpg`
//! (the event's start, UTC). The event's row holds the relative path; the
//! files go when retention removes their events.

use std::path::{Component, Path, PathBuf};

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// The snapshot files of one installation.
#[derive(Debug, Clone)]
pub struct Snapshots {
    root: PathBuf,
}

impl Snapshots {
    /// The files under `<data_dir>/snapshots`.
    pub fn new(data_dir: &Path) -> Self {
        Self { root: data_dir.join("snapshots") }
    }

    /// The relative path of an event's snapshot.
    pub fn path_for(tenant: Uuid, event: Uuid, start: DateTime<Utc>) -> String {
        format!("{tenant}/{}/{event}.jpg", start.format("%Y/%m/%d"))
    }

    /// The file a relative path names, if it stays under the root (a path
    /// read back from the database is checked all the same).
    fn file(&self, relative: &str) -> Option<PathBuf> {
        let path = Path::new(relative);
        let plain = path.components().all(|c| matches!(c, Component::Normal(_)));
        (plain && !relative.is_empty()).then(|| self.root.join(path))
    }

    /// Writes a snapshot at `relative`: to a temporary file of its own
    /// first, renamed into place, so a reader never sees half a picture and
    /// two writers never mix theirs.
    pub async fn write(&self, relative: &str, jpeg: &[u8]) -> std::io::Result<()> {
        let file = self.file(relative).ok_or_else(|| std::io::Error::other("bad snapshot path"))?;
        if let Some(dir) = file.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        let partial = file.with_extension(format!("{}.partial", Uuid::new_v4().simple()));
        let written = async {
            tokio::fs::write(&partial, jpeg).await?;
            tokio::fs::rename(&partial, &file).await
        };
        let result = written.await;
        if result.is_err() {
            let _ = tokio::fs::remove_file(&partial).await;
        }
        result
    }

    /// Reads the snapshot at `relative`.
    pub async fn read(&self, relative: &str) -> std::io::Result<Vec<u8>> {
        let file = self.file(relative).ok_or_else(|| std::io::Error::other("bad snapshot path"))?;
        tokio::fs::read(file).await
    }

    /// Deletes the snapshots at `relatives` (those already gone are fine).
    /// Blocking: call it off the async threads.
    pub fn remove(&self, relatives: &[String]) {
        for relative in relatives {
            let Some(file) = self.file(relative) else { continue };
            match std::fs::remove_file(&file) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => tracing::warn!(file = %file.display(), error = %e, "cannot delete an expired snapshot"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn snapshots_stay_under_their_root() {
        let dir = tempfile::tempdir().unwrap();
        let snapshots = Snapshots::new(dir.path());
        let start = "2026-03-04T05:06:07Z".parse().unwrap();
        let (tenant, event) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let path = Snapshots::path_for(tenant, event, start);
        assert_eq!(path, format!("{tenant}/2026/03/04/{event}.jpg"));
        snapshots.write(&path, b"jpeg").await.unwrap();
        assert_eq!(snapshots.read(&path).await.unwrap(), b"jpeg");
        for bad in ["../secrets/key", "/etc/passwd", "", "a/../../b"] {
            assert!(snapshots.read(bad).await.is_err(), "{bad}");
        }
        snapshots.remove(&[path.clone(), "missing.jpg".into()]);
        assert!(snapshots.read(&path).await.is_err());
    }
}
