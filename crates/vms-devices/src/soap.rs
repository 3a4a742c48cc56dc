//! SOAP 1.2 envelopes as ONVIF devices expect them: requests written from
//! templates with every prefix declared, WS-Security UsernameToken with a
//! password digest, and replies read liberally (a fault is a fault whatever
//! HTTP status it came with, and whatever prefix or wrapper it wears).

use base64::{Engine, engine::general_purpose::STANDARD};
use chrono::{DateTime, SecondsFormat, Utc};
use sha1::{Digest, Sha1};

use crate::{
    error::DeviceError,
    xml::{self, Element, escape},
};

/// The namespaces request bodies may use, declared once on the envelope.
pub const NAMESPACES: &str = concat!(
    r#"xmlns:s="http://www.w3.org/2003/05/soap-envelope" "#,
    r#"xmlns:tds="http://www.onvif.org/ver10/device/wsdl" "#,
    r#"xmlns:trt="http://www.onvif.org/ver10/media/wsdl" "#,
    r#"xmlns:tr2="http://www.onvif.org/ver20/media/wsdl" "#,
    r#"xmlns:tptz="http://www.onvif.org/ver20/ptz/wsdl" "#,
    r#"xmlns:tev="http://www.onvif.org/ver10/events/wsdl" "#,
    r#"xmlns:tt="http://www.onvif.org/ver10/schema" "#,
    r#"xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" "#,
    r#"xmlns:wsa="http://www.w3.org/2005/08/addressing""#,
);

const WSSE: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
const WSU: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
const DIGEST_TYPE: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest";
const NONCE_ENCODING: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";

/// `Base64(SHA-1(nonce + created + password))`, the UsernameToken profile's digest.
pub fn password_digest(nonce: &[u8], created: &str, password: &str) -> String {
    let mut hash = Sha1::new();
    hash.update(nonce);
    hash.update(created.as_bytes());
    hash.update(password.as_bytes());
    STANDARD.encode(hash.finalize())
}

/// A WS-Security header with a UsernameToken whose `Created` is `now` (the
/// device's clock, skew applied by the caller) and a fresh nonce.
pub fn security_header(username: &str, password: &str, now: DateTime<Utc>) -> String {
    let nonce: [u8; 16] = rand::random();
    let created = now.to_rfc3339_opts(SecondsFormat::Millis, true);
    format!(
        concat!(
            r#"<wsse:Security s:mustUnderstand="1" xmlns:wsse="{wsse}" xmlns:wsu="{wsu}"><wsse:UsernameToken>"#,
            r#"<wsse:Username>{user}</wsse:Username><wsse:Password Type="{dtype}">{digest}</wsse:Password>"#,
            r#"<wsse:Nonce EncodingType="{enc}">{nonce}</wsse:Nonce><wsu:Created>{created}</wsu:Created>"#,
            r#"</wsse:UsernameToken></wsse:Security>"#
        ),
        wsse = WSSE,
        wsu = WSU,
        user = escape(username),
        dtype = DIGEST_TYPE,
        digest = password_digest(&nonce, &created, password),
        enc = NONCE_ENCODING,
        nonce = STANDARD.encode(nonce),
        created = created,
    )
}

/// A whole request: `header` (already XML) and `body` inside an envelope
/// declaring [`NAMESPACES`].
pub fn envelope(header: Option<&str>, body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><s:Envelope {NAMESPACES}><s:Header>{}</s:Header><s:Body>{body}</s:Body></s:Envelope>"#,
        header.unwrap_or("")
    )
}

/// Fault subcodes that mean "who are you": the credentials, not the request, are wrong.
/// By the standard subcodes (ONVIF `ter:NotAuthorized`, WS-Security
/// `FailedAuthentication` and `InvalidSecurity*`), or, for firmwares that
/// give no subcode, a reason that says so in as many words.
fn is_auth_fault(code: &str, reason: &str) -> bool {
    let code = code.to_ascii_lowercase();
    let reason = reason.to_ascii_lowercase();
    code.contains("notauthorized")
        || code.contains("failedauthentication")
        || code.contains("invalidsecurity")
        || (!code.contains('/')
            && (reason.contains("not authorized")
                || reason.contains("authentication failed")
                || reason == "unauthorized"))
}

