//! The frame link between the media plane and its consumers
//! (docs/design/0005-frame-link.md): a subscriber holding the installation's
//! secret gets the stream's description and its pictures with the times they
//! reached the media plane (in bursts, for a subscriber that asks to batch);
//! a stranger and an unknown stream get nothing; and
//! the recorder, reading through the link, resumes by itself after the media
//! plane is killed, losing only what came while it was down.

mod common;

use std::time::Duration;

use chrono::{TimeDelta, Utc};
use common::{
    recording::{decode_errors, files_under, probe, started_at},
    stack::one_camera,
    wait_until,
};
use tokio_util::sync::CancellationToken;
use vms_base::StreamRole;
use vms_plane::link::{LinkEvent, LinkSubscription};

/// The next event within `limit`.
async fn next(link: &mut LinkSubscription, limit: Duration) -> LinkEvent {
    let cancel = CancellationToken::new();
    tokio::time::timeout(limit, link.next(&cancel)).await.expect("the link should answer").expect("not cancelled")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_subscriber_gets_pictures_with_their_arrival_and_strangers_get_nothing() {
    let (sim, stack, camera) = one_camera("h264_720p").await;
    let control = stack.start_control().await;
    let media = stack.start_media();
    let key = vms_proto::auth::InternalSecret::load_or_create(&stack.config.secrets_dir()).unwrap().key();
    let address = stack.config.link.address();

    // Until the media plane listens and has the camera's first picture, the client keeps trying.
    let mut link = LinkSubscription::new(address, key.clone(), camera, StreamRole::Main);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(40);
    let description = loop {
        assert!(tokio::time::Instant::now() < deadline, "no description within 40 s");
        match next(&mut link, Duration::from_secs(20)).await {
            LinkEvent::Description(d) => break d,
            // The media plane is starting, or has no picture of the camera yet.
            LinkEvent::Interrupted { reason } => {
                assert!(reason.contains("not served") || reason.contains("cannot reach"), "{reason}")
            }
            LinkEvent::Picture(p) => panic!("a picture before the description: {p:?}"),
        }
    };
    assert_eq!((description.width, description.height), (1280, 720), "{description:?}");
    assert!(description.codec_string.starts_with("avc1."), "{description:?}");
    assert_eq!(description.parameter_sets.len(), 2, "SPS and PPS");
    assert!(!description.sample_entry.is_empty());

    let mut pictures = Vec::new();
    while pictures.len() < 60 {
        match next(&mut link, Duration::from_secs(5)).await {
            LinkEvent::Picture(p) => pictures.push(p),
            other => panic!("expected pictures, got {other:?}"),
        }
    }
    assert!(pictures[0].keyframe, "a subscriber starts at a keyframe");
    assert!(pictures.iter().all(|p| p.lost == 0 && !p.data.is_empty()));
    assert!(pictures.windows(2).all(|w| w[1].pts > w[0].pts), "presentation times rise (no B-frames here)");
    let now = Utc::now().timestamp_micros();
    for p in &pictures {
        let age = now - p.arrived_at_us;
        assert!((0..30_000_000).contains(&age), "arrival times are the media plane's, recent: {age} µs");
    }
    let last = pictures.last().unwrap();
    let spacing = (last.arrived_at_us - pictures[30].arrived_at_us) as f64 / 29.0;
    assert!((20_000.0..60_000.0).contains(&spacing), "live pictures arrive 40 ms apart, got {spacing} µs");

    // A batching subscriber (the recorder's way) gets every picture with the
    // same arrival times, but in bursts a batch apart rather than 40 ms apart.
    let mut batched =
        LinkSubscription::new(address, key.clone(), camera, StreamRole::Main).batched(Duration::from_millis(400));
    let mut received = Vec::new();
    while received.len() < 75 {
        match next(&mut batched, Duration::from_secs(5)).await {
            LinkEvent::Picture(p) => received.push((tokio::time::Instant::now(), p)),
            LinkEvent::Description(_) => {}
            other => panic!("expected pictures, got {other:?}"),
        }
    }
    // Skip the backlog the first batch carries (the hub's GOP cache).
    let live = &received[30..];
    let gaps: Vec<Duration> = live.windows(2).map(|w| w[1].0 - w[0].0).collect();
    let together = gaps.iter().filter(|g| **g < Duration::from_millis(5)).count();
    let longest = gaps.iter().max().copied().unwrap_or_default();
    // Sent one by one, pictures would come about 40 ms apart and never wait 300 ms.
    assert!(together >= gaps.len() * 3 / 4, "only {together} of {} pictures came with the one before", gaps.len());
    assert!(longest >= Duration::from_millis(300), "the longest wait between batches was {longest:?}");
    assert!(live.windows(2).all(|w| w[1].1.pts > w[0].1.pts), "batching keeps every picture in order");
    let spacing = (live[live.len() - 1].1.arrived_at_us - live[0].1.arrived_at_us) as f64 / (live.len() - 1) as f64;
    assert!((20_000.0..60_000.0).contains(&spacing), "arrival times stay the media plane's: {spacing} µs apart");

    // Without the secret, or for a stream nobody serves: nothing but the reason.
    let mut stranger = LinkSubscription::new(address, b"a guess".to_vec().into(), camera, StreamRole::Main);
    match next(&mut stranger, Duration::from_secs(10)).await {
        LinkEvent::Interrupted { reason } => assert!(reason.contains("secret"), "{reason}"),
        other => panic!("a stranger got {other:?}"),
    }
    let mut unknown = LinkSubscription::new(address, key, uuid::Uuid::new_v4(), StreamRole::Main);
    match next(&mut unknown, Duration::from_secs(10)).await {
        LinkEvent::Interrupted { reason } => assert!(reason.contains("not served"), "{reason}"),
        other => panic!("an unknown stream gave {other:?}"),
    }

    media.stop().await;
    control.stop().await;
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_recorder_resumes_after_the_media_plane_is_killed() {
    let (sim, stack, camera) = one_camera("h264_720p").await;
    let control = stack.start_control().await;
    let recorder = stack.start_recorder();
    let dir = stack.config.data_dir.join("recordings").join(camera.to_string()).join("main");

    let mut media = stack.spawn_plane("media");
    let first = wait_until("recording through the link", Duration::from_secs(60), || async {
        files_under(&dir).pop().filter(|f| std::fs::metadata(f).is_ok_and(|m| m.len() > 1_000_000))
    })
    .await;
    media.kill().unwrap(); // SIGKILL, mid-stream
    media.wait().unwrap();
    let killed = Utc::now();
    tokio::time::sleep(Duration::from_secs(2)).await;

    let restarted = Utc::now();
    let mut media = stack.spawn_plane("media");
    let second = wait_until("recording to resume", Duration::from_secs(40), || async {
        files_under(&dir).into_iter().find(|f| *f != first && std::fs::metadata(f).is_ok_and(|m| m.len() > 100_000))
    })
    .await;

    // The file cut by the kill ends at the kill, less at most the GOP in flight, and plays.
    let (duration, _) = probe(&first);
    let first_end = started_at(&first) + TimeDelta::milliseconds((duration * 1000.0) as i64);
    let short = (killed - first_end).num_milliseconds();
    assert!(short <= 2500, "the file before the kill ends {short} ms before it");
    assert!(decode_errors(&first).is_empty(), "{}", decode_errors(&first));
    // The next starts once the restarted media plane has the camera again: what came
    // between the kill and the reconnect is all that is lost.
    let resumed = (started_at(&second) - restarted).num_milliseconds();
    assert!((0..8000).contains(&resumed), "recording resumed {resumed} ms after the media plane restarted");

    recorder.stop().await;
    media.kill().unwrap();
    media.wait().unwrap();
    control.stop().await;
    sim.stop().await;
}
