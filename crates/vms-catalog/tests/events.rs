//! Stored events: one row per event whatever the messages, tenant rows under
//! row level security, kept for each tenant's retention, with events of any
//! date accepted (those outside the monthly partitions land in the default
//! one) and the application role unable to reach a partition directly.

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::json;
use uuid::Uuid;
use vms_catalog::{
    Scope,
    event::{self, retention, store::EventMessage},
    scope, tenant,
};
use vms_testkit::TestEnv;

fn message(tenant: Uuid, start: DateTime<Utc>, seq: u32, label: &str) -> EventMessage {
    EventMessage {
        id: Uuid::new_v4(),
        tenant_id: tenant,
        site_id: None,
        camera_id: None,
        kind: "object".into(),
        start,
        end: None,
        attributes: json!({"label": label}).as_object().cloned().unwrap(),
        seq,
    }
}

async fn store(db: &sqlx::PgPool, messages: &[EventMessage]) -> event::store::Stored {
    let mut tx = scope::begin(db, Scope::AllTenants).await.unwrap();
    let stored = event::store::store(&mut tx, messages).await.unwrap();
    tx.commit().await.unwrap();
    stored
}

#[tokio::test]
async fn messages_about_one_event_make_one_row_and_the_highest_seq_wins() {
    let db = TestEnv::shared().await.fresh_database().await;
    let mut all = scope::begin(&db.pool, Scope::AllTenants).await.unwrap();
    let t = tenant::create(&mut *all, "t").await.unwrap();
    all.commit().await.unwrap();
    let first = message(t.id, chrono::SubsecRound::trunc_subsecs(Utc::now(), 6), 0, "person");
    let mut second = first.clone();
    second.seq = 2;
    second.end = Some(first.start + TimeDelta::seconds(4));
    second.attributes.insert("label".into(), json!("car"));
    let mut between = first.clone();
    between.seq = 1;

    assert_eq!(store(&db.pool, std::slice::from_ref(&first)).await.inserted, 1);
    let stored = store(&db.pool, &[second.clone(), first.clone()]).await;
    assert_eq!(stored, event::store::Stored { inserted: 0, updated: 1, changed: vec![first.id], conflicts: vec![] });
    // Late and repeated messages change nothing; the latest one seen again
    // is reported, so that the rules see it after a crash.
    let again = store(&db.pool, &[between, first.clone(), second.clone()]).await;
    assert_eq!((again.inserted, again.updated, again.changed), (0, 0, vec![first.id]));
    let late = store(&db.pool, std::slice::from_ref(&first)).await;
    assert_eq!(late, Default::default(), "an overtaken message is not reported");
    // Another tenant's message under a taken id is refused, not stored.
    let mut all = scope::begin(&db.pool, Scope::AllTenants).await.unwrap();
    let other = tenant::create(&mut *all, "other").await.unwrap();
    all.commit().await.unwrap();
    let mut squatter = second.clone();
    squatter.tenant_id = other.id;
    squatter.seq = 9;
    let refused = store(&db.pool, &[squatter]).await;
    assert_eq!((refused.changed.len(), refused.conflicts), (0, vec![first.id]));
    let mut tx = scope::begin(&db.pool, Scope::Tenant(t.id)).await.unwrap();
    let row = event::get(&mut *tx, t.id, first.id).await.unwrap();
    assert_eq!((row.seq, row.end_time, row.attributes["label"].clone()), (2, second.end, json!("car")));
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM events").fetch_one(&mut *tx).await.unwrap();
    assert_eq!(count, 1);
}

#[tokio::test]
async fn events_are_tenant_rows_kept_for_the_tenants_retention() {
    let db = TestEnv::shared().await.fresh_database().await;
    let mut all = scope::begin(&db.pool, Scope::AllTenants).await.unwrap();
    let (short, long) =
        (tenant::create(&mut *all, "short").await.unwrap(), tenant::create(&mut *all, "long").await.unwrap());
    tenant::set_event_retention(&mut *all, short.id, 1).await.unwrap();
    assert!(tenant::set_event_retention(&mut *all, short.id, 0).await.is_err());
    all.commit().await.unwrap();
    let now = Utc::now();
    let (old_short, new_short) = (message(short.id, now - TimeDelta::days(3), 0, "a"), message(short.id, now, 0, "b"));
    let old_long = message(long.id, now - TimeDelta::days(3), 0, "c");
    // Years back: no monthly partition holds it, the default one does.
    let ancient = message(long.id, now - TimeDelta::days(3 * 365), 0, "d");
    store(&db.pool, &[old_short.clone(), new_short.clone(), old_long.clone(), ancient.clone()]).await;
    let in_default: i64 =
        sqlx::query_scalar("SELECT count(*) FROM events_default").fetch_one(&db.owner_pool).await.unwrap();
    assert_eq!(in_default, 1);

    // A tenant's transaction sees its own events only, whatever it asks for.
    let mut tx = scope::begin(&db.pool, Scope::Tenant(short.id)).await.unwrap();
    assert!(event::get(&mut *tx, long.id, old_long.id).await.is_err());
    let mine = event::search::search(&mut *tx, short.id, &Default::default(), None, 100).await.unwrap();
    assert_eq!(mine.len(), 2);
    drop(tx);
    // Partitions are not the application's to read.
    assert!(sqlx::query("SELECT count(*) FROM events_default").fetch_one(&db.pool).await.is_err());

    // Snapshots: a failure never replaces a picture, a picture clears a failure.
    let mut tx = scope::begin(&db.pool, Scope::Tenant(short.id)).await.unwrap();
    let failed = event::snapshot_failed(&mut tx, short.id, new_short.id, "no snapshot: camera offline").await.unwrap();
    assert_eq!(failed.unwrap().snapshot_error.as_deref(), Some("no snapshot: camera offline"));
    let taken = event::snapshot_taken(&mut tx, short.id, old_short.id, "s/a.jpg", now).await.unwrap().unwrap();
    assert_eq!((taken.snapshot.as_deref(), taken.snapshot_error), (Some("s/a.jpg"), None));
    let kept = event::snapshot_failed(&mut tx, short.id, old_short.id, "later failure").await.unwrap().unwrap();
    assert_eq!((kept.snapshot.as_deref(), kept.snapshot_error), (Some("s/a.jpg"), None));
    assert!(event::snapshot_taken(&mut tx, short.id, old_long.id, "x.jpg", now).await.unwrap().is_none());
    tx.commit().await.unwrap();

    let mut gone = Vec::new();
    let done = retention::maintain(&db.pool, &mut |paths| gone.extend(paths)).await.unwrap();
    assert_eq!(done.expired, 2, "the short tenant's old event and the ancient one: {done:?}");
    assert_eq!(gone, ["s/a.jpg"], "the expired event's snapshot is handed back for deletion");
    let left: Vec<Uuid> =
        sqlx::query_scalar("SELECT id FROM events ORDER BY start_time").fetch_all(&db.owner_pool).await.unwrap();
    assert_eq!(left, vec![old_long.id, new_short.id]);
    // Maintenance keeps last month to two ahead, and runs again harmlessly.
    let months: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_inherits WHERE inhparent = 'events'::regclass")
        .fetch_one(&db.owner_pool)
        .await
        .unwrap();
    assert_eq!(months, 5, "default + last month, this month, two ahead");
    assert_eq!(retention::maintain(&db.pool, &mut |_| {}).await.unwrap(), retention::Maintained::default());
}
