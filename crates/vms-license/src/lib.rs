//! Licences: signed by the vendor with Ed25519, verified offline against the
//! public key built into the server, and turned into an [`Entitlement`].
//!
//! A licence file is JSON: `{"format": "vms-license-1", "key_id", "payload",
//! "signature"}`, where `payload` is the base64 of the [`LicenseTerms`] JSON
//! and `signature` signs exactly those bytes, so any edit is detected.
//!
//! What a server may do (documented in docs/guide/licensing.md):
//! - no licence, or one that fails verification or names another installation:
//!   the free tier, [`FREE_CAMERAS`] cameras;
//! - a valid licence: its terms;
//! - up to [`GRACE_DAYS`] days past expiry: its terms, with a warning;
//! - later: the free tier again. Cameras already added keep working; only
//!   adding cameras beyond the limit is refused.

use base64::{Engine, engine::general_purpose::STANDARD};
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Cameras allowed without a (valid) licence.
pub const FREE_CAMERAS: u32 = 16;
/// Days a licence keeps its terms after expiry.
pub const GRACE_DAYS: i64 = 30;
/// Format tag of licence files.
pub const FORMAT: &str = "vms-license-1";

/// The vendor's public key this build trusts: `VMS_LICENSE_PUBLIC_KEY` (hex) at
/// build time, or the release key in `keys/vendor.pub`.
pub const BUILTIN_PUBLIC_KEY_HEX: &str = match option_env!("VMS_LICENSE_PUBLIC_KEY") {
    Some(key) => key,
    None => include_str!("../keys/vendor.pub"),
};

/// What a licence grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenseTerms {
    /// Licence id.
    pub license_id: Uuid,
    /// Licensee.
    pub customer: String,
    /// Cameras allowed.
    pub max_cameras: u32,
    /// Licensed features.
    #[serde(default)]
    pub features: Vec<String>,
    /// Issue time.
    pub issued_at: DateTime<Utc>,
    /// Expiry; none for a perpetual licence.
    pub expires_at: Option<DateTime<Utc>>,
    /// The one installation it is valid for, if bound.
    pub installation_id: Option<String>,
}

/// A licence file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LicenseFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// Id of the signing key.
    pub key_id: String,
    /// Base64 of the terms' JSON.
    pub payload: String,
    /// Base64 Ed25519 signature of the payload bytes.
    pub signature: String,
}

/// Why a licence file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LicenseError {
    /// Not a licence file.
    #[error("not a licence file: {0}")]
    Malformed(String),
    /// Signed by a key this server does not trust.
    #[error("licence signed by an unknown key ({0})")]
    UnknownKey(String),
    /// The signature does not match the content: it was altered.
    #[error("licence signature is invalid (the file was altered)")]
    BadSignature,
}

/// Returns the id of a public key (first 8 bytes of its SHA-256, hex).
pub fn key_id(key: &VerifyingKey) -> String {
    hex::encode(&Sha256::digest(key.as_bytes())[..8])
}

/// Parses a hex public key.
pub fn parse_public_key(hex_key: &str) -> Result<VerifyingKey, LicenseError> {
    let bytes: [u8; 32] = hex::decode(hex_key.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| LicenseError::Malformed("public key must be 32 bytes in hex".to_owned()))?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| LicenseError::Malformed("invalid public key".to_owned()))
}

/// Signs terms into a licence file (vendor side).
pub fn sign(terms: &LicenseTerms, key: &SigningKey) -> String {
    let payload = serde_json::to_vec(terms).expect("terms should serialize");
    let file = LicenseFile {
        format: FORMAT.to_owned(),
        key_id: key_id(&key.verifying_key()),
        payload: STANDARD.encode(&payload),
        signature: STANDARD.encode(key.sign(&payload).to_bytes()),
    };
    serde_json::to_string_pretty(&file).expect("licence file should serialize")
}

