//! Retention: recordings go, oldest first, when they are older than their
//! camera's retention (a deleted camera's: the orphan retention; a deleted
//! tenant's: at once), when their storage root is over its quota, or when
//! its filesystem's free space falls under the floor. The index entry goes
//! before the file, so the index never points at a missing file, and a
//! segment being written is never touched, nor is footage a bookmark locks
//! as evidence (see `vms_catalog::bookmark`): when only locked footage is
//! left to make room with, the sweep raises an alert that says so, with how
//! much is locked. Only this recorder's roots are swept: recorders of other
//! nodes share the database, not the disks.

use std::{path::Path, time::Duration};

use sqlx::PgPool;
use tokio_util::sync::CancellationToken;
use vms_catalog::{
    Scope,
    recording::{self, Expired},
    scope,
};
use vms_config::StorageRoot;

use crate::{metrics::Reason, space};

/// Segments looked at per query.
const BATCH: i64 = 200;

/// What a sweep deleted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Swept {
    pub(crate) files: usize,
    pub(crate) bytes: u64,
}

/// What a sweep keeps to, from `recording` in the configuration.
#[derive(Debug, Clone)]
pub(crate) struct Policy {
    /// This recorder's node: other nodes' files are never its to delete.
    pub(crate) node: String,
    /// This recorder's storage roots: the only ones it sweeps.
    pub(crate) roots: Vec<StorageRoot>,
    /// Free space kept on every root's filesystem.
    pub(crate) min_free: u64,
    /// Days a deleted camera's footage is kept.
    pub(crate) orphan_days: u32,
    /// Where a root that evidence locks keep full is reported.
    pub(crate) alerts: vms_plane::Alerts,
    /// Where each root's room and footage are reported with the plane's status.
    pub(crate) details: vms_plane::Details,
    /// Where removals and each root's room are counted for Prometheus.
    pub(crate) metrics: crate::metrics::RecorderMetrics,
    /// When footage was last removed from each root to make room (not for
    /// its age), for the status report: the alert that the disk cannot hold
    /// the retention the cameras ask for reads it.
    pub(crate) room_removed: RoomRemoved,
}

/// When each root last lost footage to make room, by root.
pub(crate) type RoomRemoved =
    std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, chrono::DateTime<chrono::Utc>>>>;

/// The alert of a root that needs room while only locked footage (and
/// files being written) is left.
const LOCKED_FULL: &str = "recording_locked_full";

/// How often the footage in each root is summed for the status report (a
/// pass over the root's segments); the filesystem is measured every sweep.
const FOOTAGE_EVERY: Duration = Duration::from_secs(300);

/// Sweeps every `interval` until `cancel`, then reports the roots as the sweep left them.
pub(crate) async fn run(db: PgPool, policy: Policy, interval: Duration, cancel: CancellationToken) {
    let mut footage = Footage::default();
    loop {
        match sweep(&db, &policy).await {
            Ok(swept) if swept.files > 0 => {
                tracing::info!(files = swept.files, bytes = swept.bytes, "retention deleted recordings");
                // What is left, and where it starts, changed: sum it again now.
                footage.0.clear();
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "retention sweep failed; retrying"),
        }
        let roots = storage(&db, &policy, &mut footage).await;
        policy.metrics.storage(&roots);
        policy.details.set_storage(roots);
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(interval) => {}
        }
    }
}

/// One pass: age first, then each root's quota and free space.
pub(crate) async fn sweep(db: &PgPool, policy: &Policy) -> Result<Swept, vms_catalog::CatalogError> {
    let mut swept = Swept::default();
    let (roots, min_free) = (&policy.roots, policy.min_free);
    let names: Vec<String> = roots.iter().map(|r| r.path.to_string_lossy().into_owned()).collect();
    let orphan_days = i32::try_from(policy.orphan_days).unwrap_or(i32::MAX);
    loop {
        let expired = {
            let mut tx = scope::begin(db, Scope::AllTenants).await?;
            recording::past_retention(&mut *tx, &policy.node, &names, orphan_days, BATCH).await?
        };
        for segment in &expired {
            delete(db, policy, segment, Reason::Age, &mut swept).await?;
        }
        if (expired.len() as i64) < BATCH {
            break;
        }
    }
    for root in roots {
        let name = root.path.to_string_lossy().into_owned();
        let over_quota = |used: i64| root.max_bytes.is_some_and(|max| used > max as i64);
        let short_of_space = || space::available(&root.path).is_ok_and(|free| free < min_free);
        // The root's total is summed only when it has a quota to keep. The
        // quota counts footage retention may remove: locked evidence is on
        // top of it (else a large lock would make every sweep empty the root).
        let mut used = match root.max_bytes {
            Some(_) => {
                let mut tx = scope::begin(db, Scope::AllTenants).await?;
                let all = recording::bytes_in_root(&mut *tx, &policy.node, &name).await?;
                all - recording::locked_bytes_in_root(&mut *tx, &policy.node, &name).await?
            }
            None => 0,
        };
        let alert = format!("{LOCKED_FULL}:{name}");
        let mut stuck = false;
        'root: while over_quota(used) || short_of_space() {
            let oldest = {
                let mut tx = scope::begin(db, Scope::AllTenants).await?;
                recording::oldest_in_root(&mut *tx, &policy.node, &name, BATCH).await?
            };
            if oldest.is_empty() {
                let locked = {
                    let mut tx = scope::begin(db, Scope::AllTenants).await?;
                    recording::locked_bytes_in_root(&mut *tx, &policy.node, &name).await?
                };
                if locked > 0 {
                    let message = format!(
                        "storage root {name} needs room, but what is left is {locked} bytes of footage locked as \
                         evidence (and files being written): unlock bookmarks or add storage"
                    );
                    tracing::warn!(root = %name, locked_bytes = locked, "{message}");
                    policy.alerts.raise(&alert, &message);
                    stuck = true;
                } else {
                    tracing::warn!(root = %name, "recordings need room but only files being written are left");
                }
                break;
            }
            for segment in &oldest {
                let reason = if over_quota(used) { Reason::Quota } else { Reason::FreeSpace };
                if delete(db, policy, segment, reason, &mut swept).await? {
                    used -= segment.bytes;
                }
                if !over_quota(used) && !short_of_space() {
                    break 'root;
                }
            }
        }
        if !stuck {
            policy.alerts.clear(&alert);
        }
    }
    if swept.files > 0 {
        // A deleted camera whose last footage went is no longer listed for its archive.
        let mut tx = scope::begin(db, Scope::AllTenants).await?;
        vms_catalog::camera::forget_deleted_without_footage(&mut *tx).await?;
        tx.commit().await?;
    }
    Ok(swept)
}

