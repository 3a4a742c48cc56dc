//! What control remembers about stream tickets in Redis, shared by every
//! control node: which one-use tickets were spent, and which users' tickets
//! were revoked (the user was disabled, deleted or lost a grant). Logins
//! revoked by [`HotState::revoke_session`] revoke their tickets too.

use std::time::Duration;

use anyhow::Context;
use redis::AsyncCommands;
use uuid::Uuid;

use crate::hot::{HotState, OP_TIMEOUT};

impl HotState {
    fn spent_key(&self, ticket: Uuid) -> String {
        format!("{}spent_ticket:{ticket}", self.prefix())
    }

    fn user_revoked_key(&self, user: Uuid) -> String {
        format!("{}revoked_user_tickets:{user}", self.prefix())
    }

    /// Spends the one-use ticket `jti`: answers true the first time, false
    /// every later time until `ttl` (at least the ticket's remaining life) passes.
    pub async fn spend_ticket(&self, jti: Uuid, ttl: Duration) -> anyhow::Result<bool> {
        let mut conn = self.conn().await?;
        let set: Option<String> = tokio::time::timeout(
            OP_TIMEOUT,
            redis::cmd("SET")
                .arg(self.spent_key(jti))
                .arg(1)
                .arg("NX")
                .arg("EX")
                .arg(ttl.as_secs().max(1))
                .query_async(&mut conn),
        )
        .await
        .context("Redis SET timed out")??;
        Ok(set.is_some())
    }

    /// Revokes every ticket issued to `user` up to `at` (Unix seconds); the
    /// marker lasts `ttl`, which must cover the longest ticket lifetime.
    pub async fn revoke_user_tickets(&self, user: Uuid, at: i64, ttl: Duration) -> anyhow::Result<()> {
        let mut conn = self.conn().await?;
        tokio::time::timeout(
            OP_TIMEOUT,
            conn.set_ex::<_, _, ()>(self.user_revoked_key(user), at, ttl.as_secs().max(1)),
        )
        .await
        .context("Redis SET timed out")??;
        Ok(())
    }

    /// Returns when each of `users`' tickets were last revoked (Unix
    /// seconds), if a revocation marker is still kept: the record a plane
    /// that missed a revocation message checks against.
    pub async fn user_ticket_revocations(&self, users: &[Uuid]) -> anyhow::Result<Vec<Option<i64>>> {
        if users.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.conn().await?;
        let keys: Vec<String> = users.iter().map(|u| self.user_revoked_key(*u)).collect();
        let values: Vec<Option<i64>> =
            tokio::time::timeout(OP_TIMEOUT, conn.mget(keys)).await.context("Redis MGET timed out")??;
        Ok(values)
    }

    /// Answers whether a ticket `user` got at `issued_at` (Unix seconds),
    /// under login `session` if any, was revoked since: the login was
    /// revoked, or the user's tickets were revoked at or after that second.
    pub async fn is_ticket_revoked(&self, user: Uuid, session: Option<Uuid>, issued_at: i64) -> anyhow::Result<bool> {
        let mut conn = self.conn().await?;
        let mut keys = vec![self.user_revoked_key(user)];
        keys.extend(session.map(|s| self.session_key(s)));
        let values: Vec<Option<i64>> =
            tokio::time::timeout(OP_TIMEOUT, conn.mget(keys)).await.context("Redis MGET timed out")??;
        let user_revoked = values.first().copied().flatten().is_some_and(|at| issued_at <= at);
        let session_revoked = values.get(1).copied().flatten().is_some();
        Ok(user_revoked || session_revoked)
    }
}
