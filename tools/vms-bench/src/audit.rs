//! `audit`: audited writes per second from C concurrent callers, through the
//! audit writer, against the old serial path (one mutex; with PostgreSQL up
//! one insert and commit per entry, with it down one journal append and
//! `sync_data` per entry), with a private PostgreSQL up and then stopped.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use sqlx::PgPool;
use tokio::sync::Mutex;
use vms_catalog::audit::{self, AuditEntry, Outcome, checkpoint, journal::Journal, writer::AuditWriter};

/// One way of recording an entry.
#[derive(Clone)]
enum Path {
    Writer(AuditWriter),
    /// The writer as it was before batching: everything behind one lock.
    Serial(Arc<Mutex<Journal>>, PgPool),
}

impl Path {
    async fn record(&self, entry: AuditEntry) {
        match self {
            Path::Writer(w) => w.record(entry).await,
            Path::Serial(journal, pool) => {
                let mut journal = journal.lock().await;
                if journal.is_empty()
                    && tokio::time::timeout(Duration::from_secs(3), audit::insert(pool, &entry))
                        .await
                        .is_ok_and(|r| r.is_ok())
                {
                    return;
                }
                journal.append(&entry).expect("journal append");
            }
        }
    }
}

fn entry(i: u64) -> AuditEntry {
    AuditEntry::new("bench.write", Outcome::Success).target("thing", i).ip("192.0.2.1")
}

/// Entries per second recorded by `callers` tasks in `seconds`, after one
/// entry that settles the path (e.g. into the journal when the database is down).
async fn measure(path: &Path, callers: usize, seconds: u64) -> f64 {
    path.record(entry(0)).await;
    let count = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let tasks: Vec<_> = (0..callers)
        .map(|_| {
            let (path, count) = (path.clone(), count.clone());
            tokio::spawn(async move {
                while Instant::now() < until {
                    path.record(entry(count.fetch_add(1, Ordering::Relaxed))).await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("bench caller");
    }
    count.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

/// Runs the benchmark and prints a table.
pub(crate) async fn run(callers: usize, seconds: u64) -> anyhow::Result<()> {
    let (dir, pg) = crate::pg::private("audit").await?;
    let pool = crate::pg::pool_as(&pg, vms_catalog::AUDIT_ROLE, 4).await?;
    let key = checkpoint::load_or_create_key(&dir.path().join("secrets"))?;
    let writer = AuditWriter::with_checkpoint(
        pool.clone(),
        &dir.path().join("writer/journal.jsonl"),
        &dir.path().join("writer/checkpoint.json"),
        key,
    );
    let serial = Path::Serial(Arc::new(Mutex::new(Journal::new(&dir.path().join("serial/journal.jsonl")))), pool);
    let writer = Path::Writer(writer);

    let up = (measure(&writer, callers, seconds).await, measure(&serial, callers, seconds).await);
    pg.stop(Duration::from_secs(10)).await;
    let down = (measure(&writer, callers, seconds).await, measure(&serial, callers, seconds).await);

    println!("audited writes per second, {callers} concurrent callers, {seconds} s each");
    println!("| PostgreSQL | audit writer | serial (one lock, one commit or sync each) | ratio |");
    println!("|---|---:|---:|---:|");
    for (state, (w, s)) in [("up", up), ("down (journal)", down)] {
        println!("| {state} | {w:.0} | {s:.0} | {:.1} |", w / s);
    }
    Ok(())
}