/// Checks licence files against trusted public keys.
#[derive(Debug, Clone)]
pub struct LicenseVerifier {
    keys: Vec<VerifyingKey>,
}

impl LicenseVerifier {
    /// Trusts the key built into this server.
    pub fn builtin() -> Self {
        let key = parse_public_key(BUILTIN_PUBLIC_KEY_HEX).expect("the built-in licence key should be valid");
        Self { keys: vec![key] }
    }

    /// Trusts these keys (tests, and vendors checking their own signatures).
    pub fn with_keys(keys: Vec<VerifyingKey>) -> Self {
        Self { keys }
    }

    /// Verifies a licence file and returns its terms.
    pub fn verify(&self, text: &str) -> Result<LicenseTerms, LicenseError> {
        let file: LicenseFile = serde_json::from_str(text).map_err(|e| LicenseError::Malformed(e.to_string()))?;
        if file.format != FORMAT {
            return Err(LicenseError::Malformed(format!("unknown format `{}`", file.format)));
        }
        let key = self
            .keys
            .iter()
            .find(|k| key_id(k) == file.key_id)
            .ok_or_else(|| LicenseError::UnknownKey(file.key_id.clone()))?;
        let payload =
            STANDARD.decode(&file.payload).map_err(|_| LicenseError::Malformed("payload is not base64".into()))?;
        let signature: [u8; 64] = STANDARD
            .decode(&file.signature)
            .ok()
            .and_then(|s| s.try_into().ok())
            .ok_or_else(|| LicenseError::Malformed("signature is not 64 bytes of base64".into()))?;
        key.verify(&payload, &Signature::from_bytes(&signature)).map_err(|_| LicenseError::BadSignature)?;
        serde_json::from_slice(&payload).map_err(|e| LicenseError::Malformed(e.to_string()))
    }
}

/// Where the installation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LicenseStatus {
    /// No licence installed: free tier.
    Unlicensed,
    /// A valid licence.
    Valid,
    /// Expired, within the grace period: terms still apply.
    Grace,
    /// Expired past the grace period: free tier.
    Expired,
    /// Installed but not usable here (bad signature or another installation): free tier.
    Invalid,
}

/// What this installation may do now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entitlement {
    /// Status.
    pub status: LicenseStatus,
    /// Cameras allowed now.
    pub max_cameras: u32,
    /// Features allowed now.
    pub features: Vec<String>,
    /// The licence's terms, if one is installed and verified.
    pub terms: Option<LicenseTerms>,
    /// Why a licence is not in force, or a warning about it.
    pub message: Option<String>,
}

impl Entitlement {
    fn free(status: LicenseStatus, terms: Option<LicenseTerms>, message: Option<String>) -> Self {
        Self { status, max_cameras: FREE_CAMERAS, features: Vec::new(), terms, message }
    }

