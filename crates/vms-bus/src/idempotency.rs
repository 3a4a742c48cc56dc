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
    /// Which claim this is: a random value, so that a request whose claim
    /// lapsed never overwrites or deletes the next one's.
    pub claim: String,
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

/// Proof of a claim: what was stored when the key was claimed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimToken(String);

/// The outcome of claiming a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// Nobody held it: the caller runs the request and then stores or releases it.
    Claimed(ClaimToken),
    /// Held already, by this record.
    Held(IdempotencyRecord),
}

/// Replaces the value at KEYS[1] with ARGV[2] (for ARGV[3] seconds) only if
/// it is still ARGV[1]; with no ARGV[2], deletes it under the same condition.
const COMPARE_AND_SET: &str = r"
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] then redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3]) else redis.call('DEL', KEYS[1]) end
return 1";

/// Counts one more at KEYS[1], starting a window of ARGV[1] seconds on the first.
const COUNT_IN_WINDOW: &str = r"
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n";

impl HotState {
    fn idempotency_key(&self, digest: &str) -> String {
        format!("{}idempotency:{digest}", self.prefix())
    }

    /// Claims the key `digest` for the request `request` for `running` (how
    /// long the request may take), or returns what holds it.
    pub async fn claim_idempotency(&self, digest: &str, request: &str, running: Duration) -> anyhow::Result<Claim> {
        let mut conn = self.conn().await?;
        let claim = uuid::Uuid::new_v4().to_string();
        let record = IdempotencyRecord { request: request.to_owned(), claim, answer: None };
        let record = serde_json::to_string(&record)?;
        let key = self.idempotency_key(digest);
        for _ in 0..3 {
            let options = redis::SetOptions::default()
                .conditional_set(redis::ExistenceCheck::NX)
                .with_expiration(redis::SetExpiry::EX(running.as_secs().max(1)));
            let set: Option<String> = tokio::time::timeout(OP_TIMEOUT, conn.set_options(&key, &record, options))
                .await
                .context("Redis SET timed out")??;
            if set.is_some() {
                return Ok(Claim::Claimed(ClaimToken(record)));
            }
            let held: Option<String> =
                tokio::time::timeout(OP_TIMEOUT, conn.get(&key)).await.context("Redis GET timed out")??;
            // None: it lapsed between the two calls, so try again.
            if let Some(held) = held {
                return Ok(Claim::Held(serde_json::from_str(&held).context("unreadable idempotency record")?));
            }
        }
        anyhow::bail!("the idempotency record kept changing")
    }

    /// Stores the answer to the request that claimed `digest` with `claim`,
    /// for `keep`; does nothing if that claim lapsed (returns false).
    pub async fn store_idempotent_answer(
        &self,
        digest: &str,
        claim: &ClaimToken,
        answer: StoredAnswer,
        keep: Duration,
    ) -> anyhow::Result<bool> {
        let mut record: IdempotencyRecord = serde_json::from_str(&claim.0)?;
        record.answer = Some(answer);
        let record = serde_json::to_string(&record)?;
        let keep = keep.as_secs().max(1).to_string();
        self.compare_and_set(digest, claim, &[record.as_str(), keep.as_str()]).await
    }

    /// Releases `digest` (the request failed) if `claim` still holds it: a retry runs again.
    pub async fn release_idempotency(&self, digest: &str, claim: &ClaimToken) -> anyhow::Result<bool> {
        self.compare_and_set(digest, claim, &[]).await
    }

    async fn compare_and_set(&self, digest: &str, claim: &ClaimToken, then: &[&str]) -> anyhow::Result<bool> {
        let mut conn = self.conn().await?;
        let script = redis::Script::new(COMPARE_AND_SET);
        let mut invocation = script.key(self.idempotency_key(digest));
        invocation.arg(&claim.0);
        for arg in then {
            invocation.arg(*arg);
        }
        let done: i64 = tokio::time::timeout(OP_TIMEOUT, invocation.invoke_async(&mut conn))
            .await
            .context("Redis script timed out")??;
        Ok(done == 1)
    }

    fn idempotency_count_key(&self, principal: &str) -> String {
        format!("{}idempotency_count:{principal}", self.prefix())
    }

    /// Counts one more answer kept for `principal` (a digest), returning how
    /// many it has kept in the current window of `window`.
    pub async fn count_idempotency_keys(&self, principal: &str, window: Duration) -> anyhow::Result<u64> {
        self.script(COUNT_IN_WINDOW, &self.idempotency_count_key(principal), &[window.as_secs().max(1)]).await
    }

    /// How many answers `principal` has kept in the current window, and how
    /// long until the window ends (zero when none is open).
    pub async fn idempotency_keys_kept(&self, principal: &str) -> anyhow::Result<(u64, Duration)> {
        let key = self.idempotency_count_key(principal);
        let kept = self.script("return tonumber(redis.call('GET', KEYS[1]) or '0')", &key, &[]).await?;
        let left = self.script("return redis.call('TTL', KEYS[1])", &key, &[]).await?;
        Ok((kept, Duration::from_secs(left)))
    }
}
