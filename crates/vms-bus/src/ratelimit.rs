//! Rate limits kept in Redis, so every control-plane instance shares them.
//!
//! Two mechanisms:
//! - a sliding-window log ([`HotState::hit`]): at most `limit` events in any
//!   `window`, answered with how long to wait when over;
//! - a failure lockout with backoff ([`HotState::lockout`],
//!   [`HotState::record_failure`]): the `free`-th failure locks the key for
//!   `base`, each further one for twice as long as the one before, capped, and
//!   the count decays a day after the last failure, so no lock is ever permanent;
//! - remembered members ([`HotState::remember`], [`HotState::remembers`]): a
//!   small, expiring set per key, e.g. the addresses an account signed in from.
//!
//! Times come from the Redis server's clock, so instances with skewed clocks agree.

use std::time::Duration;

use anyhow::Context;

use redis::AsyncCommands;

use crate::hot::{HotState, OP_TIMEOUT};

/// Whether an event may proceed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Go ahead.
    Allowed,
    /// Over the limit: retry after this long.
    Limited(Duration),
}

const SLIDING_WINDOW: &str = r#"
local key = KEYS[1]
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) >= limit then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', key, now, now .. '-' .. t[2] .. '-' .. math.random(1000000))
redis.call('PEXPIRE', key, window)
return 0
"#;

const LOCKED_FOR: &str = r#"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untl = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
return math.max(0, untl - now)
"#;

const RECORD_FAILURE: &str = r#"
local key = KEYS[1]
local free = tonumber(ARGV[1])
local base = tonumber(ARGV[2])
local cap = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local n = redis.call('HINCRBY', key, 'count', 1)
local lock = 0
if n >= free then
  lock = math.min(cap, base * (2 ^ (n - free)))
  redis.call('HSET', key, 'until', now + lock)
end
redis.call('PEXPIRE', key, 86400000)
return lock
"#;

impl HotState {
    fn limit_key(&self, bucket: &str, id: &str) -> String {
        format!("{}rl:{bucket}:{id}", self.prefix())
    }

    /// Records one event against `bucket`/`id` unless that would exceed `limit` per `window`.
    pub async fn hit(&self, bucket: &str, id: &str, limit: u32, window: Duration) -> anyhow::Result<Decision> {
        let wait: u64 = self
            .script(SLIDING_WINDOW, &self.limit_key(bucket, id), &[window.as_millis() as u64, limit.into()])
            .await
            .context("rate limit check failed")?;
        Ok(if wait == 0 { Decision::Allowed } else { Decision::Limited(Duration::from_millis(wait)) })
    }

    /// Answers whether `bucket`/`id` is locked out after failures.
    pub async fn lockout(&self, bucket: &str, id: &str) -> anyhow::Result<Decision> {
        let wait: u64 =
            self.script(LOCKED_FOR, &self.limit_key(bucket, id), &[]).await.context("lockout check failed")?;
        Ok(if wait == 0 { Decision::Allowed } else { Decision::Limited(Duration::from_millis(wait)) })
    }

    /// Records a failure; the `free`-th locks the key for `base`, each further one twice as long, up to `cap`.
    pub async fn record_failure(
        &self,
        bucket: &str,
        id: &str,
        free: u32,
        base: Duration,
        cap: Duration,
    ) -> anyhow::Result<Duration> {
        let locked: u64 = self
            .script(
                RECORD_FAILURE,
                &self.limit_key(bucket, id),
                &[free.into(), base.as_millis() as u64, cap.as_millis() as u64],
            )
            .await
            .context("failure record failed")?;
        Ok(Duration::from_millis(locked))
    }

    /// Forgets the failures of `bucket`/`id` (after a success).
    pub async fn clear_failures(&self, bucket: &str, id: &str) -> anyhow::Result<()> {
        self.delete(&self.limit_key(bucket, id)).await
    }

    /// The sorted set behind [`Self::remember`]: members scored by when
    /// they were last added (Unix milliseconds).
    fn recent_key(&self, bucket: &str, id: &str) -> String {
        format!("{}recent:{bucket}:{id}", self.prefix())
    }

    /// Remembers `member` in `bucket`/`id` for `ttl` from now, keeping the
    /// `cap` most recently added members: an older one is forgotten first,
    /// never the one just added.
    pub async fn remember(
        &self,
        bucket: &str,
        id: &str,
        member: &str,
        ttl: Duration,
        cap: usize,
    ) -> anyhow::Result<()> {
        let key = self.recent_key(bucket, id);
        let now = chrono::Utc::now().timestamp_millis();
        let ttl_ms = ttl.as_millis() as i64;
        let mut conn = self.conn().await?;
        let _: () = tokio::time::timeout(
            OP_TIMEOUT,
            redis::pipe()
                .atomic()
                .zadd(&key, member, now)
                .ignore()
                .zrembyscore(&key, "-inf", now - ttl_ms)
                .ignore()
                // Ranks count from the oldest: drop all but the newest `cap`.
                .zremrangebyrank(&key, 0, -(cap.max(1) as isize) - 1)
                .ignore()
                .pexpire(&key, ttl_ms)
                .ignore()
                .query_async(&mut conn),
        )
        .await
        .context("Redis ZADD timed out")??;
        Ok(())
    }

    /// Answers whether `member` was remembered in `bucket`/`id` within the
    /// `ttl` it was remembered for.
    pub async fn remembers(&self, bucket: &str, id: &str, member: &str, ttl: Duration) -> anyhow::Result<bool> {
        let mut conn = self.conn().await?;
        let added: Option<i64> = tokio::time::timeout(OP_TIMEOUT, conn.zscore(self.recent_key(bucket, id), member))
            .await
            .context("Redis ZSCORE timed out")??;
        let since = chrono::Utc::now().timestamp_millis() - ttl.as_millis() as i64;
        Ok(added.is_some_and(|at| at > since))
    }
}
