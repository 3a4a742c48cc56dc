//! Stream tickets: short-lived, signed permission to open one stream of one
//! camera for one purpose.
//!
//! Control issues a ticket after checking the user's permissions
//! ([`TicketSigner`]); the media and recorder planes check it with control's
//! public key alone ([`TicketVerifier`]), with no database on the hot path.
//!
//! Format: `v1.<payload>.<signature>`, both base64url without padding; the
//! signature is Ed25519 over `v1.<payload>`. The payload names the key (`kid`)
//! so keys can be rotated: a verifier holds every public key still in use
//! ([`TrustedKeys`] re-reads them when a ticket names a key it has not seen).
//!
//! Archive playback uses two kinds of ticket: an [`Purpose::Archive`] ticket,
//! issued through the API, opens one playlist; the playlist mints a
//! [`Purpose::Fragments`] ticket bound to its time window ([`Window`]) for its
//! fragment URLs, living about as long as the window ([`window_ttl`]).
//! Whether a ticket was spent or revoked is not in the ticket: the plane that
//! checks it asks its own store (control: Redis).

mod error;
mod trusted;

use std::{collections::HashMap, path::Path};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use rand::rngs::OsRng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub use error::TicketError;
pub use trusted::TrustedKeys;

const VERSION: &str = "v1";

/// No ticket lives longer than this (seconds), whatever its issuer asks, so a
/// revocation marker kept this long outlives every ticket it revokes.
pub const MAX_TTL_SECS: i64 = 4 * 3600;

/// How long a fragment ticket outlives its window (seconds): time to start,
/// pause and seek while watching.
pub const WINDOW_MARGIN_SECS: i64 = 10 * 60;

/// Returns the lifetime of a fragment ticket for a window of `window_secs`:
/// the window plus [`WINDOW_MARGIN_SECS`], at most [`MAX_TTL_SECS`] (a longer
/// window needs a fresh playlist to be watched to its end).
pub fn window_ttl(window_secs: i64) -> i64 {
    window_secs.max(0).saturating_add(WINDOW_MARGIN_SECS).min(MAX_TTL_SECS)
}

/// What a ticket allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Purpose {
    /// Watch live video.
    Live,
    /// Open one playback playlist of recordings (issued through the API).
    Archive,
    /// Read the recorded fragments of one time window ([`Ticket::win`]); only
    /// minted by control's playlist for its fragment URLs, never issued on request.
    Fragments,
    /// Export recordings.
    Export,
}

impl Purpose {
    /// Returns the permission a user must hold on the camera for this purpose.
    pub fn permission(self) -> vms_base::Permission {
        match self {
            Purpose::Live => vms_base::Permission::CameraViewLive,
            Purpose::Archive | Purpose::Fragments => vms_base::Permission::CameraViewArchive,
            Purpose::Export => vms_base::Permission::CameraExport,
        }
    }
}

/// The claims of a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    /// Key that signed it.
    pub kid: String,
    /// User it was issued to.
    pub sub: Uuid,
    /// The user's tenant.
    pub tid: Uuid,
    /// Camera.
    pub cam: Uuid,
    /// Stream role (`main` or `sub`).
    pub stream: String,
    /// Purpose.
    pub purpose: Purpose,
    /// Issued at, Unix seconds.
    pub iat: i64,
    /// Expires at, Unix seconds.
    pub exp: i64,
    /// Unique id (for audit correlation, and to spend a one-use ticket).
    pub jti: Uuid,
    /// The login (refresh-token family) it was issued under, so revoking the
    /// login revokes it; `None` when issued through an API key or to a plane.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<Uuid>,
    /// For [`Purpose::Fragments`]: the only window of recordings it opens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub win: Option<Window>,
}

impl Ticket {
    /// Checks that these (authenticated) claims open `stream` of `camera` for `purpose`.
    pub fn check(&self, camera: Uuid, stream: &str, purpose: Purpose) -> Result<(), TicketError> {
        if self.cam != camera || self.stream != stream {
            return Err(TicketError::WrongStream);
        }
        if self.purpose != purpose || (purpose == Purpose::Fragments && self.win.is_none()) {
            return Err(TicketError::WrongPurpose);
        }
        Ok(())
    }

