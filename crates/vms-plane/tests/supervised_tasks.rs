//! A plane's supervised task that panics is restarted, and the plane's status
//! report on NATS carries the alert meanwhile (issue 11, point 15).

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicU32, Ordering},
    },
    time::Duration,
};

use futures::StreamExt;
use tokio_util::sync::CancellationToken;
use vms_base::Plane;
use vms_bus::{Subjects, status::PlaneStatusReport};
use vms_config::Config;
use vms_plane::{PlaneContext, PlaneDeps};
use vms_testkit::{TestEnv, free_port};

fn addr(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

#[tokio::test]
async fn panicking_task_is_restarted_and_reported_in_the_plane_status() {
    let env = TestEnv::shared().await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config { data_dir: dir.path().to_owned(), ..Config::default() };
    // Not the default metrics port: a running system, or another copy of this test, may hold it.
    config.metrics.ai = "127.0.0.1:0".parse().unwrap();
    config.ai.grpc_listen = addr(free_port());
    config.ai.status_interval_secs = 1;
    // No control listens here: the plane keeps working from no assignments.
    config.control.grpc_listen = addr(free_port());
    let prefix = env.unique_prefix();
    let nats = async_nats::connect(env.nats_url()).await.unwrap();
    let mut reports = nats.subscribe(Subjects::new(prefix.clone()).status(Plane::Ai, &config.node_id)).await.unwrap();
    let deps = PlaneDeps {
        nats_url: env.nats_url().into(),
        redis_url: env.redis_url().into(),
        bus_prefix: prefix,
        metrics: Default::default(),
    };

    let runs = Arc::new(AtomicU32::new(0));
    let counted = runs.clone();
    let worker = move |ctx: PlaneContext| {
        let cancel = ctx.shutdown.clone();
        ctx.supervisor.spawn("flaky", ctx.shutdown.clone(), move || {
            let run = counted.fetch_add(1, Ordering::SeqCst) + 1;
            let cancel = cancel.clone();
            async move {
                assert!(run > 2, "injected panic on run {run}");
                cancel.cancelled().await;
            }
        });
        async move {
            ctx.shutdown.cancelled().await;
            Ok(())
        }
    };
    let shutdown = CancellationToken::new();
    let plane =
        tokio::spawn(vms_plane::serve(Plane::Ai, Arc::new(config), deps, shutdown.clone(), Default::default(), worker));

    let alert = "task flaky panicked 2 times; restarting";
    let reported = tokio::time::timeout(Duration::from_secs(20), async {
        while let Some(message) = reports.next().await {
            let report = PlaneStatusReport::from_bytes(&message.payload).unwrap();
            if report.alerts.iter().any(|a| a == alert) {
                return report;
            }
        }
        panic!("status subscription ended");
    })
    .await
    .expect("the status report should carry the task's alert");
    assert_eq!(reported.state, vms_bus::status::PlaneState::Running, "a panicking task does not stop the plane");
    // The alert goes out while the task waits to restart; the third run then keeps going.
    tokio::time::timeout(Duration::from_secs(10), async {
        while runs.load(Ordering::SeqCst) < 3 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the task should be restarted after each panic");

    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(10), plane)
        .await
        .expect("the plane should stop promptly")
        .unwrap()
        .expect("the plane should stop cleanly");
    assert_eq!(runs.load(Ordering::SeqCst), 3, "a task stopped by shutdown is not restarted");
}
