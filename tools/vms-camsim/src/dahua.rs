//! A simulated Dahua NVR speaking RPC2 (JSON over HTTP), written from the
//! public Dahua HTTP API documentation: the two-step `global.login` on
//! `/RPC2_Login` (a challenge with a fresh `random` per login, then the
//! password proof of [`vms_devices::dahua::login_hash`]), and on `/RPC2` the
//! `magicBox` identity calls, `configManager.getConfig` for `ChannelTitle`
//! and `RTSP`, `LogicDeviceManager.getCameraState` and `global.logout`.
//! Sessions are kept in a bounded map; a call in an unknown session gets
//! "Invalid session", an unknown method "Method not found". Channels stream
//! from the simulator's RTSP server at `/cam/realmonitor?channel=N&subtype=0|1`.
//!
//! The event stream, `GET /cgi-bin/eventManager.cgi?action=attach&codes=[All]&heartbeat=N`
//! (HTTP Digest), is `multipart/x-mixed-replace` with boundary `myboundary`:
//! a `Heartbeat` part every N seconds (1 to 60, default 5; `heartbeat_ms`
//! overrides it) and a `Code=...;action=...;index=...` part for each alarm
//! [`DahuaNvr::raise`] raises. `codes` is not filtered on.

use std::{
    collections::{HashMap, VecDeque},
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Router,
    body::Bytes,
    extract::{RawQuery, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use rand::Rng;
use serde_json::{Value, json};
use vms_devices::{
    alarm::AlarmKind,
    dahua::{ACCOUNT_LOCKED, BAD_PASSWORD, INVALID_SESSION, LOGIN_CHALLENGE, METHOD_NOT_FOUND, login_hash},
};

pub use crate::nvr::NvrConfig;
use crate::{
    event_stream::{EventStreams, Heartbeat},
    http_digest::DigestAuth,
    nvr::Served,
};

/// The most sessions kept; the oldest is forgotten first.
const MAX_SESSIONS: usize = 64;
/// A request that is not JSON-RPC.
const INVALID_REQUEST: i64 = 268_894_209;
/// A config name the device does not have.
const NO_SUCH_CONFIG: i64 = 268_959_743;
/// The event stream's heartbeat, in seconds, when the request names none.
const HEARTBEAT_SECS: u64 = 5;
/// The longest heartbeat asked for that is accepted, in seconds.
const MAX_HEARTBEAT_SECS: u64 = 60;
const EVENT_STREAM: &str = "multipart/x-mixed-replace; boundary=myboundary";

/// One login, pending its proof or done.
struct Login {
    random: String,
    logged_in: bool,
}

#[derive(Default)]
struct Sessions {
    order: VecDeque<String>,
    by_id: HashMap<String, Login>,
}

impl Sessions {
    fn insert(&mut self, id: String, login: Login) {
        while self.order.len() >= MAX_SESSIONS {
            if let Some(old) = self.order.pop_front() {
                self.by_id.remove(&old);
            }
        }
        self.order.push_back(id.clone());
        self.by_id.insert(id, login);
    }

    fn remove(&mut self, id: &str) {
        self.order.retain(|s| s != id);
        self.by_id.remove(id);
    }
}

struct Nvr {
    config: NvrConfig,
    rtsp_port: u16,
    sessions: Mutex<Sessions>,
    digest: DigestAuth,
    streams: EventStreams,
}

/// One event stream part holding `text`.
fn event_part(text: &str) -> Bytes {
    Bytes::from(format!("--myboundary\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{text}\r\n", text.len()))
}

impl Nvr {
    fn realm(&self) -> String {
        format!("Login to {}", self.config.serial("CS"))
    }

    /// A session id as the device writes it: a number on older firmwares.
    fn session_value(&self, id: &str) -> Value {
        match (self.config.numeric_session, id.parse::<u64>()) {
            (true, Ok(n)) => json!(n),
            _ => json!(id),
        }
    }
}

/// A running simulated Dahua NVR.
pub struct DahuaNvr {
    nvr: Arc<Nvr>,
    served: Served,
}

impl DahuaNvr {
    /// Serves `config` on `http`; its channels stream from the simulator's
    /// RTSP server on `rtsp_port` of the same host.
    pub async fn start(config: NvrConfig, http: SocketAddr, rtsp_port: u16) -> anyhow::Result<DahuaNvr> {
        let digest = DigestAuth::new(&format!("Login to {}", config.serial("CS")));
        let nvr =
            Arc::new(Nvr { config, rtsp_port, sessions: Mutex::default(), digest, streams: EventStreams::default() });
        let name = nvr.config.name.clone();
        let router = Router::new()
            .route("/RPC2_Login", post(login))
            .route("/RPC2", post(call))
            .route("/cgi-bin/eventManager.cgi", get(event_manager))
            .fallback(|| async { (StatusCode::NOT_FOUND, "Not Found") })
            .with_state(nvr.clone());
        let served = Served::start(router, http).await?;
        tracing::info!(%name, http = %served.addr, "simulated Dahua NVR serving");
        Ok(DahuaNvr { nvr, served })
    }

    /// Sends an event to every open event stream: `channel` is the video
    /// channel (from 1; sent as `index` from 0), or the input's number for
    /// [`AlarmKind::Input`]. A line crossing that starts is a `Pulse`.
    pub fn raise(&self, kind: AlarmKind, channel: u32, active: bool) {
        let code = match kind {
            AlarmKind::Motion => "VideoMotion",
            AlarmKind::LineCrossing => "CrossLineDetection",
            AlarmKind::Intrusion => "CrossRegionDetection",
            AlarmKind::Tamper => "VideoBlind",
            AlarmKind::VideoLoss => "VideoLoss",
            AlarmKind::Input => "AlarmLocal",
            AlarmKind::Heartbeat => return self.nvr.streams.send(&event_part("Heartbeat")),
            AlarmKind::Other => "StorageNotExist",
        };
        let action = match (kind, active) {
            (AlarmKind::LineCrossing, true) => "Pulse",
            (_, true) => "Start",
            (_, false) => "Stop",
        };
        let index = channel.saturating_sub(1);
        self.nvr.streams.send(&event_part(&format!("Code={code};action={action};index={index}")));
    }

    /// Breaks every open event stream, as a dropped connection would.
    pub fn drop_event_streams(&self) {
        self.nvr.streams.drop_all();
    }

    /// `http://host:port/`.
    pub fn base_url(&self) -> String {
        self.served.base_url()
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.served.addr
    }

    /// Stops serving (open event streams are broken first).
    pub async fn stop(self) {
        self.drop_event_streams();
        self.served.stop().await;
    }
}

fn reply(body: &Value) -> Response {
    raw(body.to_string())
}

fn raw(body: String) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, "application/json; charset=UTF-8")], body).into_response()
}

