//! The webhook part of `events`: rule-fired webhook calls delivered per
//! second to a local receiver, from the bus through control's outbox and
//! signed sender, against the same receiver called directly by a plain
//! HTTP client with as many calls in flight as the sender claims (the
//! receiver's and loopback's own ceiling).

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{Router, extract::State, http::StatusCode, routing::post};
use serde_json::json;
use uuid::Uuid;
use vms_sandbox::Sandbox;

/// Calls in flight in the baseline: as many as the sender claims at once.
const IN_FLIGHT: usize = 16;

/// A receiver that counts the calls it answers.
async fn receiver() -> anyhow::Result<(SocketAddr, Arc<AtomicU64>)> {
    let count = Arc::new(AtomicU64::new(0));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let app = Router::new()
        .route(
            "/hook",
            post(|State(count): State<Arc<AtomicU64>>, _body: axum::body::Bytes| async move {
                count.fetch_add(1, Ordering::Relaxed);
                StatusCode::NO_CONTENT
            }),
        )
        .with_state(count.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok((addr, count))
}

/// Posts `n` bodies of the pipeline's size straight to the receiver; calls/s.
async fn plain_calls(addr: SocketAddr, count: &AtomicU64, n: u64) -> anyhow::Result<f64> {
    let client = reqwest::Client::new();
    let body = json!({"rule": {"id": Uuid::new_v4(), "name": "bench"},
                      "event": {"id": Uuid::new_v4(), "type": "bench_hook", "attributes": {"n": 0}}})
    .to_string();
    let before = count.load(Ordering::Relaxed);
    let next = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..IN_FLIGHT)
        .map(|_| {
            let (client, body, next) = (client.clone(), body.clone(), next.clone());
            tokio::spawn(async move {
                while next.fetch_add(1, Ordering::Relaxed) < n {
                    client.post(format!("http://{addr}/hook")).body(body.clone()).send().await?.error_for_status()?;
                }
                Ok::<_, anyhow::Error>(())
            })
        })
        .collect();
    for task in tasks {
        task.await??;
    }
    anyhow::ensure!(count.load(Ordering::Relaxed) - before == n, "the receiver missed calls");
    Ok(n as f64 / started.elapsed().as_secs_f64())
}

/// Measures and prints the webhook table: `n` events fire a rule calling
/// the receiver.
pub(crate) async fn run(
    sandbox: &Sandbox,
    token: &str,
    publish: impl AsyncFn(u64) -> anyhow::Result<()>,
    n: u64,
) -> anyhow::Result<()> {
    let (addr, count) = receiver().await?;
    let hook = sandbox
        .post(Some(token), "/api/webhooks", json!({"name": "bench", "url": format!("http://{addr}/hook")}))
        .await;
    let hook = hook["id"].as_str().ok_or_else(|| anyhow::anyhow!("cannot create the webhook: {hook}"))?.to_owned();
    let rule = json!({"name": "bench", "conditions": {"types": ["bench_hook"]},
                      "actions": [{"kind": "webhook", "webhook_id": hook}]});
    let rule = sandbox.post(Some(token), "/api/rules", rule).await;
    anyhow::ensure!(rule["id"].is_string(), "cannot create the rule: {rule}");
    // Control reads the rules again every 2 s.
    tokio::time::sleep(Duration::from_secs(3)).await;

    let baseline = plain_calls(addr, &count, n).await?;
    let before = count.load(Ordering::Relaxed);
    let started = Instant::now();
    publish(n).await?;
    while count.load(Ordering::Relaxed) - before < n {
        anyhow::ensure!(started.elapsed() < Duration::from_secs(600), "calls not all delivered after 10 minutes");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let delivered = n as f64 / started.elapsed().as_secs_f64();
    println!();
    println!("webhook deliveries to a local receiver ({n} events, each firing one call)");
    println!("| path | calls/s |");
    println!("|---|---:|");
    println!("| bus → control → rule → outbox → signed POST (delivered) | {delivered:.0} |");
    println!("| baseline: plain HTTP client, {IN_FLIGHT} calls in flight | {baseline:.0} |");
    Ok(())
}
