//! `vms audit verify` reports an intact trail with exit 0, and names the
//! modified or deleted entry with exit 1.

mod common;

use common::audit::{seed, verify};
use vms_testkit::TestEnv;

#[tokio::test]
async fn verify_catches_a_modified_row_and_a_deleted_row() {
    let env = TestEnv::shared().await;

    let data = tempfile::tempdir().unwrap();
    let db = env.fresh_database().await;
    let seqs = seed(&db, data.path()).await;
    let (code, out) = verify(&db, data.path(), &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("audit trail intact: 4 entries"), "{out}");

    sqlx::query("UPDATE audit_log SET actor_name = 'someone else' WHERE seq = $1")
        .bind(seqs[1])
        .execute(&db.owner_pool)
        .await
        .unwrap();
    let (code, out) = verify(&db, data.path(), &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(&format!("entry {} was edited", seqs[1])), "{out}");

    let data = tempfile::tempdir().unwrap();
    let db = env.fresh_database().await;
    let seqs = seed(&db, data.path()).await;
    sqlx::query("DELETE FROM audit_log WHERE seq = $1").bind(seqs[2]).execute(&db.owner_pool).await.unwrap();
    let (code, out) = verify(&db, data.path(), &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(&format!("entry {} does not follow entry {}", seqs[3], seqs[1])), "{out}");
}
