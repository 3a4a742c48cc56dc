//! A PostgreSQL server of one test's own, which it may stop and start again
//! (the shared one serves every other test in the process).

use std::time::Duration;

use vms_infra::{PgListen, Postgres, PostgresSpec};

use crate::{APP_PASSWORD, TestDatabase};

/// A private server holding one migrated database, `vms`.
pub struct PrivatePostgres {
    spec: PostgresSpec,
    server: Option<Postgres>,
    _dir: tempfile::TempDir,
}

impl PrivatePostgres {
    /// Starts the server and creates the migrated `vms` database, with the
    /// application and audit roles able to log in.
    pub async fn start() -> (Self, TestDatabase) {
        // PostgreSQL may run as another user (root cannot run it): the directory must be reachable.
        let dir = tempfile::Builder::new().prefix("vms-private-pg-").tempdir_in("/tmp").expect("a temporary directory");
        std::fs::set_permissions(dir.path(), std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .expect("permissions on the temporary directory");
        let spec = PostgresSpec {
            data_dir: dir.path().join("pg"),
            listen: PgListen::UnixSocket { dir: dir.path().join("sock") },
            password: None,
            log: dir.path().join("pg.log"),
            unsafe_no_fsync: true,
        };
        let server = Postgres::start(&spec).await.expect("a private PostgreSQL should start");
        server.ensure_database("vms").await.expect("the database should be created");
        let owner_url = server.url("vms");
        let owner_pool = vms_catalog::connect(&owner_url, 4, Duration::from_secs(2)).await.expect("owner pool");
        vms_catalog::migrate(&owner_pool).await.expect("migrations should apply");
        for role in [vms_catalog::APP_ROLE, vms_catalog::AUDIT_ROLE] {
            vms_catalog::enable_login(&owner_pool, role, APP_PASSWORD).await.expect("roles should log in");
        }
        let with_user = |role: &str| {
            vms_infra::postgres::url_with_user(&owner_url, role, APP_PASSWORD).expect("test URLs take a user")
        };
        let (url, audit_url) = (with_user(vms_catalog::APP_ROLE), with_user(vms_catalog::AUDIT_ROLE));
        let pool = vms_catalog::connect(&url, 8, Duration::from_secs(2)).await.expect("application pool");
        let db = TestDatabase { url, pool, owner_url, owner_pool, audit_url, name: "vms".into() };
        (Self { spec, server: Some(server), _dir: dir }, db)
    }

    /// Stops the server (its data stays).
    pub async fn stop(&mut self) {
        if let Some(server) = self.server.take() {
            server.stop(Duration::from_secs(10)).await;
        }
    }

    /// Starts it again after [`stop`](Self::stop).
    pub async fn restart(&mut self) {
        if self.server.is_none() {
            self.server = Some(Postgres::start(&self.spec).await.expect("the private PostgreSQL should restart"));
        }
    }
}
