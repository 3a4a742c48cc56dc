//! Disabling a user ends what they are watching within seconds: their RTSP
//! restream session (opened with their VMS user name and password, whose
//! acceptance the media plane caches) and their live MSE viewer, while
//! another user's viewer of the same camera plays on. Changing a password ends
//! the restream session the old one opened; and a revocation whose NATS
//! message the media plane missed is found in Redis.

mod common;

use std::{
    process::Stdio,
    time::{Duration, Instant},
};

use common::{stack::one_camera, wait_until};
use futures::StreamExt;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, tungstenite::Message};
use vms_sandbox::Sandbox;

const PASSWORD: &str = "Viewer-password-1";
/// How soon a revoked viewer must be cut off.
const CUT_WITHIN: Duration = Duration::from_secs(6);

type Socket = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens an MSE viewer of `camera` as `username` and waits for its first pictures.
async fn mse(stack: &Sandbox, username: &str, camera: uuid::Uuid) -> Socket {
    let token = stack.login(username, PASSWORD).await;
    let ticket = stack.ticket(&token, camera, "live").await;
    let url = format!("ws://{}/api/live/{camera}/main/ws?ticket={ticket}", stack.config.control.listen);
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    assert!(pictures_for(&mut socket, Duration::from_secs(2)).await > 10, "{username} sees pictures");
    socket
}

/// Counts the pictures that arrive during `period`; stops early when the socket ends.
async fn pictures_for(socket: &mut Socket, period: Duration) -> usize {
    let deadline = tokio::time::Instant::now() + period;
    let mut pictures = 0;
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Err(_) => return pictures,
            Ok(Some(Ok(Message::Binary(_)))) => pictures += 1,
            Ok(Some(Ok(Message::Close(_)))) | Ok(Some(Err(_))) | Ok(None) => return pictures,
            Ok(Some(Ok(_))) => {}
        }
    }
}

/// Waits for `socket` to end; returns how long that took, or `None` if it played on past `limit`.
async fn ended_within(socket: &mut Socket, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Err(_) => return None,
            Ok(Some(Ok(Message::Close(_)))) | Ok(Some(Err(_))) | Ok(None) => return Some(started.elapsed()),
            Ok(Some(Ok(_))) => {}
        }
    }
}

