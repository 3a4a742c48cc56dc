//! The audit trail: insert-only writer, a chain that exposes edits, deletions
//! and reordering, a journal that keeps order through an outage, and
//! retention that keeps the chain verifiable.

use std::time::Duration;

use sqlx::PgPool;
use vms_catalog::audit::{self, AuditEntry, ChainProblem, Outcome, writer::AuditWriter};
use vms_testkit::TestEnv;

fn entry(i: usize) -> AuditEntry {
    AuditEntry::new(&format!("test.step{i}"), Outcome::Success).target("thing", i).detail("n", i)
}

async fn seqs(owner: &PgPool) -> Vec<i64> {
    sqlx::query_scalar("SELECT seq FROM audit_log ORDER BY seq").fetch_all(owner).await.unwrap()
}

async fn verify(owner: &PgPool) -> audit::ChainReport {
    let mut conn = owner.acquire().await.unwrap();
    audit::verify(&mut conn).await.unwrap()
}

#[tokio::test]
async fn the_audit_role_may_only_insert() {
    let db = TestEnv::shared().await.fresh_database().await;
    let writer = PgPool::connect(&db.audit_url).await.unwrap();
    audit::insert(&writer, &entry(1)).await.unwrap();
    for forbidden in ["SELECT details FROM audit_log", "UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"] {
        let err = sqlx::query(forbidden).execute(&writer).await.unwrap_err();
        assert!(err.to_string().contains("permission denied"), "{forbidden}: {err}");
    }
    let err = sqlx::query("UPDATE audit_log SET action = 'x'").execute(&db.pool).await.unwrap_err();
    assert!(err.to_string().contains("permission denied"), "the application role cannot change entries either");
}

#[tokio::test]
async fn verify_reports_edited_deleted_and_reordered_entries() {
    let env = TestEnv::shared().await;
    for tamper in ["edit", "delete", "reorder"] {
        let db = env.fresh_database().await;
        let writer = PgPool::connect(&db.audit_url).await.unwrap();
        for i in 0..5 {
            audit::insert(&writer, &entry(i)).await.unwrap();
        }
        let report = verify(&db.owner_pool).await;
        assert_eq!((report.entries, report.problems.len()), (5, 0), "{tamper}: intact before");
        let s = seqs(&db.owner_pool).await;
        let expected = match tamper {
            "edit" => {
                sqlx::query("UPDATE audit_log SET details = '{\"n\": 99}' WHERE seq = $1")
                    .bind(s[2])
                    .execute(&db.owner_pool)
                    .await
                    .unwrap();
                vec![ChainProblem::Edited { seq: s[2] }]
            }
            "delete" => {
                sqlx::query("DELETE FROM audit_log WHERE seq = $1").bind(s[2]).execute(&db.owner_pool).await.unwrap();
                vec![ChainProblem::Broken { seq: s[3], after_seq: Some(s[1]) }]
            }
            _ => {
                // Swap the positions of two entries.
                for (from, to) in [(s[1], -1), (s[3], s[1]), (-1, s[3])] {
                    sqlx::query("UPDATE audit_log SET seq = $2 WHERE seq = $1")
                        .bind(from)
                        .bind(to)
                        .execute(&db.owner_pool)
                        .await
                        .unwrap();
                }
                let problems = verify(&db.owner_pool).await.problems;
                assert!(problems.iter().any(|p| matches!(p, ChainProblem::Edited { .. })), "{problems:?}");
                problems.into_iter().filter(|p| matches!(p, ChainProblem::Broken { .. })).collect()
            }
        };
        let report = verify(&db.owner_pool).await;
        let broken: Vec<ChainProblem> = report
            .problems
            .iter()
            .filter(|p| tamper == "edit" || matches!(p, ChainProblem::Broken { .. }))
            .cloned()
            .collect();
        assert_eq!(broken, expected, "{tamper}");
        assert!(!expected.is_empty());
    }
}

