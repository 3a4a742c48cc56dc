//! `vms audit verify` reports an intact trail with exit 0, and names the
//! modified or deleted entry with exit 1.

use std::process::Command;

use sqlx::PgPool;
use vms_catalog::audit::{self, AuditEntry, Outcome};
use vms_testkit::TestEnv;

fn verify(db: &vms_testkit::TestDatabase) -> (i32, String) {
    let data = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_vms"))
        .args(["audit", "verify", "--data-dir"])
        .arg(data.path())
        .env("VMS_DATABASE_URL", &db.url)
        .env("VMS_DATABASE_OWNER_URL", &db.owner_url)
        .env("VMS_LOG", "warn")
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

async fn seed(db: &vms_testkit::TestDatabase) -> Vec<i64> {
    let writer = PgPool::connect(&db.audit_url).await.unwrap();
    for i in 0..4 {
        audit::insert(&writer, &AuditEntry::new(&format!("camera.update{i}"), Outcome::Success)).await.unwrap();
    }
    sqlx::query_scalar("SELECT seq FROM audit_log ORDER BY seq").fetch_all(&db.owner_pool).await.unwrap()
}

#[tokio::test]
async fn verify_catches_a_modified_row_and_a_deleted_row() {
    let env = TestEnv::shared().await;

    let db = env.fresh_database().await;
    let seqs = seed(&db).await;
    let (code, out) = verify(&db);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("audit trail intact: 4 entries"), "{out}");

    sqlx::query("UPDATE audit_log SET actor_name = 'someone else' WHERE seq = $1")
        .bind(seqs[1])
        .execute(&db.owner_pool)
        .await
        .unwrap();
    let (code, out) = verify(&db);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(&format!("entry {} was edited", seqs[1])), "{out}");

    let db = env.fresh_database().await;
    let seqs = seed(&db).await;
    sqlx::query("DELETE FROM audit_log WHERE seq = $1").bind(seqs[2]).execute(&db.owner_pool).await.unwrap();
    let (code, out) = verify(&db);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(&format!("entry {} does not follow entry {}", seqs[3], seqs[1])), "{out}");
}
