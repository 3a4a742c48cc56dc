//! When each camera last sent each picture of its clip, for measuring how long
//! a picture takes from the simulator to a screen (the picture's index is
//! drawn into it: [`crate::clip::IndexStrip`]).

use std::{
    collections::{HashMap, VecDeque},
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::SystemTime,
};

/// Sends remembered per camera: about 40 s at 25 fps.
const KEPT: usize = 1000;

/// One camera's recent sends: (index of the picture in the clip, when).
type Recent = Arc<Mutex<VecDeque<(usize, SystemTime)>>>;

/// Where one camera's sessions note their sends.
#[derive(Clone)]
pub(crate) struct CameraLog {
    recent: Recent,
    total: Arc<AtomicU64>,
}

/// Every camera's recent sends, and how many pictures every session of every
/// camera has sent in all. With several sessions of one camera, their sends
/// interleave.
#[derive(Clone, Default)]
pub(crate) struct SendLog {
    cameras: Arc<Mutex<HashMap<String, Recent>>>,
    total: Arc<AtomicU64>,
}

impl SendLog {
    /// The log `camera`'s sessions write to.
    pub(crate) fn camera(&self, camera: &str) -> CameraLog {
        let log = self
            .cameras
            .lock()
            .expect("send log lock should not be poisoned")
            .entry(camera.to_owned())
            .or_default()
            .clone();
        CameraLog { recent: log, total: self.total.clone() }
    }

    /// Pictures sent so far, every session of every camera together.
    pub(crate) fn total(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }

    /// When `camera` sent picture `index` of its clip, oldest first.
    pub(crate) fn sent_at(&self, camera: &str, index: usize) -> Vec<SystemTime> {
        let log = self.cameras.lock().expect("send log lock should not be poisoned").get(camera).cloned();
        let Some(log) = log else { return Vec::new() };
        let log = log.lock().expect("send log lock should not be poisoned");
        log.iter().filter(|(i, _)| *i == index).map(|(_, at)| *at).collect()
    }
}

/// Notes that picture `index` was sent just now.
pub(crate) fn record(log: &CameraLog, index: usize) {
    log.total.fetch_add(1, Ordering::Relaxed);
    let mut log = log.recent.lock().expect("send log lock should not be poisoned");
    if log.len() == KEPT {
        log.pop_front();
    }
    log.push_back((index, SystemTime::now()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_recent_sends_of_each_picture() {
        let sends = SendLog::default();
        let log = sends.camera("one");
        for i in 0..KEPT + 10 {
            record(&log, i % 250);
        }
        assert_eq!(sends.sent_at("one", 5).len(), 4, "1010 sends of a 250-picture loop keep 4 of picture 5");
        assert_eq!(sends.sent_at("one", 9).len(), 4);
        assert!(sends.sent_at("two", 5).is_empty());
        record(&sends.camera("two"), 0);
        assert_eq!(sends.total(), KEPT as u64 + 11, "every send counts, whichever camera");
        let times = sends.sent_at("one", 5);
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first");
    }
}
