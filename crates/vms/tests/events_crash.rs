//! Control killed with SIGKILL in the middle of a stream of events, as a
//! power cut or the OOM killer would: once it is back, every event published
//! is stored exactly once, updates included. What was committed but not yet
//! acknowledged comes again and changes nothing; what was not committed
//! comes again and is stored.

mod common;

use std::time::{Duration, Instant};

use common::{stack::sandbox, wait_until};
use vms_bus::{Subjects, events::Event};
use vms_catalog::camera::Transport;

/// Events published per second, and for how long.
const RATE: u64 = 1000;
const SECONDS: u64 = 8;

fn event(tenant: uuid::Uuid, camera: uuid::Uuid, n: u64) -> Event {
    let start = chrono::Utc::now() - chrono::TimeDelta::seconds(1);
    Event {
        id: uuid::Uuid::new_v4(),
        tenant_id: tenant,
        camera_id: Some(camera),
        kind: "door".to_owned(),
        start,
        end: None,
        attributes: serde_json::json!({"n": n}).as_object().cloned().unwrap(),
        seq: 0,
    }
}

async fn spawn_control(stack: &vms_sandbox::Sandbox) -> std::process::Child {
    let child = stack.spawn_plane("control");
    let live = format!("{}/health/live", stack.http());
    wait_until("control's HTTP API", Duration::from_secs(30), || async {
        reqwest::get(&live).await.ok().filter(|r| r.status().is_success()).map(|_| ())
    })
    .await;
    child
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn control_killed_mid_stream_stores_every_event_exactly_once() {
    vms_base::tracing_setup::install();
    let stack = sandbox(|_| {}).await;
    let (camera, _) = stack.add_camera("door", "rtsp://192.0.2.1/".into(), Transport::Tcp, None).await;
    let mut control = spawn_control(&stack).await;
    let nats = async_nats::connect(stack.env.nats_url()).await.unwrap();
    let js = async_nats::jetstream::new(nats);
    let subjects = Subjects::new(stack.prefix.clone());
    vms_bus::events::ensure_stream(&js, &subjects).await.unwrap();

    // A steady stream; every tenth event is ended by a second message.
    let (tenant, total) = (stack.tenant, RATE * SECONDS);
    let publisher = {
        let (js, subjects) = (js.clone(), subjects.clone());
        tokio::spawn(async move {
            let mut ended = Vec::new();
            let mut tick = tokio::time::interval(Duration::from_millis(10));
            for n in 0..total {
                if n % (RATE / 100) == 0 {
                    tick.tick().await;
                }
                let mut e = event(tenant, camera, n);
                vms_bus::events::publish(&js, &subjects, &e).await.unwrap();
                if n % 10 == 0 {
                    (e.seq, e.end) = (1, Some(chrono::Utc::now()));
                    vms_bus::events::publish(&js, &subjects, &e).await.unwrap();
                    ended.push(e.id);
                }
            }
            ended
        })
    };
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM events WHERE type = 'door'")
            .fetch_one(&stack.db.owner_pool)
            .await
            .unwrap()
    };
    // Killed while it stores; some of the stream is in, some is not.
    wait_until("events being stored", Duration::from_secs(30), || async { (count().await > 1000).then_some(()) }).await;
    control.kill().unwrap();
    control.wait().unwrap();
    let at_kill = count().await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut control = spawn_control(&stack).await;
    let ended = publisher.await.unwrap();
    assert!(at_kill < total as i64, "killed mid-stream: {at_kill} of {total} stored");

    let started = Instant::now();
    wait_until("every event stored", Duration::from_secs(90), || async {
        (count().await == total as i64).then_some(())
    })
    .await;
    // And nothing more arrives: no event twice.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (rows, distinct, numbers): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*), count(DISTINCT id), count(DISTINCT (attributes->>'n')) FROM events WHERE type = 'door'",
    )
    .fetch_one(&stack.db.owner_pool)
    .await
    .unwrap();
    assert_eq!((rows, distinct, numbers), (total as i64, total as i64, total as i64));
    let closed: i64 =
        sqlx::query_scalar("SELECT count(*) FROM events WHERE id = ANY($1) AND seq = 1 AND end_time IS NOT NULL")
            .bind(&ended)
            .fetch_one(&stack.db.owner_pool)
            .await
            .unwrap();
    assert_eq!(closed, ended.len() as i64, "every update applied once");
    tracing::info!(caught_up_in = ?started.elapsed(), at_kill, "control caught up after SIGKILL");
    control.kill().unwrap();
    let _ = control.wait();
}
