//! Camera credentials sealed at rest.
//!
//! Credentials are sealed with XChaCha20-Poly1305 under a 256-bit key kept in
//! the node's secrets directory. The stream id is the associated data, so a
//! sealed blob copied onto another stream's row fails to open. Layout:
//! `version (1) || nonce (24) || ciphertext+tag`.

use std::{fmt, path::Path};

use chacha20poly1305::{
    XChaCha20Poly1305, XNonce,
    aead::{Aead, KeyInit, Payload},
};
use rand::{RngCore, rngs::OsRng};
use serde::{Deserialize, Serialize};

use crate::CatalogError;

const VERSION: u8 = 1;
const NONCE_LEN: usize = 24;

/// A user name and password for a camera or NVR.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    /// User name.
    pub username: String,
    /// Password.
    pub password: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials").field("username", &self.username).field("password", &"***").finish()
    }
}

/// The key that seals and opens camera credentials.
#[derive(Clone)]
pub struct CredentialKey(XChaCha20Poly1305);

impl fmt::Debug for CredentialKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CredentialKey(***)")
    }
}

impl CredentialKey {
    /// File name of the key inside the secrets directory.
    pub const FILE_NAME: &'static str = "credentials.key";

    /// Builds a key from 32 raw bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CatalogError> {
        XChaCha20Poly1305::new_from_slice(bytes)
            .map(Self)
            .map_err(|_| CatalogError::Crypto("credential key must be 32 bytes".to_owned()))
    }

    /// Loads the key from `secrets_dir`, generating it on first use.
    pub fn load_or_create(secrets_dir: &Path) -> Result<Self, CatalogError> {
        let path = secrets_dir.join(Self::FILE_NAME);
        let bytes = vms_base::secret_file::load_or_create(&path, || {
            let mut key = vec![0u8; 32];
            OsRng.fill_bytes(&mut key);
            key
        })
        .map_err(|e| CatalogError::Crypto(format!("failed to load {}: {e}", path.display())))?;
        Self::from_bytes(&bytes)
    }

    /// Seals `credentials` for the stream `binding`.
    pub fn seal(&self, credentials: &Credentials, binding: &[u8]) -> Vec<u8> {
        self.seal_bytes(&serde_json::to_vec(credentials).expect("credentials should serialize"), binding)
    }

    /// Seals any secret (a webhook's signing key, say) for the row `binding`.
    pub fn seal_bytes(&self, plain: &[u8], binding: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        OsRng.fill_bytes(&mut nonce);
        let sealed = self
            .0
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: plain, aad: binding })
            .expect("xchacha20poly1305 encryption should not fail");
        let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// Opens a blob sealed for `binding`; fails on a wrong key, binding or any tampering.
    pub fn open(&self, blob: &[u8], binding: &[u8]) -> Result<Credentials, CatalogError> {
        let plain = self.open_bytes(blob, binding)?;
        serde_json::from_slice(&plain).map_err(|_| CatalogError::Crypto("sealed credentials failed to open".to_owned()))
    }

    /// Opens a secret sealed by [`CredentialKey::seal_bytes`] for `binding`.
    pub fn open_bytes(&self, blob: &[u8], binding: &[u8]) -> Result<Vec<u8>, CatalogError> {
        let fail = || CatalogError::Crypto("sealed credentials failed to open".to_owned());
        if blob.len() < 1 + NONCE_LEN || blob[0] != VERSION {
            return Err(fail());
        }
        let (nonce, sealed) = blob[1..].split_at(NONCE_LEN);
        self.0.decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad: binding }).map_err(|_| fail())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials { username: "admin".into(), password: "pa55word".into() }
    }

    #[test]
    fn round_trips_and_hides_plaintext() {
        let key = CredentialKey::from_bytes(&[7u8; 32]).unwrap();
        let blob = key.seal(&creds(), b"stream-1");
        assert!(!blob.windows(8).any(|w| w == b"pa55word"));
        assert_eq!(key.open(&blob, b"stream-1").unwrap(), creds());
    }

    #[test]
    fn refuses_other_binding_key_or_tampering() {
        let key = CredentialKey::from_bytes(&[7u8; 32]).unwrap();
        let blob = key.seal(&creds(), b"stream-1");
        assert!(key.open(&blob, b"stream-2").is_err());
        assert!(CredentialKey::from_bytes(&[8u8; 32]).unwrap().open(&blob, b"stream-1").is_err());
        let mut flipped = blob.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert!(key.open(&flipped, b"stream-1").is_err());
        assert!(key.open(&[], b"stream-1").is_err());
    }

    #[test]
    fn debug_never_shows_the_password() {
        assert!(!format!("{:?}", creds()).contains("pa55word"));
    }
}
