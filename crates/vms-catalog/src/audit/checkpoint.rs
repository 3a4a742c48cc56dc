//! The chain head recorded outside the database.
//!
//! The chain in `audit_log` exposes edited entries and gaps, but a shorter
//! chain whose newest entries were deleted still links up. So the writer
//! records the head (position and seal of the newest entry it stored) in a
//! file beside its journal, signed with an Ed25519 key kept in the data
//! directory's secrets. `vms audit verify` checks that the database still
//! holds that entry with that seal. Someone with only database rights can
//! neither move the file's head back nor sign a new one; copies of the file
//! kept off the machine defend against someone who also owns the machine.

use std::{
    fs,
    io::{self, Write},
    path::{Path, PathBuf},
};

use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

/// Name of the signing key in the secrets directory.
pub const KEY_FILE: &str = "audit_checkpoint.key";
/// Name of its public half, written beside it for whoever checks copies elsewhere.
pub const PUBLIC_KEY_FILE: &str = "audit_checkpoint.pub";
/// Name of the checkpoint file in the audit directory (beside the journal).
pub const CHECKPOINT_FILE: &str = "checkpoint.json";

/// Position and seal of an entry: the head of the chain when it is the newest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// The entry's `seq`.
    pub seq: i64,
    /// The entry's `hash`.
    pub hash: Vec<u8>,
}

/// Why a checkpoint could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    /// There is no checkpoint file (nothing was written through the writer yet).
    #[error("no checkpoint at {0}")]
    Missing(PathBuf),
    /// The file could not be read or parsed.
    #[error("failed to read the checkpoint {path}: {reason}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// The signature does not match: the file was edited or signed with another key.
    #[error("the checkpoint {0} is not signed by this installation's key: it was forged or edited")]
    BadSignature(PathBuf),
}

/// The file's content.
#[derive(Debug, Serialize, Deserialize)]
struct SignedHead {
    seq: i64,
    /// Hex.
    hash: String,
    written_at: DateTime<Utc>,
    /// Hex Ed25519 signature of [`message`].
    signature: String,
}

fn message(seq: i64, hash_hex: &str, written_at: &DateTime<Utc>) -> Vec<u8> {
    format!("vms-audit-checkpoint/1\n{seq}\n{hash_hex}\n{}", written_at.to_rfc3339()).into_bytes()
}

/// Loads the checkpoint signing key from `secrets_dir`, creating it (0600)
/// and its public half on first use.
pub fn load_or_create_key(secrets_dir: &Path) -> io::Result<SigningKey> {
    let bytes = vms_base::secret_file::load_or_create(&secrets_dir.join(KEY_FILE), || {
        use rand::RngCore;
        let mut seed = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut seed);
        seed.to_vec()
    })?;
    let seed: [u8; 32] = bytes.try_into().map_err(|_| io::Error::other("audit checkpoint key must be 32 bytes"))?;
    let key = SigningKey::from_bytes(&seed);
    let public = secrets_dir.join(PUBLIC_KEY_FILE);
    if !public.exists() {
        fs::write(&public, hex::encode(key.verifying_key().as_bytes()))?;
    }
    Ok(key)
}

/// Reads the key that checks checkpoints, from `secrets_dir`: `None` if this
/// installation has none yet (its writer never ran).
pub fn load_verifying_key(secrets_dir: &Path) -> io::Result<Option<VerifyingKey>> {
    let bytes = match fs::read(secrets_dir.join(KEY_FILE)) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let seed: [u8; 32] = bytes.try_into().map_err(|_| io::Error::other("audit checkpoint key must be 32 bytes"))?;
    Ok(Some(SigningKey::from_bytes(&seed).verifying_key()))
}

/// Reads a public key as [`load_or_create_key`] writes it (hex).
pub fn read_public_key(path: &Path) -> anyhow::Result<VerifyingKey> {
    use anyhow::Context;
    let text = fs::read_to_string(path).with_context(|| format!("failed to read {}", path.display()))?;
    let bytes: [u8; 32] = hex::decode(text.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .with_context(|| format!("{} does not hold 32 hex-encoded bytes", path.display()))?;
    VerifyingKey::from_bytes(&bytes).with_context(|| format!("{} is not an Ed25519 public key", path.display()))
}

/// Writes the signed head to `path`, atomically (a crash leaves the old file
/// or the new one) and durably. Blocking: call it off the async workers.
pub fn write(path: &Path, key: &SigningKey, head: &Head) -> io::Result<()> {
    let hash = hex::encode(&head.hash);
    let written_at = Utc::now();
    let signature = hex::encode(key.sign(&message(head.seq, &hash, &written_at)).to_bytes());
    let body = serde_json::to_vec_pretty(&SignedHead { seq: head.seq, hash, written_at, signature })?;
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("json.tmp");
    {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(&body)?;
        file.sync_data()?;
    }
    fs::rename(&tmp, path)
}

/// Reads and checks the checkpoint at `path`; returns its head and when it was written.
pub fn read(path: &Path, key: &VerifyingKey) -> Result<(Head, DateTime<Utc>), CheckpointError> {
    let unreadable = |reason: String| CheckpointError::Unreadable { path: path.to_owned(), reason };
    let body = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(CheckpointError::Missing(path.to_owned())),
        Err(e) => return Err(unreadable(e.to_string())),
    };
    let signed: SignedHead = serde_json::from_slice(&body).map_err(|e| unreadable(e.to_string()))?;
    let signature: [u8; 64] = hex::decode(&signed.signature)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| unreadable("the signature is not 64 hex-encoded bytes".into()))?;
    key.verify(&message(signed.seq, &signed.hash, &signed.written_at), &Signature::from_bytes(&signature))
        .map_err(|_| CheckpointError::BadSignature(path.to_owned()))?;
    let hash = hex::decode(&signed.hash).map_err(|e| unreadable(e.to_string()))?;
    Ok((Head { seq: signed.seq, hash }, signed.written_at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_head_reads_back_and_an_edited_one_is_refused() {
        let dir = std::env::temp_dir().join(format!("vms-checkpoint-{}", uuid::Uuid::new_v4()));
        let key = load_or_create_key(&dir.join("secrets")).unwrap();
        assert_eq!(load_or_create_key(&dir.join("secrets")).unwrap().to_bytes(), key.to_bytes(), "kept");
        let path = dir.join(CHECKPOINT_FILE);
        assert!(matches!(read(&path, &key.verifying_key()), Err(CheckpointError::Missing(_))));
        let head = Head { seq: 42, hash: vec![1, 2, 3] };
        write(&path, &key, &head).unwrap();
        assert_eq!(read(&path, &key.verifying_key()).unwrap().0, head);

        let edited = fs::read_to_string(&path).unwrap().replace("\"seq\": 42", "\"seq\": 41");
        fs::write(&path, edited).unwrap();
        assert!(matches!(read(&path, &key.verifying_key()), Err(CheckpointError::BadSignature(_))));
        let other = SigningKey::from_bytes(&[7; 32]);
        write(&path, &other, &head).unwrap();
        assert!(matches!(read(&path, &key.verifying_key()), Err(CheckpointError::BadSignature(_))));
        fs::remove_dir_all(dir).unwrap();
    }
}