    /// Works out the entitlement of an installation from its licence file (if any).
    pub fn evaluate(verifier: &LicenseVerifier, file: Option<&str>, installation_id: &str, now: DateTime<Utc>) -> Self {
        let Some(text) = file else { return Self::free(LicenseStatus::Unlicensed, None, None) };
        let terms = match verifier.verify(text) {
            Ok(t) => t,
            Err(e) => return Self::free(LicenseStatus::Invalid, None, Some(e.to_string())),
        };
        if terms.installation_id.as_deref().is_some_and(|id| id != installation_id) {
            let message = format!(
                "licence is for installation {}, not this one ({installation_id})",
                terms.installation_id.as_deref().unwrap_or_default()
            );
            return Self::free(LicenseStatus::Invalid, Some(terms), Some(message));
        }
        match terms.expires_at {
            Some(expiry) if now >= expiry + chrono::Duration::days(GRACE_DAYS) => {
                let message = format!("licence expired on {}; the free tier applies", expiry.date_naive());
                Self::free(LicenseStatus::Expired, Some(terms), Some(message))
            }
            Some(expiry) if now >= expiry => {
                // Whole days left, rounded up: "renew within 1 day" until the last second.
                let left = ((expiry + chrono::Duration::days(GRACE_DAYS) - now).num_seconds() + 86_399) / 86_400;
                Self {
                    status: LicenseStatus::Grace,
                    max_cameras: terms.max_cameras,
                    features: terms.features.clone(),
                    message: Some(format!("licence expired on {}; renew within {left} days", expiry.date_naive())),
                    terms: Some(terms),
                }
            }
            _ => Self {
                status: LicenseStatus::Valid,
                max_cameras: terms.max_cameras,
                features: terms.features.clone(),
                message: None,
                terms: Some(terms),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::rngs::OsRng;

    use super::*;

    fn terms(expires_in_days: Option<i64>, installation: Option<&str>) -> LicenseTerms {
        LicenseTerms {
            license_id: Uuid::new_v4(),
            customer: "Acme Security".into(),
            max_cameras: 64,
            features: vec!["analytics".into()],
            issued_at: Utc::now(),
            expires_at: expires_in_days.map(|d| Utc::now() + chrono::Duration::days(d)),
            installation_id: installation.map(str::to_owned),
        }
    }

    fn setup() -> (SigningKey, LicenseVerifier) {
        let key = SigningKey::generate(&mut OsRng);
        let verifier = LicenseVerifier::with_keys(vec![key.verifying_key()]);
        (key, verifier)
    }

    #[test]
    fn a_signed_licence_verifies_and_a_tampered_one_does_not() {
        let (key, verifier) = setup();
        let t = terms(Some(365), None);
        let text = sign(&t, &key);
        assert_eq!(verifier.verify(&text).unwrap(), t);

        let mut file: LicenseFile = serde_json::from_str(&text).unwrap();
        let mut altered = t.clone();
        altered.max_cameras = 10_000;
        file.payload = STANDARD.encode(serde_json::to_vec(&altered).unwrap());
        assert_eq!(verifier.verify(&serde_json::to_string(&file).unwrap()), Err(LicenseError::BadSignature));

        let (other, _) = setup();
        assert!(matches!(verifier.verify(&sign(&t, &other)), Err(LicenseError::UnknownKey(_))));
        assert!(matches!(verifier.verify("{}"), Err(LicenseError::Malformed(_))));
        assert!(LicenseVerifier::builtin().verify(&text).is_err(), "test keys are not the vendor's");
    }

    #[test]
    fn entitlement_follows_expiry_and_installation() {
        let (key, verifier) = setup();
        let eval =
            |t: &LicenseTerms, here: &str| Entitlement::evaluate(&verifier, Some(&sign(t, &key)), here, Utc::now());

        let none = Entitlement::evaluate(&verifier, None, "i-1", Utc::now());
        assert_eq!((none.status, none.max_cameras), (LicenseStatus::Unlicensed, FREE_CAMERAS));

        let valid = eval(&terms(Some(10), None), "i-1");
        assert_eq!((valid.status, valid.max_cameras), (LicenseStatus::Valid, 64));
        let perpetual = eval(&terms(None, Some("i-1")), "i-1");
        assert_eq!(perpetual.status, LicenseStatus::Valid);

        let grace = eval(&terms(Some(-5), None), "i-1");
        assert_eq!((grace.status, grace.max_cameras), (LicenseStatus::Grace, 64));
        assert!(grace.message.unwrap().contains("renew within 25 days"));

        let expired = eval(&terms(Some(-31), None), "i-1");
        assert_eq!((expired.status, expired.max_cameras), (LicenseStatus::Expired, FREE_CAMERAS));

        let elsewhere = eval(&terms(Some(10), Some("i-2")), "i-1");
        assert_eq!((elsewhere.status, elsewhere.max_cameras), (LicenseStatus::Invalid, FREE_CAMERAS));

        let bad = Entitlement::evaluate(&verifier, Some("garbage"), "i-1", Utc::now());
        assert_eq!(bad.status, LicenseStatus::Invalid);
    }
}
