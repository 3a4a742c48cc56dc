//! Who is watching, by user: every viewing the media plane serves (a restream
//! session, a WebRTC, MSE or HLS viewer) is registered with the user it was
//! opened for, so that revoking the user (disabled, deleted, grants or roles
//! changed) ends all of them at once rather than when they next ask for
//! something. The revocations arrive over NATS ([`follow`]).

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
};

use futures::StreamExt;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;
use vms_bus::revocation::UserRevoked;

/// Every open viewing, by an id of its own.
#[derive(Default, Clone)]
pub(crate) struct Viewers {
    open: Arc<Mutex<HashMap<u64, (Uuid, CancellationToken)>>>,
    next: Arc<AtomicU64>,
}

/// A registered viewing; dropping it (the viewing ended) unregisters it.
pub(crate) struct Viewing {
    id: u64,
    open: Arc<Mutex<HashMap<u64, (Uuid, CancellationToken)>>>,
}

impl Drop for Viewing {
    fn drop(&mut self) {
        self.open.lock().expect("viewers lock should not be poisoned").remove(&self.id);
    }
}

impl Viewers {
    /// Registers a viewing opened for `user`: revoking the user cancels `end`.
    pub(crate) fn watch(&self, user: Uuid, end: CancellationToken) -> Viewing {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.open.lock().expect("viewers lock should not be poisoned").insert(id, (user, end));
        Viewing { id, open: self.open.clone() }
    }

    /// Ends every viewing opened for `user`; returns how many there were.
    pub(crate) fn revoke(&self, user: Uuid) -> usize {
        let mut open = self.open.lock().expect("viewers lock should not be poisoned");
        let mut ended = 0;
        open.retain(|_, (viewer, end)| {
            if *viewer != user {
                return true;
            }
            end.cancel();
            ended += 1;
            false
        });
        ended
    }
}

/// Follows the user revocations arriving on `revocations` until `shutdown`,
/// handing each to `revoke`, which ends the user's viewings and says how many.
pub(crate) async fn follow(
    mut revocations: async_nats::Subscriber,
    revoke: impl Fn(&UserRevoked) -> usize + Send,
    shutdown: CancellationToken,
) {
    loop {
        let message = tokio::select! {
            _ = shutdown.cancelled() => return,
            message = revocations.next() => match message {
                Some(message) => message,
                None => return,
            },
        };
        let revoked: UserRevoked = match serde_json::from_slice(&message.payload) {
            Ok(revoked) => revoked,
            Err(e) => {
                tracing::warn!(error = %e, "ignoring a malformed user revocation");
                continue;
            }
        };
        let ended = revoke(&revoked);
        tracing::info!(user_id = %revoked.user_id, ended, "user revoked; ended their viewings");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revoking_a_user_ends_only_their_viewings() {
        let viewers = Viewers::default();
        let (alice, bob) = (Uuid::new_v4(), Uuid::new_v4());
        let (a1, a2, b) = (CancellationToken::new(), CancellationToken::new(), CancellationToken::new());
        let _a1 = viewers.watch(alice, a1.clone());
        let ended_early = viewers.watch(alice, a2.clone());
        let _b = viewers.watch(bob, b.clone());
        drop(ended_early);
        assert_eq!(viewers.revoke(alice), 1, "an ended viewing is no longer registered");
        assert!(a1.is_cancelled() && !a2.is_cancelled() && !b.is_cancelled());
        assert_eq!(viewers.revoke(alice), 0);
    }
}
