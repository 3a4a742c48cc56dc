//! `vms audit verify` checks the trail against the signed checkpoint the
//! writer keeps in the data directory, so deleting the newest entries (which
//! leaves a shorter chain that still links up) is reported with exit 1.

mod common;

use common::audit::{seed, verify};
use sqlx::PgPool;
use vms_catalog::audit::{self, AuditEntry, Outcome, checkpoint};
use vms_testkit::{TestDatabase, TestEnv};

async fn delete_from(db: &TestDatabase, seq: i64) {
    sqlx::query("DELETE FROM audit_log WHERE seq >= $1").bind(seq).execute(&db.owner_pool).await.unwrap();
}

#[tokio::test]
async fn verify_reports_deleted_newest_entries_against_the_checkpoint() {
    let env = TestEnv::shared().await;
    let data = tempfile::tempdir().unwrap();
    let db = env.fresh_database().await;
    let seqs = seed(&db, data.path()).await;
    let (code, out) = verify(&db, data.path(), &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("audit trail intact: 4 entries") && out.contains(&format!("entry {} (written", seqs[3])));
    // A copy kept elsewhere checks the same way.
    let copy = data.path().join("copy.json");
    std::fs::copy(data.path().join("audit").join(checkpoint::CHECKPOINT_FILE), &copy).unwrap();

    delete_from(&db, seqs[2]).await;
    let (code, out) = verify(&db, data.path(), &[]);
    assert_eq!(code, 1, "{out}");
    let truncated = format!("the checkpoint records entry {} but the trail ends at entry {}", seqs[3], seqs[1]);
    assert!(out.contains(&truncated), "{out}");

    // Cut and continued: the chain links up again, the checkpoint's entry is gone.
    let writer = PgPool::connect(&db.audit_url).await.unwrap();
    audit::insert(&writer, &AuditEntry::new("camera.later", Outcome::Success)).await.unwrap();
    let (code, out) = verify(&db, data.path(), &["--checkpoint", copy.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(&format!("entry {}, recorded in the checkpoint, is missing", seqs[3])), "{out}");
}

#[tokio::test]
async fn a_writer_keeps_a_checkpoint_cut_from_the_chain_as_evidence() {
    let env = TestEnv::shared().await;
    let data = tempfile::tempdir().unwrap();
    let db = env.fresh_database().await;
    let seqs = seed(&db, data.path()).await;
    delete_from(&db, seqs[2]).await;
    // A restarted writer goes on from the shortened chain; the checkpoint must not follow.
    seed(&db, data.path()).await;
    let (code, out) = verify(&db, data.path(), &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(&format!("entry {}, recorded in the checkpoint, is missing", seqs[3])), "{out}");
}

#[tokio::test]
async fn verify_refuses_an_edited_checkpoint() {
    let env = TestEnv::shared().await;
    let data = tempfile::tempdir().unwrap();
    let db = env.fresh_database().await;
    let seqs = seed(&db, data.path()).await;
    let path = data.path().join("audit").join(checkpoint::CHECKPOINT_FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace(&format!("\"seq\": {}", seqs[3]), &format!("\"seq\": {}", seqs[1]))).unwrap();
    let (code, out) = verify(&db, data.path(), &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("not signed by this installation's key"), "{out}");
}

/// Review of issue 11: deleting the checkpoint along with the newest entries
/// must not turn the check into a pass. A trail with entries and a checkpoint
/// key but no checkpoint is reported; a fresh installation (key, no entries,
/// no checkpoint yet) passes with a note.
#[tokio::test]
async fn a_deleted_checkpoint_is_reported_when_the_trail_has_entries() {
    let env = TestEnv::shared().await;
    let fresh = tempfile::tempdir().unwrap();
    let db = env.fresh_database().await;
    checkpoint::load_or_create_key(&fresh.path().join("secrets")).unwrap();
    let (code, out) = verify(&db, fresh.path(), &[]);
    assert_eq!(code, 0, "a fresh installation passes: {out}");
    assert!(out.contains("note: no checkpoint"), "{out}");

    let data = tempfile::tempdir().unwrap();
    let seqs = seed(&db, data.path()).await;
    delete_from(&db, seqs[2]).await;
    std::fs::remove_file(data.path().join("audit").join(checkpoint::CHECKPOINT_FILE)).unwrap();
    let (code, out) = verify(&db, data.path(), &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("TAMPERED: the checkpoint") && out.contains("is missing"), "{out}");
    // Deleting the key as well does not help.
    std::fs::remove_dir_all(data.path().join("secrets")).unwrap();
    let (code, out) = verify(&db, data.path(), &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("TAMPERED: the checkpoint key is missing"), "{out}");
}
