//! The audit trail as control writes it, and `vms audit verify` run on it.

use std::{path::Path, process::Command};

use sqlx::PgPool;
use vms_catalog::audit::{AuditEntry, Outcome, checkpoint, writer::AuditWriter};
use vms_testkit::TestDatabase;

/// Runs `vms audit verify` on the installation in `data` with `extra`
/// arguments; returns the exit status and what it printed.
pub fn verify(db: &TestDatabase, data: &Path, extra: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vms"))
        .args(["audit", "verify", "--data-dir"])
        .arg(data)
        .args(extra)
        .env("VMS_DATABASE_URL", &db.url)
        .env("VMS_DATABASE_OWNER_URL", &db.owner_url)
        .env("VMS_LOG", "warn")
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Writes four entries as control does, keeping its checkpoint in `data`;
/// returns their sequence numbers.
pub async fn seed(db: &TestDatabase, data: &Path) -> Vec<i64> {
    let key = checkpoint::load_or_create_key(&data.join("secrets")).unwrap();
    let audit = data.join("audit");
    let pool = PgPool::connect(&db.audit_url).await.unwrap();
    let writer =
        AuditWriter::with_checkpoint(pool, &audit.join("journal.jsonl"), &audit.join(checkpoint::CHECKPOINT_FILE), key);
    for i in 0..4 {
        writer.record(AuditEntry::new(&format!("camera.update{i}"), Outcome::Success)).await;
    }
    sqlx::query_scalar("SELECT seq FROM audit_log ORDER BY seq").fetch_all(&db.owner_pool).await.unwrap()
}
