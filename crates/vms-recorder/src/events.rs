//! Events that make cameras in mode `event` record, opened and closed over
//! the recorder's gRPC (`Recorder.StartEvent`/`StopEvent`).

use std::{
    collections::{HashMap, HashSet},
    sync::Mutex,
};

use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Default)]
struct StreamEvents {
    open: HashSet<String>,
    /// When the current run of events began (the first of them opened).
    since: Option<DateTime<Utc>>,
    /// When the last of them closed.
    closed_at: Option<DateTime<Utc>>,
}

/// The events of every camera stream.
#[derive(Default)]
pub(crate) struct Events {
    table: Mutex<HashMap<(Uuid, String), StreamEvents>>,
}

impl Events {
    /// Opens `event` on a stream at `now`; returns how many are open.
    pub(crate) fn start(&self, camera: Uuid, role: &str, event: &str, now: DateTime<Utc>) -> usize {
        let mut table = self.table.lock().expect("events lock should not be poisoned");
        let stream = table.entry((camera, role.to_owned())).or_default();
        if stream.open.is_empty() {
            stream.since = Some(now);
        }
        stream.open.insert(event.to_owned());
        stream.open.len()
    }

    /// Closes `event` on a stream at `now`; returns how many stay open.
    pub(crate) fn stop(&self, camera: Uuid, role: &str, event: &str, now: DateTime<Utc>) -> usize {
        let mut table = self.table.lock().expect("events lock should not be poisoned");
        let stream = table.entry((camera, role.to_owned())).or_default();
        if stream.open.remove(event) && stream.open.is_empty() {
            stream.closed_at = Some(now);
        }
        stream.open.len()
    }

    /// If a stream records at `at` (an event open, or closed less than
    /// `post` before), returns when its run of events began.
    pub(crate) fn active(
        &self,
        camera: Uuid,
        role: &str,
        at: DateTime<Utc>,
        post: chrono::TimeDelta,
    ) -> Option<DateTime<Utc>> {
        let table = self.table.lock().expect("events lock should not be poisoned");
        let stream = table.get(&(camera, role.to_owned()))?;
        let live = !stream.open.is_empty() || stream.closed_at.is_some_and(|closed| at < closed + post);
        live.then_some(stream.since).flatten()
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
        let post = TimeDelta::seconds(10);
        assert_eq!(events.active(cam, "main", t(0), post), None);
        assert_eq!(events.start(cam, "main", "a", t(5)), 1);
        assert_eq!(events.start(cam, "main", "b", t(8)), 2);
        assert_eq!(events.stop(cam, "main", "a", t(20)), 1);
        assert_eq!(events.active(cam, "main", t(40), post), Some(t(5)), "b is still open");
        assert_eq!(events.stop(cam, "main", "b", t(50)), 0);
        assert_eq!(events.active(cam, "main", t(59), post), Some(t(5)), "in the post-buffer");
        assert_eq!(events.active(cam, "main", t(60), post), None);
        assert_eq!(events.active(cam, "sub", t(30), post), None, "streams apart");
    }
}
