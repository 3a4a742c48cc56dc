//! Recording modes: on a weekly schedule in the site's local time, and
//! around events opened and closed over the recorder's gRPC.

mod common;

use std::{path::PathBuf, time::Duration};

use chrono::Utc;
use common::{
    recording::*,
    stack::{camsim, sandbox},
    wait_until,
};
use uuid::Uuid;
use vms_catalog::camera::Transport;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn scheduled_cameras_record_only_in_their_sites_local_hours() {
    use jiff::{ToSpan, tz::TimeZone};
    vms_base::tracing_setup::install();
    let sim = camsim(&["on=h264_720p", "off=h264_720p"]).await;
    let stack = sandbox(|c| c.recording.segment_secs = 4).await;
    // The site keeps Tokyo time (UTC+9, no daylight saving): schedules read its clock.
    sqlx::query("UPDATE sites SET timezone = 'Asia/Tokyo'").execute(&stack.db.owner_pool).await.unwrap();
    let (on, _) = stack.add_camera("on", sim.url("on"), Transport::Tcp, None).await;
    let (off, _) = stack.add_camera("off", sim.url("off"), Transport::Tcp, None).await;
    stack.add_user("boss", "Boss-password-1", &["admin"]).await;
    let control = stack.start_control().await;
    let token = stack.login("boss", "Boss-password-1").await;
    let put = |camera: Uuid, body: serde_json::Value| {
        let request = reqwest::Client::new()
            .put(format!("{}/api/cameras/{camera}/recording", stack.http()))
            .bearer_auth(&token)
            .json(&body);
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
        }
    };
    let tokyo = TimeZone::get("Asia/Tokyo").unwrap();
    if jiff::Zoned::now().with_time_zone(tokyo.clone()).minute() >= 58 {
        tokio::time::sleep(Duration::from_secs(150)).await; // Not across an hour's end.
    }
    let local = jiff::Zoned::now().with_time_zone(tokyo);
    let day = |z: &jiff::Zoned| z.strftime("%a").to_string().to_lowercase();
    // This hour on Tokyo's clock (in UTC it is another hour), and a day that is not now anywhere.
    let this_hour = serde_json::json!({
        "mode": "scheduled",
        "schedule": [{"days": [day(&local)], "start": format!("{:02}:00", local.hour()), "end": format!("{:02}:00", local.hour() + 1)}],
    });
    let never = serde_json::json!({
        "mode": "scheduled",
        "schedule": [{"days": [day(&local.checked_add(3.days()).unwrap())], "start": "00:00", "end": "24:00"}],
    });
    put(on, this_hour.clone()).await;
    put(off, never.clone()).await;
    let media = stack.start_media();
    let recorder = stack.start_recorder();
    let dir = |camera: Uuid| stack.config.data_dir.join("recordings").join(camera.to_string()).join("main");

    wait_until("the scheduled camera recording", Duration::from_secs(90), || async {
        (!files_under(&dir(on)).is_empty()).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert!(files_under(&dir(off)).is_empty(), "outside its schedule nothing is recorded");

    // Swap the schedules: within a refresh (5 s) and a GOP, each follows its new one.
    put(off, this_hour).await;
    put(on, never).await;
    wait_until("the other camera recording", Duration::from_secs(30), || async {
        (!files_under(&dir(off)).is_empty()).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_secs(10)).await;
    let stopped: Vec<(PathBuf, u64)> =
        files_under(&dir(on)).into_iter().map(|f| (f.clone(), std::fs::metadata(&f).unwrap().len())).collect();
    tokio::time::sleep(Duration::from_secs(6)).await;
    let later: Vec<(PathBuf, u64)> =
        files_under(&dir(on)).into_iter().map(|f| (f.clone(), std::fs::metadata(&f).unwrap().len())).collect();
    assert_eq!(stopped, later, "a camera out of its schedule stops recording");
    for file in files_under(&dir(on)) {
        assert!(decode_errors(&file).is_empty(), "{} plays", file.display());
    }

    recorder.stop().await;
    media.stop().await;
    control.stop().await;
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn event_cameras_record_from_the_pre_buffer_to_the_post_buffer() {
    use vms_proto::v1::{EventRequest, recorder_client::RecorderClient};
    vms_base::tracing_setup::install();
    let sim = camsim(&["cam=h264_720p"]).await;
    let stack = sandbox(|_| {}).await;
    let (camera, _) = stack.add_camera("cam", sim.url("cam"), Transport::Tcp, None).await;
    stack.add_user("boss", "Boss-password-1", &["admin"]).await;
    let control = stack.start_control().await;
    let token = stack.login("boss", "Boss-password-1").await;
    let settings =
        serde_json::json!({"mode": "event", "pre_buffer_secs": 4, "post_buffer_secs": 3, "event_retention_days": 90});
    let put = reqwest::Client::new()
        .put(format!("{}/api/cameras/{camera}/recording", stack.http()))
        .bearer_auth(&token)
        .json(&settings)
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    let media = stack.start_media();
    let recorder = stack.start_recorder();
    let dir = stack.config.data_dir.join("recordings").join(camera.to_string()).join("main");
    let addr = format!("http://{}", stack.config.recorder.grpc_listen);
    let channel = wait_until("the recorder's gRPC", Duration::from_secs(20), || async {
        tonic::transport::Endpoint::from_shared(addr.clone()).unwrap().connect().await.ok()
    })
    .await;
    let secret = vms_proto::auth::InternalSecret::load_or_create(&stack.config.secrets_dir()).unwrap();
    let mut client = RecorderClient::with_interceptor(channel, secret.client());
    tokio::time::sleep(Duration::from_secs(12)).await;
    assert!(files_under(&dir).is_empty(), "no event, no recording");

    let ask = |camera: Uuid| EventRequest {
        camera_id: camera.to_string(),
        stream: String::new(),
        event_id: "motion-1".into(),
        ..Default::default()
    };
    let unknown = client.start_event(ask(Uuid::new_v4())).await.unwrap_err();
    assert_eq!(unknown.code(), tonic::Code::NotFound);
    let opened_at = Utc::now();
    assert_eq!(client.start_event(ask(camera)).await.unwrap().into_inner().open_events, 1);
    let file = wait_until("the event's recording", Duration::from_secs(10), || async { files_under(&dir).pop() }).await;
    tokio::time::sleep(Duration::from_secs(6)).await;
    let closed_at = Utc::now();
    assert_eq!(client.stop_event(ask(camera)).await.unwrap().into_inner().open_events, 0);
    // The post-buffer (3 s) and the GOP under way, then nothing more.
    tokio::time::sleep(Duration::from_secs(8)).await;
    let size = std::fs::metadata(&file).unwrap().len();
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(std::fs::metadata(&file).unwrap().len(), size, "recording stopped after the post-buffer");
    assert_eq!(files_under(&dir), vec![file.clone()]);

    let (duration, _) = probe(&file);
    assert!(decode_errors(&file).is_empty());
    let lead = (opened_at - started_at(&file)).num_milliseconds();
    assert!((3_700..=6_300).contains(&lead), "the file starts {lead} ms before the event: its 4 s pre-buffer");
    let ends = started_at(&file) + chrono::TimeDelta::milliseconds((duration * 1000.0) as i64);
    let tail = (ends - closed_at).num_milliseconds();
    assert!((1_000..=5_500).contains(&tail), "the file ends {tail} ms after the event: its 3 s post-buffer");
    recorder.stop().await;
    let kind: String =
        sqlx::query_scalar("SELECT kind FROM recording_segments").fetch_one(&stack.db.owner_pool).await.unwrap();
    assert_eq!(kind, "event", "event footage is marked, for its own retention");

    media.stop().await;
    control.stop().await;
    sim.stop().await;
}
