//! Dahua RPC2: an NVR's identity and channels over JSON-RPC on HTTP.
//!
//! A session starts with two `global.login` calls on `/RPC2_Login`: the
//! first, with an empty password, is answered with a challenge (`random`,
//! `realm`, `encryption` and a session); the second proves the password with
//! [`login_hash`] in that session. Then each call is a POST to `/RPC2`
//! carrying the session, and `global.logout` ends it:
//!
//! | method | what is read |
//! |---|---|
//! | `magicBox.getDeviceType`, `getSerialNo`, `getSoftwareVersion`, `getMachineName` | identity (each optional) |
//! | `configManager.getConfig` `ChannelTitle` | the channels: entry *i* is channel *i* + 1 |
//! | `configManager.getConfig` `RTSP` | the RTSP port (554 when not said) |
//! | `LogicDeviceManager.getCameraState` | whether each channel's camera is connected (optional) |
//!
//! Channel *n* streams at `rtsp://host:port/cam/realmonitor?channel=n&subtype=0`
//! (main) and `subtype=1` (sub). Replies are read liberally: numbers may come
//! as strings, sessions as strings or numbers, fields may be missing.

pub mod event_stream;

use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use md5::{Digest, Md5};
use reqwest::Method;
use serde_json::{Value, json};
use url::Url;

use crate::{
    Credentials, DeviceError, Limits,
    http::DeviceHttp,
    nvr::{self, Channel, Identity, Inventory},
    soap::clip,
};

/// The RTSP port when the device does not say.
pub const DEFAULT_RTSP_PORT: u16 = 554;
/// The first login's answer: "login challenge!".
pub const LOGIN_CHALLENGE: i64 = 268_632_079;
/// The account is locked after too many wrong passwords.
pub const ACCOUNT_LOCKED: i64 = 268_632_081;
/// The user name or password is wrong.
pub const BAD_PASSWORD: i64 = 268_632_085;
/// The method does not exist.
pub const METHOD_NOT_FOUND: i64 = 268_894_210;
/// The call's session is unknown or expired.
pub const INVALID_SESSION: i64 = 287_637_505;

/// The password proof for the `Default` encryption:
/// `MD5(user:random:MD5(user:realm:password))`, hex in upper case.
pub fn login_hash(username: &str, password: &str, realm: &str, random: &str) -> String {
    let md5 = |text: String| hex_upper(&Md5::digest(text.as_bytes()));
    let inner = md5(format!("{username}:{realm}:{password}"));
    md5(format!("{username}:{random}:{inner}"))
}

fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// An error a call reported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RpcError {
    /// Its code.
    pub code: Option<i64>,
    /// Its message (clipped).
    pub message: Option<String>,
}

impl RpcError {
    fn fault(&self) -> DeviceError {
        DeviceError::Fault {
            code: self.code.map_or_else(|| "unknown".to_owned(), |c| c.to_string()),
            reason: self.message.clone().unwrap_or_else(|| "no reason given".to_owned()),
        }
    }
}

/// One RPC2 reply.
#[derive(Debug, Clone, PartialEq)]
pub struct RpcReply {
    /// Whether `result` says the call succeeded.
    pub ok: bool,
    /// `result` when it is a value rather than a flag.
    pub result: Value,
    /// `params` (`Null` when absent).
    pub params: Value,
    /// `error`, if any.
    pub error: Option<RpcError>,
    /// `session`, as the device wrote it (a string or, on older firmwares, a number).
    pub session: Option<Value>,
}