fn error(id: &Value, session: Option<&Value>, code: i64, message: &str) -> Response {
    let mut body = json!({"error": {"code": code, "message": message}, "id": id, "result": false});
    if let Some(session) = session {
        body["session"] = session.clone();
    }
    reply(&body)
}

/// The session a request names, as the key it is kept under.
fn session_key(request: &Value) -> Option<String> {
    match request.get("session")? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// An RPC2 request's JSON, after the configured delay; an error reply if it is not JSON.
async fn request(nvr: &Nvr, body: &[u8]) -> Result<Value, Response> {
    if let Some(delay) = nvr.config.slow {
        tokio::time::sleep(delay).await;
    }
    serde_json::from_slice::<Value>(body).map_err(|_| error(&Value::Null, None, INVALID_REQUEST, "Invalid request"))
}

async fn login(State(nvr): State<Arc<Nvr>>, body: Bytes) -> Response {
    let c = &nvr.config;
    let request = match request(&nvr, &body).await {
        Ok(request) => request,
        Err(refused) => return refused,
    };
    let id = request.get("id").cloned().unwrap_or(Value::Null);
    let params = request.get("params").cloned().unwrap_or(Value::Null);
    let user = params.get("userName").and_then(Value::as_str).unwrap_or("");
    let password = params.get("password").and_then(Value::as_str).unwrap_or("");
    let pending = session_key(&request).and_then(|key| {
        let sessions = nvr.sessions.lock().expect("sessions lock");
        sessions.by_id.get(&key).filter(|l| !l.logged_in).map(|l| (key, l.random.clone()))
    });
    match pending {
        Some((key, random)) if !password.is_empty() => {
            let session = nvr.session_value(&key);
            if c.locked {
                nvr.sessions.lock().expect("sessions lock").remove(&key);
                return error(&id, Some(&session), ACCOUNT_LOCKED, "Component error: User has been locked!");
            }
            if user == c.username && password == login_hash(&c.username, &c.password, &nvr.realm(), &random) {
                if let Some(login) = nvr.sessions.lock().expect("sessions lock").by_id.get_mut(&key) {
                    login.logged_in = true;
                }
                return reply(&json!({"id": id, "params": Value::Null, "result": true, "session": session}));
            }
            // Each challenge answers once.
            nvr.sessions.lock().expect("sessions lock").remove(&key);
            error(&id, Some(&session), BAD_PASSWORD, "Component error: User or password not valid!")
        }
        _ => {
            let mut rng = rand::thread_rng();
            let key = if c.numeric_session {
                rng.gen_range(1..i32::MAX as u64).to_string()
            } else {
                vms_rtsp::auth::new_nonce()
            };
            let random = rng.gen_range(100_000_000u64..10_000_000_000).to_string();
            nvr.sessions
                .lock()
                .expect("sessions lock")
                .insert(key.clone(), Login { random: random.clone(), logged_in: false });
            reply(&json!({
                "error": {"code": LOGIN_CHALLENGE, "message": "Component error: login challenge!"},
                "id": id,
                "params": {"encryption": "Default", "random": random, "realm": nvr.realm()},
                "result": false,
                "session": nvr.session_value(&key),
            }))
        }
    }
}

async fn call(State(nvr): State<Arc<Nvr>>, body: Bytes) -> Response {
    let c = &nvr.config;
    let request = match request(&nvr, &body).await {
        Ok(request) => request,
        Err(refused) => return refused,
    };
    let id = request.get("id").cloned().unwrap_or(Value::Null);
    let key = session_key(&request).unwrap_or_default();
    let logged_in = nvr.sessions.lock().expect("sessions lock").by_id.get(&key).is_some_and(|l| l.logged_in);
    if !logged_in {
        return error(&id, request.get("session"), INVALID_SESSION, "Invalid session in request data!");
    }
    let session = nvr.session_value(&key);
    let ok = |params: Value| reply(&json!({"id": id, "params": params, "result": true, "session": session}));
    let method = request.get("method").and_then(Value::as_str).unwrap_or("");
    let params = request.get("params").cloned().unwrap_or(Value::Null);
    match method {
        "magicBox.getDeviceType" => ok(json!({"type": c.model.as_deref().unwrap_or("CamSim RPC2 NVR")})),
        "magicBox.getSerialNo" => ok(json!({"sn": c.serial("CS")})),
        "magicBox.getSoftwareVersion" => ok(json!({"version": {
            "Build": "3", "BuildDate": "2023-05-10", "SecurityBaseLineVersion": "2.2",
            "Version": "4.001.0000000.3.R", "WebVersion": "3.2.1.1284779",
        }})),
        "magicBox.getMachineName" => ok(json!({"name": c.name})),
        "configManager.getConfig" => match params.get("name").and_then(Value::as_str) {
            Some("ChannelTitle") if c.malformed => {
                raw(format!(r#"{{"id":{id},"params":{{"table":[{{"Name":"Camera 01"}},{{"Na"#))
            }
            Some("ChannelTitle") => {
                let table: Vec<Value> = (1..=c.channels).map(|n| json!({"Name": c.channel_name(n)})).collect();
                ok(json!({"table": table}))
            }
            Some("RTSP") => ok(json!({"table": {
                "Enable": true, "MaxConnectNum": 10, "Port": nvr.rtsp_port,
                "RTP": {"EndPort": 40000, "StartPort": 20000},
                "RtspOverHttp": {"Enable": true, "Port": 80},
            }})),
            _ => error(&id, Some(&session), NO_SUCH_CONFIG, "Config not found"),
        },
        "LogicDeviceManager.getCameraState" => {
            let states: Vec<Value> = (1..=c.channels)
                .map(|n| {
                    let state = if c.online(n) { "Connected" } else { "Disconnected" };
                    json!({"channel": n - 1, "connectionState": state, "uniqueChannel": n - 1})
                })
                .collect();
            ok(json!({"states": states}))
        }
        "global.logout" => {
            nvr.sessions.lock().expect("sessions lock").remove(&key);
            reply(&json!({"id": id, "params": Value::Null, "result": true, "session": session}))
        }
        _ => error(&id, Some(&session), METHOD_NOT_FOUND, "Method not found"),
    }
}

/// `GET /cgi-bin/eventManager.cgi?action=attach&codes=[...]&heartbeat=N`.
async fn event_manager(State(nvr): State<Arc<Nvr>>, RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    let c = &nvr.config;
    if let Some(delay) = c.slow {
        tokio::time::sleep(delay).await;
    }
    if !nvr.digest.verify(&headers, "GET", &c.username, &c.password) {
        return nvr.digest.challenge("text/plain", "Error\r\nUnauthorized!\r\n".to_owned());
    }
    let bad_request = || {
        (StatusCode::BAD_REQUEST, [(header::CONTENT_TYPE, "text/plain")], "Error\r\nBad Request!\r\n").into_response()
    };
    let (mut attach, mut every) = (false, Duration::from_secs(HEARTBEAT_SECS));
    for pair in query.as_deref().unwrap_or("").split('&') {
        match pair.split_once('=') {
            Some(("action", action)) => attach = action == "attach",
            Some(("heartbeat", secs)) => match secs.parse::<u64>() {
                Ok(secs @ 1..=MAX_HEARTBEAT_SECS) => every = Duration::from_secs(secs),
                _ => return bad_request(),
            },
            _ => {}
        }
    }
    if !attach {
        return bad_request();
    }
    let heartbeat: Heartbeat = Arc::new(|| event_part("Heartbeat"));
    match nvr.streams.open(c.heartbeat.unwrap_or(every), heartbeat) {
        Some(body) => ([(header::CONTENT_TYPE, EVENT_STREAM)], body).into_response(),
        None => {
            (StatusCode::SERVICE_UNAVAILABLE, [(header::CONTENT_TYPE, "text/plain")], "Error\r\nToo many streams!\r\n")
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_are_bounded_oldest_first() {
        let mut sessions = Sessions::default();
        for n in 0..MAX_SESSIONS + 5 {
            sessions.insert(n.to_string(), Login { random: String::new(), logged_in: true });
        }
        assert_eq!(sessions.by_id.len(), MAX_SESSIONS);
        assert!(!sessions.by_id.contains_key("0") && sessions.by_id.contains_key(&(MAX_SESSIONS + 4).to_string()));
        sessions.remove("10");
        assert_eq!((sessions.by_id.len(), sessions.order.len()), (MAX_SESSIONS - 1, MAX_SESSIONS - 1));
    }
}
