//! The assignment cache on local disk, so a plane restarted while control is
//! down still knows its work.

use std::{
    io::Write,
    path::{Path, PathBuf},
};

use anyhow::Context;
use vms_base::Plane;

use crate::AssignmentSet;

/// One file per plane and node under the state directory, replaced atomically.
pub(crate) struct AssignmentCache {
    path: PathBuf,
}

impl AssignmentCache {
    pub(crate) fn new(state_dir: &Path, plane: Plane, node_id: &str) -> Self {
        Self { path: state_dir.join(format!("{plane}-{node_id}-assignments.json")) }
    }

    pub(crate) fn load(&self) -> anyhow::Result<Option<AssignmentSet>> {
        match std::fs::read(&self.path) {
            Ok(bytes) => Ok(Some(serde_json::from_slice(&bytes).context("corrupt assignment cache")?)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("failed to read {}", self.path.display())),
        }
    }

    /// Writes to a temporary file, syncs it and renames it over the cache, so a
    /// crash leaves either the old or the new set, never a torn one.
    pub(crate) fn store(&self, set: &AssignmentSet) -> anyhow::Result<()> {
        let dir = self.path.parent().expect("cache path has a parent");
        std::fs::create_dir_all(dir).with_context(|| format!("failed to create {}", dir.display()))?;
        let tmp = self.path.with_extension("json.tmp");
        {
            let mut file = private_file(&tmp)?;
            file.write_all(&serde_json::to_vec_pretty(set)?)?;
            file.sync_all()?;
        }
        std::fs::rename(&tmp, &self.path).with_context(|| format!("failed to replace {}", self.path.display()))
    }
}

#[cfg(unix)]
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)
}

#[cfg(not(unix))]
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::create(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_tolerates_absence() {
        let dir = std::env::temp_dir().join(format!("vms-cache-{}", uuid::Uuid::new_v4()));
        let cache = AssignmentCache::new(&dir, Plane::Media, "local");
        assert!(cache.load().unwrap().is_none());
        let set = AssignmentSet { revision: 7, streams: vec![], devices: vec![] };
        cache.store(&set).unwrap();
        assert_eq!(cache.load().unwrap(), Some(set));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
