//! The SOAP services over HTTP: authentication as devices do it, then one
//! answer per operation.

use std::{sync::Arc, time::Duration};

use axum::{
    Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::post,
};
use base64::{Engine, engine::general_purpose::STANDARD};
use vms_devices::{soap::password_digest, xml::Element};

use super::{Device, events, replies};

/// How far a UsernameToken's `Created` may be from the device's clock.
const TOKEN_WINDOW_SECS: i64 = 300;

/// Operations anyone may call (ONVIF's PRE_AUTH access class).
const PRE_AUTH: [&str; 4] = ["GetSystemDateAndTime", "GetServices", "GetCapabilities", "GetServiceCapabilities"];

pub fn router(device: Arc<Device>) -> Router {
    Router::new().route("/onvif/{service}", post(handle)).with_state(device)
}

fn soap(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/soap+xml; charset=utf-8")], body).into_response()
}

fn fault(device: &Device, status: StatusCode, code: &str, subcode: &str, reason: &str) -> Response {
    let status = if device.config.fault_200 { StatusCode::OK } else { status };
    soap(status, replies::fault(code, subcode, reason))
}

fn not_authorized(device: &Device) -> Response {
    fault(device, StatusCode::BAD_REQUEST, "Sender", "NotAuthorized", "Sender not Authorized")
}

fn challenge(device: &Device) -> Response {
    device.digest.challenge("text/plain; charset=utf-8", "Unauthorized".into())
}

/// How the request proved who it is.
enum Proof {
    /// A valid HTTP Digest answer.
    Digest,
    /// A valid UsernameToken.
    Token,
    /// A UsernameToken that does not check out.
    BadToken,
    /// An HTTP Digest answer that does not check out, or nothing.
    None,
}

fn proof(device: &Device, headers: &HeaderMap, envelope: &Element) -> Proof {
    let c = &device.config;
    if device.digest.verify(headers, "POST", &c.username, &c.password) {
        return Proof::Digest;
    }
    let Some(token) = envelope.find("UsernameToken") else { return Proof::None };
    let checks = || -> Option<bool> {
        let created = token.text_of("Created")?;
        let nonce = STANDARD.decode(token.text_of("Nonce")?).ok()?;
        let when = chrono::DateTime::parse_from_rfc3339(created).ok()?;
        let fresh = (when.with_timezone(&chrono::Utc) - device.now()).num_seconds().abs() <= TOKEN_WINDOW_SECS;
        let digest = password_digest(&nonce, created, &c.password);
        Some(fresh && token.text_of("Username")? == c.username && token.text_of("Password")? == digest)
    };
    if checks() == Some(true) { Proof::Token } else { Proof::BadToken }
}

async fn handle(
    State(device): State<Arc<Device>>,
    Path(service): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(delay) = device.config.slow {
        tokio::time::sleep(delay).await;
    }
    let Ok(envelope) = vms_devices::xml::parse(&body) else {
        return fault(&device, StatusCode::BAD_REQUEST, "Sender", "WellFormed", "the request is not well-formed XML");
    };
    let Some(request) = envelope.find("Body").and_then(|b| b.children.first()) else {
        return fault(&device, StatusCode::BAD_REQUEST, "Sender", "InvalidArgs", "no request in the body");
    };
    let operation = request.name.as_str();
    if !PRE_AUTH.contains(&operation) {
        match (proof(&device, &headers, &envelope), device.config.digest_only) {
            (Proof::Digest, _) | (Proof::Token, false) => {}
            (Proof::Token | Proof::BadToken, true) | (Proof::BadToken, false) => return not_authorized(&device),
            (Proof::None, _) => return challenge(&device),
        }
    }
    if let Some(id) = events::subscription_id(&service) {
        return subscription(&device, id, operation, request).await;
    }
    answer(&device, &service, operation, request)
}

/// A request to PullPoint subscription `id`.
async fn subscription(device: &Device, id: u32, operation: &str, request: &Element) -> Response {
    let ok = |body: String| soap(StatusCode::OK, body);
    let now = device.now();
    let outcome = match operation {
        "PullMessages" => {
            let (wait, limit) = events::pull_request(request, now);
            device
                .events
                .pull(id, wait, limit, || device.now())
                .await
                .map(|(notes, ends)| events::pulled(&notes, device.now(), ends))
        }
        "Renew" => device
            .events
            .renew(id, now, events::keep_of(request.text_of("TerminationTime"), now))
            .map(|ends| events::renewed(now, ends)),
        "SetSynchronizationPoint" => device.events.synchronize(id, now).map(|()| replies::empty("tev", operation)),
        "Unsubscribe" => device.events.unsubscribe(id).map(|()| replies::empty("wsnt", operation)),
        _ => {
            return fault(
                device,
                StatusCode::BAD_REQUEST,
                "Receiver",
                "ActionNotSupported",
                "the operation is not supported",
            );
        }
    };
    match outcome {
        Ok(body) => ok(body),
        Err(_) => fault(device, StatusCode::BAD_REQUEST, "Sender", "InvalidArgVal", "no such subscription: it ended"),
    }
}

fn number(e: Option<&Element>, attr: &str) -> f32 {
    e.and_then(|e| e.attr(attr)).and_then(|v| v.parse().ok()).unwrap_or(0.0)
}

