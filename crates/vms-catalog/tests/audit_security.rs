//! The functions that run with the schema owner's rights cannot be turned
//! against the audit trail: the application role cannot shorten retention,
//! nobody may call them by default, and none can be tricked through the
//! caller's search path.

use chrono::{Months, Utc};
use sqlx::PgPool;
use vms_catalog::audit::{self, AuditEntry, Outcome};
use vms_testkit::TestEnv;

async fn count(owner: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM audit_log").fetch_one(owner).await.unwrap()
}

#[tokio::test]
async fn the_application_role_cannot_erase_the_trail_through_retention() {
    let db = TestEnv::shared().await.fresh_database().await;
    let writer = PgPool::connect(&db.audit_url).await.unwrap();
    // Last month's partition is one a zero retention would drop.
    let mut last_month = AuditEntry::new("test.last_month", Outcome::Success);
    last_month.occurred_at = Utc::now().checked_sub_months(Months::new(1)).unwrap();
    audit::insert(&writer, &last_month).await.unwrap();
    audit::insert(&writer, &AuditEntry::new("test.now", Outcome::Success)).await.unwrap();
    assert_eq!(count(&db.owner_pool).await, 2);

    for keep in ["0", "-1 year", "1 day"] {
        // Refused or clamped: either way nothing younger than seven years goes.
        let _ = sqlx::query("SELECT audit_drop_expired($1::interval)").bind(keep).execute(&db.pool).await;
        assert_eq!(count(&db.owner_pool).await, 2, "retention of {keep} erased entries");
    }
    let dropped = audit::maintain(&db.pool, 31).await.unwrap();
    assert_eq!(dropped, 0, "a configured retention below seven years is not honoured");
    assert_eq!(count(&db.owner_pool).await, 2);
    let mut conn = db.owner_pool.acquire().await.unwrap();
    assert!(audit::verify(&mut conn).await.unwrap().problems.is_empty());
}

#[tokio::test]
async fn security_definer_functions_pin_their_search_path_and_refuse_public() {
    let db = TestEnv::shared().await.fresh_database().await;
    let functions: Vec<(String, Option<Vec<String>>, bool)> = sqlx::query_as(
        "SELECT p.oid::regprocedure::text, p.proconfig, has_function_privilege('public', p.oid, 'EXECUTE') \
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
         WHERE p.prosecdef AND n.nspname = 'public' ORDER BY 1",
    )
    .fetch_all(&db.owner_pool)
    .await
    .unwrap();
    assert!(functions.len() >= 4, "{functions:?}");
    for (name, config, public) in &functions {
        let path = config.iter().flatten().find_map(|c| c.strip_prefix("search_path="));
        // pg_temp is searched first unless named: the caller's temporary
        // tables would shadow the owner's.
        assert_eq!(path, Some("public, pg_temp"), "{name} must pin search_path with pg_temp last");
        assert!(!public, "{name} must not be executable by PUBLIC");
    }
}

#[tokio::test]
async fn a_temporary_table_cannot_shadow_the_chain_for_the_trigger() {
    let db = TestEnv::shared().await.fresh_database().await;
    let writer = PgPool::connect(&db.audit_url).await.unwrap();
    let mut conn = writer.acquire().await.unwrap();
    // A forged previous entry in the writer's own temporary schema must not
    // become the real entry's link.
    let forged =
        sqlx::query("CREATE TEMP TABLE audit_log (seq bigint, entry_id uuid, hash bytea)").execute(&mut *conn).await;
    if forged.is_ok() {
        sqlx::query("INSERT INTO pg_temp.audit_log VALUES (999, gen_random_uuid(), '\\xdeadbeef')")
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    sqlx::query(
        "INSERT INTO public.audit_log (seq, entry_id, occurred_at, actor_kind, action, outcome, prev_hash, hash) \
         VALUES (0, gen_random_uuid(), now(), 'system', 'test.first', 'success', '\\x', '\\x')",
    )
    .execute(&mut *conn)
    .await
    .unwrap();
    let mut owner = db.owner_pool.acquire().await.unwrap();
    let report = audit::verify(&mut owner).await.unwrap();
    assert_eq!((report.entries, report.problems.len()), (1, 0), "{:?}", report.problems);
}

/// '2521 days' compares above '7 years' (intervals count a month as 30
/// days) yet is five weeks short of seven calendar years: the month seven
/// years back must survive it.
#[tokio::test]
async fn a_retention_just_under_seven_calendar_years_drops_nothing() {
    let db = TestEnv::shared().await.fresh_database().await;
    sqlx::query(
        "DO $$ DECLARE s timestamptz := date_trunc('month', now() - interval '7 years'); BEGIN \
         EXECUTE format('CREATE TABLE audit_log_edge PARTITION OF audit_log FOR VALUES FROM (%L) TO (%L)', \
         s, s + interval '1 month'); END $$",
    )
    .execute(&db.owner_pool)
    .await
    .unwrap();
    let writer = PgPool::connect(&db.audit_url).await.unwrap();
    let mut old = AuditEntry::new("test.seven_years", Outcome::Success);
    old.occurred_at = Utc::now().checked_sub_months(Months::new(84)).unwrap() + chrono::Duration::hours(1);
    audit::insert(&writer, &old).await.unwrap();
    assert_eq!(count(&db.owner_pool).await, 1);
    let _ = sqlx::query("SELECT audit_drop_expired('2521 days'::interval)").execute(&db.pool).await;
    assert_eq!(count(&db.owner_pool).await, 1, "a month younger than seven calendar years was dropped");
}
