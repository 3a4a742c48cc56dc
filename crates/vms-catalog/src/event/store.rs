//! Writing events from the bus: a batch of messages in one statement.
//!
//! A message creates its event's row, or replaces the row's content when its
//! `seq` is higher than the stored one; a message seen before (a redelivery)
//! or overtaken by a later one changes nothing. So the consumer may apply a
//! batch twice, after a crash or a lost acknowledgement, and the table ends
//! the same.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::CatalogError;

/// One message about an event, as control stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct EventMessage {
    /// The event's id.
    pub id: Uuid,
    /// Its tenant.
    pub tenant_id: Uuid,
    /// Its camera's site, looked up by control.
    pub site_id: Option<Uuid>,
    /// The camera it concerns.
    pub camera_id: Option<Uuid>,
    /// What happened.
    pub kind: String,
    /// When it started.
    pub start: DateTime<Utc>,
    /// When it ended, if it has.
    pub end: Option<DateTime<Utc>>,
    /// What the source reported: a JSON object.
    pub attributes: serde_json::Map<String, serde_json::Value>,
    /// 0 for the first message, then 1, 2, … for updates.
    pub seq: u32,
}

/// What a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stored {
    /// Events stored for the first time.
    pub inserted: u64,
    /// Events whose row a later message replaced.
    pub updated: u64,
    /// The ids of the events inserted or updated, and of those whose latest
    /// message came again (after a crash, the rules must still see them),
    /// for the live feeds and the rules.
    pub changed: Vec<Uuid>,
    /// Ids another tenant's event already has: those messages were not stored.
    pub conflicts: Vec<Uuid>,
}

/// Applies `messages` (any tenants; run across tenants). Of several messages
/// about one event in the batch, the one with the highest `seq` counts.
pub async fn store(db: &mut sqlx::PgConnection, messages: &[EventMessage]) -> Result<Stored, CatalogError> {
    if messages.is_empty() {
        return Ok(Stored::default());
    }
    // Every lookup here is by id. Statistics lag behind a table filling up
    // fast (a burst after an outage), and a planner that believes a partition
    // small scans it whole for each batch: keep it on the indexes.
    sqlx::query("SET LOCAL enable_seqscan = off").execute(&mut *db).await?;
    let n = messages.len();
    let (mut ids, mut tenants, mut sites, mut cameras) =
        (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut kinds, mut starts, mut ends, mut attributes, mut seqs) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for m in messages {
        ids.push(m.id);
        tenants.push(m.tenant_id);
        sites.push(m.site_id);
        cameras.push(m.camera_id);
        kinds.push(m.kind.as_str());
        starts.push(m.start);
        ends.push(m.end);
        attributes.push(serde_json::Value::Object(m.attributes.clone()).to_string());
        seqs.push(i32::try_from(m.seq).unwrap_or(i32::MAX));
    }
    // All parts of one statement see the table as it was before it: the
    // insert skips every id present then, whether or not the update moved
    // it. Each lookup names the batch's ids (`= ANY ($1)`), so it is an
    // index probe per partition, never a scan of the table; the tenant and
    // seq are compared on the rows found, so the planner has no tenant
    // condition to walk a tenant's whole index with. The statement is
    // planned for each batch's own ids (not kept prepared).
    let rows: Vec<(Uuid, String)> = sqlx::query_as(
        "WITH input AS ( \
             SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], \
                                  $6::timestamptz[], $7::timestamptz[], $8::text[], $9::int[]) \
                 AS t(id, tenant_id, site_id, camera_id, type, start_time, end_time, attributes, seq)), \
         latest AS (SELECT DISTINCT ON (id) * FROM input ORDER BY id, seq DESC), \
         present AS MATERIALIZED (SELECT id, tenant_id, seq FROM events WHERE id = ANY ($1::uuid[])), \
         newer AS MATERIALIZED ( \
             SELECT l.* FROM latest l JOIN present p ON p.id = l.id AND p.tenant_id = l.tenant_id AND p.seq < l.seq), \
         updated AS ( \
             UPDATE events e SET type = n.type, start_time = n.start_time, end_time = n.end_time, \
                 attributes = n.attributes::jsonb, seq = n.seq, updated_at = now() \
             FROM newer n WHERE e.id = ANY ($1::uuid[]) AND e.id = n.id \
             RETURNING e.id), \
         inserted AS ( \
             INSERT INTO events (id, tenant_id, site_id, camera_id, type, start_time, end_time, attributes, seq) \
             SELECT l.id, l.tenant_id, l.site_id, l.camera_id, l.type, l.start_time, l.end_time, \
                 l.attributes::jsonb, l.seq \
             FROM latest l WHERE l.id NOT IN (SELECT id FROM present) \
             ON CONFLICT DO NOTHING RETURNING id) \
         SELECT id, 'inserted' FROM inserted UNION ALL SELECT id, 'updated' FROM updated \
         UNION ALL SELECT l.id, 'again' FROM latest l JOIN present p \
             ON p.id = l.id AND p.tenant_id = l.tenant_id AND p.seq = l.seq \
         UNION ALL SELECT l.id, 'conflict' FROM latest l JOIN present p ON p.id = l.id AND p.tenant_id <> l.tenant_id",
    )
    .persistent(false)
    .bind(&ids)
    .bind(&tenants)
    .bind(&sites)
    .bind(&cameras)
    .bind(&kinds)
    .bind(&starts)
    .bind(&ends)
    .bind(&attributes)
    .bind(&seqs)
    .fetch_all(&mut *db)
    .await?;
    let mut stored = Stored::default();
    for (id, what) in rows {
        match what.as_str() {
            "inserted" => stored.inserted += 1,
            "updated" => stored.updated += 1,
            "conflict" => {
                stored.conflicts.push(id);
                continue;
            }
            _ => {}
        }
        stored.changed.push(id);
    }
    Ok(stored)
}
