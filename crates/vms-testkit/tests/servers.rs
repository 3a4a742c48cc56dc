//! The harness starts real servers and isolates tests from each other.

use vms_testkit::TestEnv;

#[tokio::test]
async fn fresh_databases_are_migrated_and_isolated() {
    let env = TestEnv::shared().await;
    let a = env.fresh_database().await;
    let b = env.fresh_database().await;
    assert_ne!(a.name, b.name);
    vms_catalog::ensure_migrated(&a.pool).await.expect("template carries every migration");
    sqlx::query("INSERT INTO tenants (id, name) VALUES (gen_random_uuid(), 'only-in-a')")
        .execute(&a.owner_pool)
        .await
        .unwrap();
    let in_b: i64 = sqlx::query_scalar("SELECT count(*) FROM tenants").fetch_one(&b.owner_pool).await.unwrap();
    assert_eq!(in_b, 0);
}

#[tokio::test]
async fn redis_and_nats_answer() {
    let env = TestEnv::shared().await;
    let hot = vms_bus::hot::HotState::new(env.redis_url(), env.unique_prefix()).unwrap();
    hot.ping().await.expect("redis answers");
    let client = vms_bus::nats::connect(env.nats_url(), "testkit").await.unwrap();
    let subject = format!("{}.hello", env.unique_prefix());
    let mut sub = client.subscribe(subject.clone()).await.unwrap();
    client.publish(subject, "hi".into()).await.unwrap();
    let msg = tokio::time::timeout(std::time::Duration::from_secs(5), futures::StreamExt::next(&mut sub))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(&msg.payload[..], b"hi");
}