    /// Returns these (authenticated) claims if they open `stream` of
    /// `camera` for `purpose` ([`Ticket::check`]).
    pub fn opening(self, camera: Uuid, stream: &str, purpose: Purpose) -> Result<Ticket, TicketError> {
        self.check(camera, stream, purpose).map(|()| self)
    }
}

/// A time window of recordings, `[start_ms, end_ms)` in Unix milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// Start, inclusive.
    pub start_ms: i64,
    /// End, exclusive.
    pub end_ms: i64,
}

/// What a new ticket grants, and to whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant<'a> {
    /// The user it is issued to.
    pub user: Uuid,
    /// The user's tenant.
    pub tenant: Uuid,
    /// The user's login, if the request came with one (see [`Ticket::sid`]).
    pub session: Option<Uuid>,
    /// Camera.
    pub camera: Uuid,
    /// Stream role.
    pub stream: &'a str,
    /// Purpose.
    pub purpose: Purpose,
    /// For [`Purpose::Fragments`], the window it opens.
    pub window: Option<Window>,
}

/// Returns the id of a public key: the first 8 bytes of its SHA-256, in hex.
pub fn key_id(key: &VerifyingKey) -> String {
    hex::encode(&Sha256::digest(key.as_bytes())[..8])
}

/// Issues tickets (control only).
pub struct TicketSigner {
    key: SigningKey,
    kid: String,
}

impl std::fmt::Debug for TicketSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TicketSigner").field("kid", &self.kid).finish_non_exhaustive()
    }
}

/// File name of the signing key in the secrets directory.
pub const SIGNING_KEY_FILE: &str = "ticket-signing.key";
/// Directory (in the secrets directory) of the public keys planes trust.
pub const PUBLIC_KEYS_DIR: &str = "ticket-keys";

impl TicketSigner {
    /// Wraps a signing key.
    pub fn new(key: SigningKey) -> Self {
        let kid = key_id(&key.verifying_key());
        Self { key, kid }
    }

    /// Loads the signing key from `secrets_dir` (creating it on first use) and
    /// publishes its public key in `secrets_dir/ticket-keys/<kid>.pub` for the planes.
    pub fn load_or_create(secrets_dir: &Path) -> std::io::Result<Self> {
        let bytes = vms_base::secret_file::load_or_create(&secrets_dir.join(SIGNING_KEY_FILE), || {
            SigningKey::generate(&mut OsRng).to_bytes().to_vec()
        })?;
        let bytes: [u8; 32] =
            bytes.try_into().map_err(|_| std::io::Error::other("ticket signing key must be 32 bytes"))?;
        let signer = Self::new(SigningKey::from_bytes(&bytes));
        let public = secrets_dir.join(PUBLIC_KEYS_DIR);
        std::fs::create_dir_all(&public)?;
        let path = public.join(format!("{}.pub", signer.kid));
        if !path.exists() {
            std::fs::write(&path, hex::encode(signer.key.verifying_key().as_bytes()))?;
        }
        Ok(signer)
    }

    /// Returns the public key that verifies this signer's tickets.
    pub fn verifying_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// Signs a ticket for `user` of `tenant` to open `stream` of `camera` for
    /// `purpose`, valid `ttl_secs` from `now`, with no login and no window.
    #[allow(clippy::too_many_arguments)]
    pub fn issue(
        &self,
        user: Uuid,
        tenant: Uuid,
        camera: Uuid,
        stream: &str,
        purpose: Purpose,
        now: i64,
        ttl_secs: i64,
    ) -> (String, Ticket) {
        let grant = Grant { user, tenant, session: None, camera, stream, purpose, window: None };
        self.sign(&grant, now, ttl_secs)
    }

