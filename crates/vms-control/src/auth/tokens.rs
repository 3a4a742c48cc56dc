//! Access tokens (JWT, EdDSA) and opaque refresh tokens.
//!
//! The signing key is an Ed25519 key generated on first start and kept in the
//! secrets directory; its id (`kid`) is a digest of the public key, so keys can
//! be rotated by adding a new one while tokens signed by the old one expire.

use std::{path::Path, time::Duration};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::Utc;
use ed25519_dalek::{
    SigningKey,
    pkcs8::{EncodePrivateKey, EncodePublicKey, spki::der::pem::LineEnding},
};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::{RngCore, rngs::OsRng};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::ApiError;

const ISSUER: &str = "vms-control";
const AUDIENCE: &str = "vms-api";

/// Claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// User id.
    pub sub: Uuid,
    /// Tenant id.
    pub tid: Uuid,
    /// User name.
    pub name: String,
    /// Super-admin.
    #[serde(default)]
    pub sa: bool,
    /// What the user may do where.
    pub acc: vms_catalog::access::Access,
    /// The login (refresh-token family) this token belongs to.
    #[serde(default)]
    pub sid: Option<Uuid>,
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// Issued at (Unix seconds).
    pub iat: i64,
    /// Expires at (Unix seconds).
    pub exp: i64,
    /// Token id.
    pub jti: Uuid,
}

/// Signs and verifies access tokens.
pub struct TokenKeys {
    kid: String,
    encoding: EncodingKey,
    /// Every public key still trusted, by key id: the current one and those
    /// rotated out whose tokens may not have expired yet.
    decoding: std::collections::HashMap<String, DecodingKey>,
    access_ttl: Duration,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKeys").field("kid", &self.kid).finish_non_exhaustive()
    }
}

impl TokenKeys {
    /// File name of the signing key in the secrets directory.
    pub const FILE_NAME: &'static str = "jwt-ed25519.pem";
    /// Directory (in the secrets directory) of the trusted public keys, `<kid>.pem`.
    pub const PUBLIC_DIR: &'static str = "jwt-keys";

    /// Loads the signing key from `secrets_dir`, generating it on first use, and
    /// trusts every public key in `secrets_dir/jwt-keys` (publishing its own there).
    pub fn load_or_create(secrets_dir: &Path, access_ttl: Duration) -> anyhow::Result<Self> {
        let path = secrets_dir.join(Self::FILE_NAME);
        let pem = vms_base::secret_file::load_or_create(&path, || {
            let key = SigningKey::generate(&mut OsRng);
            key.to_pkcs8_pem(LineEnding::LF).expect("ed25519 key should encode").as_bytes().to_vec()
        })?;
        let pem = String::from_utf8(pem)?;
        use ed25519_dalek::pkcs8::DecodePrivateKey;
        let signing = SigningKey::from_pkcs8_pem(&pem)
            .map_err(|e| anyhow::anyhow!("invalid signing key in {}: {e}", path.display()))?;
        let kid = hex::encode(&Sha256::digest(signing.verifying_key().as_bytes())[..8]);
        let public_dir = secrets_dir.join(Self::PUBLIC_DIR);
        std::fs::create_dir_all(&public_dir)?;
        let own = public_dir.join(format!("{kid}.pem"));
        if !own.exists() {
            std::fs::write(&own, signing.verifying_key().to_public_key_pem(LineEnding::LF)?)?;
        }
        let mut decoding = std::collections::HashMap::new();
        for entry in std::fs::read_dir(&public_dir)? {
            let file = entry?.path();
            if let (Some(stem), Some("pem")) = (file.file_stem(), file.extension().and_then(|e| e.to_str())) {
                let key = DecodingKey::from_ed_pem(&std::fs::read(&file)?)
                    .map_err(|e| anyhow::anyhow!("invalid public key {}: {e}", file.display()))?;
                decoding.insert(stem.to_string_lossy().into_owned(), key);
            }
        }
        Ok(Self { kid, encoding: EncodingKey::from_ed_pem(pem.as_bytes())?, decoding, access_ttl })
    }

