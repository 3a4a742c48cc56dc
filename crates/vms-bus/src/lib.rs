//! The message bus and hot state between planes.
//!
//! Owns the NATS subject scheme ([`Subjects`]), the typed status messages
//! planes publish ([`status`]), connecting to NATS with credentials taken from
//! the URL ([`nats::connect`]), the Redis keys of hot stream state
//! ([`hot::HotState`]) and of spent and revoked stream tickets ([`tickets`]),
//! the user revocations control publishes ([`revocation`]), and the events
//! every source publishes through JetStream ([`events`]), and the answers
//! kept for the API's `Idempotency-Key` ([`idempotency`]). Subjects and keys
//! carry a prefix so tests sharing one server never see each other's traffic.

pub mod events;
pub mod feed_tickets;
pub mod hot;
pub mod idempotency;
pub mod nats;
pub mod ratelimit;
pub mod revocation;
pub mod status;
pub mod tickets;

/// Builds NATS subjects under a prefix (default `vms`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subjects {
    prefix: String,
}

impl Default for Subjects {
    fn default() -> Self {
        Self::new("vms")
    }
}

impl Subjects {
    /// Creates subjects under `prefix` (no trailing dot).
    pub fn new(prefix: impl Into<String>) -> Self {
        Self { prefix: prefix.into() }
    }

    /// Returns the prefix.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Subject a plane publishes its status on: `<prefix>.status.<plane>.<node>`.
    pub fn status(&self, plane: vms_base::Plane, node_id: &str) -> String {
        format!("{}.status.{}.{}", self.prefix, plane, token(node_id))
    }

    /// Wildcard matching every plane's status.
    pub fn all_status(&self) -> String {
        format!("{}.status.>", self.prefix)
    }

    /// Subject the media plane publishes a stream's state on: `<prefix>.streams.<stream>.state`.
    pub fn stream_state(&self, stream: uuid::Uuid) -> String {
        format!("{}.streams.{}.state", self.prefix, stream)
    }

    /// Wildcard matching every stream's state.
    pub fn all_stream_states(&self) -> String {
        format!("{}.streams.*.state", self.prefix)
    }

    /// Subject control publishes user revocations on: `<prefix>.revocations`.
    pub fn revocations(&self) -> String {
        format!("{}.revocations", self.prefix)
    }

    /// Wildcard matching every event.
    pub fn all_events(&self) -> String {
        format!("{}.events.>", self.prefix)
    }

    /// Subject of an event: `<prefix>.events.<tenant>.<camera>.<type>`.
    pub fn event(&self, tenant: &str, camera: &str, kind: &str) -> String {
        format!("{}.events.{}.{}.{}", self.prefix, token(tenant), token(camera), token(kind))
    }
}

/// Makes a value safe as one subject token (no dots, wildcards or spaces).
fn token(value: &str) -> String {
    value.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_are_prefixed_and_tokens_sanitised() {
        let s = Subjects::new("t42");
        assert_eq!(s.status(vms_base::Plane::Media, "node.1"), "t42.status.media.node_1");
        assert_eq!(s.all_status(), "t42.status.>");
        assert_eq!(s.revocations(), "t42.revocations");
        assert_eq!(s.event("a", "b c", "motion"), "t42.events.a.b_c.motion");
    }
}
