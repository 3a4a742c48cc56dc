//! Keyed pseudonyms for the user names typed into failed logins.
//!
//! People type passwords into the user name field. A failed login that names
//! no account is therefore never logged or audited with what was typed, but
//! with a keyed hash of it: the same typo gives the same pseudonym (so an
//! operator still sees one name being guessed a thousand times), and without
//! the installation's key nobody can test guesses against it. The key lives in
//! the secrets directory, readable by the service account only.

use std::path::Path;

use anyhow::Context;
use sha2::{Digest, Sha256};

/// Turns typed user names into stable, non-reversible labels.
pub struct Pseudonyms {
    key: Vec<u8>,
}

impl std::fmt::Debug for Pseudonyms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pseudonyms").finish_non_exhaustive()
    }
}

impl Pseudonyms {
    /// Loads the key from `secrets/login-pseudonym.key`, creating it on first use.
    pub fn load_or_create(secrets: &Path) -> anyhow::Result<Self> {
        let key = vms_base::secret_file::load_or_create(&secrets.join("login-pseudonym.key"), || {
            use rand::RngCore;
            let mut key = vec![0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut key);
            key
        })
        .context("failed to load the login pseudonym key")?;
        Ok(Self { key })
    }

    /// Returns `typed:` and 12 hex digits of a keyed SHA-256 of the name, case-folded.
    pub fn of(&self, typed: &str) -> String {
        let mut hash = Sha256::new();
        hash.update(&self.key);
        hash.update(typed.to_lowercase().as_bytes());
        let digest = hash.finalize();
        format!("typed:{}", hex::encode(&digest[..6]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_stable_case_insensitive_keyed_and_hides_the_name() {
        let dir = tempfile::tempdir().unwrap();
        let names = Pseudonyms::load_or_create(dir.path()).unwrap();
        let again = Pseudonyms::load_or_create(dir.path()).unwrap();
        let label = names.of("Hunter2-Password!");
        assert_eq!(label, again.of("hunter2-password!"), "same key, same name, same label");
        assert!(!label.to_lowercase().contains("hunter"), "{label}");
        assert_eq!(label.len(), "typed:".len() + 12);
        let other = tempfile::tempdir().unwrap();
        assert_ne!(label, Pseudonyms::load_or_create(other.path()).unwrap().of("Hunter2-Password!"), "keyed");
    }
}
