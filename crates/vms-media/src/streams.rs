//! The streams this plane is pulling, found by camera and stream role: what
//! the restream, live egress and snapshots read from.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
};

use uuid::Uuid;
use vms_base::StreamRole;

use crate::fanout::Hub;

/// One pulled stream.
#[derive(Clone)]
pub struct Published {
    /// The camera.
    pub camera_id: Uuid,
    /// The camera's tenant.
    pub tenant_id: Uuid,
    /// Which of the camera's streams.
    pub role: StreamRole,
    /// Its frames.
    pub hub: Arc<Hub>,
}

/// The table of pulled streams, shared by everything that serves them.
#[derive(Clone, Default)]
pub struct Streams {
    table: Arc<RwLock<HashMap<(Uuid, StreamRole), Published>>>,
}

impl Streams {
    /// Adds (or replaces) a stream.
    pub(crate) fn insert(&self, published: Published) {
        let key = (published.camera_id, published.role);
        self.table.write().expect("stream table lock should not be poisoned").insert(key, published);
    }

    /// Removes a stream.
    pub(crate) fn remove(&self, camera_id: Uuid, role: StreamRole) {
        self.table.write().expect("stream table lock should not be poisoned").remove(&(camera_id, role));
    }

    /// Each stream, with the frames dropped for its consumers that fell behind.
    pub(crate) fn dropped(&self) -> Vec<(Uuid, StreamRole, u64)> {
        let table = self.table.read().expect("stream table lock should not be poisoned");
        table.values().map(|p| (p.camera_id, p.role, p.hub.dropped())).collect()
    }

    /// Finds a camera's stream.
    pub fn get(&self, camera_id: Uuid, role: StreamRole) -> Option<Published> {
        self.table.read().expect("stream table lock should not be poisoned").get(&(camera_id, role)).cloned()
    }
}