/// A string, or a number written as one.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A whole number, or a string holding one.
fn number(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Device text fit to keep: clipped, `None` when blank.
fn field(value: &Value) -> Option<String> {
    crate::soap::clip_field(text(value).as_deref(), nvr::MAX_NAME)
}

/// Reads an RPC2 reply body.
pub fn read_reply(status: u16, body: &[u8]) -> Result<RpcReply, DeviceError> {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(_) if !(200..300).contains(&status) => return Err(DeviceError::Http { status }),
        // The parser's words say where, never what: the body is not echoed.
        Err(e) => return Err(DeviceError::Json(clip(&e.to_string(), 120))),
    };
    let Value::Object(mut reply) = value else {
        return Err(DeviceError::Json("the reply is not a JSON object".into()));
    };
    let error = reply.get("error").filter(|e| !e.is_null()).map(|e| RpcError {
        code: e.get("code").and_then(number),
        message: e.get("message").and_then(field).map(|m| clip(&m, 200)),
    });
    let result = reply.remove("result").unwrap_or(Value::Null);
    let ok = match &result {
        Value::Bool(b) => *b,
        Value::Null => error.is_none(),
        Value::Number(n) => n.as_i64() != Some(0),
        Value::String(s) => !s.eq_ignore_ascii_case("false"),
        _ => true,
    };
    if !ok && error.is_none() && !(200..300).contains(&status) {
        return Err(DeviceError::Http { status });
    }
    let session = reply.remove("session").filter(|s| matches!(s, Value::String(t) if !t.is_empty()) || s.is_number());
    Ok(RpcReply { ok, result, params: reply.remove("params").unwrap_or(Value::Null), error, session })
}

/// The first login's challenge.
#[derive(Debug, Clone, PartialEq)]
pub struct Challenge {
    /// How the password is to be proven (`Default`).
    pub encryption: String,
    /// The random the proof hashes.
    pub random: String,
    /// The realm the proof hashes.
    pub realm: String,
    /// The session the second login goes in.
    pub session: Value,
}

/// Reads the first login's reply as a challenge.
pub fn read_challenge(reply: &RpcReply) -> Result<Challenge, DeviceError> {
    let params = &reply.params;
    let (Some(random), Some(realm)) = (params.get("random").and_then(text), params.get("realm").and_then(text)) else {
        return Err(match &reply.error {
            Some(error) if error.code != Some(LOGIN_CHALLENGE) => login_error(error),
            _ => DeviceError::Missing("a login challenge"),
        });
    };
    Ok(Challenge {
        encryption: params.get("encryption").and_then(text).unwrap_or_else(|| "Default".to_owned()),
        random,
        realm,
        session: reply.session.clone().ok_or(DeviceError::Missing("a login session"))?,
    })
}

/// What a refused login means.
fn login_error(error: &RpcError) -> DeviceError {
    match error.code {
        Some(ACCOUNT_LOCKED) => DeviceError::Fault {
            code: ACCOUNT_LOCKED.to_string(),
            reason: "the account is locked after too many wrong passwords; wait or unlock it on the NVR".into(),
        },
        _ => DeviceError::AuthFailed,
    }
}

/// `magicBox.getDeviceType`'s `type`.
pub fn read_device_type(params: &Value) -> Option<String> {
    params.get("type").and_then(field)
}

/// `magicBox.getSerialNo`'s `sn`.
pub fn read_serial(params: &Value) -> Option<String> {
    params.get("sn").and_then(field)
}

/// `magicBox.getSoftwareVersion`'s `version.Version` (or a bare `version`).
pub fn read_software_version(params: &Value) -> Option<String> {
    let version = params.get("version")?;
    version.get("Version").and_then(field).or_else(|| field(version))
}

/// `magicBox.getMachineName`'s `name`.
pub fn read_machine_name(params: &Value) -> Option<String> {
    params.get("name").and_then(field)
}

/// The `table` of a `configManager.getConfig` reply.
fn table(params: &Value) -> Option<&Value> {
    params.get("table").filter(|t| !t.is_null())
}

/// `ChannelTitle`'s table: one title per channel, index *i* being channel
/// *i* + 1, at most [`nvr::MAX_CHANNELS`]. An entry without a name is an
/// untitled channel.
pub fn read_channel_titles(params: &Value) -> Result<Vec<Option<String>>, DeviceError> {
    let entries = match table(params).ok_or(DeviceError::Missing("the channel titles"))? {
        Value::Array(entries) => entries.iter().collect(),
        // One channel, written without its array.
        one @ Value::Object(_) => vec![one],
        _ => return Err(DeviceError::Json("the channel titles are not a list".into())),
    };
    Ok(entries.into_iter().take(nvr::MAX_CHANNELS).map(|e| e.get("Name").and_then(field)).collect())
}

