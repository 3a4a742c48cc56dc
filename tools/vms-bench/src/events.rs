//! `events`: the events pipeline end to end, on a private PostgreSQL that
//! waits for the disk as in production and the shared NATS with JetStream.
//!
//! - **Persisted per second**: N events published on the bus (from 16
//!   concurrent publishers), timed from the first publish until control has
//!   committed the last, against the same rows written by plain INSERTs (one
//!   transaction each, 4 connections, no bus and no pipeline).
//! - **Publish → WebSocket**: events paced at R per second for S seconds,
//!   timed from just before the publish to their arrival on a live feed
//!   (`/api/events/ws`), against a plain NATS subscriber on the same
//!   subjects (the bus alone).
//! - **Webhook deliveries per second** (`crate::webhooks`).

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::Context;
use futures::StreamExt;
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;
use vms_bus::{Subjects, events::Event};
use vms_catalog::{Scope, camera::Transport, scope};
use vms_sandbox::Sandbox;

/// Concurrent publishers of the throughput run.
const PUBLISHERS: usize = 16;
/// Connections of the plain-INSERT baseline.
const INSERTERS: usize = 4;

fn now_us() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

fn event(tenant: Uuid, camera: Uuid, n: u64) -> Event {
    let mut attributes = serde_json::Map::new();
    attributes.insert("label".into(), "person".into());
    attributes.insert("score".into(), json!(0.8));
    attributes.insert("n".into(), json!(n));
    attributes.insert("sent_us".into(), json!(now_us()));
    Event {
        id: Uuid::new_v4(),
        tenant_id: tenant,
        camera_id: Some(camera),
        kind: "object".into(),
        start: chrono::Utc::now(),
        end: None,
        attributes,
        seq: 0,
    }
}

async fn stored(owner: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM events").fetch_one(owner).await.unwrap_or(0)
}

/// Publishes `n` events from [`PUBLISHERS`] tasks and waits until all are stored; events/s.
async fn pipeline(
    js: &async_nats::jetstream::Context,
    subjects: &Subjects,
    owner: &PgPool,
    tenant: Uuid,
    camera: Uuid,
    n: u64,
) -> anyhow::Result<(f64, f64)> {
    let before = stored(owner).await;
    let next = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..PUBLISHERS)
        .map(|_| {
            let (js, subjects, next) = (js.clone(), subjects.clone(), next.clone());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        return Ok::<_, anyhow::Error>(());
                    }
                    vms_bus::events::publish(&js, &subjects, &event(tenant, camera, i)).await?;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await??;
    }
    let published = started.elapsed();
    let target = before + n as i64;
    // Counting is a scan: rarely enough not to slow what is measured.
    while stored(owner).await < target {
        anyhow::ensure!(started.elapsed() < Duration::from_secs(600), "events not all stored after 10 minutes");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    Ok((n as f64 / started.elapsed().as_secs_f64(), n as f64 / published.as_secs_f64()))
}

/// Writes `n` rows as a plain service would: one INSERT and commit each; rows/s.
async fn plain_inserts(app: &PgPool, tenant: Uuid, camera: Uuid, n: u64) -> anyhow::Result<f64> {
    let next = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..INSERTERS)
        .map(|_| {
            let (app, next) = (app.clone(), next.clone());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        return Ok::<_, anyhow::Error>(());
                    }
                    let e = event(tenant, camera, i);
                    let mut tx = scope::begin(&app, Scope::Tenant(tenant)).await?;
                    sqlx::query(
                        "INSERT INTO events (id, tenant_id, camera_id, type, start_time, attributes, seq) \
                         VALUES ($1, $2, $3, $4, $5, $6::jsonb, 0)",
                    )
                    .bind(e.id)
                    .bind(tenant)
                    .bind(camera)
                    .bind(&e.kind)
                    .bind(e.start)
                    .bind(serde_json::Value::Object(e.attributes).to_string())
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await?;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await??;
    }
    Ok(n as f64 / started.elapsed().as_secs_f64())
}

/// Percentiles of latencies in microseconds: (p50, p99, max) in milliseconds.
fn percentiles(mut us: Vec<i64>) -> (f64, f64, f64) {
    if us.is_empty() {
        return (f64::NAN, f64::NAN, f64::NAN);
    }
    us.sort_unstable();
    let at = |q: f64| us[((us.len() - 1) as f64 * q).round() as usize] as f64 / 1000.0;
    (at(0.5), at(0.99), *us.last().expect("not empty") as f64 / 1000.0)
}

