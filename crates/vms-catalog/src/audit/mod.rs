//! The audit trail: entries, search and chain verification.
//!
//! Entries go into `audit_log` through the insert-only role `vms_audit`; a
//! database trigger chains them (see migration 0003). [`writer::AuditWriter`]
//! falls back to a local journal while PostgreSQL is unreachable and replays it
//! in order, and keeps the chain head in a signed file outside the database
//! ([`checkpoint`]). [`verify`] walks the chain and reports every entry that
//! was edited, and every place where entries were deleted or reordered;
//! [`verify_head`] reports the newest entries deleted, against a checkpoint.

mod batch;
pub mod checkpoint;
mod head;
pub mod journal;
pub mod writer;

use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use serde::{Deserialize, Serialize};
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::{CatalogError, TenantId};

/// Who acted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    /// A signed-in user.
    User,
    /// An integration's API key.
    ApiKey,
    /// The system itself.
    System,
    /// Nobody identified (e.g. a failed login for an unknown name).
    Anonymous,
}

/// How the action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// It happened.
    Success,
    /// It was attempted and failed (e.g. a wrong password).
    Failure,
    /// It was refused for lack of permission.
    Denied,
}

fn text<T: Serialize>(value: T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// One audit entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Unique id, fixed when the event happens, so a replayed entry is stored once.
    pub entry_id: Uuid,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// Tenant it concerns, if any.
    pub tenant_id: Option<TenantId>,
    /// Who acted.
    pub actor_kind: ActorKind,
    /// User or API key id.
    pub actor_id: Option<Uuid>,
    /// User name or key name, as known at the time.
    pub actor_name: String,
    /// What was done, e.g. `auth.login`, `camera.update`.
    pub action: String,
    /// Kind of the thing acted on, e.g. `camera`.
    pub target_kind: String,
    /// Its id.
    pub target_id: String,
    /// Client address.
    pub source_ip: String,
    /// How it ended.
    pub outcome: Outcome,
    /// Anything else worth keeping (never secrets).
    pub details: serde_json::Value,
}

impl AuditEntry {
    /// Starts an entry for `action` happening now.
    pub fn new(action: &str, outcome: Outcome) -> Self {
        Self {
            entry_id: Uuid::new_v4(),
            occurred_at: Utc::now(),
            tenant_id: None,
            actor_kind: ActorKind::Anonymous,
            actor_id: None,
            actor_name: String::new(),
            action: action.to_owned(),
            target_kind: String::new(),
            target_id: String::new(),
            source_ip: String::new(),
            outcome,
            details: serde_json::json!({}),
        }
    }

    /// Names the tenant.
    pub fn tenant(mut self, tenant: Option<TenantId>) -> Self {
        self.tenant_id = tenant;
        self
    }

    /// Names the actor.
    pub fn actor(mut self, kind: ActorKind, id: Option<Uuid>, name: &str) -> Self {
        self.actor_kind = kind;
        self.actor_id = id;
        self.actor_name = name.to_owned();
        self
    }

    /// Names the target.
    pub fn target(mut self, kind: &str, id: impl ToString) -> Self {
        self.target_kind = kind.to_owned();
        self.target_id = id.to_string();
        self
    }

    /// Records the client address.
    pub fn ip(mut self, ip: &str) -> Self {
        self.source_ip = ip.to_owned();
        self
    }

    /// Adds a detail.
    pub fn detail(mut self, key: &str, value: impl Serialize) -> Self {
        if let serde_json::Value::Object(map) = &mut self.details {
            map.insert(key.to_owned(), serde_json::to_value(value).unwrap_or(serde_json::Value::Null));
        }
        self
    }
}

/// Stores an entry (once: a replayed entry with the same id is ignored).
/// The database numbers, links and seals it.
pub async fn insert(db: impl PgExecutor<'_>, e: &AuditEntry) -> Result<(), CatalogError> {
    insert_returning(db, e).await.map(|_| ())
}

/// Where a stored entry sits in the chain: what the writer role may read back.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ChainLink {
    /// Its position.
    pub seq: i64,
    /// The seal of the entry before it.
    pub prev_hash: Vec<u8>,
    /// Its seal.
    pub hash: Vec<u8>,
}

