//! After a crash: the newest file of every stream may end in a torn
//! fragment and its index entry may still say it is being written. Before
//! recording resumes, each such file is cut back to its last whole fragment
//! (so it plays) and queued for the index to match it. The other files of
//! the newest day are queued to be checked: any the index lacks (written
//! during a database outage the recorder did not outlive) are read and
//! indexed. Older days are left to `vms recorder reindex`.

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
            let mut files = scan::files_under(&root.path, &day);
            if let Some(newest) = files.pop() {
                repair(&root.path, &newest, index);
            }
            for relative in files {
                index.send(Event::Check { root: root.path.clone(), relative });
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
