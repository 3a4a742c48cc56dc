//! User revocations, published by control on [`crate::Subjects::revocations`]
//! when a user is disabled or deleted or their grants or roles change, so the
//! media plane ends what the user is watching within seconds instead of
//! letting open streams play on under a cached grant.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A user whose access was cut.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRevoked {
    /// The user.
    pub user_id: Uuid,
    /// When; tickets issued to the user at or before this second no longer open anything.
    pub at: DateTime<Utc>,
}

/// Publishes that `user_id` was revoked at `at` on `subject`.
pub async fn publish(
    nats: &async_nats::Client,
    subject: String,
    user_id: Uuid,
    at: DateTime<Utc>,
) -> anyhow::Result<()> {
    let payload = serde_json::to_vec(&UserRevoked { user_id, at })?;
    nats.publish(subject, payload.into()).await?;
    Ok(())
}
