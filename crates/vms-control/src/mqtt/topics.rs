//! MQTT topics and Home Assistant discovery messages.
//!
//! Events go to `<prefix>/<site>/<server>/<camera>/<event type>[/<suffix>]`
//! (ids for the site and camera, the node id for the server; an event with
//! no site has `tenant-<tenant id>` there, so tenants never share a topic,
//! and one with no camera `none`). For Home Assistant, each camera's labels
//! are binary sensors whose state is at `<…camera>/_ha/<label>` (`ON` while
//! an event goes on, `OFF` once it ends), and its latest snapshot is an
//! image at `<…camera>/_snapshot`; event types start with a letter, so
//! these never meet an event's topic. The bridge's availability is at
//! `<prefix>/<server>/availability` (`online`, or `offline` as its last will).

use serde_json::json;
use uuid::Uuid;
use vms_catalog::event::StoredEvent;

/// Names the topics of one bridge.
#[derive(Debug, Clone)]
pub struct Topics {
    /// First level of every topic.
    pub prefix: String,
    /// This node, the `<server>` level.
    pub server: String,
    /// Home Assistant's discovery prefix.
    pub discovery: String,
}

/// Keeps `[a-z0-9_-]` of a name for a topic level or an entity id, so no
/// name can add a level or a wildcard.
pub fn level(name: &str) -> String {
    let kept: String = name
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .take(64)
        .collect();
    if kept.is_empty() { "_".to_owned() } else { kept }
}

fn id_or_none(id: Option<Uuid>) -> String {
    id.map_or_else(|| "none".to_owned(), |id| id.to_string())
}

impl Topics {
    fn camera_base(&self, event: &StoredEvent) -> String {
        let site = event.site_id.map_or_else(|| format!("tenant-{}", event.tenant_id), |id| id.to_string());
        format!("{}/{site}/{}/{}", self.prefix, level(&self.server), id_or_none(event.camera_id))
    }

    /// Where an event is published; `suffix` (a rule's, checked to hold no
    /// wildcard) adds levels.
    pub fn event(&self, event: &StoredEvent, suffix: Option<&str>) -> String {
        let mut topic = format!("{}/{}", self.camera_base(event), level(&event.kind));
        if let Some(suffix) = suffix {
            topic.push('/');
            topic.push_str(suffix);
        }
        topic
    }

    /// The bridge's availability.
    pub fn availability(&self) -> String {
        format!("{}/{}/availability", self.prefix, level(&self.server))
    }

    /// The state of a camera's binary sensor for `label`.
    pub fn state(&self, event: &StoredEvent, label: &str) -> String {
        format!("{}/_ha/{}", self.camera_base(event), level(label))
    }

    /// A camera's latest snapshot.
    pub fn snapshot(&self, event: &StoredEvent) -> String {
        format!("{}/_snapshot", self.camera_base(event))
    }

    fn device(&self, camera: Uuid, event: &StoredEvent) -> serde_json::Value {
        json!({
            "identifiers": [format!("vms_{}", camera.simple())],
            "name": event.camera_name.clone().unwrap_or_else(|| camera.to_string()),
            "manufacturer": "Techno Support VMS",
            "model": "camera",
        })
    }

    /// The discovery message of the binary sensor for `label` on the
    /// event's camera: `(config topic, payload)`. `None` for camera-less events.
    pub fn sensor_config(&self, event: &StoredEvent, label: &str) -> Option<(String, serde_json::Value)> {
        let camera = event.camera_id?;
        let object = format!("vms_{}_{}", camera.simple(), level(label));
        let class = match label {
            "motion" => "motion",
            "person" | "car" | "vehicle" | "dog" | "cat" | "bicycle" | "motorcycle" | "truck" => "occupancy",
            _ => "problem",
        };
        let config = json!({
            "name": label,
            "unique_id": object,
            "object_id": object,
            "state_topic": self.state(event, label),
            "payload_on": "ON",
            "payload_off": "OFF",
            "device_class": class,
            "availability_topic": self.availability(),
            "device": self.device(camera, event),
        });
        Some((format!("{}/binary_sensor/{object}/config", self.discovery), config))
    }

    /// The discovery message of the event camera's snapshot image.
    pub fn image_config(&self, event: &StoredEvent) -> Option<(String, serde_json::Value)> {
        let camera = event.camera_id?;
        let object = format!("vms_{}_snapshot", camera.simple());
        let config = json!({
            "name": "snapshot",
            "unique_id": object,
            "object_id": object,
            "image_topic": self.snapshot(event),
            "content_type": "image/jpeg",
            "availability_topic": self.availability(),
            "device": self.device(camera, event),
        });
        Some((format!("{}/image/{object}/config", self.discovery), config))
    }
}

/// The label a Home Assistant sensor stands for: the event's `label`
/// attribute, else its type (`motion`, `door`).
pub fn label_of(event: &StoredEvent) -> String {
    event.attributes.get("label").and_then(|l| l.as_str()).unwrap_or(&event.kind).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(attributes: serde_json::Value) -> StoredEvent {
        let now = chrono::Utc::now();
        StoredEvent {
            id: Uuid::from_u128(9),
            tenant_id: Uuid::from_u128(1),
            site_id: Some(Uuid::from_u128(2)),
            camera_id: Some(Uuid::from_u128(3)),
            kind: "object".into(),
            start_time: now,
            end_time: None,
            attributes,
            seq: 0,
            snapshot: None,
            snapshot_at: None,
            snapshot_error: None,
            acked_at: None,
            acked_by: None,
            stored_at: now,
            updated_at: now,
            camera_name: Some("Gate".into()),
            site_name: None,
            tenant_name: None,
        }
    }

    #[test]
    fn topics_follow_site_server_camera_type() {
        let topics = Topics { prefix: "vms".into(), server: "Node 1/#".into(), discovery: "homeassistant".into() };
        let e = event(json!({"label": "Person/+"}));
        let (site, camera) = (Uuid::from_u128(2), Uuid::from_u128(3));
        assert_eq!(topics.event(&e, None), format!("vms/{site}/node_1__/{camera}/object"));
        assert_eq!(
            topics.event(&e, Some("door/after-hours")),
            format!("vms/{site}/node_1__/{camera}/object/door/after-hours")
        );
        assert_eq!(topics.availability(), "vms/node_1__/availability");
        let label = label_of(&e);
        assert_eq!(topics.state(&e, &label), format!("vms/{site}/node_1__/{camera}/_ha/person__"));
        let (config_topic, config) = topics.sensor_config(&e, &label).unwrap();
        assert_eq!(config_topic, format!("homeassistant/binary_sensor/vms_{}_person__/config", camera.simple()));
        assert_eq!(config["state_topic"], json!(topics.state(&e, &label)));
        assert_eq!(config["device"]["name"], json!("Gate"));
        let mut no_camera = e.clone();
        (no_camera.camera_id, no_camera.site_id) = (None, None);
        assert!(topics.sensor_config(&no_camera, "x").is_none() && topics.image_config(&no_camera).is_none());
        let tenant = Uuid::from_u128(1);
        assert_eq!(topics.event(&no_camera, None), format!("vms/tenant-{tenant}/node_1__/none/object"));
    }
}
