//! With control down, media and recorder keep working from their cached
//! assignments, survive a restart on the cache alone, and pick up changes made
//! meanwhile once control returns.

mod common;

use std::{net::SocketAddr, time::Duration};

use common::{stack::sandbox, wait_until};
use vms_catalog::{
    Scope,
    camera::{self, CredentialsChange, NewCamera, StreamRole, StreamSpec, Transport},
    credentials::Credentials,
    scope,
};
use vms_proto::{
    auth::InternalSecret,
    v1::{PlaneStatus, StatusRequest, plane_client::PlaneClient},
};

async fn status(addr: SocketAddr, secret: &InternalSecret) -> Option<PlaneStatus> {
    let channel = tonic::transport::Endpoint::from_shared(format!("http://{addr}")).ok()?.connect().await.ok()?;
    let mut client = PlaneClient::with_interceptor(channel, secret.client());
    Some(client.get_status(StatusRequest {}).await.ok()?.into_inner())
}

async fn wait_for(
    secret: &InternalSecret,
    addr: SocketAddr,
    what: &str,
    check: impl Fn(&PlaneStatus) -> bool,
) -> PlaneStatus {
    wait_until(what, Duration::from_secs(20), || async { status(addr, secret).await.filter(|s| check(s)) }).await
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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn planes_work_from_cached_assignments_while_control_is_down() {
    let stack = sandbox(|config| {
        config.media.status_interval_secs = 1;
        config.recorder.status_interval_secs = 1;
    })
    .await;
    let mut tx = scope::begin(&stack.db.pool, Scope::AllTenants).await.unwrap();
    camera::create(&mut tx, &stack.key, stack.tenant, &new_camera(stack.site, "gate")).await.unwrap();
    tx.commit().await.unwrap();

    let control = stack.start_control().await;
    let media = stack.start_media();
    let recorder = stack.start_recorder();
    let media_addr = stack.config.media.grpc_listen;
    let recorder_addr = stack.config.recorder.grpc_listen;
    let secret = InternalSecret::load_or_create(&stack.config.secrets_dir()).unwrap();
    wait_for(&secret, media_addr, "media to get both streams", |s| s.assigned_streams == 2 && s.control_connected)
        .await;
    wait_for(&secret, recorder_addr, "recorder to get the main stream", |s| s.assigned_streams == 1).await;

    control.stop().await;
    let seen = wait_for(&secret, media_addr, "media to notice control is gone", |s| !s.control_connected).await;
    assert_eq!(seen.assigned_streams, 2, "media keeps its streams while control is down");
    let seen = wait_for(&secret, recorder_addr, "recorder to notice control is gone", |s| !s.control_connected).await;
    assert_eq!(seen.assigned_streams, 1);

    // A plane restarted while control is down starts from its cache.
    media.stop().await;
    let media = stack.start_media();
    let seen = wait_for(&secret, media_addr, "restarted media", |_| true).await;
    assert_eq!(seen.assigned_streams, 2, "restarted media works from the cached set");
    assert!(!seen.control_connected);

    // Changed while control is down; applied once it returns.
    let mut tx = scope::begin(&stack.db.pool, Scope::Tenant(stack.tenant)).await.unwrap();
    camera::create(&mut tx, &stack.key, stack.tenant, &new_camera(stack.site, "yard")).await.unwrap();
    tx.commit().await.unwrap();
    let control = stack.start_control().await;
    wait_for(&secret, media_addr, "media to pick up the new camera", |s| {
        s.assigned_streams == 4 && s.control_connected
    })
    .await;
    wait_for(&secret, recorder_addr, "recorder to pick up the new camera", |s| s.assigned_streams == 2).await;

    let cache = std::fs::read_to_string(stack.config.state_dir().join("media-local-assignments.json")).unwrap();
    assert!(cache.contains("yard") && !cache.contains("\"p\""), "cache holds the set, credentials sealed");

    media.stop().await;
    recorder.stop().await;
    control.stop().await;
}
