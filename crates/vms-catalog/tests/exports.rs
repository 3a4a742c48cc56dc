//! Export jobs are tenant rows like any other: row level security hides
//! them from another tenant's transaction even when it names their tenant.

use chrono::Utc;
use uuid::Uuid;
use vms_catalog::{Scope, export, scope, tenant};
use vms_testkit::TestEnv;

#[tokio::test]
async fn another_tenant_cannot_see_or_change_an_export() {
    let db = TestEnv::shared().await.fresh_database().await;
    let mut all = scope::begin(&db.pool, Scope::AllTenants).await.unwrap();
    let (ours, theirs) =
        (tenant::create(&mut *all, "ours").await.unwrap(), tenant::create(&mut *all, "theirs").await.unwrap());
    all.commit().await.unwrap();
    let job = export::NewExport {
        id: Uuid::new_v4(),
        tenant_id: ours.id,
        camera_id: Uuid::new_v4(),
        user_id: Uuid::new_v4(),
        node_id: "local".into(),
        stream: "main".into(),
        start_time: Utc::now(),
        end_time: Utc::now(),
    };
    let mut tx = scope::begin(&db.pool, Scope::Tenant(ours.id)).await.unwrap();
    export::insert(&mut *tx, &job).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = scope::begin(&db.pool, Scope::Tenant(theirs.id)).await.unwrap();
    assert_eq!(export::get(&mut *tx, ours.id, job.id).await.unwrap(), None, "naming the tenant does not help");
    assert!(!export::delete(&mut *tx, job.id).await.unwrap());
    let sneaky = export::insert(&mut *tx, &export::NewExport { id: Uuid::new_v4(), ..job.clone() }).await;
    assert!(sneaky.is_err(), "rows of another tenant cannot be written");
    drop(tx);

    let mut tx = scope::begin(&db.pool, Scope::Tenant(ours.id)).await.unwrap();
    let row = export::get(&mut *tx, ours.id, job.id).await.unwrap().expect("its tenant sees it");
    assert_eq!(row.status, "running");
}