    /// Signs a ticket granting `grant`, valid `ttl_secs` (at most
    /// [`MAX_TTL_SECS`]) from `now`; returns it and its claims.
    pub fn sign(&self, grant: &Grant<'_>, now: i64, ttl_secs: i64) -> (String, Ticket) {
        let ticket = Ticket {
            kid: self.kid.clone(),
            sub: grant.user,
            tid: grant.tenant,
            cam: grant.camera,
            stream: grant.stream.to_owned(),
            purpose: grant.purpose,
            iat: now,
            exp: now + ttl_secs.min(MAX_TTL_SECS),
            jti: Uuid::new_v4(),
            sid: grant.session,
            win: grant.window,
        };
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&ticket).expect("ticket should serialize"));
        let signed = format!("{VERSION}.{payload}");
        let signature = URL_SAFE_NO_PAD.encode(self.key.sign(signed.as_bytes()).to_bytes());
        (format!("{signed}.{signature}"), ticket)
    }
}

/// Checks tickets with a fixed set of public keys; planes use
/// [`TrustedKeys`], which follows key rotation.
#[derive(Debug, Clone, Default)]
pub struct TicketVerifier {
    keys: HashMap<String, VerifyingKey>,
}

impl TicketVerifier {
    /// Trusts these public keys.
    pub fn new(keys: impl IntoIterator<Item = VerifyingKey>) -> Self {
        Self { keys: keys.into_iter().map(|k| (key_id(&k), k)).collect() }
    }

