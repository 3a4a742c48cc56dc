//! The analytics plane end to end: camsim → media → frame link → ai →
//! JetStream. A camera whose picture moves (camsim's test pattern) starts a
//! motion event on `<prefix>.events.<tenant>.<camera>.motion`, kept in the
//! events stream under its id, with the media plane's arrival time; the
//! plane reports the stream's analysis in its status; and when the media
//! plane goes away the motion ends, in a second message with the same id.

mod common;

use std::time::Duration;

use chrono::Utc;
use common::stack::{camsim, sandbox};
use futures::StreamExt;
use vms_base::Plane;
use vms_bus::{
    Subjects,
    events::{Event, stream_name},
    status::PlaneStatusReport,
};
use vms_catalog::camera::Transport;

/// The next event message within `limit`, with its subject.
async fn next_event(events: &mut async_nats::Subscriber, limit: Duration) -> (String, Event) {
    let message =
        tokio::time::timeout(limit, events.next()).await.expect("no event in time").expect("the subscription ended");
    let event = serde_json::from_slice(&message.payload).expect("an event in the documented JSON");
    (message.subject.to_string(), event)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn motion_reaches_jetstream_and_ends_when_the_stream_stops() {
    vms_base::tracing_setup::install();
    let sim = camsim(&["cam=h264_360p"]).await;
    let stack = sandbox(|c| {
        c.ai.status_interval_secs = 1;
        c.analytics.motion_end_secs = 2;
    })
    .await;
    let (camera, _) = stack.add_camera("cam", sim.url("cam"), Transport::Tcp, None).await;
    let nats = vms_bus::nats::connect(stack.env.nats_url(), "analytics-test").await.unwrap();
    let subjects = Subjects::new(stack.prefix.clone());
    let mut events = nats.subscribe(subjects.all_events()).await.unwrap();
    let mut status = nats.subscribe(subjects.status(Plane::Ai, &stack.config.node_id)).await.unwrap();
    let before = Utc::now();
    let control = stack.start_control().await;
    let media = stack.start_media();
    let ai = stack.start_ai();

    // The test pattern moves all the time: motion starts.
    let (subject, started) = next_event(&mut events, Duration::from_secs(60)).await;
    assert_eq!(subject, subjects.event(&stack.tenant.to_string(), &camera.to_string(), "motion"));
    assert_eq!((started.kind.as_str(), started.camera_id, started.tenant_id), ("motion", Some(camera), stack.tenant));
    assert_eq!((started.seq, started.end), (0, None));
    assert!(started.start >= before && started.start <= Utc::now(), "{started:?}");
    assert!(started.attributes.contains_key("box"), "{started:?}");

    // The events stream keeps it, under its id.
    let js = async_nats::jetstream::new(nats.clone());
    let mut stream = js.get_stream(stream_name(&subjects)).await.expect("the events stream exists");
    let stored = stream.get_last_raw_message_by_subject(&subject).await.expect("the event is stored");
    let id = stored.headers.get(async_nats::header::NATS_MESSAGE_ID).map(|v| v.as_str().to_owned());
    assert_eq!(id, Some(started.id.to_string()));
    assert_eq!(stream.info().await.unwrap().config.storage, async_nats::jetstream::stream::StorageType::File);

    // The plane says how the stream is analysed: about 5 pictures a second.
    let analysed = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(message) = status.next().await {
            let report = PlaneStatusReport::from_bytes(&message.payload).unwrap();
            // A report over a whole interval of steady analysis, not the first partial one.
            if let Some(s) = report.analytics.iter().find(|s| s.camera_id == camera && s.analysed >= 25 && s.fps > 0.0)
            {
                return s.clone();
            }
        }
        panic!("the status subscription ended");
    })
    .await
    .expect("no analytics in the plane's status");
    assert_eq!((analysed.stream.as_str(), analysed.detect_fps), ("main", 5), "{analysed:?}");
    assert!((3.0..=6.5).contains(&analysed.fps), "{analysed:?}");
    assert!(analysed.motion && analysed.error.is_none() && analysed.decode_errors == 0, "{analysed:?}");
    assert!(analysed.decoded >= analysed.analysed && analysed.received >= analysed.decoded, "{analysed:?}");

    // The media plane goes away: the link breaks and the motion ends.
    media.stop().await;
    let (_, ended) = next_event(&mut events, Duration::from_secs(30)).await;
    assert_eq!((ended.id, ended.seq, ended.start), (started.id, 1, started.start), "{ended:?}");
    let end = ended.end.expect("the second message ends the motion");
    assert!(end >= ended.start && end <= Utc::now(), "{ended:?}");

    ai.stop().await;
    control.stop().await;
}

