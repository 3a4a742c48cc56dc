//! The Redis records behind the API's `Idempotency-Key`: control claims a key
//! before running a request, stores the answer once it succeeded, and a
//! retry with the same key finds the answer instead of running again. Shared
//! by every control node; keys are digests, never the client's key itself.

use std::time::Duration;

use anyhow::Context;
use redis::AsyncCommands;
use serde::{Deserialize, Serialize};

use crate::hot::{HotState, OP_TIMEOUT};

/// What a key stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdempotencyRecord {
    /// Digest of the request that claimed the key (method, target, body).
    pub request: String,
    /// The stored answer; `None` while the first request still runs.
    pub answer: Option<StoredAnswer>,
}

/// An answer kept for replay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredAnswer {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type`, if any.
    pub content_type: Option<String>,
    /// `Location`, if any.
    pub location: Option<String>,
    /// The body (JSON, so text).
    pub body: String,
}

/// The outcome of claiming a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// Nobody held it: the caller runs the request and then stores or releases it.
    Claimed,
    /// Held already, by this record.
    Held(IdempotencyRecord),
}

impl HotState {
    fn idempotency_key(&self, digest: &str) -> String {
        format!("{}idempotency:{digest}", self.prefix())
    }

    /// Claims the key `digest` for the request `request` for `running` (how
    /// long the request may take), or returns what holds it.
    pub async fn claim_idempotency(&self, digest: &str, request: &str, running: Duration) -> anyhow::Result<Claim> {
        let mut conn = self.conn().await?;
        let record = serde_json::to_string(&IdempotencyRecord { request: request.to_owned(), answer: None })?;
        let key = self.idempotency_key(digest);
        let options = redis::SetOptions::default()
            .conditional_set(redis::ExistenceCheck::NX)
            .with_expiration(redis::SetExpiry::EX(running.as_secs().max(1)));
        let set: Option<String> = tokio::time::timeout(OP_TIMEOUT, conn.set_options(&key, &record, options))
            .await
            .context("Redis SET timed out")??;
        if set.is_some() {
            return Ok(Claim::Claimed);
        }
        let held: Option<String> =
            tokio::time::timeout(OP_TIMEOUT, conn.get(&key)).await.context("Redis GET timed out")??;
        match held {
            Some(held) => Ok(Claim::Held(serde_json::from_str(&held).context("unreadable idempotency record")?)),
            // It expired between the two calls: try once more.
            None => Box::pin(self.claim_idempotency(digest, request, running)).await,
        }
    }

    /// Stores the answer to the request that claimed `digest`, for `keep`.
    pub async fn store_idempotent_answer(
        &self,
        digest: &str,
        request: &str,
        answer: StoredAnswer,
        keep: Duration,
    ) -> anyhow::Result<()> {
        let mut conn = self.conn().await?;
        let record = serde_json::to_string(&IdempotencyRecord { request: request.to_owned(), answer: Some(answer) })?;
        tokio::time::timeout(OP_TIMEOUT, conn.set_ex::<_, _, ()>(self.idempotency_key(digest), record, keep.as_secs()))
            .await
            .context("Redis SET timed out")??;
        Ok(())
    }

    /// Releases `digest` (the request failed): a retry runs again.
    pub async fn release_idempotency(&self, digest: &str) -> anyhow::Result<()> {
        self.delete(&self.idempotency_key(digest)).await
    }
}