/// Reads `camera`'s restream as `username`, as VLC would, for up to two minutes.
fn rtsp_viewer(stack: &Sandbox, username: &str, camera: uuid::Uuid) -> tokio::process::Child {
    let rtsp = format!("rtsp://{username}:{PASSWORD}@{}/{camera}/main", stack.config.restream.listen);
    tokio::process::Command::new("ffmpeg")
        .args(["-v", "error", "-rtsp_transport", "tcp", "-i", &rtsp, "-t", "120", "-c", "copy", "-f", "null", "-"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("ffmpeg should be installed")
}

/// Waits for the first keyframe of `camera`, through control's snapshot.
async fn wait_for_pictures(stack: &Sandbox, token: &str, camera: uuid::Uuid) {
    wait_until("the stream's first keyframe", Duration::from_secs(40), || async {
        let url = format!("{}/api/cameras/{camera}/snapshot", stack.http());
        let r = reqwest::Client::new().get(url).bearer_auth(token).send().await.unwrap();
        r.status().is_success().then_some(())
    })
    .await;
}

/// A simulated camera on a fresh stack, with two viewers: `leaver` (whose id
/// is returned) and `stayer`.
async fn leaver_and_stayer() -> (vms_camsim::Camsim, Sandbox, uuid::Uuid, uuid::Uuid) {
    let (sim, stack, camera) = one_camera("h264_720p").await;
    let revoked = stack.add_user("leaver", PASSWORD, &["viewer"]).await;
    stack.add_user("stayer", PASSWORD, &["viewer"]).await;
    (sim, stack, camera, revoked)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn disabling_a_user_ends_their_restream_and_live_viewers() {
    let (sim, stack, camera, revoked) = leaver_and_stayer().await;
    stack.add_user("boss", PASSWORD, &["admin"]).await;
    let control = stack.start_control().await;
    let media = stack.start_media();
    stack.add_user("changer", PASSWORD, &["viewer"]).await;
    let boss = stack.login("boss", PASSWORD).await;
    wait_for_pictures(&stack, &boss, camera).await;

    // The leaver reads the restream with their password, as VLC would, and watches over MSE.
    let mut ffmpeg = rtsp_viewer(&stack, "leaver", camera);
    let mut changer = rtsp_viewer(&stack, "changer", camera);
    let mut leaver = mse(&stack, "leaver", camera).await;
    let mut stayer = mse(&stack, "stayer", camera).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(ffmpeg.try_wait().unwrap().is_none(), "the leaver's restream session plays");

    let disabled = reqwest::Client::new()
        .patch(format!("{}/api/users/{revoked}", stack.http()))
        .bearer_auth(&boss)
        .json(&serde_json::json!({"disabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(disabled.status(), 200);
    let cut = Instant::now();

    let took = ended_within(&mut leaver, CUT_WITHIN).await;
    assert!(took.is_some(), "the disabled user's MSE viewer still plays after {CUT_WITHIN:?}");
    let remaining = CUT_WITHIN.saturating_sub(cut.elapsed()) + Duration::from_secs(2);
    let exited = tokio::time::timeout(remaining, ffmpeg.wait()).await;
    assert!(exited.is_ok(), "the disabled user's restream session still plays {:?} after", cut.elapsed());
    assert!(pictures_for(&mut stayer, Duration::from_secs(3)).await > 30, "another user's viewer plays on");

    // The changer's restream session was opened with a password they have now changed.
    assert!(changer.try_wait().unwrap().is_none(), "the changer's restream session plays");
    let token = stack.login("changer", PASSWORD).await;
    let changed = reqwest::Client::new()
        .post(format!("{}/api/auth/password", stack.http()))
        .bearer_auth(&token)
        .json(&serde_json::json!({"current_password": PASSWORD, "new_password": "Changed-password-2"}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 204);
    let exited = tokio::time::timeout(CUT_WITHIN, changer.wait()).await;
    assert!(exited.is_ok(), "the restream session the old password opened still plays after {CUT_WITHIN:?}");

    media.stop().await;
    control.stop().await;
    sim.stop().await;
}

/// A revocation published while the media plane was cut off from NATS is
/// never heard; the media plane finds it in the Redis record within seconds.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_revocation_missed_on_nats_is_found_in_redis() {
    let (sim, stack, camera, revoked) = leaver_and_stayer().await;
    let control = stack.start_control().await;
    let media = stack.start_media();
    let token = stack.login("stayer", PASSWORD).await;
    wait_for_pictures(&stack, &token, camera).await;
    let mut leaver = mse(&stack, "leaver", camera).await;
    let mut stayer = mse(&stack, "stayer", camera).await;
    // A user watching nothing here yet holds a ticket, to try after their revocation.
    let latecomer = stack.add_user("latecomer", PASSWORD, &["viewer"]).await;
    let latecomer_token = stack.login("latecomer", PASSWORD).await;
    let early_ticket = stack.ticket(&latecomer_token, camera, "live").await;
    tokio::time::sleep(Duration::from_millis(1100)).await;

    // Only the record: no message on NATS.
    let hot = vms_bus::hot::HotState::new(stack.env.redis_url(), format!("{}:", stack.prefix)).unwrap();
    let now = chrono::Utc::now().timestamp();
    hot.revoke_user_tickets(revoked, now, Duration::from_secs(600)).await.unwrap();
    hot.revoke_user_tickets(latecomer, now, Duration::from_secs(600)).await.unwrap();
    let within = Duration::from_secs(5) + CUT_WITHIN;
    assert!(ended_within(&mut leaver, within).await.is_some(), "the revoked viewer still plays after {within:?}");
    assert!(pictures_for(&mut stayer, Duration::from_secs(2)).await > 20, "another user's viewer plays on");
    // The ticket issued before the revocation opens nothing now, though no message said so
    // and its holder was watching nothing the media plane could have cut.
    let url = format!("ws://{}/api/live/{camera}/main/ws?ticket={early_ticket}", stack.config.control.listen);
    match tokio_tungstenite::connect_async(url).await {
        Err(_) => {}
        Ok((mut socket, _)) => {
            let played = pictures_for(&mut socket, Duration::from_secs(2)).await;
            assert_eq!(played, 0, "a ticket issued before the recorded revocation plays");
        }
    }

    // A viewing admitted after the recorded revocation is not cut by it.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let mut again = mse(&stack, "leaver", camera).await;
    let played = pictures_for(&mut again, Duration::from_secs(7)).await;
    assert!(played > 100, "a later viewing plays on through rechecks ({played} pictures)");

    media.stop().await;
    control.stop().await;
    sim.stop().await;
}
