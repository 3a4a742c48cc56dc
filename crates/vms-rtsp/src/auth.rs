//! Basic and Digest authentication for RTSP (RFC 2617, as RTSP clients use it:
//! Digest without `qop`).
//!
//! The camera simulator knows its passwords and offers both; the media plane's
//! restream checks VMS users, whose passwords are stored only as Argon2id
//! hashes, so it can offer Basic only.

use base64::{Engine, engine::general_purpose::STANDARD};
use md5::{Digest as _, Md5};
use rand::RngCore;

/// Credentials a client presented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Presented {
    /// `Authorization: Basic ...`.
    Basic {
        /// User name.
        username: String,
        /// Password.
        password: String,
    },
    /// `Authorization: Digest ...`.
    Digest {
        /// User name.
        username: String,
        /// Realm the client answered.
        realm: String,
        /// Nonce the client answered.
        nonce: String,
        /// URI the client hashed.
        uri: String,
        /// The client's response hash.
        response: String,
    },
}

/// Parses an `Authorization` header; `None` if it is malformed or of another scheme.
pub fn parse(header: &str) -> Option<Presented> {
    let (scheme, rest) = header.trim().split_once(' ')?;
    if scheme.eq_ignore_ascii_case("Basic") {
        let decoded = STANDARD.decode(rest.trim()).ok()?;
        let text = String::from_utf8(decoded).ok()?;
        let (username, password) = text.split_once(':')?;
        return Some(Presented::Basic { username: username.to_owned(), password: password.to_owned() });
    }
    if !scheme.eq_ignore_ascii_case("Digest") {
        return None;
    }
    let params = digest_params(rest)?;
    let get = |name: &str| params.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
    Some(Presented::Digest {
        username: get("username")?,
        realm: get("realm")?,
        nonce: get("nonce")?,
        uri: get("uri")?,
        response: get("response")?,
    })
}

/// Splits `k="v", k2=v2` into pairs, honouring quotes (which may hold commas).
fn digest_params(text: &str) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let (key, after) = rest.split_once('=')?;
        let key = key.trim().trim_start_matches(',').trim().to_owned();
        let after = after.trim_start();
        let (value, remaining) = if let Some(quoted) = after.strip_prefix('"') {
            let end = quoted.find('"')?;
            (quoted[..end].to_owned(), &quoted[end + 1..])
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (after[..end].trim().to_owned(), &after[end..])
        };
        out.push((key, value));
        rest = remaining.trim_start().trim_start_matches(',').trim_start();
    }
    Some(out)
}

fn md5_hex(text: &str) -> String {
    hex::encode(Md5::digest(text.as_bytes()))
}

/// Returns a fresh nonce for a Digest challenge.
pub fn new_nonce() -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Writes the `WWW-Authenticate` values to offer: Digest (when `nonce` is given) and Basic.
pub fn challenges(realm: &str, nonce: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(nonce) = nonce {
        out.push(format!("Digest realm=\"{realm}\", nonce=\"{nonce}\""));
    }
    out.push(format!("Basic realm=\"{realm}\""));
    out
}

/// Checks a Digest answer against the known password, for `method` and the
/// `realm` and `nonce` this server issued.
pub fn digest_matches(presented: &Presented, method: &str, realm: &str, nonce: &str, password: &str) -> bool {
    let Presented::Digest { username, realm: r, nonce: n, uri, response } = presented else { return false };
    if r != realm || n != nonce {
        return false;
    }
    let ha1 = md5_hex(&format!("{username}:{realm}:{password}"));
    let ha2 = md5_hex(&format!("{method}:{uri}"));
    constant_time_eq(md5_hex(&format!("{ha1}:{nonce}:{ha2}")).as_bytes(), response.to_ascii_lowercase().as_bytes())
}

/// Compares without leaking where the first difference is.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn reads_basic_credentials() {
        let header = format!("Basic {}", STANDARD.encode("admin:pa:ss"));
        assert_eq!(parse(&header), Some(Presented::Basic { username: "admin".into(), password: "pa:ss".into() }));
        assert_eq!(parse("Basic !!!"), None);
        assert_eq!(parse("Bearer x"), None);
    }

    #[test]
    fn verifies_a_digest_answer_as_clients_compute_it() {
        // Worked example: HA1 = md5(user:realm:pass), HA2 = md5(method:uri), response = md5(HA1:nonce:HA2).
        let (realm, nonce, uri) = ("camsim", "abc123", "rtsp://127.0.0.1:8554/cam1");
        let ha1 = md5_hex("admin:camsim:secret");
        let ha2 = md5_hex(&format!("DESCRIBE:{uri}"));
        let response = md5_hex(&format!("{ha1}:{nonce}:{ha2}"));
        let header = format!(
            "Digest username=\"admin\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\", response=\"{response}\""
        );
        let presented = parse(&header).unwrap();
        assert!(digest_matches(&presented, "DESCRIBE", realm, nonce, "secret"));
        assert!(!digest_matches(&presented, "DESCRIBE", realm, nonce, "wrong"));
        assert!(!digest_matches(&presented, "SETUP", realm, nonce, "secret"), "the method is part of the hash");
        assert!(!digest_matches(&presented, "DESCRIBE", realm, "other-nonce", "secret"), "stale nonces fail");
    }

    #[test]
    fn offers_digest_and_basic() {
        assert_eq!(challenges("vms", Some("n1")), vec!["Digest realm=\"vms\", nonce=\"n1\"", "Basic realm=\"vms\""]);
        assert_eq!(challenges("vms", None), vec!["Basic realm=\"vms\""]);
        assert_ne!(new_nonce(), new_nonce());
    }

    proptest! {
        #[test]
        fn never_panics(header in ".{0,200}") {
            let _ = parse(&header);
        }
    }
}
