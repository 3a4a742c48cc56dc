//! Nothing is lost and nothing doubled on the way from the bus to
//! PostgreSQL: not while the database is stopped under a steady 1,000
//! events a second, not when the consumer dies mid-stream without
//! acknowledging what it took (as under kill -9), and not when NATS itself
//! restarts under a publisher: the publisher queues (up to its bound) and
//! retries, the stream keeps every message on disk until it is committed,
//! and storing a redelivered one changes nothing.

mod common;

use std::time::Duration;

use axum::http::{Method, StatusCode};
use common::bus::{event, eventually, update};
use serde_json::json;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;
use vms_bus::events::Publisher;

/// How long the database stays stopped: 60 s as the promise says, unless
/// `VMS_TEST_DB_OUTAGE_SECS` asks for another length.
fn outage() -> Duration {
    let secs = std::env::var("VMS_TEST_DB_OUTAGE_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    Duration::from_secs(secs)
}

async fn camera(api: &common::Api) -> (Uuid, Uuid) {
    let site = api.create_site("Yard").await;
    let body = json!({"name": "Gate", "site_id": site, "streams": [{"role": "main", "url": "rtsp://10.1.1.1/"}]});
    let (status, cam) = api.call(Method::POST, "/api/cameras", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{cam}");
    let (_, me) = api.call(Method::GET, "/api/auth/me", None).await;
    (me["tenant_id"].as_str().unwrap().parse().unwrap(), cam["id"].as_str().unwrap().parse().unwrap())
}

/// Publishes `per_tick` events every 10 ms through the sources' publisher
/// until `stop`; every tenth event also ends (a second message). Returns
/// (events, ended events).
async fn publish_steadily(
    publisher: Publisher,
    tenant: Uuid,
    camera: Uuid,
    per_tick: usize,
    stop: CancellationToken,
) -> (u64, u64) {
    let (mut events, mut ended) = (0, 0);
    let mut tick = tokio::time::interval(Duration::from_millis(10));
    while !stop.is_cancelled() {
        tick.tick().await;
        for _ in 0..per_tick {
            let e = event(tenant, Some(camera), "motion", 1, json!({"n": events}));
            publisher.publish(e.clone()).await;
            events += 1;
            if events % 10 == 0 {
                publisher.publish(update(&e, e.start + chrono::TimeDelta::seconds(1), json!({}))).await;
                ended += 1;
            }
        }
    }
    (events, ended)
}

/// (rows, distinct ids, ended rows) in the events table, read as the owner.
async fn table(db: &sqlx::PgPool) -> (i64, i64, i64) {
    sqlx::query_as("SELECT count(*), count(DISTINCT id), count(*) FILTER (WHERE end_time IS NOT NULL) FROM events")
        .fetch_one(db)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_under_load_loses_and_doubles_no_event() {
    let mut private = common::private_pg::PrivateApi::start().await;
    let stop_events = CancellationToken::new();
    let _ = private.api.state.start_events(&stop_events);
    let (tenant, camera) = camera(&private.api).await;
    let env = vms_testkit::TestEnv::shared().await;
    let nats = async_nats::connect(env.nats_url()).await.unwrap();
    let cancel = CancellationToken::new();
    let subjects = private.api.state.subjects().clone();
    let (publisher, publishing) = Publisher::start(nats, subjects, 1_000_000, cancel.clone(), Duration::from_secs(30));
    let stop = CancellationToken::new();
    let load = tokio::spawn(publish_steadily(publisher.clone(), tenant, camera, 10, stop.clone()));

    tokio::time::sleep(Duration::from_secs(2)).await;
    private.stop_database().await;
    let down_at = std::time::Instant::now();
    tokio::time::sleep(outage()).await;
    private.start_database().await;
    eprintln!("the database was down for {:?}", down_at.elapsed());
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.cancel();
    let (events, ended) = load.await.unwrap();
    assert!(events as f64 >= 700.0 * (outage().as_secs_f64() + 4.0), "only {events} events published");
    eventually(Duration::from_secs(30), "the publisher's queue drained", || async {
        publisher.stats().await.queued == 0
    })
    .await;
    assert_eq!(publisher.stats().await.dropped, 0);

    let owner = private.api.db.owner_pool.clone();
    eventually(Duration::from_secs(120), "every event stored", || async {
        let (rows, _, done) = table(&owner).await;
        rows as u64 == events && done as u64 == ended
    })
    .await;
    let (rows, distinct, done) = table(&owner).await;
    assert_eq!((rows as u64, distinct as u64, done as u64), (events, events, ended), "exactly once");
    // Every message was handled at least once; an update taken in one batch
    // with its event's first message counts as unchanged.
    let (stored, updated, unchanged, rejected) = private.api.state.event_counts();
    assert_eq!((stored, rejected), (events, 0));
    assert!(stored + updated + unchanged >= events + ended);
    cancel.cancel();
    let _ = publishing.await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consumer_killed_mid_stream_stores_every_event_once() {
    let api = common::api().await;
    let (tenant, camera) = camera(&api).await;
    let env = vms_testkit::TestEnv::shared().await;
    let nats = async_nats::connect(env.nats_url()).await.unwrap();
    let cancel = CancellationToken::new();
    let (publisher, _publishing) =
        Publisher::start(nats, api.state.subjects().clone(), 100_000, cancel.clone(), Duration::from_secs(10));
    let total = 20_000u64;
    for n in 0..total {
        publisher.publish(event(tenant, Some(camera), "motion", 1, json!({"n": n}))).await;
    }

    let first = CancellationToken::new();
    let (_, consumers) = api.state.start_events(&first);
    let owner = api.db.owner_pool.clone();
    eventually(Duration::from_secs(60), "the consumer under way", || async { table(&owner).await.0 > 0 }).await;
    // Killed: no acknowledgement of what it holds, no goodbye.
    for task in consumers {
        task.abort();
    }
    let at_kill = table(&owner).await.0 as u64;
    assert!(at_kill < total, "the consumer had finished before it was killed; publish more");
    eprintln!("killed the consumer with {at_kill} of {total} events stored");

    let second = CancellationToken::new();
    let _ = api.state.start_events(&second);
    eventually(Duration::from_secs(90), "every event stored", || async { table(&owner).await.0 as u64 == total }).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (rows, distinct, _) = table(&owner).await;
    assert_eq!((rows as u64, distinct as u64), (total, total), "exactly once");
    cancel.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nats_restart_under_a_publisher_loses_no_event() {
    let dir = tempfile::tempdir().unwrap();
    let port = vms_testkit::free_port();
    let spec = vms_infra::NatsSpec {
        dir: dir.path().join("nats"),
        port: Some(port),
        token: None,
        log: dir.path().join("nats.log"),
    };
    let nats = vms_infra::Nats::start(&spec).await.unwrap();
    let url = nats.url().to_owned();
    let api = common::api_on(|_| {}, Some(&url)).await;
    let stop = CancellationToken::new();
    let _guard = stop.clone().drop_guard();
    let _ = api.state.start_events(&stop);
    let (tenant, camera) = camera(&api).await;
    let client = async_nats::connect(&url).await.unwrap();
    let cancel = CancellationToken::new();
    let (publisher, _publishing) =
        Publisher::start(client, api.state.subjects().clone(), 100_000, cancel.clone(), Duration::from_secs(10));
    let stop_load = CancellationToken::new();
    let load = tokio::spawn(publish_steadily(publisher.clone(), tenant, camera, 2, stop_load.clone()));

    tokio::time::sleep(Duration::from_secs(2)).await;
    nats.stop(Duration::from_secs(10)).await;
    // Five seconds without a bus: the publisher queues.
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert!(publisher.stats().await.queued > 0, "events wait while NATS is away");
    let _nats = vms_infra::Nats::start(&spec).await.unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop_load.cancel();
    let (events, ended) = load.await.unwrap();

    let owner = api.db.owner_pool.clone();
    eventually(Duration::from_secs(60), "every event stored after the restart", || async {
        let (rows, _, done) = table(&owner).await;
        rows as u64 == events && done as u64 == ended
    })
    .await;
    let (rows, distinct, _) = table(&owner).await;
    assert_eq!((rows as u64, distinct as u64), (events, events), "exactly once");
    let stats = publisher.stats().await;
    assert_eq!((stats.queued, stats.dropped), (0, 0));
    cancel.cancel();
}
