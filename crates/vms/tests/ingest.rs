//! The media plane pulls simulated cameras and reports each stream's state:
//! online with its real figures, offline with the reason, and back online
//! after a drop; a camera sending garbage harms nobody else. States land in
//! Redis for the API and on NATS for subscribers.

mod common;

use std::{collections::HashMap, net::SocketAddr, sync::Arc, time::Duration};

use common::wait_until;
use futures::StreamExt;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;
use vms_bus::{
    Subjects,
    hot::{HotState, StreamState},
};
use vms_camsim::{Camsim, camera::Camera};
use vms_catalog::{
    Scope,
    camera::{self, CredentialsChange, NewCamera, StreamRole, StreamSpec, Transport},
    credentials::{CredentialKey, Credentials},
    scope,
    site::{self, NewSite},
};
use vms_config::Config;
use vms_plane::PlaneDeps;
use vms_testkit::{TestEnv, free_port};

fn addr(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn streams_report_real_state_and_recover() {
    vms_base::tracing_setup::install();
    let clips = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("camsim-clips");
    let sim = Camsim::start(
        "127.0.0.1:0".parse().unwrap(),
        &clips,
        [
            "a=h264_720p",
            "b=h265_720p",
            "c=h264_720p?auth=digest&user=u&password=Pw1",
            "e=h264_720p?drop_after=3",
            "f=h264_720p?garbage",
        ]
        .iter()
        .map(|c| Camera::parse(c).unwrap())
        .collect(),
    )
    .await
    .unwrap();

    let env = TestEnv::shared().await;
    let db = env.fresh_database().await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config { data_dir: dir.path().to_owned(), ..Config::default() };
    config.control.listen = addr(free_port());
    config.control.grpc_listen = addr(free_port());
    config.control.tls.mode = vms_config::TlsMode::Off;
    config.media.grpc_listen = addr(free_port());
    let config = Arc::new(config);
    let prefix = env.unique_prefix();

    let key = CredentialKey::load_or_create(&config.secrets_dir()).unwrap();
    let mut tx = scope::begin(&db.pool, Scope::AllTenants).await.unwrap();
    let tenant = vms_catalog::tenant::create(&mut *tx, "default").await.unwrap();
    let hq = site::create(
        &mut *tx,
        tenant.id,
        &NewSite { name: "HQ".into(), description: String::new(), timezone: "UTC".into() },
    )
    .await
    .unwrap();
    let mut streams: HashMap<&str, Uuid> = HashMap::new();
    for (name, path, transport, creds) in [
        ("a", "a", Transport::Tcp, None),
        ("b", "b", Transport::Udp, None),
        ("c-ok", "c", Transport::Tcp, Some(("u", "Pw1"))),
        ("c-bad", "c", Transport::Tcp, Some(("u", "wrong"))),
        ("e", "e", Transport::Tcp, None),
        ("f", "f", Transport::Tcp, None),
    ] {
        let credentials = match creds {
            Some((u, p)) => CredentialsChange::Set(Credentials { username: u.into(), password: p.into() }),
            None => CredentialsChange::Keep,
        };
        let new = NewCamera {
            site_id: hq.id,
            name: name.into(),
            description: String::new(),
            enabled: true,
            streams: vec![StreamSpec { role: StreamRole::Main, url: sim.url(path), transport, credentials }],
        };
        let created = camera::create(&mut tx, &key, tenant.id, &new).await.unwrap();
        streams.insert(name, created.streams[0].id);
    }
    tx.commit().await.unwrap();

    let control_token = CancellationToken::new();
    let deps = vms_control::ControlDeps {
        db: db.pool.clone(),
        audit_db: sqlx::PgPool::connect(&db.audit_url).await.unwrap(),
        nats_url: env.nats_url().to_owned(),
        redis_url: env.redis_url().to_owned(),
        bus_prefix: prefix.clone(),
    };
    let control = tokio::spawn(vms_control::serve(config.clone(), deps, control_token.clone()));
    let media_token = CancellationToken::new();
    let plane_deps = PlaneDeps {
        nats_url: env.nats_url().to_owned(),
        redis_url: env.redis_url().to_owned(),
        bus_prefix: prefix.clone(),
    };
    let subjects = Subjects::new(prefix.clone());
    let nats = vms_bus::nats::connect(env.nats_url(), "ingest-test").await.unwrap();
    let mut published = nats.subscribe(subjects.all_stream_states()).await.unwrap();
    let media = tokio::spawn(vms_media::serve(config.clone(), plane_deps, media_token.clone()));

    let hot = HotState::new(env.redis_url(), format!("{prefix}:")).unwrap();
    let state = |name: &'static str| {
        let hot = hot.clone();
        let id = streams[name];
        async move { hot.stream_states(&[id]).await.ok().and_then(|mut m| m.remove(&id)) }
    };
    let online = |name: &'static str| async move {
        wait_until(&format!("{name} online with figures"), Duration::from_secs(40), || async {
            state(name).await.filter(|s: &StreamState| s.status == "online" && s.fps.is_some() && s.width.is_some())
        })
        .await
    };

    let a = online("a").await;
    assert_eq!((a.codec.as_deref(), a.width, a.height), (Some("h264"), Some(1280), Some(720)));
    assert!((20.0..=30.0).contains(&a.fps.unwrap()), "fps {:?}", a.fps);
    assert!(a.bitrate_kbps.unwrap() > 100.0 && a.last_keyframe_at.is_some(), "{a:?}");
    assert!(a.codec_string.as_deref().unwrap_or_default().starts_with("avc1."), "{a:?}");
    let a_subject = subjects.stream_state(streams["a"]);
    let a_published = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(message) = published.next().await {
            let state = StreamState::decode(&message.payload).expect("a stream state on NATS");
            if message.subject.as_str() == a_subject && state.status == "online" && state.fps.is_some() {
                return state;
            }
        }
        panic!("the NATS subscription ended");
    })
    .await
    .expect("a's online state is published on NATS");
    assert_eq!((a_published.codec.as_deref(), a_published.width), (Some("h264"), Some(1280)));
    let b = online("b").await;
    assert_eq!((b.codec.as_deref(), b.width), (Some("h265"), Some(1280)), "H.265 over UDP");
    online("c-ok").await;
    let bad = wait_until("c-bad offline", Duration::from_secs(30), || async {
        state("c-bad").await.filter(|s| s.status == "offline")
    })
    .await;
    assert_eq!(bad.reason.as_deref(), Some("auth_failed"), "{bad:?}");
    assert!(!bad.detail.unwrap_or_default().contains("wrong"), "no credential in the reason");

    // e drops after 3 s: it goes offline, then comes back by itself.
    online("e").await;
    let dropped = wait_until("e offline", Duration::from_secs(30), || async {
        state("e").await.filter(|s| s.status != "online")
    })
    .await;
    assert!(dropped.status == "offline" || dropped.status == "connecting", "{dropped:?}");
    online("e").await;

    // f sends garbage now and then: the plane survives and the others stay online.
    online("f").await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    for name in ["a", "b", "c-ok", "f"] {
        let s = state(name).await.unwrap();
        assert_eq!(s.status, "online", "{name}: {s:?}");
    }
    assert!(!media.is_finished(), "the media plane is still running");

    media_token.cancel();
    media.await.unwrap().unwrap();
    control_token.cancel();
    control.await.unwrap().unwrap();
    sim.stop().await;
}
