//! `ranges`: the server time of a multi-camera timeline. The recorded
//! stretches of C cameras over D days of 10-minute files (with a 5-minute
//! gap every 6 hours) come from one query on the stretches the database
//! keeps as files are indexed (`recording::stretches`, what
//! `GET /api/recordings/ranges` runs), against the per-camera listing it
//! replaces (each camera's files fetched and joined in Rust, one request per
//! camera). Both run under the application role with row level security,
//! as the API does. Filling the index also shows what keeping the
//! stretches costs per file indexed.

use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use sqlx::PgPool;
use uuid::Uuid;
use vms_catalog::{Scope, recording, scope};

/// Files closer than this join, as in the API.
const JOIN_WITHIN: TimeDelta = TimeDelta::milliseconds(500);

/// Fills the index with `cameras` × `days` of files ending now; returns the camera ids.
async fn fill(owner: &PgPool, tenant: Uuid, cameras: usize, days: i64) -> anyhow::Result<Vec<Uuid>> {
    let ids: Vec<Uuid> = (0..cameras).map(|_| Uuid::new_v4()).collect();
    let t0 = Utc::now() - TimeDelta::days(days);
    let mut tx = scope::begin(owner, Scope::AllTenants).await?;
    sqlx::query(
        "INSERT INTO recording_segments (id, tenant_id, camera_id, stream_id, stream_role, root, path, start_time, \
         end_time, bytes, codec, width, height, open, kind, node_id) \
         SELECT gen_random_uuid(), $1, c.id, c.id, 'main', '/r', c.id || '/' || i || '.mp4', \
                $3 + i * interval '10 min', \
                $3 + (i + 1) * interval '10 min' - CASE WHEN i % 36 = 35 THEN interval '5 min' ELSE interval '0' END, \
                100000000, 'avc1.640028', 1920, 1080, false, 'continuous', 'local' \
         FROM unnest($2::uuid[]) AS c(id), generate_series(0, $4 * 144 - 1) AS i",
    )
    .bind(tenant)
    .bind(&ids)
    .bind(t0)
    .bind(days)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    // As autovacuum leaves a table that is mostly appended to.
    sqlx::query("VACUUM ANALYZE recording_segments").execute(owner).await?;
    Ok(ids)
}

/// The stretches of every camera in one query; returns how many.
async fn one_query(app: &PgPool, tenant: Uuid, ids: &[Uuid], start: DateTime<Utc>, end: DateTime<Utc>) -> usize {
    let mut tx = scope::begin(app, Scope::Tenant(tenant)).await.expect("a transaction");
    let found = recording::stretches(&mut *tx, ids, "main", start, end).await;
    found.expect("the stretches").len()
}

/// Each camera's files, joined in Rust, as the single-camera listing did.
async fn per_camera(app: &PgPool, tenant: Uuid, ids: &[Uuid], start: DateTime<Utc>, end: DateTime<Utc>) -> usize {
    let mut count = 0;
    for id in ids {
        let mut tx = scope::begin(app, Scope::Tenant(tenant)).await.expect("a transaction");
        let files = recording::segments(&mut *tx, *id, "main", start, end).await.expect("the files");
        let mut joined: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
        for f in files {
            let (a, b) = (f.start_time.max(start), f.end_time.min(end));
            match joined.last_mut() {
                Some(last) if a <= last.1 + JOIN_WITHIN => last.1 = last.1.max(b),
                _ if b > a => joined.push((a, b)),
                _ => {}
            }
        }
        count += joined.len();
    }
    count
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at].as_secs_f64() * 1000.0
}

/// Runs the benchmark for `cameras` cameras over `days` days and prints a table.
pub(crate) async fn run(cameras: usize, days: i64, rounds: usize) -> anyhow::Result<()> {
    let (_dir, pg) = crate::pg::private("ranges").await?;
    let owner = crate::pg::owner(&pg).await?;
    let tenant = Uuid::new_v4();
    let filling = Instant::now();
    let ids = fill(&owner, tenant, cameras, days).await?;
    let per_file = filling.elapsed().as_secs_f64() * 1e6 / (cameras as f64 * days as f64 * 144.0);
    let app = crate::pg::pool_as(&pg, vms_catalog::APP_ROLE, 2).await?;
    let (end, start) = (Utc::now(), Utc::now() - TimeDelta::days(days));
    let mut rows = Vec::new();
    for (name, one) in [("one query on the stretches", true), ("one listing per camera, joined in Rust", false)] {
        let mut times = Vec::with_capacity(rounds);
        let mut stretches = 0;
        for round in 0..=rounds {
            let started = Instant::now();
            stretches = match one {
                true => one_query(&app, tenant, &ids, start, end).await,
                false => per_camera(&app, tenant, &ids, start, end).await,
            };
            // The first round warms the caches and is not counted.
            if round > 0 {
                times.push(started.elapsed());
            }
        }
        times.sort();
        rows.push((name, percentile(&times, 0.5), percentile(&times, 0.95), stretches));
    }
    println!(
        "recorded ranges of {cameras} cameras over {days} days ({} files), {rounds} rounds",
        cameras as i64 * days * 144
    );
    println!("indexing took {per_file:.0} µs per file, keeping the stretches included");
    println!("| server time | median ms | p95 ms | stretches |");
    println!("|---|---:|---:|---:|");
    for (name, median, p95, stretches) in rows {
        println!("| {name} | {median:.1} | {p95:.1} | {stretches} |");
    }
    pg.stop(Duration::from_secs(10)).await;
    Ok(())
}
