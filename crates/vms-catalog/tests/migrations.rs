//! Schema v1 applies to an empty database and keeps tenants apart.

use vms_catalog::{
    Scope,
    camera::{self, CredentialsChange, NewCamera, StreamRole, StreamSpec, Transport},
    credentials::{CredentialKey, Credentials},
    scope,
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

/// Audit entries are left out: some concern no tenant (a failed login under an
/// unknown name), and their reads are covered by a policy of their own.
#[tokio::test]
async fn every_tenant_owned_table_carries_a_tenant_id() {
    // Not tenant-owned: the tenants themselves, the migrations, the audit
    // trail (every tenant's, chained) and the installation's alert rules
    // (only super-admins change them; they watch every tenant's cameras).
    let db = TestEnv::shared().await.fresh_database().await;
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' \
         AND table_name NOT IN ('tenants', '_sqlx_migrations', 'alert_rules') \
         AND table_name NOT LIKE 'audit\\_%' ORDER BY 1",
    )
    .fetch_all(&db.owner_pool)
    .await
    .unwrap();
    assert!(tables.len() >= 6, "{tables:?}");
    for table in tables {
        let nullable: Option<String> = sqlx::query_scalar(
            "SELECT is_nullable::text FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name = $1 AND column_name = 'tenant_id'",
        )
        .bind(&table)
        .fetch_optional(&db.owner_pool)
        .await
        .unwrap();
        // Built-in roles are shared by every tenant, so only roles may leave it empty.
        let expected = if table == "roles" { "YES" } else { "NO" };
        assert_eq!(nullable.as_deref(), Some(expected), "table {table}");
    }
}

fn new_site(name: &str) -> NewSite {
    NewSite { name: name.into(), description: String::new(), timezone: "UTC".into() }
}

fn new_camera(site: uuid::Uuid, password: &str) -> NewCamera {
    NewCamera {
        site_id: site,
        name: "cam".into(),
        description: String::new(),
        enabled: true,
        streams: vec![StreamSpec {
            role: StreamRole::Main,
            url: "rtsp://cam/".into(),
            transport: Transport::Tcp,
            credentials: CredentialsChange::Set(Credentials { username: "operator".into(), password: password.into() }),
        }],
    }
}

#[tokio::test]
async fn a_camera_cannot_point_into_another_tenants_site() {
    let db = TestEnv::shared().await.fresh_database().await;
    let key = CredentialKey::from_bytes(&[1; 32]).unwrap();
    let mut all = scope::begin(&db.pool, Scope::AllTenants).await.unwrap();
    let a = tenant::create(&mut *all, "a").await.unwrap();
    let b = tenant::create(&mut *all, "b").await.unwrap();
    all.commit().await.unwrap();

    let mut in_b = scope::begin(&db.pool, Scope::Tenant(b.id)).await.unwrap();
    let site_of_b = site::create(&mut *in_b, b.id, &new_site("B HQ")).await.unwrap();
    in_b.commit().await.unwrap();

    // Even naming tenant b's ids while acting as tenant a, nothing of b is reachable.
    let mut in_a = scope::begin(&db.pool, Scope::Tenant(a.id)).await.unwrap();
    assert!(site::get(&mut *in_a, b.id, site_of_b.id).await.is_err(), "tenant a must not see b's site");
    let err = camera::create(&mut in_a, &key, a.id, &new_camera(site_of_b.id, "x")).await.unwrap_err();
    assert_eq!(err.to_string(), "site_id: no such site");
    drop(in_a);
    let mut in_a = scope::begin(&db.pool, Scope::Tenant(a.id)).await.unwrap();
    let err = camera::create(&mut in_a, &key, b.id, &new_camera(site_of_b.id, "x")).await.unwrap_err();
    assert!(err.to_string().contains("database error"), "row level security refuses rows of another tenant: {err}");
    drop(in_a);

    let mut in_b = scope::begin(&db.pool, Scope::Tenant(b.id)).await.unwrap();
    let created = camera::create(&mut in_b, &key, b.id, &new_camera(site_of_b.id, "x")).await.unwrap();
    in_b.commit().await.unwrap();
    let mut in_a = scope::begin(&db.pool, Scope::Tenant(a.id)).await.unwrap();
    assert!(camera::list(&mut in_a, a.id, None).await.unwrap().is_empty());
    let mut in_b = scope::begin(&db.pool, Scope::Tenant(b.id)).await.unwrap();
    assert_eq!(camera::list(&mut in_b, b.id, None).await.unwrap()[0].id, created.id);
}

#[tokio::test]
async fn row_level_security_hides_every_row_without_a_tenant_setting() {
    let db = TestEnv::shared().await.fresh_database().await;
    let key = CredentialKey::from_bytes(&[2; 32]).unwrap();
    let mut all = scope::begin(&db.pool, Scope::AllTenants).await.unwrap();
    let t = tenant::create(&mut *all, "t").await.unwrap();
    all.commit().await.unwrap();
    let mut tx = scope::begin(&db.pool, Scope::Tenant(t.id)).await.unwrap();
    let s = site::create(&mut *tx, t.id, &new_site("HQ")).await.unwrap();
    camera::create(&mut tx, &key, t.id, &new_camera(s.id, "pw")).await.unwrap();
    tx.commit().await.unwrap();

    vms_catalog::ensure_rls_enforced(&db.pool).await.expect("the test pool uses the application role");
    for table in ["tenants", "sites", "cameras", "streams"] {
        let plain: i64 =
            sqlx::query_scalar(&format!("SELECT count(*) FROM {table}")).fetch_one(&db.pool).await.unwrap();
        assert_eq!(plain, 0, "{table}: a query without the tenant setting sees no rows");
        let owner: i64 =
            sqlx::query_scalar(&format!("SELECT count(*) FROM {table}")).fetch_one(&db.owner_pool).await.unwrap();
        assert!(owner >= 1, "{table}: the rows exist");
    }
    let other = sqlx::query("INSERT INTO sites (id, tenant_id, name) VALUES (gen_random_uuid(), $1, 'sneaky')")
        .bind(t.id)
        .execute(&db.pool)
        .await;
    assert!(other.is_err(), "writes without the tenant setting are refused");
    assert!(vms_catalog::ensure_rls_enforced(&db.owner_pool).await.is_err(), "a superuser is refused");
}

#[tokio::test]
async fn credentials_are_sealed_in_the_database() {
    let db = TestEnv::shared().await.fresh_database().await;
    let key = CredentialKey::from_bytes(&[9; 32]).unwrap();
    let mut all = scope::begin(&db.pool, Scope::AllTenants).await.unwrap();
    let t = tenant::create(&mut *all, "t").await.unwrap();
    all.commit().await.unwrap();
    let mut tx = scope::begin(&db.pool, Scope::Tenant(t.id)).await.unwrap();
    let s = site::create(&mut *tx, t.id, &new_site("s")).await.unwrap();
    let cam = camera::create(&mut tx, &key, t.id, &new_camera(s.id, "hunter2-very-secret")).await.unwrap();
    tx.commit().await.unwrap();
    let stream = &cam.streams[0];
    let blob: Vec<u8> = sqlx::query_scalar("SELECT credentials FROM streams WHERE id = $1")
        .bind(stream.id)
        .fetch_one(&db.owner_pool)
        .await
        .unwrap();
    assert!(!blob.windows(6).any(|w| w == b"hunter"), "plaintext password at rest");
    let opened = key.open(&blob, stream.id.as_bytes()).unwrap();
    assert_eq!(opened.password, "hunter2-very-secret");
}
