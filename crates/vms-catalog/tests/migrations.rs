//! Schema v1 applies to an empty database and keeps tenants apart.

use vms_catalog::{
    camera::{self, CredentialsChange, NewCamera, StreamRole, StreamSpec, Transport},
    credentials::{CredentialKey, Credentials},
    site::{self, NewSite},
    tenant,
};
use vms_testkit::TestEnv;

#[tokio::test]
async fn migrations_apply_to_a_fresh_database_once() {
    let db = TestEnv::shared().await.empty_database().await;
    let err = vms_catalog::ensure_migrated(&db.pool).await.unwrap_err();
    assert!(err.to_string().contains("vms migrate"), "{err}");

    vms_catalog::migrate(&db.pool).await.unwrap();
    vms_catalog::ensure_migrated(&db.pool).await.unwrap();
    vms_catalog::migrate(&db.pool).await.expect("re-running migrations is a no-op");

    let roles: Vec<String> =
        sqlx::query_scalar("SELECT name FROM roles WHERE built_in ORDER BY name").fetch_all(&db.pool).await.unwrap();
    assert_eq!(roles, ["admin", "auditor", "operator", "viewer"]);
}

#[tokio::test]
async fn every_tenant_owned_table_carries_a_tenant_id() {
    let db = TestEnv::shared().await.fresh_database().await;
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' \
         AND table_name NOT IN ('tenants', '_sqlx_migrations') ORDER BY 1",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert!(tables.len() >= 6, "{tables:?}");
    for table in tables {
        let nullable: Option<String> = sqlx::query_scalar(
            "SELECT is_nullable::text FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name = $1 AND column_name = 'tenant_id'",
        )
        .bind(&table)
        .fetch_optional(&db.pool)
        .await
        .unwrap();
        // Built-in roles are shared by every tenant, so only roles may leave it empty.
        let expected = if table == "roles" { "YES" } else { "NO" };
        assert_eq!(nullable.as_deref(), Some(expected), "table {table}");
    }
}

#[tokio::test]
async fn a_camera_cannot_point_into_another_tenants_site() {
    let db = TestEnv::shared().await.fresh_database().await;
    let key = CredentialKey::from_bytes(&[1; 32]).unwrap();
    let a = tenant::create(&db.pool, "a").await.unwrap();
    let b = tenant::create(&db.pool, "b").await.unwrap();
    let site_of_b = site::create(
        &db.pool,
        b.id,
        &NewSite { name: "B HQ".into(), description: String::new(), timezone: "UTC".into() },
    )
    .await
    .unwrap();
    let new = NewCamera {
        site_id: site_of_b.id,
        name: "sneaky".into(),
        description: String::new(),
        enabled: true,
        streams: vec![StreamSpec {
            role: StreamRole::Main,
            url: "rtsp://cam/".into(),
            transport: Transport::Tcp,
            credentials: CredentialsChange::Set(Credentials { username: "u".into(), password: "p".into() }),
        }],
    };
    let err = camera::create(&db.pool, &key, a.id, &new).await.unwrap_err();
    assert_eq!(err.to_string(), "site_id: no such site");
    assert!(site::get(&db.pool, a.id, site_of_b.id).await.is_err(), "tenant a must not see b's site");
    let created = camera::create(&db.pool, &key, b.id, &new).await.unwrap();
    assert!(camera::list(&db.pool, a.id, None).await.unwrap().is_empty());
    assert_eq!(camera::list(&db.pool, b.id, None).await.unwrap()[0].id, created.id);
}

#[tokio::test]
async fn credentials_are_sealed_in_the_database() {
    let db = TestEnv::shared().await.fresh_database().await;
    let key = CredentialKey::from_bytes(&[9; 32]).unwrap();
    let t = tenant::create(&db.pool, "t").await.unwrap();
    let s =
        site::create(&db.pool, t.id, &NewSite { name: "s".into(), description: String::new(), timezone: "UTC".into() })
            .await
            .unwrap();
    let cam = camera::create(
        &db.pool,
        &key,
        t.id,
        &NewCamera {
            site_id: s.id,
            name: "c".into(),
            description: String::new(),
            enabled: true,
            streams: vec![StreamSpec {
                role: StreamRole::Main,
                url: "rtsp://cam/".into(),
                transport: Transport::Tcp,
                credentials: CredentialsChange::Set(Credentials {
                    username: "operator".into(),
                    password: "hunter2-very-secret".into(),
                }),
            }],
        },
    )
    .await
    .unwrap();
    let stream = &cam.streams[0];
    let blob: Vec<u8> = sqlx::query_scalar("SELECT credentials FROM streams WHERE id = $1")
        .bind(stream.id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert!(!blob.windows(6).any(|w| w == b"hunter"), "plaintext password at rest");
    let opened = key.open(&blob, stream.id.as_bytes()).unwrap();
    assert_eq!(opened.password, "hunter2-very-secret");
}
