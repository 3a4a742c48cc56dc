//! One-use tickets a browser opens the live events feed with (a WebSocket
//! cannot carry an `Authorization` header): control keeps what the ticket
//! stands for in Redis under the ticket's digest, shared by every control
//! node, for a few seconds; opening the feed takes it, and a second use
//! finds nothing.

use std::time::Duration;

use anyhow::Context;
use redis::AsyncCommands;

use crate::hot::{HotState, OP_TIMEOUT};

impl HotState {
    fn feed_ticket_key(&self, digest: &str) -> String {
        format!("{}feed_ticket:{digest}", self.prefix())
    }

    /// Keeps `value` under the ticket digest `digest` for `ttl`.
    pub async fn put_feed_ticket(&self, digest: &str, value: &str, ttl: Duration) -> anyhow::Result<()> {
        let mut conn = self.conn().await?;
        tokio::time::timeout(
            OP_TIMEOUT,
            conn.set_ex::<_, _, ()>(self.feed_ticket_key(digest), value, ttl.as_secs().max(1)),
        )
        .await
        .context("Redis SET timed out")??;
        Ok(())
    }

    /// Takes what the ticket digest `digest` stands for: `None` once taken or expired.
    pub async fn take_feed_ticket(&self, digest: &str) -> anyhow::Result<Option<String>> {
        let mut conn = self.conn().await?;
        let value: Option<String> = tokio::time::timeout(OP_TIMEOUT, conn.get_del(self.feed_ticket_key(digest)))
            .await
            .context("Redis GETDEL timed out")??;
        Ok(value)
    }
}
