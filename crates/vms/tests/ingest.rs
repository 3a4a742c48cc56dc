//! The media plane pulls simulated cameras and reports each stream's state:
//! online with its real figures, offline with the reason, and back online
//! after a drop; a camera sending garbage harms nobody else; a resolution
//! change mid-stream shows in the state; a camera that accepts and never
//! answers times out and is retried. States land in Redis for the API and on
//! NATS for subscribers.

mod common;

use std::{
    collections::HashMap,
    time::{Duration, Instant},
};

use common::{
    stack::{camsim, sandbox},
    wait_until,
};
use futures::StreamExt;
use uuid::Uuid;
use vms_bus::{
    Subjects,
    hot::{HotState, StreamState},
};
use vms_catalog::camera::Transport;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn streams_report_real_state_and_recover() {
    vms_base::tracing_setup::install();
    let sim = camsim(&[
        "a=h264_720p",
        "b=h265_720p",
        "c=h264_720p?auth=digest&user=u&password=Pw1",
        "e=h264_720p?drop_after=3",
        "f=h264_720p?garbage",
        "g=h264_720p?switch_after=1",
    ])
    .await;

    let stack = sandbox(|_| {}).await;
    let mut streams: HashMap<&str, Uuid> = HashMap::new();
    for (name, path, transport, creds) in [
        ("a", "a", Transport::Tcp, None),
        ("b", "b", Transport::Udp, None),
        ("c-ok", "c", Transport::Tcp, Some(("u", "Pw1"))),
        ("c-bad", "c", Transport::Tcp, Some(("u", "wrong"))),
        ("e", "e", Transport::Tcp, None),
        ("f", "f", Transport::Tcp, None),
        ("g", "g", Transport::Tcp, None),
    ] {
        let (_, stream) = stack.add_camera(name, sim.url(path), transport, creds).await;
        streams.insert(name, stream);
    }

    let control = stack.start_control().await;
    let (env, prefix) = (stack.env, stack.prefix.clone());
    let subjects = Subjects::new(prefix.clone());
    let nats = vms_bus::nats::connect(env.nats_url(), "ingest-test").await.unwrap();
    let mut published = nats.subscribe(subjects.all_stream_states()).await.unwrap();
    let media = stack.start_media();

    let hot = HotState::new(env.redis_url(), format!("{prefix}:")).unwrap();
    let state = |name: &'static str| {
        let hot = hot.clone();
        let id = streams[name];
        async move { hot.stream_states(&[id]).await.ok().and_then(|mut m| m.remove(&id)) }
    };
    let online = |name: &'static str| async move {
        wait_until(&format!("{name} online with figures"), Duration::from_secs(40), || async {
            state(name).await.filter(|s: &StreamState| {
                s.status == vms_bus::hot::StreamStatus::Online && s.fps.is_some() && s.width.is_some()
            })
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
            if message.subject.as_str() == a_subject
                && state.status == vms_bus::hot::StreamStatus::Online
                && state.fps.is_some()
            {
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
        state("c-bad").await.filter(|s| s.status == vms_bus::hot::StreamStatus::Offline)
    })
    .await;
    assert_eq!(bad.reason, Some(vms_bus::hot::OfflineReason::AuthFailed), "{bad:?}");
    assert!(!bad.detail.unwrap_or_default().contains("wrong"), "no credential in the reason");

    // e drops after 3 s: it goes offline, then comes back by itself.
    online("e").await;
    let dropped = wait_until("e offline", Duration::from_secs(30), || async {
        state("e").await.filter(|s| s.status != vms_bus::hot::StreamStatus::Online)
    })
    .await;
    assert!(
        dropped.status == vms_bus::hot::StreamStatus::Offline
            || dropped.status == vms_bus::hot::StreamStatus::Connecting,
        "{dropped:?}"
    );
    online("e").await;

    // f sends garbage now and then: the plane survives and the others stay online.
    online("f").await;
    // g changes resolution mid-stream (after its first 10 s loop): the same
    // session goes on, and its state shows the new size.
    let g = online("g").await;
    assert_eq!((g.width, g.height), (Some(1280), Some(720)));
    let switched = wait_until("g at 1080p", Duration::from_secs(30), || async {
        state("g").await.filter(|s| s.status == vms_bus::hot::StreamStatus::Online && s.width == Some(1920))
    })
    .await;
    assert_eq!(switched.height, Some(1080), "{switched:?}");
    tokio::time::sleep(Duration::from_secs(3)).await;
    for name in ["a", "b", "c-ok", "f"] {
        let s = state(name).await.unwrap();
        assert_eq!(s.status, vms_bus::hot::StreamStatus::Online, "{name}: {s:?}");
        assert_eq!(s.width, Some(1280), "{name}: damaged packets never change the resolution");
    }
    assert!(!media.task.is_finished(), "the media plane is still running");

    media.stop().await;
    control.stop().await;
    sim.stop().await;
}