/// The longest fault reason kept: device text ends up in API answers.
const MAX_REASON: usize = 200;

/// Device text fit to show: control characters and the bidirectional
/// overrides that could disguise it dropped, at most `max` characters.
pub fn clip(text: &str, max: usize) -> String {
    let bidi = |c: char| matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    text.chars().filter(|c| !c.is_control() && !bidi(*c)).take(max).collect()
}

/// Device text fit to keep: [`clip`]ped to `max` characters and trimmed;
/// `None` when nothing is left (devices send empty template fields).
pub fn clip_field(text: Option<&str>, max: usize) -> Option<String> {
    text.map(|t| clip(t.trim(), max).trim().to_owned()).filter(|t| !t.is_empty())
}

/// The fault `root` is, or that its body holds as its element (a fault
/// deeper inside a normal reply is data, not a failure): SOAP 1.2
/// `Code/Value` + `Subcode/Value` and `Reason/Text`, or SOAP 1.1
/// `faultcode` and `faultstring`.
pub fn fault(root: &Element) -> Option<DeviceError> {
    let is_fault = |e: &Element| e.name.eq_ignore_ascii_case("Fault");
    let fault = if is_fault(root) {
        root
    } else {
        let body = if root.name.eq_ignore_ascii_case("Body") { Some(root) } else { root.child("Body") };
        body.and_then(|b| b.children.iter().find(|c| is_fault(c)))?
    };
    let code = fault.find_path(&["Code", "Value"]).map(|e| e.text.as_str()).or_else(|| fault.text_of("faultcode"));
    let subcodes: Vec<&str> = fault
        .find("Subcode")
        .map(|s| s.find_all("Value").iter().map(|v| v.text.as_str()).collect())
        .unwrap_or_default();
    let mut full = clip(code.unwrap_or("unknown"), MAX_REASON);
    for sub in subcodes {
        full.push('/');
        full.push_str(&clip(sub, MAX_REASON));
    }
    let reason = fault
        .find("Reason")
        .and_then(|r| r.text_of("Text").or(Some(r.text.as_str())).filter(|t| !t.is_empty()))
        .or_else(|| fault.text_of("faultstring"))
        .unwrap_or("no reason given");
    let reason = clip(reason, MAX_REASON);
    if is_auth_fault(&full, &reason) {
        return Some(DeviceError::AuthFailed);
    }
    Some(DeviceError::Fault { code: full, reason })
}