/// The footage last summed per root, and when.
#[derive(Default)]
pub(crate) struct Footage(std::collections::HashMap<String, (recording::RootUsage, std::time::Instant)>);

/// Each root's filesystem room (measured now), and what its recordings take
/// and how far back they go (summed at most every [`FOOTAGE_EVERY`]; while
/// the database is away, the last sums stand and the root says so).
pub(crate) async fn storage(
    db: &PgPool,
    policy: &Policy,
    footage: &mut Footage,
) -> Vec<vms_bus::status::StorageRootStatus> {
    let mut out = Vec::with_capacity(policy.roots.len());
    for root in &policy.roots {
        let name = root.path.to_string_lossy().into_owned();
        let mut error = None;
        // A root that held no footage when last summed is summed again each
        // sweep until it does (cheap, and its first recordings show at once).
        let stale =
            footage.0.get(&name).is_none_or(|(usage, at)| usage.oldest.is_none() || at.elapsed() >= FOOTAGE_EVERY);
        if stale {
            let summed = async {
                let mut tx = scope::begin(db, Scope::AllTenants).await?;
                recording::root_usage(&mut *tx, &policy.node, &name).await
            };
            match summed.await {
                Ok(usage) => {
                    footage.0.insert(name.clone(), (usage, std::time::Instant::now()));
                }
                Err(e) => {
                    tracing::warn!(root = %name, error = %e, "cannot sum the footage of a storage root");
                    error = Some(format!("cannot sum the footage in {name} now: {e}"));
                }
            }
        }
        let usage = footage.0.get(&name).map(|(u, _)| *u).unwrap_or_default();
        let (total, free) = match space::usage(&root.path) {
            Ok(room) => room,
            Err(e) => {
                error = Some(format!("cannot read the filesystem of {name}: {e}"));
                (0, 0)
            }
        };
        let room_removed_at = policy.room_removed.lock().expect("room lock should not be poisoned").get(&name).copied();
        out.push(vms_bus::status::StorageRootStatus {
            path: name,
            total_bytes: total,
            free_bytes: free,
            recorded_bytes: u64::try_from(usage.bytes).unwrap_or(0),
            locked_bytes: u64::try_from(usage.locked_bytes).unwrap_or(0),
            max_bytes: root.max_bytes,
            oldest: usage.oldest,
            room_removed_at,
            error,
        });
    }
    out
}

/// Deletes one segment: its index entry, then its file, counting it under
/// `reason`. Returns whether it did.
async fn delete(
    db: &PgPool,
    policy: &Policy,
    segment: &Expired,
    reason: Reason,
    swept: &mut Swept,
) -> Result<bool, vms_catalog::CatalogError> {
    let mut tx = scope::begin(db, Scope::AllTenants).await?;
    let forgotten = recording::forget_segment(&mut *tx, segment.id).await?;
    tx.commit().await?;
    if !forgotten {
        return Ok(false);
    }
    let path = Path::new(&segment.root).join(&segment.path);
    match tokio::fs::remove_file(&path).await {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => tracing::warn!(path = %path.display(), error = %e, "cannot delete an expired recording"),
    }
    swept.files += 1;
    swept.bytes += segment.bytes.max(0) as u64;
    if reason != Reason::Age {
        policy
            .room_removed
            .lock()
            .expect("room lock should not be poisoned")
            .insert(segment.root.clone(), chrono::Utc::now());
    }
    policy.metrics.removed(reason, segment.bytes.max(0) as u64);
    Ok(true)
}
