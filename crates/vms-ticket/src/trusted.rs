//! The ticket keys a plane trusts, kept in memory and re-read from the
//! secrets directory when a ticket names a key not seen yet, so control can
//! rotate its key without restarting anyone. Shared by control (playback)
//! and the media plane (live).

use std::{
    path::{Path, PathBuf},
    sync::{Mutex, RwLock},
    time::{Duration, Instant},
};

use uuid::Uuid;

use crate::{Purpose, Ticket, TicketError, TicketVerifier};

/// The keys are re-read at most this often, so a flood of tickets naming
/// unknown keys costs one directory read per interval.
const RELOAD_EVERY: Duration = Duration::from_secs(5);

/// A [`TicketVerifier`] over the public keys in `secrets_dir/ticket-keys`,
/// reloaded on an unknown key (at most every 5 s).
#[derive(Debug)]
pub struct TrustedKeys {
    secrets_dir: PathBuf,
    keys: RwLock<TicketVerifier>,
    reloaded: Mutex<Option<Instant>>,
}

impl TrustedKeys {
    /// Trusts the keys published in `secrets_dir` now and later.
    pub fn load(secrets_dir: &Path) -> std::io::Result<Self> {
        let keys = TicketVerifier::load(secrets_dir)?;
        Ok(Self { secrets_dir: secrets_dir.to_owned(), keys: RwLock::new(keys), reloaded: Mutex::new(None) })
    }

    /// Returns how many keys are trusted at the moment.
    pub fn key_count(&self) -> usize {
        self.keys.read().expect("ticket keys lock should not be poisoned").key_count()
    }

    /// Decodes and authenticates a ticket without checking what it is for
    /// ([`TicketVerifier::decode`]).
    pub fn decode(&self, token: &str, now: i64) -> Result<Ticket, TicketError> {
        let decode = || self.keys.read().expect("ticket keys lock should not be poisoned").decode(token, now);
        match decode() {
            Err(TicketError::UnknownKey) if self.reload() => decode(),
            outcome => outcome,
        }
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

    /// Re-reads the keys unless that was done a moment ago; returns whether it did.
    fn reload(&self) -> bool {
        {
            let mut reloaded = self.reloaded.lock().expect("reload lock should not be poisoned");
            if reloaded.is_some_and(|t| t.elapsed() < RELOAD_EVERY) {
                return false;
            }
            *reloaded = Some(Instant::now());
        }
        match TicketVerifier::load(&self.secrets_dir) {
            Ok(fresh) => {
                *self.keys.write().expect("ticket keys lock should not be poisoned") = fresh;
                true
            }
            Err(e) => {
                tracing::warn!(error = %e, "failed to reload ticket keys");
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SIGNING_KEY_FILE, TicketSigner};

    #[test]
    fn a_key_published_after_loading_is_trusted_on_first_sight() {
        let dir = tempfile::tempdir().unwrap();
        let old = TicketSigner::load_or_create(dir.path()).unwrap();
        let trusted = TrustedKeys::load(dir.path()).unwrap();
        std::fs::remove_file(dir.path().join(SIGNING_KEY_FILE)).unwrap();
        let new = TicketSigner::load_or_create(dir.path()).unwrap();
        let cam = Uuid::new_v4();
        for signer in [&new, &old] {
            let (token, _) = signer.issue(Uuid::new_v4(), Uuid::new_v4(), cam, "main", Purpose::Live, 0, 60);
            assert!(trusted.verify(&token, cam, "main", Purpose::Live, 1).is_ok());
        }
        assert_eq!(trusted.key_count(), 2);

        // A key nobody published stays unknown, and asking again soon reads nothing.
        let stranger = TicketSigner::new(ed25519_dalek::SigningKey::from_bytes(&[7; 32]));
        let (token, _) = stranger.issue(Uuid::new_v4(), Uuid::new_v4(), cam, "main", Purpose::Live, 0, 60);
        assert_eq!(trusted.decode(&token, 1), Err(TicketError::UnknownKey));
        assert!(!trusted.reload(), "reloads are throttled");
    }
}