/// Pan, tilt, zoom from the element named `wrapper` in `request`.
fn vector(request: &Element, wrapper: &str) -> Option<[f32; 3]> {
    let at = request.find(wrapper)?;
    Some([number(at.find("PanTilt"), "x"), number(at.find("PanTilt"), "y"), number(at.find("Zoom"), "x")])
}

/// An ISO 8601 `PTnS` duration.
fn duration(text: &str) -> Option<Duration> {
    let secs: f64 = text.strip_prefix("PT")?.strip_suffix('S')?.parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(3600.0)))
}

fn answer(device: &Device, service: &str, operation: &str, request: &Element) -> Response {
    let ok = |body: String| soap(StatusCode::OK, body);
    let media2 = service == "media2";
    match (service, operation) {
        ("device_service", "GetSystemDateAndTime") => ok(replies::system_date_and_time(device.now())),
        ("device_service", "GetServices") => ok(replies::services(device)),
        ("device_service", "GetCapabilities") => ok(replies::capabilities(device)),
        ("device_service", "GetDeviceInformation") => ok(replies::device_information(device)),
        ("media" | "media2", "GetProfiles") if device.config.malformed => {
            ok(r#"<?xml version="1.0"?><s:Envelope><s:Body><trt:GetProfilesResponse><trt:Profiles token="main"><tt:Name>ma"#.into())
        }
        ("media", "GetProfiles") => ok(replies::profiles_media1(device)),
        ("media2", "GetProfiles") => ok(replies::profiles_media2(device)),
        ("media" | "media2", "GetStreamUri" | "GetSnapshotUri") => {
            let token = request.text_of("ProfileToken").unwrap_or("");
            let Some(path) = replies::profile_path(device, token) else {
                return fault(device, StatusCode::BAD_REQUEST, "Sender", "NoProfile", "no such profile");
            };
            let uri = if operation == "GetStreamUri" {
                format!("{}/{path}", device.rtsp_base)
            } else {
                format!("http://{}/onvif/snapshot/{token}.jpg", device.http)
            };
            ok(replies::uri(media2, operation, &uri))
        }
        ("ptz", _) if device.config.ptz => ptz(device, operation, request),
        ("events", "CreatePullPointSubscription") => {
            let now = device.now();
            match device.events.subscribe(now, events::keep_of(request.text_of("InitialTerminationTime"), now)) {
                Ok((id, ends)) => ok(events::created(&device.service_url(&format!("subscription_{id}")), now, ends)),
                Err(_) => fault(device, StatusCode::BAD_REQUEST, "Receiver", "CannotCreatePullPoint", "too many subscriptions"),
            }
        }
        _ => fault(device, StatusCode::BAD_REQUEST, "Receiver", "ActionNotSupported", "the operation is not supported"),
    }
}

fn ptz(device: &Device, operation: &str, request: &Element) -> Response {
    let ok = |body: String| soap(StatusCode::OK, body);
    if request.text_of("ProfileToken") != Some("main") {
        return fault(device, StatusCode::BAD_REQUEST, "Sender", "NoProfile", "no PTZ profile with that token");
    }
    let mut head = device.head.lock().expect("head lock");
    match operation {
        "ContinuousMove" => {
            let Some(velocity) = vector(request, "Velocity") else {
                return fault(device, StatusCode::BAD_REQUEST, "Sender", "InvalidArgVal", "no velocity");
            };
            head.continuous(velocity, request.text_of("Timeout").and_then(duration));
            ok(replies::empty("tptz", operation))
        }
        "Stop" => {
            head.stop();
            ok(replies::empty("tptz", operation))
        }
        "AbsoluteMove" | "RelativeMove" => {
            let wrapper = if operation == "AbsoluteMove" { "Position" } else { "Translation" };
            let Some(v) = vector(request, wrapper) else {
                return fault(device, StatusCode::BAD_REQUEST, "Sender", "InvalidArgVal", "no position");
            };
            if operation == "AbsoluteMove" {
                head.absolute(v)
            } else {
                head.relative(v)
            }
            ok(replies::empty("tptz", operation))
        }
        "GetStatus" => {
            let (position, moving) = head.status();
            ok(replies::ptz_status(position, moving, device.now()))
        }
        "GetPresets" => ok(replies::presets(&head.presets())),
        "SetPreset" => {
            let name = request.text_of("PresetName").unwrap_or("preset");
            ok(replies::set_preset(&head.set_preset(name, request.text_of("PresetToken"))))
        }
        "GotoPreset" | "RemovePreset" => {
            let token = request.text_of("PresetToken").unwrap_or("");
            let done = if operation == "GotoPreset" { head.goto_preset(token) } else { head.remove_preset(token) };
            if !done {
                return fault(device, StatusCode::BAD_REQUEST, "Sender", "NoToken", "no preset with that token");
            }
            ok(replies::empty("tptz", operation))
        }
        "GotoHomePosition" => {
            head.absolute([0.0; 3]);
            ok(replies::empty("tptz", operation))
        }
        _ => fault(device, StatusCode::BAD_REQUEST, "Receiver", "ActionNotSupported", "the operation is not supported"),
    }
}