#[tokio::test]
async fn entries_journaled_while_postgres_is_down_are_replayed_in_order() {
    let dir = tempfile::Builder::new().prefix("vms-audit-").tempdir_in("/tmp").unwrap();
    std::fs::set_permissions(dir.path(), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let spec = vms_infra::PostgresSpec {
        data_dir: dir.path().join("pg"),
        listen: vms_infra::PgListen::UnixSocket { dir: dir.path().join("sock") },
        password: None,
        log: dir.path().join("pg.log"),
        unsafe_no_fsync: true,
    };
    let pg = vms_infra::Postgres::start(&spec).await.unwrap();
    pg.ensure_database("vms").await.unwrap();
    let owner = vms_catalog::connect(&pg.url("vms"), 2, Duration::from_secs(2)).await.unwrap();
    vms_catalog::migrate(&owner).await.unwrap();
    vms_catalog::enable_login(&owner, vms_catalog::AUDIT_ROLE, "audit-pw").await.unwrap();
    let audit_url = vms_infra::postgres::url_with_user(&pg.url("vms"), vms_catalog::AUDIT_ROLE, "audit-pw").unwrap();
    let pool = vms_catalog::connect(&audit_url, 2, Duration::from_secs(1)).await.unwrap();
    let writer = AuditWriter::new(pool, &dir.path().join("audit/journal.jsonl"));

    writer.record(entry(0)).await;
    writer.record(entry(1)).await;
    assert_eq!(writer.pending().await, 0);

    owner.close().await;
    pg.stop(Duration::from_secs(10)).await;
    for i in 2..5 {
        writer.record(entry(i)).await;
    }
    assert_eq!(writer.pending().await, 3, "entries wait in the journal while the database is down");
    assert_eq!(writer.replay().await.unwrap(), 3, "nothing replays while it is still down");

    let _pg = vms_infra::Postgres::start(&spec).await.unwrap();
    writer.record(entry(5)).await;
    assert_eq!(writer.pending().await, 4, "a new entry queues behind the journal, keeping order");
    assert_eq!(writer.replay().await.unwrap(), 0);

    let owner = vms_catalog::connect(&_pg.url("vms"), 2, Duration::from_secs(2)).await.unwrap();
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log ORDER BY seq").fetch_all(&owner).await.unwrap();
    let expected: Vec<String> = (0..6).map(|i| format!("test.step{i}")).collect();
    assert_eq!(actions, expected);
    let report = verify(&owner).await;
    assert_eq!((report.entries, report.problems.len()), (6, 0));
    // Replaying again stores nothing twice.
    assert_eq!(writer.replay().await.unwrap(), 0);
}

#[tokio::test]
async fn retention_drops_old_months_and_the_chain_still_verifies() {
    let db = TestEnv::shared().await.fresh_database().await;
    let writer = PgPool::connect(&db.audit_url).await.unwrap();
    sqlx::query(
        "CREATE TABLE audit_log_y2017m01 PARTITION OF audit_log \
         FOR VALUES FROM ('2017-01-01 00:00+00') TO ('2017-02-01 00:00+00')",
    )
    .execute(&db.owner_pool)
    .await
    .unwrap();
    let mut old = entry(0);
    old.occurred_at = "2017-01-15T10:00:00Z".parse().unwrap();
    audit::insert(&writer, &old).await.unwrap();
    for i in 1..3 {
        audit::insert(&writer, &entry(i)).await.unwrap();
    }
    let dropped = audit::maintain(&db.pool, 2557).await.unwrap();
    assert_eq!(dropped, 1, "the 2017 month is older than seven years");
    let report = verify(&db.owner_pool).await;
    assert_eq!((report.entries, report.problems.len()), (2, 0), "{:?}", report.problems);
    assert_eq!(audit::maintain(&db.pool, 2557).await.unwrap(), 0, "current months are kept");
}
