//! When each camera last sent each picture of its clip, for measuring how long
//! a picture takes from the simulator to a screen (the picture's index is
//! drawn into it: [`crate::clip::IndexStrip`]).

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex},
    time::SystemTime,
};

/// Sends remembered per camera: about 40 s at 25 fps.
const KEPT: usize = 1000;

/// One camera's recent sends: (index of the picture in the clip, when).
pub(crate) type CameraLog = Arc<Mutex<VecDeque<(usize, SystemTime)>>>;

/// Every camera's recent sends. With several sessions of one camera, their
/// sends interleave.
#[derive(Clone, Default)]
pub(crate) struct SendLog(Arc<Mutex<HashMap<String, CameraLog>>>);

impl SendLog {
    /// The log `camera`'s sessions write to.
    pub(crate) fn camera(&self, camera: &str) -> CameraLog {
        self.0.lock().expect("send log lock should not be poisoned").entry(camera.to_owned()).or_default().clone()
    }

    /// When `camera` sent picture `index` of its clip, oldest first.
    pub(crate) fn sent_at(&self, camera: &str, index: usize) -> Vec<SystemTime> {
        let log = self.0.lock().expect("send log lock should not be poisoned").get(camera).cloned();
        let Some(log) = log else { return Vec::new() };
        let log = log.lock().expect("send log lock should not be poisoned");
        log.iter().filter(|(i, _)| *i == index).map(|(_, at)| *at).collect()
    }
}

/// Notes that picture `index` was sent just now.
pub(crate) fn record(log: &CameraLog, index: usize) {
    let mut log = log.lock().expect("send log lock should not be poisoned");
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
        let times = sends.sent_at("one", 5);
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first");
    }
}
