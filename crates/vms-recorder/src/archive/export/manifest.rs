//! Export manifests: what an exported file is (camera, stream, time range,
//! SHA-256, who made it and when, and for a watermarked export the text
//! burnt into its pictures), signed with the server's Ed25519 export key,
//! so anyone holding the public key can check that neither the file nor
//! the manifest was changed.

use std::path::Path;

use base64::{Engine, engine::general_purpose::STANDARD};
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use rand::rngs::OsRng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// File (in the secrets directory) holding the export signing key.
pub const EXPORT_KEY_FILE: &str = "export-signing.key";
/// File (in the secrets directory) holding its public half, hex-encoded.
pub use vms_config::EXPORT_PUBLIC_KEY_FILE;

/// What an export is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Format version: 1.
    pub version: u32,
    /// The export's id.
    pub export_id: Uuid,
    /// The camera's tenant.
    pub tenant_id: Uuid,
    /// The camera.
    pub camera_id: Uuid,
    /// Its name when exported.
    pub camera_name: String,
    /// `main` or `sub`.
    pub stream: String,
    /// The window asked for.
    pub start: DateTime<Utc>,
    /// End of the window asked for.
    pub end: DateTime<Utc>,
    /// What the file holds: from the keyframe at or before `start`.
    pub video_start: DateTime<Utc>,
    /// Just past its last picture.
    pub video_end: DateTime<Utc>,
    /// File size.
    pub bytes: u64,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// Who exported it.
    pub user_id: Uuid,
    /// Their user name.
    pub username: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// The public key that signed it, hex (check it against the server's).
    pub public_key: String,
    /// Present when the pictures were re-encoded with this text burnt into
    /// every one (the file then is H.264, whatever the camera sent);
    /// absent, and left out of the JSON, when they were copied as
    /// recorded, so manifests of plain exports read and verify as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watermark: Option<Watermark>,
}

/// The text burnt into a watermarked export, as control gave it: the user
/// who exported, when, and the camera's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Watermark {
    /// The user name.
    pub user: String,
    /// The time of the export.
    pub time: DateTime<Utc>,
    /// The camera's name.
    pub camera: String,
}

/// A manifest and its signature, as stored beside the export.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedManifest {
    /// The manifest.
    pub manifest: Manifest,
    /// Ed25519 signature of the manifest's JSON (compact, fields in order), base64.
    pub signature: String,
}

/// Why an export does not verify.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VerifyError {
    /// The manifest is not one.
    #[error("the manifest is unreadable: {0}")]
    Malformed(String),
    /// Signed by another key than the one trusted.
    #[error("the manifest was signed by key {found}, not the trusted key {trusted}")]
    WrongKey {
        /// Key in the manifest.
        found: String,
        /// Key trusted.
        trusted: String,
    },
    /// The signature does not match the manifest.
    #[error("the manifest's signature is invalid: the manifest was changed")]
    BadSignature,
    /// The file is not the one the manifest describes.
    #[error("the file's SHA-256 is {found}, the manifest says {expected}: the file was changed")]
    FileChanged {
        /// Hash of the file.
        found: String,
        /// Hash in the manifest.
        expected: String,
    },
}

/// Loads the export signing key from `secrets_dir`, creating it on first
/// use, and writes its public half beside it whenever that file does not
/// hold it (a key copied in from another node replaces the old one: the
/// public file is what clients check manifests against).
pub fn load_or_create_key(secrets_dir: &Path) -> std::io::Result<SigningKey> {
    let bytes = vms_base::secret_file::load_or_create(&secrets_dir.join(EXPORT_KEY_FILE), || {
        SigningKey::generate(&mut OsRng).to_bytes().to_vec()
    })?;
    let bytes: [u8; 32] = bytes.try_into().map_err(|_| std::io::Error::other("export signing key must be 32 bytes"))?;
    let key = SigningKey::from_bytes(&bytes);
    let public = secrets_dir.join(EXPORT_PUBLIC_KEY_FILE);
    let expected = hex::encode(key.verifying_key().as_bytes());
    let held = std::fs::read_to_string(&public).unwrap_or_default();
    if held.trim() != expected {
        std::fs::write(&public, &expected)?;
    }
    Ok(key)
}

/// Reads a hex-encoded public key.
pub fn parse_public_key(text: &str) -> Result<VerifyingKey, VerifyError> {
    let bytes: [u8; 32] = hex::decode(text.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| VerifyError::Malformed("the public key is not 32 hex-encoded bytes".into()))?;
    VerifyingKey::from_bytes(&bytes).map_err(|e| VerifyError::Malformed(e.to_string()))
}

/// Signs a manifest.
pub fn sign(manifest: Manifest, key: &SigningKey) -> SignedManifest {
    let json = serde_json::to_vec(&manifest).expect("a manifest serializes");
    SignedManifest { manifest, signature: STANDARD.encode(key.sign(&json).to_bytes()) }
}