/// Stores an entry like [`insert`] and returns where the database put it,
/// or `None` if it was a replay of an entry already stored.
pub async fn insert_returning(db: impl PgExecutor<'_>, e: &AuditEntry) -> Result<Option<ChainLink>, CatalogError> {
    Ok(sqlx::query_as(
        "INSERT INTO audit_log (seq, entry_id, occurred_at, tenant_id, actor_kind, actor_id, actor_name, action, \
         target_kind, target_id, source_ip, outcome, details, prev_hash, hash) \
         VALUES (0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, '\\x', '\\x') RETURNING seq, prev_hash, hash",
    )
    .bind(e.entry_id)
    .bind(e.occurred_at)
    .bind(e.tenant_id)
    .bind(text(e.actor_kind))
    .bind(e.actor_id)
    .bind(&e.actor_name)
    .bind(&e.action)
    .bind(&e.target_kind)
    .bind(&e.target_id)
    .bind(&e.source_ip)
    .bind(text(e.outcome))
    .bind(&e.details)
    .fetch_optional(db)
    .await?)
}

/// A stored entry, as search returns it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AuditRecord {
    /// Position in the chain.
    pub seq: i64,
    /// Entry id.
    pub entry_id: Uuid,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// Tenant.
    pub tenant_id: Option<Uuid>,
    /// `user`, `api_key`, `system` or `anonymous`.
    pub actor_kind: String,
    /// User or key id.
    pub actor_id: Option<Uuid>,
    /// User or key name.
    pub actor_name: String,
    /// Action.
    pub action: String,
    /// Target kind.
    pub target_kind: String,
    /// Target id.
    pub target_id: String,
    /// Client address.
    pub source_ip: String,
    /// `success`, `failure` or `denied`.
    pub outcome: String,
    /// Details.
    pub details: serde_json::Value,
}

/// Search criteria; every field narrows the result.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Entries at or after.
    pub from: Option<DateTime<Utc>>,
    /// Entries before.
    pub to: Option<DateTime<Utc>>,
    /// By any of these users or keys (any actor when empty).
    pub actor_ids: Vec<Uuid>,
    /// Actions starting with any of these (e.g. `camera.` or `auth.login`).
    pub actions: Vec<String>,
    /// With any of these outcomes.
    pub outcomes: Vec<String>,
    /// On any of these kinds of target.
    pub target_kinds: Vec<String>,
    /// On any of these targets.
    pub target_ids: Vec<String>,
    /// Older than this position (for paging backwards).
    pub before_seq: Option<i64>,
    /// At most this many (newest first).
    pub limit: i64,
}

/// Searches the tenant's entries, newest first.
pub async fn search(
    db: impl PgExecutor<'_>,
    tenant: TenantId,
    f: &AuditFilter,
) -> Result<Vec<AuditRecord>, CatalogError> {
    Ok(sqlx::query_as(
        "SELECT seq, entry_id, occurred_at, tenant_id, actor_kind, actor_id, actor_name, action, target_kind, \
         target_id, source_ip, outcome, details FROM audit_log \
         WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR occurred_at >= $2) \
         AND ($3::timestamptz IS NULL OR occurred_at < $3) \
         AND (cardinality($4::uuid[]) = 0 OR actor_id = ANY($4)) \
         AND (cardinality($5::text[]) = 0 OR EXISTS (SELECT 1 FROM unnest($5::text[]) p WHERE starts_with(action, p))) \
         AND (cardinality($6::text[]) = 0 OR outcome = ANY($6)) \
         AND (cardinality($7::text[]) = 0 OR target_kind = ANY($7)) \
         AND (cardinality($8::text[]) = 0 OR target_id = ANY($8)) \
         AND ($9::bigint IS NULL OR seq < $9) ORDER BY seq DESC LIMIT $10",
    )
    .bind(tenant)
    .bind(f.from)
    .bind(f.to)
    .bind(&f.actor_ids)
    .bind(&f.actions)
    .bind(&f.outcomes)
    .bind(&f.target_kinds)
    .bind(&f.target_ids)
    .bind(f.before_seq)
    .bind(f.limit)
    .fetch_all(db)
    .await?)
}

/// Something wrong with the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainProblem {
    /// The entry's content no longer matches its seal: it was edited.
    Edited {
        /// The entry.
        seq: i64,
    },
    /// The entry does not follow the one before it: entries between them were
    /// deleted, or the order was changed.
    Broken {
        /// The entry whose link is wrong.
        seq: i64,
        /// The entry before it now.
        after_seq: Option<i64>,
    },
    /// The checkpoint names an entry beyond the newest one in the table: the
    /// newest entries were deleted.
    Truncated {
        /// The entry the checkpoint names.
        checkpoint_seq: i64,
        /// The newest entry in the table, if any.
        last_seq: Option<i64>,
    },
    /// The entry the checkpoint names is missing or sealed differently: the
    /// chain was cut and continued, or replaced.
    HeadMismatch {
        /// The entry the checkpoint names.
        seq: i64,
    },
}

