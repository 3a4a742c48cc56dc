//! After a crash: the newest file of every stream may end in a torn
//! fragment and its index entry may still say it is being written. Before
//! recording resumes, each such file is cut back to its last whole fragment
//! (so it plays) and queued for the index to match it. Files made during a
//! database outage that a crash kept out of the index are left to
//! `vms recorder reindex`, which reads every file.

use std::path::Path;

use vms_config::StorageRoot;

use crate::{
    index::{Event, IndexQueue},
    scan,
};

/// Repairs the newest file of every stream under `roots` and queues it for
/// the index. Blocking file work; call from a blocking task.
pub(crate) fn recover(roots: &[StorageRoot], index: &IndexQueue) {
    for root in roots {
        for day in scan::newest_days(&root.path) {
            if let Some(newest) = scan::files_under(&root.path, &day).pop() {
                repair(&root.path, &newest, index);
            }
        }
    }
}

fn repair(root: &Path, relative: &Path, index: &IndexQueue) {
    let path = root.join(relative);
    match scan::scan(root, relative) {
        Ok(Some(file)) => {
            if let Err(e) = scan::cut_torn_tail(&file) {
                tracing::error!(path = %path.display(), error = %format!("{e:#}"), "cannot cut a torn segment");
                return;
            }
            index.send(Event::File(Box::new(file)));
        }
        Ok(None) => {
            // Not even a whole init segment: there is no video to keep.
            tracing::warn!(path = %path.display(), "removing a segment torn before its first picture");
            if let Err(e) = std::fs::remove_file(&path) {
                tracing::error!(path = %path.display(), error = %e, "cannot remove an empty segment");
            }
        }
        Err(e) => tracing::warn!(path = %path.display(), error = %format!("{e:#}"), "skipping an unreadable file"),
    }
}