/// SHA-256 of `bytes`, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Checks a manifest (as stored) and the file it describes against `trusted`.
pub fn verify(manifest_json: &[u8], file: &[u8], trusted: &VerifyingKey) -> Result<Manifest, VerifyError> {
    let signed: SignedManifest =
        serde_json::from_slice(manifest_json).map_err(|e| VerifyError::Malformed(e.to_string()))?;
    let trusted_hex = hex::encode(trusted.as_bytes());
    if signed.manifest.public_key != trusted_hex {
        return Err(VerifyError::WrongKey { found: signed.manifest.public_key, trusted: trusted_hex });
    }
    let signature: [u8; 64] =
        STANDARD.decode(&signed.signature).ok().and_then(|s| s.try_into().ok()).ok_or(VerifyError::BadSignature)?;
    let json = serde_json::to_vec(&signed.manifest).expect("a manifest serializes");
    trusted.verify(&json, &Signature::from_bytes(&signature)).map_err(|_| VerifyError::BadSignature)?;
    let found = sha256_hex(file);
    if found != signed.manifest.sha256 {
        return Err(VerifyError::FileChanged { found, expected: signed.manifest.sha256 });
    }
    Ok(signed.manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(file: &[u8], key: &SigningKey) -> Manifest {
        let t = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        Manifest {
            version: 1,
            export_id: Uuid::new_v4(),
            tenant_id: Uuid::new_v4(),
            camera_id: Uuid::new_v4(),
            camera_name: "Gate".into(),
            stream: "main".into(),
            start: t,
            end: t,
            video_start: t,
            video_end: t,
            bytes: file.len() as u64,
            sha256: sha256_hex(file),
            user_id: Uuid::new_v4(),
            username: "op".into(),
            created_at: t,
            public_key: hex::encode(key.verifying_key().as_bytes()),
            watermark: None,
        }
    }

    #[test]
    fn a_key_copied_in_replaces_the_public_half_clients_check_against() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_create_key(dir.path()).unwrap();
        let public = dir.path().join(EXPORT_PUBLIC_KEY_FILE);
        assert_eq!(std::fs::read_to_string(&public).unwrap(), hex::encode(first.verifying_key().as_bytes()));
        // Another node's key copied over this one's, with the old public file left behind.
        let copied = SigningKey::from_bytes(&[9; 32]);
        std::fs::write(dir.path().join(EXPORT_KEY_FILE), copied.to_bytes()).unwrap();
        let loaded = load_or_create_key(dir.path()).unwrap();
        assert_eq!(loaded.to_bytes(), copied.to_bytes());
        assert_eq!(std::fs::read_to_string(&public).unwrap(), hex::encode(copied.verifying_key().as_bytes()));
    }

    /// The web app checks manifests by re-serialising them as JavaScript
    /// does (`web/src/export/verify.test.ts` reads this fixture): what the
    /// recorder signs must stay byte for byte what it wrote, escapes and
    /// non-ASCII names included. `VMS_WRITE_FIXTURE=1` writes it afresh.
    #[test]
    fn the_browser_fixture_is_what_the_recorder_signs() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let file = b"an exported file";
        let mut m = manifest(file, &key);
        let id = Uuid::from_u128(0x1234_5678_9abc_4def_8123_4567_89ab_cdef);
        (m.export_id, m.tenant_id, m.camera_id, m.user_id) = (id, id, id, id);
        m.camera_name = "Portão «norte» \"east\"\n\t/ é 門".into();
        m.username = "ops\\night".into();
        let signed = serde_json::to_string(&sign(m, &key)).unwrap();
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/src/export/testdata/signed-manifest.json");
        if std::env::var_os("VMS_WRITE_FIXTURE").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &signed).unwrap();
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap(), signed, "run with VMS_WRITE_FIXTURE=1 to write it afresh");
        assert!(verify(signed.as_bytes(), file, &key.verifying_key()).is_ok());
    }

    #[test]
    fn a_changed_file_or_manifest_does_not_verify() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let file = b"an exported file".to_vec();
        let signed = serde_json::to_vec(&sign(manifest(&file, &key), &key)).unwrap();
        assert!(verify(&signed, &file, &key.verifying_key()).is_ok());
        let mut flipped = file.clone();
        flipped[3] ^= 1;
        assert!(matches!(verify(&signed, &flipped, &key.verifying_key()), Err(VerifyError::FileChanged { .. })));
        let edited = String::from_utf8(signed.clone()).unwrap().replace("Gate", "Door");
        assert_eq!(verify(edited.as_bytes(), &file, &key.verifying_key()), Err(VerifyError::BadSignature));
        let other = SigningKey::from_bytes(&[4; 32]);
        assert!(matches!(verify(&signed, &file, &other.verifying_key()), Err(VerifyError::WrongKey { .. })));
    }

    #[test]
    fn the_watermark_is_signed_and_plain_manifests_leave_it_out() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let file = b"an exported file".to_vec();
        let plain = serde_json::to_string(&sign(manifest(&file, &key), &key)).unwrap();
        assert!(!plain.contains("watermark"), "{plain}");
        let t = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let mut marked = manifest(&file, &key);
        marked.watermark = Some(Watermark { user: "op".into(), time: t, camera: "Gate".into() });
        let signed = serde_json::to_string(&sign(marked.clone(), &key)).unwrap();
        assert!(
            signed.contains(r#""watermark":{"user":"op","time":"2027-01-15T08:00:00Z","camera":"Gate"}"#),
            "{signed}"
        );
        assert_eq!(verify(signed.as_bytes(), &file, &key.verifying_key()), Ok(marked));
        let forged = signed.replace(r#""user":"op""#, r#""user":"someone else""#);
        assert_eq!(verify(forged.as_bytes(), &file, &key.verifying_key()), Err(VerifyError::BadSignature));
        let stripped =
            signed.replace(r#","watermark":{"user":"op","time":"2027-01-15T08:00:00Z","camera":"Gate"}"#, "");
        assert_eq!(verify(stripped.as_bytes(), &file, &key.verifying_key()), Err(VerifyError::BadSignature));
    }
}
