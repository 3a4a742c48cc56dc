//! The exports of this recorder: admits a new export against the caps
//! (running per user and per node, bytes held), records it in the catalog,
//! runs it in the background and records how it ended. Running jobs are
//! also kept in memory, for their progress and to cancel them.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
};

use chrono::{TimeDelta, Utc};
use ed25519_dalek::SigningKey;
use sqlx::PgPool;
use uuid::Uuid;
use vms_base::ErrorCode;
use vms_catalog::{CatalogError, Scope, export, scope};
use vms_config::ExportConfig;

use super::{
    files,
    job::{self, Job, Request},
    manifest::Manifest,
    watermark,
};
use vms_http::Refusal;

use crate::archive::handler::refused;

/// How often a re-encode waiting for its turn looks whether it was cancelled.
const QUEUED_CANCEL_CHECK: std::time::Duration = std::time::Duration::from_millis(500);
/// Why a new export is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// The caller runs as many exports as one user may.
    #[error(
        "you have {limit} exports running, the most one user may (export.max_running_per_user); wait for one to finish or cancel one"
    )]
    UserBusy {
        /// `export.max_running_per_user`.
        limit: u32,
    },
    /// The server runs as many exports as it may.
    #[error("the server is running {limit} exports, the most it may at once (export.max_running); try again shortly")]
    ServerBusy {
        /// `export.max_running`.
        limit: u32,
    },
    /// The export would take the bytes exports hold past the cap. The
    /// message names neither the bytes held nor the cap: exports of every
    /// tenant count, and their size is not the caller's to learn.
    #[error(
        "the exports on this server are at their storage cap (export.max_bytes); delete finished exports or wait for them to expire"
    )]
    NoRoom {
        /// Bytes held now (finished files and running exports).
        held: u64,
        /// Expected size of the new export.
        wanted: u64,
        /// `export.max_bytes`.
        max: u64,
    },
}

impl From<Refused> for Refusal {
    fn from(r: Refused) -> Self {
        let code = match r {
            Refused::NoRoom { held, wanted, max } => {
                tracing::info!(held, wanted, max, "export refused: export.max_bytes reached");
                ErrorCode::FailedPrecondition
            }
            _ => ErrorCode::ResourceExhausted,
        };
        Refusal::new(code, r.to_string())
    }
}

/// Decides whether `user` may start an export of `wanted` bytes, given the
/// jobs `running` now and the bytes `held` by finished exports.
pub fn admit(limits: &ExportConfig, running: &[&Job], user: Uuid, held: u64, wanted: u64) -> Result<(), Refused> {
    let limit = limits.max_running_per_user;
    if running.iter().filter(|j| j.request.user_id == user).count() >= limit as usize {
        return Err(Refused::UserBusy { limit });
    }
    if running.len() >= limits.max_running as usize {
        return Err(Refused::ServerBusy { limit: limits.max_running });
    }
    let held = held + running.iter().map(|j| j.expected_bytes()).sum::<u64>();
    if limits.max_bytes > 0 && held.saturating_add(wanted) > limits.max_bytes {
        return Err(Refused::NoRoom { held, wanted, max: limits.max_bytes });
    }
    Ok(())
}

/// The exports of this recorder.
pub struct Exports {
    dir: PathBuf,
    key: SigningKey,
    db: PgPool,
    node: String,
    limits: ExportConfig,
    clock: vms_base::clock::SharedClock,
    running: Mutex<HashMap<Uuid, Arc<Job>>>,
    /// Turns to re-encode (watermarked exports), [`watermark::REENCODES_AT_ONCE`] at once.
    reencoding: Arc<tokio::sync::Semaphore>,
    /// Set when the plane stops: jobs end at once and are left for the next
    /// start to mark interrupted, as after a crash.
    stopping: std::sync::atomic::AtomicBool,
}

impl Exports {
    /// Keeps the exports of `node` in `dir`, signing their manifests with
    /// `key` and recording them in `db`.
    pub fn new(dir: PathBuf, key: SigningKey, db: PgPool, node: String, limits: ExportConfig) -> Self {
        let clock = vms_base::clock::SystemClock::shared();
        let reencoding = Arc::new(tokio::sync::Semaphore::new(watermark::REENCODES_AT_ONCE));
        Self { dir, key, db, node, limits, clock, running: Mutex::default(), reencoding, stopping: Default::default() }
    }

