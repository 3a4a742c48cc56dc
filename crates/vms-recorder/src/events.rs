//! Events that make cameras in mode `event` record, opened and closed over
//! the recorder's gRPC (`Recorder.StartEvent`/`StopEvent`).

use std::{
    collections::{HashMap, VecDeque},
    sync::Mutex,
};

use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

/// An event left open (its closer gone) counts as closed this long after it
/// opened, so a lost StopEvent never records for ever.
pub(crate) const MAX_OPEN: TimeDelta = TimeDelta::hours(1);
/// Closed events remembered per stream for their post-buffers.
const MAX_CLOSED: usize = 64;

/// What an event asked for when it opened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Buffers {
    /// Kept from before it; `None` for the camera's pre-buffer.
    pub(crate) pre: Option<TimeDelta>,
    /// Recorded after it; `None` for the camera's post-buffer.
    pub(crate) post: Option<TimeDelta>,
}

#[derive(Default)]
struct StreamEvents {
    /// Open events: when each opened and what it asked for.
    open: HashMap<String, (DateTime<Utc>, Buffers)>,
    /// When the current run of events began (the first of them opened).
    since: Option<DateTime<Utc>>,
    /// The longest pre-buffer the run's events asked for (`None`: the camera's).
    pre: Option<TimeDelta>,
    /// Recently closed events: when, and their post-buffer.
    closed: VecDeque<(DateTime<Utc>, Option<TimeDelta>)>,
}

impl StreamEvents {
    /// Whether the stream records at `at`: an event open (for less than
    /// [`MAX_OPEN`]), or closed less than its post-buffer before.
    fn live(&self, at: DateTime<Utc>, post: TimeDelta) -> bool {
        let open = self.open.values().any(|(opened, b)| at < *opened + MAX_OPEN + b.post.unwrap_or(post));
        open || self.closed.iter().any(|(closed, p)| at < *closed + p.unwrap_or(post))
    }
}

/// The events of every camera stream.
#[derive(Default)]
pub(crate) struct Events {
    table: Mutex<HashMap<(Uuid, String), StreamEvents>>,
}

impl Events {
    /// Opens `event` on a stream at `now` with its `buffers`; returns how many are open.
    pub(crate) fn start(&self, camera: Uuid, role: &str, event: &str, now: DateTime<Utc>, buffers: Buffers) -> usize {
        let mut table = self.table.lock().expect("events lock should not be poisoned");
        let stream = table.entry((camera, role.to_owned())).or_default();
        // Events long forgotten by whoever opened them are dropped.
        stream.open.retain(|_, (opened, _)| now < *opened + MAX_OPEN * 2);
        if stream.open.is_empty() {
            stream.since = Some(now);
            stream.pre = buffers.pre;
        } else if let (Some(run), Some(asked)) = (stream.pre, buffers.pre) {
            stream.pre = Some(run.max(asked));
        } else {
            stream.pre = None;
        }
        stream.open.insert(event.to_owned(), (now, buffers));
        stream.open.len()
    }

    /// Closes `event` on a stream at `now`; returns how many stay open.
    pub(crate) fn stop(&self, camera: Uuid, role: &str, event: &str, now: DateTime<Utc>) -> usize {
        let mut table = self.table.lock().expect("events lock should not be poisoned");
        let stream = table.entry((camera, role.to_owned())).or_default();
        if let Some((_, buffers)) = stream.open.remove(event) {
            stream.closed.push_back((now, buffers.post));
            while stream.closed.len() > MAX_CLOSED {
                stream.closed.pop_front();
            }
        }
        stream.open.len()
    }

    /// If a stream records at `at` (an event open, or closed less than its
    /// post-buffer before; `post` is the camera's), returns when its run of
    /// events began and the pre-buffer it asked for, at most `pre` (the
    /// camera's, which is all the recorder holds).
    pub(crate) fn active(
        &self,
        camera: Uuid,
        role: &str,
        at: DateTime<Utc>,
        pre: TimeDelta,
        post: TimeDelta,
    ) -> Option<(DateTime<Utc>, TimeDelta)> {
        let table = self.table.lock().expect("events lock should not be poisoned");
        let stream = table.get(&(camera, role.to_owned()))?;
        if !stream.live(at, post) {
            return None;
        }
        Some((stream.since?, stream.pre.map_or(pre, |asked| asked.min(pre))))
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;

    #[test]
    fn a_stream_records_from_its_first_event_until_the_post_buffer_after_its_last() {
        let events = Events::default();
        let cam = Uuid::new_v4();
        let t = |s: i64| DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap();
        let (pre, post) = (TimeDelta::seconds(4), TimeDelta::seconds(10));
        let camera = Buffers::default();
        let active = |at| events.active(cam, "main", at, pre, post).map(|(since, _)| since);
        assert_eq!(active(t(0)), None);
        assert_eq!(events.start(cam, "main", "a", t(5), camera), 1);
        assert_eq!(events.start(cam, "main", "b", t(8), camera), 2);
        assert_eq!(events.stop(cam, "main", "a", t(20)), 1);
        assert_eq!(active(t(40)), Some(t(5)), "b is still open");
        assert_eq!(events.stop(cam, "main", "b", t(50)), 0);
        assert_eq!(active(t(59)), Some(t(5)), "in the post-buffer");
        assert_eq!(active(t(60)), None);
        assert_eq!(events.active(cam, "sub", t(30), pre, post), None, "streams apart");
    }

    #[test]
    fn an_event_may_ask_for_its_own_buffers_within_what_the_recorder_holds() {
        let events = Events::default();
        let cam = Uuid::new_v4();
        let t = |s: i64| DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap();
        let (pre, post) = (TimeDelta::seconds(4), TimeDelta::seconds(10));
        let s = TimeDelta::seconds;
        let rule = Buffers { pre: Some(s(2)), post: Some(s(30)) };
        events.start(cam, "main", "rule", t(0), rule);
        assert_eq!(events.active(cam, "main", t(1), pre, post), Some((t(0), s(2))));
        events.stop(cam, "main", "rule", t(5));
        assert!(events.active(cam, "main", t(34), pre, post).is_some(), "its own 30 s post-buffer");
        assert!(events.active(cam, "main", t(35), pre, post).is_none());
        // More pre-buffer than the recorder holds gets what it holds.
        events.start(cam, "main", "greedy", t(100), Buffers { pre: Some(s(60)), post: None });
        assert_eq!(events.active(cam, "main", t(101), pre, post), Some((t(100), s(4))));
        // A run's events share the longest pre-buffer asked for.
        events.start(cam, "main", "camera", t(102), Buffers::default());
        assert_eq!(events.active(cam, "main", t(103), pre, post), Some((t(100), s(4))));
    }

    #[test]
    fn an_event_never_stopped_ends_after_an_hour() {
        let events = Events::default();
        let cam = Uuid::new_v4();
        let t = |s: i64| DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap();
        let (pre, post) = (TimeDelta::seconds(4), TimeDelta::seconds(10));
        events.start(cam, "main", "lost", t(0), Buffers::default());
        assert!(events.active(cam, "main", t(3600), pre, post).is_some(), "open, then its post-buffer");
        assert!(events.active(cam, "main", t(3610), pre, post).is_none());
        // A later start forgets it.
        events.start(cam, "main", "next", t(7300), Buffers::default());
        assert_eq!(events.stop(cam, "main", "next", t(7301)), 0);
    }
}