    /// Retires the signing key: the next start signs with a new one, while
    /// tokens of the old one stay valid until they expire (its public key stays
    /// trusted). Returns the id of the retired key.
    pub fn rotate(secrets_dir: &Path) -> anyhow::Result<String> {
        let current = Self::load_or_create(secrets_dir, Duration::from_secs(60))?;
        let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
        let path = secrets_dir.join(Self::FILE_NAME);
        std::fs::rename(&path, secrets_dir.join(format!("{}.retired-{stamp}", Self::FILE_NAME)))?;
        Self::load_or_create(secrets_dir, Duration::from_secs(60))?;
        Ok(current.kid)
    }

    /// Returns the id of the key that signs new tokens.
    pub fn key_id(&self) -> &str {
        &self.kid
    }

    /// Returns the access-token lifetime.
    pub fn access_ttl(&self) -> Duration {
        self.access_ttl
    }

    /// Issues an access token for a user's login (`session`).
    pub fn issue(
        &self,
        user: &vms_catalog::user::UserAuth,
        access: &vms_catalog::access::Access,
        session: Uuid,
    ) -> String {
        let now = Utc::now().timestamp();
        let claims = Claims {
            sub: user.id,
            tid: user.tenant_id,
            name: user.username.clone(),
            sa: user.super_admin,
            acc: access.clone(),
            sid: Some(session),
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            iat: now,
            exp: now + self.access_ttl.as_secs() as i64,
            jti: Uuid::new_v4(),
        };
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, &claims, &self.encoding).expect("signing with a valid key should not fail")
    }

    /// Verifies signature (by the token's key id), issuer, audience and expiry.
    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        let invalid = || ApiError::unauthenticated("invalid access token");
        let header = jsonwebtoken::decode_header(token).map_err(|_| invalid())?;
        let key = header.kid.as_ref().and_then(|kid| self.decoding.get(kid)).ok_or_else(invalid)?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.leeway = 5;
        jsonwebtoken::decode::<Claims>(token, key, &validation).map(|d| d.claims).map_err(|e| match e.kind() {
            jsonwebtoken::errors::ErrorKind::ExpiredSignature => ApiError::unauthenticated("access token expired"),
            _ => invalid(),
        })
    }
}

/// Generates an opaque refresh token (256 random bits, base64url).
pub fn new_refresh_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Prefix of every API key, so keys are told apart from access tokens (and found by secret scanners).
pub const API_KEY_PREFIX: &str = "vms_";

/// Generates an API key `vms_<id>_<secret>`; returns the key and its display prefix.
pub fn new_api_key() -> (String, String) {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut id = [0u8; 8];
    OsRng.fill_bytes(&mut id);
    let id: String = id.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect();
    let key = format!("{API_KEY_PREFIX}{id}_{}", new_refresh_token());
    (key, format!("{API_KEY_PREFIX}{id}"))
}

/// Returns the digest under which a refresh token is stored.
pub fn refresh_token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> vms_catalog::user::UserAuth {
        vms_catalog::user::UserAuth {
            id: Uuid::new_v4(),
            tenant_id: Uuid::new_v4(),
            username: "u".into(),
            password_hash: String::new(),
            disabled: false,
            super_admin: false,
            last_login_at: None,
        }
    }

    #[test]
    fn rotation_keeps_old_tokens_valid_until_their_key_is_withdrawn() {
        let dir = std::env::temp_dir().join(format!("vms-jwt-{}", Uuid::new_v4()));
        let ttl = Duration::from_secs(900);
        let old = TokenKeys::load_or_create(&dir, ttl).unwrap();
        let old_token = old.issue(&user(), &Default::default(), Uuid::new_v4());
        let retired = TokenKeys::rotate(&dir).unwrap();
        assert_eq!(retired, old.key_id());
        let new = TokenKeys::load_or_create(&dir, ttl).unwrap();
        assert_ne!(new.key_id(), old.key_id(), "a new key signs after rotation");
        assert!(new.verify(&old_token).is_ok(), "tokens of the retired key stay valid");
        assert!(new.verify(&new.issue(&user(), &Default::default(), Uuid::new_v4())).is_ok());

        std::fs::remove_file(dir.join(TokenKeys::PUBLIC_DIR).join(format!("{retired}.pem"))).unwrap();
        let withdrawn = TokenKeys::load_or_create(&dir, ttl).unwrap();
        assert!(withdrawn.verify(&old_token).is_err(), "withdrawing the public key ends the old tokens");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