    /// Tells the time with `clock` (when finished exports expire).
    pub fn with_clock(self, clock: vms_base::clock::SharedClock) -> Self {
        Self { clock, ..self }
    }

    /// Now, by this registry's clock.
    pub(super) fn now(&self) -> chrono::DateTime<Utc> {
        self.clock.now()
    }

    /// Where the files are.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub(super) fn node(&self) -> &str {
        &self.node
    }

    pub(super) fn db(&self) -> &PgPool {
        &self.db
    }

    pub(super) fn keep(&self) -> TimeDelta {
        TimeDelta::seconds(self.limits.keep_secs.into())
    }

    fn jobs(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, Arc<Job>>> {
        self.running.lock().expect("export jobs lock should not be poisoned")
    }

    /// Marks the exports this node was running when its recorder
    /// stopped as failed (`interrupted`); call once, at startup.
    pub async fn interrupt_stale(&self) -> Result<u64, CatalogError> {
        let mut tx = scope::begin(&self.db, Scope::AllTenants).await?;
        let count = export::interrupt(&mut *tx, &self.node).await?;
        tx.commit().await?;
        if count > 0 {
            tracing::warn!(count, "exports were running when the recorder stopped; marked failed");
        }
        Ok(count)
    }

    async fn done_bytes(&self) -> Result<u64, CatalogError> {
        let mut tx = scope::begin(&self.db, Scope::AllTenants).await?;
        export::held_bytes(&mut *tx, &self.node).await
    }

    /// A running job, for its progress.
    pub fn job(&self, id: Uuid) -> Option<Arc<Job>> {
        self.jobs().get(&id).cloned()
    }

    /// Whether `id` runs here now.
    pub(super) fn is_running(&self, id: Uuid) -> bool {
        self.jobs().contains_key(&id)
    }

    /// Asks a running job to stop; false if it does not run here.
    pub fn cancel(&self, id: Uuid) -> bool {
        self.job(id).inspect(|j| j.cancel()).is_some()
    }

    /// Stops every job now (the plane is stopping): a re-encode can take as
    /// long as its footage plays, and must not hold the process up. Their
    /// rows stay running until the next start marks them interrupted.
    pub fn stop_all(&self) {
        self.stopping.store(true, std::sync::atomic::Ordering::Relaxed);
        for job in self.jobs().values() {
            job.cancel();
        }
    }

    /// Admits, records and starts an export; it runs in the background.
    pub async fn start(self: &Arc<Self>, request: Request) -> Result<Arc<Job>, Refusal> {
        let held = self.done_bytes().await.map_err(refused)?;
        let job = Arc::new(Job::new(Uuid::new_v4(), request));
        {
            let mut jobs = self.jobs();
            admit(
                &self.limits,
                &jobs.values().map(|j| &**j).collect::<Vec<_>>(),
                job.request.user_id,
                held,
                job.expected_bytes(),
            )?;
            jobs.insert(job.id, job.clone());
        }
        let r = &job.request;
        let row = export::NewExport {
            id: job.id,
            tenant_id: r.tenant_id,
            camera_id: r.camera_id,
            user_id: r.user_id,
            node_id: self.node.clone(),
            stream: r.stream.clone(),
            start_time: r.start,
            end_time: r.end,
        };
        let recorded = async {
            let mut tx = scope::begin(&self.db, Scope::Tenant(r.tenant_id)).await?;
            export::insert(&mut *tx, &row).await?;
            tx.commit().await.map_err(CatalogError::from)
        };
        if let Err(e) = recorded.await {
            self.jobs().remove(&job.id);
            return Err(refused(e));
        }
        let (exports, running) = (self.clone(), job.clone());
        tokio::spawn(async move {
            // A re-encode waits for its turn; one cancelled meanwhile leaves the queue.
            let mut _turn = None;
            if running.request.watermark.is_some() {
                let acquire = exports.reencoding.clone().acquire_owned();
                tokio::pin!(acquire);
                loop {
                    tokio::select! {
                        permit = &mut acquire => {
                            _turn = permit.ok();
                            break;
                        }
                        _ = tokio::time::sleep(QUEUED_CANCEL_CHECK) => if running.is_cancelled() { break },
                    }
                }
            }
            let made = if running.is_cancelled() {
                Err(anyhow::anyhow!("cancelled before it started"))
            } else {
                let (dir, key, work) = (exports.dir.clone(), exports.key.clone(), running.clone());
                let made = tokio::task::spawn_blocking(move || job::run(&work, &dir, &key)).await;
                made.unwrap_or_else(|e| Err(anyhow::anyhow!("the export task failed: {e}")))
            };
            if let Err(e) = exports.record_end(&running, made).await {
                tracing::error!(export = %running.id, error = %e, "failed to record how an export ended");
            }
            exports.jobs().remove(&running.id);
        });
        Ok(job)
    }

    /// Records a finished job in the catalog: done (to expire after
    /// `export.keep_secs`), cancelled or failed.
    async fn record_end(&self, job: &Job, made: anyhow::Result<Manifest>) -> Result<(), CatalogError> {
        if self.stopping.load(std::sync::atomic::Ordering::Relaxed) {
            files::remove(&self.dir, job.id);
            return Ok(());
        }
        let mut tx = scope::begin(&self.db, Scope::Tenant(job.request.tenant_id)).await?;
        match made {
            _ if job.is_cancelled() => {
                export::stop(&mut *tx, job.id, None).await?;
                // Perhaps cancelled after its last fragment: nothing of it is kept.
                files::remove(&self.dir, job.id);
            }
            Ok(m) => export::finish(&mut *tx, job.id, m.bytes, &m.sha256, self.now() + self.keep()).await?,
            Err(e) => {
                tracing::warn!(export = %job.id, error = %format!("{e:#}"), "export failed");
                export::stop(&mut *tx, job.id, Some(&format!("{e:#}"))).await?
            }
        }
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(user: Uuid) -> Job {
        let t = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let fragment = vms_catalog::recording::Fragment {
            seq: 1,
            start_time: t,
            duration_ms: 40,
            byte_offset: 100,
            byte_len: 900,
            keyframe: true,
            pictures: 1,
        };
        let piece = job::Piece { path: "r.mp4".into(), init_len: 100, fragments: vec![fragment] };
        Job::new(
            Uuid::new_v4(),
            Request {
                tenant_id: Uuid::new_v4(),
                camera_id: Uuid::new_v4(),
                camera_name: "Gate".into(),
                stream: "main".into(),
                start: t,
                end: t,
                user_id: user,
                username: "op".into(),
                watermark: None,
                pieces: vec![piece],
            },
        )
    }

    #[test]
    fn exports_are_admitted_within_the_caps() {
        let limits = ExportConfig { max_running_per_user: 2, max_running: 3, keep_secs: 60, max_bytes: 5000 };
        let (alice, bob) = (Uuid::new_v4(), Uuid::new_v4());
        let (a1, a2, b1) = (job(alice), job(alice), job(bob));
        assert_eq!(admit(&limits, &[&a1], alice, 0, 1000), Ok(()));
        assert_eq!(admit(&limits, &[&a1, &a2], alice, 0, 1000), Err(Refused::UserBusy { limit: 2 }));
        assert_eq!(admit(&limits, &[&a1, &a2], bob, 0, 1000), Ok(()), "a busy colleague does not block bob");
        assert_eq!(admit(&limits, &[&a1, &a2, &b1], bob, 0, 1000), Err(Refused::ServerBusy { limit: 3 }));
        // 1000 bytes per running job, plus what finished exports hold.
        assert_eq!(admit(&limits, &[&a1], bob, 3000, 1000), Ok(()), "exactly at the cap");
        assert_eq!(
            admit(&limits, &[&a1], bob, 3001, 1000),
            Err(Refused::NoRoom { held: 4001, wanted: 1000, max: 5000 })
        );
        let unlimited = ExportConfig { max_bytes: 0, ..limits };
        assert_eq!(admit(&unlimited, &[], bob, u64::MAX / 2, u64::MAX / 2), Ok(()));
    }
}
