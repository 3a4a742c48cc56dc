//! With control down, media and recorder keep working from their cached
//! assignments, survive a restart on the cache alone, and pick up changes made
//! meanwhile once control returns.

mod common;

use std::{net::SocketAddr, sync::Arc, time::Duration};

use common::wait_until;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use vms_catalog::{
    Scope,
    camera::{self, CredentialsChange, NewCamera, StreamRole, StreamSpec, Transport},
    credentials::{CredentialKey, Credentials},
    scope,
    site::{self, NewSite},
};
use vms_config::Config;
use vms_plane::PlaneDeps;
use vms_proto::v1::{PlaneStatus, StatusRequest, plane_client::PlaneClient};
use vms_testkit::{TestEnv, free_port};

fn addr(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

async fn status(addr: SocketAddr) -> Option<PlaneStatus> {
    let mut client = PlaneClient::connect(format!("http://{addr}")).await.ok()?;
    Some(client.get_status(StatusRequest {}).await.ok()?.into_inner())
}

async fn wait_for(addr: SocketAddr, what: &str, check: impl Fn(&PlaneStatus) -> bool) -> PlaneStatus {
    wait_until(what, Duration::from_secs(20), || async { status(addr).await.filter(|s| check(s)) }).await
}

fn new_camera(site: uuid::Uuid, name: &str) -> NewCamera {
    let stream = |role, path: &str| StreamSpec {
        role,
        url: format!("rtsp://192.0.2.10/{path}"),
        transport: Transport::Tcp,
        credentials: CredentialsChange::Set(Credentials { username: "u".into(), password: "p".into() }),
    };
    NewCamera {
        site_id: site,
        name: name.into(),
        description: String::new(),
        enabled: true,
        streams: vec![stream(StreamRole::Main, "main"), stream(StreamRole::Sub, "sub")],
    }
}

struct Running {
    token: CancellationToken,
    task: JoinHandle<anyhow::Result<()>>,
}

impl Running {
    async fn stop(self) {
        self.token.cancel();
        tokio::time::timeout(Duration::from_secs(15), self.task)
            .await
            .expect("service should stop in time")
            .unwrap()
            .expect("service should stop cleanly");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn planes_work_from_cached_assignments_while_control_is_down() {
    let env = TestEnv::shared().await;
    let db = env.fresh_database().await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config { data_dir: dir.path().to_owned(), ..Config::default() };
    config.control.listen = addr(free_port());
    config.control.grpc_listen = addr(free_port());
    config.media.grpc_listen = addr(free_port());
    config.media.status_interval_secs = 1;
    config.recorder.grpc_listen = addr(free_port());
    config.recorder.status_interval_secs = 1;
    let config = Arc::new(config);
    let prefix = env.unique_prefix();

    let mut tx = scope::begin(&db.pool, Scope::AllTenants).await.unwrap();
    let tenant = vms_catalog::tenant::create(&mut *tx, "default").await.unwrap();
    let key = CredentialKey::load_or_create(&config.secrets_dir()).unwrap();
    let hq_site = NewSite { name: "HQ".into(), description: String::new(), timezone: "UTC".into() };
    let hq = site::create(&mut *tx, tenant.id, &hq_site).await.unwrap();
    camera::create(&mut tx, &key, tenant.id, &new_camera(hq.id, "gate")).await.unwrap();
    tx.commit().await.unwrap();

    let audit_db = sqlx::PgPool::connect(&db.audit_url).await.unwrap();
    let start_control = || {
        let token = CancellationToken::new();
        let deps = vms_control::ControlDeps {
            db: db.pool.clone(),
            audit_db: audit_db.clone(),
            nats_url: env.nats_url().to_owned(),
            redis_url: env.redis_url().to_owned(),
            bus_prefix: prefix.clone(),
        };
        Running { task: tokio::spawn(vms_control::serve(config.clone(), deps, token.clone())), token }
    };
    let plane_deps = || PlaneDeps {
        nats_url: env.nats_url().to_owned(),
        redis_url: env.redis_url().to_owned(),
        bus_prefix: prefix.clone(),
    };
    let start_media = || {
        let token = CancellationToken::new();
        Running { task: tokio::spawn(vms_media::serve(config.clone(), plane_deps(), token.clone())), token }
    };
    let start_recorder = || {
        let token = CancellationToken::new();
        Running { task: tokio::spawn(vms_recorder::serve(config.clone(), plane_deps(), token.clone())), token }
    };

    let control = start_control();
    let media = start_media();
    let recorder = start_recorder();
    let media_addr = config.media.grpc_listen;
    let recorder_addr = config.recorder.grpc_listen;
    wait_for(media_addr, "media to get both streams", |s| s.assigned_streams == 2 && s.control_connected).await;
    wait_for(recorder_addr, "recorder to get the main stream", |s| s.assigned_streams == 1).await;

    control.stop().await;
    let seen = wait_for(media_addr, "media to notice control is gone", |s| !s.control_connected).await;
    assert_eq!(seen.assigned_streams, 2, "media keeps its streams while control is down");
    let seen = wait_for(recorder_addr, "recorder to notice control is gone", |s| !s.control_connected).await;
    assert_eq!(seen.assigned_streams, 1);

    // A plane restarted while control is down starts from its cache.
    media.stop().await;
    let media = start_media();
    let seen = wait_for(media_addr, "restarted media", |_| true).await;
    assert_eq!(seen.assigned_streams, 2, "restarted media works from the cached set");
    assert!(!seen.control_connected);

    // Changed while control is down; applied once it returns.
    let mut tx = scope::begin(&db.pool, Scope::Tenant(tenant.id)).await.unwrap();
    camera::create(&mut tx, &key, tenant.id, &new_camera(hq.id, "yard")).await.unwrap();
    tx.commit().await.unwrap();
    let control = start_control();
    wait_for(media_addr, "media to pick up the new camera", |s| s.assigned_streams == 4 && s.control_connected).await;
    wait_for(recorder_addr, "recorder to pick up the new camera", |s| s.assigned_streams == 2).await;

    let cache = std::fs::read_to_string(dir.path().join("state/media-local-assignments.json")).unwrap();
    assert!(cache.contains("yard") && !cache.contains("\"p\""), "cache holds the set, credentials sealed");

    media.stop().await;
    recorder.stop().await;
    control.stop().await;
}