/// `RTSP`'s table: its `Port`, if valid.
pub fn read_rtsp_port(params: &Value) -> Option<u16> {
    let table = match table(params)? {
        Value::Array(entries) => entries.first()?,
        table => table,
    };
    table.get("Port").and_then(number).and_then(|p| u16::try_from(p).ok()).filter(|p| *p != 0)
}

/// `LogicDeviceManager.getCameraState`'s states: each channel number (from
/// 1) with whether its camera is connected.
pub fn read_camera_states(params: &Value) -> Vec<(u32, bool)> {
    let Some(Value::Array(states)) = params.get("states") else { return Vec::new() };
    states
        .iter()
        .filter_map(|s| {
            let channel = u32::try_from(s.get("channel").and_then(number)?).ok()?;
            let state = s.get("connectionState").and_then(text)?;
            let state = state.trim();
            if state.is_empty() {
                return None;
            }
            Some((channel.checked_add(1)?, state.eq_ignore_ascii_case("Connected")))
        })
        .collect()
}

/// Channels from their titles, streaming from `rtsp`.
pub fn channels(titles: &[Option<String>], states: &[(u32, bool)], rtsp: &Url) -> Result<Vec<Channel>, DeviceError> {
    (1u32..)
        .zip(titles.iter().take(nvr::MAX_CHANNELS))
        .map(|(number, title)| {
            let stream = |subtype: u8| {
                rtsp.join(&format!("cam/realmonitor?channel={number}&subtype={subtype}"))
                    .map_err(|_| DeviceError::Invalid("a channel's RTSP address is not valid".into()))
            };
            Ok(Channel {
                number,
                name: title.clone(),
                online: states.iter().find(|(n, _)| *n == number).map(|(_, online)| *online),
                main: stream(0)?,
                sub: Some(stream(1)?),
                source: None,
            })
        })
        .collect()
}

/// A logged-in RPC2 session.
struct Rpc {
    http: DeviceHttp,
    url: Url,
    session: Value,
    next_id: AtomicU64,
}

fn join(base: &Url, path: &str) -> Result<Url, DeviceError> {
    base.join(path).map_err(|_| DeviceError::Invalid("the NVR address cannot take a path".into()))
}

async fn post(http: &DeviceHttp, url: &Url, request: &Value) -> Result<RpcReply, DeviceError> {
    let body = Bytes::from(serde_json::to_vec(request).expect("a JSON value serialises"));
    let reply = http.send(Method::POST, url, Some("application/json"), body).await?;
    read_reply(reply.status, &reply.body)
}

impl Rpc {
    /// Logs in with the challenge and its proof.
    async fn login(base: &Url, credentials: &Credentials, limits: Limits) -> Result<Rpc, DeviceError> {
        // RPC2 carries its own login; HTTP Digest is answered too, for firmwares that put one in front.
        let http = DeviceHttp::new(limits, Some(credentials.clone()));
        let login = join(base, "RPC2_Login")?;
        let user = credentials.username.as_str();
        let first = json!({
            "method": "global.login",
            "params": {"userName": user, "password": "", "clientType": "Web3.0", "loginType": "Direct"},
            "id": 1,
        });
        let reply = post(&http, &login, &first).await?;
        let session = if reply.ok {
            // No password asked for.
            reply.session.ok_or(DeviceError::Missing("a login session"))?
        } else {
            let challenge = read_challenge(&reply)?;
            if !challenge.encryption.eq_ignore_ascii_case("Default") {
                return Err(DeviceError::Unsupported("Dahua logins other than the Default encryption"));
            }
            let second = json!({
                "method": "global.login",
                "params": {
                    "userName": user,
                    "password": login_hash(user, &credentials.password, &challenge.realm, &challenge.random),
                    "clientType": "Web3.0",
                    "loginType": "Direct",
                    "authorityType": "Default",
                    "passwordType": "Default",
                },
                "id": 2,
                "session": challenge.session,
            });
            let reply = post(&http, &login, &second).await?;
            if !reply.ok {
                return Err(login_error(&reply.error.unwrap_or_default()));
            }
            reply.session.unwrap_or(challenge.session)
        };
        Ok(Rpc { http, url: join(base, "RPC2")?, session, next_id: AtomicU64::new(3) })
    }

