//! A PostgreSQL server of a test's own, which it may stop and start again
//! (the shared one serves the other tests), with control's application
//! built on it.

use std::{sync::Arc, time::Duration};

use vms_config::Config;
use vms_control::{AppState, ControlDeps};
use vms_infra::{PgListen, Postgres, PostgresSpec};
use vms_testkit::TestEnv;

/// The private server's settings, under `dir`; the same each start.
pub fn spec(dir: &std::path::Path) -> PostgresSpec {
    PostgresSpec {
        data_dir: dir.join("pg"),
        listen: PgListen::UnixSocket { dir: dir.join("sock") },
        password: None,
        log: dir.join("pg.log"),
        unsafe_no_fsync: true,
    }
}

/// A private server and the API on it.
pub struct PrivateApi {
    pub pg: Option<Postgres>,
    pub api: super::Api,
    pub dir: tempfile::TempDir,
}

impl PrivateApi {
    /// Starts a migrated server with the admin user, and control's application on it.
    pub async fn start() -> Self {
        let env = TestEnv::shared().await;
        let dir = tempfile::Builder::new().prefix("vms-privpg-").tempdir_in("/tmp").unwrap();
        std::fs::set_permissions(dir.path(), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        let pg = Postgres::start(&spec(dir.path())).await.unwrap();
        pg.ensure_database("vms").await.unwrap();
        let owner = vms_catalog::connect(&pg.url("vms"), 2, Duration::from_secs(2)).await.unwrap();
        vms_catalog::migrate(&owner).await.unwrap();
        vms_catalog::enable_login(&owner, vms_catalog::APP_ROLE, vms_testkit::APP_PASSWORD).await.unwrap();
        vms_catalog::enable_login(&owner, vms_catalog::AUDIT_ROLE, vms_testkit::APP_PASSWORD).await.unwrap();
        vms_catalog::bootstrap::ensure_admin(&owner, Some(super::ADMIN_PASSWORD)).await.unwrap();
        let user_url = |user: &str| vms_infra::postgres::url_with_user(&pg.url("vms"), user, vms_testkit::APP_PASSWORD);
        let (url, audit_url) = (user_url("vms_app").unwrap(), user_url("vms_audit").unwrap());
        let pool = vms_catalog::connect(&url, 4, Duration::from_secs(2)).await.unwrap();

        let state_dir = tempfile::tempdir().unwrap();
        let config = Config { data_dir: state_dir.path().to_owned(), ..Config::default() };
        let deps = ControlDeps {
            db: pool.clone(),
            audit_db: vms_catalog::connect(&audit_url, 2, Duration::from_secs(2)).await.unwrap(),
            nats_url: env.nats_url().to_owned(),
            redis_url: env.redis_url().to_owned(),
            bus_prefix: env.unique_prefix(),
            metrics: Default::default(),
        };
        let state = AppState::new(Arc::new(config), deps).await.unwrap();
        let db = vms_testkit::TestDatabase {
            url,
            pool,
            owner_url: pg.url("vms"),
            owner_pool: owner,
            audit_url,
            name: "vms".into(),
        };
        let mut api = super::Api::new(state, db, state_dir);
        api.token = api.login("admin", super::ADMIN_PASSWORD).await;
        Self { pg: Some(pg), api, dir }
    }

    /// Stops the server (fast shutdown).
    pub async fn stop_database(&mut self) {
        if let Some(pg) = self.pg.take() {
            pg.stop(Duration::from_secs(10)).await;
        }
    }

    /// Starts the server again on the same data.
    pub async fn start_database(&mut self) {
        self.pg = Some(Postgres::start(&spec(self.dir.path())).await.unwrap());
    }
}
