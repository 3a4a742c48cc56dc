//! When PostgreSQL goes away, the API answers 503 naming the database instead
//! of hanging or failing obscurely, and recovers on its own when it returns.

mod common;

use std::{sync::Arc, time::Duration};

use axum::http::{Method, StatusCode};
use serde_json::Value;
use vms_config::Config;
use vms_control::{AppState, ControlDeps};
use vms_infra::{PgListen, Postgres, PostgresSpec};
use vms_testkit::TestEnv;

fn spec(dir: &std::path::Path) -> PostgresSpec {
    PostgresSpec {
        data_dir: dir.join("pg"),
        listen: PgListen::UnixSocket { dir: dir.join("sock") },
        password: None,
        log: dir.join("pg.log"),
        unsafe_no_fsync: true,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_reports_an_unavailable_database_and_recovers() {
    let env = TestEnv::shared().await;
    // A private server this test may stop; the shared one serves other tests.
    let dir = tempfile::Builder::new().prefix("vms-dbdown-").tempdir_in("/tmp").unwrap();
    std::fs::set_permissions(dir.path(), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let pg = Postgres::start(&spec(dir.path())).await.unwrap();
    pg.ensure_database("vms").await.unwrap();
    let owner = vms_catalog::connect(&pg.url("vms"), 2, Duration::from_secs(2)).await.unwrap();
    vms_catalog::migrate(&owner).await.unwrap();
    vms_catalog::enable_login(&owner, vms_catalog::APP_ROLE, vms_testkit::APP_PASSWORD).await.unwrap();
    vms_catalog::enable_login(&owner, vms_catalog::AUDIT_ROLE, vms_testkit::APP_PASSWORD).await.unwrap();
    vms_catalog::bootstrap::ensure_admin(&owner, Some(common::ADMIN_PASSWORD)).await.unwrap();
    let url = vms_infra::postgres::url_with_user(&pg.url("vms"), "vms_app", vms_testkit::APP_PASSWORD).unwrap();
    let pool = vms_catalog::connect(&url, 4, Duration::from_secs(2)).await.unwrap();

    let state_dir = tempfile::tempdir().unwrap();
    let config = Config { data_dir: state_dir.path().to_owned(), ..Config::default() };
    let audit_url = vms_infra::postgres::url_with_user(&pg.url("vms"), "vms_audit", vms_testkit::APP_PASSWORD).unwrap();
    let deps = ControlDeps {
        db: pool.clone(),
        audit_db: vms_catalog::connect(&audit_url, 2, Duration::from_secs(2)).await.unwrap(),
        nats_url: env.nats_url().to_owned(),
        redis_url: env.redis_url().to_owned(),
        bus_prefix: env.unique_prefix(),
    };
    let state = AppState::new(Arc::new(config), deps).await.unwrap();
    let db = vms_testkit::TestDatabase {
        url: url.clone(),
        pool: pool.clone(),
        owner_url: pg.url("vms"),
        owner_pool: owner.clone(),
        audit_url: audit_url.clone(),
        name: "vms".into(),
    };
    let api = common::Api::new(state, db, state_dir);
    let token = api.login("admin", common::ADMIN_PASSWORD).await;
    let site_body = r#"{"name": "HQ"}"#;
    let (status, _) = api.raw(Method::POST, "/api/sites", Some(&token), Some(site_body)).await;
    assert_eq!(status, StatusCode::CREATED);

    pg.stop(Duration::from_secs(10)).await;

    let started = std::time::Instant::now();
    let (status, text) = api.raw(Method::GET, "/api/sites", Some(&token), None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["code"], "unavailable");
    assert_eq!(body["message"], "database unavailable");
    assert!(started.elapsed() < Duration::from_secs(8), "answer came only after {:?}", started.elapsed());
    let (status, text) = api.raw(Method::GET, "/health/ready", None, None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let ready: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(ready["components"]["database"]["ready"], false, "{text}");
    assert!(ready["message"].as_str().unwrap().contains("database"), "{text}");

    // Back again: the same pool reconnects and nothing written before is lost.
    let _pg = Postgres::start(&spec(dir.path())).await.unwrap();
    let (status, text) = api.raw(Method::GET, "/api/sites", Some(&token), None).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(text.contains("\"HQ\""), "{text}");
}