    /// Calls `method`, returning its `params` (or its `result` when it has no params).
    async fn call(&self, method: &str, params: Value) -> Result<Value, DeviceError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let request = json!({"method": method, "params": params, "id": id, "session": self.session});
        let reply = post(&self.http, &self.url, &request).await?;
        if !reply.ok {
            return Err(reply.error.unwrap_or_default().fault());
        }
        Ok(if reply.params.is_null() { reply.result } else { reply.params })
    }

    async fn config(&self, name: &str) -> Result<Value, DeviceError> {
        self.call("configManager.getConfig", json!({"name": name})).await
    }

    async fn inventory(&self, base: &Url) -> Result<Inventory, DeviceError> {
        let optional = |r: Result<Value, DeviceError>, what: &str| match r {
            Ok(params) => Some(params),
            Err(e) => {
                tracing::debug!(host = %crate::http::host_of(base), what, error = %e, "identity field unreadable");
                None
            }
        };
        let model = optional(self.call("magicBox.getDeviceType", Value::Null).await, "type");
        let serial = optional(self.call("magicBox.getSerialNo", Value::Null).await, "serial");
        let firmware = optional(self.call("magicBox.getSoftwareVersion", Value::Null).await, "version");
        let name = optional(self.call("magicBox.getMachineName", Value::Null).await, "name");
        let titles = read_channel_titles(&self.config("ChannelTitle").await?)?;
        let port = self.config("RTSP").await.ok().and_then(|p| read_rtsp_port(&p));
        let states = self
            .call("LogicDeviceManager.getCameraState", json!({"uniqueChannels": [-1]}))
            .await
            .map(|p| read_camera_states(&p))
            .unwrap_or_default();
        let rtsp = nvr::rtsp_base(base, port.unwrap_or(DEFAULT_RTSP_PORT))?;
        Ok(Inventory {
            identity: Identity {
                manufacturer: Some("Dahua".into()),
                model: model.as_ref().and_then(read_device_type),
                name: name.as_ref().and_then(read_machine_name),
                serial: serial.as_ref().and_then(read_serial),
                firmware: firmware.as_ref().and_then(read_software_version),
            },
            channels: channels(&titles, &states, &rtsp)?,
        })
    }

    async fn logout(&self) {
        if let Err(e) = self.call("global.logout", Value::Null).await {
            tracing::debug!(error = %e, "logout refused");
        }
    }
}

/// Reads the identity and channels of the RPC2 device at `base`.
pub async fn inventory(base: &Url, credentials: &Credentials, limits: Limits) -> Result<Inventory, DeviceError> {
    let rpc = Rpc::login(base, credentials, limits).await?;
    let read = rpc.inventory(base).await;
    // A device that stopped answering will not answer a logout either.
    if !matches!(read, Err(DeviceError::Timeout { .. } | DeviceError::Unreachable { .. })) {
        rpc.logout().await;
    }
    read
}

#[cfg(test)]
mod tests {
    use super::*;