/// Paces `rate` events a second for `seconds` and times them to a live feed
/// and to a plain subscriber; returns both sets of latencies (µs).
async fn latency(
    sandbox: &Sandbox,
    bus: &Bus,
    token: &str,
    (tenant, camera): (Uuid, Uuid),
    rate: u64,
    seconds: u64,
) -> anyhow::Result<(Vec<i64>, Vec<i64>, u64)> {
    let Bus { js, nats, subjects } = bus;
    let url = format!("{}/api/events/ws", sandbox.http().replace("http://", "ws://"));
    let mut request = tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(url)?;
    request.headers_mut().insert("authorization", format!("Bearer {token}").parse()?);
    let (mut feed, _) = tokio_tungstenite::connect_async(request).await.context("cannot open the live feed")?;
    let mut plain = nats.subscribe(subjects.all_events()).await?;
    let total = rate * seconds;
    let feed_task = tokio::spawn(async move {
        let mut latencies = Vec::with_capacity(total as usize);
        while latencies.len() < total as usize {
            let Ok(Some(Ok(message))) = tokio::time::timeout(Duration::from_secs(10), feed.next()).await else { break };
            if let tokio_tungstenite::tungstenite::Message::Text(text) = message {
                let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
                if let Some(sent) = v["event"]["attributes"]["sent_us"].as_i64() {
                    latencies.push(now_us() - sent);
                }
            }
        }
        latencies
    });
    let plain_task = tokio::spawn(async move {
        let mut latencies = Vec::with_capacity(total as usize);
        while latencies.len() < total as usize {
            let Ok(Some(message)) = tokio::time::timeout(Duration::from_secs(10), plain.next()).await else { break };
            let v: serde_json::Value = serde_json::from_slice(&message.payload).unwrap_or_default();
            if let Some(sent) = v["attributes"]["sent_us"].as_i64() {
                latencies.push(now_us() - sent);
            }
        }
        latencies
    });
    let mut tick = tokio::time::interval(Duration::from_millis(10));
    let per_tick = (rate / 100).max(1);
    let mut sent = 0;
    while sent < total {
        tick.tick().await;
        for _ in 0..per_tick.min(total - sent) {
            let e = event(tenant, camera, sent);
            let (js, subjects) = (js.clone(), subjects.clone());
            // Published concurrently, as independent sources would.
            tokio::spawn(async move { vms_bus::events::publish(&js, &subjects, &e).await });
            sent += 1;
        }
    }
    Ok((feed_task.await?, plain_task.await?, total))
}

/// The shared NATS, as sources publish on it.
struct Bus {
    js: async_nats::jetstream::Context,
    nats: async_nats::Client,
    subjects: Subjects,
}

/// Runs the benchmark and prints its tables.
pub(crate) async fn run(vms: std::path::PathBuf, n: u64, rate: u64, seconds: u64) -> anyhow::Result<()> {
    let (_dir, pg) = crate::pg::private("events").await?;
    let app = crate::pg::pool_as(&pg, vms_catalog::APP_ROLE, 8).await?;
    let audit = crate::pg::pool_as(&pg, vms_catalog::AUDIT_ROLE, 2).await?;
    let owner = crate::pg::owner(&pg).await?;
    let app_url = vms_infra::postgres::url_with_user(&pg.url("vms"), vms_catalog::APP_ROLE, "bench-pw")?;
    let audit_url = vms_infra::postgres::url_with_user(&pg.url("vms"), vms_catalog::AUDIT_ROLE, "bench-pw")?;
    let db = vms_testkit::TestDatabase {
        url: app_url,
        pool: app.clone(),
        owner_url: pg.url("vms"),
        owner_pool: owner.clone(),
        audit_url,
        name: "vms".into(),
    };
    drop(audit);
    let sandbox = Sandbox::builder().vms_binary(vms).process_log("warn").database(db).build().await;
    // A camera nobody pulls: events name it, no plane is needed.
    let (camera, _) = sandbox.add_camera("bench", "rtsp://192.0.2.1/".into(), Transport::Tcp, None).await;
    sandbox.add_user("bench", "Bench-password-1", &["admin"]).await;
    let control = sandbox.start_control().await;
    let token = sandbox.login("bench", "Bench-password-1").await;
    let nats = async_nats::connect(sandbox.env.nats_url()).await?;
    let js = async_nats::jetstream::new(nats.clone());
    let subjects = Subjects::new(sandbox.prefix.clone());
    vms_bus::events::ensure_stream(&js, &subjects).await?;

    println!("events persisted end to end ({n} events; private PostgreSQL with fsync on)");
    let baseline = plain_inserts(&app, sandbox.tenant, camera, n).await?;
    let (persisted, published) = pipeline(&js, &subjects, &owner, sandbox.tenant, camera, n).await?;
    println!("| path | events/s |");
    println!("|---|---:|");
    println!("| bus → control → PostgreSQL (persisted) | {persisted:.0} |");
    println!("| (published to JetStream by {PUBLISHERS} publishers) | {published:.0} |");
    println!("| baseline: plain INSERT + commit per row, {INSERTERS} connections | {baseline:.0} |");

    println!();
    println!("publish → arrival at {rate} events/s for {seconds} s");
    let bus = Bus { js, nats, subjects };
    let (feed, plain, total) = latency(&sandbox, &bus, &token, (sandbox.tenant, camera), rate, seconds).await?;
    println!("| receiver | received | p50 (ms) | p99 (ms) | max (ms) |");
    println!("|---|---:|---:|---:|---:|");
    let (received_feed, received_plain) = (feed.len(), plain.len());
    let (p50, p99, max) = percentiles(feed);
    println!("| live feed (/api/events/ws) | {received_feed}/{total} | {p50:.1} | {p99:.1} | {max:.1} |");
    let (p50, p99, max) = percentiles(plain);
    println!("| baseline: plain NATS subscriber | {received_plain}/{total} | {p50:.1} | {p99:.1} | {max:.1} |");

    let calls = (n / 10).clamp(100, 5_000);
    let publish = async |count: u64| {
        let tasks: Vec<_> = (0..PUBLISHERS as u64)
            .map(|p| {
                let (js, subjects, camera, tenant) = (bus.js.clone(), bus.subjects.clone(), camera, sandbox.tenant);
                tokio::spawn(async move {
                    for i in (p..count).step_by(PUBLISHERS) {
                        let mut e = event(tenant, camera, i);
                        e.kind = "bench_hook".into();
                        vms_bus::events::publish(&js, &subjects, &e).await?;
                    }
                    Ok::<_, anyhow::Error>(())
                })
            })
            .collect();
        for task in tasks {
            task.await??;
        }
        Ok(())
    };
    crate::webhooks::run(&sandbox, &token, publish, calls).await?;

    control.token.cancel();
    let _ = control.task.await;
    Ok(())
}