/// A camera that accepts the connection and never answers must not leave its
/// stream "connecting" for ever: within the request deadline it is offline
/// with a reason that says so, and it comes back once the camera answers.
/// The outage is one `camera_offline` event, stored by control, that ends
/// when the camera is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_silent_camera_times_out_and_recovers() {
    vms_base::tracing_setup::install();
    let sim = camsim(&["s=h264_720p"]).await;
    sim.set_silent("s", true);
    let deadline = Duration::from_secs(2);
    let stack = sandbox(|c| c.ingest.request_timeout_secs = deadline.as_secs() as u32).await;
    let (camera, stream) = stack.add_camera("s", sim.url("s"), Transport::Tcp, None).await;
    let control = stack.start_control().await;
    let media = stack.start_media();
    let outage = || async {
        sqlx::query_as::<_, (Option<chrono::DateTime<chrono::Utc>>, serde_json::Value)>(
            "SELECT end_time, attributes FROM events WHERE camera_id = $1 AND type = 'camera_offline'",
        )
        .bind(camera)
        .fetch_optional(&stack.db.owner_pool)
        .await
        .unwrap()
    };
    let hot = HotState::new(stack.env.redis_url(), format!("{}:", stack.prefix)).unwrap();
    let state = || async { hot.stream_states(&[stream]).await.ok().and_then(|mut m| m.remove(&stream)) };

    wait_until("s connecting", Duration::from_secs(30), || async {
        state().await.filter(|s| s.status == vms_bus::hot::StreamStatus::Connecting)
    })
    .await;
    let connecting = Instant::now();
    let offline = wait_until("s offline", Duration::from_secs(15), || async {
        state().await.filter(|s| s.status == vms_bus::hot::StreamStatus::Offline)
    })
    .await;
    assert!(connecting.elapsed() < deadline + Duration::from_secs(2), "offline after {:?}", connecting.elapsed());
    assert_eq!(offline.reason, Some(vms_bus::hot::OfflineReason::TimedOut), "{offline:?}");
    let detail = offline.detail.unwrap_or_default();
    assert!(detail.contains("timed out waiting for the camera's DESCRIBE reply"), "{detail}");
    let (end, attributes) = wait_until("the outage stored as an event", Duration::from_secs(40), outage).await;
    assert!(end.is_none(), "still offline");
    assert_eq!((attributes["reason"].as_str(), attributes["stream"].as_str()), (Some("timed_out"), Some("main")));

    sim.set_silent("s", false);
    wait_until("s online again", Duration::from_secs(40), || async {
        state().await.filter(|s| s.status == vms_bus::hot::StreamStatus::Online && s.fps.is_some())
    })
    .await;
    wait_until("the outage event ended", Duration::from_secs(20), || async { outage().await.and_then(|(end, _)| end) })
        .await;

    media.stop().await;
    control.stop().await;
    sim.stop().await;
}

/// Issue 11, point 22: a camera URL cannot reach the installation's own
/// services or anything on loopback unless allowed, and whatever a device
/// answers is never echoed into the stream's state (it once held a hex dump
/// of the first 128 bytes, a way to read internal services).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn internal_addresses_are_refused_and_device_bytes_never_echoed() {
    vms_base::tracing_setup::install();
    // A service on loopback that is not a camera, answering with something private.
    let secret_server = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let secret_addr = secret_server.local_addr().unwrap();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut socket, _)) = secret_server.accept().await {
            tokio::spawn(async move {
                let mut request = [0u8; 1024];
                let _ = socket.read(&mut request).await;
                let _ = socket.write_all(b"-ERR private-internal-data 0123456789 private-internal-data\r\n").await;
            });
        }
    });

    // Loopback allowed (as in labs): the installation's own ports still are not.
    let stack = sandbox(|_| {}).await;
    let redis_port = stack.config.redis.embedded_port;
    let (_, not_rtsp) = stack.add_camera("not-rtsp", format!("rtsp://{secret_addr}/x"), Transport::Tcp, None).await;
    let (_, own) = stack.add_camera("own", format!("rtsp://127.0.0.1:{redis_port}/x"), Transport::Tcp, None).await;
    let (_, metadata) = stack.add_camera("meta", "rtsp://169.254.169.254/x".into(), Transport::Tcp, None).await;
    let control = stack.start_control().await;
    let media = stack.start_media();
    let hot = HotState::new(stack.env.redis_url(), format!("{}:", stack.prefix)).unwrap();
    let offline = |stream: Uuid| {
        let hot = hot.clone();
        async move {
            wait_until("the stream offline", Duration::from_secs(30), || async {
                hot.stream_states(&[stream])
                    .await
                    .ok()
                    .and_then(|mut m| m.remove(&stream))
                    .filter(|s| s.status == vms_bus::hot::StreamStatus::Offline)
            })
            .await
        }
    };
    let state = offline(not_rtsp).await;
    let detail = state.detail.clone().unwrap_or_default();
    assert!(!detail.contains("private") && !detail.contains("0123") && !detail.contains("2d 45 52 52"), "{state:?}");
    assert!(detail.len() < 120, "a short reason: {detail}");
    for stream in [own, metadata] {
        let state = offline(stream).await;
        assert_eq!(state.reason, Some(vms_bus::hot::OfflineReason::RefusedAddress), "{state:?}");
    }
    media.stop().await;
    control.stop().await;

    // By default, loopback is refused too.
    let strict = sandbox(|c| c.devices.allow_loopback = false).await;
    let (_, lab) = strict.add_camera("lab", format!("rtsp://{secret_addr}/x"), Transport::Tcp, None).await;
    let (_, named) = strict.add_camera("named", "rtsp://localhost:8654/x".into(), Transport::Tcp, None).await;
    let control = strict.start_control().await;
    let media = strict.start_media();
    let hot = HotState::new(strict.env.redis_url(), format!("{}:", strict.prefix)).unwrap();
    for stream in [lab, named] {
        let state = wait_until("the stream refused", Duration::from_secs(30), || async {
            hot.stream_states(&[stream])
                .await
                .ok()
                .and_then(|mut m| m.remove(&stream))
                .filter(|s| s.status == vms_bus::hot::StreamStatus::Offline)
        })
        .await;
        assert_eq!(state.reason, Some(vms_bus::hot::OfflineReason::RefusedAddress), "{state:?}");
        assert!(state.detail.unwrap_or_default().contains("devices.allow_loopback"));
    }
    media.stop().await;
    control.stop().await;
}
