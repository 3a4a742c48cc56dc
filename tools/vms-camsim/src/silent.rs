//! Cameras made silent while the simulator runs ([`crate::Camsim::set_silent`]),
//! on top of those with the `silent` option: a hung camera that comes back.

use std::{
    collections::HashSet,
    sync::{Arc, Mutex},
};

/// The names of the cameras switched silent.
#[derive(Clone, Default)]
pub(crate) struct Silenced(Arc<Mutex<HashSet<String>>>);

impl Silenced {
    /// Switches `camera` silent, or back to answering.
    pub(crate) fn set(&self, camera: &str, silent: bool) {
        let mut names = self.0.lock().expect("silenced lock should not be poisoned");
        if silent {
            names.insert(camera.to_owned());
        } else {
            names.remove(camera);
        }
    }

    /// Answers whether `camera` was switched silent.
    pub(crate) fn contains(&self, camera: &str) -> bool {
        self.0.lock().expect("silenced lock should not be poisoned").contains(camera)
    }
}