    /// Trusts every `*.pub` key in `secrets_dir/ticket-keys` (hex-encoded).
    pub fn load(secrets_dir: &Path) -> std::io::Result<Self> {
        let mut keys = Vec::new();
        let dir = secrets_dir.join(PUBLIC_KEYS_DIR);
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(e),
        };
        for entry in entries {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "pub") {
                let text = std::fs::read_to_string(&path)?;
                let bytes: [u8; 32] = hex::decode(text.trim())
                    .ok()
                    .and_then(|b| b.try_into().ok())
                    .ok_or_else(|| std::io::Error::other(format!("invalid ticket key {}", path.display())))?;
                let key = VerifyingKey::from_bytes(&bytes)
                    .map_err(|_| std::io::Error::other(format!("invalid ticket key {}", path.display())))?;
                keys.push(key);
            }
        }
        Ok(Self::new(keys))
    }

    /// Returns how many keys are trusted.
    pub fn key_count(&self) -> usize {
        self.keys.len()
    }

    /// Decodes and authenticates a ticket without checking what it is for.
    pub fn decode(&self, token: &str, now: i64) -> Result<Ticket, TicketError> {
        let mut parts = token.split('.');
        let (Some(version), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TicketError::Malformed);
        };
        if version != VERSION {
            return Err(TicketError::Malformed);
        }
        let bytes = URL_SAFE_NO_PAD.decode(payload).map_err(|_| TicketError::Malformed)?;
        let ticket: Ticket = serde_json::from_slice(&bytes).map_err(|_| TicketError::Malformed)?;
        let key = self.keys.get(&ticket.kid).ok_or(TicketError::UnknownKey)?;
        let signature: [u8; 64] =
            URL_SAFE_NO_PAD.decode(signature).ok().and_then(|s| s.try_into().ok()).ok_or(TicketError::Malformed)?;
        key.verify(format!("{version}.{payload}").as_bytes(), &Signature::from_bytes(&signature))
            .map_err(|_| TicketError::BadSignature)?;
        if now >= ticket.exp {
            return Err(TicketError::Expired);
        }
        Ok(ticket)
    }

    /// Authenticates a ticket and checks it opens `stream` of `camera` for `purpose`.
    pub fn verify(
        &self,
        token: &str,
        camera: Uuid,
        stream: &str,
        purpose: Purpose,
        now: i64,
    ) -> Result<Ticket, TicketError> {
        self.decode(token, now)?.opening(camera, stream, purpose)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (TicketSigner, TicketVerifier) {
        let signer = TicketSigner::new(SigningKey::generate(&mut OsRng));
        let verifier = TicketVerifier::new([signer.verifying_key()]);
        (signer, verifier)
    }

    #[test]
    fn a_ticket_opens_its_own_stream_only() {
        let (signer, verifier) = setup();
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let (token, _) = signer.issue(Uuid::new_v4(), Uuid::new_v4(), a, "main", Purpose::Live, 1000, 60);
        assert_eq!(verifier.verify(&token, a, "main", Purpose::Live, 1010).unwrap().cam, a);
        assert_eq!(verifier.verify(&token, b, "main", Purpose::Live, 1010), Err(TicketError::WrongStream));
        assert_eq!(verifier.verify(&token, a, "sub", Purpose::Live, 1010), Err(TicketError::WrongStream));
        assert_eq!(verifier.verify(&token, a, "main", Purpose::Archive, 1010), Err(TicketError::WrongPurpose));
    }

    #[test]
    fn an_expired_forged_or_foreign_ticket_is_refused() {
        let (signer, verifier) = setup();
        let cam = Uuid::new_v4();
        let (token, _) = signer.issue(Uuid::new_v4(), Uuid::new_v4(), cam, "main", Purpose::Live, 1000, 60);
        assert_eq!(verifier.verify(&token, cam, "main", Purpose::Live, 1060), Err(TicketError::Expired));

        // Rewriting the payload (say, to another camera) breaks the signature.
        let parts: Vec<&str> = token.split('.').collect();
        let mut claims: Ticket = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        claims.exp = 9_999_999_999;
        let forged = format!("v1.{}.{}", URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap()), parts[2]);
        assert_eq!(verifier.verify(&forged, cam, "main", Purpose::Live, 1010), Err(TicketError::BadSignature));

        let (other_signer, _) = setup();
        let (foreign, _) = other_signer.issue(Uuid::new_v4(), Uuid::new_v4(), cam, "main", Purpose::Live, 1000, 60);
        assert_eq!(verifier.verify(&foreign, cam, "main", Purpose::Live, 1010), Err(TicketError::UnknownKey));
        for junk in ["", "v1", "v1.a.b", "v2.x.y", "v1.!!.!!", &format!("{token}.x")] {
            assert_eq!(verifier.verify(junk, cam, "main", Purpose::Live, 1010), Err(TicketError::Malformed), "{junk}");
        }
    }

    #[test]
    fn a_fragment_ticket_needs_its_window_and_no_ticket_lives_past_the_cap() {
        let (signer, verifier) = setup();
        let cam = Uuid::new_v4();
        let window = Window { start_ms: 1_000, end_ms: 5_000 };
        let grant = Grant {
            user: Uuid::new_v4(),
            tenant: Uuid::new_v4(),
            session: Some(Uuid::new_v4()),
            camera: cam,
            stream: "main",
            purpose: Purpose::Fragments,
            window: Some(window),
        };
        let (token, claims) = signer.sign(&grant, 1000, i64::MAX / 2);
        assert_eq!(claims.exp - claims.iat, MAX_TTL_SECS);
        let checked = verifier.verify(&token, cam, "main", Purpose::Fragments, 1010).unwrap();
        assert_eq!((checked.win, checked.sid), (Some(window), grant.session));
        assert_eq!(verifier.verify(&token, cam, "main", Purpose::Archive, 1010), Err(TicketError::WrongPurpose));
        let (bare, _) = signer.sign(&Grant { window: None, ..grant }, 1000, 60);
        assert_eq!(verifier.verify(&bare, cam, "main", Purpose::Fragments, 1010), Err(TicketError::WrongPurpose));

        assert_eq!(window_ttl(3), 3 + WINDOW_MARGIN_SECS);
        assert_eq!(window_ttl(31 * 86_400), MAX_TTL_SECS);
    }

    #[test]
    fn planes_trust_the_keys_control_publishes_including_rotated_ones() {
        let dir = tempfile::tempdir().unwrap();
        let old = TicketSigner::load_or_create(dir.path()).unwrap();
        std::fs::remove_file(dir.path().join(SIGNING_KEY_FILE)).unwrap();
        let new = TicketSigner::load_or_create(dir.path()).unwrap();
        let verifier = TicketVerifier::load(dir.path()).unwrap();
        assert_eq!(verifier.key_count(), 2, "old tickets stay valid after rotation until they expire");
        let cam = Uuid::new_v4();
        for signer in [&old, &new] {
            let (token, _) = signer.issue(Uuid::new_v4(), Uuid::new_v4(), cam, "sub", Purpose::Archive, 0, 60);
            assert!(verifier.verify(&token, cam, "sub", Purpose::Archive, 1).is_ok());
        }
        assert_eq!(TicketSigner::load_or_create(dir.path()).unwrap().kid, new.kid, "the key is stable once made");
    }
}