/// Reads a SOAP reply: the body's first element, or the fault it carries.
/// A fault is read whatever the HTTP status (devices send faults with 200);
/// a reply without a body element but with a failing status is that status.
pub fn read_reply(status: u16, body: &[u8]) -> Result<Element, DeviceError> {
    let parsed = xml::parse(body);
    let root = match parsed {
        Ok(root) => root,
        Err(_) if status == 401 => return Err(DeviceError::AuthFailed),
        Err(_) if !(200..300).contains(&status) => return Err(DeviceError::Http { status }),
        Err(e) => return Err(e.into()),
    };
    if let Some(fault) = fault(&root) {
        return Err(fault);
    }
    if status == 401 {
        return Err(DeviceError::AuthFailed);
    }
    if !(200..300).contains(&status) {
        return Err(DeviceError::Http { status });
    }
    // Some devices drop the Envelope or the Body: take what is there.
    let body = if root.name.eq_ignore_ascii_case("Envelope") { root.find("Body").cloned() } else { Some(root) };
    let body = body.ok_or(DeviceError::Missing("a SOAP body"))?;
    if body.name.eq_ignore_ascii_case("Body") {
        return body.children.into_iter().next().ok_or(DeviceError::Missing("a SOAP body element"));
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_digest_matches_the_profile() {
        // Computed independently: base64(sha1(bytes 0..16 + created + "secret")).
        let nonce: Vec<u8> = (0u8..16).collect();
        assert_eq!(password_digest(&nonce, "2026-12-03T10:00:00Z", "secret"), "j1/cVszkOI5WJjqZu+tNEfRfa3w=");
    }

    #[test]
    fn security_header_carries_a_fresh_nonce_and_escapes_the_user() {
        let now = Utc::now();
        let a = security_header("ad<min", "pw", now);
        let b = security_header("ad<min", "pw", now);
        assert_ne!(a, b, "each header has its own nonce");
        assert!(a.contains("<wsse:Username>ad&lt;min</wsse:Username>"));
        assert!(!a.contains(">pw<"), "the password is never sent");
        let parsed = xml::parse(envelope(Some(&a), "<tds:GetDeviceInformation/>").as_bytes()).unwrap();
        assert_eq!(parsed.text_of("Username"), Some("ad<min"));
    }

    #[test]
    fn faults_are_read_whatever_the_status_and_prefix() {
        let soap12 = br#"<env:Envelope xmlns:env="e"><env:Body><env:Fault><env:Code><env:Value>env:Receiver</env:Value>
            <env:Subcode><env:Value>ter:ActionNotSupported</env:Value></env:Subcode></env:Code>
            <env:Reason><env:Text xml:lang="en">Not supported</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>"#;
        for status in [200, 400, 500] {
            assert_eq!(
                read_reply(status, soap12).unwrap_err(),
                DeviceError::Fault {
                    code: "env:Receiver/ter:ActionNotSupported".into(),
                    reason: "Not supported".into()
                }
            );
        }
        let soap11 = b"<Envelope><Body><Fault><faultcode>Server</faultcode><faultstring>busy</faultstring></Fault></Body></Envelope>";
        assert_eq!(
            read_reply(200, soap11).unwrap_err(),
            DeviceError::Fault { code: "Server".into(), reason: "busy".into() }
        );
        let auth = br#"<s:Envelope><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>ter:NotAuthorized</s:Value></s:Subcode></s:Code></s:Fault></s:Body></s:Envelope>"#;
        assert_eq!(read_reply(400, auth).unwrap_err(), DeviceError::AuthFailed);
    }

    #[test]
    fn a_fault_inside_a_normal_reply_is_data_and_reasons_are_clipped() {
        let nested =
            b"<Envelope><Body><GetLogResponse><Entry><Fault>old</Fault></Entry></GetLogResponse></Body></Envelope>";
        assert_eq!(read_reply(200, nested).unwrap().name, "GetLogResponse");
        let long = format!(
            "<Envelope><Body><Fault><faultcode>Server</faultcode><faultstring>{}\u{7}</faultstring></Fault></Body></Envelope>",
            "x".repeat(5000)
        );
        let DeviceError::Fault { reason, .. } = read_reply(500, long.as_bytes()).unwrap_err() else { panic!() };
        assert_eq!(reason.len(), 200);
        // A fault naming another subcode is not about credentials, whatever its words.
        let other = b"<Envelope><Body><Fault><Code><Value>Sender</Value><Subcode><Value>ter:InvalidArgVal</Value></Subcode></Code><Reason><Text>authorization header ignored</Text></Reason></Fault></Body></Envelope>";
        assert!(matches!(read_reply(400, other).unwrap_err(), DeviceError::Fault { .. }));
        let plain = b"<Envelope><Body><Fault><faultcode>Client</faultcode><faultstring>Not Authorized</faultstring></Fault></Body></Envelope>";
        assert_eq!(read_reply(400, plain).unwrap_err(), DeviceError::AuthFailed);
    }

    #[test]
    fn a_body_without_envelope_or_with_errors_in_status_reads_sensibly() {
        assert_eq!(read_reply(200, b"<GetThingResponse><A>1</A></GetThingResponse>").unwrap().name, "GetThingResponse");
        assert_eq!(read_reply(401, b"<html>Unauthorized</html>").unwrap_err(), DeviceError::AuthFailed);
        assert_eq!(read_reply(503, b"not xml").unwrap_err(), DeviceError::Http { status: 503 });
        assert!(matches!(read_reply(200, b"not xml").unwrap_err(), DeviceError::Xml(_)));
        assert_eq!(
            read_reply(200, b"<Envelope><Body/></Envelope>").unwrap_err(),
            DeviceError::Missing("a SOAP body element")
        );
    }
}