/// People on the walkway camera (real footage, a real person detector):
/// an `object` event labelled `person` reaches JetStream, with a track id,
/// a score over the floor, a box, and the time of its best picture. Then an
/// operator draws a line and a zone through the API, the plane takes them
/// up with its next assignments, and people crossing the line and entering
/// the zone become `line_crossed` and `zone_enter` events, stored and
/// searchable like any other.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn people_on_the_walkway_become_object_events() {
    vms_base::tracing_setup::install();
    let model = std::env::var("VMS_PERSON_MODEL").expect(
        "VMS_PERSON_MODEL is not set: run scripts/setup.sh and source scripts/env.sh (scripts/test.sh does both)",
    );
    let sim = camsim(&["walkway=walkway_576p"]).await;
    let stack = sandbox(|c| {
        c.ai.status_interval_secs = 1;
        c.analytics.model = Some(model.into());
        c.analytics.labels = Some(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../vms-ai/testdata/models/fall_detection.labels"),
        );
    })
    .await;
    let (camera, _) = stack.add_camera("walkway", sim.url("walkway"), Transport::Tcp, None).await;
    let nats = vms_bus::nats::connect(stack.env.nats_url(), "analytics-test").await.unwrap();
    let subjects = Subjects::new(stack.prefix.clone());
    let objects = subjects.event(&stack.tenant.to_string(), &camera.to_string(), "object");
    let mut events = nats.subscribe(objects.clone()).await.unwrap();
    let mut status = nats.subscribe(subjects.status(Plane::Ai, &stack.config.node_id)).await.unwrap();
    let control = stack.start_control().await;
    let media = stack.start_media();
    let ai = stack.start_ai();

    let (subject, person) = next_event(&mut events, Duration::from_secs(90)).await;
    assert_eq!(subject, objects);
    assert_eq!((person.kind.as_str(), person.seq, person.camera_id), ("object", 0, Some(camera)));
    let a = &person.attributes;
    assert_eq!(a["label"], "person", "{person:?}");
    assert!(a["track_id"].as_u64().is_some_and(|id| id >= 1), "{person:?}");
    assert!(a["score"].as_f64().is_some_and(|s| (0.5..=1.0).contains(&s)), "{person:?}");
    assert!(a["box"]["w"].as_f64().is_some_and(|w| w > 0.0 && w < 1.0), "{person:?}");
    let best: chrono::DateTime<Utc> = a["best_at"].as_str().unwrap().parse().unwrap();
    assert!(best >= person.start && best <= Utc::now(), "{person:?}");

    // The line and zone of the hand count (crates/vms-ai/testdata/walkway-crossings.toml),
    // drawn while the camera is being analysed.
    stack.add_user("planner", "Planner-password-1", &["admin"]).await;
    let token = stack.login("planner", "Planner-password-1").await;
    let drawn = serde_json::json!({
        "lines": [{"name": "Walkway", "a": [0.30, 0.75], "b": [0.30, 0.25]}],
        "zones": [{"name": "West end", "points": [[0.0, 0.25], [0.2, 0.25], [0.2, 0.75], [0.0, 0.75]]}]
    });
    let stream_status = |report: &PlaneStatusReport| report.analytics.iter().find(|s| s.camera_id == camera).cloned();
    let before = loop {
        let message = tokio::time::timeout(Duration::from_secs(10), status.next()).await.unwrap().unwrap();
        // Ten seconds of pictures (at 25 a second), more than a new start would have had by its first report.
        if let Some(s) = stream_status(&PlaneStatusReport::from_bytes(&message.payload).unwrap())
            && s.received >= 250
        {
            break s;
        }
    };
    let saved = stack.put(&token, &format!("/api/cameras/{camera}/analytics"), drawn).await;
    assert_eq!(saved["lines"][0]["name"], "Walkway", "{saved}");
    // Taken in place: the stream's analysis goes on (its counters keep
    // counting) rather than starting again, so its objects do not leave and come back.
    let after = loop {
        let message = tokio::time::timeout(Duration::from_secs(10), status.next()).await.unwrap().unwrap();
        if let Some(s) = stream_status(&PlaneStatusReport::from_bytes(&message.payload).unwrap())
            && s.lines.first().is_some_and(|l| l.name == "Walkway")
        {
            break s;
        }
    };
    assert!(after.received >= before.received, "the analysis started again: {before:?} then {after:?}");
    // Prometheus sees the same stream, and the model's inferences.
    let addr = stack.config.metrics.ai;
    let text = reqwest::get(format!("http://{addr}/metrics")).await.unwrap().text().await.unwrap();
    let labels = format!(r#"camera="{camera}",stream="main""#);
    let sample = |name: &str| {
        let prefix = format!("{name}{{{labels}}} ");
        text.lines().find_map(|l| l.strip_prefix(&prefix)).map(|v| v.parse::<f64>().unwrap())
    };
    assert!(sample("vms_analytics_frames_received_total").is_some_and(|n| n >= after.received as f64), "{text}");
    assert!(sample("vms_analytics_frames_analysed_total").is_some_and(|n| n > 0.0), "{text}");
    assert_eq!(sample("vms_analytics_detect_fps"), Some(f64::from(after.detect_fps)), "{text}");
    let inferences = text
        .lines()
        .find_map(|l| l.strip_prefix("vms_analytics_inference_seconds_count{"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(inferences.contains(r#"provider="cpu""#), "{inferences}");
    assert!(inferences.rsplit(' ').next().unwrap().parse::<f64>().unwrap() > 0.0, "{inferences}");
    assert!(text.contains("\nvms_analytics_inference_queue "), "{text}");
    vms_testkit::promtool_check_metrics(&text);
    // Every analytics figure the Grafana dashboard draws is one this plane exports.
    let dashboard =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/grafana/vms-dashboard.json")).unwrap();
    let drawn = dashboard.match_indices("vms_analytics_").map(|(at, _)| {
        let rest = &dashboard[at..];
        &rest[..rest.find(|c: char| !(c.is_ascii_lowercase() || c == '_')).unwrap_or(rest.len())]
    });
    for name in drawn {
        let family = ["_bucket", "_sum", "_count"].iter().fold(name, |n, s| n.strip_suffix(s).unwrap_or(n));
        assert!(
            text.contains(&format!("# TYPE {family} ")),
            "the dashboard draws {name}, which the plane does not export"
        );
    }
    let everything = format!("{}.events.{}.{camera}.>", stack.prefix, stack.tenant);
    let mut scene = nats.subscribe(everything).await.unwrap();
    // The footage loops every 80 s; its first crossing is 18 s in.
    let (mut crossed, mut entered) = (None, None);
    tokio::time::timeout(Duration::from_secs(150), async {
        while crossed.is_none() || entered.is_none() {
            let (_, event) = next_event(&mut scene, Duration::from_secs(150)).await;
            match event.kind.as_str() {
                "line_crossed" => crossed = Some(event),
                "zone_enter" => entered = Some(event),
                _ => {}
            }
        }
    })
    .await
    .expect("no line crossing and zone entry within two loops of the footage");
    let (crossed, entered) = (crossed.unwrap(), entered.unwrap());
    assert_eq!(crossed.attributes["line"], "Walkway", "{crossed:?}");
    assert!(["left_to_right", "right_to_left"].contains(&crossed.attributes["direction"].as_str().unwrap()));
    assert_eq!((crossed.end, crossed.attributes["label"].as_str()), (Some(crossed.start), Some("person")));
    assert_eq!(entered.attributes["zone"], "West end", "{entered:?}");
    // Stored by control and found by type.
    let stored = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            let found = stack.get(&token, &format!("/api/events?types=line_crossed&cameras={camera}")).await;
            if found["items"].as_array().is_some_and(|items| !items.is_empty()) {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    })
    .await
    .expect("the crossing was not stored");
    assert_eq!(stored["items"][0]["attributes"]["line"], "Walkway", "{stored}");

    ai.stop().await;
    media.stop().await;
    control.stop().await;
}

/// A camera that changes resolution mid-stream (camsim switches from 720p
/// to 1080p at the end of its first loop): the media plane sends a new
/// description over the frame link, the analytics plane decodes the new
/// pictures and goes on analysing at its rate, without decoding errors.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_camera_that_changes_resolution_is_analysed_on() {
    vms_base::tracing_setup::install();
    let sim = camsim(&["cam=h264_720p?switch_after=2"]).await;
    let stack = sandbox(|c| c.ai.status_interval_secs = 1).await;
    let (camera, stream) = stack.add_camera("cam", sim.url("cam"), Transport::Tcp, None).await;
    let nats = vms_bus::nats::connect(stack.env.nats_url(), "analytics-test").await.unwrap();
    let subjects = Subjects::new(stack.prefix.clone());
    let mut status = nats.subscribe(subjects.status(Plane::Ai, &stack.config.node_id)).await.unwrap();
    let control = stack.start_control().await;
    let media = stack.start_media();
    let ai = stack.start_ai();

    // The media plane sees the new resolution.
    let hot = stack.hot_state();
    common::wait_until("the switch to 1080p", Duration::from_secs(60), || async {
        let state = hot.stream_states(&[stream]).await.ok()?.remove(&stream)?;
        (state.width == Some(1920)).then_some(())
    })
    .await;
    let switched = std::time::Instant::now();
    // Five seconds on, the plane has analysed the new pictures at its rate.
    let analysed = tokio::time::timeout(Duration::from_secs(30), async {
        let mut first = None;
        while let Some(message) = status.next().await {
            let report = PlaneStatusReport::from_bytes(&message.payload).unwrap();
            let Some(s) = report.analytics.iter().find(|s| s.camera_id == camera) else { continue };
            let first = *first.get_or_insert(s.analysed);
            if switched.elapsed() >= Duration::from_secs(5) {
                return (first, s.clone());
            }
        }
        panic!("the status subscription ended");
    })
    .await
    .expect("no analytics in the plane's status");
    let (at_switch, s) = analysed;
    assert!(
        s.analysed >= at_switch + 15,
        "only {} pictures analysed in 5 s after the switch: {s:?}",
        s.analysed - at_switch
    );
    assert!(s.error.is_none() && s.decode_errors == 0, "{s:?}");
    assert!((3.0..=6.5).contains(&s.fps), "{s:?}");

    ai.stop().await;
    media.stop().await;
    control.stop().await;
}