impl std::fmt::Display for ChainProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainProblem::Edited { seq } => write!(f, "entry {seq} was edited after it was written"),
            ChainProblem::Broken { seq, after_seq: Some(prev) } => {
                write!(f, "entry {seq} does not follow entry {prev}: entries were deleted or reordered")
            }
            ChainProblem::Broken { seq, after_seq: None } => {
                write!(f, "entry {seq} does not start the chain: earlier entries were deleted")
            }
            ChainProblem::Truncated { checkpoint_seq, last_seq: Some(last) } => write!(
                f,
                "the checkpoint records entry {checkpoint_seq} but the trail ends at entry {last}: \
                 the newest entries were deleted"
            ),
            ChainProblem::Truncated { checkpoint_seq, last_seq: None } => write!(
                f,
                "the checkpoint records entry {checkpoint_seq} but the trail is empty: its entries were deleted"
            ),
            ChainProblem::HeadMismatch { seq } => write!(
                f,
                "entry {seq}, recorded in the checkpoint, is missing or differs from it: \
                 entries were deleted or replaced"
            ),
        }
    }
}

/// The result of walking the chain.
#[derive(Debug, Clone, Default)]
pub struct ChainReport {
    /// Entries walked.
    pub entries: u64,
    /// Every problem found, in chain order.
    pub problems: Vec<ChainProblem>,
}

#[derive(sqlx::FromRow)]
struct Link {
    seq: i64,
    prev_hash: Vec<u8>,
    hash: Vec<u8>,
    expected: Vec<u8>,
}

/// Walks the whole chain in order. Needs a role that sees every tenant's
/// entries (the schema owner, as `vms audit verify` uses).
pub async fn verify(db: &mut sqlx::PgConnection) -> Result<ChainReport, CatalogError> {
    let anchor: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT hash FROM audit_anchor ORDER BY seq DESC LIMIT 1").fetch_optional(&mut *db).await?;
    let mut rows = sqlx::query_as::<_, Link>(
        "SELECT seq, prev_hash, hash, audit_entry_hash(prev_hash, seq, entry_id, occurred_at, tenant_id, actor_kind, \
         actor_id, actor_name, action, target_kind, target_id, source_ip, outcome, details) AS expected \
         FROM audit_log ORDER BY seq",
    )
    .fetch(&mut *db);
    let mut report = ChainReport::default();
    let mut previous: Option<(i64, Vec<u8>)> = None;
    while let Some(link) = rows.try_next().await? {
        report.entries += 1;
        if link.expected != link.hash {
            report.problems.push(ChainProblem::Edited { seq: link.seq });
        }
        let expected_prev = match &previous {
            Some((_, hash)) => hash.clone(),
            None => anchor.clone().unwrap_or_default(),
        };
        if link.prev_hash != expected_prev {
            report.problems.push(ChainProblem::Broken { seq: link.seq, after_seq: previous.as_ref().map(|p| p.0) });
        }
        previous = Some((link.seq, link.hash));
    }
    Ok(report)
}

/// Checks that the chain still holds `head`, as recorded in a checkpoint
/// (see [`checkpoint`]). Entries after it are fine: the checkpoint may lag.
pub async fn verify_head(
    db: &mut sqlx::PgConnection,
    head: &checkpoint::Head,
) -> Result<Option<ChainProblem>, CatalogError> {
    // A head that retention has since dropped lives on as an anchor.
    let stored: Option<Vec<u8>> = sqlx::query_scalar(
        "SELECT hash FROM audit_log WHERE seq = $1 UNION ALL SELECT hash FROM audit_anchor WHERE seq = $1 LIMIT 1",
    )
    .bind(head.seq)
    .fetch_optional(&mut *db)
    .await?;
    let last_seq: Option<i64> = sqlx::query_scalar("SELECT max(seq) FROM audit_log").fetch_one(&mut *db).await?;
    Ok(match stored {
        Some(hash) if hash == head.hash => None,
        None if last_seq.is_none_or(|last| last < head.seq) => {
            Some(ChainProblem::Truncated { checkpoint_seq: head.seq, last_seq })
        }
        _ => Some(ChainProblem::HeadMismatch { seq: head.seq }),
    })
}

/// Creates missing monthly partitions around now and drops those older than `keep_days`.
pub async fn maintain(db: impl PgExecutor<'_> + Copy, keep_days: u32) -> Result<i32, CatalogError> {
    sqlx::query("SELECT audit_ensure_partitions(1, 12)").execute(db).await?;
    Ok(sqlx::query_scalar("SELECT audit_drop_expired(make_interval(days => $1))")
        .bind(keep_days as i32)
        .fetch_one(db)
        .await?)
}