    fn testdata(name: &str) -> RpcReply {
        let path = format!("{}/testdata/dahua/{name}", env!("CARGO_MANIFEST_DIR"));
        read_reply(200, &std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))).unwrap()
    }

    #[test]
    fn the_login_hash_matches_an_independent_computation() {
        // Computed with Python's hashlib from the formula in the module's documentation.
        assert_eq!(
            login_hash("admin", "camsim", "Login to 4M0123PAZ5D1F2A", "1234567890"),
            "17ED622DE260DFDEAF69BF7DA971BD5C"
        );
        assert_eq!(
            login_hash("operator", "S3cret!", "Login to DH-NVR", "987654321"),
            "88EA801355A778A1DA72D0BBF344A13C"
        );
    }

    #[test]
    fn challenges_read_with_string_or_number_sessions() {
        let challenge = read_challenge(&testdata("login_challenge.json")).unwrap();
        assert_eq!(challenge.encryption, "Default");
        assert_eq!(challenge.random, "1407268386");
        assert_eq!(challenge.realm, "Login to 4M0123PAZ5D1F2A");
        assert_eq!(challenge.session, json!("7f3b2a1c9d8e4f5a6b7c8d9e0f1a2b3c"));
        let old = read_challenge(&testdata("login_challenge_numeric_session.json")).unwrap();
        assert_eq!(old.session, json!(2_147_483_142));
        assert_eq!(old.random, "53216784");
    }

    #[test]
    fn refused_logins_say_why() {
        let wrong = testdata("login_bad_password.json");
        assert!(!wrong.ok);
        assert_eq!(login_error(&wrong.error.unwrap()), DeviceError::AuthFailed);
        let locked = testdata("login_locked.json");
        let err = login_error(&locked.error.unwrap());
        assert!(err.to_string().contains("locked"), "{err}");
        let no_challenge = read_reply(200, br#"{"result":false,"error":{"code":268632081,"message":"x"},"id":1}"#);
        assert!(read_challenge(&no_challenge.unwrap()).unwrap_err().to_string().contains("locked"));
    }

    #[test]
    fn identity_reads_liberally() {
        assert_eq!(read_device_type(&testdata("device_type.json").params).as_deref(), Some("DHI-NVR4208-8P-4KS2"));
        assert_eq!(read_serial(&testdata("serial_no.json").params).as_deref(), Some("4M0123PAZ5D1F2A"));
        assert_eq!(
            read_software_version(&testdata("software_version.json").params).as_deref(),
            Some("4.001.0000000.3.R")
        );
        assert_eq!(read_machine_name(&json!({"name": 42})).as_deref(), Some("42"));
        assert_eq!(read_machine_name(&json!({})), None);
    }

    #[test]
    fn channel_titles_keep_untitled_channels_in_place() {
        let titles = read_channel_titles(&testdata("channel_title.json").params).unwrap();
        assert_eq!(titles, [Some("Front door".into()), None, Some("Yard".into()), None]);
        let states = read_camera_states(&testdata("camera_state.json").params);
        assert_eq!(states, [(1, true), (2, false), (3, false), (4, true)]);
        let port = read_rtsp_port(&testdata("rtsp_config.json").params);
        assert_eq!(port, Some(10554));
        let rtsp = nvr::rtsp_base(&nvr::base_url("10.0.0.9").unwrap(), port.unwrap()).unwrap();
        let channels = channels(&titles, &states, &rtsp).unwrap();
        assert_eq!(channels.len(), 4);
        assert_eq!(channels[2].main.as_str(), "rtsp://10.0.0.9:10554/cam/realmonitor?channel=3&subtype=0");
        assert_eq!(
            channels[2].sub.as_ref().unwrap().as_str(),
            "rtsp://10.0.0.9:10554/cam/realmonitor?channel=3&subtype=1"
        );
        assert_eq!((channels[1].online, channels[3].online), (Some(false), Some(true)));
        let many = json!({"table": vec![json!({"Name": "x"}); 300]});
        assert_eq!(read_channel_titles(&many).unwrap().len(), nvr::MAX_CHANNELS);
        assert_eq!(read_channel_titles(&json!({})).unwrap_err(), DeviceError::Missing("the channel titles"));
    }

    #[test]
    fn replies_that_are_not_json_say_so_without_the_body() {
        let err = read_reply(200, b"<html>secret-pw</html>").unwrap_err();
        assert!(matches!(&err, DeviceError::Json(reason) if !reason.contains("secret")), "{err}");
        assert_eq!(read_reply(200, b"[1,2]").unwrap_err(), DeviceError::Json("the reply is not a JSON object".into()));
        assert_eq!(read_reply(502, b"Bad Gateway").unwrap_err(), DeviceError::Http { status: 502 });
        let unknown = testdata("unknown_method.json");
        assert!(!unknown.ok);
        assert_eq!(unknown.error.as_ref().unwrap().code, Some(METHOD_NOT_FOUND));
        assert_eq!(
            unknown.error.unwrap().fault(),
            DeviceError::Fault { code: "268894210".into(), reason: "Method not found".into() }
        );
        let numbers = read_reply(200, br#"{"result":"true","params":{"table":{"Port":"554"}},"id":"7"}"#).unwrap();
        assert!(numbers.ok);
        assert_eq!(read_rtsp_port(&numbers.params), Some(554));
    }
}
