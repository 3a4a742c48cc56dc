//! The internal gRPC services (control's `Assignments` and `StreamAccess`,
//! the planes' `Plane`, `Media`, `Recorder`) answer only callers that present
//! the installation's internal secret: a local user who can reach the ports
//! cannot take another tenant's snapshot or check passwords.

mod common;

use std::{net::SocketAddr, time::Duration};

use common::{stack::sandbox, wait_until};
use tonic::{Code, transport::Channel};
use vms_proto::{
    auth::InternalSecret,
    v1::{
        CredentialsRequest, SnapshotRequest, StatusRequest, media_client::MediaClient, plane_client::PlaneClient,
        stream_access_client::StreamAccessClient,
    },
};

async fn channel(addr: SocketAddr) -> Channel {
    wait_until("the gRPC port", Duration::from_secs(20), || async {
        tonic::transport::Endpoint::from_shared(format!("http://{addr}")).unwrap().connect().await.ok()
    })
    .await
}

fn credentials() -> CredentialsRequest {
    CredentialsRequest {
        username: "nobody".into(),
        password: "Wrong-pass-123".into(),
        camera_id: uuid::Uuid::new_v4().to_string(),
        stream: "main".into(),
        purpose: "live".into(),
        client_addr: "127.0.0.1".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn internal_services_refuse_callers_without_the_secret() {
    let stack = sandbox(|_| {}).await;
    let control = stack.start_control().await;
    let media = stack.start_media();
    let secret = InternalSecret::load_or_create(&stack.config.secrets_dir()).unwrap();
    let wrong = InternalSecret::from_bytes(&[0x5a; 32]);

    let control_channel = channel(stack.config.control.grpc_listen).await;
    let refused = StreamAccessClient::new(control_channel.clone()).check_credentials(credentials()).await;
    assert_eq!(refused.err().map(|s| s.code()), Some(Code::Unauthenticated), "control without a secret");
    let refused = StreamAccessClient::with_interceptor(control_channel.clone(), wrong.client())
        .check_credentials(credentials())
        .await;
    assert_eq!(refused.err().map(|s| s.code()), Some(Code::Unauthenticated), "control with a wrong secret");
    let answered = StreamAccessClient::with_interceptor(control_channel, secret.client())
        .check_credentials(credentials())
        .await
        .expect("control answers its planes");
    assert!(!answered.into_inner().allowed);

    let media_channel = channel(stack.config.media.grpc_listen).await;
    let snapshot = SnapshotRequest { camera_id: uuid::Uuid::new_v4().to_string(), stream: "main".into() };
    let refused = MediaClient::new(media_channel.clone()).capture_snapshot(snapshot.clone()).await;
    assert_eq!(refused.err().map(|s| s.code()), Some(Code::Unauthenticated), "media without a secret");
    let refused =
        PlaneClient::with_interceptor(media_channel.clone(), wrong.client()).get_status(StatusRequest {}).await;
    assert_eq!(refused.err().map(|s| s.code()), Some(Code::Unauthenticated), "media with a wrong secret");
    let unknown =
        MediaClient::with_interceptor(media_channel.clone(), secret.client()).capture_snapshot(snapshot).await;
    assert_eq!(unknown.err().map(|s| s.code()), Some(Code::NotFound), "the secret opens the service");
    PlaneClient::with_interceptor(media_channel, secret.client())
        .get_status(StatusRequest {})
        .await
        .expect("the media plane answers with the secret");

    media.stop().await;
    control.stop().await;
}
