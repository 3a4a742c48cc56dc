//! Who is watching, by user: every viewing the media plane serves (a restream
//! session, a WebRTC, MSE or HLS viewer) is registered with the user it was
//! opened for, so that revoking the user (disabled, deleted, grants or roles
//! changed) ends all of them at once rather than when they next ask for
//! something. The revocations arrive through [`crate::revocations`].

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
};

use tokio_util::sync::CancellationToken;
use uuid::Uuid;

/// An open viewing: its user, when their right to it was confirmed (Unix
/// seconds), how to end it, and what is watched how (for the metrics).
type Open = (Uuid, i64, CancellationToken, Watched);

/// How a viewer receives a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Transport {
    /// The RTSP restream.
    Rtsp,
    /// WebRTC (WHEP).
    Webrtc,
    /// fMP4 over a WebSocket, for Media Source Extensions.
    Mse,
    /// Low-Latency HLS.
    Hls,
}

impl Transport {
    /// Its name in the metrics.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Transport::Rtsp => "rtsp",
            Transport::Webrtc => "webrtc",
            Transport::Mse => "mse",
            Transport::Hls => "hls",
        }
    }
}

/// Which stream a viewing watches, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Watched {
    pub(crate) camera: Uuid,
    pub(crate) role: vms_base::StreamRole,
    pub(crate) transport: Transport,
}

/// Every open viewing, by an id of its own.
#[derive(Default, Clone)]
pub(crate) struct Viewers {
    open: Arc<Mutex<HashMap<u64, Open>>>,
    next: Arc<AtomicU64>,
}

/// A registered viewing; dropping it (the viewing ended) unregisters it.
pub(crate) struct Viewing {
    id: u64,
    open: Arc<Mutex<HashMap<u64, Open>>>,
}

impl Drop for Viewing {
    fn drop(&mut self) {
        self.open.lock().expect("viewers lock should not be poisoned").remove(&self.id);
    }
}

/// Which of a revoked user's admissions end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cutoff {
    /// Every one: the revocation was heard as it happened.
    All,
    /// Those confirmed at or before this Unix second (a ticket issued, a
    /// password accepted): the revocation was found later in the record, and
    /// what was confirmed after it was granted under the user's rights as
    /// they are now.
    AdmittedBy(i64),
}

impl Cutoff {
    /// Answers whether an admission at `admitted` (Unix seconds) ends.
    pub(crate) fn ends(self, admitted: i64) -> bool {
        match self {
            Cutoff::All => true,
            Cutoff::AdmittedBy(at) => admitted <= at,
        }
    }
}

impl Viewers {
    /// Registers a viewing opened for `user`, whose right to it was
    /// confirmed at `confirmed_at` (Unix seconds, by control's clock: a
    /// ticket's issue time): revoking the user cancels `end`.
    pub(crate) fn watch(&self, user: Uuid, confirmed_at: i64, end: CancellationToken, watched: Watched) -> Viewing {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.open.lock().expect("viewers lock should not be poisoned").insert(id, (user, confirmed_at, end, watched));
        Viewing { id, open: self.open.clone() }
    }

    /// Returns the users with a viewing open.
    pub(crate) fn users(&self) -> std::collections::BTreeSet<Uuid> {
        self.open.lock().expect("viewers lock should not be poisoned").values().map(|(user, ..)| *user).collect()
    }

    /// How many viewings are open of each stream, by transport.
    pub(crate) fn counts(&self) -> std::collections::BTreeMap<Watched, usize> {
        let mut counts = std::collections::BTreeMap::new();
        for (.., watched) in self.open.lock().expect("viewers lock should not be poisoned").values() {
            *counts.entry(*watched).or_default() += 1;
        }
        counts
    }

    /// Ends the viewings opened for `user` that `cutoff` ends; returns how many.
    pub(crate) fn revoke(&self, user: Uuid, cutoff: Cutoff) -> usize {
        let mut open = self.open.lock().expect("viewers lock should not be poisoned");
        let mut ended = 0;
        open.retain(|_, (viewer, admitted, end, _)| {
            if *viewer != user || !cutoff.ends(*admitted) {
                return true;
            }
            end.cancel();
            ended += 1;
            false
        });
        ended
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
        let now = chrono::Utc::now().timestamp();
        let camera = Uuid::new_v4();
        let seen = |transport| Watched { camera, role: vms_base::StreamRole::Main, transport };
        let _a1 = viewers.watch(alice, now, a1.clone(), seen(Transport::Webrtc));
        let ended_early = viewers.watch(alice, now, a2.clone(), seen(Transport::Hls));
        let _b = viewers.watch(bob, now, b.clone(), seen(Transport::Webrtc));
        assert_eq!(
            viewers.counts().into_iter().collect::<Vec<_>>(),
            [(seen(Transport::Webrtc), 2), (seen(Transport::Hls), 1)]
        );
        drop(ended_early);
        assert_eq!(viewers.counts().get(&seen(Transport::Hls)), None, "an ended viewing is not counted");
        assert_eq!(viewers.revoke(alice, Cutoff::AdmittedBy(now - 60)), 0, "admitted after that revocation");
        assert!(!a1.is_cancelled());
        assert_eq!(viewers.revoke(alice, Cutoff::AdmittedBy(now + 1)), 1, "an ended viewing is no longer registered");
        assert!(a1.is_cancelled() && !a2.is_cancelled() && !b.is_cancelled());
        assert_eq!(viewers.revoke(alice, Cutoff::All), 0);
        let a3 = CancellationToken::new();
        let _a3 = viewers.watch(alice, now + 3600, a3.clone(), seen(Transport::Rtsp));
        assert_eq!(viewers.revoke(alice, Cutoff::All), 1);
        assert!(a3.is_cancelled() && !b.is_cancelled());
    }
}
